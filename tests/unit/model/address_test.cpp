// IpAddress text: IPv4 is formatted by hand (a dump prints two per entry), so it is
// held to inet_ntop's spelling for every octet value in every position; IPv6 goes
// through inet_ntop, and both read back with parse().
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <random>

#include "model/address.hpp"

namespace setkey {
namespace {

using model::IpAddress;

std::string ntop4(const IpAddress& a) {
    char buf[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, a.bytes.data(), buf, sizeof buf);
}

TEST(IpAddressText, Ipv4MatchesInetNtopForEveryOctetInEveryPosition) {
    for (int pos = 0; pos < 4; ++pos) {
        for (int v = 0; v < 256; ++v) {
            IpAddress a = *IpAddress::parse("10.20.30.40");
            a.bytes[pos] = static_cast<uint8_t>(v);
            ASSERT_EQ(a.to_string(), ntop4(a)) << "position " << pos << " value " << v;
        }
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 10000; ++i) {
        IpAddress a = *IpAddress::parse("0.0.0.0");
        for (int b = 0; b < 4; ++b) a.bytes[b] = static_cast<uint8_t>(rng());
        ASSERT_EQ(a.to_string(), ntop4(a));
        ASSERT_EQ(IpAddress::parse(a.to_string())->to_string(), a.to_string());
    }
}

TEST(IpAddressText, Ipv4Edges) {
    EXPECT_EQ(IpAddress::parse("0.0.0.0")->to_string(), "0.0.0.0");
    EXPECT_EQ(IpAddress::parse("255.255.255.255")->to_string(), "255.255.255.255");
    EXPECT_EQ(IpAddress::parse("192.168.100.9")->to_string(), "192.168.100.9");
}

TEST(IpAddressText, Ipv6ThroughInetNtop) {
    EXPECT_EQ(IpAddress::parse("fe80:0:0::1")->to_string(), "fe80::1");
    EXPECT_EQ(IpAddress::parse("::ffff:10.0.0.1")->to_string(), "::ffff:10.0.0.1");
    EXPECT_EQ(IpAddress::parse("2001:db8::")->to_string(), "2001:db8::");
}

} // namespace
} // namespace setkey
