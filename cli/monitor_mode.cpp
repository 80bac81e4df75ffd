// -x: a timestamp line, an optional hex dump (-H) and the kdebug decode of the PF_KEY
// message behind every kernel event, each followed by a blank line; or, with -o jsonl,
// one JSON event per line.
#include "cli/monitor_mode.hpp"

#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <system_error>
#include <unistd.h>

#include "cli/checked_output.hpp"
#include "output/event.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"
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

// Signals end the monitor between events, never inside one: a handler arriving while
// an event is written only asks, and the loop stops once the event is flushed.
volatile std::sig_atomic_t g_writing = 0;
volatile std::sig_atomic_t g_stop_status = -1;

void on_signal(int sig) {
    const int status = sig == SIGINT ? 130 : 0;
    if (!g_writing) _exit(status); // output is flushed after every event
    g_stop_status = status;
}

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

// Brackets the output of one event; the loop checks stop_requested() after leaving
// the bracket, so a signal that arrives at any point is acted upon.
struct Writing {
    Writing() { g_writing = 1; }
    ~Writing() { g_writing = 0; }
};
bool stop_requested() { return g_stop_status >= 0; }

void print_classic(const Options& options, std::ostream& out, const timespec& when,
                   std::span<const uint8_t> message) {
    out << timestamp(when, options.monitor_level) << '\n';
    if (options.hexdump) out << pfkey::hexdump_text(message);
    out << pfkey::kdebug_text(message) << '\n';
    out.flush();
}

// ---- PF_KEY messages as JSON events ----

std::optional<output::Event> pfkey_event(std::span<const uint8_t> message) {
    pfkey::Message m;
    try {
        m = pfkey::decode(message);
    } catch (const pfkey::DecodeError&) {
        return std::nullopt;
    }
    if (m.header.errno_ != 0) return std::nullopt; // a reply refusing someone's request
    using T = pfkey::MsgType;
    output::Event e;
    switch (static_cast<T>(m.header.type)) {
    case T::add: e.kind = output::EventKind::add; break;
    case T::update: e.kind = output::EventKind::update; break;
    case T::del: e.kind = output::EventKind::remove; break;
    case T::expire:
        // af_key sends the limit that expired: LIFETIME_HARD or LIFETIME_SOFT.
        e.kind = m.sa && m.sa->hard && !m.sa->soft ? output::EventKind::expire_hard
                                                   : output::EventKind::expire_soft;
        break;
    case T::acquire: e.kind = output::EventKind::acquire; break;
    case T::flush:
        e.kind = output::EventKind::flush;
        if (m.header.satype != 0) e.satype = static_cast<model::SaType>(m.header.satype);
        break;
    case T::spdadd: e.kind = output::EventKind::spdadd; break;
    case T::spdupdate: e.kind = output::EventKind::spdupdate; break;
    case T::spddelete:
    case T::spddelete2: e.kind = output::EventKind::spddelete; break;
    case T::spdexpire: e.kind = output::EventKind::spdexpire; break;
    case T::spdflush: e.kind = output::EventKind::spdflush; break;
    default: return std::nullopt; // REGISTER replies, dumps, GET replies, ...
    }
    e.sa = m.sa;
    e.policy = m.policy;
    if (e.kind == output::EventKind::acquire && m.policy && !m.sa) {
        // af_key's acquire: the addresses are the wanted SA's; X_POLICY names the policy
        // (id, direction, priority) without its selector, which PF_KEY does not send.
        model::SaRecord sa;
        sa.satype = static_cast<model::SaType>(m.header.satype);
        sa.raw_satype = m.header.satype;
        sa.src = m.policy->src.addr;
        sa.dst = m.policy->dst.addr;
        sa.src_prefixlen = m.policy->src.prefixlen;
        sa.dst_prefixlen = m.policy->dst.prefixlen;
        sa.state = static_cast<uint8_t>(model::SaState::larval);
        e.sa = sa;
        e.policy->has_selector = false;
        e.policy->upper = model::kProtoAny;
    }
    return e;
}

// ---- XFRM events ----

pfkey::RequestId id_of(const xfrm::Event& e) { return {e.header.pid, e.header.seq}; }

