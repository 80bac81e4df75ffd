// Address, port and protocol words as scripts spell them. Numeric forms are parsed
// without heap allocation (the hot path of large scripts); names go to the resolver
// (getaddrinfo, getservbyname_r, getprotobyname_r) only when numeric parsing fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/address.hpp"

namespace setkey::grammar {

// Dotted-quad IPv4 or IPv6 (with optional `%scope`, numeric or an interface name). A
// dotted quad with a part that has a leading 0 is read as 0.8.2 read it (getaddrinfo,
// that is inet_aton): that part is octal, "192.168.001.010" is 192.168.1.8, and
// `*octal` (when given) is set.
std::optional<model::IpAddress> parse_numeric_address(std::string_view text, bool* octal = nullptr);
// Is `text` such a dotted quad (four decimal parts, one with a leading 0)?
bool has_octal_octet(std::string_view text);

// Why a word that looks numeric is no address: a dotted quad with an octet above 255,
// text with ':' that is no IPv6 address, a %scope naming no interface. The whole
// message, naming the word; nullopt when the word parses or may be a host name.
std::optional<std::string> numeric_address_problem(std::string_view text);

struct Resolved {
    std::vector<model::IpAddress> addresses; // unique, in resolver order
    std::string error;                       // when empty: what failed, e.g. "no such host"
};

// A getaddrinfo error as a reason to show after the word ("no such host").
std::string resolver_failure(int gai_error, std::optional<model::Family> family);

// getaddrinfo with the family of -4/-6 (nullopt = any), for names only.
Resolved resolve_host(std::string_view name, std::optional<model::Family> family);

// UDP service name to port (setkey resolves ports with SOCK_DGRAM/UDP hints).
std::optional<uint16_t> lookup_udp_service(std::string_view name);

// Upper-layer protocol name: /etc/protocols (case-sensitive), then the icmp6/ip4
// fallbacks ipsec-tools has built in.
std::optional<uint8_t> lookup_protocol(std::string_view name);

} // namespace setkey::grammar
