// PF_KEY decoding: reply and event bytes in, model records out (codec.hpp). Every
// length is checked against the buffer before it is read; malformed input throws
// DecodeError with a one-line reason.
#include "pfkey/codec.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "pfkey/wire.hpp"

namespace setkey::pfkey {

using namespace wire; // loads and sizes shared with the encoders and kdebug

namespace {

[[noreturn]] void fail(std::string why) { throw DecodeError(std::move(why)); }

std::string_view ext_label(uint16_t type) {
    switch (static_cast<ExtType>(type)) {
    case ExtType::sa: return "SA";
    case ExtType::lifetime_current: return "LIFETIME_CURRENT";
    case ExtType::lifetime_hard: return "LIFETIME_HARD";
    case ExtType::lifetime_soft: return "LIFETIME_SOFT";
    case ExtType::address_src: return "ADDRESS_SRC";
    case ExtType::address_dst: return "ADDRESS_DST";
    case ExtType::address_proxy: return "ADDRESS_PROXY";
    case ExtType::key_auth: return "KEY_AUTH";
    case ExtType::key_encrypt: return "KEY_ENCRYPT";
    case ExtType::supported_auth: return "SUPPORTED_AUTH";
    case ExtType::supported_encrypt: return "SUPPORTED_ENCRYPT";
    case ExtType::x_policy: return "X_POLICY";
    case ExtType::x_sa2: return "X_SA2";
    case ExtType::x_nat_t_type: return "X_NAT_T_TYPE";
    case ExtType::x_nat_t_sport: return "X_NAT_T_SPORT";
    case ExtType::x_nat_t_dport: return "X_NAT_T_DPORT";
    case ExtType::x_nat_t_oa: return "X_NAT_T_OA";
    case ExtType::x_sec_ctx: return "X_SEC_CTX";
    default: return "extension";
    }
}

void need(const RawExtension& e, size_t bytes) {
    if (e.bytes.size() < bytes)
        fail(fmt::format("{} extension is {} bytes, needs at least {}", ext_label(e.type),
                         e.bytes.size(), bytes));
}

struct SockAddr {
    model::IpAddress addr;
    uint16_t port = 0;
    size_t size = 0; // bytes the sockaddr occupies
};

// Parses a Linux sockaddr_in/sockaddr_in6 from the front of `b`.
SockAddr read_sockaddr(std::span<const uint8_t> b, std::string_view where) {
    if (b.size() < 2) fail(fmt::format("{}: no room for a sockaddr", where));
    SockAddr s;
    auto family = load<uint16_t>(b, 0);
    if (family == AF_INET) {
        if (b.size() < kSockaddrIn)
            fail(fmt::format("{}: sockaddr_in needs {} bytes, {} left", where, kSockaddrIn, b.size()));
        s.addr.family = model::Family::inet;
        std::copy_n(b.data() + 4, 4, s.addr.bytes.data());
        s.size = kSockaddrIn;
    } else if (family == AF_INET6) {
        if (b.size() < kSockaddrIn6)
            fail(fmt::format("{}: sockaddr_in6 needs {} bytes, {} left", where, kSockaddrIn6, b.size()));
        s.addr.family = model::Family::inet6;
        std::copy_n(b.data() + 8, 16, s.addr.bytes.data());
        s.addr.scope_id = load<uint32_t>(b, 24);
        s.size = kSockaddrIn6;
    } else {
        fail(fmt::format("{}: unsupported address family {}", where, family));
    }
    s.port = wire::load_be16(b, 2);
    return s;
}

struct Address {
    uint8_t proto = 0, prefixlen = 0;
    SockAddr sa;
};

Address read_address(const RawExtension& e) {
    need(e, 8);
    Address a;
    a.proto = e.bytes[4];
    a.prefixlen = e.bytes[5];
    a.sa = read_sockaddr(e.bytes.subspan(8), ext_label(e.type));
    if (a.prefixlen > a.sa.addr.full_prefix())
        fail(fmt::format("{}: prefix length {} is too long", ext_label(e.type), a.prefixlen));
    return a;
}

model::Lifetime read_lifetime(const RawExtension& e) {
    need(e, 32);
    model::Lifetime l;
    l.packets = load<uint32_t>(e.bytes, 4); // af_key: the packet count or limit
    l.bytes = load<uint64_t>(e.bytes, 8);
    l.add_time = load<uint64_t>(e.bytes, 16);
    l.use_time = load<uint64_t>(e.bytes, 24);
    return l;
}

void read_key(const RawExtension& e, model::AlgorithmRef& ref) {
    need(e, 8);
    auto bits = load<uint16_t>(e.bytes, 4);
    size_t bytes = (bits + 7u) / 8;
    if (8 + bytes > e.bytes.size())
        fail(fmt::format("{}: {} key bits do not fit in {} bytes", ext_label(e.type), bits,
                         e.bytes.size()));
    ref.key_bits = bits;
    ref.key.emplace(e.bytes.begin() + 8, e.bytes.begin() + 8 + static_cast<long>(bytes));
}

model::SecurityContext read_sec_ctx(const RawExtension& e) {
    need(e, 8);
    model::SecurityContext c;
    c.alg = e.bytes[4];
    c.doi = e.bytes[5];
    auto len = load<uint16_t>(e.bytes, 6);
    if (8u + len > e.bytes.size())
        fail(fmt::format("X_SEC_CTX: context of {} bytes does not fit in {}", len, e.bytes.size()));
    c.context.assign(reinterpret_cast<const char*>(e.bytes.data() + 8), len);
    while (!c.context.empty() && c.context.back() == '\0') c.context.pop_back();
    return c;
}

std::vector<SupportedAlg> read_supported(const RawExtension& e) {
    need(e, 8);
    std::vector<SupportedAlg> out;
    for (size_t off = 8; off + 8 <= e.bytes.size(); off += 8)
        out.push_back({e.bytes[off], e.bytes[off + 1], load<uint16_t>(e.bytes, off + 2),
                       load<uint16_t>(e.bytes, off + 4)});
    return out;
}

model::AlgorithmRef alg_ref(model::AlgKind kind, uint8_t id) {
    model::AlgorithmRef r;
    r.pfkey_id = id;
    if (id != 0) r.alg = model::find_by_pfkey_id(kind, id);
    return r;
}

std::vector<model::IpsecRequest> read_requests(const RawExtension& e) {
    std::vector<model::IpsecRequest> out;
    for (size_t off = 16; off < e.bytes.size();) {
        auto rest = e.bytes.subspan(off);
        if (rest.size() < 16) fail(fmt::format("X_POLICY: {} stray bytes after the requests", rest.size()));
        auto len = load<uint16_t>(rest, 0);
        if (len < 16 || len > rest.size())
            fail(fmt::format("X_POLICY: ipsecrequest length {} with {} bytes left", len, rest.size()));
        auto body = rest.first(len);
        model::IpsecRequest r;
        r.proto = static_cast<uint8_t>(load<uint16_t>(body, 2));
        r.mode = static_cast<model::Mode>(body[4]);
        r.level = static_cast<model::Level>(body[5]);
        r.reqid = load<uint32_t>(body, 8);
        // Bytes beyond the fixed 16 are the tunnel endpoints (source, then destination).
        if (len > 16) {
            SockAddr s = read_sockaddr(body.subspan(16), "ipsecrequest source");
            SockAddr d = read_sockaddr(body.subspan(16 + s.size), "ipsecrequest destination");
            r.src = model::Endpoint{s.addr, s.port};
            r.dst = model::Endpoint{d.addr, d.port};
        }
        out.push_back(std::move(r));
        off += len;
    }
    return out;
}

const RawExtension* find(const std::vector<RawExtension>& exts, ExtType t) {
    for (const auto& e : exts)
        if (e.type == static_cast<uint16_t>(t)) return &e;
    return nullptr;
}

std::optional<model::Lifetime> lifetime(const std::vector<RawExtension>& exts, ExtType t) {
    if (const RawExtension* e = find(exts, t)) return read_lifetime(*e);
    return std::nullopt;
}

model::MessageInfo info(const Header& h) { return {h.seq, h.pid, h.reserved}; }

model::SaRecord build_sa(const Header& h, const std::vector<RawExtension>& exts) {
    model::SaRecord r;
    r.raw_satype = h.satype;
    r.satype = static_cast<model::SaType>(h.satype);
    r.msg = info(h);
    const bool ipcomp = h.satype == static_cast<uint8_t>(model::SaType::ipcomp);
    if (const RawExtension* e = find(exts, ExtType::sa)) {
        need(*e, 16);
        r.spi = wire::load_be32(e->bytes, 4);
        r.replay = e->bytes[8];
        r.state = e->bytes[9];
        r.auth = alg_ref(model::AlgKind::auth, e->bytes[10]);
        if (ipcomp)
            r.comp = alg_ref(model::AlgKind::comp, e->bytes[11]);
        else
            r.enc = alg_ref(model::AlgKind::enc, e->bytes[11]);
        r.flags = load<uint32_t>(e->bytes, 12);
    } else {
        r.has_sa = false;
    }
    if (const RawExtension* e = find(exts, ExtType::address_src)) {
        Address a = read_address(*e);
        r.src = a.sa.addr;
        r.src_port = a.sa.port;
        r.src_proto = a.proto;
        r.src_prefixlen = a.prefixlen;
    }
    if (const RawExtension* e = find(exts, ExtType::address_dst)) {
        Address a = read_address(*e);
        r.dst = a.sa.addr;
        r.dst_port = a.sa.port;
        r.dst_proto = a.proto;
        r.dst_prefixlen = a.prefixlen;
    }
    if (const RawExtension* e = find(exts, ExtType::key_auth)) read_key(*e, r.auth);
    if (const RawExtension* e = find(exts, ExtType::key_encrypt)) read_key(*e, r.enc);
    if (const RawExtension* e = find(exts, ExtType::x_sa2)) {
        need(*e, 16);
        r.has_sa2 = true;
        r.mode = static_cast<model::Mode>(e->bytes[4]);
        r.sa2_sequence = load<uint32_t>(e->bytes, 8);
        r.reqid = load<uint32_t>(e->bytes, 12);
    }
    if (const RawExtension* e = find(exts, ExtType::x_nat_t_type)) {
        need(*e, 8);
        r.natt_type = e->bytes[4];
    }
    if (const RawExtension* e = find(exts, ExtType::x_nat_t_sport)) {
        need(*e, 8);
        r.natt_sport = wire::load_be16(e->bytes, 4);
    }
    if (const RawExtension* e = find(exts, ExtType::x_nat_t_dport)) {
        need(*e, 8);
        r.natt_dport = wire::load_be16(e->bytes, 4);
    }
    if (const RawExtension* e = find(exts, ExtType::x_nat_t_oa)) r.natt_oa = read_address(*e).sa.addr;
    r.hard = lifetime(exts, ExtType::lifetime_hard);
    r.soft = lifetime(exts, ExtType::lifetime_soft);
    r.current = lifetime(exts, ExtType::lifetime_current);
    if (const RawExtension* e = find(exts, ExtType::x_sec_ctx)) r.ctx = read_sec_ctx(*e);
    return r;
}

// Every known extension is checked, including ones no record uses (a key in a policy
// message, say), so a malformed message is refused whatever it carries.
void check_extension(const RawExtension& e) {
    switch (static_cast<ExtType>(e.type)) {
    case ExtType::sa:
    case ExtType::x_sa2: need(e, 16); break;
    case ExtType::lifetime_current:
    case ExtType::lifetime_hard:
    case ExtType::lifetime_soft: read_lifetime(e); break;
    case ExtType::address_src:
    case ExtType::address_dst:
    case ExtType::address_proxy:
    case ExtType::x_nat_t_oa: read_address(e); break;
    case ExtType::key_auth:
    case ExtType::key_encrypt: {
        model::AlgorithmRef scratch;
        read_key(e, scratch);
        break;
    }
    case ExtType::x_policy:
        need(e, 16);
        read_requests(e);
        break;
    case ExtType::x_sec_ctx: read_sec_ctx(e); break;
    default: break; // the rest have no variable part, or are skipped unknowns
    }
}

model::PolicyRecord build_policy(const Header& h, const std::vector<RawExtension>& exts,
                                 const RawExtension& pol) {
    need(pol, 16);
    model::PolicyRecord p;
    p.msg = info(h);
    p.raw_action = load<uint16_t>(pol.bytes, 4);
    p.action = static_cast<model::Action>(p.raw_action);
    p.raw_dir = pol.bytes[6];
    p.dir = p.raw_dir <= 3 ? static_cast<model::Direction>(p.raw_dir) : model::Direction::invalid;
    p.id = load<uint32_t>(pol.bytes, 8);
    p.priority = load<uint32_t>(pol.bytes, 12);
    p.requests = read_requests(pol);
    const RawExtension* src = find(exts, ExtType::address_src);
    const RawExtension* dst = find(exts, ExtType::address_dst);
    p.has_selector = src && dst;
    if (src) {
        Address a = read_address(*src);
        p.src = {a.sa.addr, a.prefixlen, a.sa.port};
        p.upper = a.proto;
    }
    if (dst) {
        Address a = read_address(*dst);
        p.dst = {a.sa.addr, a.prefixlen, a.sa.port};
    }
    p.hard = lifetime(exts, ExtType::lifetime_hard);
    p.soft = lifetime(exts, ExtType::lifetime_soft);
    p.current = lifetime(exts, ExtType::lifetime_current);
    if (const RawExtension* e = find(exts, ExtType::x_sec_ctx)) p.ctx = read_sec_ctx(*e);
    return p;
}

} // namespace

Header decode_header(std::span<const uint8_t> b) {
    if (b.size() < kHeaderSize)
        fail(fmt::format("message of {} bytes is shorter than the {}-byte header", b.size(), kHeaderSize));
    Header h;
    h.version = b[0];
    h.type = b[1];
    h.errno_ = b[2];
    h.satype = b[3];
    h.len = load<uint16_t>(b, 4);
    h.reserved = load<uint16_t>(b, 6);
    h.seq = load<uint32_t>(b, 8);
    h.pid = load<uint32_t>(b, 12);
    return h;
}

std::vector<RawExtension> split_extensions(std::span<const uint8_t> b) {
    Header h = decode_header(b);
    size_t total = size_t{h.len} * 8;
    if (total < kHeaderSize || total > b.size())
        fail(fmt::format("header says {} bytes, buffer holds {}", total, b.size()));
    std::vector<RawExtension> out;
    out.reserve(16); // a dump reply has about ten: one allocation, not four
    for (size_t off = kHeaderSize; off < total;) {
        if (total - off < 4) fail(fmt::format("{} stray bytes after the last extension", total - off));
        auto len = size_t{load<uint16_t>(b, off)} * 8;
        auto type = load<uint16_t>(b, off + 2);
        if (len == 0) fail(fmt::format("extension type {} has length 0", type));
        if (len > total - off)
            fail(fmt::format("extension type {} of {} bytes overruns the message ({} left)", type, len,
                             total - off));
        out.push_back({type, b.subspan(off, len)});
        off += len;
    }
    return out;
}

Decoded decode_message(std::span<const uint8_t> b) {
    Decoded m;
    m.header = decode_header(b);
    if (m.header.version != kVersion) fail(fmt::format("PF_KEY version {} (expected 2)", m.header.version));
    if (size_t{m.header.len} * 8 != b.size())
        fail(fmt::format("header says {} bytes, message has {}", size_t{m.header.len} * 8, b.size()));
    std::vector<RawExtension> exts = split_extensions(b);
    for (size_t i = 0; i < exts.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (exts[i].type == exts[j].type)
                fail(fmt::format("extension type {} appears twice", exts[i].type));

    for (const RawExtension& e : exts) check_extension(e);

    if (const RawExtension* pol = find(exts, ExtType::x_policy))
        m.policy = build_policy(m.header, exts, *pol);
    else if (find(exts, ExtType::sa) || find(exts, ExtType::address_src) || find(exts, ExtType::address_dst))
        m.sa = build_sa(m.header, exts);

    const RawExtension* auth = find(exts, ExtType::supported_auth);
    const RawExtension* enc = find(exts, ExtType::supported_encrypt);
    if (auth || enc) {
        m.supported.emplace();
        if (auth) m.supported->auth = read_supported(*auth);
        if (enc) m.supported->enc = read_supported(*enc);
    }
    return m;
}

SplitResult split_messages(std::span<const uint8_t> stream) {
    SplitResult r;
    size_t off = 0;
    while (off < stream.size()) {
        auto rest = stream.subspan(off);
        if (rest.size() < kHeaderSize) {
            r.error = fmt::format("{} trailing bytes at offset {} are shorter than a message header",
                                  rest.size(), off);
            break;
        }
        size_t len = size_t{load<uint16_t>(rest, 4)} * 8;
        if (len < kHeaderSize) {
            r.error = fmt::format("message at offset {} has length {} bytes", off, len);
            break;
        }
        if (len > rest.size()) {
            r.error = fmt::format("message at offset {} says {} bytes, only {} left", off, len, rest.size());
            break;
        }
        r.messages.push_back(rest.first(len));
        off += len;
    }
    return r;
}

} // namespace setkey::pfkey
