#include "grammar/address_text.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace setkey::grammar {
namespace {

// Strict dotted quad: four decimal octets, no leading '+', each <= 255.
bool parse_ipv4(std::string_view t, uint8_t* out) {
    unsigned part = 0, value = 0, digits = 0;
    for (char c : t) {
        if (c >= '0' && c <= '9') {
            value = value * 10 + unsigned(c - '0');
            if (++digits > 3 || value > 255) return false;
        } else if (c == '.') {
            if (digits == 0 || part == 3) return false;
            out[part++] = uint8_t(value);
            value = digits = 0;
        } else {
            return false;
        }
    }
    if (digits == 0 || part != 3) return false;
    out[3] = uint8_t(value);
    return true;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::optional<model::IpAddress> parse_numeric_address(std::string_view text) {
    model::IpAddress a;
    if (parse_ipv4(text, a.bytes.data())) return a; // fails fast on anything but digits and dots
    if (text.find(':') == std::string_view::npos) return std::nullopt;
    std::string_view host = text, scope;
    if (auto pct = text.find('%'); pct != std::string_view::npos) {
        host = text.substr(0, pct);
        scope = text.substr(pct + 1);
        if (scope.empty() || scope.size() >= IF_NAMESIZE) return std::nullopt;
    }
    char buf[INET6_ADDRSTRLEN + 1];
    if (host.size() >= sizeof buf) return std::nullopt;
    std::memcpy(buf, host.data(), host.size());
    buf[host.size()] = '\0';
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
    a.family = model::Family::inet6;
    if (!scope.empty()) {
        char name[IF_NAMESIZE];
        std::memcpy(name, scope.data(), scope.size());
        name[scope.size()] = '\0';
        if (all_digits(scope)) {
            unsigned long v = std::strtoul(name, nullptr, 10);
            if (v > 0xffffffffUL) return std::nullopt;
            a.scope_id = uint32_t(v);
        } else if (unsigned idx = if_nametoindex(name); idx != 0) {
            a.scope_id = idx;
        } else {
            return std::nullopt;
        }
    }
    return a;
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
        r.error = gai_strerror(rc);
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
    if (r.addresses.empty()) r.error = "no address of the requested family";
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
