// NEWSA requests have the layout of NEWSA dump entries, so encoding a model::AddSa and
// decoding the bytes must give back the SA as a dump would report it.
#include <cerrno>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;
using model::AlgKind;

model::SaRecord round_trip(const model::AddSa& sa) {
    auto msg = encode_add_sa(sa, 1);
    auto d = decode_message(msg);
    auto* rec = std::get_if<model::SaRecord>(&d.body);
    EXPECT_NE(rec, nullptr);
    return rec ? *rec : model::SaRecord{};
}

TEST(XfrmCodecSa, EspCbcSha256TunnelComesBackAsPfkeyWouldShowIt) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001, model::Mode::tunnel);
    sa.key.reqid = 5;
    sa.replay = 32;
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    sa.auth = keyed(AlgKind::auth, "hmac-sha256", 32);
    auto r = round_trip(sa);
    EXPECT_EQ(r.satype, model::SaType::esp);
    EXPECT_EQ(r.src, ip("10.0.0.1"));
    EXPECT_EQ(r.dst, ip("10.0.0.2"));
    EXPECT_EQ(r.src_prefixlen, 32);
    EXPECT_EQ(r.spi, 0x1001u);
    EXPECT_EQ(r.mode, model::Mode::tunnel);
    EXPECT_EQ(r.reqid, 5u);
    EXPECT_EQ(r.replay, 32u);
    EXPECT_EQ(r.state, static_cast<uint8_t>(model::SaState::mature));
    EXPECT_TRUE(r.has_sa2);
    EXPECT_EQ(r.enc.kernel_name, "cbc(aes)");
    EXPECT_EQ(r.enc.alg, model::find_algorithm(AlgKind::enc, "aes-cbc"));
    EXPECT_EQ(r.enc.pfkey_id, 12);
    EXPECT_EQ(r.enc.key_bits, 128);
    EXPECT_EQ(r.enc.key, sa.enc->key);
    EXPECT_EQ(r.auth.kernel_name, "hmac(sha256)");
    EXPECT_EQ(r.auth.pfkey_id, 5);
    EXPECT_EQ(r.auth.icv_bits, 128); // RFC 4868, not Linux PF_KEY's 96
    EXPECT_EQ(r.auth.key, sa.auth->key);
    EXPECT_FALSE(r.aead);
    EXPECT_EQ(r.natt_type, 0);
}

TEST(XfrmCodecSa, NoLifetimesMeanInfiniteWhichPfkeyReportsAsZero) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.enc = keyed(AlgKind::enc, "3des-cbc", 24);
    auto r = round_trip(sa);
    ASSERT_TRUE(r.hard && r.soft && r.current);
    EXPECT_EQ(r.hard->bytes, 0u);
    EXPECT_EQ(r.hard->packets, 0u);
    EXPECT_EQ(r.hard->add_time, 0u);
    EXPECT_EQ(r.soft->use_time, 0u);
}

TEST(XfrmCodecSa, LifetimeLimitsTravelInTheConfig) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 32);
    sa.hard.add_seconds = 3600;
    sa.hard.bytes = 1000000;
    sa.soft.add_seconds = 3000;
    sa.soft.bytes = 900000;
    auto r = round_trip(sa);
    EXPECT_EQ(r.hard->add_time, 3600u);
    EXPECT_EQ(r.hard->bytes, 1000000u);
    EXPECT_EQ(r.soft->add_time, 3000u);
    EXPECT_EQ(r.soft->bytes, 900000u);
}

TEST(XfrmCodecSa, NullCipherIsCipherNullWithoutKeyExtension) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 7);
    sa.enc = keyed(AlgKind::enc, "null", 0);
    sa.auth = keyed(AlgKind::auth, "hmac-sha1", 20);
    auto r = round_trip(sa);
    EXPECT_EQ(r.enc.kernel_name, "ecb(cipher_null)");
    EXPECT_EQ(r.enc.alg, model::find_algorithm(AlgKind::enc, "null"));
    EXPECT_EQ(r.enc.key_bits, 0);
    EXPECT_FALSE(r.enc.key); // af_key sends no KEY_ENCRYPT for it, so no E: line
    EXPECT_EQ(r.auth.icv_bits, 96);
}

TEST(XfrmCodecSa, GcmVariantsAreTellApartByTheirIcv) {
    for (auto name : {"aes-gcm-8", "aes-gcm-12", "aes-gcm-16"}) {
        auto sa = esp_sa("10.0.0.1", "10.0.0.2", 9);
        sa.enc = keyed(AlgKind::enc, name, 20);
        auto r = round_trip(sa);
        EXPECT_TRUE(r.aead) << name;
        EXPECT_EQ(r.enc.kernel_name, "rfc4106(gcm(aes))");
        EXPECT_EQ(r.enc.alg, model::find_algorithm(AlgKind::enc, name)) << name;
        EXPECT_EQ(r.enc.icv_bits, r.enc.alg->icv_bits);
        EXPECT_EQ(r.enc.key_bits, 160);
    }
}

