// Building blocks of outgoing PF_KEY messages, shared by the request encoders
// (encode.cpp) and the notification encoder used by -x over XFRM (event_encode.cpp).
// Each fills the kernel's struct for its extension. Internal to pfkey/.
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
    auto h = zeroed<sadb_msg>();
    h.sadb_msg_version = kVersion;
    h.sadb_msg_type = static_cast<uint8_t>(type);
    h.sadb_msg_satype = satype;
    h.sadb_msg_reserved = reserved;
    h.sadb_msg_seq = id.seq;
    h.sadb_msg_pid = id.pid;
    Writer w;
    w.put(h); // sadb_msg_len is set by finish_message()
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

inline void put_sockaddr(Writer& w, const model::IpAddress& a, uint16_t port) {
    if (a.family == model::Family::inet) {
        auto s = zeroed<sockaddr_in>();
        s.sin_family = AF_INET;
        s.sin_port = htons(port);
        std::memcpy(&s.sin_addr, a.bytes.data(), sizeof s.sin_addr);
        w.put(s);
    } else {
        auto s = zeroed<sockaddr_in6>();
        s.sin6_family = AF_INET6;
        s.sin6_port = htons(port);
        std::memcpy(&s.sin6_addr, a.bytes.data(), sizeof s.sin6_addr);
        s.sin6_scope_id = a.scope_id;
        w.put(s);
    }
}

inline void put_address(Writer& w, ExtType type, uint8_t proto, uint8_t prefixlen,
                        const model::IpAddress& a, uint16_t port) {
    auto e = zeroed<sadb_address>();
    e.sadb_address_proto = proto;
    e.sadb_address_prefixlen = prefixlen;
    size_t at = w.begin_ext(type, e);
    put_sockaddr(w, a, port);
    w.end_ext(at);
}

inline void put_sec_ctx(Writer& w, const model::SecurityContext& c) {
    auto e = zeroed<sadb_x_sec_ctx>();
    e.sadb_x_ctx_alg = c.alg;
    e.sadb_x_ctx_doi = c.doi;
    e.sadb_x_ctx_len = count16(c.context.size() + 1, "security context bytes"); // the kernel counts the NUL
    size_t at = w.begin_ext(ExtType::x_sec_ctx, e);
    w.put_bytes(std::span(reinterpret_cast<const uint8_t*>(c.context.data()), c.context.size()));
    w.zeros(1);
    w.end_ext(at);
}

// One sadb_x_ipsecrequest inside an X_POLICY extension, with the tunnel endpoints
// when it has them; its length is in bytes, not 8-byte units.
inline void put_ipsec_request(Writer& w, const model::IpsecRequest& r) {
    auto q = zeroed<sadb_x_ipsecrequest>();
    q.sadb_x_ipsecrequest_proto = r.proto;
    q.sadb_x_ipsecrequest_mode = static_cast<uint8_t>(r.mode);
    q.sadb_x_ipsecrequest_level = static_cast<uint8_t>(r.level);
    q.sadb_x_ipsecrequest_reqid = r.reqid;
    const size_t at = w.out.size();
    w.put(q);
    if (r.src && r.dst) {
        put_sockaddr(w, r.src->addr, r.src->port.value_or(0));
        put_sockaddr(w, r.dst->addr, r.dst->port.value_or(0));
    }
    w.pad8();
    const uint16_t len = count16(w.out.size() - at, "ipsecrequest bytes");
    std::memcpy(w.out.data() + at + offsetof(sadb_x_ipsecrequest, sadb_x_ipsecrequest_len), &len, sizeof len);
}

// The policy header of an X_POLICY extension; its requests follow, then end_ext.
inline size_t begin_policy(Writer& w, uint16_t action, uint8_t dir, uint32_t id, uint32_t priority) {
    auto p = zeroed<sadb_x_policy>();
    p.sadb_x_policy_type = action;
    p.sadb_x_policy_dir = dir;
    p.sadb_x_policy_id = id;
    p.sadb_x_policy_priority = priority;
    return w.begin_ext(ExtType::x_policy, p);
}

inline void put_sa2(Writer& w, model::Mode mode, uint32_t sequence, uint32_t reqid) {
    auto e = zeroed<sadb_x_sa2>();
    e.sadb_x_sa2_mode = static_cast<uint8_t>(mode);
    e.sadb_x_sa2_sequence = sequence;
    e.sadb_x_sa2_reqid = reqid;
    w.ext(ExtType::x_sa2, e);
}

inline void put_natt_type(Writer& w, uint8_t type) {
    auto e = zeroed<sadb_x_nat_t_type>();
    e.sadb_x_nat_t_type_type = type;
    w.ext(ExtType::x_nat_t_type, e);
}

// NAT-T port extensions (sadb_x_nat_t_port).
inline void put_port(Writer& w, ExtType type, uint16_t port) {
    auto e = zeroed<sadb_x_nat_t_port>();
    e.sadb_x_nat_t_port_port = htons(port);
    w.ext(type, e);
}

inline void put_lifetime(Writer& w, ExtType type, uint32_t allocations, uint64_t bytes, uint64_t add_time,
                         uint64_t use_time) {
    auto e = zeroed<sadb_lifetime>();
    e.sadb_lifetime_allocations = allocations;
    e.sadb_lifetime_bytes = bytes;
    e.sadb_lifetime_addtime = add_time;
    e.sadb_lifetime_usetime = use_time;
    w.ext(type, e);
}

// A KEY_AUTH / KEY_ENCRYPT extension: the bit count, then the key bytes padded to 8.
inline void put_key(Writer& w, ExtType type, uint16_t bits, std::span<const uint8_t> key) {
    auto e = zeroed<sadb_key>();
    e.sadb_key_bits = bits;
    size_t at = w.begin_ext(type, e);
    w.put_bytes(key);
    w.end_ext(at);
}

} // namespace setkey::pfkey::wire
