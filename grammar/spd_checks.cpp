#include "grammar/spd_checks.hpp"

#include <fmt/format.h>

#include "grammar/address_checks.hpp"
#include "grammar/address_text.hpp"
#include "grammar/numbers.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/resolution_cache.hpp"
#include "grammar/semantic_error.hpp"
#include "model/wire_limits.hpp"

namespace setkey::grammar {
namespace {

constexpr uint8_t kIcmp = 1, kIcmp6 = 58, kGre = 47, kMh = 135;

// TYPE,CODE 0,0 after icmp, icmp6 or mh: the kernel reads it as "any".
std::string any_message_warning(uint8_t upper) {
    const std::string_view name = upper == kIcmp ? "icmp" : upper == kIcmp6 ? "icmp6" : "mh";
    const std::string_view what = upper == kIcmp ? " (echo reply)" : "";
    const std::string_view family = upper == kIcmp ? "ICMP" : upper == kIcmp6 ? "ICMPv6" : "Mobility Header";
    return fmt::format("{} 0,0{} is type 0 code 0, which the kernel reads as any type and code: "
                       "this policy matches every {} message", name, what, family);
}

} // namespace

void take_upper_number(SpdDraft& d, std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error(fmt::format("upper-layer protocol {} is out of range (0 to 255)", digits), digits.data());
    d.spd.upper = uint8_t(*v);
}

void take_upper_name(SpdDraft& d, ParseContext& ctx, std::string_view name) {
    if (reserved_word(name)) {
        std::string msg = fmt::format("invalid upper layer protocol '{}': it is a reserved word", name);
        if (auto n = lookup_protocol(ctx.options().names, name)) msg += fmt::format("; write its number, {}", *n);
        throw semantic_error(msg, name.data());
    }
    auto p = lookup_protocol(ctx.options().names, name);
    if (!p) throw semantic_error(fmt::format("invalid upper layer protocol '{}' (not in /etc/protocols)", name), name.data());
    d.spd.upper = *p;
}

void take_upper_misc(SpdDraft& d, ParseContext& ctx, std::string_view token) {
    const char* at = token.data();
    model::SpdEntry& spd = d.spd;
    const uint8_t u = spd.upper;
    if (u == kIcmp || u == kIcmp6 || u == kMh) {
        auto comma = token.find(',');
        std::string_view type = token.substr(0, comma);
        std::string_view code = comma == std::string_view::npos ? std::string_view{} : token.substr(comma + 1);
        auto t = all_digits(type) ? parse_decimal(type, 255) : std::nullopt;
        auto c = all_digits(code) ? parse_decimal(code, 255) : std::nullopt;
        if (!t || !c)
            throw semantic_error(fmt::format("expected TYPE,CODE (each 0 to 255) after the upper-layer protocol, got '{}'", token), at);
        // Type and code travel as the selector's ports, where 0 means "any".
        if (*t == 0 && *c == 0) ctx.warn(at, any_message_warning(u));
        spd.src.port = *t;
        spd.dst.port = *c;
    } else if (u == kGre) {
        auto key = parse_numeric_address(token);
        if (!key || key->family != model::Family::inet)
            throw semantic_error(fmt::format("a GRE key is written as a dotted quad (a.b.c.d), got '{}'", token), at);
        spd.src.port = uint16_t(key->bytes[0] << 8 | key->bytes[1]);
        spd.dst.port = uint16_t(key->bytes[2] << 8 | key->bytes[3]);
    } else {
        throw semantic_error(fmt::format("'{}': a TYPE,CODE or key only follows icmp, icmp6, mh or gre", token), at);
    }
    spd.has_misc = true;
}

void take_direction(SpdDraft& d, model::Direction dir) {
    // Selectors are complete once -P is reached; store them now so misc ports survive.
    if (!d.tag) {
        const Endpoints& e = d.ends;
        const auto& s = e.src.front();
        const auto& t = e.dst.front();
        d.spd.src.addr = s;
        d.spd.src.prefixlen = e.src_prefix.value_or(uint8_t(s.full_prefix()));
        d.spd.dst.addr = t;
        d.spd.dst.prefixlen = e.dst_prefix.value_or(uint8_t(t.full_prefix()));
        if (!d.spd.has_misc) {
            d.spd.src.port = e.src_port.value_or(model::kAnyPort);
            d.spd.dst.port = e.dst_port.value_or(model::kAnyPort);
        }
    }
    d.spd.policy.dir = dir;
}

void take_priority_offset(SpdDraft& d, Shift shift, std::string_view digits) {
    // libipsec: lower values sort first. "BASE + N" moves a policy earlier (N at most
    // 0x40000000), "BASE - N" later (N at most 0x3fffffff).
    const bool earlier = shift == Shift::earlier;
    uint64_t max = earlier ? 0x40000000u : 0x3fffffffu;
    auto v = parse_decimal(digits, max);
    if (!v)
        throw semantic_error(fmt::format("priority offset {} is out of range (at most {})", digits, max), digits.data());
    uint32_t& priority = d.spd.policy.priority;
    priority = earlier ? priority - uint32_t(*v) : priority + uint32_t(*v);
}

void take_priority_plain(SpdDraft& d, Shift shift, std::string_view digits) {
    // 0.8.2 checks "prio N" and "prio -N" only as 32-bit signed values: N up to 2^31
    // (0x80000000 - 2^31 is 0, the earliest) and -N down to -(2^31 - 1) (0xffffffff).
    const bool later = shift == Shift::later;
    uint64_t max = later ? 0x7fffffffu : 0x80000000u;
    auto v = parse_decimal(digits, max);
    if (!v)
        throw semantic_error(later ? fmt::format("priority -{} is out of range (at least -{})", digits, max)
                                   : fmt::format("priority {} is out of range (at most {})", digits, max),
                             digits.data());
    d.spd.policy.priority = later ? model::kPriorityDefault + uint32_t(*v) : model::kPriorityDefault - uint32_t(*v);
}

void begin_request(SpdDraft& d, uint8_t proto, const char* at) {
    if (d.spd.policy.requests.size() == model::limits::kMaxTemplates)
        throw semantic_error(fmt::format("too many ipsec requests: a policy takes at most {} (the kernel's "
                                         "XFRM_MAX_DEPTH)", model::limits::kMaxTemplates),
                             at);
    d.request = {};
    d.request.proto = proto;
    d.request_at = at;
}

void take_request_endpoint(SpdDraft& d, ParseContext& ctx, Side side, std::string_view token) {
    bool octal = false;
    auto a = parse_numeric_address(token, &octal);
    if (!a)
        throw semantic_error(numeric_address_problem(token).value_or(fmt::format(
                                 "'{}' is not a numeric address (policy endpoints are never looked up)", token)),
                             token.data());
    warn_dropped_scope(ctx, token, "a tunnel endpoint");
    if (octal) warn_octal_octets(ctx, token, *a);
    model::IpsecRequest& req = d.request;
    if (side == Side::dst) {
        if (a->family != req.src->addr.family)
            throw semantic_error(fmt::format("family mismatch: the tunnel source is {}, the destination {}",
                                             family_name(req.src->addr.family), family_name(a->family)),
                                 token.data());
        req.dst = model::Endpoint{*a, std::nullopt};
    } else {
        req.src = model::Endpoint{*a, std::nullopt};
    }
}

void take_request_port(SpdDraft& d, Side side, std::string_view digits) {
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("port {} is out of range (0 to 65535)", digits), digits.data());
    (side == Side::src ? d.request.src : d.request.dst)->port = uint16_t(*v);
}

