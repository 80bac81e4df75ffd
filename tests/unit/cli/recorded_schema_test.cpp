// Real af_key messages (`setkey -xx -H` in the VM, tests/golden/pfkey/small-xxh.txt) through the
// real paths to JSON, validated against docs/schema with Debian's python3-jsonschema:
// -x -o jsonl over the monitored messages, and the built binary's -o json / -o jsonl
// of a file operand holding the kernel's GET replies (an error reply among them).
// Skipped, visibly, without the validator.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/modes.hpp"
#include "support/hexdump_file.hpp"
#include "pfkey/codec.hpp"
#include "tests/e2e/run_setkey.hpp"
#include "support/scripted_transport.hpp"
#include "support/schema_validator.hpp"

namespace setkey::pfkey {
namespace {

namespace fs = std::filesystem;
using schema_test::validate_against;

std::vector<test::Bytes> monitored() {
    return test::messages_of(test::read_hexdump_text(test::small_xxh()));
}

struct RecordedSchema : ::testing::Test {
    void SetUp() override {
        SETKEY_NEED_SCHEMA_VALIDATOR();
    }
};

TEST_F(RecordedSchema, MonitorEventsOfTheKernelsMessages) {
    for (bool keys : {false, true}) {
        setkey::test::ScriptedTransport t;
        for (auto& m : monitored()) t.incoming.push_back(m);
        cli::Options options;
        options.mode = cli::Mode::monitor;
        options.output = cli::OutputFormat::jsonl;
        options.show_keys = keys;
        std::istringstream in;
        std::ostringstream out, err;
        cli::run_monitor(options, {in, out, err}, t, [] { return timespec{1795757075, 250000000}; });
        size_t lines = 0;
        for (char c : out.str()) lines += c == '\n';
        EXPECT_GE(lines, 20u) << out.str();
        const auto v = validate_against("event.schema.json", out.str());
        EXPECT_TRUE(v.valid) << v.why << out.str();
    }
}

TEST_F(RecordedSchema, BuiltBinaryOnTheKernelsGetReplies) {
    const fs::path file = fs::temp_directory_path() / ("setkey-get-replies-" + std::to_string(::getpid()));
    {
        std::ofstream f(file, std::ios::binary);
        int replies = 0;
        for (const auto& m : monitored())
            if (m[1] == static_cast<uint8_t>(MsgType::get)) {
                f.write(reinterpret_cast<const char*>(m.data()), static_cast<std::streamsize>(m.size()));
                ++replies;
            }
        ASSERT_EQ(replies, 4); // the two gets, their replies; the second one "No such process"
    }
    for (const char* format : {"json", "jsonl"}) {
        SCOPED_TRACE(format);
        const auto r = e2e::run_setkey({file.string(), "-o", format});
        EXPECT_EQ(r.status, 0) << r.err;
        const auto v = validate_against(std::string(format) == "json" ? "dump.schema.json" : "record.schema.json", r.out);
        EXPECT_TRUE(v.valid) << v.why << r.out;
    }
    fs::remove(file);
}

} // namespace
} // namespace setkey::pfkey
