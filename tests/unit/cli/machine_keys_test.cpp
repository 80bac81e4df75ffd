// End to end through the CLI modes: key bytes of a loaded SA never reach -o json,
// jsonl or prometheus output of a dump (-D) or a `get` (-c) unless --show-keys.
#include <gtest/gtest.h>

#include "mode_fixture.hpp"
#include "support/table_fake.hpp"

namespace setkey {
namespace {

// Distinctive key bytes, so a hit cannot be a coincidence.
constexpr const char* kEncHex = "c0ffee00deadbeef0123456789abcdef";
constexpr const char* kAuthHex = "feedfacecafef00d00112233445566778899aabbccddeeff0f1e2d3c4b5a6978";

struct MachineKeys : testing::ModeTest {
    testing::TableFake table;
    cli::BackendOpener table_opener() {
        return [this](std::string&) -> std::unique_ptr<model::Backend> {
            return std::make_unique<testing::BorrowedBackend>(table);
        };
    }
    void SetUp() override {
        ModeTest::SetUp();
        cli::Options o;
        o.mode = cli::Mode::script;
        o.script = write("k.conf", std::string("add 192.0.2.1 192.0.2.2 esp 0x301 -E aes-cbc 0x") +
                                       kEncHex + " -A hmac-sha256 0x" + kAuthHex + ";\n");
        ASSERT_EQ(cli::run_script(o, io(), table_opener()), 0) << err.str();
    }
    std::string dump(cli::OutputFormat f, bool show_keys) {
        out.str("");
        cli::Options o;
        o.mode = cli::Mode::dump;
        o.output = f;
        o.show_keys = show_keys;
        EXPECT_EQ(cli::run_table(o, io(), table_opener()), 0) << err.str();
        return out.str();
    }
    std::string get(cli::OutputFormat f, bool show_keys) {
        out.str("");
        in.clear();
        in.str("get 192.0.2.1 192.0.2.2 esp 0x301;\n");
        cli::Options o;
        o.mode = cli::Mode::commands;
        o.output = f;
        o.show_keys = show_keys;
        EXPECT_EQ(cli::run_commands(o, io(), table_opener()), 0) << err.str();
        return out.str();
    }
};

TEST_F(MachineKeys, HiddenInEveryMachineFormat) {
    for (auto f : {cli::OutputFormat::json, cli::OutputFormat::jsonl, cli::OutputFormat::prometheus})
        for (const std::string& text : {dump(f, false), get(f, false)}) {
            EXPECT_FALSE(text.empty());
            EXPECT_EQ(text.find(std::string(kEncHex).substr(0, 16)), std::string::npos) << text;
            EXPECT_EQ(text.find(std::string(kAuthHex).substr(0, 16)), std::string::npos) << text;
        }
}

TEST_F(MachineKeys, ShownWhenAskedInJson) {
    for (auto f : {cli::OutputFormat::json, cli::OutputFormat::jsonl}) {
        EXPECT_NE(dump(f, true).find(kEncHex), std::string::npos);
        EXPECT_NE(get(f, true).find(kAuthHex), std::string::npos);
    }
}

} // namespace
} // namespace setkey
