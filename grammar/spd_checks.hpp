// Checks of a policy statement's tokens (upper-layer protocol, TYPE,CODE, the -P
// policy and its ipsec requests), each storing into the SpdDraft.
#pragma once

#include <cstdint>
#include <string_view>

#include "grammar/drafts.hpp"

namespace setkey::grammar {

class ParseContext;

void take_upper_number(SpdDraft& d, std::string_view digits);
void take_upper_name(SpdDraft& d, ParseContext& ctx, std::string_view name);
void take_upper_misc(SpdDraft& d, ParseContext& ctx, std::string_view token); // icmp TYPE,CODE or a GRE key

// -P DIR: the selectors are complete here; stores them with the direction.
void take_direction(SpdDraft& d, model::Direction dir);

// Where an offset moves a policy: BASE + N is earlier (a lower value), BASE - N later.
enum class Shift : uint8_t { earlier, later };
void take_priority_offset(SpdDraft& d, Shift shift, std::string_view digits); // BASE +/- N
void take_priority_plain(SpdDraft& d, Shift shift, std::string_view digits);  // prio N, prio -N

// PROTO/MODE/SRC-DST/LEVEL
void begin_request(SpdDraft& d, uint8_t proto, const char* at);
void take_request_endpoint(SpdDraft& d, ParseContext& ctx, Side side, std::string_view token);
void take_request_port(SpdDraft& d, Side side, std::string_view digits);
// me-any (only out) or any-me (only in).
void check_request_direction(const SpdDraft& d, model::Direction allowed, const char* at);
void take_request_reqid(SpdDraft& d, ParseContext& ctx, std::string_view digits);
void end_request(SpdDraft& d);

} // namespace setkey::grammar
