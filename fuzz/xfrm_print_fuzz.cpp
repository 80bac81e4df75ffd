// libFuzzer target: an XFRM datagram as a dump reply and as an event. Whatever decodes
// is printed in every format (print_every_format.hpp); the datagram is also handed to
// `-x` over XFRM, classic and jsonl, as the one event its socket received. Nothing may
// crash or read out of bounds (ASan/UBSan). Seeds: tests/golden.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <sstream>

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

void monitor(std::span<const uint8_t> datagram, cli::OutputFormat format, int level) {
    cli::Options options;
    options.output = format;
    options.monitor_level = level;
    options.show_keys = level > 1;
    std::istringstream in;
    std::ostringstream out, err;
    OneDatagram events(datagram);
    (void)cli::run_xfrm_monitor(options, {in, out, err}, events, [] { return timespec{}; });
}

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
    monitor(input, cli::OutputFormat::classic, 1);
    monitor(input, cli::OutputFormat::jsonl, 2);
    return 0;
}
