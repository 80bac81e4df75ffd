#include "model/address.hpp"

#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <cstring>

namespace setkey::model {
namespace {

// The decimal text of every byte value, its length in the last of the 4 places.
constexpr auto kByteText = [] {
    std::array<std::array<char, 4>, 256> table{};
    for (unsigned b = 0; b < 256; ++b) {
        auto& t = table[b];
        unsigned n = 0;
        if (b >= 100) t[n++] = static_cast<char>('0' + b / 100);
        if (b >= 10) t[n++] = static_cast<char>('0' + b / 10 % 10);
        t[n++] = static_cast<char>('0' + b % 10);
        t[3] = static_cast<char>(n);
    }
    return table;
}();

} // namespace

bool IpAddress::is_unspecified() const {
    return std::all_of(bytes.begin(), bytes.begin() + static_cast<long>(size()),
                       [](uint8_t b) { return b == 0; });
}

std::string IpAddress::to_string() const {
    char text[kMaxText];
    return std::string(text, write_text(text));
}

char* IpAddress::write_text(char* out) const {
    char* p = out;
    if (family == Family::inet) {
        // By hand: inet_ntop goes through sprintf, a visible share of a large dump.
        // Each byte's digits come from a table, copied 4 at a time (the room allows it).
        for (int i = 0; i < 4; ++i) {
            const auto& text = kByteText[bytes[i]];
            std::memcpy(p, text.data(), 4);
            p += text[3];
            *p++ = '.';
        }
        return p - 1;
    }
    static_assert(kMaxText >= INET6_ADDRSTRLEN + 1 + IF_NAMESIZE);
    if (!inet_ntop(AF_INET6, bytes.data(), p, INET6_ADDRSTRLEN)) {
        *p = '?';
        return p + 1;
    }
    p += std::strlen(p);
    if (family == Family::inet6 && scope_id != 0) {
        *p++ = '%';
        char ifname[IF_NAMESIZE];
        if (if_indextoname(scope_id, ifname)) {
            const size_t n = strnlen(ifname, IF_NAMESIZE - 1);
            std::memcpy(p, ifname, n);
            p += n;
        } else {
            const std::string n = std::to_string(scope_id);
            std::memcpy(p, n.data(), n.size());
            p += n.size();
        }
    }
    return p;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    std::string s(text);
    IpAddress a;
    if (s.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
        a.family = Family::inet;
        return a;
    }
    auto pct = s.find('%');
    std::string scope;
    if (pct != std::string::npos) {
        scope = s.substr(pct + 1);
        s.resize(pct);
        if (scope.empty()) return std::nullopt;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = Family::inet6;
    if (!scope.empty()) {
        if (std::all_of(scope.begin(), scope.end(), [](char c) { return c >= '0' && c <= '9'; }))
            a.scope_id = static_cast<uint32_t>(std::stoul(scope));
        else if (unsigned idx = if_nametoindex(scope.c_str()); idx != 0)
            a.scope_id = idx;
        else
            return std::nullopt;
    }
    return a;
}

} // namespace setkey::model
