// -x over PF_KEY: a promiscuous socket for classic output (every message, requests of
// other processes included, as 0.8.2 printed them), a registered one for -o jsonl
// (each kernel change once, EXPIRE and ACQUIRE included).
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "cli/event_source.hpp"
#include "pfkey/socket.hpp"

namespace setkey::cli {

class PfkeyEvents final : public MonitorSource {
public:
    PfkeyEvents(pfkey::Transport& transport, bool jsonl) : transport_(transport), jsonl_(jsonl) {}
    PfkeyEvents(std::unique_ptr<pfkey::Transport> owned, bool jsonl)
        : owned_(std::move(owned)), transport_(*owned_), jsonl_(jsonl) {}

    std::string_view backend() const override { return "pfkey"; }
    std::string_view listens_to() const override { return "PF_KEY messages"; }
    int start(const Options& options, Streams io) override;
    int wait(std::ostream& err) override;
    void show(std::ostream& err, EventPrinter& print) override;

private:
    std::unique_ptr<pfkey::Transport> owned_;
    pfkey::Transport& transport_;
    bool jsonl_;
    std::span<const uint8_t> message_;
};

// A PF_KEY message as a JSON event; nullopt for what is no kernel change (replies,
// refusals, dumps, ...).
std::optional<output::Event> pfkey_event(std::span<const uint8_t> message);

} // namespace setkey::cli
