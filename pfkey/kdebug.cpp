#include "pfkey/kdebug.hpp"

#include <sys/socket.h>

#include <cctype>
#include <iterator>

#include <fmt/format.h>

#include "pfkey/codec.hpp"
#include "pfkey/wire.hpp"

namespace setkey::pfkey {
namespace {

using Span = std::span<const uint8_t>;
using wire::load;

// Appends formatted text; every decode step returns false when decoding must stop.
class Out {
public:
    std::string text;
    template <typename... Args>
    void put(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(text), f, std::forward<Args>(args)...);
    }
    // ipsec-tools' byte dump: a space before each 4-byte group, a newline every 32 bytes.
    void groups(Span b) {
        for (size_t i = 0; i < b.size(); ++i) {
            if (i != 0 && i % 32 == 0) text += '\n';
            if (i % 4 == 0) text += ' ';
            put("{:02x}", b[i]);
        }
    }
    bool truncated(uint16_t type, size_t have) {
        put("kdebug_sadb: ext_type {} is too short ({} bytes).\n", type, have);
        return false;
    }
};

using wire::kSockaddrIn;
using wire::kSockaddrIn6;
constexpr size_t kSockaddrOther = sizeof(sockaddr);

// Whether `e` holds the fixed part of extension struct Ext.
template <typename Ext>
bool fits(Span e) {
    return e.size() >= sizeof(Ext);
}

// Prints one sockaddr from the front of `b`; returns the bytes it spans, 0 if truncated.
size_t sockaddr(Out& o, Span b) {
    if (b.size() < 2) {
        o.put("kdebug_sockaddr: truncated sockaddr.\n");
        return 0;
    }
    const auto family = load<sa_family_t>(b, 0);
    size_t size = family == AF_INET ? kSockaddrIn : family == AF_INET6 ? kSockaddrIn6 : kSockaddrOther;
    if (b.size() < size) {
        o.put("kdebug_sockaddr: truncated sockaddr.\n");
        return 0;
    }
    o.put("sockaddr{{ len={} family={}", size, family);
    if (family == AF_INET) {
        const auto in = load<sockaddr_in>(b, 0);
        o.put(" port={}\n", ntohs(in.sin_port));
        o.groups(b.subspan(offsetof(sockaddr_in, sin_addr), sizeof in.sin_addr));
    } else if (family == AF_INET6) {
        const auto in6 = load<sockaddr_in6>(b, 0);
        o.put(" port={}\n", ntohs(in6.sin6_port));
        o.put("  flowinfo=0x{:08x}, scope_id=0x{:08x}\n", in6.sin6_flowinfo, in6.sin6_scope_id);
        o.groups(b.subspan(offsetof(sockaddr_in6, sin6_addr), sizeof in6.sin6_addr));
    }
    o.put("  }}\n");
    return size;
}

bool sa(Out& o, Span e) {
    if (!fits<sadb_sa>(e)) return o.truncated(SADB_EXT_SA, e.size());
    const auto f = load<sadb_sa>(e, 0);
    o.put("sadb_sa{{ spi={} replay={} state={}\n", ntohl(f.sadb_sa_spi), f.sadb_sa_replay, f.sadb_sa_state);
    o.put("  auth={} encrypt={} flags=0x{:08x} }}\n", f.sadb_sa_auth, f.sadb_sa_encrypt, f.sadb_sa_flags);
    return true;
}

bool lifetime(Out& o, Span e, uint16_t type) {
    if (!fits<sadb_lifetime>(e)) return o.truncated(type, e.size());
    const auto f = load<sadb_lifetime>(e, 0);
    // 0.8.2 prints the 64-bit counters truncated to 32 bits.
    o.put("sadb_lifetime{{ alloc={}, bytes={}\n", f.sadb_lifetime_allocations,
          static_cast<uint32_t>(f.sadb_lifetime_bytes));
    o.put("  addtime={}, usetime={} }}\n", static_cast<uint32_t>(f.sadb_lifetime_addtime),
          static_cast<uint32_t>(f.sadb_lifetime_usetime));
    return true;
}

bool address(Out& o, Span e, uint16_t type) {
    if (!fits<sadb_address>(e)) return o.truncated(type, e.size());
    const auto f = load<sadb_address>(e, 0);
    // 0.8.2 prints the reserved field byte by byte, in memory order.
    const auto* reserved = e.data() + offsetof(sadb_address, sadb_address_reserved);
    o.put("sadb_address{{ proto={} prefixlen={} reserved=0x{:02x}{:02x} }}\n", f.sadb_address_proto,
          f.sadb_address_prefixlen, reserved[0], reserved[1]);
    return sockaddr(o, e.subspan(sizeof f)) != 0;
}

bool key(Out& o, Span e, uint16_t type) {
    if (!fits<sadb_key>(e)) return o.truncated(type, e.size());
    const auto f = load<sadb_key>(e, 0);
    const uint16_t bits = f.sadb_key_bits;
    o.put("sadb_key{{ bits={} reserved={}\n", bits, f.sadb_key_reserved);
    o.put("  key=");
    size_t bytes = bits >> 3, room = e.size() - sizeof f;
    if (bytes > room) {
        o.put("kdebug_sadb_key: key length mismatch, bit:{} len:{}.\n", bytes, room);
        bytes = room;
    }
    o.groups(e.subspan(sizeof f, bytes));
    o.put(" }}\n");
    return true;
}

bool identity(Out& o, Span e, uint16_t type) {
    if (!fits<sadb_ident>(e)) return o.truncated(type, e.size());
    const auto f = load<sadb_ident>(e, 0);
    o.put("sadb_ident_{}{{", type == static_cast<uint16_t>(ExtType::identity_src) ? "src" : "dst");
    o.put(" type={} id={}", f.sadb_ident_type, f.sadb_ident_id);
    if (e.size() > sizeof f) {
        o.put("\n  str=\"");
        for (uint8_t c : e.subspan(sizeof f)) {
            if (c == 0) break;
            if (std::isprint(c))
                o.text += static_cast<char>(c);
            else
                o.put("\\{:03o}", c);
        }
        o.put("\"");
    }
    o.put(" }}\n");
    return true;
}

bool proposal(Out& o, Span e) {
    if (!fits<sadb_prop>(e)) return o.truncated(SADB_EXT_PROPOSAL, e.size());
    o.put("sadb_prop{{ replay={}\n", load<sadb_prop>(e, 0).sadb_prop_replay);
    for (size_t off = sizeof(sadb_prop); off + sizeof(sadb_comb) <= e.size(); off += sizeof(sadb_comb)) {
        const auto c = load<sadb_comb>(e, off);
        o.put("sadb_comb{{ auth={} encrypt={} flags=0x{:04x} reserved=0x{:08x}\n", c.sadb_comb_auth,
              c.sadb_comb_encrypt, c.sadb_comb_flags, c.sadb_comb_reserved);
        o.put("  auth_minbits={} auth_maxbits={} encrypt_minbits={} encrypt_maxbits={}\n",
              c.sadb_comb_auth_minbits, c.sadb_comb_auth_maxbits, c.sadb_comb_encrypt_minbits,
              c.sadb_comb_encrypt_maxbits);
        o.put("  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={}\n", c.sadb_comb_soft_allocations,
              c.sadb_comb_hard_allocations, c.sadb_comb_soft_bytes, c.sadb_comb_hard_bytes);
        // 0.8.2 labels the four time fields with the allocation/bytes names again.
        o.put("  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={} }}\n", c.sadb_comb_soft_addtime,
              c.sadb_comb_hard_addtime, c.sadb_comb_soft_usetime, c.sadb_comb_hard_usetime);
    }
    o.put("}}\n");
    return true;
}

bool supported(Out& o, Span e, uint16_t type) {
    if (!fits<sadb_supported>(e)) return o.truncated(type, e.size());
    o.put("sadb_sup{{\n");
    for (size_t off = sizeof(sadb_supported); off + sizeof(sadb_alg) <= e.size(); off += sizeof(sadb_alg)) {
        const auto a = load<sadb_alg>(e, off);
        o.put("  {{ id={} ivlen={} min={} max={} }}\n", a.sadb_alg_id, a.sadb_alg_ivlen, a.sadb_alg_minbits,
              a.sadb_alg_maxbits);
    }
    o.put("}}\n");
    return true;
}

bool policy(Out& o, Span e) {
    if (!fits<sadb_x_policy>(e)) return o.truncated(SADB_X_EXT_POLICY, e.size());
    const auto f = load<sadb_x_policy>(e, 0);
    o.put("sadb_x_policy{{ type={} dir={} id={:x} priority={} }}\n", f.sadb_x_policy_type, f.sadb_x_policy_dir,
          f.sadb_x_policy_id, f.sadb_x_policy_priority);
    if (f.sadb_x_policy_type != static_cast<uint16_t>(model::Action::ipsec)) return true;
    constexpr size_t kFixed = sizeof(sadb_x_ipsecrequest);
    for (Span rest = e.subspan(sizeof f); !rest.empty();) {
        if (rest.size() < kFixed) {
            o.put("kdebug_sadb_x_policy: wrong policy struct.\n");
            return false;
        }
        const auto q = load<sadb_x_ipsecrequest>(rest, 0);
        const uint16_t len = q.sadb_x_ipsecrequest_len;
        o.put(" {{ len={} proto={} mode={} level={} reqid={}\n", len, q.sadb_x_ipsecrequest_proto,
              q.sadb_x_ipsecrequest_mode, q.sadb_x_ipsecrequest_level, q.sadb_x_ipsecrequest_reqid);
        if (len > kFixed && len <= rest.size()) {
            Span addrs = rest.subspan(kFixed, len - kFixed);
            if (size_t n = sockaddr(o, addrs); n != 0) sockaddr(o, addrs.subspan(n));
        }
        o.put(" }}\n");
        if (len == 0) {
            o.put("kdebug_sadb_x_policy: wrong policy struct.\n");
            return false;
        }
        if (len > rest.size()) {
            o.put("invalid ipsec policy length\n");
            return false;
        }
        rest = rest.subspan(len);
    }
    return true;
}

bool sa2(Out& o, Span e) {
    if (!fits<sadb_x_sa2>(e)) return o.truncated(SADB_X_EXT_SA2, e.size());
    const auto f = load<sadb_x_sa2>(e, 0);
    o.put("sadb_x_sa2{{ mode={} reqid={}\n", f.sadb_x_sa2_mode, f.sadb_x_sa2_reqid);
    o.put("  reserved1={} reserved2={} sequence={} }}\n", f.sadb_x_sa2_reserved1, f.sadb_x_sa2_reserved2,
          f.sadb_x_sa2_sequence);
    return true;
}

bool extension(Out& o, uint16_t type, Span e) {
    switch (static_cast<ExtType>(type)) {
    case ExtType::sa: return sa(o, e);
    case ExtType::lifetime_current:
    case ExtType::lifetime_hard:
    case ExtType::lifetime_soft: return lifetime(o, e, type);
    case ExtType::address_src:
    case ExtType::address_dst:
    case ExtType::address_proxy:
    case ExtType::x_nat_t_oa: return address(o, e, type);
    case ExtType::key_auth:
    case ExtType::key_encrypt: return key(o, e, type);
    case ExtType::identity_src:
    case ExtType::identity_dst: return identity(o, e, type);
    case ExtType::sensitivity:
    case ExtType::spirange:
    case ExtType::x_kmprivate: return true; // 0.8.2 prints only the sadb_ext line
    case ExtType::proposal: return proposal(o, e);
    case ExtType::supported_auth:
    case ExtType::supported_encrypt: return supported(o, e, type);
    case ExtType::x_policy: return policy(o, e);
    case ExtType::x_sa2: return sa2(o, e);
    // Every extension spans at least 8 bytes, the size of these two.
    case ExtType::x_nat_t_type:
        o.put("sadb_x_nat_t_type{{ type={} }}\n", load<sadb_x_nat_t_type>(e, 0).sadb_x_nat_t_type_type);
        return true;
    case ExtType::x_nat_t_sport:
    case ExtType::x_nat_t_dport:
        o.put("sadb_x_nat_t_port{{ port={} }}\n", ntohs(load<sadb_x_nat_t_port>(e, 0).sadb_x_nat_t_port_port));
        return true;
    default:
        // X_SEC_CTX, X_KMADDRESS, X_FILTER and newer types are unknown to 0.8.2's kdebug.
        o.put("kdebug_sadb: invalid ext_type {} was passed.\n", type);
        return false;
    }
}

} // namespace

