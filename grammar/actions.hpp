// Grammar actions: each stores its token into the current statement's draft
// (drafts.hpp) through the checks of its family (address_checks, sa_checks,
// sa_options, spd_checks). A keyword table's words all go through one handler.
#pragma once

#include <type_traits>

#include "grammar/address_checks.hpp"
#include "grammar/keywords.hpp"
#include "grammar/numbers.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/rules.hpp"
#include "grammar/sa_checks.hpp"
#include "grammar/sa_options.hpp"
#include "grammar/semantic_error.hpp"
#include "grammar/spd_checks.hpp"
#include "grammar/suggest.hpp"

namespace setkey::grammar {

template<typename Rule> struct action : tao::pegtl::nothing<Rule> {};

namespace detail {
template<typename Input> std::string_view text(const Input& in) { return {in.begin(), in.size()}; }

template<typename T> constexpr Side side_v = std::is_same_v<T, rules::src_side> || std::is_same_v<T, rules::da_src_side> ? Side::src : Side::dst;
template<typename T> constexpr model::AlgKind kind_v = std::is_same_v<T, rules::enc_side> ? model::AlgKind::enc : model::AlgKind::auth;
} // namespace detail

// ---- keyword tables: what a matched word of each table does ----
template<const auto& Table> struct on_keyword {}; // no take(): the word only introduces a value

// BODY sees the word's row (`row`), its value (`v`) and where it starts (`at`).
#define SETKEY_ON_KEYWORD(TABLE, BODY)                                                                         \
    template<> struct on_keyword<TABLE> {                                                                      \
        static void take(ParseState& st, const std::remove_cvref_t<decltype(TABLE[0])>& row, const char* at) { \
            [[maybe_unused]] const auto& v = row.value;                                                        \
            (void)at;                                                                                          \
            BODY;                                                                                              \
        }                                                                                                      \
    }

SETKEY_ON_KEYWORD(kCommands, st.start(v, at));
SETKEY_ON_KEYWORD(kSaProtocols, {
    // flush and dump name a protocol too.
    const model::SaProtocol p = sa_protocol(v, at);
    if (SaDraft* sa = st.sa_if()) sa->sa.key.proto = p;
    else st.request().proto = p.type;
});
SETKEY_ON_KEYWORD(kSaModes, {
    st.sa().sa.key.mode = v;
    st.sa().mode_at = at;
});
SETKEY_ON_KEYWORD(kSaFlags, take_flag(st, row, at));
SETKEY_ON_KEYWORD(kUpperWords, st.spd().spd.upper = v);
SETKEY_ON_KEYWORD(kDirections, take_direction(st.spd(), v));
SETKEY_ON_KEYWORD(kPriorityBases, st.spd().spd.policy.priority = v);
SETKEY_ON_KEYWORD(kActions, st.spd().spd.policy.action = v);
SETKEY_ON_KEYWORD(kRequestProtocols, begin_request(st.spd(), v, at));
SETKEY_ON_KEYWORD(kRequestModes, st.spd().request.mode = v);
SETKEY_ON_KEYWORD(kLevels, st.spd().request.level = v);
#undef SETKEY_ON_KEYWORD

// A matched row's word: its own action (keyword_row), nothing looked up by text.
template<const auto& Table, std::size_t I> struct keyword_action {
    template<typename Input> static void apply(const Input& in, ParseState& st) {
        on_keyword<Table>::take(st, Table[I], in.begin());
    }
};
template<const auto& T, std::size_t I, template<typename> class W>
struct action<rules::keyword_row<T, I, W>>
    : std::conditional_t<requires { on_keyword<T>::take; }, keyword_action<T, I>, tao::pegtl::nothing<void>> {};

// A word where a table's word belongs: "unknown WHAT 'x'; did you mean ...".
template<const char* What, const auto& Table> struct unknown_word {
    template<typename Input> static void apply(const Input& in, ParseState&) {
        throw semantic_error(unknown_word_message(What, detail::text(in), candidates<Table>), in.begin());
    }
};
inline constexpr char kWhatCommand[] = "command", kWhatProtocol[] = "protocol", kWhatMode[] = "mode",
                      kWhatFlag[] = "-f flag", kWhatDirection[] = "policy direction", kWhatAction[] = "policy action",
                      kWhatRequestMode[] = "ipsec request mode", kWhatLevel[] = "ipsec request level",
                      kWhatRequestProtocol[] = "ipsec request protocol";
template<> struct action<rules::bad_command> : unknown_word<kWhatCommand, kCommands> {};
template<> struct action<rules::bad_proto> : unknown_word<kWhatProtocol, kSaProtocols> {};
template<> struct action<rules::bad_mode> : unknown_word<kWhatMode, kSaModes> {};
template<> struct action<rules::bad_flag> : unknown_word<kWhatFlag, kSaFlags> {};
template<> struct action<rules::bad_dir> : unknown_word<kWhatDirection, kDirections> {};
template<> struct action<rules::bad_action> : unknown_word<kWhatAction, kActions> {};
template<> struct action<rules::bad_req_mode> : unknown_word<kWhatRequestMode, kRequestModes> {};
template<> struct action<rules::bad_level> : unknown_word<kWhatLevel, kLevels> {};
template<> struct action<rules::bad_req_proto> : unknown_word<kWhatRequestProtocol, kRequestProtocols> {};

// ---- SA options: the word (XFRM-only ones are refused over PF_KEY), then a value
// other than a mode, a flag or a context goes to its row's store function ----
template<std::size_t I> struct action<rules::sa_option_word<I>> {
    template<typename Input> static void apply(const Input& in, ParseState& st) {
        take_option_word(st, kSaOptions[I], in.begin());
    }
};
template<std::size_t I> struct action<rules::sa_option_value<I>> {
    template<typename Input> static void apply(const Input& in, ParseState& st) {
        if constexpr (stored_value(kSaOptions[I].value.value)) take_option_value(st, kSaOptions[I], detail::text(in));
    }
};

#define SETKEY_ACTION(RULE, BODY)                                                                \
    template<> struct action<rules::RULE> {                                                      \
        template<typename Input> static void apply(const Input& in, ParseState& st) {          \
            [[maybe_unused]] std::string_view t = detail::text(in);                            \
            BODY;                                                                               \
        }                                                                                       \
    }
#define SETKEY_SIDE_ACTION(RULE, BODY)                                                           \
    template<typename S> struct action<rules::RULE<S>> {                                         \
        template<typename Input> static void apply(const Input& in, ParseState& st) {          \
            [[maybe_unused]] std::string_view t = detail::text(in);                            \
            BODY;                                                                               \
        }                                                                                       \
    }

// ---- statement frame ----
template<> struct action<rules::unterminated_quote> {
    template<typename Input> static void apply(const Input& in, ParseState&) {
        throw semantic_error("unterminated quoted string", in.begin());
    }
};
SETKEY_ACTION(add_end, st.finish(in.begin()));
SETKEY_ACTION(getspi_end, st.finish(in.begin()));
SETKEY_ACTION(get_end, st.finish(in.begin()));
SETKEY_ACTION(deleteall_end, st.finish(in.begin()));
SETKEY_ACTION(flush_end, st.finish(in.begin()));
SETKEY_ACTION(spd_end, st.finish(in.begin()));
SETKEY_ACTION(simple_end, st.finish(in.begin()));

// ---- addresses ----
SETKEY_ACTION(addr_flags, take_address_flags(st.endpoints(), t));
SETKEY_SIDE_ACTION(host, take_host(st.endpoints(), st.ctx, detail::side_v<S>, t));
SETKEY_SIDE_ACTION(port_any, take_port_any(st.endpoints(), detail::side_v<S>));
SETKEY_SIDE_ACTION(port_num, take_port_number(st.endpoints(), detail::side_v<S>, t));
SETKEY_SIDE_ACTION(port_name, take_port_service(st.endpoints(), st.ctx, detail::side_v<S>, t));
SETKEY_SIDE_ACTION(prefix_len, take_prefix(st.endpoints(), detail::side_v<S>, t));

// ---- SA ----
SETKEY_ACTION(natt_oa, {
    const model::IpAddress oa = natt_original_address(t);
    if (SaDraft* sa = st.sa_if()) sa->sa.key.proto.natt_oa = oa; // flush and dump: checked, not kept
});
SETKEY_ACTION(spi_hex, take_spi(st.sa(), t, SpiBase::hex));
SETKEY_ACTION(spi_dec, take_spi(st.sa(), t, SpiBase::decimal));
SETKEY_ACTION(ctx_doi, take_ctx_doi(st.security_context(), t));
SETKEY_ACTION(ctx_alg, take_ctx_alg(st.security_context(), t));
SETKEY_ACTION(ctx_string, take_ctx_string(st.ctx, st.security_context(), t));
SETKEY_ACTION(enc_alg, take_algorithm(st.sa(), st.ctx, model::AlgKind::enc, t));
SETKEY_ACTION(auth_alg, take_algorithm(st.sa(), st.ctx, model::AlgKind::auth, t));
SETKEY_ACTION(comp_alg, take_algorithm(st.sa(), st.ctx, model::AlgKind::comp, t));
SETKEY_ACTION(raw_cpi, st.sa().sa.flags |= model::kSaFlagRawCpi);
SETKEY_SIDE_ACTION(key_hex, take_key(st.sa(), detail::kind_v<S>, hex_key_bytes(t), in.begin()));
SETKEY_SIDE_ACTION(key_quoted, take_key(st.sa(), detail::kind_v<S>, std::vector<uint8_t>(t.begin() + 1, t.end() - 1), in.begin()));
SETKEY_SIDE_ACTION(key_missing, take_key(st.sa(), detail::kind_v<S>, std::nullopt, in.begin()));

// ---- selectors ----
SETKEY_ACTION(upper_number, take_upper_number(st.spd(), t));
SETKEY_ACTION(upper_name, take_upper_name(st.spd(), st.ctx, t));
SETKEY_ACTION(upper_misc, take_upper_misc(st.spd(), st.ctx, t));
SETKEY_ACTION(tag_string, st.spd().tag = std::string(t.substr(1, t.size() - 2)));

// ---- policy ----
SETKEY_ACTION(prio_up_offset, take_priority_offset(st.spd(), Shift::earlier, t));
SETKEY_ACTION(prio_down_offset, take_priority_offset(st.spd(), Shift::later, t));
SETKEY_ACTION(prio_neg_offset, take_priority_plain(st.spd(), Shift::later, t));
SETKEY_ACTION(prio_plain_offset, take_priority_plain(st.spd(), Shift::earlier, t));
SETKEY_SIDE_ACTION(req_addr, take_request_endpoint(st.spd(), st.ctx, detail::side_v<S>, t));
SETKEY_SIDE_ACTION(req_port_num, take_request_port(st.spd(), detail::side_v<S>, t));
SETKEY_ACTION(req_me_any, check_request_direction(st.spd(), model::Direction::out, in.begin()));
SETKEY_ACTION(req_any_me, check_request_direction(st.spd(), model::Direction::in, in.begin()));
SETKEY_ACTION(level_reqid, take_request_reqid(st.spd(), st.ctx, t));
SETKEY_ACTION(ipsec_request, end_request(st.spd()));

#undef SETKEY_SIDE_ACTION
#undef SETKEY_ACTION

} // namespace setkey::grammar
