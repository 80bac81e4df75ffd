// libFuzzer target: the SAs and policies of PF_KEY messages (back to back, as a dump
// delivers them) through `-o script` and back (script_round_trip.hpp says what must
// hold). Seeds: tests/golden's hex dumps as bytes (scripts/test.sh).
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/script_round_trip.hpp"
#include "pfkey/codec.hpp"

using namespace setkey;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr auto pfkey = grammar::KernelInterface::pfkey;
    for (auto message : pfkey::split_messages(std::span<const uint8_t>(data, size)).messages) {
        try {
            auto decoded = pfkey::decode_message(message);
            if (decoded.policy) fuzz::check_policy(*decoded.policy, pfkey);
            else if (decoded.sa) fuzz::check_sa(*decoded.sa, pfkey);
        } catch (const pfkey::DecodeError&) {
        }
    }
    return 0;
}
