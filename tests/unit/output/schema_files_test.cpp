// docs/schema/*.schema.json are what schema_generator.cpp makes of output/fields.cpp,
// and the generator's own lists (nested members, envelope keys) are what the printers
// really build. After a deliberate format change:
//   SETKEY_UPDATE_GOLDEN=1 build/tests/test_output --gtest_filter='SchemaFiles.*'
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/event.hpp"
#include "output/json.hpp"
#include "schema_generator.hpp"
#include "support/schema_validator.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> keys_of(const json& object) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : object.items()) keys.push_back(k);
    return keys;
}

std::vector<std::string> names_of(std::span<const schema::Member> members) {
    std::vector<std::string> names;
    for (const auto& m : members) names.emplace_back(m.name);
    return names;
}

TEST(SchemaFiles, CommittedFilesAreWhatFieldsCppGives) {
    const bool update = std::getenv("SETKEY_UPDATE_GOLDEN") != nullptr;
    for (const auto& f : schema::schema_files()) {
        const std::string path = schema_test::schema_file(f.name), text = schema::schema_text(f.body);
        if (update) std::ofstream(path, std::ios::binary) << text;
        EXPECT_EQ(slurp(path), text) << path << " is stale: regenerate with SETKEY_UPDATE_GOLDEN=1 "
                                     << "(CONTRIBUTING.md)";
    }
}

TEST(SchemaFiles, RecordsAreClosed) {
    const json dump = schema::dump_schema();
    for (const char* def : {"sa", "policy", "limits", "encap", "sec_ctx", "template"}) {
        SCOPED_TRACE(def);
        const json& d = dump["$defs"][def];
        EXPECT_EQ(d["additionalProperties"], false);
        EXPECT_FALSE(d["required"].empty());
    }
    std::vector<std::string> required;
    for (const auto& f : sa_fields())
        if (!f.secret) required.emplace_back(f.name);
    EXPECT_EQ(dump["$defs"]["sa"]["required"].get<std::vector<std::string>>(), required);
}

// The nested objects of a record with every optional part present.
TEST(SchemaFiles, NestedMembersAreWhatThePrintersBuild) {
    auto sa = testing::small_esp_tunnel();
    sa.natt_type = 2;
    sa.ctx = model::SecurityContext{1, 1, "c"};
    const json rec = sa_object(sa, {});
    const json pol = policy_object(testing::full_policy(), {});
    EXPECT_EQ(keys_of(rec["hard"]), names_of(schema::limit_members()));
    EXPECT_EQ(keys_of(rec["soft"]), names_of(schema::limit_members()));
    EXPECT_EQ(keys_of(rec["encap"]), names_of(schema::encap_members()));
    EXPECT_EQ(keys_of(rec["sec_ctx"]), names_of(schema::sec_ctx_members()));
    EXPECT_EQ(keys_of(pol["hard"]), names_of(schema::limit_members()));
    EXPECT_EQ(keys_of(pol["sec_ctx"]), names_of(schema::sec_ctx_members()));
    ASSERT_FALSE(pol["templates"].empty());
    EXPECT_EQ(keys_of(pol["templates"][0]), names_of(schema::template_members()));
    const json x = sa_object(testing::xfrm_every_attribute_sa(), {});
    const json xp = policy_object(testing::xfrm_every_attribute_policy(), {});
    EXPECT_EQ(keys_of(x["mark"]), names_of(schema::mark_members()));
    EXPECT_EQ(keys_of(x["output_mark"]), names_of(schema::mark_members()));
    EXPECT_EQ(keys_of(xp["mark"]), names_of(schema::mark_members()));
    EXPECT_EQ(keys_of(x["selector"]), names_of(schema::sa_selector_members()));
    EXPECT_EQ(keys_of(x["replay_state"]), names_of(schema::replay_state_members()));
    EXPECT_EQ(keys_of(sa_object(testing::xfrm_marked_sa(), {})["replay_state"]),
              names_of(schema::replay_state_members()));
    EXPECT_EQ(keys_of(x["offload"]), names_of(schema::offload_members()));
    ASSERT_FALSE(x["unknown_attributes"].empty());
    EXPECT_EQ(keys_of(x["unknown_attributes"][0]), names_of(schema::raw_attribute_members()));
    ASSERT_FALSE(xp["unknown_attributes"].empty());
    EXPECT_EQ(keys_of(xp["unknown_attributes"][0]), names_of(schema::raw_attribute_members()));
}

TEST(SchemaFiles, NestedMembersAreDocumentedWithTheirTypes) {
    const std::string doc = slurp(std::string(SETKEY_SOURCE_DIR) + "/docs/json-schema.md");
    for (auto list : {schema::limit_members(), schema::encap_members(), schema::sec_ctx_members(),
                      schema::template_members(), schema::mark_members(), schema::sa_selector_members(),
                      schema::replay_state_members(), schema::offload_members(),
                      schema::raw_attribute_members()})
        for (const auto& m : list) {
            std::string type;
            for (char c : m.type) type += c == '|' ? std::string("\\|") : std::string(1, c);
            const std::string row = fmt::format("| `{}` | {} |", m.name, type);
            EXPECT_NE(doc.find(row), std::string::npos) << row;
        }
}

TEST(SchemaFiles, EnvelopesAreWhatThePrintersBuild) {
    const auto sad = testing::machine_sad();
    const MachineOptions o{.time = 1, .backend = "xfrm"};
    EXPECT_EQ(keys_of(json::parse(json_document(std::span<const model::SaRecord>(sad), std::nullopt, o))),
              schema::dump_keys());

    std::ostringstream line;
    JsonlWriter(line, o).write(sad.front());
    auto keys = keys_of(json::parse(line.str()));
    keys.resize(schema::line_keys().size());
    EXPECT_EQ(keys, schema::line_keys());

    const Event flush{EventKind::flush, 1.5, model::SaType::esp, std::nullopt, std::nullopt};
    EXPECT_EQ(keys_of(json::parse(event_json(flush, "xfrm", {}))), schema::event_keys("satype"));
    const Event add{EventKind::add, 1.5, std::nullopt, sad.front(), std::nullopt};
    EXPECT_EQ(keys_of(json::parse(event_json(add, "xfrm", {}))), schema::event_keys(""));
    const Event spdexpire{.kind = EventKind::spdexpire, .time = 1.5, .hard = true};
    EXPECT_EQ(keys_of(json::parse(event_json(spdexpire, "xfrm", {}))), schema::event_keys("hard"));
    const Event spdflush{.kind = EventKind::spdflush, .time = 1.5, .ptype = 1};
    EXPECT_EQ(keys_of(json::parse(event_json(spdflush, "xfrm", {}))), schema::event_keys("ptype"));
    EXPECT_EQ(json::parse(event_json(spdflush, "xfrm", {}))["ptype"], "sub");
}

TEST(SchemaFiles, TheSchemasAreValidDraft202012) {
    SETKEY_NEED_SCHEMA_VALIDATOR();
    // The validator checks each schema (check_schema) before it validates anything.
    const std::string probe = schema_test::schema_python() +
                              " -c 'import json,sys; from jsonschema import Draft202012Validator as V; "
                              "[V.check_schema(json.load(open(p))) for p in sys.argv[1:]]'";
    std::string cmd = probe;
    for (const auto& f : schema::schema_files()) cmd += " '" + schema_test::schema_file(f.name) + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

} // namespace
} // namespace setkey::output
