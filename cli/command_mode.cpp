// -c: statements from stdin run one by one as their `;` arrives. A parse error is
// reported with its true line and the loop goes on, as in 0.8.2.
#include <memory>
#include <optional>
#include <string>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "cli/statement_splitter.hpp"
#include "grammar/parse.hpp"

namespace setkey::cli {

int run_commands(const Options& options, Streams io, const BackendOpener& open) {
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
        printer = make_printer({options.output, options.ports, options.show_keys, backend->name()},
                               io.out);
        executor.emplace(*backend, *printer,
                         ExecutorSettings{.fwd_companion = options.fwd_companion,
                                          .show_dead = options.all,
                                          .compat_exit = options.compat_exit,
                                          .compat_line_prefix = false,
                                          .stop_on_failure = options.atomic},
                         io.out, io.err);
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
    auto handle = [&](const StatementSplitter::Chunk& chunk) {
        grammar::ParseOptions parse_options;
        parse_options.filename = "-";
        parse_options.first_line = chunk.first_line;
        const grammar::ParseResult result =
            grammar::parse_script(chunk.text, parse_options, [&](model::Statement&& s) {
                if (std::holds_alternative<model::Exit>(s.command)) stopped = true;
                if (!executor || stopped) return !stopped;
                if (executor->run(s, "-") == Executor::Next::go_on) return true;
                stopped = true; // exit, or the first refusal with --atomic
                return false;
            });
        for (const grammar::Diagnostic& w : result.warnings) io.err << w.render();
        if (result.error) {
            io.err << result.error->render();
            parse_failed = true;
            if (options.atomic) stopped = true; // an atomic session ends at its first error
        }
        io.out.flush();
        io.err.flush();
    };

    StatementSplitter splitter;
    std::string line;
    while (!stopped && std::getline(io.in, line))
        for (const auto& chunk : splitter.feed_line(line)) {
            handle(chunk);
            if (stopped) break;
        }
    if (!stopped)
        for (const auto& chunk : splitter.finish()) handle(chunk);
    if (printer) printer->finish();
    if (executor && options.atomic && (executor->failures() > 0 || parse_failed)) {
        print_rollback(io.err, snapshot.restore(*backend));
        return 2;
    }

    if (options.compat_exit) return 0;
    if (executor && executor->exit_status() != 0) return executor->exit_status();
    return parse_failed ? 1 : 0;
}

} // namespace setkey::cli
