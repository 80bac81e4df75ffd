// pfkey/event_encode against the kernel: every SA and policy notification af_key
// broadcast in the qemu lab (small.out, section XXH: `setkey -xx -H`), decoded into a
// record and encoded again, must give the kernel's bytes back. Plus round trips of
// records only XFRM produces (NAT-T, IPv6, security context, expire layouts).
#include <gtest/gtest.h>

#include "support/hexdump_file.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"
#include "pfkey/kdebug.hpp"
#include "pfkey/wire.hpp"

namespace setkey::pfkey {
namespace {

// Kernel notifications carry LIFETIME_CURRENT; the requests -x also saw do not.
bool is_kernel_notification(const Bytes& m) {
    for (const auto& e : split_extensions(m))
        if (e.type == static_cast<uint16_t>(ExtType::lifetime_current)) return true;
    return false;
}

std::optional<SaProxy> proxy_of(const Bytes& m) {
    for (const auto& e : split_extensions(m)) {
        if (e.type != static_cast<uint16_t>(ExtType::address_proxy)) continue;
        SaProxy p;
        p.proto = e.bytes[4];
        p.prefixlen = e.bytes[5];
        const uint16_t family = wire::load<uint16_t>(e.bytes, 8);
        p.addr.family = family == 10 ? model::Family::inet6 : model::Family::inet;
        std::copy_n(e.bytes.data() + (family == 10 ? 16 : 12), p.addr.size(), p.addr.bytes.data());
        return p;
    }
    return std::nullopt;
}

std::vector<Bytes> kernel_notifications() {
    std::vector<Bytes> out;
    for (auto& m : test::messages_of(test::read_hexdump_text(test::small_xxh())))
        if (is_kernel_notification(m)) out.push_back(std::move(m));
    return out;
}

TEST(EventEncode, SmallOutHoldsSaAndPolicyNotifications) {
    int sa = 0, sp = 0, del = 0;
    for (const auto& m : kernel_notifications()) {
        const auto type = static_cast<MsgType>(m[1]);
        if (type == MsgType::add) ++sa;
        if (type == MsgType::del) ++del;
        if (type == MsgType::spdadd) ++sp;
    }
    // Five SAs and four policies (plus one fwd), each seen twice by a promiscuous socket.
    EXPECT_EQ(sa, 10);
    EXPECT_EQ(sp, 10);
    EXPECT_EQ(del, 2);
}

TEST(EventEncode, ReproducesEveryKernelNotificationByteForByte) {
    const auto notes = kernel_notifications();
    ASSERT_FALSE(notes.empty());
    for (const auto& m : notes) {
        const Decoded d = decode_message(m);
        const RequestId id{d.header.pid, d.header.seq};
        const auto type = static_cast<MsgType>(d.header.type);
        Bytes again;
        if (d.policy) {
            model::PolicyRecord p = *d.policy;
            p.msg.reserved = d.header.reserved; // the refcount af_key put there
            again = encode_policy_notify(type, p, id);
        } else {
            ASSERT_TRUE(d.sa);
            again = encode_sa_notify(type, *d.sa, kSaChangeLayout, proxy_of(m), id);
        }
        EXPECT_EQ(again, m) << "type " << int(d.header.type);
    }
}

model::SaRecord xfrm_like_sa() {
    model::SaRecord r;
    r.satype = model::SaType::esp;
    r.raw_satype = 3;
    r.src = *model::IpAddress::parse("fd00::1");
    r.dst = *model::IpAddress::parse("fd00::2");
    r.src_prefixlen = r.dst_prefixlen = 128;
    r.spi = 0x1234;
    r.replay = 32;
    r.state = 1;
    r.enc.pfkey_id = 12;
    r.enc.key = std::vector<uint8_t>(16, 0xab);
    r.enc.key_bits = 128;
    r.auth.pfkey_id = 5;
    r.auth.key = std::vector<uint8_t>(32, 0xcd);
    r.auth.key_bits = 256;
    r.has_sa2 = true;
    r.mode = model::Mode::tunnel;
    r.reqid = 7;
    r.natt_type = 2;
    r.natt_sport = 4500;
    r.natt_dport = 4501;
    r.hard = model::Lifetime{0, 1000, 60, 0};
    r.soft = model::Lifetime{0, 800, 50, 0};
    r.current = model::Lifetime{3, 400, 1795682401, 0};
    r.ctx = model::SecurityContext{1, 1, "system_u:object_r:ipsec_spd_t:s0"};
    return r;
}

TEST(EventEncode, SaRoundTripKeepsWhatPfkeyCarries) {
    const auto r = xfrm_like_sa();
    const Decoded d = decode_message(encode_sa_notify(MsgType::add, r, kSaChangeLayout, std::nullopt, {9, 4}));
    ASSERT_TRUE(d.sa);
    EXPECT_EQ(d.header.type, static_cast<uint8_t>(MsgType::add));
    EXPECT_EQ(d.header.pid, 9u);
    EXPECT_EQ(d.header.seq, 4u);
    const auto& s = *d.sa;
    EXPECT_EQ(s.src, r.src);
    EXPECT_EQ(s.dst, r.dst);
    EXPECT_EQ(s.spi, r.spi);
    EXPECT_EQ(s.replay, r.replay);
    EXPECT_EQ(s.state, r.state);
    EXPECT_EQ(s.enc.pfkey_id, 12);
    EXPECT_EQ(s.enc.key, r.enc.key);
    EXPECT_EQ(s.auth.pfkey_id, 5);
    EXPECT_EQ(s.auth.key, r.auth.key);
    EXPECT_EQ(s.mode, r.mode);
    EXPECT_EQ(s.reqid, r.reqid);
    EXPECT_EQ(s.natt_type, 2);
    EXPECT_EQ(s.natt_sport, 4500);
    EXPECT_EQ(s.natt_dport, 4501);
    ASSERT_TRUE(s.hard && s.soft && s.current);
    EXPECT_EQ(s.hard->bytes, 1000u);
    EXPECT_EQ(s.hard->add_time, 60u);
    EXPECT_EQ(s.soft->add_time, 50u);
    EXPECT_EQ(s.current->packets, 3u);
    EXPECT_EQ(s.current->add_time, 1795682401u);
    EXPECT_EQ(s.ctx, r.ctx);
}

TEST(EventEncode, ExpireCarriesOnlyTheExpiredLimitAndNoKeys) {
    const auto r = xfrm_like_sa();
    const Decoded soft = decode_message(encode_sa_notify(MsgType::expire, r, kSoftExpireLayout, std::nullopt, {}));
    ASSERT_TRUE(soft.sa);
    EXPECT_TRUE(soft.sa->soft);
    EXPECT_FALSE(soft.sa->hard);
    EXPECT_FALSE(soft.sa->enc.key);
    EXPECT_FALSE(soft.sa->auth.key);
    const Decoded hard = decode_message(encode_sa_notify(MsgType::expire, r, kHardExpireLayout, std::nullopt, {}));
    ASSERT_TRUE(hard.sa);
    EXPECT_TRUE(hard.sa->hard);
    EXPECT_FALSE(hard.sa->soft);
}

TEST(EventEncode, AeadSaShowsNoAlgorithmAndNoKeyAsAfKeyDoes) {
    auto r = xfrm_like_sa();
    r.aead = true;
    r.enc.pfkey_id = 20;
    r.auth = {};
    const Decoded d = decode_message(encode_sa_notify(MsgType::add, r, kSaChangeLayout, std::nullopt, {}));
    ASSERT_TRUE(d.sa);
    EXPECT_EQ(d.sa->enc.pfkey_id, 0);
    EXPECT_FALSE(d.sa->enc.key);
}

TEST(EventEncode, FlushIsABareHeader) {
    const Bytes m = encode_flush_notify(MsgType::flush, 3, {5, 6});
    ASSERT_EQ(m.size(), kHeaderSize);
    const Header h = decode_header(m);
    EXPECT_EQ(h.type, static_cast<uint8_t>(MsgType::flush));
    EXPECT_EQ(h.satype, 3);
    EXPECT_EQ(h.len, 2);
    EXPECT_EQ(h.pid, 5u);
    EXPECT_EQ(h.seq, 6u);
}

TEST(EventEncode, AcquireCarriesAddressesAndThePolicy) {
    model::PolicyRecord p;
    p.raw_dir = 2;
    p.id = 17;
    p.priority = 100;
    const Bytes m = encode_acquire_notify(model::SaType::esp, *model::IpAddress::parse("10.0.0.1"),
                                          *model::IpAddress::parse("10.0.0.2"), p, {0, 77});
    const Decoded d = decode_message(m);
    EXPECT_EQ(d.header.type, static_cast<uint8_t>(MsgType::acquire));
    EXPECT_EQ(d.header.seq, 77u);
    ASSERT_TRUE(d.policy);
    EXPECT_EQ(d.policy->id, 17u);
    EXPECT_EQ(d.policy->priority, 100u);
}

TEST(EventEncode, AcquireIsWhatAfKeySendsForAPfkeyMadePolicy) {
    // Recorded in the qemu lab (Debian 6.1): `setkey --backend pfkey -x` after a packet
    // met `spdadd 10.9.0.1 10.9.0.2 any -P out ipsec esp/transport//require;`.
    const char* recorded = "sadb_msg{ version=2 type=6 errno=0 satype=3\n"
                           "  len=11 reserved=0 seq=1 pid=0\n"
                           "sadb_ext{ len=3 type=5 }\n"
                           "sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }\n"
                           "sockaddr{ len=16 family=2 port=0\n"
                           " 0a090001  }\n"
                           "sadb_ext{ len=3 type=6 }\n"
                           "sadb_address{ proto=0 prefixlen=32 reserved=0x0000 }\n"
                           "sockaddr{ len=16 family=2 port=0\n"
                           " 0a090002  }\n"
                           "sadb_ext{ len=2 type=18 }\n"
                           "sadb_x_policy{ type=2 dir=2 id=1 priority=2147483648 }\n"
                           "sadb_ext{ len=1 type=13 }\n"
                           "sadb_prop{ replay=32\n"
                           "}\n";
    model::PolicyRecord p;
    p.raw_dir = 2;
    p.id = 1;
    p.priority = 2147483648u;
    const Bytes m = encode_acquire_notify(model::SaType::esp, *model::IpAddress::parse("10.9.0.1"),
                                          *model::IpAddress::parse("10.9.0.2"), p, {0, 1});
    EXPECT_EQ(kdebug_text(m), recorded);
}

} // namespace
} // namespace setkey::pfkey
