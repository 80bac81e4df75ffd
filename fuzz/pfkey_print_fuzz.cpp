// libFuzzer target: PF_KEY messages back to back as dump replies and as what `-x` reads.
// Whatever decodes is printed in every format (print_every_format.hpp); every message is
// also handed to `-x` over PF_KEY, classic (with -H) and jsonl, as its socket would.
// Nothing may crash or read out of bounds (ASan/UBSan). Seeds: tests/golden.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cli/modes.hpp"
#include "fuzz/print_every_format.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/socket.hpp"

using namespace setkey;

namespace {

// Accepts every request; hands out the given messages in turn, then fails as a closed
// socket would.
class GivenMessages final : public pfkey::Transport {
public:
    explicit GivenMessages(const std::vector<std::span<const uint8_t>>& messages)
        : messages_(messages) {}
    int send(std::span<const uint8_t>) override { return 0; }
    std::optional<std::span<const uint8_t>> receive(int, int& error) override {
        if (next_ == messages_.size()) {
            error = EBADF;
            return std::span<const uint8_t>{};
        }
        return messages_[next_++];
    }

private:
    const std::vector<std::span<const uint8_t>>& messages_;
    size_t next_ = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> input(data, size);
    std::vector<std::span<const uint8_t>> messages = pfkey::split_messages(input).messages;
    if (messages.empty()) messages.push_back(input); // a short or lying header, as received
    fuzz::Records records;
    for (auto message : messages) {
        try {
            auto decoded = pfkey::decode_message(message);
            if (decoded.sa) records.sas.push_back(std::move(*decoded.sa));
            if (decoded.policy) records.policies.push_back(std::move(*decoded.policy));
        } catch (const pfkey::DecodeError&) {
        }
    }
    fuzz::print_every_format(records, "pfkey");
    fuzz::monitor_both_ways([&](const cli::Options& options, cli::Streams io, auto clock) {
        GivenMessages transport(messages);
        return cli::run_monitor(options, io, transport, clock);
    });
    return 0;
}
