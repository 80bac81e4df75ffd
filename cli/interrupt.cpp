#include "cli/interrupt.hpp"

#include "cli/atomic.hpp"
#include "cli/progress.hpp"


namespace setkey::cli {
namespace {

volatile std::sig_atomic_t g_received = 0;

void on_signal(int sig) {
    if (g_received == 0) g_received = sig;
}

} // namespace

InterruptGuard::InterruptGuard() {
    g_received = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; // socket calls also retry EINTR themselves
    for (Saved& s : saved_) {
        sigaction(s.sig, nullptr, &s.old);
        // A signal ignored when we started stays ignored (nohup, `setkey ... &` in a
        // script): someone chose that it should not stop us.
        s.installed = s.old.sa_handler != SIG_IGN && sigaction(s.sig, &sa, nullptr) == 0;
    }
}

InterruptGuard::~InterruptGuard() {
    for (const Saved& s : saved_)
        if (s.installed) sigaction(s.sig, &s.old, nullptr);
    g_received = 0; // a signal counts only while a guard lives
}

int InterruptGuard::signal_received() { return g_received; }

const char* signal_name(int sig) {
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
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
