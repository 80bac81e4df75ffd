// What xfrm/encode.cpp and xfrm/decode.cpp share: zero-filled kernel structs,
// netlink alignment and attribute names for messages. Internal to xfrm/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <linux/xfrm.h>

#include "model/xfrm_attrs.hpp"

namespace setkey::xfrm::wire {

// memset, not `T{}`: padding bytes go to the kernel and into exact-byte tests.
template <class T> T zeroed() {
    T t;
    std::memset(&t, 0, sizeof t);
    return t;
}

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

// "XFRMA_ALG_AUTH", ... for messages; "attribute" for types without a name here.
const char* attr_name(uint16_t type);

// An SA's selector as the model keeps it (decode.cpp; also an acquire's, monitor.cpp).
model::SaSelector decode_sa_selector(const xfrm_selector& sel);

} // namespace setkey::xfrm::wire
