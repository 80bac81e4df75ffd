// -x: a timestamp line, an optional hex dump (-H) and the kdebug decode of the PF_KEY
// message behind every kernel event, each followed by a blank line; or, with -o jsonl,
// one JSON event per line. The events come from one source per backend
// (pfkey_events.hpp, xfrm_events.hpp); this is the loop and the printing.
#include "cli/monitor_mode.hpp"

#include <cstdio>
#include <string>

#include "cli/backend_open.hpp"
#include "cli/checked_output.hpp"
#include "cli/interrupt.hpp"
#include "cli/pfkey_events.hpp"
#include "cli/xfrm_events.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey::cli {
namespace {

// -x: local "HH:MM:SS.uuuuuu "; -xx: "EPOCH.uuuuuu ".
std::string timestamp(const timespec& t, int level) {
    char text[64];
    const long usec = t.tv_nsec / 1000;
    if (level >= 2) {
        std::snprintf(text, sizeof text, "%lld.%06ld ", static_cast<long long>(t.tv_sec), usec);
    } else {
        std::tm local{};
        localtime_r(&t.tv_sec, &local);
        std::snprintf(text, sizeof text, "%02d:%02d:%02d.%06ld ", local.tm_hour, local.tm_min,
                      local.tm_sec, usec);
    }
    return text;
}

double epoch(const timespec& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec / 1000) / 1e6;
}

class StreamPrinter final : public EventPrinter {
public:
    StreamPrinter(const Options& options, std::ostream& out, std::string_view backend)
        : options_(options), out_(out), backend_(backend) {}
    void at(const timespec& now) { now_ = now; }

    void classic(std::span<const uint8_t> message, std::string_view xfrm_line) override {
        out_ << timestamp(now_, options_.monitor_level) << '\n';
        if (!message.empty()) {
            if (options_.hexdump) out_ << pfkey::hexdump_text(message);
            out_ << pfkey::kdebug_text(message) << xfrm_line << '\n';
        }
        out_.flush();
    }
    void json(output::Event event) override {
        event.time = epoch(now_);
        output::write_event(out_, event, backend_, {.show_keys = options_.show_keys});
    }

private:
    const Options& options_;
    std::ostream& out_;
    std::string_view backend_;
    timespec now_{};
};

// Prints every event of `source` until it fails (2) or stdout does (4), or a signal
// asks between two events (InterruptGuard, Scope::monitor).
int watch(const Options& options, Streams io, MonitorSource& source,
          const std::function<timespec()>& clock) {
    if (const int status = source.start(options, io)) return status;
    StreamPrinter printer(options, io.out, source.backend());
    for (;;) {
        if (const int status = source.wait(io.err)) return status;
        printer.at(clock());
        {
            const InterruptGuard::Busy busy; // a signal now waits until this event is out
            source.show(io.err, printer);
        }
        if (io.out.fail()) return kExitWriteError; // nobody sees the events: stop at once
        if (const int sig = InterruptGuard::signal_received()) return monitor_exit_status(sig);
    }
}

} // namespace

int run_monitor(const Options& options, Streams io, pfkey::Transport& transport,
                const std::function<timespec()>& clock) {
    PfkeyEvents source(transport, options.output == OutputFormat::jsonl);
    return watch(options, io, source, clock);
}

int run_xfrm_monitor(const Options& options, Streams io, xfrm::EventSource& events,
                     const std::function<timespec()>& clock) {
    XfrmEvents source(events, options.output == OutputFormat::jsonl);
    return watch(options, io, source, clock);
}

int run_monitor_mode(const Options& options, Streams io) {
    if (options.output == OutputFormat::json || options.output == OutputFormat::prometheus ||
        options.output == OutputFormat::script) {
        const char* name = options.output == OutputFormat::json         ? "json"
                           : options.output == OutputFormat::prometheus ? "prometheus"
                                                                        : "script";
        // A usage error, said as the command line's are.
        io.err << "setkey: -x streams events: use -o jsonl (or classic), not -o " << name
               << "\nTry 'setkey --help' for more information.\n";
        return 1;
    }
    std::string error;
    const std::unique_ptr<MonitorSource> source =
        open_monitor_source(options.backend, options.output == OutputFormat::jsonl, error);
    if (!source) {
        io.err << "setkey: " << error << '\n';
        return 2;
    }
    if (options.verbose) io.err << "setkey: monitoring " << source->listens_to() << '\n';
    const InterruptGuard stop(InterruptGuard::Scope::monitor);
    return watch(options, io, *source, [] {
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        return now;
    });
}

} // namespace setkey::cli
