// -f FILE in two passes over one private copy of the script: the first parses and
// validates everything (the statements are dropped as they come, so memory is the
// text and not the statements); only when it succeeds is the backend opened and the
// same text parsed again and applied, with the names the first pass resolved. A
// file changed meanwhile changes nothing; a failure once something was sent (only an
// interface that vanished between the passes, in practice) fails the load: exit 2,
// and --atomic rolls back.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/interrupt.hpp"
#include "cli/key_file_check.hpp"
#include "cli/file_reader.hpp"
#include "cli/pipeline.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "cli/progress.hpp"
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
    const InterruptGuard guard;
    std::string error;
    std::unique_ptr<model::Backend> backend = open(error);
    if (!backend) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    Snapshot snapshot;
    if (options.atomic && !snapshot.take(*backend, error)) {
        io.err << "setkey: --atomic: " << error << "; nothing applied\n";
        return 2;
    }
    // The terminal test is about fd 2, so it only applies when writing to it.
    const bool smart = &io.err == &std::cerr && stderr_is_smart_terminal();
    Progress progress(io.err, smart, smart || options.verbose);
    std::ostream& out = progress.output(io.out);
    const std::unique_ptr<RecordPrinter> printer = make_printer(
        {options.output, options.ports, options.show_keys, backend->name()}, out);
    Executor executor(*backend, *printer,
                      {.fwd_companion = options.fwd_companion,
                       .show_dead = options.all,
                       .compat_exit = options.compat_exit,
                       .stop_on_failure = options.atomic},
                      out, progress.messages());
    const std::unique_ptr<Pipeline> pipeline = pipeline_for(*backend);
    if (pipeline) executor.use_pipeline(*pipeline);
    unsigned statements = 0;
    const grammar::ParseResult applied =
        grammar::parse_script(text, parse_options, [&](model::Statement&& s) {
            if (InterruptGuard::signal_received()) return false;
            const bool go_on = executor.run(s, options.script) == Executor::Next::go_on;
            progress.update(++statements, executor.failures());
            return go_on;
        });
    executor.finish(); // what was handed over is sent and answered, even when interrupted
    printer->finish();
    if (const int sig = InterruptGuard::signal_received())
        return report_interrupt(sig, options.script, options.atomic, statements, executor.failures(),
                                progress, snapshot, *backend);
    if (applied.error) {
        progress.messages() << applied.error->render();
        if (statements == 0) return 1; // nothing was sent
    }
    // A refusal, or an apply-pass error after something was sent: the load failed.
    if (options.atomic && (executor.failures() > 0 || applied.error)) {
        roll_back_load(snapshot, *backend, progress, statements, executor.failures());
        return 2;
    }
    progress.finish(statements, executor.failures(), 0);
    return applied.error ? 2 : executor.exit_status();
}

} // namespace setkey::cli
