// -l lines for cases small.out does not show (reference §3.3).
#include <gtest/gtest.h>

#include "output/short.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;

TEST(Short, HeaderMatches0_8_2) { EXPECT_EQ(short_header(), "time p   s spi      ltime   src -> dst\n"); }

TEST(Short, OldSasAndLongLifetimesPrintBig) {
    auto sa = small_esp_tunnel();
    sa.hard->add_time = 3600;
    EXPECT_EQ(short_line(sa, kSmallAdded + 999), "4114 esp M 00001001 999/big 10.0.0.1 -> 10.0.0.2\n");
    EXPECT_EQ(short_line(sa, kSmallAdded + 1000), "4115 esp M 00001001 big/big 10.0.0.1 -> 10.0.0.2\n");
}

TEST(Short, StatesAhAndMissingParts) {
    auto sa = linux_sa(model::SaType::ah, "10.0.0.1", "10.0.0.2", 0xabc, model::Mode::transport, 0);
    sa.state = static_cast<uint8_t>(model::SaState::dying);
    sa.hard->add_time = 30;
    EXPECT_EQ(short_line(sa, kSmallAdded), "2435 ah  D 00000abc   0/30  10.0.0.1 -> 10.0.0.2\n");
    sa.state = static_cast<uint8_t>(model::SaState::dead);
    sa.soft.reset();
    EXPECT_EQ(short_line(sa, kSmallAdded), "2435 ah  d 00000abc ??\?/??? 10.0.0.1 -> 10.0.0.2\n");
    sa.has_sa = false;
    EXPECT_EQ(short_line(sa, kSmallAdded), "2435 ah ? ?        ??\?/??? 10.0.0.1 -> 10.0.0.2\n");
}

TEST(Short, AddressProtocolAndPortWhenSet) {
    auto sa = small_esp_tunnel();
    sa.src_proto = 17;
    sa.src_port = 4500;
    sa.dst_proto = 255;
    EXPECT_EQ(short_line(sa, kSmallAdded), "2435 esp M 00001001   0/0   udp 10.0.0.1[4500] -> #255 10.0.0.2\n");
}

} // namespace
} // namespace setkey::output
