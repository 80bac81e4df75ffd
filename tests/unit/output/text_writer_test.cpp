// TextWriter builds the classic dumps' text in place: every piece must land as
// printf would have written it, after what the string already held, however long
// the text grows.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <limits>
#include <random>

#include "model/address.hpp"
#include "output/text_writer.hpp"

namespace setkey::output {
namespace {

std::string printf_text(const char* format, uint64_t v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

TEST(TextWriter, NumbersAsPrintfWritesThem) {
    std::mt19937_64 random(7);
    std::vector<uint64_t> values = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 4294967295u,
                                    4294967296u, 9999999999999999999u, std::numeric_limits<uint64_t>::max()};
    for (int i = 0; i < 1000; ++i) values.push_back(random() >> (random() % 64));
    for (uint64_t v : values) {
        std::string dec, hex;
        {
            TextWriter w(dec);
            w.dec(v);
        }
        {
            TextWriter w(hex);
            w.hex08(static_cast<uint32_t>(v));
        }
        EXPECT_EQ(dec, printf_text("%" PRIu64, v)) << v;
        EXPECT_EQ(hex, printf_text("%08" PRIx32, static_cast<uint32_t>(v))) << v;
    }
}

TEST(TextWriter, AppendsAfterWhatTheStringHeldAndCutsToTheText) {
    std::string out = "before:";
    {
        TextWriter w(out);
        w.text("lit");
        w.ch(' ');
        w.text(std::string_view("view"));
        w.repeat(3, '.');
        w.hex_byte(0xa5);
        w.hex_byte(0x0f);
    }
    EXPECT_EQ(out, "before:lit view...a50f");
}

TEST(TextWriter, GrowsPastItsFirstRoomWithoutLosingText) {
    // Pieces of every size, well past the first step of room, some written by hand.
    std::string out = "x";
    std::string expected = "x";
    {
        TextWriter w(out);
        for (int i = 0; i < 3000; ++i) {
            const std::string piece(static_cast<size_t>(i % 700), static_cast<char>('a' + i % 26));
            w.text(piece);
            expected += piece;
            char* p = w.raw(4);
            std::memcpy(p, "[..]", 4);
            w.advance(p + 4);
            expected += "[..]";
            w.dec(static_cast<uint64_t>(i));
            expected += std::to_string(i);
        }
    }
    EXPECT_EQ(out.size(), expected.size());
    EXPECT_EQ(out, expected);
}

TEST(TextWriter, AddressTextInPlaceIsToString) {
    for (const char* text : {"0.0.0.0", "10.0.0.1", "192.168.100.200", "255.255.255.255", "::", "::1",
                             "fe80::1", "2001:db8::ff00:42:8329", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                             "::ffff:192.0.2.1"}) {
        const auto addr = model::IpAddress::parse(text);
        ASSERT_TRUE(addr) << text;
        std::string out;
        {
            TextWriter w(out);
            w.advance(addr->write_text(w.raw(model::IpAddress::kMaxText)));
        }
        EXPECT_EQ(out, text);
        EXPECT_EQ(out, addr->to_string());
    }
}

} // namespace
} // namespace setkey::output
