// -f FILE in two passes over one private copy of the script: the first parses and
// validates everything (the statements are dropped as they come, so memory is the
// text and not the statements); only when it succeeds is the backend opened and the
// same text parsed again and applied, with the names the first pass resolved. A
// file changed meanwhile changes nothing; a failure once something was sent (only an
// interface that vanished between the passes, in practice) fails the load: exit 2,
// and --atomic rolls back.
#include <cstring>
#include <string>

#include "cli/file_reader.hpp"
#include "cli/kernel_interface.hpp"
#include "cli/key_file_check.hpp"
#include "cli/load_session.hpp"
#include "cli/modes.hpp"
#include "grammar/parse.hpp"
#include "grammar/resolution_cache.hpp"

namespace setkey::cli {
namespace {

bool is_exit(const model::Statement& s) { return std::holds_alternative<model::Exit>(s.command); }

} // namespace

int run_script(const Options& options, Streams io, const BackendOpener& open) {
    const ReadText script = options.script == "-" ? read_stdin(io.in) : read_file(options.script);
    if (script.error != 0) {
        io.err << "setkey: " << options.script << ": " << std::strerror(script.error) << '\n';
        return 1;
    }
    const std::string_view text = script.text;
    grammar::ResolutionCache names;
    grammar::ParseOptions parse_options;
    parse_options.filename = options.script;
    parse_options.names = &names;
    parse_options.kernel = chosen_interface(options.backend);
    parse_options.contexts_dropped = kernel_drops_security_contexts();

    bool keys = false;
    const grammar::ParseResult checked =
        grammar::parse_script(text, parse_options, [&](model::Statement&& s) {
            keys = keys || has_key_material(s);
            return !is_exit(s);
        });
    for (const grammar::Diagnostic& w : checked.warnings) io.err << w.render();
    if (checked.error) {
        io.err << checked.error->render();
        return 1;
    }
    if (options.dry_run) return 0;
    if (keys && options.script != "-" && readable_by_others(options.script))
        warn_key_file(io.err, options.script);

    // From here a signal stops the load between statements instead of killing it.
    LoadSession session(options, io, {.source = options.script, .batches = true});
    if (!session.open(open)) return 2;
    // --backend auto chose now: what the check pass let through may be beyond it.
    if (refuse_beyond_pfkey(checked, session.backend(), session.messages())) return 1;
    parse_options.kernel = opened_interface(session.backend());
    const grammar::ParseResult applied =
        grammar::parse_script(text, parse_options, [&](model::Statement&& s) { return session.run(s); });
    session.finish_sending(); // what was handed over is sent and answered, even when interrupted
    if (applied.error && !InterruptGuard::signal_received()) {
        session.messages() << applied.error->render();
        if (session.statements() == 0) return 1; // nothing was sent
    }
    // A refusal, or an apply-pass error after something was sent: the load failed.
    if (const auto status = session.conclude(applied.error.has_value())) return *status;
    return applied.error ? 2 : session.exit_status();
}

} // namespace setkey::cli
