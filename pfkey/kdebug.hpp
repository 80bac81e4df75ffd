// Text renderings of raw PF_KEY messages as ipsec-tools prints them for -x, -v and -H:
// the numeric kdebug_sadb decode and the offset hex dump. Pure functions over bytes;
// they never read past the span, and say so in the text where a message is malformed.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace setkey::pfkey {

// The kdebug_sadb decode: "sadb_msg{ version=2 ...", one block per extension, each
// line ending in '\n' (callers add the blank line that separates messages). Matches
// ipsec-tools 0.8.2 byte for byte, except that key bytes are the real ones (0.8.2
// printed memory 64 bytes past the key).
std::string kdebug_text(std::span<const uint8_t> message);

// "%08x: " then "xx " per byte, 16 bytes per line, every line ending in '\n'.
std::string hexdump_text(std::span<const uint8_t> bytes);

} // namespace setkey::pfkey
