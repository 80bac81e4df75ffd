// Addresses, prefixes and ports as scripts write them and kernels report them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace setkey::model {

enum class Family : uint8_t { inet = 4, inet6 = 6 };

struct IpAddress {
    Family family = Family::inet;
    std::array<uint8_t, 16> bytes{}; // network order; IPv4 uses the first 4
    uint32_t scope_id = 0;           // IPv6 link-local scope (the `%if` suffix)

    unsigned full_prefix() const { return family == Family::inet ? 32 : 128; }
    size_t size() const { return family == Family::inet ? 4 : 16; }
    bool is_unspecified() const;

    // Numeric text: dotted quad, or RFC 5952 compressed IPv6 with `%ifname`/`%N` scope.
    std::string to_string() const;
    // The same text written at `out`, which has room for kMaxText characters; returns
    // its end. For printers that build their text in place (a dump prints millions).
    static constexpr size_t kMaxText = 64; // 45 for IPv6, '%', an interface name or index
    char* write_text(char* out) const;
    // Numeric parse only (no DNS); nullopt when `text` is not an address literal.
    static std::optional<IpAddress> parse(std::string_view text);

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Port semantics follow setkey: 0 means "any"; scripts write `[any]` or `[0]`.
inline constexpr uint16_t kAnyPort = 0;

// An SA endpoint: `addr` or `addr[port]` (port only matters for esp-udp NAT-T).
struct Endpoint {
    IpAddress addr;
    std::optional<uint16_t> port; // as written; nullopt when no [port]
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// A policy selector side: `addr[/plen][[port]]`.
struct Selector {
    IpAddress addr;
    uint8_t prefixlen = 32;
    uint16_t port = kAnyPort;
    friend bool operator==(const Selector&, const Selector&) = default;
};

} // namespace setkey::model
