// Which kernel interface a script's statements go to, for the grammar's XFRM-only
// checks (grammar::KernelInterface): --backend pfkey and xfrm say it before anything
// opens; automatic knows only once it opened, so the modes refuse then what the check
// pass let through (ParseResult::pfkey_error), still before sending anything.
#pragma once

#include <ostream>

#include "cli/options.hpp"
#include "grammar/parse.hpp"
#include "model/backend.hpp"

namespace setkey::cli {

grammar::KernelInterface chosen_interface(BackendChoice choice);
grammar::KernelInterface opened_interface(const model::Backend& backend);

// After opening: when the backend is PF_KEY and the check pass saw an XFRM-only option,
// renders that error on `err` and returns true (the mode exits 1, nothing applied).
bool refuse_beyond_pfkey(const grammar::ParseResult& checked, const model::Backend& backend, std::ostream& err);

} // namespace setkey::cli
