// --sync and --diff (-f FILE, or -c with stdin read whole): parse and check the script
// into a model::SyncTarget, dump both tables, plan (model/sync_plan.hpp). --diff prints
// the plan and exits 0 when the kernel matches, 3 when it does not. --sync sends only
// the plan's requests through a LoadSession (progress, refusals, --atomic's rollback as
// for -f) and sums up "setkey: sync: 3 added, 1 replaced, 2 deleted, 9,994 unchanged".
// The plan already holds the fwd companions -r asks for, so the executor adds none.
#include <malloc.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/checked_output.hpp"
#include "cli/file_reader.hpp"
#include "cli/kernel_interface.hpp"
#include "cli/key_file_check.hpp"
#include "cli/load_session.hpp"
#include "cli/modes.hpp"
#include "cli/progress.hpp"
#include "grammar/parse.hpp"
#include "model/sync_plan.hpp"
#include "output/plan.hpp"

namespace setkey::cli {
namespace {

// 9994 -> "9,994".
std::string grouped(size_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// The number of `c` in `text`: memchr's vector loop (std::count went byte by byte, 5% of
// a 100,000-entry --diff).
size_t count_of(std::string_view text, char c) {
    size_t n = 0;
    for (const char *p = text.data(), *end = p + text.size();
         (p = static_cast<const char*>(std::memchr(p, c, size_t(end - p)))) != nullptr; ++p)
        ++n;
    return n;
}

// Freeing a target of 10^5 entries one allocation at a time was 5% of a sync, spent
// after its work was done: targets are left to the process's exit, still reachable from
// here so that leak checkers count them as in use (git's UNLEAK does the same).
model::SyncTarget& new_target(bool fwd_companion) {
    static auto* const parked = new std::vector<std::unique_ptr<model::SyncTarget>>;
    return *parked->emplace_back(std::make_unique<model::SyncTarget>(fwd_companion));
}

std::string reason(const model::OpResult& r) {
    std::string s = std::strerror(r.error);
    if (!r.detail.empty()) s += " (" + r.detail + ")";
    return s;
}

// Both dumps, planned as they arrive (the tables are never held whole).
std::optional<model::SyncPlan> plan_from_dumps(model::Backend& backend, const model::SyncTarget& target,
                                               std::ostream& err) {
    model::SyncPlanner planner(target);
    model::OpResult r = backend.dump_sa(std::nullopt, [&](const model::SaRecord& sa) { planner.kernel_sa(sa); });
    if (!r.ok()) {
        err << "setkey: sync: cannot dump the SAD: " << reason(r) << "; nothing applied\n";
        return std::nullopt;
    }
    r = backend.dump_policies([&](const model::PolicyRecord& p) { planner.kernel_policy(p); });
    if (!r.ok()) {
        err << "setkey: sync: cannot dump the SPD: " << reason(r) << "; nothing applied\n";
        return std::nullopt;
    }
    return std::move(planner).finish();
}

// What the sync did; when the kernel refused some of its requests, what it planned and
// how many failed (each was reported above), never counts of changes that did not happen.
std::string summary(const model::SyncPlan& plan, unsigned failed, size_t requests) {
    using Op = model::SyncPlan::Op;
    const std::string changes = grouped(plan.count(Op::add)) + " added, " + grouped(plan.count(Op::replace)) +
                                " replaced, " + grouped(plan.count(Op::remove)) + " deleted, " +
                                grouped(plan.unchanged()) + " unchanged";
    if (failed == 0) return "setkey: sync: " + changes + "\n";
    return "setkey: sync: " + grouped(failed) + " of " + grouped(requests) + " requests failed; the plan was " +
           changes + "\n";
}

int print_diff(const Options& options, Streams io, const BackendOpener& open, const model::SyncTarget& target,
               const grammar::ParseResult& parsed) {
    std::string error;
    const std::unique_ptr<model::Backend> backend = open(error);
    if (!backend) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    if (refuse_beyond_pfkey(parsed, *backend, io.err)) return 1;
    const std::optional<model::SyncPlan> plan = plan_from_dumps(*backend, target, io.err);
    if (!plan) return 2;
    const output::ScriptOptions script{options.show_keys};
    io.out << (options.output == OutputFormat::json ? output::plan_json(*plan, script)
                                                      : output::plan_text(*plan, script));
    io.out.flush();
    return plan->empty() ? 0 : kExitDiffers;
}

int send_plan(const Options& options, Streams io, const BackendOpener& open, const model::SyncTarget& target,
              const grammar::ParseResult& parsed) {
    Options sending = options;
    sending.fwd_companion = false; // the plan names every fwd policy itself
    LoadSession session(sending, io, {.source = options.script.empty() ? "-" : options.script, .batches = true});
    if (!session.open(open)) return 2;
    if (refuse_beyond_pfkey(parsed, session.backend(), session.messages())) return 1;
    const std::optional<model::SyncPlan> plan = plan_from_dumps(session.backend(), target, session.messages());
    if (!plan) return 2;
    const std::vector<model::Statement> requests = plan->requests();
    for (const model::Statement& s : requests)
        if (!session.run(s)) break;
    session.finish_sending();
    // The plan's counts stand for the session's "applied N": one summary, not two.
    if (const auto status = session.conclude(false, summary(*plan, session.failures(), requests.size())))
        return *status;
    return session.exit_status();
}

} // namespace

int run_sync(const Options& options, Streams io, const BackendOpener& open) {
    const bool from_file = options.mode == Mode::script && options.script != "-";
    const std::string name = options.mode == Mode::script ? options.script : "-";
    const ReadText script = from_file ? read_file(options.script) : read_stdin(io.in);
    if (script.error != 0) {
        io.err << "setkey: " << name << ": " << std::strerror(script.error) << '\n';
        return 1;
    }
    grammar::ParseOptions parse_options;
    parse_options.filename = name;
    parse_options.kernel = chosen_interface(options.backend);
    parse_options.contexts_dropped = kernel_drops_security_contexts();
    // The target of 10^5 SAs and 10^5 policies is 188 MiB, much of it in small
    // allocations. Grown 64 MiB at a time, the heap can be backed by huge pages (with
    // transparent huge pages `always`, Debian's default): some 10^4 fewer page faults,
    // 4% of such a sync in the qemu lab. glibc then also stops moving its mmap
    // threshold, which a process that exits after one sync does not miss.
#ifdef __GLIBC__
    mallopt(M_TOP_PAD, 64 << 20);
#endif
    model::SyncTarget& target = new_target(options.fwd_companion);
    target.reserve(count_of(script.text, ';'));
    std::string why;
    std::optional<unsigned> refused_line;
    bool keys = false;
    const grammar::ParseResult parsed =
        grammar::parse_script(script.text, parse_options, [&](model::Statement&& s) {
            if (std::holds_alternative<model::Exit>(s.command)) return false;
            keys = keys || has_key_material(s);
            const unsigned line = s.end_line;
            if (target.add(std::move(s), why)) return true;
            refused_line = line;
            return false;
        });
    for (const grammar::Diagnostic& w : parsed.warnings) io.err << w.render();
    if (parsed.error) {
        io.err << parsed.error->render();
        return 1;
    }
    if (refused_line) {
        io.err << "setkey: " << name << ":" << *refused_line << ": " << (options.sync ? "--sync" : "--diff")
               << " cannot take this statement: " << why << "; nothing applied\n";
        return 1;
    }
    if (options.dry_run) return 0;
    if (keys && from_file && readable_by_others(options.script)) warn_key_file(io.err, options.script);
    return options.diff ? print_diff(options, io, open, target, parsed) : send_plan(options, io, open, target, parsed);
}

} // namespace setkey::cli
