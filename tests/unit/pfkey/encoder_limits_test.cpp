// The encoders refuse a length PF_KEY cannot say instead of wrapping it (issue 8 item 1):
// sadb_ext_len and sadb_msg_len are 16-bit counts of 8-byte words, sadb_key_bits and
// sadb_x_ctx_len 16-bit counts. Before, each of these wrapped and the kernel read
// another message. The backend turns the refusal into a failed command, nothing sent.
#include <gtest/gtest.h>

#include <cerrno>

#include "pfkey/backend.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"

namespace setkey::pfkey {
namespace {

constexpr RequestId kId{4242, 1};

model::IpAddress ip(const char* text) { return *model::IpAddress::parse(text); }

// spdadd between two IPv6 hosts with `count` IPv6 tunnel requests (72 bytes each).
model::SpdEntry policy_with_requests(size_t count) {
    model::SpdEntry e;
    e.src = {ip("2001:db8::1"), 128, 0};
    e.dst = {ip("2001:db8::2"), 128, 0};
    e.policy.action = model::Action::ipsec;
    model::IpsecRequest r;
    r.mode = model::Mode::tunnel;
    r.level = model::Level::require;
    r.src = model::Endpoint{ip("2001:db8::a"), std::nullopt};
    r.dst = model::Endpoint{ip("2001:db8::b"), std::nullopt};
    e.policy.requests.assign(count, r);
    return e;
}

model::AddSa esp_sa() {
    model::AddSa a;
    a.key.src.addr = ip("10.0.0.1");
    a.key.dst.addr = ip("10.0.0.2");
    a.key.spi = 0x1000;
    a.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"), std::vector<uint8_t>(16, 1)};
    return a;
}

uint16_t length_words(const Bytes& m) { return static_cast<uint16_t>(m[4] | m[5] << 8); }

TEST(EncoderLimits, TheLongestMessageStillEncodes) {
    // 16 + (16 + 7280 x 72) + 2 x 24 = 524,240 bytes, within 65,535 x 8 = 524,280.
    model::SpdEntry e = policy_with_requests(7280);
    e.src.addr = e.dst.addr = ip("10.0.0.1");
    const Bytes m = encode_policy(e, kId);
    EXPECT_EQ(size_t{length_words(m)} * 8, m.size());
}

TEST(EncoderLimits, AnXPolicyBeyondSixtyFiveThousandWordsIsRefused) {
    EXPECT_THROW(encode_policy(policy_with_requests(7282), kId), std::runtime_error);
}

TEST(EncoderLimits, AMessageBeyondSixtyFiveThousandWordsIsRefused) {
    // X_POLICY fits (16 + 7281 x 72 = 524,248 bytes); with the header and two IPv6
    // addresses the message does not.
    EXPECT_THROW(encode_policy(policy_with_requests(7281), kId), std::runtime_error);
}

TEST(EncoderLimits, ASecurityContextBeyondSixteenBitsIsRefused) {
    model::SpdEntry e = policy_with_requests(1);
    e.ctx = model::SecurityContext{1, 1, std::string(70000, 'x')};
    EXPECT_THROW(encode_policy(e, kId), std::runtime_error);
    model::AddSa sa = esp_sa();
    sa.ctx = e.ctx;
    EXPECT_THROW(encode_add_sa(sa, kId), std::runtime_error);
}

TEST(EncoderLimits, AKeyBeyondSixtyFiveThousandBitsIsRefused) {
    model::AddSa sa = esp_sa();
    sa.enc->key.assign(8192, 0xa5); // 65,536 bits: sadb_key_bits would say 0
    EXPECT_THROW(encode_add_sa(sa, kId), std::runtime_error);
}

TEST(EncoderLimits, AReplayWindowBeyondEightBitsIsRefused) {
    model::AddSa sa = esp_sa();
    sa.replay = 256;
    EXPECT_THROW(encode_add_sa(sa, kId), std::runtime_error);
}

// -x over XFRM: a kernel SA may hold a key PF_KEY cannot carry (XFRM counts key bits
// in 32 bits), and a record may have more requests than X_POLICY can say.
TEST(EncoderLimits, NotificationsPfkeyCannotCarryAreRefused) {
    model::SaRecord sa;
    sa.satype = model::SaType::esp;
    sa.raw_satype = 3;
    sa.src = ip("10.0.0.1");
    sa.dst = ip("10.0.0.2");
    sa.auth.key = std::vector<uint8_t>(9000, 0xa5);
    sa.auth.key_bits = static_cast<uint16_t>(9000 * 8); // the decoder's 16-bit field, wrapped
    EXPECT_THROW(encode_sa_notify(MsgType::add, sa, kSaChangeLayout, std::nullopt, kId), std::runtime_error);

    model::PolicyRecord p;
    p.src = {ip("2001:db8::1"), 128, 0};
    p.dst = {ip("2001:db8::2"), 128, 0};
    p.requests = policy_with_requests(7282).policy.requests;
    EXPECT_THROW(encode_policy_notify(MsgType::spdadd, p, kId), std::runtime_error);
}

// Records what is sent; answers nothing.
class SilentKernel final : public Transport {
public:
    std::vector<Bytes>* sent;
    explicit SilentKernel(std::vector<Bytes>* log) : sent(log) {}
    int send(std::span<const uint8_t> m) override {
        sent->emplace_back(m.begin(), m.end());
        return 0;
    }
    std::optional<std::span<const uint8_t>> receive(int, int& error) override {
        error = 0;
        return std::nullopt;
    }
};

TEST(EncoderLimits, TheBackendFailsTheCommandAndSendsNothing) {
    std::vector<Bytes> sent;
    PfkeyOptions o;
    o.register_at_open = false;
    o.reply_timeout_ms = 10;
    PfkeyBackend backend(std::make_unique<SilentKernel>(&sent), o);
    const model::OpResult r = backend.policy(policy_with_requests(7282));
    EXPECT_EQ(r.error, EMSGSIZE) << r.detail;
    model::AddSa sa = esp_sa();
    sa.ctx = model::SecurityContext{1, 1, std::string(70000, 'x')};
    EXPECT_EQ(backend.add_sa(sa).error, EMSGSIZE);
    std::vector<model::Command> batch{model::Command{policy_with_requests(7282)}, model::Command{sa}};
    std::vector<int> errors;
    backend.apply_batch(batch, [&](size_t, const model::OpResult& res) { errors.push_back(res.error); });
    EXPECT_EQ(errors, (std::vector<int>{EMSGSIZE, EMSGSIZE}));
    EXPECT_TRUE(sent.empty()) << sent.size() << " messages sent";
}

} // namespace
} // namespace setkey::pfkey
