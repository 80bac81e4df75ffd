// Shared set-up for the mode tests: a fake kernel behind a counting opener, string
// streams for stdin/stdout/stderr and scripts written to a temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/modes.hpp"
#include "support/fake_backend.hpp"

namespace setkey::testing {

struct ModeTest : ::testing::Test {
    FakeBackend kernel;
    int opened = 0;
    bool open_fails = false;
    std::istringstream in;
    std::ostringstream out, err;
    std::filesystem::path dir;

    void SetUp() override {
        dir = std::filesystem::temp_directory_path() /
              ("setkey-cli-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    std::string write(const std::string& name, const std::string& text) {
        const auto path = dir / name;
        std::ofstream(path) << text;
        // Private, as a script with keys should be (others get a warning line).
        std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write);
        return path.string();
    }

    cli::BackendOpener opener() {
        return [this](std::string& error) -> std::unique_ptr<model::Backend> {
            ++opened;
            if (open_fails) {
                error = "xfrm: Operation not permitted";
                return nullptr;
            }
            return std::make_unique<BorrowedBackend>(kernel);
        };
    }

    cli::Streams io() { return {in, out, err}; }
};

// What `setkey -c` and `setkey -f FILE` start from, before a test adds its options.
inline cli::Options commands_options() {
    cli::Options o;
    o.mode = cli::Mode::commands;
    return o;
}

inline cli::Options script_options(const std::string& file) {
    cli::Options o;
    o.mode = cli::Mode::script;
    o.script = file;
    return o;
}

} // namespace setkey::testing
