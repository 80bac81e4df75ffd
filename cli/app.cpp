#include "cli/app.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/checked_output.hpp"
#include "cli/modes.hpp"
#include "cli/monitor_mode.hpp"
#include "cli/options.hpp"

#ifndef SETKEY_VERSION
#define SETKEY_VERSION "unknown"
#endif

namespace setkey::cli {
namespace {

// A dump can be tens of megabytes (100,000 SAs: 51 MB): write it in 64 KiB pieces rather
// than stdio's 4 KiB, a sixteenth of the system calls. Not on a terminal, which reads
// line by line. (Each dump, and each -l listing, ends with a flush.)
void widen_stdout_buffer() {
    static char buffer[64 * 1024];
    if (!isatty(STDOUT_FILENO)) std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
}

int run_mode(const std::vector<std::string>& args, Streams io) {
    const CommandLine cl = parse_command_line(args);
    switch (cl.action) {
    case CommandLine::Action::help:
        io.out << help_text();
        return 0;
    case CommandLine::Action::version:
        io.out << "setkey " SETKEY_VERSION " (ipsec-tools 0.8.2 compatible)\n";
        return 0;
    case CommandLine::Action::usage_error:
        if (args.empty()) {
            io.err << usage_text(); // bare `setkey`, as 0.8.2 answers it
        } else {
            io.err << "setkey: " << cl.error << "\nTry 'setkey --help' for more information.\n";
        }
        return 1;
    case CommandLine::Action::run:
        break;
    }

    const Options& o = cl.options;
    const BackendOpener open =
        kernel_backend_opener({.choice = o.backend,
                               .verbose = o.verbose,
                               .hexdump = o.hexdump,
                               .script = o.mode == Mode::script || o.mode == Mode::commands,
                               .trace = o.output == OutputFormat::classic ? stdout : stderr});
    if (o.sync || o.diff) return run_sync(o, io, open); // with -f or -c (options.cpp)
    switch (o.mode) {
    case Mode::files:
        return run_files(o, io);
    case Mode::script:
        return run_script(o, io, open);
    case Mode::commands:
        return run_commands(o, io, open);
    case Mode::dump:
        widen_stdout_buffer();
        return run_table(o, io, open);
    case Mode::flush:
        return run_table(o, io, open);
    case Mode::monitor:
        return run_monitor_mode(o, io);
    case Mode::none:
        break;
    }
    io.err << usage_text();
    return 1;
}

} // namespace

int run(int argc, char** argv) {
    hold_standard_descriptors();
    const std::vector<std::string> args(argv + 1, argv + argc);
    CheckedOutput out(stdout);
    // Reading stdin and writing stderr flush stdout first, as they did with std::cout.
    std::cin.tie(&out.stream());
    std::cerr.tie(&out.stream());
    int status = 0;
    try {
        status = run_mode(args, {std::cin, out.stream(), std::cerr});
    } catch (const std::bad_alloc&) {
        // A message and a failure status, never an abort with a core: what was sent
        // before stays sent, as after any failure part-way (exit 2).
        std::cerr << "setkey: out of memory; the run stopped here\n";
        status = 2;
    }
    std::cin.tie(&std::cout);
    std::cerr.tie(&std::cout);
    // Every mode's output, in-script dumps included, is checked here once more.
    return status_after_output(status, out.close(), std::cerr);
}

} // namespace setkey::cli
