#include "grammar/address_checks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grammar/address_text.hpp"
#include "grammar/numbers.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/resolution_cache.hpp"
#include "grammar/semantic_error.hpp"

namespace setkey::grammar {
namespace {

using model::Family;

constexpr std::string_view kReserved[] = {
    "add", "delete", "deleteall", "get", "flush", "dump", "exit", "quit", "bye", "spdadd",
    "spdupdate", "spddelete", "spddump", "spdflush", "tagged", "ah", "esp", "ah-old",
    "esp-old", "esp-udp", "ipcomp", "tcp", "oui", "deflate", "lzs", "transport", "tunnel",
    "random-pad", "seq-pad", "zero-pad", "nocyclic-seq", "any", "update", "getspi"};

// A host name: looked up unless -n or the options forbid it.
void resolve_name(Endpoints& e, ParseContext& ctx, std::vector<model::IpAddress>& list, std::string_view token) {
    const char* at = token.data();
    if (auto problem = numeric_address_problem(token)) throw semantic_error(*problem, at);
    if (reserved_word(token)) throw semantic_error(fmt::format("'{}' is a reserved word, not an address", token), at);
    if (all_digits(token)) throw semantic_error(fmt::format("'{}' is not an address", token), at);
    if (e.lookup == Lookup::numeric_only)
        throw semantic_error(fmt::format("'{}' is not a numeric address (-n forbids name lookups)", token), at);
    if (!ctx.options().resolve_names)
        throw semantic_error(fmt::format("'{}' is not a numeric address (name resolution is off)", token), at);
    Resolved r = resolve_host(ctx.options().names, token, e.family);
    if (r.addresses.empty()) throw semantic_error(fmt::format("'{}': {}", token, r.error), at);
    if (e.use != AddressUse::sa_pairs && r.addresses.size() > 1)
        throw semantic_error(fmt::format("multiple address specified: '{}' resolves to {} addresses; "
                                         "use a numeric address or -4/-6", token, r.addresses.size()), at);
    list = std::move(r.addresses);
}

} // namespace

bool reserved_word(std::string_view w) {
    return std::find(std::begin(kReserved), std::end(kReserved), w) != std::end(kReserved);
}

const char* family_name(Family f) { return f == Family::inet ? "IPv4" : "IPv6"; }

void take_address_flags(Endpoints& e, std::string_view token) {
    // Each letter applies in order, so the last of 4/6 wins (as parse.y does).
    for (char c : token.substr(1)) {
        if (c == '4') e.family = Family::inet;
        else if (c == '6') e.family = Family::inet6;
        else e.lookup = Lookup::numeric_only;
    }
}

void take_host(Endpoints& e, ParseContext& ctx, Side side, std::string_view token) {
    auto& list = e.addresses(side);
    if (side == Side::dst) e.dst_at = token.data();
    const char* at = token.data();
    // `host_name` or `@HOST@` placeholders: name the character, as setkey's lexer did.
    if (const char* next = token.data() + token.size(); next < ctx.text_end() && (*next == '_' || *next == '@'))
        throw semantic_error(fmt::format("the address '{}' ends at '{}'", token, *next), next);
    bool octal = false;
    if (auto a = parse_numeric_address(token, &octal)) {
        if (e.family && a->family != *e.family)
            throw semantic_error(fmt::format("'{}' is an {} address, but -{} asks for {}", token,
                                             family_name(a->family), *e.family == Family::inet ? '4' : '6',
                                             family_name(*e.family)), at);
        if (e.use == AddressUse::selector) warn_dropped_scope(ctx, token, kSelectorPlace);
        if (octal) warn_octal_octets(ctx, token, *a);
        list.push_back(*a);
    } else {
        resolve_name(e, ctx, list, token);
    }
    if (side == Side::dst && e.use != AddressUse::sa_pairs && e.src.front().family != e.dst.front().family)
        throw semantic_error(fmt::format("the source is an {} address but the destination is {}",
                                         family_name(e.src.front().family), family_name(e.dst.front().family)), at);
}

void warn_octal_octets(ParseContext& ctx, std::string_view token, const model::IpAddress& read) {
    // Quiet where octal and decimal agree ("10.1.1.01").
    std::array<uint8_t, 4> decimal{};
    size_t part = 0, start = 0;
    for (; part < 4; ++part) {
        const size_t dot = std::min(token.find('.', start), token.size());
        const auto v = parse_decimal(token.substr(start, dot - start), 255);
        if (!v) break;
        decimal[part] = uint8_t(*v);
        start = dot + 1;
    }
    if (part == 4 && std::equal(decimal.begin(), decimal.end(), read.bytes.begin())) return;
    ctx.warn(token.data(), fmt::format("'{}' is {}: a part with a leading 0 is octal, as 0.8.2 read it "
                                       "(inet_aton); write it without the 0 for decimal",
                                       token, read.to_string()));
}

void warn_dropped_scope(ParseContext& ctx, std::string_view token, std::string_view where) {
    // Neither PF_KEY nor XFRM carries a scope in selectors or templates: it would be lost.
    auto pct = token.find('%');
    if (pct == std::string_view::npos) return;
    const bool selector = where == kSelectorPlace;
    ctx.warn(token.data(), fmt::format("'{}': the kernel keeps no scope in {}; {} is dropped{}{}{}", token, where,
                                       token.substr(pct), selector ? " and the policy matches " : "",
                                       selector ? token.substr(0, pct) : "", selector ? " on every interface" : ""));
}

void take_port_any(Endpoints& e, Side side) { e.port(side) = model::kAnyPort; }

void take_port_number(Endpoints& e, Side side, std::string_view digits) {
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("port {} is out of range (0 to 65535)", digits), digits.data());
    e.port(side) = uint16_t(*v);
}

void take_port_service(Endpoints& e, ParseContext& ctx, Side side, std::string_view name) {
    auto p = lookup_udp_service(ctx.options().names, name);
    if (!p) throw semantic_error(fmt::format("unknown service '{}'", name), name.data());
    e.port(side) = *p;
}

void take_prefix(Endpoints& e, Side side, std::string_view digits) {
    const auto& a = e.addresses(side).front();
    auto v = parse_decimal(digits, 255);
    if (!v || *v > a.full_prefix())
        throw semantic_error(fmt::format("prefix length {} is out of range for an {} address (0 to {})",
                                         digits, family_name(a.family), a.full_prefix()), digits.data());
    e.prefix(side) = uint8_t(*v);
}

} // namespace setkey::grammar
