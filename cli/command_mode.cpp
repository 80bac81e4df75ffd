// -c: statements from stdin run one by one as their `;` arrives. A parse error is
// reported with its true line and the loop goes on, as in 0.8.2.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/interrupt.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "cli/progress.hpp"
#include "cli/statement_splitter.hpp"
#include "grammar/parse.hpp"

namespace setkey::cli {

int run_commands(const Options& options, Streams io, const BackendOpener& open) {
    // As for -f: a live line and a summary on a terminal. Not when the statements are
    // typed at one, where the line would sit on the user's input.
    const bool smart = &io.err == &std::cerr && stderr_is_smart_terminal();
    const bool typed = &io.in == &std::cin && isatty(STDIN_FILENO);
    Progress progress(io.err, smart && !typed && !options.dry_run,
                      !options.dry_run && (smart || options.verbose));
    std::ostream& out = progress.output(io.out);
    std::ostream& err = progress.messages();
    // Statements from a file or pipe: a signal stops the session between statements
    // (see interrupt.hpp). Typed at a terminal, Ctrl-C ends it at once, as it always did.
    std::optional<InterruptGuard> guard;
    if (!typed && !options.dry_run) guard.emplace();
    std::unique_ptr<model::Backend> backend;
    std::unique_ptr<RecordPrinter> printer;
    std::optional<Executor> executor;
    if (!options.dry_run) {
        std::string error;
        backend = open(error);
        if (!backend) {
            io.err << "setkey: " << error << '\n';
            return 2;
        }
        printer = make_printer({options.output, options.ports, options.show_keys, backend->name()}, out);
        executor.emplace(*backend, *printer,
                         ExecutorSettings{.fwd_companion = options.fwd_companion,
                                          .show_dead = options.all,
                                          .compat_exit = options.compat_exit,
                                          .compat_line_prefix = false,
                                          .stop_on_failure = options.atomic},
                         out, err);
    }
    Snapshot snapshot;
    if (executor && options.atomic) {
        std::string error;
        if (!snapshot.take(*backend, error)) {
            io.err << "setkey: --atomic: " << error << "; nothing applied\n";
            return 2;
        }
    }

    bool parse_failed = false;
    bool stopped = false;
    unsigned statements = 0;
    auto handle = [&](const StatementSplitter::Chunk& chunk) {
        grammar::ParseOptions parse_options;
        parse_options.filename = "-";
        parse_options.first_line = chunk.first_line;
        const grammar::ParseResult result =
            grammar::parse_script(chunk.text, parse_options, [&](model::Statement&& s) {
                if (std::holds_alternative<model::Exit>(s.command)) stopped = true;
                if (!executor || stopped) return !stopped;
                if (InterruptGuard::signal_received()) {
                    stopped = true;
                    return false;
                }
                const bool go_on = executor->run(s, "-") == Executor::Next::go_on;
                progress.update(++statements, executor->failures());
                if (go_on) return true;
                stopped = true; // exit, or the first refusal with --atomic
                return false;
            });
        for (const grammar::Diagnostic& w : result.warnings) err << w.render();
        if (result.error) {
            err << result.error->render();
            parse_failed = true;
            if (options.atomic) stopped = true; // an atomic session ends at its first error
        }
        out.flush();
        err.flush();
    };

    StatementSplitter splitter;
    std::string line;
    while (!stopped && !InterruptGuard::signal_received() && std::getline(io.in, line))
        for (const auto& chunk : splitter.feed_line(line)) {
            handle(chunk);
            if (stopped) break;
        }
    if (!stopped && !InterruptGuard::signal_received())
        for (const auto& chunk : splitter.finish()) handle(chunk);
    if (printer) printer->finish();
    const unsigned failed = executor ? executor->failures() : 0;
    if (const int sig = InterruptGuard::signal_received())
        return report_interrupt(sig, "-", options.atomic, statements, failed, progress, snapshot,
                                *backend);
    if (executor && options.atomic && (failed > 0 || parse_failed)) {
        roll_back_load(snapshot, *backend, progress, statements, failed);
        return 2;
    }
    progress.finish(statements, failed, 0);

    if (options.compat_exit) return 0;
    if (executor && executor->exit_status() != 0) return executor->exit_status();
    return parse_failed ? 1 : 0;
}

} // namespace setkey::cli
