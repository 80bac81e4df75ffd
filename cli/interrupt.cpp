#include "cli/interrupt.hpp"

#include "cli/atomic.hpp"
#include "cli/progress.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace setkey::cli {
namespace {

volatile std::sig_atomic_t g_received = 0;
volatile std::sig_atomic_t g_exit_when_idle = 0; // Scope::monitor
volatile std::sig_atomic_t g_busy = 0;

void on_signal(int sig) {
    // -x's output is flushed after every event, so outside one there is nothing to lose.
    if (g_exit_when_idle && !g_busy) _exit(monitor_exit_status(sig));
    if (g_received == 0) g_received = sig;
}

} // namespace

InterruptGuard::InterruptGuard(Scope scope) {
    const bool monitor = scope == Scope::monitor;
    g_received = 0;
    g_busy = 0;
    g_exit_when_idle = monitor;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    // System calls resume after the handler: a write of -x's stuck on a slow reader
    // must finish its event, not fail as a write error. Loads' socket calls also retry
    // EINTR themselves; -x leaves its waits from the handler instead.
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < std::size(saved_); ++i) {
        Saved& s = saved_[i];
        s.sig = kStopSignals[i];
        if (monitor && (s.sig == SIGHUP || s.sig == SIGPIPE)) continue;
        sigaction(s.sig, nullptr, &s.old);
        // A signal ignored when a load started stays ignored (nohup, `setkey ... &` in
        // a script): someone chose that it should not stop us. -x always listens.
        const bool keep_ignored = !monitor && s.old.sa_handler == SIG_IGN;
        s.installed = !keep_ignored && sigaction(s.sig, &sa, nullptr) == 0;
    }
}

InterruptGuard::~InterruptGuard() {
    for (const Saved& s : saved_)
        if (s.installed) sigaction(s.sig, &s.old, nullptr);
    g_exit_when_idle = 0;
    g_received = 0; // a signal counts only while a guard lives
}

int InterruptGuard::signal_received() { return g_received; }

bool InterruptGuard::wait_for_input(int fd) {
    // Blocked from the check of the flag until ppoll, which lets them in only while it
    // waits: a signal between the two cannot be missed.
    sigset_t stops, old;
    sigemptyset(&stops);
    for (int sig : kStopSignals) sigaddset(&stops, sig);
    sigprocmask(SIG_BLOCK, &stops, &old);
    bool readable = false;
    while (!readable && g_received == 0) {
        pollfd p{fd, POLLIN, 0};
        const int n = ::ppoll(&p, 1, nullptr, &old);
        // Ready, or an error that the read that follows reports.
        readable = n > 0 || (n < 0 && errno != EINTR);
    }
    sigprocmask(SIG_SETMASK, &old, nullptr);
    return readable;
}

InterruptGuard::Busy::Busy() { g_busy = 1; }
InterruptGuard::Busy::~Busy() { g_busy = 0; }

int monitor_exit_status(int sig) { return sig == SIGINT ? 130 : 0; }

const char* signal_name(int sig) {
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    default: return "a signal";
    }
}

int report_interrupt(int sig, std::string_view source, bool atomic, unsigned statements,
                     unsigned failed, Progress& progress, const Snapshot& snapshot,
                     model::Backend& backend) {
    progress.messages() << "setkey: " << source << ": interrupted by " << signal_name(sig) << " after "
                        << statements << (statements == 1 ? " statement" : " statements")
                        << "; the rest was not applied\n";
    if (atomic)
        roll_back_load(snapshot, backend, progress, statements, failed);
    else
        progress.finish(statements, failed, 0);
    return 128 + sig;
}

} // namespace setkey::cli
