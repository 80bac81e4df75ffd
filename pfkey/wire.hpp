// What the PF_KEY encoders, the decoder and the kdebug printer share (internal): the
// kernel's own structs from <linux/pfkeyv2.h>, read from and appended to byte spans.
// PF_KEY fields are in host byte order except SPIs, ports and addresses, which are in
// network order; each call site converts them where it reads or fills the field.
#pragma once

#include <arpa/inet.h>
#include <linux/pfkeyv2.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "model/wire_limits.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey::wire {

// A kernel struct (or integer) copied out of `b` at `off`; the caller has checked that
// sizeof(T) bytes are there. A copy, because the bytes need not be aligned for T.
template <typename T>
T load(std::span<const uint8_t> b, size_t off) {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, b.data() + off, sizeof v);
    return v;
}

// memset, not `T{}`: the padding and reserved bytes go to the kernel and into exact-byte
// tests, so they must be zero.
template <typename T>
T zeroed() {
    T t;
    std::memset(&t, 0, sizeof t);
    return t;
}

// Linux sockaddrs have no sa_len; address extensions carry them whole.
inline constexpr size_t kSockaddrIn = sizeof(sockaddr_in), kSockaddrIn6 = sizeof(sockaddr_in6);

inline size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

// Appends kernel structs and bytes to a message under construction.
class Writer {
public:
    std::vector<uint8_t> out;

    template <typename T>
    void put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        const size_t at = out.size();
        out.resize(at + sizeof v);
        std::memcpy(out.data() + at, &v, sizeof v);
    }
    void put_bytes(std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }
    void zeros(size_t n) { out.insert(out.end(), n, 0); }
    void pad8() { zeros(align8(out.size()) - out.size()); }

    // Starts an extension with its fixed part, a sadb_* struct whose first four bytes are
    // the sadb_ext header (this sets its type); a variable part may follow. Finish it with
    // end_ext(returned offset).
    template <typename Ext>
    size_t begin_ext(ExtType type, const Ext& fixed) {
        static_assert(sizeof(Ext) >= sizeof(sadb_ext) && sizeof(Ext) % 8 == 0);
        const size_t at = out.size();
        put(fixed);
        const sadb_ext h{0, static_cast<uint16_t>(type)};
        std::memcpy(out.data() + at, &h, sizeof h);
        return at;
    }
    // An extension that is only its fixed part.
    template <typename Ext>
    void ext(ExtType type, const Ext& fixed) {
        end_ext(begin_ext(type, fixed));
    }
    // Pads to 8 bytes and stores the length in 8-byte units (sadb_ext_len).
    void end_ext(size_t at) {
        pad8();
        const size_t bytes = out.size() - at;
        if (bytes > model::limits::kPfkeyExtensionMax) {
            const auto h = load<sadb_ext>(out, at);
            throw EncodeError(EMSGSIZE, fmt::format("extension type {} of {} bytes is longer than PF_KEY can "
                                                    "say (at most {})",
                                                    h.sadb_ext_type, bytes, model::limits::kPfkeyExtensionMax));
        }
        store_units(at + offsetof(sadb_ext, sadb_ext_len), bytes);
    }
    // The whole message's length (sadb_msg_len).
    void end_message() {
        if (out.size() > model::limits::kPfkeyMessageMax)
            throw EncodeError(EMSGSIZE, fmt::format("message of {} bytes is longer than PF_KEY can say (at most {})",
                                                    out.size(), model::limits::kPfkeyMessageMax));
        store_units(offsetof(sadb_msg, sadb_msg_len), out.size());
    }

private:
    void store_units(size_t at, size_t bytes) {
        const auto units = static_cast<uint16_t>(bytes / 8);
        std::memcpy(out.data() + at, &units, sizeof units);
    }
};

} // namespace setkey::pfkey::wire