// The PF_KEY message af_key would have broadcast for the same change; empty when
// the event has no PF_KEY counterpart.
pfkey::Bytes pfkey_message(const xfrm::Event& e) {
    using K = xfrm::Event::Kind;
    using T = pfkey::MsgType;
    std::optional<pfkey::SaProxy> proxy;
    if (e.selector) proxy = pfkey::SaProxy{e.selector->addr, e.selector->prefixlen, e.selector->proto};
    switch (e.kind) {
    case K::add:
    case K::update:
    case K::remove: {
        if (!e.sa) return {};
        const T type = e.kind == K::add ? T::add : e.kind == K::update ? T::update : T::del;
        return pfkey::encode_sa_notify(type, *e.sa, pfkey::kSaChangeLayout, proxy, id_of(e));
    }
    case K::expire:
        if (!e.sa) return {};
        return pfkey::encode_sa_notify(T::expire, *e.sa,
                                       e.hard ? pfkey::kHardExpireLayout : pfkey::kSoftExpireLayout,
                                       proxy, id_of(e));
    case K::flush:
        return pfkey::encode_flush_notify(T::flush, static_cast<uint8_t>(e.flushed.value_or(model::SaType::unspec)),
                                          id_of(e));
    case K::spdadd:
    case K::spdupdate:
    case K::spddelete:
    case K::spdexpire: {
        if (!e.policy) return {};
        const T type = e.kind == K::spdadd      ? T::spdadd
                       : e.kind == K::spdupdate ? T::spdupdate
                       : e.kind == K::spddelete ? T::spddelete
                                                : T::spdexpire;
        return pfkey::encode_policy_notify(type, *e.policy, id_of(e));
    }
    case K::spdflush:
        return pfkey::encode_flush_notify(T::spdflush, 0, id_of(e));
    case K::acquire:
        if (!e.sa || !e.policy) return {};
        return pfkey::encode_acquire_notify(e.sa->satype, e.sa->src, e.sa->dst, *e.policy,
                                            {0, e.acquire_seq});
    case K::other:
        break;
    }
    return {};
}

std::optional<output::Event> json_event(const xfrm::Event& x) {
    using K = xfrm::Event::Kind;
    using O = output::EventKind;
    output::Event e;
    switch (x.kind) {
    case K::add: e.kind = O::add; break;
    case K::update: e.kind = O::update; break;
    case K::remove: e.kind = O::remove; break;
    case K::expire: e.kind = x.hard ? O::expire_hard : O::expire_soft; break;
    case K::flush: e.kind = O::flush; e.satype = x.flushed; break;
    case K::spdadd: e.kind = O::spdadd; break;
    case K::spdupdate: e.kind = O::spdupdate; break;
    case K::spddelete: e.kind = O::spddelete; break;
    case K::spdexpire: e.kind = O::spdexpire; break;
    case K::spdflush: e.kind = O::spdflush; break;
    case K::acquire: e.kind = O::acquire; break;
    case K::other: return std::nullopt;
    }
    e.sa = x.sa;
    e.policy = x.policy;
    return e;
}

// XFRM_MSG_EXPIRE carries no algorithms, while af_key's SADB_EXPIRE names them. The
// monitor remembers the algorithms (never the keys) of SAs it saw being added and
// fills them into their expire events; SAs older than the monitor expire without.
class SaAlgorithms {
public:
    void observe(xfrm::Event& e) {
        using K = xfrm::Event::Kind;
        if (e.kind == K::flush) {
            known_.clear();
            return;
        }
        if (!e.sa) return;
        const auto id = key(*e.sa);
        switch (e.kind) {
        case K::add:
        case K::update: {
            Algs a{e.sa->enc, e.sa->auth, e.sa->comp, e.sa->aead};
            a.enc.key.reset();
            a.auth.key.reset();
            a.comp.key.reset();
            known_[id] = std::move(a);
            break;
        }
        case K::expire:
            if (auto it = known_.find(id); it != known_.end()) {
                e.sa->enc = it->second.enc;
                e.sa->auth = it->second.auth;
                e.sa->comp = it->second.comp;
                e.sa->aead = it->second.aead;
                if (e.hard) known_.erase(it); // the kernel deletes it with this event
            }
            break;
        case K::remove: known_.erase(id); break;
        default: break;
        }
    }

private:
    struct Algs {
        model::AlgorithmRef enc, auth, comp;
        bool aead = false;
    };
    using Key = std::tuple<uint8_t, std::string, uint32_t>;
    static Key key(const model::SaRecord& sa) { return {sa.raw_satype, sa.dst.to_string(), sa.spi}; }
    std::map<Key, Algs> known_;
};

} // namespace

