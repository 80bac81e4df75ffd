// -H output has 0.8.2's layout (offset, bytes with a trailing space, 16 a line).
#include "cli/hexdump.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

TEST(Hexdump, SixteenBytesPerLineWithOffsets) {
    std::vector<uint8_t> bytes(18);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(setkey::cli::hexdump(bytes),
              "00000000: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f \n"
              "00000010: 10 11 \n");
}

TEST(Hexdump, SadbMessageHeaderAsRecordedFrom082) {
    const std::vector<uint8_t> spdflush{0x02, 0x13, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x92, 0x10, 0, 0};
    EXPECT_EQ(setkey::cli::hexdump(spdflush),
              "00000000: 02 13 00 00 02 00 00 00 00 00 00 00 92 10 00 00 \n");
}

TEST(Hexdump, EmptyIsEmpty) { EXPECT_EQ(setkey::cli::hexdump({}), ""); }

} // namespace
