// TextWriter builds the classic dumps' text in place: every piece must land as
// printf would have written it, after what the string already held, however long
// the text grows.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <limits>
#include <memory>
#include <utility>
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

TEST(TextWriter, AddressTextFitsItsRoomExactly) {
    // Into a heap buffer of exactly kMaxText bytes, so a write past it is a sanitizer
    // error; the texts are inet_ntop's (RFC 5952) and the scope's interface or number.
    model::IpAddress scoped = *model::IpAddress::parse("fe80::1");
    scoped.scope_id = 1; // lo on every Linux
    model::IpAddress unknown_scope = scoped;
    unknown_scope.scope_id = 4294967295u; // no such interface: the number
    model::IpAddress longest = *model::IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
    longest.scope_id = 4294967295u;
    const std::pair<model::IpAddress, std::string> cases[] = {
        {*model::IpAddress::parse("0.0.0.0"), "0.0.0.0"},
        {*model::IpAddress::parse("10.0.0.1"), "10.0.0.1"},
        {*model::IpAddress::parse("192.168.100.200"), "192.168.100.200"},
        {*model::IpAddress::parse("255.255.255.255"), "255.255.255.255"},
        {*model::IpAddress::parse("::"), "::"},
        {*model::IpAddress::parse("2001:db8::ff00:42:8329"), "2001:db8::ff00:42:8329"},
        {*model::IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        {*model::IpAddress::parse("::ffff:192.0.2.1"), "::ffff:192.0.2.1"},
        {scoped, "fe80::1%lo"},
        {unknown_scope, "fe80::1%4294967295"},
        {longest, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295"},
    };
    for (const auto& [addr, text] : cases) {
        const auto buf = std::make_unique<char[]>(model::IpAddress::kMaxText);
        char* end = addr.write_text(buf.get());
        EXPECT_EQ(std::string(buf.get(), static_cast<size_t>(end - buf.get())), text);
        std::string out;
        {
            TextWriter w(out);
            w.advance(addr.write_text(w.raw(model::IpAddress::kMaxText)));
        }
        EXPECT_EQ(out, text);
    }
}

} // namespace
} // namespace setkey::output