std::string kdebug_text(std::span<const uint8_t> m) {
    Out o;
    if (m.size() < kHeaderSize) {
        o.put("kdebug_sadb: message of {} bytes is shorter than sadb_msg.\n", m.size());
        return o.text;
    }
    Header h = decode_header(m);
    o.put("sadb_msg{{ version={} type={} errno={} satype={}\n", h.version, h.type, h.errno_, h.satype);
    o.put("  len={} reserved={} seq={} pid={}\n", h.len, h.reserved, h.seq, h.pid);
    size_t total = size_t{h.len} * 8;
    if (total > m.size()) {
        o.put("kdebug_sadb: sadb_msg_len exceeds end of buffer.\n");
        return o.text;
    }
    for (size_t off = kHeaderSize; off < total;) {
        if (total - off < 4) {
            o.put("kdebug_sadb: ext_len exceeds end of buffer.\n");
            break;
        }
        const auto ext = load<sadb_ext>(m, off);
        const uint16_t len = ext.sadb_ext_len, type = ext.sadb_ext_type;
        o.put("sadb_ext{{ len={} type={} }}\n", len, type);
        if (len == 0) {
            o.put("kdebug_sadb: invalid ext_len=0 was passed.\n");
            break;
        }
        if (size_t{len} * 8 > total - off) {
            o.put("kdebug_sadb: ext_len exceeds end of buffer.\n");
            break;
        }
        if (!extension(o, type, m.subspan(off, size_t{len} * 8))) break;
        off += size_t{len} * 8;
    }
    return o.text;
}

std::string hexdump_text(std::span<const uint8_t> bytes) {
    std::string out;
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i % 16 == 0) fmt::format_to(std::back_inserter(out), "{:08x}: ", i);
        fmt::format_to(std::back_inserter(out), "{:02x} ", bytes[i]);
        if (i % 16 == 15 || i + 1 == bytes.size()) out += '\n';
    }
    return out;
}

} // namespace setkey::pfkey
