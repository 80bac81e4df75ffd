// -D, -F, -DP, -FP: one request through the executor, so errors and empty tables
// read as they do in scripts. -l repeats a dump every second, forever.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli/executor.hpp"
#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "output/short.hpp"

namespace setkey::cli {

namespace {

// A dump can be tens of megabytes (100,000 SAs: 51 MB): write it in 64 KiB pieces rather
// than stdio's 4 KiB, a sixteenth of the system calls. Not on a terminal, which reads
// line by line. (Each dump, and each -l listing, ends with a flush.)
void widen_stdout_buffer(const Streams& io) {
    static char buffer[64 * 1024];
    if (&io.out == &std::cout && !isatty(STDOUT_FILENO))
        std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
}

} // namespace

int run_table(const Options& options, Streams io, const BackendOpener& open) {
    if (options.dry_run) return 0; // -n sends nothing, here as in scripts
    const bool dump = options.mode == Mode::dump;
    const bool short_listing = dump && options.loop && !options.policy;
    if (dump) widen_stdout_buffer(io);
    std::string error;
    std::unique_ptr<model::Backend> backend = open(error);
    if (!backend) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    const std::unique_ptr<RecordPrinter> printer =
        short_listing ? make_short_printer(io.out)
                      : make_printer({options.output, options.ports, options.show_keys,
                                      backend->name()},
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
    do {
        executor.run(statement, "");
        printer->finish();
        if (options.loop && dump) std::this_thread::sleep_for(std::chrono::seconds(1));
    } while (options.loop && dump);
    return executor.exit_status();
}

} // namespace setkey::cli
