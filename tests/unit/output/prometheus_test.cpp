// Prometheus exposition: golden text, textfile-collector rules, and agreement with the
// record fields JSON prints.
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/fields.hpp"
#include "output/prometheus.hpp"

namespace setkey::output {
namespace {

using namespace testing;

std::string small_prom() {
    auto sad = machine_sad();
    auto spd = small_spd(319);
    return prometheus_text(sad, std::span<const model::PolicyRecord>(spd));
}

TEST(Prometheus, GoldenExposition) { EXPECT_EQ(small_prom(), read_golden("small.prom")); }

TEST(Prometheus, EveryFamilyHasHelpAndTypeAndNoSampleHasATimestamp) {
    std::istringstream in(small_prom());
    std::set<std::string> help, type, sampled;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("# HELP ", 0) == 0) {
            help.insert(line.substr(7, line.find(' ', 7) - 7));
        } else if (line.rfind("# TYPE ", 0) == 0) {
            type.insert(line.substr(7, line.find(' ', 7) - 7));
        } else {
            // name{labels} value: label values here contain no spaces, so exactly one
            // space separates the value and nothing (no timestamp) follows it.
            ASSERT_EQ(std::count(line.begin(), line.end(), ' '), 1) << line;
            sampled.insert(line.substr(0, line.find_first_of("{ ")));
        }
    }
    EXPECT_EQ(help, type);
    for (const auto& name : sampled) EXPECT_TRUE(help.count(name)) << name;
}

TEST(Prometheus, MetricsReadFieldsOfTheRecordTable) {
    std::set<std::string, std::less<>> top, limits;
    for (const auto& f : sa_fields()) top.emplace(f.name);
    const auto rec = sa_object(small_esp_tunnel(), {});
    for (const auto& [key, value] : rec["hard"].items()) limits.insert(key);
    for (const auto& m : prometheus_sa_metrics()) {
        if (m.limits)
            EXPECT_TRUE(limits.count(m.field)) << m.name;
        else
            EXPECT_TRUE(top.count(m.field)) << m.name;
    }
}

TEST(Prometheus, ScopedAddressLabelAndNoSpdFamilyWithoutPolicies) {
    auto sa = small_esp_tunnel();
    sa.src = ip("fe80::1");
    sa.src.scope_id = 999999; // no such interface: printed as %999999
    auto text = prometheus_text(std::vector<model::SaRecord>{sa}, std::nullopt);
    EXPECT_NE(text.find("src=\"fe80::1%999999\""), std::string::npos);
    EXPECT_EQ(text.find("setkey_spd_entries"), std::string::npos);
}

// Families per table: the SAD's only when the SAD was given, the SPD's only when the
// SPD was; `get` results (SaSource::get) are SAs, not a count of the SAD.
TEST(Prometheus, FamiliesOnlyForTheTablesGiven) {
    const auto spd = small_spd(319);
    const std::string spd_only = prometheus_text(std::nullopt, std::span<const model::PolicyRecord>(spd));
    EXPECT_EQ(spd_only.find("setkey_sa"), std::string::npos) << spd_only;
    EXPECT_NE(spd_only.find("setkey_spd_entries{dir=\"out\"} 3\n"), std::string::npos) << spd_only;
    EXPECT_EQ(prometheus_text(std::nullopt, std::nullopt), "");
    const std::string got = prometheus_text(machine_sad(), std::nullopt, SaSource::get);
    EXPECT_NE(got.find("setkey_sa_state{"), std::string::npos);
    EXPECT_EQ(got.find("setkey_sad_entries"), std::string::npos) << got;
}

TEST(Prometheus, EmptyTablesAndDirectionsHaveAZeroSample) {
    auto spd = small_spd(319);
    std::erase_if(spd, [](const model::PolicyRecord& p) { return p.dir != model::Direction::out; });
    const std::string text =
        prometheus_text(std::vector<model::SaRecord>{}, std::span<const model::PolicyRecord>(spd));
    EXPECT_NE(text.find("\nsetkey_sad_entries 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("setkey_spd_entries{dir=\"in\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("setkey_spd_entries{dir=\"fwd\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("setkey_spd_entries{dir=\"out\"} 3\n"), std::string::npos) << text;
}

} // namespace
} // namespace setkey::output
