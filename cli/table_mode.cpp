// -D, -F, -DP, -FP: one request through the executor, so errors and empty tables
// read as they do in scripts. -l repeats a dump every second, until stdout fails.
#include <chrono>
#include <thread>

#include "cli/checked_output.hpp"
#include "cli/executor.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "output/short.hpp"

namespace setkey::cli {

int run_table(const Options& options, Streams io, const BackendOpener& open) {
    if (options.dry_run) return 0; // -n sends nothing, here as in scripts
    const bool dump = options.mode == Mode::dump;
    const bool short_listing = dump && options.loop && !options.policy;
    std::string error;
    std::unique_ptr<model::Backend> backend = open(error);
    if (!backend) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    const std::unique_ptr<RecordPrinter> printer =
        short_listing ? make_short_printer(io.out)
                      : make_printer({options.output, options.ports, options.show_keys,
                                      backend->name(), options.fwd_companion},
                                     io.out);
    Executor executor(*backend, *printer,
                      {.show_dead = options.all,
                       .compat_exit = options.compat_exit,
                       .compat_line_prefix = false},
                      io.out, io.err);
    model::Command command;
    if (dump)
        command = options.policy ? model::Command{model::DumpSpd{}} : model::Command{model::DumpSa{}};
    else
        command = options.policy ? model::Command{model::FlushSpd{}} : model::Command{model::FlushSa{}};
    const model::Statement statement{command, {}, 0};

    if (short_listing) io.out << output::short_header();
    for (;;) {
        executor.run(statement, "");
        printer->finish();
        // A listing nobody can read ends -l at once, rather than one a second forever.
        if (io.out.fail()) return with_write_error(executor.exit_status());
        if (!options.loop || !dump) return executor.exit_status();
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

} // namespace setkey::cli
