// The checks of the SA options and -f flags listed in sa_options.hpp and keywords.hpp.
#include "grammar/sa_options.hpp"

#include <fmt/format.h>

#include "grammar/numbers.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/semantic_error.hpp"
#include "model/wire_limits.hpp"

namespace setkey::grammar {

void store_reqid(ParseState& st, std::string_view digits) {
    SaDraft& d = st.sa();
    auto v = parse_decimal(digits, 0xffffffffu);
    if (!v) throw semantic_error(fmt::format("reqid {} is out of range (at most 4294967295)", digits), digits.data());
    d.sa.key.reqid = uint32_t(*v);
}

void store_replay(ParseState& st, std::string_view digits) {
    SaDraft& d = st.sa();
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

void store_hard_seconds(ParseState& st, std::string_view digits) {
    SaDraft& d = st.sa();
    d.sa.hard.add_seconds = lifetime(digits);
    d.hard_seconds_at = digits.data();
}

void store_soft_seconds(ParseState& st, std::string_view digits) { st.sa().sa.soft.add_seconds = lifetime(digits); }

void store_hard_bytes(ParseState& st, std::string_view digits) {
    SaDraft& d = st.sa();
    d.sa.hard.bytes = lifetime(digits);
    d.hard_bytes_at = digits.data();
}

void store_soft_bytes(ParseState& st, std::string_view digits) { st.sa().sa.soft.bytes = lifetime(digits); }

void store_esp_frag(ParseState& st, std::string_view digits) {
    SaDraft& d = st.sa();
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
    d.esn_at = at;
}

namespace {

// "... needs the XFRM backend: WHY; use --backend xfrm", for an option, a -f word or a value.
std::string beyond_pfkey(std::string_view what, std::string_view why) {
    return fmt::format("{} needs the XFRM backend: {}; use --backend xfrm", what, why);
}

// A 32-bit number as the grammar's xfrm_number reads it: decimal, or 0x and hex digits.
std::optional<uint32_t> number32(std::string_view text) {
    const bool hex = text.size() > 1 && (text[1] == 'x' || text[1] == 'X');
    const auto v = hex ? parse_hex(text, 0xffffffffu) : parse_decimal(text, 0xffffffffu);
    if (!v) return std::nullopt;
    return uint32_t(*v);
}

uint32_t mark_part(std::string_view part, std::string_view noun, std::string_view what) {
    const auto v = number32(part);
    if (!v)
        throw semantic_error(fmt::format("{} {} {} is out of range: marks have 32 bits (at most 0xffffffff)", noun,
                                         what, part),
                             part.data());
    return *v;
}

// VALUE[/MASK]; the mask defaults to all 32 bits, as the kernel and ip-xfrm take it.
model::Mark mark_of(std::string_view text, std::string_view noun) {
    const size_t slash = text.find('/');
    model::Mark m;
    m.value = mark_part(text.substr(0, slash), noun, "value");
    if (slash != std::string_view::npos) m.mask = mark_part(text.substr(slash + 1), noun, "mask");
    return m;
}

// The commands that install what they name (the others look an SA or a policy up).
bool installs(Cmd cmd) {
    return cmd == Cmd::add || cmd == Cmd::update || cmd == Cmd::getspi || cmd == Cmd::spdadd || cmd == Cmd::spdupdate;
}

Cmd command_of(ParseState& st) { return st.sa_if() ? st.sa().cmd : st.spd().cmd; }

} // namespace

void store_mark(ParseState& st, std::string_view text) {
    model::Mark m = mark_of(text, "mark");
    const uint32_t stray = m.value & ~m.mask;
    if (stray != 0 && st.sa_if()) {
        // The kernel keeps an SA's value as given and tests (packet mark & mask) == value.
        if (installs(command_of(st)))
            st.ctx.warn(text.data(), fmt::format("the mark value {:#x} has bits outside its mask {:#x} ({:#x}), "
                                                 "so no packet's mark can match it",
                                                 m.value, m.mask, stray));
    } else if (stray != 0) {
        // A policy's value is kept masked (and looked up so): say what the kernel holds,
        // so that a sync, a delete or a dump compares with that.
        if (installs(command_of(st)))
            st.ctx.warn(text.data(), fmt::format("the kernel keeps the policy mark {:#x}/{:#x} as {:#x}/{:#x}: "
                                                 "value bits outside the mask are dropped",
                                                 m.value, m.mask, m.value & m.mask, m.mask));
        m.value &= m.mask;
    }
    st.mark() = m;
}

void store_if_id(ParseState& st, std::string_view text) {
    if (const SaDraft* d = st.sa_if(); d && (d->cmd == Cmd::get || d->cmd == Cmd::del))
        throw semantic_error(fmt::format("-if_id plays no part in finding an SA: the kernel finds it by destination, "
                                         "SPI, protocol and mark, so {} takes -mark alone",
                                         command_word(d->cmd)),
                             text.data());
    const auto v = number32(text);
    if (!v)
        throw semantic_error(fmt::format("interface id {} is out of range: it has 32 bits (at most 0xffffffff)", text),
                             text.data());
    st.if_id() = *v;
}

void store_output_mark(ParseState& st, std::string_view text) {
    SaDraft& d = st.sa();
    if (d.cmd != Cmd::add && d.cmd != Cmd::update)
        throw semantic_error("-output_mark is only for add and update: it sets the mark of the packets the SA "
                             "has transformed",
                             text.data());
    const model::Mark m = mark_of(text, "output mark");
    if (const uint32_t stray = m.value & ~m.mask; stray != 0)
        st.ctx.warn(text.data(), fmt::format("the output mark value {:#x} has bits outside its mask {:#x} ({:#x}), "
                                             "which are not set",
                                             m.value, m.mask, stray));
    d.sa.xfrm.output_mark = m;
}

void take_option_word(ParseState& st, const Keyword<SaOption>& row, const char* at) {
    if (row.value.beyond_pfkey && row.value.pfkey_max == kNoPfkeyLimit)
        st.ctx.xfrm_only(at, beyond_pfkey(row.word, row.value.beyond_pfkey));
}

void take_option_value(ParseState& st, const Keyword<SaOption>& row, std::string_view text) {
    if (row.value.store) row.value.store(st, text);
    if (!row.value.beyond_pfkey || row.value.pfkey_max == kNoPfkeyLimit) return;
    if (const auto v = number32(text); v && *v > row.value.pfkey_max)
        st.ctx.xfrm_only(text.data(), beyond_pfkey(fmt::format("{} {}", row.word, text), row.value.beyond_pfkey));
}

void take_flag(ParseState& st, const Keyword<SaFlag>& row, const char* at) {
    row.value.effect(st.sa(), at);
    if (row.value.beyond_pfkey)
        st.ctx.xfrm_only(at, beyond_pfkey(fmt::format("{} {}", kSaOptions[kFlagOptionRow].word, row.word),
                                          row.value.beyond_pfkey));
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

void take_ctx_string(ParseContext& pc, std::optional<model::SecurityContext>& ctx, std::string_view quoted) {
    const std::string_view text = quoted.substr(1, quoted.size() - 2);
    if (text.size() > model::limits::kMaxSecCtxText)
        throw semantic_error(fmt::format("security context of {} bytes is too long: the kernel takes at most {}",
                                         text.size(), model::limits::kMaxSecCtxText),
                             quoted.data());
    ctx->context = std::string(text);
    // The kernel would take the entry and say nothing of the context it did not keep.
    if (pc.options().contexts_dropped)
        pc.warn(quoted.data(), "this kernel keeps no security contexts (it runs no SELinux, the only keeper of "
                               "XFRM contexts): it takes the entry as if this one were not given");
}

} // namespace setkey::grammar
