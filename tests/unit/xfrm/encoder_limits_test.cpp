// The encoder refuses an attribute longer than netlink's 16-bit nla_len can say
// (issue 8 item 1). Before, 1 + 1024 templates wrapped XFRMA_TMPL to one template and
// a 70,000-byte security context wrapped XFRMA_SEC_CTX, whose tail the kernel then read
// as attributes of the script's choosing; both installed with exit 0.
#include <gtest/gtest.h>

#include <cerrno>

#include "support/model_builders.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

model::SpdEntry policy_with_templates(size_t count) {
    model::SpdEntry e;
    e.src = sel("10.0.0.1", 32);
    e.dst = sel("10.0.0.2", 32);
    e.policy.action = model::Action::ipsec;
    e.policy.requests.assign(count, transport(model::kProtoEsp, model::Level::require));
    return e;
}

uint32_t nlmsg_len(const Message& m) { return m[0] | m[1] << 8 | m[2] << 16 | uint32_t{m[3]} << 24; }

void expect_too_long(const std::function<Message()>& encode) {
    try {
        const Message m = encode();
        ADD_FAILURE() << "encoded " << m.size() << " bytes (nlmsg_len " << nlmsg_len(m) << ")";
    } catch (const EncodeError& e) {
        EXPECT_EQ(e.error, EMSGSIZE) << e.what();
    }
}

TEST(EncoderLimits, TheMostTemplatesXfrmaTmplCanSayStillEncode) {
    // 4 + 1023 x 64 = 65,476 bytes (the kernel refuses more than 6, but the wire holds them).
    const Message m = encode_policy(policy_with_templates(1023), 1);
    EXPECT_EQ(nlmsg_len(m), m.size());
}

TEST(EncoderLimits, OnePlusTenTwentyFourTemplatesAreRefused) {
    expect_too_long([] { return encode_policy(policy_with_templates(1025), 1); });
}

TEST(EncoderLimits, ASeventyKilobyteSecurityContextIsRefused) {
    model::SpdEntry e = policy_with_templates(1);
    e.ctx = model::SecurityContext{1, 1, std::string(70000, 'x')};
    expect_too_long([&] { return encode_policy(e, 1); });
    expect_too_long([&] { return encode_get_policy(e, 1); });
    e.kind = model::SpdEntry::Kind::remove;
    expect_too_long([&] { return encode_policy(e, 1); });
    model::AddSa sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1000);
    sa.enc = keyed(model::AlgKind::enc, "null", 0);
    sa.ctx = e.ctx;
    expect_too_long([&] { return encode_add_sa(sa, 1); });
}

TEST(EncoderLimits, AContextJustPastTheAttributeLimitIsRefused) {
    // 4 (nlattr) + 8 (xfrm_user_sec_ctx) + 65,524 (text and NUL) = 65,536 bytes.
    model::SpdEntry e = policy_with_templates(1);
    e.ctx = model::SecurityContext{1, 1, std::string(65523, 'x')};
    expect_too_long([&] { return encode_policy(e, 1); });
    e.ctx->context.pop_back();
    const Message m = encode_policy(e, 1);
    EXPECT_EQ(nlmsg_len(m), m.size());
}

TEST(EncoderLimits, AKeyLongerThanAnAttributeIsRefused) {
    model::AddSa sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1000);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 65500);
    expect_too_long([&] { return encode_add_sa(sa, 1); });
}

} // namespace
} // namespace setkey::xfrm
