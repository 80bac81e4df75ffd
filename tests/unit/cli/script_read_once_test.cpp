// -f reads its script once: any file kind is accepted, and a script changed while it
// loads (between the check pass and the apply pass) cannot change what is applied.
// The opener runs between the two passes, so the tests change the file there.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <fstream>
#include <thread>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

using testing::ModeTest;
using testing::script_options;

constexpr const char* kPolicies =
    "spdadd 10.0.0.1 10.0.0.2 any -P out none;\n"
    "spdadd 10.0.0.3 10.0.0.4 any -P out none;\n"
    "spdadd 10.0.0.5 10.0.0.6 any -P out none;\n";
// Same length, other addresses and a statement that does not parse.
constexpr const char* kRewritten =
    "spdadd 10.9.9.1 10.9.9.2 any -P out none;\n"
    "spdadd 10.9.9.3 10.9.9.4 any -P out none;\n"
    "bogus; 10.9.9.5 10.9.9.6 any -P out none;\n";

struct ScriptReadOnce : ModeTest {
    // An opener that first does `change` to the script (the check pass is over).
    cli::BackendOpener opener_after(std::function<void()> change) {
        return [this, change, open = opener()](std::string& error) {
            change();
            return open(error);
        };
    }
    std::vector<std::string> sources() const {
        std::vector<std::string> out;
        for (const auto& p : kernel.policies) out.push_back(p.src.addr.to_string());
        return out;
    }
};

const std::vector<std::string> kCheckedSources = {"10.0.0.1", "10.0.0.3", "10.0.0.5"};

TEST_F(ScriptReadOnce, AFifoIsReadAndApplied) {
    const auto fifo = dir / "script.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo) << kPolicies; });
    EXPECT_EQ(cli::run_script(script_options(fifo.string()), io(), opener()), 0) << err.str();
    writer.join();
    EXPECT_EQ(sources(), kCheckedSources);
}

TEST_F(ScriptReadOnce, ARewriteInPlaceDuringTheLoadChangesNothing) {
    const auto file = write("load.conf", kPolicies);
    auto rewrite = [&] {
        std::fstream f(file, std::ios::in | std::ios::out); // same inode, no truncation
        f << kRewritten;
    };
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener_after(rewrite)), 0) << err.str();
    EXPECT_EQ(sources(), kCheckedSources);
    EXPECT_EQ(err.str(), "");
}

// A mapping of the file would raise SIGBUS here; run it in a child to see that.
TEST_F(ScriptReadOnce, TruncationDuringTheLoadChangesNothing) {
    const auto file = write("load.conf", kPolicies);
    auto truncate = [&] { std::filesystem::resize_file(file, 0); };
    EXPECT_EXIT(
        {
            const int rc = cli::run_script(script_options(file), io(), opener_after(truncate));
            std::exit(rc == 0 && sources() == kCheckedSources ? 0 : 10 + rc);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST_F(ScriptReadOnce, ADirectoryOnStdinIsAnError) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    const int saved = ::dup(STDIN_FILENO);
    ::dup2(fd, STDIN_FILENO);
    auto o = script_options("-");
    o.dry_run = true;
    const int rc = cli::run_script(o, {std::cin, out, err}, opener());
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    ::close(fd);
    std::cin.clear();
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(err.str(), "setkey: -: Is a directory\n");
}

} // namespace
} // namespace setkey
