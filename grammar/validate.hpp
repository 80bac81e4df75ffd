// One validator per statement family: at ';' it checks what only the whole statement
// can show and hands the model:: command(s) to the context.
#pragma once

#include "grammar/drafts.hpp"

namespace setkey::grammar {

class ParseContext;

// add/update/getspi give one AddSa per same-family source x destination pair.
void validate_sa(SaDraft&& d, ParseContext& ctx, const char* semicolon);
void validate_spd(SpdDraft&& d, ParseContext& ctx, const char* semicolon);
// exit stops the parse after its command (throws stop_parsing).
void validate_request(const RequestDraft& d, ParseContext& ctx);

} // namespace setkey::grammar
