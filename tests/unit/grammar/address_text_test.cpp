// Numeric IPv4 addresses read as libc reads them: a strict dotted quad is what
// inet_pton takes, and one with a leading-0 part is what inet_aton (0.8.2's getaddrinfo)
// makes of it, octal parts included.
#include "grammar/address_text.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <vector>

namespace setkey::grammar {
namespace {

std::optional<model::IpAddress> libc_reading(const std::string& text) {
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) != 1 && !(has_octal_octet(text) && inet_aton(text.c_str(), &v4)))
        return std::nullopt;
    model::IpAddress a;
    std::memcpy(a.bytes.data(), &v4, 4);
    return a;
}

TEST(AddressText, DottedQuadsReadAsInetPtonOrWithLeadingZerosAsInetAton) {
    const std::vector<std::string> parts{"0", "1", "7", "8", "00", "01", "010", "08", "09", "077", "99",
                                         "255", "256", "0377", "0400", "1000", "", "a", "+1"};
    size_t checked = 0;
    for (const auto& a : parts)
        for (const auto& b : parts)
            for (const auto& c : {std::string("0"), std::string("010"), std::string("19")})
                for (const auto& d : parts) {
                    const std::string text = a + "." + b + "." + c + "." + d;
                    ASSERT_EQ(parse_numeric_address(text), libc_reading(text)) << text;
                    ++checked;
                }
    for (const char* text : {"1.2.3", "1.2.3.4.5", "1..2.3", "0x1.2.3.4", "1.2.3.4.", ".1.2.3"})
        EXPECT_EQ(parse_numeric_address(text), std::nullopt) << text;
    EXPECT_EQ(parse_numeric_address("192.168.001.010")->to_string(), "192.168.1.8");
    EXPECT_GT(checked, 1000u);
}

} // namespace
} // namespace setkey::grammar
