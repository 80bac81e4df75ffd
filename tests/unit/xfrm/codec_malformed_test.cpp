// Every length the decoder reads is checked: damaged kernel messages give a DecodeError,
// never an out-of-bounds read; unknown attributes are skipped.
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include <cstring>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

Message good_sa() {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    sa.auth = keyed(model::AlgKind::auth, "hmac-sha1", 20);
    return encode_add_sa(sa, 1);
}

void set_len(Message& m, uint32_t len) { std::memcpy(m.data(), &len, 4); }

// Offset of the first attribute of an SA message: header plus aligned xfrm_usersa_info.
constexpr size_t kFirstAttr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(xfrm_usersa_info));

void append_attr(Message& m, uint16_t type, std::vector<uint8_t> payload) {
    nlattr na{static_cast<uint16_t>(NLA_HDRLEN + payload.size()), type};
    auto* p = reinterpret_cast<const uint8_t*>(&na);
    m.insert(m.end(), p, p + sizeof na);
    m.insert(m.end(), payload.begin(), payload.end());
    m.resize(NLA_ALIGN(m.size()), 0);
    set_len(m, static_cast<uint32_t>(m.size()));
}

TEST(XfrmCodecMalformed, TruncatedHeader) {
    auto m = good_sa();
    EXPECT_THROW(decode_message(std::span(m).first(10)), DecodeError);
}

TEST(XfrmCodecMalformed, MessageLengthBeyondBuffer) {
    auto m = good_sa();
    set_len(m, static_cast<uint32_t>(m.size() + 4));
    EXPECT_THROW(decode_message(m), DecodeError);
    EXPECT_THROW(split_messages(m), DecodeError);
}

TEST(XfrmCodecMalformed, MessageLengthBelowHeader) {
    auto m = good_sa();
    set_len(m, 8);
    EXPECT_THROW(split_messages(m), DecodeError);
}

TEST(XfrmCodecMalformed, FixedPartTooShort) {
    auto m = good_sa();
    m.resize(NLMSG_HDRLEN + 100);
    set_len(m, static_cast<uint32_t>(m.size()));
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, AttributeLengthBeyondMessage) {
    auto m = good_sa();
    uint16_t huge = 0xfff0;
    std::memcpy(m.data() + kFirstAttr, &huge, 2);
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, AttributeLengthBelowItsHeader) {
    auto m = good_sa();
    uint16_t tiny = 2;
    std::memcpy(m.data() + kFirstAttr, &tiny, 2);
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, TrailingBytesTooShortForAnAttribute) {
    auto m = good_sa();
    m.insert(m.end(), {1, 2});
    set_len(m, static_cast<uint32_t>(m.size()));
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, KeyLongerThanTheAttribute) {
    auto m = good_sa();
    // The first attribute is XFRMA_ALG_CRYPT; claim a 2048-bit key in its 16 bytes.
    unsigned bits = 2048;
    std::memcpy(m.data() + kFirstAttr + NLA_HDRLEN + 64, &bits, 4);
    try {
        decode_message(m);
        FAIL() << "decoded";
    } catch (const DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find("XFRMA_ALG_CRYPT"), std::string::npos) << e.what();
    }
}

TEST(XfrmCodecMalformed, AlgorithmAttributeShorterThanItsStruct) {
    auto m = good_sa();
    append_attr(m, XFRMA_ALG_AEAD, std::vector<uint8_t>(20, 0));
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, EncapShorterThanItsStruct) {
    auto m = good_sa();
    append_attr(m, XFRMA_ENCAP, {0, 2, 0x11, 0x94});
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, ReplayBitmapLongerThanTheAttribute) {
    auto m = good_sa();
    xfrm_replay_state_esn esn{};
    esn.bmp_len = 100;
    esn.replay_window = 3200;
    std::vector<uint8_t> payload(sizeof esn + 8, 0);
    std::memcpy(payload.data(), &esn, sizeof esn);
    append_attr(m, XFRMA_REPLAY_ESN_VAL, payload);
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, SecurityContextLongerThanTheAttribute) {
    auto m = good_sa();
    xfrm_user_sec_ctx ctx{};
    ctx.ctx_len = 200;
    std::vector<uint8_t> payload(sizeof ctx + 4, 'a');
    std::memcpy(payload.data(), &ctx, sizeof ctx);
    append_attr(m, XFRMA_SEC_CTX, payload);
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, TemplatesNotAWholeNumberOfStructs) {
    auto e = spd(sel("10.0.0.1", 32), sel("10.0.0.2", 32), model::kProtoAny, model::Direction::out,
                 model::Action::none);
    auto m = encode_policy(e, 1);
    append_attr(m, XFRMA_TMPL, std::vector<uint8_t>(sizeof(xfrm_user_tmpl) + 4, 0));
    EXPECT_THROW(decode_message(m), DecodeError);
}

TEST(XfrmCodecMalformed, UnknownAttributesAreSkipped) {
    auto m = good_sa();
    append_attr(m, 200, {1, 2, 3, 4, 5});
    append_attr(m, XFRMA_MTIMER_THRESH, {0, 0, 0, 0});
    auto d = decode_message(m);
    auto* r = std::get_if<model::SaRecord>(&d.body);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->enc.kernel_name, "cbc(aes)");
}

TEST(XfrmCodecMalformed, UnknownProtocolsAreNotSetkeyRecords) {
    auto m = good_sa();
    auto* info = m.data() + NLMSG_HDRLEN;
    info[offsetof(xfrm_usersa_info, id) + offsetof(xfrm_id, proto)] = 43; // IPv6 routing (MIPv6)
    EXPECT_TRUE(std::holds_alternative<Other>(decode_message(m).body));
}

TEST(XfrmCodecMalformed, BadAddressFamily) {
    auto m = good_sa();
    uint16_t family = 99;
    std::memcpy(m.data() + NLMSG_HDRLEN + offsetof(xfrm_usersa_info, family), &family, 2);
    EXPECT_THROW(decode_message(m), DecodeError);
}

} // namespace
} // namespace setkey::xfrm
