// Machine records: the same keys on every record, field names from the one table,
// no sentinels, and no exceptions on what the kernel may send.
#include <algorithm>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/fields.hpp"
#include "output/json.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using json = nlohmann::ordered_json;

std::vector<std::string> keys_of(const json& j) {
    std::vector<std::string> out;
    for (const auto& [k, v] : j.items()) out.push_back(k);
    return out;
}

std::vector<model::SaRecord> varied_sad() {
    auto sad = machine_sad();
    model::SaRecord bare; // nothing optional reported
    bare.has_sa2 = false;
    sad.push_back(bare);
    auto with_ctx = small_esp_tunnel();
    with_ctx.ctx = model::SecurityContext{1, 1, "ctx"};
    with_ctx.natt_type = 1;
    with_ctx.natt_oa = ip("192.168.0.1");
    sad.push_back(with_ctx);
    return sad;
}

TEST(RecordShape, EverySaHasTheSameKeysInTableOrder) {
    for (bool show_keys : {false, true}) {
        std::vector<std::string> want;
        for (const auto& f : sa_fields())
            if (!f.secret || show_keys) want.emplace_back(f.name);
        for (const auto& sa : varied_sad()) {
            auto rec = sa_object(sa, {.show_keys = show_keys});
            EXPECT_EQ(keys_of(rec), want);
            EXPECT_EQ(keys_of(rec["hard"]), keys_of(rec["soft"]));
        }
    }
}

TEST(RecordShape, EveryPolicyHasTheSameKeys) {
    std::vector<std::string> want;
    for (const auto& f : policy_fields()) want.emplace_back(f.name);
    auto spd = small_spd(1);
    spd.push_back(full_policy());
    model::PolicyRecord bare;
    bare.has_selector = false;
    spd.push_back(bare);
    for (const auto& p : spd) EXPECT_EQ(keys_of(policy_object(p, {.show_keys = true})), want);
}

TEST(RecordShape, ZeroLimitsAndNeverAreNullCountersStayNumbers) {
    auto rec = sa_object(small_esp_tunnel(), {});
    EXPECT_TRUE(rec["use_time"].is_null());
    EXPECT_TRUE(rec["hard"]["add_seconds"].is_null());
    EXPECT_TRUE(rec["soft"]["bytes"].is_null());
    EXPECT_EQ(rec["bytes"], 0);
    EXPECT_EQ(rec["add_time"], kSmallAdded);
    auto ah = sa_object(small_ah_with_lifetimes(), {});
    EXPECT_EQ(ah["hard"]["add_seconds"], 3600);
    EXPECT_EQ(ah["soft"]["bytes"], 80000);
    EXPECT_EQ(ah["use_time"], kSmallAdded + 10);
}

TEST(RecordShape, XfrmAeadFieldsAndStatistics) {
    auto rec = sa_object(xfrm_aead_sa(), {});
    EXPECT_TRUE(rec["enc_alg"].is_null());
    EXPECT_EQ(rec["aead_alg"], "aes-gcm-16");
    EXPECT_EQ(rec["enc_key_bits"], 160);
    EXPECT_EQ(rec["icv_bits"], 128);
    EXPECT_EQ(rec["packets"], 12);
    EXPECT_EQ(rec["hard"]["packets"], 1000000);
    EXPECT_EQ(rec["replay_errors"], 1);
    EXPECT_EQ(rec["integrity_failures"], 0);
    EXPECT_EQ(rec["flags"], json::array({"esn"}));
}

TEST(RecordShape, UnknownAlgorithmsKeepTheKernelsIdentity) {
    auto sa = small_esp_tunnel();
    sa.enc.alg = nullptr;
    sa.enc.pfkey_id = 4;
    sa.auth.alg = nullptr;
    sa.auth.pfkey_id = 0;
    sa.auth.kernel_name = "hmac(sm3)";
    auto rec = sa_object(sa, {});
    EXPECT_EQ(rec["enc_alg"], "#4");
    EXPECT_EQ(rec["auth_alg"], "hmac(sm3)");
}