int run_monitor(const Options& options, Streams io, pfkey::Transport& transport,
                const std::function<timespec()>& clock) {
    const bool jsonl = options.output == OutputFormat::jsonl;
    const uint32_t pid = static_cast<uint32_t>(::getpid());
    // JSON events want each kernel change once: a registered (not promiscuous) socket
    // gets every broadcast, EXPIRE and ACQUIRE included, and no copies of requests.
    std::vector<pfkey::Bytes> setup;
    if (jsonl) {
        for (auto t : {model::SaType::ah, model::SaType::esp, model::SaType::ipcomp})
            setup.push_back(pfkey::encode_register(t, {pid, 0}));
    } else {
        setup.push_back(pfkey::encode_promisc({pid, 0}));
    }
    for (const auto& request : setup) {
        if (options.hexdump && !jsonl) io.out << pfkey::hexdump_text(request) << std::flush;
        if (io.out.fail()) return kExitWriteError;
        if (const int e = transport.send(request); e != 0) {
            io.err << "setkey: send: " << std::strerror(e) << '\n';
            return 2;
        }
    }
    const output::RecordOptions record{.show_keys = options.show_keys};
    for (;;) {
        int error = 0;
        const auto received = transport.receive(-1, error);
        if (!received) continue; // no timeout was asked for; keep waiting
        if (error != 0) {
            io.err << "setkey: recv: " << std::strerror(error) << '\n';
            return 2;
        }
        std::span<const uint8_t> message = *received;
        const timespec now = clock();
        {   // a signal now waits until this event is out (see on_signal)
            Writing writing;
            if (jsonl) {
                if (auto e = pfkey_event(message)) {
                    e->time = epoch(now);
                    output::write_event(io.out, *e, "pfkey", record);
                }
            } else {
                if (message.size() >= pfkey::kHeaderSize &&
                    message[1] == static_cast<uint8_t>(pfkey::MsgType::promisc)) {
                    // Messages copied to promiscuous listeners may arrive wrapped in a
                    // PROMISC header; a bare header is the echo of our own request.
                    message = message.subspan(pfkey::kHeaderSize);
                }
                if (message.empty()) {
                    io.out << timestamp(now, options.monitor_level) << '\n';
                    io.out.flush();
                } else {
                    print_classic(options, io.out, now, message);
                }
            }
        }
        if (io.out.fail()) return kExitWriteError; // nobody sees the events: stop at once
        if (stop_requested()) return g_stop_status;
    }
}

int run_xfrm_monitor(const Options& options, Streams io, xfrm::EventSource& events,
                     const std::function<timespec()>& clock) {
    const bool jsonl = options.output == OutputFormat::jsonl;
    const output::RecordOptions record{.show_keys = options.show_keys};
    SaAlgorithms algorithms;
    for (;;) {
        int error = 0;
        const auto datagram = events.receive(error);
        if (error == ENOBUFS) {
            // Keep monitoring, but never silently: the kernel dropped events for us.
            io.err << "setkey: events were lost (receive buffer overrun)\n";
            continue;
        }
        if (error != 0) {
            io.err << "setkey: recv: " << std::strerror(error) << '\n';
            return 2;
        }
        const timespec now = clock();
        {   // a signal now waits until this event is out (see on_signal)
            Writing writing;
            std::vector<std::span<const uint8_t>> messages;
            try {
                messages = xfrm::split_messages(datagram);
            } catch (const xfrm::DecodeError& e) {
                io.err << "setkey: malformed XFRM event: " << e.what() << '\n';
            }
            for (auto message : messages) {
                xfrm::Event event;
                try {
                    event = xfrm::decode_event(message);
                } catch (const xfrm::DecodeError& e) {
                    io.err << "setkey: malformed XFRM event: " << e.what() << '\n';
                    continue;
                }
                algorithms.observe(event);
                if (jsonl) {
                    if (auto e = json_event(event)) {
                        e->time = epoch(now);
                        output::write_event(io.out, *e, "xfrm", record);
                    }
                } else {
                    // An event PF_KEY cannot carry is said on stderr, and the monitor goes on.
                    pfkey::Bytes bytes;
                    try {
                        bytes = pfkey_message(event);
                    } catch (const pfkey::EncodeError& e) {
                        io.err << "setkey: XFRM event not shown: " << e.what() << '\n';
                    }
                    if (!bytes.empty()) print_classic(options, io.out, now, bytes);
                }
            }
        }
        if (io.out.fail()) return kExitWriteError; // nobody sees the events: stop at once
        if (stop_requested()) return g_stop_status;
    }
}

int run_monitor_mode(const Options& options, Streams io) {
    if (options.output == OutputFormat::json || options.output == OutputFormat::prometheus) {
        io.err << "setkey: -x streams events: use -o jsonl (or classic), not -o "
               << (options.output == OutputFormat::json ? "json" : "prometheus") << '\n';
        return 1;
    }
    const auto clock = [] {
        timespec now{};
        clock_gettime(CLOCK_REALTIME, &now);
        return now;
    };
    std::string xfrm_error;
    if (options.backend != BackendChoice::pfkey) {
        try {
            xfrm::EventSocket events;
            if (options.verbose) io.err << "setkey: monitoring XFRM netlink events\n";
            install_stop_handlers();
            return run_xfrm_monitor(options, io, events, clock);
        } catch (const std::system_error& e) {
            xfrm_error = std::string("xfrm: ") + e.what();
            if (options.backend == BackendChoice::xfrm) {
                io.err << "setkey: " << xfrm_error << '\n';
                return 2;
            }
        }
    }
    try {
        pfkey::Socket socket;
        if (options.verbose) io.err << "setkey: monitoring PF_KEY messages\n";
        install_stop_handlers();
        return run_monitor(options, io, socket, clock);
    } catch (const pfkey::OpenError& e) {
        io.err << "setkey: " << (xfrm_error.empty() ? "" : xfrm_error + "; ") << e.what() << '\n';
        return 2;
    }
}

} // namespace setkey::cli
