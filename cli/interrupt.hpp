// The one way setkey stops on a signal. Loads (-f, -c) stop cleanly on SIGINT, SIGTERM
// or SIGHUP (Ctrl-C, `systemctl stop`, a closed terminal): while a guard lives, those
// signals only raise a flag; the load checks it between statements, lets what it
// already sent be answered, and then stops, says how far it got and, with --atomic,
// rolls back. Being killed mid-load would leave a half-applied table that nobody
// reported. -x stops between events: SIGINT or SIGTERM ends it at once while it waits
// for the kernel, and after the event when one is being written (Busy).
#pragma once

#include <csignal>
#include <string_view>

#include "model/backend.hpp"

namespace setkey::cli {

class InterruptGuard {
public:
    enum class Scope {
        // SIGINT, SIGTERM, SIGHUP raise the flag; signals ignored at start stay ignored.
        load,
        // SIGINT and SIGTERM end the process with monitor_exit_status() at once, or
        // raise the flag inside a Busy bracket; SIGHUP keeps its default.
        monitor,
    };
    explicit InterruptGuard(Scope scope = Scope::load); // installs the handlers
    ~InterruptGuard();                                  // restores them
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // The first signal received while a guard lives, or 0.
    static int signal_received();

    // -x: brackets writing one event, so a signal waits until it is out.
    class Busy {
    public:
        Busy();
        ~Busy();
        Busy(const Busy&) = delete;
        Busy& operator=(const Busy&) = delete;
    };

private:
    struct Saved {
        int sig;
        struct sigaction old {};
        bool installed = false;
    };
    Saved saved_[3] = {{SIGINT}, {SIGTERM}, {SIGHUP}};
};

// -x's exit status for a stop signal: 130 for SIGINT, 0 for SIGTERM.
int monitor_exit_status(int sig);

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
