// Byte-level helpers shared by the PF_KEY codec and the kdebug printer (internal).
// PF_KEY fields are in host byte order except SPIs, ports and addresses, which are
// in network order; both are spelled out at each call site.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "model/wire_limits.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey::wire {

// Reads a host-order integer at `off`; the caller has checked the bounds.
template <typename T>
T load(std::span<const uint8_t> b, size_t off) {
    T v;
    std::memcpy(&v, b.data() + off, sizeof v);
    return v;
}

inline uint16_t load_be16(std::span<const uint8_t> b, size_t off) {
    return static_cast<uint16_t>(b[off] << 8 | b[off + 1]);
}

inline uint32_t load_be32(std::span<const uint8_t> b, size_t off) {
    return uint32_t{b[off]} << 24 | uint32_t{b[off + 1]} << 16 | uint32_t{b[off + 2]} << 8 |
           uint32_t{b[off + 3]};
}

// sizeof(struct sockaddr_in) and sizeof(struct sockaddr_in6), as PF_KEY address
// extensions carry them.
inline constexpr uint16_t kSockaddrIn = 16, kSockaddrIn6 = 28;

inline size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

// Appends fields to a message under construction.
class Writer {
public:
    std::vector<uint8_t> out;

    template <typename T>
    void put(T v) {
        const size_t at = out.size();
        out.resize(at + sizeof v);
        std::memcpy(out.data() + at, &v, sizeof v);
    }
    void put_be16(uint16_t v) {
        put(static_cast<uint8_t>(v >> 8));
        put(static_cast<uint8_t>(v & 0xff));
    }
    void put_be32(uint32_t v) {
        put_be16(static_cast<uint16_t>(v >> 16));
        put_be16(static_cast<uint16_t>(v & 0xffff));
    }
    void put_bytes(std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }
    void zeros(size_t n) { out.insert(out.end(), n, 0); }
    void pad8() { zeros(align8(out.size()) - out.size()); }

    // Starts an extension; finish it with end_ext(returned offset).
    size_t begin_ext(uint16_t type) {
        size_t at = out.size();
        put<uint16_t>(0);
        put<uint16_t>(type);
        return at;
    }
    // Pads to 8 bytes and stores the length in 8-byte units.
    void end_ext(size_t at) {
        pad8();
        const size_t bytes = out.size() - at;
        if (bytes > model::limits::kPfkeyExtensionMax) {
            uint16_t type;
            std::memcpy(&type, out.data() + at + 2, sizeof type);
            throw EncodeError(EMSGSIZE, fmt::format("extension type {} of {} bytes is longer than PF_KEY can "
                                          "say (at most {})",
                                          type, bytes, model::limits::kPfkeyExtensionMax));
        }
        store_len(at, bytes);
    }
    // The whole message's length, at offset 4 of its header.
    void end_message() {
        if (out.size() > model::limits::kPfkeyMessageMax)
            throw EncodeError(EMSGSIZE, fmt::format("message of {} bytes is longer than PF_KEY can say (at most {})",
                                          out.size(), model::limits::kPfkeyMessageMax));
        store_len(4, out.size());
    }

private:
    void store_len(size_t at, size_t bytes) {
        auto units = static_cast<uint16_t>(bytes / 8);
        std::memcpy(out.data() + at, &units, sizeof units);
    }
};

} // namespace setkey::pfkey::wire
