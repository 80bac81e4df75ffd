// Checks of the two addresses of an SA or a policy selector (-4/-6/-n, hosts, ports,
// prefixes), storing into the statement's Endpoints.
#pragma once

#include <string_view>

#include "grammar/drafts.hpp"

namespace setkey::grammar {

class ParseContext;

void take_address_flags(Endpoints& e, std::string_view token); // -4, -6, -n, -46n...
void take_host(Endpoints& e, ParseContext& ctx, Side side, std::string_view token);
void take_port_any(Endpoints& e, Side side);
void take_port_number(Endpoints& e, Side side, std::string_view digits);
void take_port_service(Endpoints& e, ParseContext& ctx, Side side, std::string_view name);
void take_prefix(Endpoints& e, Side side, std::string_view digits);

// A `%scope` the kernel cannot keep in `where`: warn at the word.
void warn_dropped_scope(ParseContext& ctx, std::string_view token, std::string_view where);
// A dotted quad read with octal parts (parse_numeric_address's `octal`): said, with the
// address it gave, where that differs from the decimal reading.
void warn_octal_octets(ParseContext& ctx, std::string_view token, const model::IpAddress& read);
inline constexpr std::string_view kSelectorPlace = "a policy selector";

const char* family_name(model::Family f); // "IPv4", "IPv6"

// token.l reserves these words in every context: never host or protocol names.
bool reserved_word(std::string_view w);

} // namespace setkey::grammar
