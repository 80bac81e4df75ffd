// Grammar actions: each hands its token to the Builder, which assembles statements and
// runs the semantic checks.
#pragma once

#include "grammar/builder.hpp"
#include "grammar/numbers.hpp"
#include "grammar/rules.hpp"
#include "grammar/semantic_error.hpp"

#include <type_traits>

namespace setkey::grammar {

template<typename Rule> struct action : tao::pegtl::nothing<Rule> {};

namespace detail {
template<typename Input> std::string_view text(const Input& in) { return {in.begin(), in.size()}; }

template<typename T> constexpr Side side_v = std::is_same_v<T, rules::src_side> || std::is_same_v<T, rules::da_src_side> ? Side::src : Side::dst;
template<typename T> constexpr model::AlgKind kind_v = std::is_same_v<T, rules::enc_side> ? model::AlgKind::enc : model::AlgKind::auth;
} // namespace detail

#define SETKEY_ACTION(RULE, BODY)                                                                \
    template<> struct action<rules::RULE> {                                                      \
        template<typename Input> static void apply(const Input& in, Builder& b) {              \
            [[maybe_unused]] std::string_view t = detail::text(in);                            \
            BODY;                                                                               \
        }                                                                                       \
    }

// ---- commands ----
SETKEY_ACTION(kw_add, b.begin(Cmd::add, in.begin()));
SETKEY_ACTION(kw_update, b.begin(Cmd::update, in.begin()));
SETKEY_ACTION(kw_getspi, b.begin(Cmd::getspi, in.begin()));
SETKEY_ACTION(kw_get, b.begin(Cmd::get, in.begin()));
SETKEY_ACTION(kw_delete, b.begin(Cmd::del, in.begin()));
SETKEY_ACTION(kw_deleteall, b.begin(Cmd::deleteall, in.begin()));
SETKEY_ACTION(kw_flush, b.begin(Cmd::flush, in.begin()));
SETKEY_ACTION(kw_dump, b.begin(Cmd::dump, in.begin()));
SETKEY_ACTION(kw_spdadd, b.begin(Cmd::spdadd, in.begin()));
SETKEY_ACTION(kw_spdupdate, b.begin(Cmd::spdupdate, in.begin()));
SETKEY_ACTION(kw_spddelete, b.begin(Cmd::spddelete, in.begin()));
SETKEY_ACTION(kw_spdflush, b.begin(Cmd::spdflush, in.begin()));
SETKEY_ACTION(kw_spddump, b.begin(Cmd::spddump, in.begin()));
SETKEY_ACTION(kw_exit, b.begin(Cmd::exit, in.begin()));
SETKEY_ACTION(bad_command, b.unknown_command(t));
template<> struct action<rules::unterminated_quote> {
    template<typename Input> static void apply(const Input& in, Builder&) {
        throw semantic_error("unterminated quoted string", in.begin());
    }
};
SETKEY_ACTION(add_end, b.finish(in.begin()));
SETKEY_ACTION(getspi_end, b.finish(in.begin()));
SETKEY_ACTION(get_end, b.finish(in.begin()));
SETKEY_ACTION(deleteall_end, b.finish(in.begin()));
SETKEY_ACTION(flush_end, b.finish(in.begin()));
SETKEY_ACTION(spd_end, b.finish(in.begin()));
SETKEY_ACTION(simple_end, b.finish(in.begin()));

// ---- addresses ----
SETKEY_ACTION(addr_flags, b.address_flags(t));
template<typename S> struct action<rules::host<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.host(detail::side_v<S>, detail::text(in)); }
};
template<typename S> struct action<rules::port_any<S>> {
    template<typename Input> static void apply(const Input&, Builder& b) { b.port_any(detail::side_v<S>); }
};
template<typename S> struct action<rules::port_num<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.port_number(detail::side_v<S>, detail::text(in)); }
};
template<typename S> struct action<rules::port_name<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.port_service(detail::side_v<S>, detail::text(in)); }
};
template<typename S> struct action<rules::prefix_len<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.prefix(detail::side_v<S>, detail::text(in)); }
};

// ---- SA identity ----
SETKEY_ACTION(proto_esp_udp, b.protocol(model::SaType::esp, false, true, in.begin()));
SETKEY_ACTION(proto_esp_old, b.protocol(model::SaType::esp, true, false, in.begin()));
SETKEY_ACTION(proto_ah_old, b.protocol(model::SaType::ah, true, false, in.begin()));
SETKEY_ACTION(proto_esp, b.protocol(model::SaType::esp, false, false, in.begin()));
SETKEY_ACTION(proto_ah, b.protocol(model::SaType::ah, false, false, in.begin()));
SETKEY_ACTION(proto_ipcomp, b.protocol(model::SaType::ipcomp, false, false, in.begin()));
SETKEY_ACTION(proto_tcp, b.protocol(model::SaType::tcp, false, false, in.begin()));
SETKEY_ACTION(bad_proto, b.unknown_protocol(t));
SETKEY_ACTION(natt_oa, b.natt_oa(t));
SETKEY_ACTION(spi_hex, b.spi(t, true));
SETKEY_ACTION(spi_dec, b.spi(t, false));

