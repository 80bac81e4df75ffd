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

// The kernel's messages to 0.8.2's `setkey -xx -H` (tests/golden/pfkey/small-xxh.txt).
std::string small_xxh();

// Message INDEX of the requests 0.8.2 built for corpus script SCRIPT
// (tests/golden/pfkey/requests-082.txt).
Bytes request_082(const std::string& script, size_t index);

} // namespace setkey::pfkey::test
