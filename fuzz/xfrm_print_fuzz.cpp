// libFuzzer target: an XFRM datagram as a dump reply and as an event. Whatever decodes
// is printed in every format (print_every_format.hpp); the datagram is also handed to
// `-x` over XFRM, classic and jsonl, as the one event its socket received. Nothing may
// crash or read out of bounds (ASan/UBSan). Seeds: tests/golden.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>

#include "cli/monitor_mode.hpp"
#include "fuzz/print_every_format.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

namespace {

// Hands out the fuzzer's datagram once, then fails as a closed socket would.
class OneDatagram final : public xfrm::EventSource {
public:
    explicit OneDatagram(std::span<const uint8_t> datagram) : datagram_(datagram) {}
    std::span<const uint8_t> receive(int& error) override {
        if (given_) {
            error = EBADF;
            return {};
        }
        given_ = true;
        return datagram_;
    }

private:
    std::span<const uint8_t> datagram_;
    bool given_ = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> input(data, size);
    fuzz::Records records;
    try {
        for (auto message : xfrm::split_messages(input)) {
            try {
                auto decoded = xfrm::decode_message(message);
                if (auto* sa = std::get_if<model::SaRecord>(&decoded.body))
                    records.sas.push_back(std::move(*sa));
                else if (auto* p = std::get_if<model::PolicyRecord>(&decoded.body))
                    records.policies.push_back(std::move(*p));
            } catch (const xfrm::DecodeError&) {
            }
        }
    } catch (const xfrm::DecodeError&) {
    }
    fuzz::print_every_format(records, "xfrm");
    fuzz::monitor_both_ways([&](const cli::Options& options, cli::Streams io, auto clock) {
        OneDatagram events(input);
        return cli::run_xfrm_monitor(options, io, events, clock);
    });
    return 0;
}