// ---- SA extensions ----
SETKEY_ACTION(mode_transport, b.mode(model::Mode::transport, in.begin()));
SETKEY_ACTION(mode_tunnel, b.mode(model::Mode::tunnel, in.begin()));
SETKEY_ACTION(mode_any, b.mode(model::Mode::any, in.begin()));
SETKEY_ACTION(bad_mode, b.unknown_mode(t));
SETKEY_ACTION(reqid_value, b.reqid(t));
SETKEY_ACTION(replay_value, b.replay(t));
SETKEY_ACTION(flag_zero_pad, b.pad_flag(model::kSaFlagZeroPad, 0));
SETKEY_ACTION(flag_random_pad, b.pad_flag(model::kSaFlagRandomPad, 0));
SETKEY_ACTION(flag_seq_pad, b.pad_flag(0, 0)); // SADB_X_EXT_PSEQ is 0: the default padding
SETKEY_ACTION(flag_nocyclic_seq, b.pad_flag(0, model::kSaFlagCyclicSeq));
SETKEY_ACTION(flag_esn, b.esn(in.begin()));
SETKEY_ACTION(bad_flag, b.unknown_flag(t));
SETKEY_ACTION(hard_seconds, b.lifetime(true, false, t));
SETKEY_ACTION(soft_seconds, b.lifetime(false, false, t));
SETKEY_ACTION(hard_bytes, b.lifetime(true, true, t));
SETKEY_ACTION(soft_bytes, b.lifetime(false, true, t));
SETKEY_ACTION(ctx_doi, b.ctx_doi(t));
SETKEY_ACTION(ctx_alg, b.ctx_alg(t));
SETKEY_ACTION(ctx_string, b.ctx_string(t));
SETKEY_ACTION(esp_frag_value, b.esp_frag(t));

// ---- algorithms ----
SETKEY_ACTION(enc_alg, b.algorithm(model::AlgKind::enc, t));
SETKEY_ACTION(auth_alg, b.algorithm(model::AlgKind::auth, t));
SETKEY_ACTION(comp_alg, b.algorithm(model::AlgKind::comp, t));
SETKEY_ACTION(raw_cpi, b.raw_cpi());
template<typename S> struct action<rules::key_hex<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) {
        b.key(detail::kind_v<S>, hex_key_bytes(detail::text(in)), in.begin());
    }
};
template<typename S> struct action<rules::key_quoted<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) {
        std::string_view q = detail::text(in);
        b.key(detail::kind_v<S>, std::vector<uint8_t>(q.begin() + 1, q.end() - 1), in.begin());
    }
};
template<typename S> struct action<rules::key_missing<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.key_missing(detail::kind_v<S>, in.begin()); }
};

// ---- selectors ----
SETKEY_ACTION(upper_any, b.upper_any());
SETKEY_ACTION(upper_tcp, b.upper_number("6"));
SETKEY_ACTION(upper_number, b.upper_number(t));
SETKEY_ACTION(upper_name, b.upper_name(t));
SETKEY_ACTION(upper_misc, b.upper_misc(t));
SETKEY_ACTION(tag_string, b.tag(t));

// ---- policy ----
SETKEY_ACTION(dir_in, b.direction(model::Direction::in));
SETKEY_ACTION(dir_out, b.direction(model::Direction::out));
SETKEY_ACTION(dir_fwd, b.direction(model::Direction::fwd));
SETKEY_ACTION(bad_dir, b.unknown_direction(t));
SETKEY_ACTION(prio_low, b.priority_base(0xc0000000u));
SETKEY_ACTION(prio_def, b.priority_base(model::kPriorityDefault));
SETKEY_ACTION(prio_high, b.priority_base(0x40000000u));
SETKEY_ACTION(prio_up_offset, b.priority_offset(b.current_priority(), true, t));
SETKEY_ACTION(prio_down_offset, b.priority_offset(b.current_priority(), false, t));
SETKEY_ACTION(prio_neg_offset, b.priority_plain(true, t));
SETKEY_ACTION(prio_plain_offset, b.priority_plain(false, t));
SETKEY_ACTION(act_ipsec, b.action(model::Action::ipsec));
SETKEY_ACTION(act_discard, b.action(model::Action::discard));
SETKEY_ACTION(act_none, b.action(model::Action::none));
SETKEY_ACTION(act_entrust, b.action(model::Action::entrust));
SETKEY_ACTION(act_bypass, b.action(model::Action::bypass));
SETKEY_ACTION(bad_action, b.unknown_action(t));
SETKEY_ACTION(req_esp, b.request_begin(model::kProtoEsp, in.begin()));
SETKEY_ACTION(req_ah, b.request_begin(model::kProtoAh, in.begin()));
SETKEY_ACTION(req_ipcomp, b.request_begin(model::kProtoIpcomp, in.begin()));
SETKEY_ACTION(req_transport, b.request_mode(model::Mode::transport));
SETKEY_ACTION(req_tunnel, b.request_mode(model::Mode::tunnel));
SETKEY_ACTION(bad_req_mode, b.unknown_request_mode(t));
template<typename S> struct action<rules::req_addr<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.request_endpoint(detail::side_v<S>, detail::text(in)); }
};
template<typename S> struct action<rules::req_port_num<S>> {
    template<typename Input> static void apply(const Input& in, Builder& b) { b.request_port(detail::side_v<S>, detail::text(in)); }
};
SETKEY_ACTION(req_me_any, b.request_me_any(true, in.begin()));
SETKEY_ACTION(req_any_me, b.request_me_any(false, in.begin()));
SETKEY_ACTION(level_reqid, b.request_reqid(t));
SETKEY_ACTION(level_unique, b.request_level(model::Level::unique));
SETKEY_ACTION(level_require, b.request_level(model::Level::require));
SETKEY_ACTION(level_use, b.request_level(model::Level::use));
SETKEY_ACTION(level_default, b.request_level(model::Level::default_));
SETKEY_ACTION(bad_level, b.unknown_level(t));
SETKEY_ACTION(ipsec_request, b.request_end());

#undef SETKEY_ACTION

} // namespace setkey::grammar
