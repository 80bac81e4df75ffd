// Numeric tokens and keys: range-checked decimal and hex values, key bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace setkey::grammar {

// One or more decimal digits and nothing else.
bool all_digits(std::string_view s);

// Decimal digits only; nullopt when the value exceeds `max`.
std::optional<uint64_t> parse_decimal(std::string_view digits, uint64_t max);

// "0x..." (either case); nullopt when the value exceeds `max`.
std::optional<uint64_t> parse_hex(std::string_view text, uint64_t max);

// Key bytes of "0x..." text: an odd number of digits gets a leading 0 nibble.
std::vector<uint8_t> hex_key_bytes(std::string_view text);

} // namespace setkey::grammar
