// One function per mode. Each returns the exit status (see CONTRIBUTING.md) and does
// its I/O through the given streams, so tests can drive them with a fake backend.
#pragma once

#include <ctime>
#include <functional>
#include <istream>
#include <ostream>

#include "cli/backend_open.hpp"
#include "cli/options.hpp"
#include "pfkey/socket.hpp"

namespace setkey::cli {

struct Streams {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

// -f FILE: validate the whole script (nothing applied on any error), then apply it.
int run_script(const Options& options, Streams io, const BackendOpener& open);
// -c: run each statement of stdin when its `;` arrives.
int run_commands(const Options& options, Streams io, const BackendOpener& open);
// --sync / --diff with -f FILE or -c (stdin read whole): the plan that makes the
// kernel's tables match the script (model/sync_plan.hpp), sent or printed.
int run_sync(const Options& options, Streams io, const BackendOpener& open);
// -D / -F (SPD with -P), -l loops -D.
int run_table(const Options& options, Streams io, const BackendOpener& open);
// File operands: print stored PF_KEY messages, no socket.
int run_files(const Options& options, Streams io);
// -x: switch `transport` to promiscuous mode and print every message until it fails.
// `clock` gives the wall-clock time of each message.
int run_monitor(const Options& options, Streams io, pfkey::Transport& transport,
                const std::function<timespec()>& clock);

} // namespace setkey::cli
