// The setkey script grammar (ipsec-tools 0.8.2 token.l/parse.y and libipsec's policy
// language), as PEGTL rules. Rules only: no semantics here. Every semantic role has its
// own rule type so actions (actions.hpp) and messages (errors.hpp) attach exactly.
// Keyword alternatives come from the tables in keywords.hpp and sa_options.hpp.
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/keyword_rules.hpp"
#include "grammar/keywords.hpp"
#include "grammar/sa_options.hpp"
#include "grammar/scan_rules.hpp"

namespace setkey::grammar::rules {

using namespace tao::pegtl;

// clang-format off

// ---- lexical rules (token.l) ------------------------------------------------------
struct ws : one<' ', '\t', '\n', '\r'> {};
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct sep : scan::separator<star<sor<ws, comment>>> {};
// STRING is [A-Za-z0-9:][A-Za-z0-9:%.-]*: host names, addresses, service and protocol names.
struct word_char : sor<alnum, one<':', '%', '.', '-'>> {};
struct word : scan::word<seq<sor<alnum, one<':'>>, star<word_char>>> {};
struct end_of_word : not_at<word_char> {};
template<typename S> struct kw : seq<S, end_of_word> {};
struct number : scan::number<seq<plus<digit>, end_of_word>> {};
struct hex_number : scan::hex_number<seq<one<'0'>, one<'x', 'X'>, plus<xdigit>, end_of_word>> {};
// A quote left open swallows the rest of the script; reported at the opening quote.
struct unterminated_quote : seq<one<'"'>, star<not_one<'"'>>, eof> {};
struct quoted : sor<seq<one<'"'>, star<not_one<'"'>>, one<'"'>>, unterminated_quote> {};

// ---- side tags, so source and destination are distinct roles -----------------------
struct src_side {};
struct dst_side {};
struct da_src_side {};
struct da_dst_side {};

// ---- address options and endpoints ------------------------------------------------
struct addr_flags : seq<one<'-'>, plus<one<'4', '6', 'n'>>, end_of_word> {};
struct addr_opts : star<addr_flags, sep> {};

template<typename Side> struct host : word {};
template<typename Side> struct port_any : kw<TAO_PEGTL_STRING("any")> {};
template<typename Side> struct port_num : number {};
template<typename Side> struct port_name : word {};
template<typename Side> struct port_value : sor<port_any<Side>, port_num<Side>, port_name<Side>> {};
struct port_close : one<']'> {};
template<typename Side> struct port : if_must<one<'['>, sep, port_value<Side>, sep, port_close> {};
template<typename Side> struct sa_endpoint : seq<host<Side>, sep, opt<port<Side>, sep>> {};
struct sa_src : sa_endpoint<src_side> {};
struct sa_dst : sa_endpoint<dst_side> {};

// ---- SA protocol -----------------------------------------------------------------
struct natt_oa : seq<not_at<number>, not_at<hex_number>, word> {};
struct proto_esp_udp : seq<keyword_row<kSaProtocols, kEspUdpRow, kw>, opt<sep, natt_oa>> {};
struct known_proto : sor<proto_esp_udp, keyword_of<kSaProtocols, kw>> {};
struct bad_proto : word {};
struct sa_proto : seq<sor<known_proto, bad_proto>, sep> {};

struct spi_hex : hex_number {};
struct spi_dec : number {};
struct spi : seq<sor<spi_hex, spi_dec>, sep> {};

// ---- SA extensions (one alternative per row of kSaOptions) ------------------------------
template<char... C> struct option : seq<one<'-'>, string<C...>, end_of_word> {};
struct bad_mode : word {};
struct mode_value : sor<keyword_of<kSaModes, kw>, bad_mode> {};
struct bad_flag : word {};
struct flag_value : sor<keyword_of<kSaFlags, kw>, bad_flag> {};
struct ctx_doi : number {};
struct ctx_alg : number {};
struct ctx_string : quoted {};
struct ctx_parts : must<ctx_doi, sep, ctx_alg, sep, ctx_string> {};
// -mark's and -if_id's numbers: decimal or 0x hex, as ip-xfrm prints them.
struct xfrm_number : sor<hex_number, number> {};
struct mark_mask : xfrm_number {};
struct mark_parts : seq<xfrm_number, opt<one<'/'>, must<mark_mask>>> {};
template<OptionValue V> struct option_value_rule;
template<> struct option_value_rule<OptionValue::decimal> { using type = number; };
template<> struct option_value_rule<OptionValue::sa_mode> { using type = mode_value; };
template<> struct option_value_rule<OptionValue::sa_flag> { using type = flag_value; };
template<> struct option_value_rule<OptionValue::security_context> { using type = ctx_parts; };
template<> struct option_value_rule<OptionValue::number32> { using type = xfrm_number; };
template<> struct option_value_rule<OptionValue::mark> { using type = mark_parts; };
template<std::size_t I> struct sa_option_word : keyword_row<kSaOptions, I, kw> {};
template<std::size_t I> struct sa_option_value : option_value_rule<kSaOptions[I].value.value>::type {};
template<std::size_t I> struct sa_option : if_must<sa_option_word<I>, sep, sa_option_value<I>, sep> {};
struct sa_ext : each_row<std::size(kSaOptions), sa_option> {};
// Some rows only (Rows: their indices in kSaOptions), for policies and deleteall.
template<const auto& Rows, typename = std::make_index_sequence<std::size(Rows)>> struct sa_option_of;
template<const auto& Rows, std::size_t... I>
struct sa_option_of<Rows, std::index_sequence<I...>> : sor<sa_option<Rows[I]>...> {};
struct sa_exts : star<sa_ext> {};

// ---- algorithms ---------------------------------------------------------------------
struct enc_side {};
struct auth_side {};
template<typename Side> struct key_hex : hex_number {};
template<typename Side> struct key_quoted : quoted {};
template<typename Side> struct key_missing : success {};
template<typename Side> struct key_opt : sor<seq<sor<key_hex<Side>, key_quoted<Side>>, sep>, key_missing<Side>> {};
struct enc_alg : word {};
struct auth_alg : word {};
struct comp_alg : word {};
struct enc_spec : if_must<keyword_row<kAlgorithmOptions, kEncRow, kw>, sep, enc_alg, sep, key_opt<enc_side>> {};
struct auth_spec : if_must<keyword_row<kAlgorithmOptions, kAuthRow, kw>, sep, auth_alg, sep, key_opt<auth_side>> {};
struct raw_cpi : option<'R'> {};
struct raw_cpi_opt : opt<raw_cpi, sep> {};
struct comp_spec : if_must<keyword_row<kAlgorithmOptions, kCompRow, kw>, sep, comp_alg, sep, raw_cpi_opt> {};
struct sa_algos : seq<opt<enc_spec>, opt<auth_spec>, opt<comp_spec>> {};

// ---- policy text (libipsec policy_token.l / policy_parse.y) --------------------------
// Policy text is one token up to ';' in setkey, so no comments inside it.
struct pws : scan::blanks<star<one<' ', '\t', '\n', '\r'>>> {};
// libipsec's lexer: addresses are [A-Za-z0-9:._]+, so `high-5` is `high`, `-`, `5`.
struct paddr_char : sor<alnum, one<':', '.', '_'>> {};
template<typename S> struct pkw : seq<S, not_at<paddr_char>> {};
struct bad_dir : word {};
struct policy_dir : sor<keyword_of<kDirections, pkw>, bad_dir> {};

struct prio_up_offset : number {};   // base + N: earlier in the SPD
struct prio_down_offset : number {}; // base - N: later in the SPD
struct prio_adjust : sor<if_must<one<'+'>, pws, prio_up_offset>, if_must<one<'-'>, pws, prio_down_offset>> {};
struct prio_base : seq<keyword_of<kPriorityBases, pkw>, pws, opt<prio_adjust>> {};
struct prio_neg_offset : number {};  // prio -N
struct prio_minus_form : if_must<one<'-'>, pws, prio_neg_offset> {};
struct prio_plain_offset : number {}; // prio N
struct prio_value : sor<prio_base, prio_minus_form, prio_plain_offset> {};
struct policy_priority : if_must<sor<pkw<TAO_PEGTL_STRING("priority")>, pkw<TAO_PEGTL_STRING("prio")>>, pws, prio_value, pws> {};

struct bad_req_mode : word {};
struct req_mode : sor<keyword_of<kRequestModes, pkw>, bad_req_mode> {};
struct req_mode_slash : one<'/'> {};
template<typename Side> struct req_addr : seq<plus<paddr_char>, opt<one<'%'>, plus<alnum>>> {};
template<typename Side> struct req_port_num : number {};
template<typename Side> struct req_port : if_must<one<'['>, req_port_num<Side>, port_close> {};
struct req_dst_endpoint : seq<req_addr<dst_side>, opt<req_port<dst_side>>> {};
struct req_endpoints : if_must<seq<req_addr<src_side>, opt<req_port<src_side>>, one<'-'>>, req_dst_endpoint> {};
struct req_me_any : seq<TAO_PEGTL_STRING("me-any"), not_at<paddr_char>> {};
struct req_any_me : seq<TAO_PEGTL_STRING("any-me"), not_at<paddr_char>> {};
struct req_addrs : sor<req_me_any, req_any_me, req_endpoints> {};
struct level_reqid : number {};
struct level_unique_n : if_must<seq<TAO_PEGTL_STRING("unique"), one<':'>>, level_reqid> {};
struct bad_level : word {};
struct req_level : sor<level_unique_n, keyword_of<kLevels, pkw>, bad_level> {};
struct req_tail : seq<one<'/'>, opt<req_addrs>, opt<one<'/'>, opt<req_level>>> {};
struct req_tail_opt : opt<req_tail> {};
struct ipsec_request : if_must<keyword_of<kRequestProtocols, pkw>, req_mode_slash, req_mode, req_tail_opt> {};

// A word before a '/' where a request's protocol belongs (ESP/tunnel/...).
struct bad_req_proto : seq<plus<alpha>, at<one<'/'>>> {};
struct bad_action : word {};
// Only `ipsec` takes requests.
struct policy_action : sor<seq<keyword_with<kActions, model::Action::ipsec, pkw>, pws,
                               star<sor<ipsec_request, bad_req_proto>, pws>>,
                           keyword_of<kActions, pkw>, bad_action> {};
struct priority_opt : opt<policy_priority> {};
struct action_opt : opt<policy_action> {};
struct policy_clause : if_must<option<'P'>, pws, policy_dir, pws, priority_opt, action_opt, pws> {};

// ---- selectors (spdadd, spdupdate, spddelete) ---------------------------------------
template<typename Side> struct prefix_len : number {};
template<typename Side> struct prefix : if_must<one<'/'>, sep, prefix_len<Side>, sep> {};
template<typename Side> struct selector : seq<host<Side>, sep, opt<prefix<Side>>, opt<port<Side>, sep>> {};
struct sel_src : selector<src_side> {};
struct sel_dst : selector<dst_side> {};
struct upper_number : number {};
struct upper_name : word {};
struct upper : seq<sor<keyword_of<kUpperWords, kw>, upper_number, upper_name>, sep> {};
// icmp/icmp6/mh `type,code` or a GRE key (STRING or [0-9,]+ in token.l).
struct upper_misc : seq<not_at<one<'-'>>, plus<sor<word_char, one<','>>>> {};
struct tag_string : quoted {};

// ---- commands -----------------------------------------------------------------------
// The command keywords of kCommands; the action starts the command's draft.
template<Cmd... C> struct command : sor<keyword_with<kCommands, C, kw>...> {};
struct kw_tagged : kw<TAO_PEGTL_STRING("tagged")> {};

// Each command has its own ';' rule: the action that completes the statement, and the
// message that says what else could have come there.
struct add_end : one<';'> {};
struct getspi_end : one<';'> {};
struct get_end : one<';'> {};
struct deleteall_end : one<';'> {};
struct flush_end : one<';'> {};
struct spd_end : one<';'> {};
struct simple_end : one<';'> {};

struct add_cmd : if_must<command<Cmd::add, Cmd::update>, sep, addr_opts, sa_src, sa_dst, sa_proto, spi, sa_exts, sa_algos, add_end> {};
struct getspi_cmd : if_must<command<Cmd::getspi>, sep, addr_opts, sa_src, sa_dst, sa_proto, spi, sa_exts, getspi_end> {};
struct get_cmd : if_must<command<Cmd::get, Cmd::del>, sep, addr_opts, sa_src, sa_dst, sa_proto, spi, sa_exts, get_end> {};
struct da_src : seq<host<da_src_side>, sep> {};
struct da_dst : seq<host<da_dst_side>, sep> {};
struct deleteall_opt : star<sa_option_of<kDeleteallOptionRows>> {}; // which of the SAs go
struct deleteall_cmd : if_must<command<Cmd::deleteall>, sep, addr_opts, da_src, da_dst, sa_proto, deleteall_opt, deleteall_end> {};
struct flush_proto : seq<sor<known_proto, bad_proto>, sep> {};
struct flush_proto_opt : opt<flush_proto> {};
struct flush_cmd : if_must<command<Cmd::flush, Cmd::dump>, sep, flush_proto_opt, flush_end> {};
struct spd_tagged : if_must<kw_tagged, sep, tag_string, sep, policy_clause, spd_end> {};
struct upper_misc_opt : opt<upper_misc, sep> {};
// The same -ctx, -mark and -if_id as an SA's, after the upper-layer protocol.
struct spd_opts : star<sa_option_of<kPolicyOptionRows>> {};
struct spd_policy : policy_clause {}; // its message names the options too
struct spd_selector : seq<addr_opts, must<sel_src, sel_dst, upper, upper_misc_opt, spd_opts, spd_policy, spd_end>> {};
struct spd_body : sor<spd_tagged, spd_selector> {};
struct spd_cmd : if_must<command<Cmd::spdadd, Cmd::spdupdate>, sep, spd_body> {};
struct spddelete_cmd : if_must<command<Cmd::spddelete>, sep, spd_selector> {};
struct simple_cmd : if_must<command<Cmd::spdflush, Cmd::spddump, Cmd::exit>, sep, simple_end> {};
struct bad_command : word {};

struct statement : sor<add_cmd, getspi_cmd, get_cmd, deleteall_cmd, flush_cmd, spd_cmd, spddelete_cmd, simple_cmd, bad_command> {};
struct script : seq<sep, star<not_at<eof>, must<statement>, sep>, eof> {};

// clang-format on

} // namespace setkey::grammar::rules
