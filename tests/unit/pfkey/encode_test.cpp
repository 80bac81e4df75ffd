// Request bytes from hand-built commands, compared with what ipsec-tools 0.8.2 sent
// for the same statements (pid 4242, seq 0; cut from the corpus' expected/requests-H
// into tests/golden/pfkey/requests-082.txt).
#include <linux/ipsec.h>
#include <linux/pfkeyv2.h>

#include <cstring>

#include <gtest/gtest.h>

#include "support/hexdump_file.hpp"
#include "model/linux_rules.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey {
namespace {

using test::Bytes;

constexpr RequestId k0822{4242, 0};

using test::request_082;

model::IpAddress ip(const char* text) { return model::IpAddress::parse(text).value(); }

const model::Algorithm* alg(model::AlgKind k, const char* name) {
    return model::find_algorithm(k, name);
}

Bytes text_key(std::string_view s) { return Bytes(s.begin(), s.end()); }

model::SaKey sa_key(const char* src, const char* dst, model::SaType t, uint32_t spi, model::Mode m) {
    model::SaKey k;
    k.src.addr = ip(src);
    k.dst.addr = ip(dst);
    k.proto.type = t;
    k.spi = spi;
    k.mode = m;
    return k;
}

model::SpdEntry spd(const char* src, uint8_t splen, uint16_t sport, const char* dst, uint8_t dplen,
                    uint16_t dport, uint8_t upper, model::Direction dir) {
    model::SpdEntry e;
    e.src = {ip(src), splen, sport};
    e.dst = {ip(dst), dplen, dport};
    e.upper = upper;
    e.policy.dir = dir;
    e.policy.action = model::Action::ipsec;
    return e;
}

model::IpsecRequest tunnel(uint8_t proto, const char* a, std::optional<uint16_t> ap, const char* b,
                           std::optional<uint16_t> bp, model::Level level) {
    model::IpsecRequest r;
    r.proto = proto;
    r.mode = model::Mode::tunnel;
    r.level = level;
    r.src = model::Endpoint{ip(a), ap};
    r.dst = model::Endpoint{ip(b), bp};
    return r;
}

TEST(EncodePolicy, TunnelRequestCarriesEndpointPorts) {
    // spdadd 10.0.11.0/24[any] 10.0.11.33/32[any] any -P out ipsec
    //     esp/tunnel/192.168.0.1[4500]-192.168.1.2[30000]/require ;
    auto e = spd("10.0.11.0", 24, 0, "10.0.11.33", 32, 0, 255, model::Direction::out);
    e.policy.requests.push_back(
        tunnel(model::kProtoEsp, "192.168.0.1", 4500, "192.168.1.2", 30000, model::Level::require));
    EXPECT_EQ(encode_policy(e, k0822), request_082("man-it-setkey8-natt-ports.conf", 0));
}

TEST(EncodePolicy, InPolicyAndFwdCompanionMatch082) {
    // spdadd fec0::11[110] fec0::10[any] tcp -P in ipsec esp/transport//use ;
    auto e = spd("fec0::11", 128, 110, "fec0::10", 128, 0, 6, model::Direction::in);
    model::IpsecRequest r;
    r.level = model::Level::use;
    e.policy.requests.push_back(r);
    auto expected = [](size_t i) { return request_082("it-sample-linux-subset.conf", i); };
    EXPECT_EQ(encode_policy(e, k0822), expected(1));
    EXPECT_EQ(encode_policy(*model::fwd_companion(e), k0822), expected(2));
}

TEST(EncodePolicy, DirectionOnlyDeleteHasTypeAndPriorityZero) {
    // spddelete fec0:0:0:1::/64 fec0:0:0:2::/64 any -P out;
    auto e = spd("fec0:0:0:1::", 64, 0, "fec0:0:0:2::", 64, 0, 255, model::Direction::out);
    e.kind = model::SpdEntry::Kind::remove;
    e.policy.action.reset();
    EXPECT_EQ(encode_policy(e, k0822), request_082("it-sample-linux-subset.conf", 24));
}

// A delete made from a dump goes by the policy's id (SADB_X_SPDDELETE2, the X_POLICY
// extension alone): af_key finds it by id instead of walking the SPD for the selector.
TEST(EncodePolicy, ADeleteWithTheKernelsIdIsSpdDelete2) {
    auto e = spd("10.1.0.0", 16, 0, "10.2.0.0", 16, 0, 255, model::Direction::out);
    e.kind = model::SpdEntry::Kind::remove;
    e.kernel_id = 8 * 41 + 1;
    const Bytes m = encode_policy(e, {4242, 7});
    ASSERT_EQ(m.size(), sizeof(sadb_msg) + sizeof(sadb_x_policy));
    sadb_msg h;
    std::memcpy(&h, m.data(), sizeof h);
    EXPECT_EQ(h.sadb_msg_type, SADB_X_SPDDELETE2);
    EXPECT_EQ(h.sadb_msg_len, m.size() / 8);
    sadb_x_policy p;
    std::memcpy(&p, m.data() + sizeof h, sizeof p);
    EXPECT_EQ(p.sadb_x_policy_exttype, SADB_X_EXT_POLICY);
    EXPECT_EQ(p.sadb_x_policy_id, 8u * 41 + 1);
    EXPECT_EQ(p.sadb_x_policy_dir, IPSEC_DIR_OUTBOUND);
    e.kernel_id = 0; // a script's spddelete: by selector, as 0.8.2 sends it
    EXPECT_EQ(encode_policy(e, {4242, 7})[1], SADB_X_SPDDELETE);
}

TEST(EncodePolicy, SecurityContextFollowsTheAddresses) {
    // spdadd 127.0.0.1 127.0.0.1[5300] tcp -ctx 1 1 "..." -P out ipsec esp/transport//require;
    auto e = spd("127.0.0.1", 32, 0, "127.0.0.1", 32, 5300, 6, model::Direction::out);
    e.ctx = model::SecurityContext{1, 1, "system_u:object_r:ipsec_spd_t:s0-s15:c0.c1023"};
    model::IpsecRequest r;
    r.level = model::Level::require;
    e.policy.requests.push_back(r);
    EXPECT_EQ(encode_policy(e, k0822), request_082("gh-audit-test-lspp-setkey.conf", 2));
}

TEST(EncodeAdd, EspWithCipherAndAuthKeys) {
    // add fec0::10 fec0::11 esp 0x10001 -m transport -E blowfish-cbc "kamekame"
    //     -A hmac-sha1 "this is the test key" ;
    model::AddSa a;
    a.key = sa_key("fec0::10", "fec0::11", model::SaType::esp, 0x10001, model::Mode::transport);
    a.enc = model::KeyedAlgorithm{alg(model::AlgKind::enc, "blowfish-cbc"), text_key("kamekame")};
    a.auth = model::KeyedAlgorithm{alg(model::AlgKind::auth, "hmac-sha1"), text_key("this is the test key")};
    EXPECT_EQ(encode_add_sa(a, k0822), request_082("it-sample-linux-subset.conf", 3));
}

TEST(EncodeAdd, NullCipherSendsZeroBitKeyAndNullAuthSendsNone) {
    // add ::1 ::1 esp 10004 -m transport -E null -A null ;
    model::AddSa a;
    a.key = sa_key("::1", "::1", model::SaType::esp, 10004, model::Mode::transport);
    a.enc = model::KeyedAlgorithm{alg(model::AlgKind::enc, "null"), {}};
    a.auth = model::KeyedAlgorithm{alg(model::AlgKind::auth, "null"), {}};
    EXPECT_EQ(encode_add_sa(a, k0822), request_082("it-sample-linux-subset.conf", 37));
}

TEST(EncodeAdd, KameDesVariantsSetTheirFlags) {
    auto expected = [](size_t i) { return request_082("it-sample-linux-subset.conf", i); };
    // add ::1 ::1 esp 10002 -m transport -E des-deriv "12341234" ;
    model::AddSa a;
    a.key = sa_key("::1", "::1", model::SaType::esp, 10002, model::Mode::transport);
    a.enc = model::KeyedAlgorithm{alg(model::AlgKind::enc, "des-deriv"), text_key("12341234")};
    EXPECT_EQ(encode_add_sa(a, k0822), expected(35));
    // add ::1 ::1 esp-old 10003 -m transport -E des-32iv "12341234" ;
    a.key.spi = 10003;
    a.key.proto.old = true;
    a.enc->alg = alg(model::AlgKind::enc, "des-32iv");
    EXPECT_EQ(encode_add_sa(a, k0822), expected(36));
}

TEST(EncodeAdd, LifetimesReplayAndPadFlags) {
    // add ::1 ::1 esp 10016 -m tunnel -f random-pad -r 8 -lh 100 -ls 80 -E null ;
    model::AddSa a;
    a.key = sa_key("::1", "::1", model::SaType::esp, 10016, model::Mode::tunnel);
    a.flags |= model::kSaFlagRandomPad;
    a.replay = 8;
    a.hard.add_seconds = 100;
    a.soft.add_seconds = 80;
    a.enc = model::KeyedAlgorithm{alg(model::AlgKind::enc, "null"), {}};
    EXPECT_EQ(encode_add_sa(a, k0822), request_082("it-sample-linux-subset.conf", 45));
}

TEST(EncodeAdd, IpcompPutsTheCompressionIdInEncrypt) {
    // add ::1 ::1 ipcomp 30001 -C deflate ;
    model::AddSa a;
    a.key = sa_key("::1", "::1", model::SaType::ipcomp, 30001, model::Mode::any);
    a.comp = alg(model::AlgKind::comp, "deflate");
    EXPECT_EQ(encode_add_sa(a, k0822), request_082("it-sample-linux-subset.conf", 50));
}

TEST(EncodeAdd, EspUdpAddsNattTypeAndPorts) {
    // add 10.0.1.2 [4500] 20.0.0.2 [4500] esp-udp 10000 -E rijndael-cbc "aaaaaaaaaaaaaaaa";
    model::AddSa a;
    a.key = sa_key("10.0.1.2", "20.0.0.2", model::SaType::esp, 10000, model::Mode::any);
    a.key.src.port = 4500;
    a.key.dst.port = 4500;
    a.key.proto.udp_encap = true;
    a.enc = model::KeyedAlgorithm{alg(model::AlgKind::enc, "rijndael-cbc"), text_key("aaaaaaaaaaaaaaaa")};
    EXPECT_EQ(encode_add_sa(a, k0822),
              request_082("netbsd-natt-ipv4-local-sa-rijndaelcbc.conf", 0));
}

TEST(EncodeSaId, GetAndDelete) {
    // get / delete fec0:0:0:1::1 fec0:0:0:2::2 ah 0x10004 ;
    auto expected = [](size_t i) { return request_082("it-sample-linux-subset.conf", i); };
    auto k = sa_key("fec0:0:0:1::1", "fec0:0:0:2::2", model::SaType::ah, 0x10004, model::Mode::any);
    EXPECT_EQ(encode_get_sa(k, k0822), expected(23));
    EXPECT_EQ(encode_delete_sa(k, k0822), expected(25));
}

TEST(EncodeBare, DumpFlushAndSpdVariants) {
    auto expected = [](size_t i) { return request_082("it-sample-linux-subset.conf", i); };
    EXPECT_EQ(encode_dump_sa(std::nullopt, k0822), expected(26));
    EXPECT_EQ(encode_dump_policies(k0822), expected(27));
    EXPECT_EQ(encode_dump_sa(model::SaType::esp, k0822), expected(28));
    EXPECT_EQ(encode_flush_sa(model::SaType::esp, k0822), expected(29));
    EXPECT_EQ(encode_flush_sa(std::nullopt, k0822), expected(30));
    EXPECT_EQ(encode_flush_policies(k0822), expected(31));
}

TEST(EncodeHeader, PidAndSeqLandInTheHeader) {
    Bytes m = encode_register(model::SaType::esp, {0x01020304, 7});
    EXPECT_EQ(m, test::from_hex("02 07 00 03 02 00 00 00 07 00 00 00 04 03 02 01"));
    EXPECT_EQ(encode_promisc({1, 0})[3], 1); // satype 1 switches promiscuous mode on
}

} // namespace
} // namespace setkey::pfkey
