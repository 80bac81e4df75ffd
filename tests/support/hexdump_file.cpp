#include "support/hexdump_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace setkey::pfkey::test {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string small_xxh() { return read_file(std::string(SETKEY_GOLDEN_DIR) + "/pfkey/small-xxh.txt"); }

Bytes request_082(const std::string& script, size_t index) {
    const std::string wanted = "# " + script + " " + std::to_string(index);
    bool found = false;
    for (const DumpItem& item : read_hexdump_file(std::string(SETKEY_GOLDEN_DIR) + "/pfkey/requests-082.txt")) {
        if (const std::string* line = std::get_if<std::string>(&item)) found = *line == wanted;
        else if (found) return std::get<Bytes>(item);
    }
    throw std::runtime_error("no recorded request: " + wanted);
}

std::vector<DumpItem> read_hexdump_text(const std::string& text) {
    std::vector<DumpItem> items;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        // "%08x: " then "xx " per byte.
        bool hex = line.size() > 10 && line[8] == ':' &&
                   line.find_first_not_of("0123456789abcdef") == 8;
        if (!hex) {
            items.emplace_back(line);
            continue;
        }
        unsigned long offset = std::stoul(line.substr(0, 8), nullptr, 16);
        if (offset == 0 || items.empty() || !std::holds_alternative<Bytes>(items.back()))
            items.emplace_back(Bytes{});
        Bytes& msg = std::get<Bytes>(items.back());
        if (msg.size() != offset) throw std::runtime_error("hex dump offset out of order: " + line);
        std::istringstream bytes(line.substr(10));
        std::string b;
        while (bytes >> b) msg.push_back(static_cast<uint8_t>(std::stoul(b, nullptr, 16)));
    }
    return items;
}

std::vector<DumpItem> read_hexdump_file(const std::string& path) {
    return read_hexdump_text(read_file(path));
}

std::vector<Bytes> messages_of(const std::vector<DumpItem>& items) {
    std::vector<Bytes> out;
    for (const auto& i : items)
        if (const Bytes* b = std::get_if<Bytes>(&i)) out.push_back(*b);
    return out;
}

Bytes from_hex(const std::string& hex) {
    Bytes out;
    std::string digits;
    for (char c : hex)
        if (c != ' ' && c != '\n') digits += c;
    if (digits.size() % 2) throw std::runtime_error("odd number of hex digits");
    for (size_t i = 0; i < digits.size(); i += 2)
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    return out;
}

} // namespace setkey::pfkey::test
