// Real af_key messages (the corpus' small.out, `setkey -xx -H` in the VM) through the
// real paths to JSON, validated against docs/schema with Debian's python3-jsonschema:
// -x -o jsonl over the monitored messages.
// Skipped, visibly, without the corpus or the validator.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/modes.hpp"
#include "hexdump_file.hpp"
#include "pfkey/codec.hpp"
#include "tests/unit/cli/scripted_transport.hpp"
#include "tests/unit/output/schema_validator.hpp"

namespace setkey::pfkey {
namespace {

namespace fs = std::filesystem;
using schema_test::validate_against;

bool have_corpus() { return fs::exists(std::string(SETKEY_CORPUS_DIR) + "/expected/vm-modes/small.out"); }

std::vector<test::Bytes> monitored() {
    return test::messages_of(test::read_hexdump_text(test::small_out_section("XXH")));
}

struct RecordedSchema : ::testing::Test {
    void SetUp() override {
        if (!have_corpus()) GTEST_SKIP() << "skipped: no ipsec-tools corpus at " << SETKEY_CORPUS_DIR;
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

} // namespace
} // namespace setkey::pfkey
