// Which kernel interface a script's statements go to, for the grammar's XFRM-only
// checks (grammar::KernelInterface): --backend pfkey and xfrm say it before anything
// opens; automatic knows only once it opened, so the modes refuse then what the check
// pass let through (ParseResult::pfkey_error), still before sending anything.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "cli/options.hpp"
#include "grammar/parse.hpp"
#include "model/backend.hpp"

namespace setkey::cli {

grammar::KernelInterface chosen_interface(BackendChoice choice);

// Does the running kernel keep the security contexts (-ctx) of SAs and policies? Only
// SELinux implements the XFRM hooks: without it the kernel installs the entry and drops
// its context, silently. Read from the LSM list in securityfs, or when that is not
// mounted from whether selinuxfs is registered (only an enabled SELinux registers it);
// nullopt when neither can be read. `proc` and `sys` are the mount points (tests).
std::optional<bool> kernel_keeps_security_contexts(const std::string& proc = "/proc", const std::string& sys = "/sys");
// For ParseOptions::contexts_dropped: known to drop them (looked up once).
bool kernel_drops_security_contexts();
grammar::KernelInterface opened_interface(const model::Backend& backend);

// After opening: when the backend is PF_KEY and the check pass saw an XFRM-only option,
// renders that error on `err` and returns true (the mode exits 1, nothing applied).
bool refuse_beyond_pfkey(const grammar::ParseResult& checked, const model::Backend& backend, std::ostream& err);

} // namespace setkey::cli
