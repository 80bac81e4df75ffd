// setkey's -H hex dump: "%08x: " then each byte as "xx ", 16 bytes a line.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace setkey::cli {

std::string hexdump(std::span<const uint8_t> bytes);

} // namespace setkey::cli
