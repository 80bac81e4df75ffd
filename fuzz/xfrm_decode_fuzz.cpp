// libFuzzer target for the XFRM decoder: any datagram is split into messages and each
// decoded; malformed input must end in DecodeError, never a crash or an out-of-bounds
// read (ASan/UBSan). Seeds: tests/golden/xfrm/*.nlmsg.
#include <cstddef>
#include <cstdint>
#include <span>

#include "xfrm/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> input(data, size);
    try {
        for (auto message : setkey::xfrm::split_messages(input)) {
            auto decoded = setkey::xfrm::decode_message(message);
            // Touch what printers read, so bad addresses or lengths would show up here.
            if (auto* sa = std::get_if<setkey::model::SaRecord>(&decoded.body)) {
                (void)sa->src.to_string();
                if (sa->enc.key) (void)sa->enc.key->size();
            } else if (auto* p = std::get_if<setkey::model::PolicyRecord>(&decoded.body)) {
                for (const auto& r : p->requests)
                    if (r.dst) (void)r.dst->addr.to_string();
            }
        }
    } catch (const setkey::xfrm::DecodeError&) {
    }
    // Single-message entry point too: the backend decodes messages one by one.
    try {
        (void)setkey::xfrm::decode_message(input);
    } catch (const setkey::xfrm::DecodeError&) {
    }
    return 0;
}
