// libFuzzer target: arbitrary bytes through the PF_KEY decoder, the stream splitter and
// the kdebug/hex printers. None may crash, hang or read out of bounds; malformed input
// must surface as DecodeError (decoder) or as text (printers).
#include <cstddef>
#include <cstdint>
#include <span>

#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

using namespace setkey::pfkey;

namespace {

void one_message(std::span<const uint8_t> m) {
    (void)kdebug_text(m);
    try {
        Decoded decoded = decode_message(m);
        // A decoded message must also be printable and its extensions listable.
        (void)split_extensions(m);
        (void)decoded;
    } catch (const DecodeError&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> input(data, size);
    one_message(input);
    SplitResult split = split_messages(input);
    for (auto m : split.messages) one_message(m);
    if (size <= 4096) (void)hexdump_text(input);
    return 0;
}
