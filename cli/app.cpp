#include "cli/app.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "cli/modes.hpp"
#include "cli/monitor_mode.hpp"
#include "cli/options.hpp"

#ifndef SETKEY_VERSION
#define SETKEY_VERSION "unknown"
#endif

namespace setkey::cli {

int run(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const CommandLine cl = parse_command_line(args);
    switch (cl.action) {
    case CommandLine::Action::help:
        std::cout << help_text();
        return 0;
    case CommandLine::Action::version:
        std::cout << "setkey " SETKEY_VERSION " (ipsec-tools 0.8.2 compatible)\n";
        return 0;
    case CommandLine::Action::usage_error:
        if (args.empty()) {
            std::cerr << usage_text(); // bare `setkey`, as 0.8.2 answers it
        } else {
            std::cerr << "setkey: " << cl.error << "\nTry 'setkey --help' for more information.\n";
        }
        return 1;
    case CommandLine::Action::run:
        break;
    }

    const Options& o = cl.options;
    const Streams io{std::cin, std::cout, std::cerr};
    const BackendOpener open =
        kernel_backend_opener({.choice = o.backend,
                               .verbose = o.verbose,
                               .hexdump = o.hexdump,
                               .script = o.mode == Mode::script || o.mode == Mode::commands});
    switch (o.mode) {
    case Mode::files:
        return run_files(o, io);
    case Mode::script:
        return run_script(o, io, open);
    case Mode::commands:
        return run_commands(o, io, open);
    case Mode::dump:
    case Mode::flush:
        return run_table(o, io, open);
    case Mode::monitor:
        return run_monitor_mode(o, io);
    case Mode::none:
        break;
    }
    std::cerr << usage_text();
    return 1;
}

} // namespace setkey::cli