TEST(XfrmCodecSa, ChachaPolyHasNoPfkeyId) {
    auto sa = esp_sa("fd00::1", "fd00::2", 10);
    sa.enc = keyed(AlgKind::enc, "chacha20-poly1305", 36);
    auto r = round_trip(sa);
    EXPECT_EQ(r.enc.alg, model::find_algorithm(AlgKind::enc, "chacha20-poly1305"));
    EXPECT_EQ(r.enc.pfkey_id, 0);
    EXPECT_EQ(r.enc.icv_bits, 128);
    EXPECT_EQ(r.src, ip("fd00::1"));
    EXPECT_EQ(r.src_prefixlen, 128);
}

TEST(XfrmCodecSa, IpcompCarriesItsCompressionAlgorithm) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x2000);
    sa.key.proto.type = model::SaType::ipcomp;
    sa.comp = model::find_algorithm(AlgKind::comp, "deflate");
    auto r = round_trip(sa);
    EXPECT_EQ(r.satype, model::SaType::ipcomp);
    EXPECT_EQ(r.comp.alg, sa.comp);
    EXPECT_EQ(r.comp.pfkey_id, 2);
    EXPECT_FALSE(r.comp.key);
}

TEST(XfrmCodecSa, AhWithNullAuthIsDigestNull) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x3000);
    sa.key.proto.type = model::SaType::ah;
    sa.auth = keyed(AlgKind::auth, "null", 0);
    auto r = round_trip(sa);
    EXPECT_EQ(r.satype, model::SaType::ah);
    EXPECT_EQ(r.auth.kernel_name, "digest_null");
    EXPECT_EQ(r.auth.alg, model::find_algorithm(AlgKind::auth, "null"));
}

TEST(XfrmCodecSa, EspUdpCarriesNatTPortsDefaulting4500) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x4000);
    sa.key.proto.udp_encap = true;
    sa.key.dst.port = 4501;
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    auto r = round_trip(sa);
    EXPECT_EQ(r.natt_type, 2);
    EXPECT_EQ(r.natt_sport, 4500);
    EXPECT_EQ(r.natt_dport, 4501);
    EXPECT_FALSE(r.natt_oa);
}

TEST(XfrmCodecSa, ModeAnyBecomesTransport) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1, model::Mode::any);
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    EXPECT_EQ(round_trip(sa).mode, model::Mode::transport);
}

TEST(XfrmCodecSa, WindowsAbove32UseTheEsnReplayState) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    sa.replay = 128;
    auto r = round_trip(sa);
    EXPECT_EQ(r.replay, 128u);
    EXPECT_FALSE(r.esn);
    sa.esn = true;
    r = round_trip(sa);
    EXPECT_TRUE(r.esn);
    EXPECT_EQ(r.replay, 128u);
}

TEST(XfrmCodecSa, AhWindowsStayLegacyForTheKernelToClamp) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.key.proto.type = model::SaType::ah;
    sa.auth = keyed(AlgKind::auth, "hmac-sha1", 20);
    sa.replay = 64;
    EXPECT_EQ(round_trip(sa).replay, 64u); // the request's u8 field; the kernel keeps 32
    sa.replay = 1000;
    EXPECT_EQ(round_trip(sa).replay, 255u);
}

TEST(XfrmCodecSa, EsnNeedsEsp) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.key.proto.type = model::SaType::ah;
    sa.auth = keyed(AlgKind::auth, "hmac-sha1", 20);
    sa.esn = true;
    try {
        encode_add_sa(sa, 1);
        FAIL() << "encoded";
    } catch (const EncodeError& e) {
        EXPECT_EQ(e.error, EINVAL);
    }
}

TEST(XfrmCodecSa, AlgorithmsWithoutKernelNameAreEnosys) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.key.proto.type = model::SaType::ah;
    sa.auth = keyed(AlgKind::auth, "keyed-md5", 16);
    try {
        encode_add_sa(sa, 1);
        FAIL() << "encoded";
    } catch (const EncodeError& e) {
        EXPECT_EQ(e.error, ENOSYS);
        EXPECT_NE(std::string(e.what()).find("keyed-md5"), std::string::npos);
    }
}

TEST(XfrmCodecSa, MixedAddressFamiliesAreRefused) {
    auto sa = esp_sa("10.0.0.1", "fd00::2", 1);
    EXPECT_THROW(encode_add_sa(sa, 1), EncodeError);
}

TEST(XfrmCodecSa, SecurityContextDropsTheKernelsTrailingNul) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 1);
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    sa.ctx = model::SecurityContext{1, 1, "system_u:object_r:ipsec_spd_t:s0"};
    auto r = round_trip(sa);
    ASSERT_TRUE(r.ctx);
    EXPECT_EQ(*r.ctx, *sa.ctx);
}

TEST(XfrmCodecSa, UpdateIsUpdsaAndGetspiIsAllocspi) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x500);
    sa.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    sa.kind = model::AddSa::Kind::update;
    EXPECT_EQ(decode_message(encode_add_sa(sa, 1)).header.type, 0x1a); // XFRM_MSG_UPDSA
    sa.kind = model::AddSa::Kind::getspi;
    auto d = decode_message(encode_add_sa(sa, 1));
    EXPECT_EQ(d.header.type, 0x16); // XFRM_MSG_ALLOCSPI
    EXPECT_TRUE(std::holds_alternative<Other>(d.body));
}

} // namespace
} // namespace setkey::xfrm
