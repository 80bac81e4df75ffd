// Records turned into requests: a delete key holds only what the kernels look an SA
// up by; a re-add keeps everything the SA was configured with.
#include "model/record_commands.hpp"

#include <gtest/gtest.h>

namespace setkey::model {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

// An esp-udp tunnel SA with a reqid, NAT-T ports and an original address.
SaRecord natt_tunnel_sa() {
    SaRecord r;
    r.satype = SaType::esp;
    r.src = ip("192.0.2.1");
    r.dst = ip("192.0.2.2");
    r.spi = 0x1234;
    r.mode = Mode::tunnel;
    r.reqid = 7;
    r.flags = kSaFlagOld;
    r.natt_type = 2;
    r.natt_sport = 4500;
    r.natt_dport = 4501;
    r.natt_oa = ip("10.0.0.1");
    r.replay = 32;
    r.enc.alg = find_algorithm(AlgKind::enc, "aes-cbc");
    r.enc.key = std::vector<uint8_t>(16, 0xab);
    r.enc.key_bits = 128;
    return r;
}

TEST(DeleteKey, IsAddressesTypeAndSpiOnly) {
    SaKey want;
    want.src.addr = ip("192.0.2.1");
    want.dst.addr = ip("192.0.2.2");
    want.proto.type = SaType::esp;
    want.spi = 0x1234;
    EXPECT_EQ(delete_key(natt_tunnel_sa()), want);
}

TEST(ReaddSa, KeepsTheWholeKey) {
    std::string why;
    const auto add = readd_sa(natt_tunnel_sa(), why);
    ASSERT_TRUE(add) << why;
    EXPECT_EQ(add->key.mode, Mode::tunnel);
    EXPECT_EQ(add->key.reqid, 7u);
    EXPECT_TRUE(add->key.proto.old);
    EXPECT_TRUE(add->key.proto.udp_encap);
    EXPECT_EQ(add->key.proto.natt_oa, ip("10.0.0.1"));
    EXPECT_EQ(add->key.src.port, 4500);
    EXPECT_EQ(add->key.dst.port, 4501);
    EXPECT_EQ(add->replay, 32u);
    ASSERT_TRUE(add->enc);
    EXPECT_EQ(add->enc->key, std::vector<uint8_t>(16, 0xab));
}

TEST(ReaddSa, SaysWhatTheDumpLacked) {
    SaRecord r = natt_tunnel_sa();
    r.enc.key.reset();
    std::string why;
    EXPECT_FALSE(readd_sa(r, why));
    EXPECT_EQ(why, "the dump carried no encryption key");
}

TEST(PolicyEntry, CarriesSelectorDirectionAndRequests) {
    PolicyRecord p;
    p.src.addr = ip("10.1.0.0");
    p.src.prefixlen = 16;
    p.dst.addr = ip("10.2.0.0");
    p.dst.prefixlen = 16;
    p.upper = 6;
    p.dir = Direction::in;
    p.priority = 5;
    p.action = Action::ipsec;
    p.requests.emplace_back();
    const SpdEntry e = policy_entry(p, SpdEntry::Kind::remove);
    EXPECT_EQ(e.kind, SpdEntry::Kind::remove);
    EXPECT_EQ(e.src, p.src);
    EXPECT_EQ(e.dst, p.dst);
    EXPECT_EQ(e.upper, 6);
    EXPECT_EQ(e.policy.dir, Direction::in);
    EXPECT_EQ(e.policy.priority, 5u);
    EXPECT_EQ(e.policy.action, Action::ipsec);
    EXPECT_EQ(e.policy.requests, p.requests);
}

} // namespace
} // namespace setkey::model
