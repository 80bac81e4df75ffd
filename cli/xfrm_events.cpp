#include "cli/xfrm_events.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include "cli/event_kinds.hpp"
#include "output/classic.hpp"
#include "pfkey/change_notify.hpp"

namespace setkey::cli {

void SaAlgorithms::observe(xfrm::Event& e) {
    using K = xfrm::Event::Kind;
    if (e.kind == K::flush) {
        std::erase_if(known_, [&](const auto& entry) { return !e.flushed || entry.second.satype == *e.flushed; });
        return;
    }
    if (!e.sa) return;
    const auto id = model::sa_key(*e.sa); // the kernel's identity, with the mark
    switch (e.kind) {
    case K::add:
    case K::update: {
        Algs a{e.sa->enc, e.sa->auth, e.sa->comp, e.sa->aead, e.sa->satype};
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

std::optional<output::Event> xfrm_json_event(const xfrm::Event& x) {
    const EventKindRow* row = event_kind(x.kind);
    if (!row) return std::nullopt;
    output::Event e;
    e.kind = json_kind(*row, x.hard);
    if (e.kind == output::EventKind::flush) e.satype = x.flushed;
    e.hard = x.hard;
    e.ptype = x.ptype;
    e.sa = x.sa;
    e.policy = x.policy;
    return e;
}

pfkey::Bytes xfrm_pfkey_message(const xfrm::Event& e) {
    const EventKindRow* row = event_kind(e.kind);
    if (!row) return {};
    pfkey::Change change;
    change.type = row->pfkey;
    change.sa = e.sa ? &*e.sa : nullptr;
    change.policy = e.policy ? &*e.policy : nullptr;
    change.hard = e.hard;
    if (e.selector) change.proxy = pfkey::SaProxy{e.selector->addr, e.selector->prefixlen, e.selector->proto};
    change.flushed_satype = static_cast<uint8_t>(e.flushed.value_or(model::SaType::unspec));
    change.id = {e.header.pid, e.header.seq};
    change.acquire_seq = e.acquire_seq;
    return pfkey::change_notification(change);
}

int XfrmEvents::wait(std::ostream& err) {
    for (;;) {
        int error = 0;
        datagram_ = events_.receive(error);
        if (error == ENOBUFS) {
            // Keep monitoring, but never silently: the kernel dropped events for us.
            // A jsonl reader learns it in the stream too (show() writes a "lost" event),
            // so a consumer that mirrors the tables knows to dump them again.
            err << "setkey: events were lost (receive buffer overrun)\n";
            if (!jsonl_) continue;
            lost_ = true;
            datagram_ = {};
            return 0;
        }
        if (error != 0) {
            err << "setkey: recv: " << std::strerror(error) << '\n';
            return 2;
        }
        return 0;
    }
}

void XfrmEvents::show(std::ostream& err, EventPrinter& print) {
    if (lost_) {
        lost_ = false;
        print.json(output::Event{.kind = output::EventKind::lost});
    }
    std::vector<std::span<const uint8_t>> messages;
    try {
        messages = xfrm::split_messages(datagram_);
    } catch (const xfrm::DecodeError& e) {
        err << "setkey: malformed XFRM event: " << e.what() << '\n';
    }
    for (auto message : messages) {
        xfrm::Event event;
        try {
            event = xfrm::decode_event(message);
        } catch (const xfrm::DecodeError& e) {
            err << "setkey: malformed XFRM event: " << e.what() << '\n';
            continue;
        }
        algorithms_.observe(event);
        if (jsonl_) {
            if (auto e = xfrm_json_event(event)) print.json(std::move(*e));
        } else {
            // Classic prints what af_key would broadcast, and it sends nothing for a sub
            // policy (jsonl has them, with their ptype).
            if ((event.policy && event.policy->xfrm.type != 0) || event.ptype != 0) continue;
            // An event PF_KEY cannot carry is said on stderr, and the monitor goes on.
            pfkey::Bytes bytes;
            try {
                bytes = xfrm_pfkey_message(event);
            } catch (const pfkey::EncodeError& e) {
                err << "setkey: XFRM event not shown: " << e.what() << '\n';
            }
            // Two SAs or policies that differ only by mark must not print alike.
            const std::string line = event.sa       ? output::xfrm_line(*event.sa)
                                     : event.policy ? output::xfrm_line(*event.policy)
                                                    : std::string();
            if (!bytes.empty()) print.classic(bytes, line);
        }
    }
}

} // namespace setkey::cli
