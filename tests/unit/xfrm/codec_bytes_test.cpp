// Exact request bytes for a few messages, written out from linux/xfrm.h layouts, so an
// accidental change of field, flag or padding shows up.
#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

std::vector<uint8_t> hex(std::string_view text) {
    std::vector<uint8_t> out;
    std::string digits;
    for (char c : text)
        if (c != ' ' && c != '\n') digits += c;
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    return out;
}

TEST(XfrmCodecBytes, FlushEspSa) {
    // nlmsghdr{len 20, XFRM_MSG_FLUSHSA, REQUEST|ACK, seq 7, pid 0}, proto 50, padding.
    EXPECT_EQ(encode_flush_sa(model::SaType::esp, 7),
              hex("14000000 1c00 0500 07000000 00000000 32000000"));
}

TEST(XfrmCodecBytes, FlushAllSaUsesIpsecProtoAny) {
    EXPECT_EQ(encode_flush_sa(std::nullopt, 1), hex("14000000 1c00 0500 01000000 00000000 ff000000"));
}

TEST(XfrmCodecBytes, FlushPolicy) {
    EXPECT_EQ(encode_flush_policies(1), hex("10000000 1d00 0500 01000000 00000000"));
}

TEST(XfrmCodecBytes, DeleteSaIsSaIdPlusSourceAddress) {
    model::SaKey key;
    key.src.addr = testing::ip("10.0.0.1");
    key.dst.addr = testing::ip("10.0.0.2");
    key.spi = 0x1001;
    // xfrm_usersa_id{daddr, spi (network order), family AF_INET, proto ESP, pad},
    // then XFRMA_SRCADDR (13) with the source address.
    EXPECT_EQ(encode_delete_sa(key, 3),
              hex("3c000000 1100 0500 03000000 00000000"
                  "0a000002 00000000 00000000 00000000 00001001 0200 32 00"
                  "1400 0d00 0a000001 00000000 00000000 00000000"));
}

TEST(XfrmCodecBytes, DumpSaFiltersByProtocol) {
    auto msg = encode_dump_sa(model::SaType::ah, 9);
    // REQUEST|DUMP, an empty xfrm_usersa_info, then XFRMA_PROTO (25) = 51.
    ASSERT_EQ(msg.size(), 16u + 224u + 8u);
    EXPECT_EQ(std::vector<uint8_t>(msg.begin() + 4, msg.begin() + 8), hex("1200 0103"));
    EXPECT_EQ(std::vector<uint8_t>(msg.end() - 8, msg.end()), hex("0500 1900 33 000000"));
}

} // namespace
} // namespace setkey::xfrm
