#include "cli/hexdump.hpp"

#include <cstdio>

namespace setkey::cli {

std::string hexdump(std::span<const uint8_t> bytes) {
    std::string text;
    char cell[24];
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i % 16 == 0) {
            std::snprintf(cell, sizeof cell, "%08zx: ", i);
            text += cell;
        }
        std::snprintf(cell, sizeof cell, "%02x ", bytes[i]);
        text += cell;
        if (i % 16 == 15 || i + 1 == bytes.size()) text += '\n';
    }
    return text;
}

} // namespace setkey::cli
