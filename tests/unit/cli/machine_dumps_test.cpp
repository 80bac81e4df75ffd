// -o json and -o prometheus say exactly what was dumped, through the real modes: no
// SA families for -DP, a 0 sample for every empty direction, and a script dumping a
// table twice (or a `get` beside a dump) never lists a record twice: json prints one
// document per repeat, prometheus keeps each table's last dump.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "mode_fixture.hpp"
#include "support/table_fake.hpp"

namespace setkey {
namespace {

using json = nlohmann::json;

struct MachineDumps : testing::ModeTest {
    testing::TableFake table;
    cli::BackendOpener table_opener() {
        return [this](std::string&) -> std::unique_ptr<model::Backend> {
            return std::make_unique<testing::BorrowedBackend>(table);
        };
    }
    int script(const std::string& text, cli::OutputFormat format) {
        out.str("");
        cli::Options o;
        o.mode = cli::Mode::script;
        o.output = format;
        o.script = write("s.conf", text);
        return cli::run_script(o, io(), table_opener());
    }
    std::string dump(bool policies, cli::OutputFormat format) {
        out.str("");
        cli::Options o;
        o.mode = cli::Mode::dump;
        o.policy = policies;
        o.output = format;
        EXPECT_EQ(cli::run_table(o, io(), table_opener()), 0) << err.str();
        return out.str();
    }
    std::vector<json> documents() const {
        std::vector<json> docs;
        std::istringstream lines(out.str());
        for (std::string l; std::getline(lines, l);) docs.push_back(json::parse(l));
        return docs;
    }
};

constexpr const char* kTwoSpdDumps =
    "spdadd 10.0.1.0/24 10.0.2.0/24 any -P out none;\n"
    "spddump;\n"
    "spdadd 10.0.3.0/24 10.0.4.0/24 any -P out none;\n"
    "spddump;\n";

constexpr const char* kAddSa = "add 192.0.2.1 192.0.2.2 esp 0x301 -E null;\n";

// Every record id once per document.
void expect_no_duplicate(const json& doc) {
    for (const char* table : {"sa", "sp"}) {
        if (doc[table].is_null()) continue;
        std::set<std::string> ids;
        for (const auto& r : doc[table])
            EXPECT_TRUE(ids.insert(r["id"].get<std::string>()).second) << r["id"] << " twice in " << doc;
    }
}

TEST_F(MachineDumps, SpdDumpHasNoSadFamilies) {
    table.policy({});
    const std::string text = dump(true, cli::OutputFormat::prometheus);
    EXPECT_EQ(text.find("setkey_sa"), std::string::npos) << text;
    EXPECT_NE(text.find("setkey_spd_entries"), std::string::npos) << text;
}

TEST_F(MachineDumps, SadDumpHasNoSpdFamily) {
    const std::string text = dump(false, cli::OutputFormat::prometheus);
    EXPECT_NE(text.find("\nsetkey_sad_entries 0\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("setkey_spd_entries"), std::string::npos) << text;
}

TEST_F(MachineDumps, EveryDirectionHasASampleEvenWhenEmpty) {
    for (const char* dir : {"in", "out", "fwd"}) {
        const std::string sample = std::string("setkey_spd_entries{dir=\"") + dir + "\"} 0\n";
        const std::string empty = dump(true, cli::OutputFormat::prometheus);
        EXPECT_NE(empty.find(sample), std::string::npos) << empty;
    }
    ASSERT_EQ(script(kTwoSpdDumps, cli::OutputFormat::prometheus), 0) << err.str();
    EXPECT_NE(out.str().find("setkey_spd_entries{dir=\"in\"} 0\n"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("setkey_spd_entries{dir=\"fwd\"} 0\n"), std::string::npos) << out.str();
}

TEST_F(MachineDumps, JsonPrintsADocumentPerRepeatedDump) {
    ASSERT_EQ(script(kTwoSpdDumps, cli::OutputFormat::json), 0) << err.str();
    const auto docs = documents();
    ASSERT_EQ(docs.size(), 2u) << out.str();
    EXPECT_EQ(docs[0]["sp"].size(), 1u) << docs[0];
    EXPECT_EQ(docs[1]["sp"].size(), 2u) << docs[1];
    for (const auto& d : docs) expect_no_duplicate(d);
}

TEST_F(MachineDumps, JsonKeepsTheTwoTablesOfAScriptInOneDocument) {
    ASSERT_EQ(script(std::string(kAddSa) + "dump;\nspddump;\n", cli::OutputFormat::json), 0);
    const auto docs = documents();
    ASSERT_EQ(docs.size(), 1u) << out.str();
    EXPECT_EQ(docs[0]["sa"].size(), 1u);
    EXPECT_TRUE(docs[0]["sp"].is_array());
}

TEST_F(MachineDumps, JsonGetResultsAreNotMergedIntoADump) {
    ASSERT_EQ(script(std::string(kAddSa) + "get 192.0.2.1 192.0.2.2 esp 0x301;\ndump;\n",
                     cli::OutputFormat::json),
              0)
        << err.str();
    const auto docs = documents();
    ASSERT_EQ(docs.size(), 2u) << out.str();
    for (const auto& d : docs) {
        EXPECT_EQ(d["sa"].size(), 1u) << d;
        expect_no_duplicate(d);
    }
}

TEST_F(MachineDumps, PrometheusCountsEachTableAsItsLastDump) {
    ASSERT_EQ(script(kTwoSpdDumps, cli::OutputFormat::prometheus), 0) << err.str();
    const std::string text = out.str();
    EXPECT_NE(text.find("setkey_spd_entries{dir=\"out\"} 2\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("# TYPE setkey_spd_entries"), text.rfind("# TYPE setkey_spd_entries"))
        << "one family, once:\n" << text;
}

TEST_F(MachineDumps, PrometheusDoesNotCountAGetBesideADump) {
    ASSERT_EQ(script(std::string(kAddSa) + "get 192.0.2.1 192.0.2.2 esp 0x301;\ndump;\n",
                     cli::OutputFormat::prometheus),
              0)
        << err.str();
    const std::string text = out.str();
    EXPECT_NE(text.find("\nsetkey_sad_entries 1\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("setkey_sa_state{"), text.rfind("setkey_sa_state{")) << text;
}

TEST_F(MachineDumps, AGetAloneGivesTheSaButNoTableCount) {
    ASSERT_EQ(script(std::string(kAddSa) + "get 192.0.2.1 192.0.2.2 esp 0x301;\n",
                     cli::OutputFormat::prometheus),
              0);
    EXPECT_NE(out.str().find("setkey_sa_state{"), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find("setkey_sad_entries"), std::string::npos) << out.str();
}

} // namespace
} // namespace setkey
