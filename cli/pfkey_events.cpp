#include "cli/pfkey_events.hpp"

#include <unistd.h>

#include <cstring>
#include <vector>

#include "cli/checked_output.hpp"
#include "cli/event_kinds.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey::cli {

std::optional<output::Event> pfkey_event(std::span<const uint8_t> message) {
    pfkey::Decoded m;
    try {
        m = pfkey::decode_message(message);
    } catch (const pfkey::DecodeError&) {
        return std::nullopt;
    }
    if (m.header.errno_ != 0) return std::nullopt; // a reply refusing someone's request
    const EventKindRow* row = event_kind(static_cast<pfkey::MsgType>(m.header.type));
    if (!row) return std::nullopt;
    output::Event e;
    // af_key's EXPIRE carries the limit that expired: LIFETIME_HARD or LIFETIME_SOFT.
    e.kind = json_kind(*row, m.sa && m.sa->hard && !m.sa->soft);
    if (e.kind == output::EventKind::flush && m.header.satype != 0)
        e.satype = static_cast<model::SaType>(m.header.satype);
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

int PfkeyEvents::start(const Options& options, Streams io) {
    const uint32_t pid = static_cast<uint32_t>(::getpid());
    // JSON events want each kernel change once: a registered (not promiscuous) socket
    // gets every broadcast, EXPIRE and ACQUIRE included, and no copies of requests.
    std::vector<pfkey::Bytes> setup;
    if (jsonl_) {
        for (auto t : {model::SaType::ah, model::SaType::esp, model::SaType::ipcomp})
            setup.push_back(pfkey::encode_register(t, {pid, 0}));
    } else {
        setup.push_back(pfkey::encode_promisc({pid, 0}));
    }
    for (const auto& request : setup) {
        if (options.hexdump && !jsonl_) io.out << pfkey::hexdump_text(request) << std::flush;
        if (io.out.fail()) return kExitWriteError;
        if (const int e = transport_.send(request); e != 0) {
            io.err << "setkey: send: " << std::strerror(e) << '\n';
            return 2;
        }
    }
    return 0;
}

int PfkeyEvents::wait(std::ostream& err) {
    for (;;) {
        int error = 0;
        const auto received = transport_.receive(-1, error);
        if (!received) continue; // no timeout was asked for; keep waiting
        if (error != 0) {
            err << "setkey: recv: " << std::strerror(error) << '\n';
            return 2;
        }
        message_ = *received;
        return 0;
    }
}

void PfkeyEvents::show(std::ostream&, EventPrinter& print) {
    if (jsonl_) {
        if (auto e = pfkey_event(message_)) print.json(std::move(*e));
        return;
    }
    std::span<const uint8_t> message = message_;
    if (message.size() >= pfkey::kHeaderSize &&
        message[1] == static_cast<uint8_t>(pfkey::MsgType::promisc)) {
        // Messages copied to promiscuous listeners may arrive wrapped in a PROMISC
        // header; a bare header is the echo of our own request.
        message = message.subspan(pfkey::kHeaderSize);
    }
    print.classic(message, {}); // PF_KEY says all it knows
}

} // namespace setkey::cli
