// -x over XFRM: the SA, policy, expire and acquire multicast groups. Classic output
// prints each event as the PF_KEY message af_key would have broadcast for it
// (pfkey/change_notify.hpp); -o jsonl prints it as JSON.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "cli/event_source.hpp"
#include "pfkey/codec.hpp"
#include "model/sync_identity.hpp"
#include "xfrm/monitor.hpp"

namespace setkey::cli {

// XFRM_MSG_EXPIRE carries no algorithms, while af_key's SADB_EXPIRE names them. This
// remembers the algorithms (never the keys) of SAs seen being added and fills them into
// their expire events; SAs older than the monitor expire without.
class SaAlgorithms {
public:
    void observe(xfrm::Event& e);

private:
    struct Algs {
        model::AlgorithmRef enc, auth, comp;
        bool aead = false;
        model::SaType satype = model::SaType::unspec; // for a flush of one protocol
    };
    std::map<std::string, Algs> known_; // by model::sa_key
};

class XfrmEvents final : public MonitorSource {
public:
    XfrmEvents(xfrm::EventSource& events, bool jsonl) : events_(events), jsonl_(jsonl) {}
    XfrmEvents(std::unique_ptr<xfrm::EventSource> owned, bool jsonl)
        : owned_(std::move(owned)), events_(*owned_), jsonl_(jsonl) {}

    std::string_view backend() const override { return "xfrm"; }
    std::string_view listens_to() const override { return "XFRM netlink events"; }
    int wait(std::ostream& err) override;
    void show(std::ostream& err, EventPrinter& print) override;

private:
    std::unique_ptr<xfrm::EventSource> owned_;
    xfrm::EventSource& events_;
    bool jsonl_;
    std::span<const uint8_t> datagram_;
    bool lost_ = false; // the last receive found events dropped (jsonl says so in show())
    SaAlgorithms algorithms_;
};

// An XFRM event as JSON; nullopt for `other`.
std::optional<output::Event> xfrm_json_event(const xfrm::Event& event);
// The PF_KEY message af_key would have broadcast for the same change; empty when
// the event has no PF_KEY counterpart.
pfkey::Bytes xfrm_pfkey_message(const xfrm::Event& event);

} // namespace setkey::cli
