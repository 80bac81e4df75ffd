// The checks of the SA options and -f flags listed in sa_options.hpp and keywords.hpp.
#include "grammar/sa_options.hpp"

#include <fmt/format.h>

#include "grammar/numbers.hpp"
#include "grammar/semantic_error.hpp"
#include "model/wire_limits.hpp"

namespace setkey::grammar {

void store_reqid(SaDraft& d, std::string_view digits) {
    auto v = parse_decimal(digits, 0xffffffffu);
    if (!v) throw semantic_error(fmt::format("reqid {} is out of range (at most 4294967295)", digits), digits.data());
    d.sa.key.reqid = uint32_t(*v);
}

void store_replay(SaDraft& d, std::string_view digits) {
    if (d.sa.key.proto.old)
        throw semantic_error("replay prevention (-r) cannot be used with ah-old or esp-old", digits.data());
    // The value is kept as written; each backend knows its kernel's limit.
    auto v = parse_decimal(digits, 0xffffffffu);
    if (!v) throw semantic_error(fmt::format("replay window {} is out of range", digits), digits.data());
    d.sa.replay = uint32_t(*v);
}

namespace {
uint64_t lifetime(std::string_view digits) {
    auto v = parse_decimal(digits, UINT64_MAX);
    if (!v) throw semantic_error(fmt::format("lifetime {} is out of range", digits), digits.data());
    return *v;
}
} // namespace

void store_hard_seconds(SaDraft& d, std::string_view digits) {
    d.sa.hard.add_seconds = lifetime(digits);
    d.hard_seconds_at = digits.data();
}

void store_soft_seconds(SaDraft& d, std::string_view digits) { d.sa.soft.add_seconds = lifetime(digits); }

void store_hard_bytes(SaDraft& d, std::string_view digits) {
    d.sa.hard.bytes = lifetime(digits);
    d.hard_bytes_at = digits.data();
}

void store_soft_bytes(SaDraft& d, std::string_view digits) { d.sa.soft.bytes = lifetime(digits); }

void store_esp_frag(SaDraft& d, std::string_view digits) {
    if (!d.sa.key.proto.udp_encap)
        throw semantic_error("-esp_frag (ESP fragment size) is only valid for esp-udp (NAT-T)", digits.data());
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("ESP fragment size {} is out of range (0 to 65535)", digits), digits.data());
    d.sa.esp_frag = uint16_t(*v);
}

void set_zero_pad(SaDraft& d, const char*) { d.sa.flags |= model::kSaFlagZeroPad; }
void set_random_pad(SaDraft& d, const char*) { d.sa.flags |= model::kSaFlagRandomPad; }
void set_seq_pad(SaDraft&, const char*) {} // SADB_X_EXT_PSEQ is 0: the default padding
void clear_cyclic_seq(SaDraft& d, const char*) { d.sa.flags &= ~model::kSaFlagCyclicSeq; }

// Extended sequence numbers (RFC 4303): our extension; only XFRM can install them.
void set_esn(SaDraft& d, const char* at) {
    if (d.sa.key.proto.type != model::SaType::esp || d.sa.key.proto.old)
        throw semantic_error("-f esn (extended sequence numbers) needs esp or esp-udp", at);
    d.sa.esn = true;
}

void take_ctx_doi(std::optional<model::SecurityContext>& ctx, std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error("security context DOI is out of range (0 to 255)", digits.data());
    ctx.emplace().doi = uint8_t(*v);
}

void take_ctx_alg(std::optional<model::SecurityContext>& ctx, std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error("security context algorithm is out of range (0 to 255)", digits.data());
    ctx->alg = uint8_t(*v);
}

void take_ctx_string(std::optional<model::SecurityContext>& ctx, std::string_view quoted) {
    const std::string_view text = quoted.substr(1, quoted.size() - 2);
    if (text.size() > model::limits::kMaxSecCtxText)
        throw semantic_error(fmt::format("security context of {} bytes is too long: the kernel takes at most {}",
                                         text.size(), model::limits::kMaxSecCtxText),
                             quoted.data());
    ctx->context = std::string(text);
}

} // namespace setkey::grammar
