// Compact records copy the members of fields at their defaults from text made once
// (Field::at_default); pretty records write every field. The two must say the same
// thing for every record: a predicate that holds where its field would write
// something else shows here as a difference.
#include <gtest/gtest.h>

#include "output/fields.hpp"
#include "support/machine_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using json = nlohmann::ordered_json;

template <typename Record>
std::string written(const Record& r, bool pretty, bool show_keys) {
    std::string text;
    {
        JsonWriter w(text, pretty);
        write_record(w, r, {.show_keys = show_keys});
    }
    return text;
}

std::vector<model::SaRecord> sample_sad() {
    auto sad = machine_sad();
    sad.push_back(xfrm_marked_sa());
    sad.push_back(xfrm_every_attribute_sa());
    sad.push_back(model::SaRecord{});
    auto odd = small_esp_tunnel();
    odd.flags = 0x1; // a bit without a name: no name, but flags_raw says it
    odd.ctx = model::SecurityContext{1, 1, "ctx"};
    odd.current->use_time = static_cast<uint64_t>(kSmallAdded + 9);
    sad.push_back(odd);
    return sad;
}

std::vector<model::PolicyRecord> sample_spd() {
    auto spd = small_spd(1);
    spd.push_back(full_policy());
    spd.push_back(xfrm_marked_policy());
    spd.push_back(xfrm_every_attribute_policy());
    spd.push_back(model::PolicyRecord{});
    auto sockets = small_spd(2).front();
    sockets.id = 11; // a per-socket policy (index % 8 >= 3)
    sockets.raw_dir = 4;
    sockets.has_selector = false;
    auto& t = sockets.requests.emplace_back();
    t.proto = model::kProtoAh;
    t.reqid = 7;
    t.spi = 0x100;
    t.share = 2;
    t.dst = model::Endpoint{ip("192.0.2.9"), uint16_t{4500}};
    spd.push_back(sockets);
    auto limited = small_spd(3).front();
    limited.dst.port = 443;
    limited.soft = model::Lifetime{.bytes = 1000};
    spd.push_back(limited);
    return spd;
}

template <typename Record>
void expect_compact_matches_pretty(const std::vector<Record>& records) {
    for (bool show_keys : {false, true})
        for (size_t i = 0; i < records.size(); ++i)
            EXPECT_EQ(written(records[i], false, show_keys),
                      json::parse(written(records[i], true, show_keys)).dump(-1, ' ', false, json::error_handler_t::replace))
                << "record " << i << (show_keys ? " with keys" : "");
}

TEST(CompactDefaults, EverySaReadsTheSameCompactAndPretty) { expect_compact_matches_pretty(sample_sad()); }

TEST(CompactDefaults, EveryPolicyReadsTheSameCompactAndPretty) { expect_compact_matches_pretty(sample_spd()); }

// Each predicate is seen both ways in the samples above, so the comparison covers the
// copied text and the written one for every field that has one.
template <typename Record>
void expect_both_ways(std::span<const Field<Record>> fields, const std::vector<Record>& records) {
    for (const auto& f : fields) {
        if (!f.at_default) continue;
        EXPECT_FALSE(f.secret) << f.name;
        size_t held = 0;
        for (const auto& r : records) held += f.at_default(r);
        EXPECT_GT(held, 0u) << f.name << " is never at its default in the samples";
        EXPECT_LT(held, records.size()) << f.name << " is always at its default in the samples";
    }
}

TEST(CompactDefaults, TheSamplesHoldEveryFieldBothWays) {
    expect_both_ways(sa_fields(), sample_sad());
    expect_both_ways(policy_fields(), sample_spd());
}

} // namespace
} // namespace setkey::output
