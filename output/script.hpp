// SAs and policies as setkey script statements (`-o script`, and the entries --diff
// prints): text that `setkey -f` parses back into the same commands. Pure: commands
// or records in, text out.
//
// Keys: without show_keys every key is written as the word `hidden-key`, which the
// parser rejects ("aes-cbc needs a key"), so a script printed without --show-keys
// cannot be loaded by mistake as if it were complete.
#pragma once

#include <string>
#include <string_view>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::output {

struct ScriptOptions {
    bool show_keys = false;
};

// What stands in a script for a key that is not shown.
inline constexpr std::string_view kHiddenKey = "hidden-key";

// `add SRC DST PROTO SPI [options] [-mark V/M] [-if_id N] [-output_mark V/M] [-ctx ...]
// [-E ...] [-A ...] [-C ...];` (update for Kind::update).
std::string sa_statement(const model::AddSa& sa, const ScriptOptions& options);
// `delete SRC DST PROTO SPI [-mark V/M] [-if_id N];`
std::string sa_delete_statement(const model::SaKey& key);
// `spdadd`/`spdupdate`/`spddelete SRC DST UPPER [-ctx ...] [-mark V/M] [-if_id N] -P ...;`
std::string policy_statement(const model::SpdEntry& entry);

// A dumped SA as the `add` that recreates it (model::readd_sa). When the dump cannot
// be written as a loadable add (an algorithm unknown to setkey), a comment saying why
// and an `add` without algorithms, which the parser refuses.
std::string sa_record_statement(const model::SaRecord& sa, const ScriptOptions& options);
// What a dumped entry holds that no script option says (an IKE daemon's XFRM state: an
// SA's selector or state flags, a policy's flags or pinned template SPI, ...), as one
// comment line to print above its statement, or "" when the statement says it all.
// Counters and lifetimes in use are the kernel's, not settings, and are not named.
std::string unscriptable_comment(const model::SaRecord& sa);
std::string unscriptable_comment(const model::PolicyRecord& policy);

// Which kernel interface dumped a policy: af_key picks the reqids of a bare `unique`
// above the manual range (0x3fff) and keeps no other number there; XFRM keeps any.
enum class ReqidSource { xfrm, pfkey };

// A dumped policy as the `spdadd` entry a script gives for it (over PF_KEY a
// kernel-picked reqid as a bare `unique`), and as that statement's text,
// policy_unwritable's comment first.
model::SpdEntry policy_script_entry(const model::PolicyRecord& policy, ReqidSource reqids = ReqidSource::xfrm);
std::string policy_record_statement(const model::PolicyRecord& policy, ReqidSource reqids = ReqidSource::xfrm);
// When no spdadd can ask for what a dumped policy holds, a comment line saying so: a
// template of a protocol other than ESP, AH and IPComp (as Mobile IPv6 installs), in
// BEET mode, or with a reqid above unique:N's range; a sub policy. The statement then
// writes it as it is (`proto-N/...`, `esp/beet/...`, `unique:40000`, `-ptype sub`),
// which the parser refuses, so the script cannot load a different policy in its place.
// "" otherwise.
std::string policy_unwritable(const model::PolicyRecord& policy, ReqidSource reqids = ReqidSource::xfrm);

// Only mature and dying SAs can be added again (larval ones belong to a pending
// acquire, dead ones are going); only policies with a selector, not per-socket ones.
bool scriptable(const model::SaRecord& sa);
bool scriptable(const model::PolicyRecord& policy);

} // namespace setkey::output
