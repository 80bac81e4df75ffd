// libFuzzer target: the SAs and policies of an XFRM datagram through `-o script` and
// back (script_round_trip.hpp says what must hold). Seeds: tests/golden.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/script_round_trip.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr auto xfrm = grammar::KernelInterface::xfrm;
    try {
        for (auto message : xfrm::split_messages(std::span<const uint8_t>(data, size))) {
            try {
                auto decoded = xfrm::decode_message(message);
                if (auto* sa = std::get_if<model::SaRecord>(&decoded.body)) fuzz::check_sa(*sa, xfrm);
                else if (auto* p = std::get_if<model::PolicyRecord>(&decoded.body)) fuzz::check_policy(*p, xfrm);
            } catch (const xfrm::DecodeError&) {
            }
        }
    } catch (const xfrm::DecodeError&) {
    }
    return 0;
}
