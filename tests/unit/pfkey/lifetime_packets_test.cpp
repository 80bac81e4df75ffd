// Linux's af_key sends an SA's packet count (current) and packet limits (hard, soft) in
// sadb_lifetime_allocations. Decoded over PF_KEY they must give the record XFRM gives:
// the same `packets` and `allocations` in JSON, never null where XFRM has a number.
#include <initializer_list>

#include <gtest/gtest.h>

#include "output/fields.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey {
namespace {

// Little-endian append, the machine order PF_KEY uses on x86.
template <typename T>
void put(Bytes& b, T v) {
    for (size_t i = 0; i < sizeof v; ++i) b.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i)));
}

void lifetime(Bytes& b, ExtType type, uint32_t packets, uint64_t bytes) {
    put<uint16_t>(b, 4); // 32 bytes
    put<uint16_t>(b, static_cast<uint16_t>(type));
    put<uint32_t>(b, packets); // sadb_lifetime_allocations
    put<uint64_t>(b, bytes);
    put<uint64_t>(b, 0);
    put<uint64_t>(b, 0);
}

void address(Bytes& b, ExtType type, uint8_t last_octet) {
    put<uint16_t>(b, 3); // 8 + sockaddr_in (16)
    put<uint16_t>(b, static_cast<uint16_t>(type));
    for (uint8_t v : {0, 32, 0, 0}) b.push_back(v); // proto, prefixlen, reserved
    put<uint16_t>(b, 2); // AF_INET
    put<uint16_t>(b, 0);
    for (uint8_t v : std::initializer_list<uint8_t>{10, 9, 0, last_octet}) b.push_back(v);
    for (int i = 0; i < 8; ++i) b.push_back(0);
}

// A SADB_DUMP answer for an ESP SA as af_key builds it after 3 packets, 300 bytes,
// with `limit packet-hard 1000 limit packet-soft 800`.
Bytes dumped_sa() {
    Bytes b;
    for (uint8_t v : std::initializer_list<uint8_t>{kVersion, static_cast<uint8_t>(MsgType::dump), 0, 3}) b.push_back(v);
    put<uint16_t>(b, 0); // length, set below
    put<uint16_t>(b, 0);
    put<uint32_t>(b, 0);
    put<uint32_t>(b, 0);
    put<uint16_t>(b, 2); // sadb_sa
    put<uint16_t>(b, static_cast<uint16_t>(ExtType::sa));
    for (uint8_t v : {0x00, 0x00, 0x90, 0x01}) b.push_back(v); // SPI, network order
    for (uint8_t v : {0, 1, 0, 0}) b.push_back(v);             // replay, state mature, auth, enc
    put<uint32_t>(b, 0);
    lifetime(b, ExtType::lifetime_current, 3, 300);
    lifetime(b, ExtType::lifetime_hard, 1000, 0);
    lifetime(b, ExtType::lifetime_soft, 800, 0);
    address(b, ExtType::address_src, 1);
    address(b, ExtType::address_dst, 2);
    const auto words = static_cast<uint16_t>(b.size() / 8);
    b[4] = static_cast<uint8_t>(words);
    b[5] = static_cast<uint8_t>(words >> 8);
    return b;
}

TEST(LifetimePackets, PacketCountAndLimitsAreTheKernelsOverPfkeyToo) {
    const Decoded m = decode_message(dumped_sa());
    ASSERT_TRUE(m.sa);
    const auto j = output::sa_object(*m.sa, {});
    EXPECT_EQ(j["packets"], 3);
    EXPECT_EQ(j["allocations"], 3);
    EXPECT_EQ(j["bytes"], 300);
    EXPECT_EQ(j["hard"]["packets"], 1000);
    EXPECT_EQ(j["hard"]["allocations"], 1000);
    EXPECT_EQ(j["soft"]["packets"], 800);
    EXPECT_EQ(j["soft"]["allocations"], 800);
}

} // namespace
} // namespace setkey::pfkey
