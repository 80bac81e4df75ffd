// Reads the `%08x: xx xx ...` hex dumps ipsec-tools prints with -H back into
// messages: a line at offset 0 starts a new message. Other lines are kept in order
// so tests can see where "The result of line N" replies fall.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace setkey::pfkey::test {

using Bytes = std::vector<uint8_t>;
using DumpItem = std::variant<Bytes, std::string>; // a message or a text line

std::vector<DumpItem> read_hexdump_text(const std::string& text);
std::vector<DumpItem> read_hexdump_file(const std::string& path);

// Only the messages, in order.
std::vector<Bytes> messages_of(const std::vector<DumpItem>& items);

// Hex string ("0203 0003 ...", spaces ignored) to bytes, for hand-written expectations.
Bytes from_hex(const std::string& hex);

std::string read_file(const std::string& path);

// One "=====NAME" section of the corpus' expected/vm-modes/small.out (real kernel output).
std::string small_out_section(const std::string& name);

} // namespace setkey::pfkey::test
