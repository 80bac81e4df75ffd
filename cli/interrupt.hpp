// Stopping a load cleanly on SIGINT, SIGTERM or SIGHUP (Ctrl-C, `systemctl stop`, a
// closed terminal). While a guard lives, those signals only raise a flag: the load
// checks it between statements, lets what it already sent be answered, and then stops,
// says how far it got and, with --atomic, rolls back. Being killed mid-load would leave
// a half-applied table that nobody reported.
#pragma once

#include <csignal>
#include <string_view>

#include "model/backend.hpp"

namespace setkey::cli {

class InterruptGuard {
public:
    InterruptGuard();  // installs the handlers, except for signals already ignored
    ~InterruptGuard(); // restores them
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // The first signal received while a guard lives, or 0.
    static int signal_received();

private:
    struct Saved {
        int sig;
        struct sigaction old {};
        bool installed = false;
    };
    Saved saved_[3] = {{SIGINT}, {SIGTERM}, {SIGHUP}};
};

// "SIGINT", "SIGTERM", "SIGHUP" (else "a signal").
const char* signal_name(int sig);

class Progress;
class Snapshot;

// After a load from `source` stopped by `sig` once `statements` had run: prints "setkey:
// SOURCE: interrupted by SIGINT after N statements; the rest was not applied", then,
// with `atomic`, restores `snapshot` (roll_back_load), else prints the summary. Returns
// 128 + sig, the status a shell gives a process the signal killed.
int report_interrupt(int sig, std::string_view source, bool atomic, unsigned statements,
                     unsigned failed, Progress& progress, const Snapshot& snapshot,
                     model::Backend& backend);

} // namespace setkey::cli
