#include "grammar/numbers.hpp"

#include <algorithm>
#include <array>

namespace setkey::grammar {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
namespace {

// A hex digit's value by table: keys are the longest hex numbers of a script.
constexpr std::array<uint8_t, 256> make_nibbles() {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 10; ++c) t['0' + c] = uint8_t(c);
    for (int c = 0; c < 6; ++c) t['a' + c] = t['A' + c] = uint8_t(10 + c);
    return t;
}
constexpr std::array<uint8_t, 256> kNibbles = make_nibbles();

unsigned nibble(char c) { return kNibbles[static_cast<unsigned char>(c)]; }

} // namespace

std::optional<uint64_t> parse_decimal(std::string_view digits, uint64_t max) {
    uint64_t v = 0;
    for (char c : digits) {
        unsigned d = unsigned(c - '0');
        if (v > (max - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::optional<uint64_t> parse_hex(std::string_view text, uint64_t max) {
    uint64_t v = 0;
    for (char c : text.substr(2)) {
        unsigned d = nibble(c);
        if (v > (max - d) / 16) return std::nullopt;
        v = v * 16 + d;
    }
    return v;
}

std::vector<uint8_t> hex_key_bytes(std::string_view text) {
    std::string_view digits = text.substr(2);
    std::vector<uint8_t> out((digits.size() + 1) / 2);
    size_t i = 0, o = 0;
    if (digits.size() % 2) out[o++] = uint8_t(nibble(digits[i++]));
    for (; i < digits.size(); i += 2) out[o++] = uint8_t(nibble(digits[i]) << 4 | nibble(digits[i + 1]));
    return out;
}

} // namespace setkey::grammar