TEST(RecordShape, Uint64CountersAreExact) {
    auto sa = small_esp_tunnel();
    sa.current->bytes = UINT64_MAX;
    auto text = to_json_text(sa_object(sa, {}));
    EXPECT_NE(text.find("\"bytes\":18446744073709551615"), std::string::npos);
}

TEST(RecordShape, InvalidUtf8FromTheKernelDoesNotThrow) {
    auto p = full_policy();
    p.ctx->context = std::string("u:r:\xff\xfe:s0");
    std::string text;
    ASSERT_NO_THROW(text = to_json_text(policy_object(p, {})));
    EXPECT_NE(text.find("u:r:\xEF\xBF\xBD"), std::string::npos); // U+FFFD
    EXPECT_TRUE(nlohmann::json::accept(text)); // still valid JSON
}

// An unlimited block is copied ready-made: any one limit set must still be written.
TEST(RecordShape, EachLimitAloneIsWrittenAndNoLimitIsAllNulls) {
    const std::pair<uint64_t model::Lifetime::*, std::vector<std::string>> kLimits[] = {
        {&model::Lifetime::bytes, {"bytes"}},
        {&model::Lifetime::packets, {"packets", "allocations"}},
        {&model::Lifetime::add_time, {"add_seconds"}},
        {&model::Lifetime::use_time, {"use_seconds"}},
    };
    for (const auto& [member, names] : kLimits) {
        model::PolicyRecord p = small_spd(1)[0];
        p.hard = model::Lifetime{};
        (*p.hard).*member = 7;
        const json hard = policy_object(p, {})["hard"];
        for (const auto& [k, v] : hard.items()) {
            const bool set = std::find(names.begin(), names.end(), k) != names.end();
            EXPECT_EQ(v, set ? json(7) : json(nullptr)) << k;
        }
    }
    model::PolicyRecord none = small_spd(1)[0];
    none.hard.reset();
    none.soft = model::Lifetime{};
    for (const char* block : {"hard", "soft"}) {
        const json limits = policy_object(none, {})[block];
        EXPECT_EQ(keys_of(limits), (std::vector<std::string>{"bytes", "packets", "allocations", "add_seconds", "use_seconds"}));
        for (const auto& [k, v] : limits.items()) EXPECT_TRUE(v.is_null()) << block << '.' << k;
    }
}

TEST(RecordShape, PolicySelectorsTemplatesAndPerSocket) {
    auto rec = policy_object(full_policy(), {});
    EXPECT_EQ(rec["id"], "out/1");
    EXPECT_EQ(rec["src"], "10.1.0.0/16");
    EXPECT_EQ(rec["upperspec"], "any");
    EXPECT_EQ(rec["templates"][0]["src_port"], 4500);
    EXPECT_EQ(rec["templates"][0]["level"], "unique");
    EXPECT_EQ(rec["sec_ctx"]["ctx"], "system_u:object_r:ipsec_spd_t:s0");
    auto icmp = policy_object(small_spd(1)[1], {});
    EXPECT_EQ(icmp["upperspec"], "ipv6-icmp");
    EXPECT_EQ(icmp["src_port"], 135);
    EXPECT_TRUE(icmp["dst_port"].is_null());
    // ICMP type 0 (echo reply): port 0 with the mask of one port, not any.
    auto echo_reply = small_spd(1)[1];
    echo_reply.src.port = 0;
    echo_reply.xfrm.src_port_mask = 0xffff;
    EXPECT_EQ(policy_object(echo_reply, {})["src_port"], 0);
    echo_reply.xfrm.src_port_mask.reset();
    EXPECT_TRUE(policy_object(echo_reply, {})["src_port"].is_null());
    auto sock = small_spd(1)[0];
    sock.id = 11;
    sock.raw_dir = 4;
    auto s = policy_object(sock, {});
    EXPECT_EQ(s["per_socket"], true);
    EXPECT_EQ(s["dir"], "in");
}

} // namespace
} // namespace setkey::output
