// The error_message table: what a rule says when it cannot match; a rule with an entry
// raises that message wherever it fails (the control class in parse.cpp, in the manner
// of PEGTL's must_if). Rules that cannot fail still need an entry when they sit under
// must<>. Whether a rule has an entry is a bool of its own, not `message != nullptr`:
// GCC's UBSan builds refuse to fold an object's address against null in constexpr.
#pragma once

#include "grammar/keywords.hpp"
#include "grammar/rules.hpp"
#include "grammar/sa_options.hpp"

namespace setkey::grammar {

template<typename Rule> inline constexpr bool has_error_message = false;
template<typename Rule> inline constexpr const char* error_message = nullptr;

#define SETKEY_ERROR(RULE, TEXT)                                                \
    template<> inline constexpr bool has_error_message<rules::RULE> = true;     \
    template<> inline constexpr const char* error_message<rules::RULE> = TEXT

SETKEY_ERROR(sep, kCannotFail);
SETKEY_ERROR(pws, kCannotFail);
SETKEY_ERROR(addr_opts, kCannotFail);
SETKEY_ERROR(sa_exts, kCannotFail);
SETKEY_ERROR(sa_algos, kCannotFail);
SETKEY_ERROR(spd_body, kCannotFail);
SETKEY_ERROR(spd_selector, kCannotFail);
SETKEY_ERROR(flush_proto_opt, kCannotFail);
SETKEY_ERROR(upper_misc_opt, kCannotFail);
SETKEY_ERROR(spd_opts, kCannotFail);
SETKEY_ERROR(deleteall_opt, kCannotFail);
SETKEY_ERROR(priority_opt, kCannotFail);
SETKEY_ERROR(action_opt, kCannotFail);
SETKEY_ERROR(req_tail_opt, kCannotFail);
SETKEY_ERROR(raw_cpi_opt, kCannotFail);
SETKEY_ERROR(key_opt<rules::enc_side>, kCannotFail);
SETKEY_ERROR(key_opt<rules::auth_side>, kCannotFail);

SETKEY_ERROR(statement, "expected a command (add, delete, spdadd, flush, ...)");
SETKEY_ERROR(sa_src, "expected the source address");
SETKEY_ERROR(sa_dst, "expected the destination address");
SETKEY_ERROR(da_src, "expected the source address");
SETKEY_ERROR(da_dst, "expected the destination address");
SETKEY_ERROR(port_value<rules::src_side>, "expected a port: a number, a service name or 'any'");
SETKEY_ERROR(port_value<rules::dst_side>, "expected a port: a number, a service name or 'any'");
SETKEY_ERROR(port_close, "expected ']'");
inline constexpr std::string_view kExpectProtocolHead = "expected a protocol (", kExpectDirectionHead =
    "expected a policy direction (", kExpectRequestModeHead = "expected an ipsec request mode (";
SETKEY_ERROR(sa_proto, (list_message<kExpectProtocolHead, kSaProtocols, Joiner::last_or, kCloseParen>.data()));
SETKEY_ERROR(spi, "expected an SPI (decimal, or 0x and hex digits)");
template<std::size_t I> inline constexpr bool has_error_message<rules::sa_option_value<I>> = true;
template<std::size_t I> inline constexpr const char* error_message<rules::sa_option_value<I>> = kSaOptions[I].value.expected;
SETKEY_ERROR(ctx_doi, "expected the security context DOI (decimal number)");
SETKEY_ERROR(ctx_alg, "expected the security context algorithm (decimal number)");
SETKEY_ERROR(ctx_string, "expected the security context as a \"quoted string\"");
SETKEY_ERROR(mark_mask, "expected a mask after '/' (decimal or 0x hex)");
SETKEY_ERROR(enc_alg, "expected an encryption algorithm name");
SETKEY_ERROR(auth_alg, "expected an authentication algorithm name");
SETKEY_ERROR(comp_alg, "expected a compression algorithm name");
SETKEY_ERROR(add_end, kExpectedAddEnd.data());
SETKEY_ERROR(getspi_end, kExpectedGetspiEnd.data());
SETKEY_ERROR(get_end, "expected ';'");
SETKEY_ERROR(deleteall_end, kExpectedDeleteallEnd.data());
SETKEY_ERROR(flush_end, "expected a protocol or ';'");
SETKEY_ERROR(simple_end, "expected ';'");
SETKEY_ERROR(spd_end, "expected ';' to end the policy");
SETKEY_ERROR(tag_string, "expected the tag as a \"quoted string\"");
SETKEY_ERROR(sel_src, "expected the source address range");
SETKEY_ERROR(sel_dst, "expected the destination address range");
SETKEY_ERROR(prefix_len<rules::src_side>, "expected a prefix length after '/'");
SETKEY_ERROR(prefix_len<rules::dst_side>, "expected a prefix length after '/'");
SETKEY_ERROR(upper, "expected an upper-layer protocol (any, a number or a name from /etc/protocols)");
SETKEY_ERROR(policy_clause, "expected the policy: -P DIRECTION [ACTION ...]");
SETKEY_ERROR(spd_policy, kExpectedSpdPolicy.data());
SETKEY_ERROR(policy_dir, (list_message<kExpectDirectionHead, kDirections, Joiner::last_or, kCloseParen>.data()));
SETKEY_ERROR(prio_value, "expected a priority: N, -N, or low, def or high with an optional + N or - N");
SETKEY_ERROR(prio_up_offset, "expected a priority offset (decimal number)");
SETKEY_ERROR(prio_down_offset, "expected a priority offset (decimal number)");
SETKEY_ERROR(prio_neg_offset, "expected a priority offset (decimal number)");
SETKEY_ERROR(req_mode_slash, "too few arguments: expected '/' and a mode (e.g. esp/transport)");
SETKEY_ERROR(req_mode, (list_message<kExpectRequestModeHead, kRequestModes, Joiner::last_or, kCloseParen>.data()));
SETKEY_ERROR(req_dst_endpoint, "expected the tunnel destination address after '-'");
SETKEY_ERROR(req_port_num<rules::src_side>, "expected a port number");
SETKEY_ERROR(req_port_num<rules::dst_side>, "expected a port number");
SETKEY_ERROR(level_reqid, "expected a reqid after 'unique:'");

#undef SETKEY_ERROR

} // namespace setkey::grammar
