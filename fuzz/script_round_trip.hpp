// What the script fuzzers check (fuzz_xfrm_script, fuzz_pfkey_script): `-o script`
// says what the kernel holds and nothing else. Every scriptable SA and policy a kernel
// message decodes to is written as its statement (keys shown) and parsed back for the
// same kernel interface. The parser may refuse the text (the comment above it says
// setkey could not write the entry, or the kernel holds a value the language has no
// words for): nothing of it would load. Otherwise it must be exactly one statement,
// and unless the comment above it lists what no script option says, one naming the
// same kernel entry (model/sync_identity.hpp) that --sync finds equal to the kernel's
// (same_sa, same_policy). Anything else aborts: loading the dump would not restore the
// table, and nothing said so.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <type_traits>

#include "cli/printers.hpp"
#include "grammar/parse.hpp"
#include "model/debug_text.hpp"
#include "model/sync_identity.hpp"
#include "output/script.hpp"

namespace setkey::fuzz {

// Says what went wrong, with the kernel's entry as `-o jsonl --show-keys` prints it, and aborts.
template <typename Record>
[[noreturn]] void fail(const char* what, const Record& kernel, const std::string& text,
                       const grammar::ParseResult& parsed) {
    std::ostringstream dumped;
    auto printer = cli::make_printer({.format = cli::OutputFormat::jsonl, .show_keys = true}, dumped);
    if constexpr (std::is_same_v<Record, model::SaRecord>) printer->sa(kernel);
    else printer->policy(kernel);
    printer->finish();
    std::fprintf(stderr, "%s:\nthe kernel's entry (-o jsonl):\n%s\nits statement:\n%s", what,
                 dumped.str().c_str(), text.c_str());
    for (const auto& st : parsed.statements)
        std::fprintf(stderr, "loads as: %s\n", model::debug_text(st.command).c_str());
    std::abort();
}

// The one statement `text` loads as, or nullptr when the parser refuses it.
template <typename Command, typename Record>
const Command* loads_as(const Record& kernel, grammar::KernelInterface interface, const std::string& text,
                        grammar::ParseResult& parsed) {
    grammar::ParseOptions options;
    options.resolve_names = false;
    options.kernel = interface;
    parsed = grammar::parse_script(text, options);
    if (!parsed.ok()) return nullptr;
    const Command* command =
        parsed.statements.size() == 1 ? std::get_if<Command>(&parsed.statements[0].command) : nullptr;
    if (!command) fail("the statement of one entry loads as something else", kernel, text, parsed);
    return command;
}

inline void check_sa(const model::SaRecord& sa, grammar::KernelInterface interface) {
    if (!output::scriptable(sa)) return;
    // XFRM and af_key send a NAT-T original address only inside NAT-T encapsulation; one
    // without comes from no kernel, and a script says it only with esp-udp.
    if (sa.natt_oa && sa.natt_type == 0) return;
    const std::string text = output::sa_record_statement(sa, {.show_keys = true});
    grammar::ParseResult parsed;
    const model::AddSa* add = loads_as<model::AddSa>(sa, interface, text, parsed);
    if (!add || !output::unscriptable_comment(sa).empty()) return; // the comment says what is lost
    if (model::sa_identity(add->key) != model::sa_identity(sa))
        fail("the statement names another SA", sa, text, parsed);
    if (!model::same_sa(*add, sa)) fail("the statement loads an SA --sync finds different", sa, text, parsed);
}

inline void check_policy(const model::PolicyRecord& policy, grammar::KernelInterface interface) {
    if (!output::scriptable(policy)) return;
    // The kernel keeps a policy's mark value masked, and the parser masks it likewise
    // (grammar/sa_options.cpp); a dump with stray value bits comes from no kernel.
    if (const auto& m = policy.xfrm.mark; m && (m->value & ~m->mask)) return;
    const std::string text = output::policy_record_statement(policy);
    grammar::ParseResult parsed;
    const model::SpdEntry* entry = loads_as<model::SpdEntry>(policy, interface, text, parsed);
    if (!entry || !output::unscriptable_comment(policy).empty()) return;
    if (model::policy_identity(*entry) != model::policy_identity(policy))
        fail("the statement names another policy", policy, text, parsed);
    if (!model::same_policy(*entry, policy))
        fail("the statement loads a policy --sync finds different", policy, text, parsed);
}

} // namespace setkey::fuzz
