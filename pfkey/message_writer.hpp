// Building blocks of outgoing PF_KEY messages, shared by the request encoders
// (codec.cpp) and the notification encoder used by -x over XFRM (event_encode.cpp).
// Internal to pfkey/.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <span>

#include <fmt/format.h>

#include "model/address.hpp"
#include "model/ipsec.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/wire.hpp"

namespace setkey::pfkey::wire {

// The sadb_msg header. `reserved` must be 0 in requests (Linux refuses anything else);
// kernel notifications carry a reference count there.
inline Writer start_message(MsgType type, uint8_t satype, RequestId id, uint16_t reserved = 0) {
    Writer w;
    w.put<uint8_t>(kVersion);
    w.put(static_cast<uint8_t>(type));
    w.put<uint8_t>(0); // errno
    w.put(satype);
    w.put<uint16_t>(0); // length, set by finish_message()
    w.put(reserved);
    w.put(id.seq);
    w.put(id.pid);
    return w;
}

inline Bytes finish_message(Writer& w) {
    w.end_message();
    return std::move(w.out);
}

// A 16-bit count field (key bits, context bytes, request bytes) that must hold `value`.
inline uint16_t count16(size_t value, const char* what) {
    if (value > 0xffff)
        throw EncodeError(EMSGSIZE, fmt::format("{} of {} is more than PF_KEY's 16-bit field holds", what, value));
    return static_cast<uint16_t>(value);
}

// Linux sockaddrs have no sa_len: family (host order), port (network order), address.
inline void put_sockaddr(Writer& w, const model::IpAddress& a, uint16_t port) {
    if (a.family == model::Family::inet) {
        w.put<uint16_t>(AF_INET);
        w.put_be16(port);
        w.put_bytes(std::span(a.bytes.data(), 4));
        w.zeros(8);
    } else {
        w.put<uint16_t>(AF_INET6);
        w.put_be16(port);
        w.put<uint32_t>(0); // flowinfo
        w.put_bytes(a.bytes);
        w.put<uint32_t>(a.scope_id);
    }
}

inline void put_address(Writer& w, ExtType type, uint8_t proto, uint8_t prefixlen,
                        const model::IpAddress& a, uint16_t port) {
    size_t at = w.begin_ext(static_cast<uint16_t>(type));
    w.put(proto);
    w.put(prefixlen);
    w.put<uint16_t>(0);
    put_sockaddr(w, a, port);
    w.end_ext(at);
}

inline void put_sec_ctx(Writer& w, const model::SecurityContext& c) {
    size_t at = w.begin_ext(static_cast<uint16_t>(ExtType::x_sec_ctx));
    w.put(c.alg);
    w.put(c.doi);
    w.put(count16(c.context.size() + 1, "security context bytes")); // the kernel counts the NUL
    w.put_bytes(std::span(reinterpret_cast<const uint8_t*>(c.context.data()), c.context.size()));
    w.put<uint8_t>(0);
    w.end_ext(at);
}

// One sadb_x_ipsecrequest inside an X_POLICY extension, with the tunnel endpoints
// when it has them; its length is in bytes, not 8-byte units.
inline void put_ipsec_request(Writer& w, const model::IpsecRequest& r) {
    size_t at = w.out.size();
    w.put<uint16_t>(0); // length, set below
    w.put<uint16_t>(r.proto);
    w.put(static_cast<uint8_t>(r.mode));
    w.put(static_cast<uint8_t>(r.level));
    w.put<uint16_t>(0);
    w.put(r.reqid);
    w.put<uint32_t>(0);
    if (r.src && r.dst) {
        put_sockaddr(w, r.src->addr, r.src->port.value_or(0));
        put_sockaddr(w, r.dst->addr, r.dst->port.value_or(0));
    }
    w.pad8();
    const uint16_t len = count16(w.out.size() - at, "ipsecrequest bytes");
    std::memcpy(w.out.data() + at, &len, sizeof len);
}

// NAT-T port extensions (sadb_x_nat_t_port).
inline void put_port(Writer& w, ExtType type, uint16_t port) {
    size_t at = w.begin_ext(static_cast<uint16_t>(type));
    w.put_be16(port);
    w.put<uint16_t>(0);
    w.end_ext(at);
}

} // namespace setkey::pfkey::wire
