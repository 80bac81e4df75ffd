// Real output through a real validator (validate_json.py, Debian's python3-jsonschema):
// the reviewed goldens, and the printers' output for the records decoded from recorded
// kernel replies (tests/golden/xfrm); then records with a field missing, extra or of
// the wrong type must fail. Skipped, visibly, without python3-jsonschema.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/event.hpp"
#include "output/json.hpp"
#include "support/schema_validator.hpp"
#include "xfrm/codec.hpp"

namespace setkey::output {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using schema_test::validate_against;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Recorded {
    std::vector<model::SaRecord> sas;
    std::vector<model::PolicyRecord> policies;
};

// Every SA and policy of tests/golden/xfrm, decoded as the XFRM backend decodes them.
Recorded recorded_xfrm_replies() {
    Recorded r;
    for (const auto& entry : fs::directory_iterator(fs::path(SETKEY_GOLDEN_DIR) / "xfrm")) {
        if (entry.path().extension() != ".nlmsg") continue;
        const std::string bytes = slurp(entry.path());
        const auto d = xfrm::decode_message(std::vector<uint8_t>(bytes.begin(), bytes.end()));
        if (const auto* sa = std::get_if<model::SaRecord>(&d.body)) r.sas.push_back(*sa);
        if (const auto* p = std::get_if<model::PolicyRecord>(&d.body)) r.policies.push_back(*p);
    }
    return r;
}

struct SchemaValidation : ::testing::Test {
    void SetUp() override { SETKEY_NEED_SCHEMA_VALIDATOR(); }
    static void expect_valid(const std::string& schema, const std::string& text) {
        const auto v = validate_against(schema, text);
        EXPECT_TRUE(v.valid) << schema << ":\n" << v.why << text.substr(0, 2000);
    }
    static void expect_invalid(const std::string& schema, const std::string& text, const std::string& why) {
        const auto v = validate_against(schema, text);
        EXPECT_FALSE(v.valid) << schema << " accepted: " << text;
        EXPECT_NE(v.why.find(why), std::string::npos) << v.why;
    }
};

TEST_F(SchemaValidation, Goldens) {
    expect_valid("dump.schema.json", slurp(fs::path(SETKEY_GOLDEN_DIR) / "output/small.json"));
    expect_valid("record.schema.json", slurp(fs::path(SETKEY_GOLDEN_DIR) / "output/small.jsonl"));
}

TEST_F(SchemaValidation, RecordedKernelRepliesInEveryFormat) {
    const Recorded r = recorded_xfrm_replies();
    ASSERT_EQ(r.sas.size(), 10u);
    ASSERT_EQ(r.policies.size(), 3u);
    for (bool keys : {false, true}) {
        SCOPED_TRACE(keys ? "show keys" : "keys hidden");
        const MachineOptions o{.record = {.show_keys = keys}, .time = 1800000000, .backend = "xfrm"};
        std::string docs = json_document(std::span<const model::SaRecord>(r.sas),
                                         std::span<const model::PolicyRecord>(r.policies), o);
        docs += json_document(std::nullopt, std::span<const model::PolicyRecord>(r.policies), o);
        expect_valid("dump.schema.json", docs);

        std::ostringstream lines;
        JsonlWriter w(lines, o);
        for (const auto& sa : r.sas) w.write(sa);
        for (const auto& p : r.policies) w.write(p);
        expect_valid("record.schema.json", lines.str());

        std::string events;
        for (const auto& sa : r.sas)
            for (auto kind : {EventKind::add, EventKind::expire_hard})
                events += event_json({kind, 1800000000.25, std::nullopt, sa, std::nullopt}, "xfrm", o.record) + "\n";
        for (const auto& p : r.policies)
            events += event_json({EventKind::spdadd, 1800000000.5, std::nullopt, std::nullopt, p}, "pfkey", o.record) + "\n";
        events += event_json({EventKind::acquire, 1.0, std::nullopt, r.sas.front(), r.policies.front()}, "xfrm", o.record) + "\n";
        events += event_json({EventKind::flush, 2.0, model::SaType::esp, std::nullopt, std::nullopt}, "xfrm", o.record) + "\n";
        events += event_json({EventKind::flush, 2.0, std::nullopt, std::nullopt, std::nullopt}, "pfkey", o.record) + "\n";
        events += event_json({EventKind::spdflush, 3.0, std::nullopt, std::nullopt, std::nullopt}, "xfrm", o.record) + "\n";
        expect_valid("event.schema.json", events);
    }
}

TEST_F(SchemaValidation, TestRecordsWithEveryOptionalPart) {
    auto sad = testing::machine_sad();
    sad.push_back(testing::xfrm_marked_sa());
    sad.push_back(testing::xfrm_every_attribute_sa());
    const std::vector<model::PolicyRecord> spd{testing::full_policy(), testing::xfrm_marked_policy(),
                                               testing::xfrm_every_attribute_policy()};
    const MachineOptions o{.record = {.show_keys = true}, .time = 1, .backend = "pfkey"};
    expect_valid("dump.schema.json", json_document(std::span<const model::SaRecord>(sad),
                                                   std::span<const model::PolicyRecord>(spd), o));
}

// One real jsonl line of each kind, to break.
json sa_line() {
    std::ostringstream out;
    JsonlWriter(out, {.time = 1, .backend = "xfrm"}).write(recorded_xfrm_replies().sas.front());
    return json::parse(out.str());
}
json sp_line() {
    std::ostringstream out;
    JsonlWriter(out, {.time = 1, .backend = "xfrm"}).write(testing::full_policy());
    return json::parse(out.str());
}

TEST_F(SchemaValidation, TheUnbrokenLinesPass) {
    expect_valid("record.schema.json", sa_line().dump() + "\n" + sp_line().dump());
}

TEST_F(SchemaValidation, AMissingFieldFails) {
    json sa = sa_line();
    sa.erase("spi");
    expect_invalid("record.schema.json", sa.dump(), "'spi' is a required property");
    json sp = sp_line();
    sp.erase("priority");
    expect_invalid("record.schema.json", sp.dump(), "'priority' is a required property");
    json nested = sa_line();
    nested["hard"].erase("bytes");
    expect_invalid("record.schema.json", nested.dump(), "'bytes' is a required property");
    json doc = json::parse(json_document(std::span<const model::SaRecord>(recorded_xfrm_replies().sas),
                                         std::nullopt, {.time = 1, .backend = "xfrm"}));
    doc["sa"][3].erase("state");
    expect_invalid("dump.schema.json", doc.dump(), "'state' is a required property");
    doc = json::parse(json_document(std::nullopt, std::nullopt, {.time = 1, .backend = "xfrm"}));
    doc.erase("sp");
    expect_invalid("dump.schema.json", doc.dump(), "'sp' is a required property");
}

TEST_F(SchemaValidation, AnExtraFieldFails) {
    json sa = sa_line();
    sa["spi_dec"] = 1;
    expect_invalid("record.schema.json", sa.dump(), "'spi_dec' was unexpected");
    json sp = sp_line();
    sp["templates"][0]["ports"] = json::array();
    expect_invalid("record.schema.json", sp.dump(), "'ports' was unexpected");
    json event = json::parse(event_json({EventKind::add, 1.0, std::nullopt, recorded_xfrm_replies().sas.front(),
                                         std::nullopt},
                                        "xfrm", {}));
    event["sa"]["note"] = "x";
    expect_invalid("event.schema.json", event.dump(), "'note' was unexpected");
}

TEST_F(SchemaValidation, WrongTypesAndHalfTheKeysFail) {
    json sa = sa_line();
    sa["spi"] = "0x1";
    expect_invalid("record.schema.json", sa.dump(), "is not of type 'integer'");
    json keys = sa_line();
    keys["enc_key"] = "00";
    expect_invalid("record.schema.json", keys.dump(), "'auth_key' is a dependency of 'enc_key'");
    json flush = json::parse(event_json({EventKind::flush, 1.0, std::nullopt, std::nullopt, std::nullopt}, "xfrm", {}));
    flush.erase("satype");
    expect_invalid("event.schema.json", flush.dump(), "'satype' is a required property");
    json add = json::parse(event_json({EventKind::spdflush, 1.0, std::nullopt, std::nullopt, std::nullopt}, "xfrm", {}));
    add["satype"] = nullptr;
    expect_invalid("event.schema.json", add.dump(), "should not be valid");
}

} // namespace
} // namespace setkey::output
