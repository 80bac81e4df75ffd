// The json and jsonl formats for small.conf's kernel state, against reviewed goldens.
#include <sstream>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/json.hpp"

namespace setkey::output {
namespace {

using namespace testing;

MachineOptions small_options() { return {.time = kSmallAdded + 1, .backend = "pfkey"}; }

TEST(JsonGolden, DocumentOfSadAndSpd) {
    auto sad = machine_sad();
    auto spd = small_spd(319);
    auto o = small_options();
    o.pretty = true;
    auto text = json_document(std::span<const model::SaRecord>(sad), std::span<const model::PolicyRecord>(spd), o);
    EXPECT_EQ(text, read_golden("small.json"));
    auto doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc["sa"].size(), sad.size());
    EXPECT_EQ(doc["sp"].size(), spd.size());
}

TEST(JsonGolden, TablesNotDumpedAreNullEmptyOnesAreArrays) {
    std::vector<model::SaRecord> none;
    auto doc = nlohmann::json::parse(json_document(std::span<const model::SaRecord>(none), std::nullopt, small_options()));
    EXPECT_EQ(doc["schema"], "setkey.dump/2");
    EXPECT_EQ(doc["time"], kSmallAdded + 1);
    EXPECT_EQ(doc["backend"], "pfkey");
    EXPECT_TRUE(doc["sa"].is_array());
    EXPECT_TRUE(doc["sa"].empty());
    EXPECT_TRUE(doc["sp"].is_null());
}

TEST(JsonlGolden, OneLinePerRecord) {
    std::ostringstream out;
    JsonlWriter w(out, small_options());
    for (const auto& sa : machine_sad()) w.write(sa);
    for (const auto& p : small_spd(319)) w.write(p);
    EXPECT_EQ(out.str(), read_golden("small.jsonl"));
}

} // namespace
} // namespace setkey::output
