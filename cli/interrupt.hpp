// The one way setkey stops on a signal. Loads (-f, -c) stop cleanly on SIGINT, SIGTERM,
// SIGHUP or SIGPIPE (Ctrl-C, `systemctl stop`, a closed terminal, an in-script dump
// piped into `head`): while a guard lives, those signals only raise a flag; the load
// checks it between statements, lets what it already sent be answered, and then stops,
// says how far it got and, with --atomic, rolls back. Being killed mid-load would leave
// a half-applied table that nobody reported. -x stops between events: SIGINT or SIGTERM
// ends it at once while it waits for the kernel, and after the event when one is being
// written (Busy).
#pragma once

#include <csignal>
#include <iterator>
#include <string_view>

#include "model/backend.hpp"

namespace setkey::cli {

class InterruptGuard {
public:
    enum class Scope {
        // SIGINT, SIGTERM, SIGHUP, SIGPIPE raise the flag; signals ignored at start
        // stay ignored.
        load,
        // SIGINT and SIGTERM end the process with monitor_exit_status() at once, or
        // raise the flag inside a Busy bracket; SIGHUP and SIGPIPE keep their default.
        monitor,
    };
    explicit InterruptGuard(Scope scope = Scope::load); // installs the handlers
    ~InterruptGuard();                                  // restores them
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // The first signal received while a guard lives, or 0.
    static int signal_received();

    // Sleeps until `fd` has something to read (data, its end, an error); false when a
    // signal the guard catches came first, also one that came just before the call.
    // A read() would sleep through the signal: the handlers restart system calls.
    static bool wait_for_input(int fd);

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
        int sig = 0;
        struct sigaction old {};
        bool installed = false;
    };
    // What stops a load; a monitor catches only the first two.
    static constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    Saved saved_[std::size(kStopSignals)];
};

// -x's exit status for a stop signal: 130 for SIGINT, 0 for SIGTERM.
int monitor_exit_status(int sig);

// "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE" (else "a signal").
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