void check_request_direction(const SpdDraft& d, model::Direction allowed, const char* at) {
    if (d.spd.policy.dir != allowed)
        throw semantic_error(allowed == model::Direction::out ? "me-any is only valid in outbound (out) policies"
                                                              : "any-me is only valid in inbound (in) policies", at);
}

void take_request_reqid(SpdDraft& d, ParseContext& ctx, std::string_view digits) {
    auto v = parse_decimal(digits, model::kScriptReqidMax);
    if (!v || *v == 0)
        throw semantic_error(fmt::format("reqid {} is out of range (unique:N takes 1 to {})", digits, model::kScriptReqidMax),
                             digits.data());
    // Not over XFRM, which keeps it (IKE daemons and -o script write such reqids).
    if (*v > model::kManualReqidMax && ctx.options().kernel != KernelInterface::xfrm)
        ctx.warn(digits.data(), fmt::format("reqid {} is above {}: Linux PF_KEY replaces it with a reqid of its "
                                            "own (XFRM keeps it)", *v, model::kManualReqidMax));
    d.request.level = model::Level::unique;
    d.request.reqid = uint32_t(*v);
}

void end_request(SpdDraft& d) {
    if (d.request.mode == model::Mode::tunnel && (!d.request.src || !d.request.dst))
        throw semantic_error("tunnel mode needs both endpoints: PROTO/tunnel/SRC-DST/LEVEL", d.request_at);
    d.spd.policy.requests.push_back(d.request);
}

} // namespace setkey::grammar
