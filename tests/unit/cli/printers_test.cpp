// The printer chosen by -o: classic text, one JSON document per dump, JSON lines as
// records arrive, Prometheus text; empty tables differ from tables not dumped.
#include "cli/printers.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace setkey {
namespace {

model::SaRecord sa(uint32_t spi) {
    model::SaRecord r;
    r.src = *model::IpAddress::parse("192.0.2.1");
    r.dst = *model::IpAddress::parse("192.0.2.2");
    r.spi = spi;
    r.has_sa2 = true;
    return r;
}

std::unique_ptr<cli::RecordPrinter> printer(cli::OutputFormat f, std::ostream& out) {
    return cli::make_printer({.format = f, .backend = "xfrm"}, out);
}

// A whole SAD dump of these SPIs, announced and closed as the executor does it.
void dump_sad(cli::RecordPrinter& p, std::initializer_list<uint32_t> spis) {
    p.dump_starts(false);
    for (uint32_t spi : spis) p.sa(sa(spi));
    p.dumped(false);
}

TEST(Printers, ClassicPrintsEachRecordAndSaysWhenEmpty) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::classic, out);
    EXPECT_TRUE(p->reports_empty_dumps());
    p->sa(sa(0x10));
    EXPECT_NE(out.str().find("spi=16(0x00000010)"), std::string::npos) << out.str();
}

TEST(Printers, JsonIsOneDocumentWithEmptyAndMissingTablesApart) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    EXPECT_FALSE(p->reports_empty_dumps());
    p->dumped(false);
    EXPECT_NE(out.str().find("\"sa\":[]"), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find('\n'), std::string::npos) << "the document is still open";
    p->finish();
    EXPECT_NE(out.str().find("\"sp\":null"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("\"backend\":\"xfrm\""), std::string::npos) << out.str();
}

TEST(Printers, JsonPrintsOneDocumentPerFinishAndNothingWithoutADump) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    p->finish();
    EXPECT_EQ(out.str(), "");
    p->sa(sa(1));
    p->dumped(false);
    p->finish();
    p->dumped(false);
    p->finish();
    const std::string text = out.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
    EXPECT_NE(text.find("\"sa\":[]"), std::string::npos) << "the second dump starts empty";
}

TEST(Printers, JsonlWritesALinePerRecordAtOnce) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::jsonl, out);
    p->sa(sa(1));
    p->sa(sa(2));
    const std::string text = out.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
    EXPECT_EQ(text.rfind("{\"v\":2,\"type\":\"sa\"", 0), 0u) << text;
}

TEST(Printers, PrometheusCountsTheSad) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::prometheus, out);
    p->sa(sa(1));
    p->dumped(false);
    p->finish();
    EXPECT_NE(out.str().find("setkey_sad_entries 1"), std::string::npos) << out.str();
}

// `get` of one SA twice: one series (the last get's), and in JSON the second starts the
// next document, so no document lists a record twice.
TEST(Printers, AnSaGotTwiceIsListedOnceADocument) {
    std::ostringstream prom, doc;
    auto p = printer(cli::OutputFormat::prometheus, prom);
    auto j = printer(cli::OutputFormat::json, doc);
    const auto counted = [](uint32_t spi, uint64_t bytes) {
        auto r = sa(spi);
        r.current = model::Lifetime{.bytes = bytes, .add_time = 1795000000};
        return r;
    };
    for (auto* r : {p.get(), j.get()}) {
        r->sa(counted(1, 10));
        r->sa(counted(2, 20));
        r->sa(counted(1, 77));
        r->finish();
    }
    const std::string text = prom.str();
    size_t series = 0;
    for (size_t at = text.find("setkey_sa_bytes_total{"); at != std::string::npos;
         at = text.find("setkey_sa_bytes_total{", at + 1))
        ++series;
    EXPECT_EQ(series, 2u) << text;
    EXPECT_NE(text.find(" 77\n"), std::string::npos) << text;
    std::istringstream docs(doc.str());
    size_t documents = 0;
    for (std::string line; std::getline(docs, line);) documents += !line.empty();
    EXPECT_EQ(documents, 2u) << doc.str();
}

