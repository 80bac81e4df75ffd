// docs/json-schema.md documents every field with the type the code emits; the man
// page is generated from it, so a field added without documentation fails here.
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/fields.hpp"
#include "output/prometheus.hpp"

namespace setkey::output {
namespace {

using namespace testing;

std::string schema_doc() {
    std::ifstream in(std::string(SETKEY_SOURCE_DIR) + "/docs/json-schema.md");
    EXPECT_TRUE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The markdown row "| `name` | type |" (a "|" inside a type is escaped as "\|").
std::string row(std::string_view name, std::string_view type) {
    std::string t;
    for (char c : type) t += c == '|' ? std::string("\\|") : std::string(1, c);
    return fmt::format("| `{}` | {} |", name, t);
}

TEST(SchemaDoc, EverySaFieldWithItsType) {
    auto doc = schema_doc();
    for (const auto& f : sa_fields()) EXPECT_NE(doc.find(row(f.name, f.type)), std::string::npos) << row(f.name, f.type);
}

TEST(SchemaDoc, EveryPolicyFieldWithItsType) {
    auto doc = schema_doc();
    for (const auto& f : policy_fields())
        EXPECT_NE(doc.find(row(f.name, f.type)), std::string::npos) << row(f.name, f.type);
}

TEST(SchemaDoc, EveryNestedKey) {
    auto doc = schema_doc();
    auto sa = small_esp_tunnel();
    sa.natt_type = 2;
    sa.ctx = model::SecurityContext{1, 1, "c"};
    auto rec = sa_object(sa, {});
    auto pol = policy_object(full_policy(), {});
    for (const auto* obj : {&rec["hard"], &rec["encap"], &rec["sec_ctx"], &pol["templates"][0]})
        for (const auto& [key, value] : obj->items())
            EXPECT_NE(doc.find("| `" + key + "` |"), std::string::npos) << key;
}

TEST(SchemaDoc, EveryPrometheusMetric) {
    auto doc = schema_doc();
    for (const auto& m : prometheus_sa_metrics())
        EXPECT_NE(doc.find(fmt::format("| `{}` | {} |", m.name, m.type)), std::string::npos) << m.name;
    for (auto name : {"setkey_sa_state", "setkey_sad_entries", "setkey_spd_entries"})
        EXPECT_NE(doc.find(fmt::format("| `{}` | gauge |", name)), std::string::npos) << name;
}

} // namespace
} // namespace setkey::output
