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

constexpr size_t kSockaddrIn = 16, kSockaddrIn6 = 28, kSockaddrOther = 16;

// Prints one sockaddr from the front of `b`; returns the bytes it spans, 0 if truncated.
size_t sockaddr(Out& o, Span b) {
    if (b.size() < 2) {
        o.put("kdebug_sockaddr: truncated sockaddr.\n");
        return 0;
    }
    auto family = load<uint16_t>(b, 0);
    size_t size = family == AF_INET ? kSockaddrIn : family == AF_INET6 ? kSockaddrIn6 : kSockaddrOther;
    if (b.size() < size) {
        o.put("kdebug_sockaddr: truncated sockaddr.\n");
        return 0;
    }
    o.put("sockaddr{{ len={} family={}", size, family);
    if (family == AF_INET) {
        o.put(" port={}\n", wire::load_be16(b, 2));
        o.groups(b.subspan(4, 4));
    } else if (family == AF_INET6) {
        o.put(" port={}\n", wire::load_be16(b, 2));
        o.put("  flowinfo=0x{:08x}, scope_id=0x{:08x}\n", load<uint32_t>(b, 4), load<uint32_t>(b, 24));
        o.groups(b.subspan(8, 16));
    }
    o.put("  }}\n");
    return size;
}

bool sa(Out& o, Span e) {
    if (e.size() < 16) return o.truncated(1, e.size());
    o.put("sadb_sa{{ spi={} replay={} state={}\n", wire::load_be32(e, 4), e[8], e[9]);
    o.put("  auth={} encrypt={} flags=0x{:08x} }}\n", e[10], e[11], load<uint32_t>(e, 12));
    return true;
}

bool lifetime(Out& o, Span e, uint16_t type) {
    if (e.size() < 32) return o.truncated(type, e.size());
    // 0.8.2 prints the 64-bit counters truncated to 32 bits.
    o.put("sadb_lifetime{{ alloc={}, bytes={}\n", load<uint32_t>(e, 4),
          static_cast<uint32_t>(load<uint64_t>(e, 8)));
    o.put("  addtime={}, usetime={} }}\n", static_cast<uint32_t>(load<uint64_t>(e, 16)),
          static_cast<uint32_t>(load<uint64_t>(e, 24)));
    return true;
}

bool address(Out& o, Span e, uint16_t type) {
    if (e.size() < 8) return o.truncated(type, e.size());
    o.put("sadb_address{{ proto={} prefixlen={} reserved=0x{:02x}{:02x} }}\n", e[4], e[5], e[6], e[7]);
    return sockaddr(o, e.subspan(8)) != 0;
}

bool key(Out& o, Span e, uint16_t type) {
    if (e.size() < 8) return o.truncated(type, e.size());
    auto bits = load<uint16_t>(e, 4);
    o.put("sadb_key{{ bits={} reserved={}\n", bits, load<uint16_t>(e, 6));
    o.put("  key=");
    size_t bytes = bits >> 3, room = e.size() - 8;
    if (bytes > room) {
        o.put("kdebug_sadb_key: key length mismatch, bit:{} len:{}.\n", bytes, room);
        bytes = room;
    }
    o.groups(e.subspan(8, bytes));
    o.put(" }}\n");
    return true;
}

bool identity(Out& o, Span e, uint16_t type) {
    if (e.size() < 16) return o.truncated(type, e.size());
    o.put("sadb_ident_{}{{", type == static_cast<uint16_t>(ExtType::identity_src) ? "src" : "dst");
    o.put(" type={} id={}", load<uint16_t>(e, 4), load<uint64_t>(e, 8));
    if (e.size() > 16) {
        o.put("\n  str=\"");
        for (uint8_t c : e.subspan(16)) {
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
    if (e.size() < 8) return o.truncated(13, e.size());
    o.put("sadb_prop{{ replay={}\n", e[4]);
    for (size_t off = 8; off + 72 <= e.size(); off += 72) {
        Span c = e.subspan(off, 72);
        o.put("sadb_comb{{ auth={} encrypt={} flags=0x{:04x} reserved=0x{:08x}\n", c[0], c[1],
              load<uint16_t>(c, 2), load<uint32_t>(c, 12));
        o.put("  auth_minbits={} auth_maxbits={} encrypt_minbits={} encrypt_maxbits={}\n",
              load<uint16_t>(c, 4), load<uint16_t>(c, 6), load<uint16_t>(c, 8), load<uint16_t>(c, 10));
        o.put("  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={}\n", load<uint32_t>(c, 16),
              load<uint32_t>(c, 20), load<uint64_t>(c, 24), load<uint64_t>(c, 32));
        // 0.8.2 labels the four time fields with the allocation/bytes names again.
        o.put("  soft_alloc={} hard_alloc={} soft_bytes={} hard_bytes={} }}\n", load<uint64_t>(c, 40),
              load<uint64_t>(c, 48), load<uint64_t>(c, 56), load<uint64_t>(c, 64));
    }
    o.put("}}\n");
    return true;
}

bool supported(Out& o, Span e, uint16_t type) {
    if (e.size() < 8) return o.truncated(type, e.size());
    o.put("sadb_sup{{\n");
    for (size_t off = 8; off + 8 <= e.size(); off += 8)
        o.put("  {{ id={} ivlen={} min={} max={} }}\n", e[off], e[off + 1], load<uint16_t>(e, off + 2),
              load<uint16_t>(e, off + 4));
    o.put("}}\n");
    return true;
}

bool policy(Out& o, Span e) {
    if (e.size() < 16) return o.truncated(18, e.size());
    auto type = load<uint16_t>(e, 4);
    o.put("sadb_x_policy{{ type={} dir={} id={:x} priority={} }}\n", type, e[6], load<uint32_t>(e, 8),
          load<uint32_t>(e, 12));
    if (type != static_cast<uint16_t>(model::Action::ipsec)) return true;
    for (Span rest = e.subspan(16); !rest.empty();) {
        if (rest.size() < 16) {
            o.put("kdebug_sadb_x_policy: wrong policy struct.\n");
            return false;
        }
        auto len = load<uint16_t>(rest, 0);
        o.put(" {{ len={} proto={} mode={} level={} reqid={}\n", len, load<uint16_t>(rest, 2), rest[4],
              rest[5], load<uint32_t>(rest, 8));
        if (len > 16 && len <= rest.size()) {
            Span addrs = rest.subspan(16, len - 16u);
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
    if (e.size() < 16) return o.truncated(19, e.size());
    o.put("sadb_x_sa2{{ mode={} reqid={}\n", e[4], load<uint32_t>(e, 12));
    o.put("  reserved1={} reserved2={} sequence={} }}\n", e[5], load<uint16_t>(e, 6), load<uint32_t>(e, 8));
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
    case ExtType::x_nat_t_type:
        o.put("sadb_x_nat_t_type{{ type={} }}\n", e[4]);
        return true;
    case ExtType::x_nat_t_sport:
    case ExtType::x_nat_t_dport:
        o.put("sadb_x_nat_t_port{{ port={} }}\n", wire::load_be16(e, 4));
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
        auto len = load<uint16_t>(m, off);
        auto type = load<uint16_t>(m, off + 2);
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
