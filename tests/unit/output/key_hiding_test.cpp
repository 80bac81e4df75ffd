// Key material appears in machine output only when asked for (dumps get shipped to
// monitoring), and then on every SA record.
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/json.hpp"
#include "output/prometheus.hpp"

namespace setkey::output {
namespace {

using namespace testing;

std::vector<std::string> key_hexes(const std::vector<model::SaRecord>& sad) {
    std::vector<std::string> out;
    for (const auto& sa : sad)
        for (const auto* ref : {&sa.enc, &sa.auth})
            if (ref->key) {
                std::string h;
                for (auto b : *ref->key) h += fmt::format("{:02x}", b);
                // Any 8-byte window of the key is enough to leak it.
                out.push_back(h.substr(0, 16));
            }
    return out;
}

std::string all_machine_formats(const std::vector<model::SaRecord>& sad, bool show_keys) {
    MachineOptions o{.record = {.show_keys = show_keys}, .time = 1, .backend = "pfkey"};
    std::string text = json_document(std::span<const model::SaRecord>(sad), std::nullopt, o);
    std::ostringstream jsonl;
    JsonlWriter w(jsonl, o);
    for (const auto& sa : sad) w.write(sa);
    return text + jsonl.str() + prometheus_text(sad, std::nullopt);
}

TEST(KeyHiding, NoKeyBytesWithoutShowKeys) {
    auto sad = machine_sad();
    auto keys = key_hexes(sad);
    ASSERT_EQ(keys.size(), 8u);
    auto text = all_machine_formats(sad, false);
    for (const auto& k : keys) EXPECT_EQ(text.find(k), std::string::npos) << k;
    EXPECT_EQ(text.find("enc_key\""), std::string::npos);
    EXPECT_EQ(text.find("auth_key\""), std::string::npos);
}

TEST(KeyHiding, ShowKeysAddsHexKeysToEveryRecord) {
    auto sad = machine_sad();
    auto text = all_machine_formats(sad, true);
    for (const auto& k : key_hexes(sad)) EXPECT_NE(text.find(k), std::string::npos) << k;
    auto prom = prometheus_text(sad, std::nullopt);
    for (const auto& k : key_hexes(sad)) EXPECT_EQ(prom.find(k), std::string::npos) << k;

    auto ipcomp = sa_object(small_ipcomp(), {.show_keys = true});
    EXPECT_TRUE(ipcomp["enc_key"].is_null());
    EXPECT_TRUE(ipcomp["auth_key"].is_null());
    auto tunnel = sa_object(small_esp_tunnel(), {.show_keys = true});
    EXPECT_EQ(tunnel["enc_key"], "00112233445566778899aabbccddeeff");
    EXPECT_EQ(tunnel["auth_key"], "00112233445566778899aabbccddeeff00112233");
}

} // namespace
} // namespace setkey::output
