// kdebug_text and hexdump_text against what ipsec-tools 0.8.2 printed for real kernel
// messages (small.out section XXH, `setkey -xx -H`; tests/golden/pfkey/small-xxh.txt).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "support/hexdump_file.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey::pfkey {
namespace {

using test::Bytes;

struct MonitorBlock {
    std::string hex;    // the -H lines
    std::string decode; // the kdebug lines (empty for setkey's own PROMISC echo)
};

// Splits the XXH section into "timestamp / hex lines / decode lines / blank" blocks.
std::vector<MonitorBlock> monitor_blocks() {
    std::istringstream in(test::small_xxh());
    static const std::regex stamp(R"(^\d+\.\d{6} $)");
    std::vector<MonitorBlock> blocks;
    std::string line;
    while (std::getline(in, line)) {
        if (std::regex_match(line, stamp)) {
            blocks.emplace_back();
        } else if (line.empty()) {
            continue;
        } else if (line.size() > 9 && line[8] == ':' && blocks.back().decode.empty()) {
            blocks.back().hex += line + "\n";
        } else {
            blocks.back().decode += line + "\n";
        }
    }
    return blocks;
}

// 0.8.2 prints the wrong bytes as the key, so key dumps are compared separately.
std::string without_keys(const std::string& text) {
    std::istringstream in(text);
    std::string out, line;
    bool in_key = false;
    while (std::getline(in, line)) {
        if (line.rfind("  key=", 0) == 0) in_key = true;
        if (!in_key) out += line + "\n";
        if (in_key && line.size() >= 2 && line.compare(line.size() - 2, 2, " }") == 0) in_key = false;
    }
    return out;
}

TEST(Kdebug, EveryMonitoredKernelMessageDecodesAs082) {
    auto blocks = monitor_blocks();
    ASSERT_GT(blocks.size(), 30u);
    size_t decoded = 0;
    for (const auto& b : blocks) {
        Bytes msg = test::messages_of(test::read_hexdump_text(b.hex)).at(0);
        EXPECT_EQ(hexdump_text(msg), b.hex);
        if (b.decode.empty()) continue; // the echo of setkey's own PROMISC request
        EXPECT_EQ(without_keys(kdebug_text(msg)), without_keys(b.decode)) << b.hex;
        ++decoded;
    }
    EXPECT_GT(decoded, 30u);
}

TEST(Kdebug, KeysShowTheirRealBytes) {
    // The ADD request of `-E aes-cbc 0x0011..eeff -A hmac-sha1 0x0011..eeff00112233`.
    for (const auto& b : monitor_blocks()) {
        Bytes msg = test::messages_of(test::read_hexdump_text(b.hex)).at(0);
        if (msg[1] != 3 || msg.size() != 0x98) continue;
        std::string text = kdebug_text(msg);
        EXPECT_NE(text.find("sadb_key{ bits=128 reserved=0\n  key= 00112233 44556677 8899aabb ccddeeff }\n"),
                  std::string::npos) << text;
        EXPECT_NE(text.find("  key= 00112233 44556677 8899aabb ccddeeff 00112233 }\n"), std::string::npos);
        return;
    }
    FAIL() << "ADD request not found in small.out";
}

TEST(Kdebug, LongKeysWrapEvery32Bytes) {
    Bytes m = test::from_hex("0203 0002 0b00 0000 0000 0000 0000 0000"
                             "0900 0800 0002 0000");
    for (int i = 0; i < 64; ++i) m.push_back(static_cast<uint8_t>(i));
    std::string text = kdebug_text(m);
    EXPECT_NE(text.find("  key= 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f\n"
                        " 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637 38393a3b 3c3d3e3f }\n"),
              std::string::npos)
        << text;
}

TEST(Kdebug, SecurityContextIsUnknownTo082AndStopsTheDecode) {
    Bytes m = test::from_hex("020e 0000 0400 0000 0000 0000 0000 0000"
                             "0200 1800 0101 0200 6100 0000 0000 0000");
    EXPECT_EQ(kdebug_text(m), "sadb_msg{ version=2 type=14 errno=0 satype=0\n"
                              "  len=4 reserved=0 seq=0 pid=0\n"
                              "sadb_ext{ len=2 type=24 }\n"
                              "kdebug_sadb: invalid ext_type 24 was passed.\n");
}

TEST(Kdebug, MalformedLengthsAreReportedNotRead) {
    // Header claims 4 units but only 2 are there.
    EXPECT_NE(kdebug_text(test::from_hex("0203 0000 0400 0000 0000 0000 0000 0000"))
                  .find("exceeds end of buffer"),
              std::string::npos);
    // An extension of length 0.
    EXPECT_NE(kdebug_text(test::from_hex("0203 0000 0300 0000 0000 0000 0000 0000 0000 0100 0000 0000"))
                  .find("invalid ext_len=0"),
              std::string::npos);
    // A key claiming more bits than its extension holds.
    std::string text = kdebug_text(test::from_hex("0203 0000 0300 0000 0000 0000 0000 0000 0100 0900 0001 0000"));
    EXPECT_NE(text.find("key length mismatch, bit:32 len:0"), std::string::npos) << text;
    EXPECT_NE(kdebug_text(test::from_hex("0203")).find("shorter than sadb_msg"), std::string::npos);
}

TEST(Hexdump, SixteenBytesPerLineWithOffsets) {
    Bytes b(18, 0xab);
    EXPECT_EQ(hexdump_text(b),
              "00000000: ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab \n00000010: ab ab \n");
    EXPECT_EQ(hexdump_text({}), "");
}

} // namespace
} // namespace setkey::pfkey
