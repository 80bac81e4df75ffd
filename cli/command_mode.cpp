// -c: statements from stdin run one by one as their `;` arrives (stdin is read in
// pieces as they come, not by lines). A parse error is reported with its true line
// and the loop goes on, as in 0.8.2. Memory: the current statement and line.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/file_reader.hpp"
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
        parse_options.first_line_prefix = chunk.line_prefix;
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
        return !stopped && !InterruptGuard::signal_received();
    };

    // Stdin is read as it comes: a statement runs when its ';' arrives, newline or not.
    constexpr size_t kPiece = 64 * 1024;
    StatementSplitter splitter;
    int read_error = 0;
    while (!stopped && !InterruptGuard::signal_received()) {
        const ReadText piece = read_available(io.in, kPiece);
        if (piece.error == EINTR) continue; // a signal: the loop condition looks at it
        if (piece.error != 0) {
            read_error = piece.error;
            break;
        }
        if (piece.text.empty()) {
            splitter.finish(handle);
            break;
        }
        splitter.feed(piece.text, handle);
    }
    if (read_error != 0) err << "setkey: -: " << std::strerror(read_error) << '\n';
    if (printer) printer->finish();
    const unsigned failed = executor ? executor->failures() : 0;
    if (const int sig = InterruptGuard::signal_received())
        return report_interrupt(sig, "-", options.atomic, statements, failed, progress, snapshot,
                                *backend);
    if (executor && options.atomic && (failed > 0 || parse_failed || read_error != 0)) {
        roll_back_load(snapshot, *backend, progress, statements, failed);
        return 2;
    }
    progress.finish(statements, failed, 0);

    // Input that could not be read ends the session: a failure of what was sent so far.
    if (read_error != 0) return statements > 0 ? 2 : 1;
    if (options.compat_exit) return 0;
    if (executor && executor->exit_status() != 0) return executor->exit_status();
    return parse_failed ? 1 : 0;
}

} // namespace setkey::cli