TEST(Printers, MachineFormatsHideKeysUnlessAsked) {
    model::SaRecord r = sa(1);
    r.enc.key = std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef};
    std::ostringstream hidden, shown;
    cli::make_printer({.format = cli::OutputFormat::jsonl}, hidden)->sa(r);
    cli::make_printer({.format = cli::OutputFormat::jsonl, .show_keys = true}, shown)->sa(r);
    EXPECT_EQ(hidden.str().find("deadbeef"), std::string::npos) << hidden.str();
    EXPECT_NE(shown.str().find("deadbeef"), std::string::npos) << shown.str();
}

// The executor announces each dump (dump_starts); records outside one are `get` results.
TEST(Printers, JsonStartsTheNextDocumentWhenATableIsDumpedAgain) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    dump_sad(*p, {1});
    p->dump_starts(true);
    p->dumped(true);
    EXPECT_EQ(out.str().find('\n'), std::string::npos) << "the SPD joins the SAD's document";
    dump_sad(*p, {1, 2});
    p->finish();
    const std::string text = out.str();
    ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
    const std::string first = text.substr(0, text.find('\n'));
    EXPECT_NE(first.find("\"sp\":[]"), std::string::npos) << first;
    EXPECT_EQ(first.find("0x00000002"), std::string::npos) << first;
    EXPECT_NE(text.find("\"sp\":null"), std::string::npos) << "the second holds only the SAD";
}

TEST(Printers, JsonPutsGetResultsBesideADumpInADocumentOfTheirOwn) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    dump_sad(*p, {1});
    p->sa(sa(1)); // get
    p->finish();
    const std::string text = out.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
}

TEST(Printers, AnUnfinishedDumpIsLeftOutOfTheMetrics) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::prometheus, out);
    p->dump_starts(false);
    p->sa(sa(1)); // then the kernel refused the rest: no dumped()
    p->finish();
    EXPECT_EQ(out.str(), "");
}

// JSON streams: a dump refused before its first record leaves its table out; one
// broken off later keeps what was written (the exit status tells the dump failed).
TEST(Printers, JsonLeavesOutADumpRefusedBeforeItsFirstRecord) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    p->dump_starts(false);
    p->finish();
    EXPECT_EQ(out.str(), "");
    p->dump_starts(false);
    p->sa(sa(1));
    p->finish();
    const auto doc = nlohmann::json::parse(out.str());
    EXPECT_EQ(doc["sa"].size(), 1u) << out.str();
    EXPECT_TRUE(doc["sp"].is_null()) << out.str();
}

TEST(Printers, JsonWritesEachRecordAsItArrives) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    p->dump_starts(true);
    model::PolicyRecord policy;
    policy.id = 77;
    p->policy(policy);
    EXPECT_NE(out.str().find("\"index\":77"), std::string::npos) << "held back: " << out.str();
    p->dumped(true);
    p->finish();
    const auto doc = nlohmann::json::parse(out.str());
    EXPECT_TRUE(doc["sa"].is_null());
    EXPECT_EQ(doc["sp"].size(), 1u);
}

// A document lists the SAD before the SPD, so SAs after an SPD dump start the next one.
TEST(Printers, JsonListsSasAfterAnSpdDumpInTheNextDocument) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::json, out);
    p->dump_starts(true);
    p->dumped(true);
    dump_sad(*p, {1});
    p->finish();
    std::istringstream lines(out.str());
    std::vector<nlohmann::json> docs;
    for (std::string l; std::getline(lines, l);) docs.push_back(nlohmann::json::parse(l));
    ASSERT_EQ(docs.size(), 2u) << out.str();
    EXPECT_TRUE(docs[0]["sa"].is_null());
    EXPECT_TRUE(docs[0]["sp"].is_array());
    EXPECT_EQ(docs[1]["sa"].size(), 1u);
    EXPECT_TRUE(docs[1]["sp"].is_null());
}

TEST(Printers, PrometheusKeepsTheLastDumpOfEachTable) {
    std::ostringstream out;
    auto p = printer(cli::OutputFormat::prometheus, out);
    dump_sad(*p, {1});
    p->sa(sa(1)); // a get: the dump already counts it
    dump_sad(*p, {1, 2});
    p->finish();
    const std::string text = out.str();
    EXPECT_NE(text.find("setkey_sad_entries 2\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("# TYPE setkey_sad_entries"), text.rfind("# TYPE setkey_sad_entries")) << text;
    EXPECT_EQ(text.find("setkey_spd_entries"), std::string::npos) << text;
}

} // namespace
} // namespace setkey
