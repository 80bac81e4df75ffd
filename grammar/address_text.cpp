#include "grammar/address_text.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace setkey::grammar {
namespace {

// Strict dotted quad: four decimal octets of one to three digits, no leading '+' or
// '0', each <= 255. Every address of a script goes through here first, so each octet
// is read digit by digit with no loop, and anything longer than a dotted quad or with
// a byte that is not a digit or a dot fails at once.
bool parse_ipv4(std::string_view t, uint8_t* out) {
    if (t.size() < 7 || t.size() > 15) return false;
    const char* p = t.data();
    const char* const end = p + t.size();
    const auto digit = [&](unsigned& d) { return p != end && (d = unsigned(*p - '0')) <= 9; };
    for (int part = 0;; ++part) {
        unsigned value = 0, d = 0;
        if (!digit(value)) return false;
        ++p;
        if (digit(d)) {
            if (value == 0) return false; // a leading 0: octal, for inet_aton
            value = value * 10 + d;
            ++p;
            if (digit(d)) {
                value = value * 10 + d;
                ++p;
                if (value > 255) return false;
            }
        }
        out[part] = uint8_t(value);
        if (part == 3) return p == end;
        if (p == end || *p != '.') return false;
        ++p;
    }
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

enum class Scope { ok, too_big, no_interface };

// The text after '%': a decimal scope id or an interface name.
Scope parse_scope(std::string_view scope, uint32_t& id) {
    if (scope.empty() || scope.size() >= IF_NAMESIZE) return all_digits(scope) ? Scope::too_big : Scope::no_interface;
    char name[IF_NAMESIZE];
    std::memcpy(name, scope.data(), scope.size());
    name[scope.size()] = '\0';
    if (all_digits(scope)) {
        unsigned long long v = std::strtoull(name, nullptr, 10);
        if (v > 0xffffffffULL) return Scope::too_big;
        id = uint32_t(v);
        return Scope::ok;
    }
    id = if_nametoindex(name);
    return id != 0 ? Scope::ok : Scope::no_interface;
}

bool parse_ipv6(std::string_view host, uint8_t* out) {
    char buf[INET6_ADDRSTRLEN + 1];
    if (host.size() >= sizeof buf) return false;
    std::memcpy(buf, host.data(), host.size());
    buf[host.size()] = '\0';
    return inet_pton(AF_INET6, buf, out) == 1;
}

// A four-part dotted word of decimal digits with a part above 255. Parts with a leading
// 0 are left alone: the resolver (inet_aton) reads them as octal, as 0.8.2 did.
std::optional<std::string_view> octet_above_255(std::string_view t) {
    std::optional<std::string_view> big;
    size_t parts = 0;
    for (size_t start = 0; start <= t.size(); ++parts) {
        size_t dot = std::min(t.find('.', start), t.size());
        std::string_view part = t.substr(start, dot - start);
        if (!all_digits(part) || (part.size() > 1 && part[0] == '0')) return std::nullopt;
        if (!big && (part.size() > 3 || std::stoul(std::string(part)) > 255)) big = part;
        start = dot + 1;
    }
    return parts == 4 ? big : std::nullopt;
}

} // namespace

bool has_octal_octet(std::string_view text) {
    size_t parts = 1, length = 0;
    bool leading_zero = false, octal = false;
    for (char c : text) {
        if (c == '.') {
            if (length == 0) return false;
            ++parts;
            length = 0;
            continue;
        }
        if (c < '0' || c > '9') return false;
        if (length == 0) leading_zero = c == '0';
        else if (length == 1 && leading_zero) octal = true;
        ++length;
    }
    return length != 0 && parts == 4 && octal;
}

std::optional<model::IpAddress> parse_numeric_address(std::string_view text, bool* octal) {
    model::IpAddress a;
    if (parse_ipv4(text, a.bytes.data())) return a; // fails fast on anything but digits and dots
    // 0.8.2 read a dotted quad with getaddrinfo, that is as inet_aton does: "010" is 8.
    if (has_octal_octet(text)) {
        if (octal) *octal = true;
        char buf[INET_ADDRSTRLEN + 8];
        if (text.size() >= sizeof buf) return std::nullopt;
        std::memcpy(buf, text.data(), text.size());
        buf[text.size()] = '\0';
        in_addr v4{};
        if (inet_aton(buf, &v4) == 0) return std::nullopt;
        std::memcpy(a.bytes.data(), &v4, 4);
        return a;
    }
    if (text.find(':') == std::string_view::npos) return std::nullopt;
    auto pct = text.find('%');
    if (!parse_ipv6(text.substr(0, pct), a.bytes.data())) return std::nullopt;
    a.family = model::Family::inet6;
    if (pct != std::string_view::npos && parse_scope(text.substr(pct + 1), a.scope_id) != Scope::ok)
        return std::nullopt;
    return a;
}

std::optional<std::string> numeric_address_problem(std::string_view text) {
    if (has_octal_octet(text) && !parse_numeric_address(text))
        return fmt::format("'{}' is not an IPv4 address: a part with a leading 0 is octal (as 0.8.2 read it), and "
                           "octal parts are 0 to 0377 with the digits 0 to 7",
                           text);
    if (auto part = octet_above_255(text))
        return fmt::format("'{}' is not an IPv4 address ({} is above 255)", text, *part);
    if (text.find(':') == std::string_view::npos) return std::nullopt; // a host name
    auto pct = text.find('%');
    model::IpAddress a;
    if (!parse_ipv6(text.substr(0, pct), a.bytes.data())) return fmt::format("'{}' is not an IPv6 address", text);
    if (pct == std::string_view::npos) return std::nullopt;
    std::string_view scope = text.substr(pct + 1);
    switch (parse_scope(scope, a.scope_id)) {
    case Scope::ok: return std::nullopt;
    case Scope::too_big: return fmt::format("'{}': scope id {} is out of range (at most 4294967295)", text, scope);
    case Scope::no_interface: return fmt::format("'{}': no such interface '{}'", text, scope);
    }
    return std::nullopt;
}

std::string resolver_failure(int gai_error, std::optional<model::Family> family) {
    switch (gai_error) {
    case EAI_NONAME: return "no such host";
    case EAI_NODATA:
    case EAI_ADDRFAMILY:
        return family ? fmt::format("no {} address", *family == model::Family::inet ? "IPv4" : "IPv6")
                      : "the host has no address";
    case EAI_AGAIN: return "the name server could not be reached (temporary failure in name resolution)";
    default: return fmt::format("name lookup failed: {}", gai_strerror(gai_error));
    }
}

Resolved resolve_host(std::string_view name, std::optional<model::Family> family) {
    Resolved r;
    std::string host(name);
    addrinfo hints{};
    hints.ai_family = !family ? AF_UNSPEC : *family == model::Family::inet ? AF_INET : AF_INET6;
    hints.ai_socktype = SOCK_DGRAM; // as setkey does, so each address comes back once
    hints.ai_protocol = IPPROTO_UDP;
    addrinfo* res = nullptr;
    if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res); rc != 0) {
        r.error = resolver_failure(rc, family);
        return r;
    }
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        model::IpAddress a;
        if (ai->ai_family == AF_INET) {
            a.family = model::Family::inet;
            std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
        } else if (ai->ai_family == AF_INET6) {
            auto* sin6 = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
            a.family = model::Family::inet6;
            std::memcpy(a.bytes.data(), &sin6->sin6_addr, 16);
            a.scope_id = sin6->sin6_scope_id;
        } else {
            continue;
        }
        if (std::find(r.addresses.begin(), r.addresses.end(), a) == r.addresses.end())
            r.addresses.push_back(a);
    }
    freeaddrinfo(res);
    if (r.addresses.empty()) r.error = resolver_failure(EAI_ADDRFAMILY, family);
    return r;
}

std::optional<uint16_t> lookup_udp_service(std::string_view name) {
    std::string n(name);
    servent se{}, *result = nullptr;
    char buf[1024];
    if (getservbyname_r(n.c_str(), "udp", &se, buf, sizeof buf, &result) != 0 || !result)
        return std::nullopt;
    return ntohs(uint16_t(result->s_port));
}

std::optional<uint8_t> lookup_protocol(std::string_view name) {
    std::string n(name);
    protoent pe{}, *result = nullptr;
    char buf[1024];
    if (getprotobyname_r(n.c_str(), &pe, buf, sizeof buf, &result) == 0 && result &&
        result->p_proto >= 0 && result->p_proto <= 255)
        return uint8_t(result->p_proto);
    // Debian names 58 "ipv6-icmp" and 4 "ipencap"; ipsec-tools falls back to these.
    if (name == "icmp6") return 58;
    if (name == "ip4") return 4;
    return std::nullopt;
}

} // namespace setkey::grammar
