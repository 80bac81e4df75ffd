// -c: statements from stdin run one by one as their `;` arrives (stdin is read in
// pieces as they come, not by lines). A parse error is reported with its true line
// and the loop goes on, as in 0.8.2. Memory: the current statement and line.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "cli/file_reader.hpp"
#include "cli/interrupt.hpp"
#include "cli/kernel_interface.hpp"
#include "cli/load_session.hpp"
#include "cli/modes.hpp"
#include "cli/statement_splitter.hpp"
#include "grammar/parse.hpp"

namespace setkey::cli {

int run_commands(const Options& options, Streams io, const BackendOpener& open) {
    // As for -f: a live line and a summary on a terminal. Not when the statements are
    // typed at one, where the line would sit on the user's input. Statements from a
    // file or pipe: a signal stops the session between statements (see interrupt.hpp).
    // Typed at a terminal, Ctrl-C ends it at once, as it always did. -n: no session.
    const bool typed = &io.in == &std::cin && isatty(STDIN_FILENO);
    std::optional<LoadSession> session;
    if (!options.dry_run) {
        session.emplace(options, io,
                        LoadKind{.source = "-", .live_line = !typed, .catch_signals = !typed,
                                 .compat_line_prefix = false});
        if (!session->open(open)) return 2;
    }
    std::ostream& out = session ? session->out() : io.out;
    std::ostream& err = session ? session->messages() : io.err;

    bool parse_failed = false;
    bool stopped = false;
    auto handle = [&](const StatementSplitter::Chunk& chunk) {
        grammar::ParseOptions parse_options;
        parse_options.filename = "-";
        parse_options.first_line = chunk.first_line;
        parse_options.first_line_prefix = chunk.line_prefix;
        // Opened first, so the statements are checked against the interface in use.
        parse_options.kernel = session ? opened_interface(session->backend()) : chosen_interface(options.backend);
        parse_options.contexts_dropped = kernel_drops_security_contexts();
        const grammar::ParseResult result =
            grammar::parse_script(chunk.text, parse_options, [&](model::Statement&& s) {
                if (std::holds_alternative<model::Exit>(s.command)) stopped = true;
                if (!session || stopped) return !stopped;
                if (session->run(s)) return true;
                stopped = true; // a signal, or the first refusal with --atomic
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
    // A statement is a line or a few (the longest key is 1 KiB of hex): far past that,
    // the input is no script (`setkey -c </dev/zero`) and is not held in memory.
    constexpr size_t kMaxStatementBytes = size_t(16) << 20;
    StatementSplitter splitter;
    int read_error = 0;
    while (!stopped && !InterruptGuard::signal_received()) {
        // Waiting for a pipe that stays open but silent must not outlast a signal.
        if (&io.in == &std::cin && !InterruptGuard::wait_for_input(STDIN_FILENO)) break;
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
        if (splitter.pending_bytes() > kMaxStatementBytes) {
            err << "setkey: -: more than 16 MiB without the ';' that ends a statement: not a setkey script; "
                   "the rest of standard input is not read\n";
            parse_failed = true;
            break;
        }
    }
    if (read_error != 0) err << "setkey: -: " << std::strerror(read_error) << '\n';
    if (session) {
        session->finish_sending();
        if (const auto status = session->conclude(parse_failed || read_error != 0)) return *status;
    }
    const unsigned statements = session ? session->statements() : 0;

    // Input that could not be read ends the session: a failure of what was sent so far.
    if (read_error != 0) return statements > 0 ? 2 : 1;
    if (options.compat_exit) return 0;
    if (session && session->exit_status() != 0) return session->exit_status();
    return parse_failed ? 1 : 0;
}

} // namespace setkey::cli
