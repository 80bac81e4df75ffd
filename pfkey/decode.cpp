// PF_KEY decoding: reply and event bytes in, model records out (codec.hpp). Every
// length is checked against the buffer before it is read; malformed input throws
// DecodeError with a one-line reason.
#include "pfkey/codec.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

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

// The extension's fixed part as the kernel's struct, once its size has been checked.
template <typename Ext>
Ext fixed(const RawExtension& e) {
    need(e, sizeof(Ext));
    return load<Ext>(e.bytes, 0);
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
    const auto family = load<sa_family_t>(b, 0);
    if (family == AF_INET) {
        if (b.size() < kSockaddrIn)
            fail(fmt::format("{}: sockaddr_in needs {} bytes, {} left", where, kSockaddrIn, b.size()));
        const auto in = load<sockaddr_in>(b, 0);
        s.addr.family = model::Family::inet;
        std::memcpy(s.addr.bytes.data(), &in.sin_addr, sizeof in.sin_addr);
        s.port = ntohs(in.sin_port);
        s.size = kSockaddrIn;
    } else if (family == AF_INET6) {
        if (b.size() < kSockaddrIn6)
            fail(fmt::format("{}: sockaddr_in6 needs {} bytes, {} left", where, kSockaddrIn6, b.size()));
        const auto in6 = load<sockaddr_in6>(b, 0);
        s.addr.family = model::Family::inet6;
        std::memcpy(s.addr.bytes.data(), &in6.sin6_addr, sizeof in6.sin6_addr);
        s.addr.scope_id = in6.sin6_scope_id;
        s.port = ntohs(in6.sin6_port);
        s.size = kSockaddrIn6;
    } else {
        fail(fmt::format("{}: unsupported address family {}", where, family));
    }
    return s;
}

struct Address {
    uint8_t proto = 0, prefixlen = 0;
    SockAddr sa;
};

Address read_address(const RawExtension& e) {
    const auto h = fixed<sadb_address>(e);
    Address a;
    a.proto = h.sadb_address_proto;
    a.prefixlen = h.sadb_address_prefixlen;
    a.sa = read_sockaddr(e.bytes.subspan(sizeof h), ext_label(e.type));
    // af_key writes an SA's selector into ADDRESS_PROXY with the selector's prefix but
    // in the SA's own family (an IPv4 SA for IPv6 traffic says 10.x.x.x/48): no record
    // reads it, and one SA's quirk must not end a whole dump.
    if (a.prefixlen > a.sa.addr.full_prefix() && e.type != static_cast<uint16_t>(ExtType::address_proxy))
        fail(fmt::format("{}: prefix length {} is too long", ext_label(e.type), a.prefixlen));
    return a;
}

model::Lifetime read_lifetime(const RawExtension& e) {
    const auto f = fixed<sadb_lifetime>(e);
    model::Lifetime l;
    l.packets = f.sadb_lifetime_allocations; // af_key: the packet count or limit
    l.bytes = f.sadb_lifetime_bytes;
    l.add_time = f.sadb_lifetime_addtime;
    l.use_time = f.sadb_lifetime_usetime;
    return l;
}

// The key's bytes (checked to fit), and its length in bits.
std::pair<std::span<const uint8_t>, uint16_t> key_body(const RawExtension& e) {
    const auto k = fixed<sadb_key>(e);
    const uint16_t bits = k.sadb_key_bits;
    const size_t bytes = (bits + 7u) / 8;
    if (sizeof k + bytes > e.bytes.size())
        fail(fmt::format("{}: {} key bits do not fit in {} bytes", ext_label(e.type), bits,
                         e.bytes.size()));
    return {e.bytes.subspan(sizeof k, bytes), bits};
}

void read_key(const RawExtension& e, model::AlgorithmRef& ref) {
    const auto [body, bits] = key_body(e);
    ref.key_bits = bits;
    ref.key.emplace(body.begin(), body.end());
}

model::SecurityContext read_sec_ctx(const RawExtension& e) {
    const auto h = fixed<sadb_x_sec_ctx>(e);
    model::SecurityContext c;
    c.alg = h.sadb_x_ctx_alg;
    c.doi = h.sadb_x_ctx_doi;
    const uint16_t len = h.sadb_x_ctx_len;
    if (sizeof h + len > e.bytes.size())
        fail(fmt::format("X_SEC_CTX: context of {} bytes does not fit in {}", len, e.bytes.size()));
    c.context.assign(reinterpret_cast<const char*>(e.bytes.data() + sizeof h), len);
    while (!c.context.empty() && c.context.back() == '\0') c.context.pop_back();
    return c;
}

std::vector<SupportedAlg> read_supported(const RawExtension& e) {
    need(e, sizeof(sadb_supported));
    std::vector<SupportedAlg> out;
    for (size_t off = sizeof(sadb_supported); off + sizeof(sadb_alg) <= e.bytes.size(); off += sizeof(sadb_alg)) {
        const auto a = load<sadb_alg>(e.bytes, off);
        out.push_back({a.sadb_alg_id, a.sadb_alg_ivlen, a.sadb_alg_minbits, a.sadb_alg_maxbits});
    }
    return out;
}

// Into a fresh record's algorithm, in place.
void set_alg(model::AlgorithmRef& r, model::AlgKind kind, uint8_t id) {
    r.pfkey_id = id;
    if (id != 0) r.alg = model::find_by_pfkey_id(kind, id);
}

// Each ipsecrequest of an X_POLICY extension, checked, to `f`.
template <class F> void for_each_request(const RawExtension& e, F&& f) {
    constexpr size_t kFixed = sizeof(sadb_x_ipsecrequest);
    for (size_t off = sizeof(sadb_x_policy); off < e.bytes.size();) {
        auto rest = e.bytes.subspan(off);
        if (rest.size() < kFixed) fail(fmt::format("X_POLICY: {} stray bytes after the requests", rest.size()));
        const auto q = load<sadb_x_ipsecrequest>(rest, 0);
        const uint16_t len = q.sadb_x_ipsecrequest_len;
        if (len < kFixed || len > rest.size())
            fail(fmt::format("X_POLICY: ipsecrequest length {} with {} bytes left", len, rest.size()));
        auto body = rest.first(len);
        model::IpsecRequest r;
        r.proto = static_cast<uint8_t>(q.sadb_x_ipsecrequest_proto);
        r.mode = static_cast<model::Mode>(q.sadb_x_ipsecrequest_mode);
        r.level = static_cast<model::Level>(q.sadb_x_ipsecrequest_level);
        r.reqid = q.sadb_x_ipsecrequest_reqid;
        // Bytes beyond the fixed part are the tunnel endpoints (source, then destination).
        if (len > kFixed) {
            SockAddr s = read_sockaddr(body.subspan(kFixed), "ipsecrequest source");
            SockAddr d = read_sockaddr(body.subspan(kFixed + s.size), "ipsecrequest destination");
            r.src = model::Endpoint{s.addr, s.port};
            r.dst = model::Endpoint{d.addr, d.port};
        }
        f(std::move(r));
        off += len;
    }
}

std::vector<model::IpsecRequest> read_requests(const RawExtension& e) {
    std::vector<model::IpsecRequest> out;
    for_each_request(e, [&](model::IpsecRequest&& r) { out.push_back(std::move(r)); });
    return out;
}

// Calls `f` with each extension of the message, its length checked; throws DecodeError.
template <class F>
void for_each_extension(std::span<const uint8_t> b, F&& f) {
    Header h = decode_header(b);
    size_t total = size_t{h.len} * 8;
    if (total < kHeaderSize || total > b.size())
        fail(fmt::format("header says {} bytes, buffer holds {}", total, b.size()));
    for (size_t off = kHeaderSize; off < total;) {
        if (total - off < 4) fail(fmt::format("{} stray bytes after the last extension", total - off));
        const auto ext = load<sadb_ext>(b, off);
        const size_t len = size_t{ext.sadb_ext_len} * 8;
        const uint16_t type = ext.sadb_ext_type;
        if (len == 0) fail(fmt::format("extension type {} has length 0", type));
        if (len > total - off)
            fail(fmt::format("extension type {} of {} bytes overruns the message ({} left)", type, len,
                             total - off));
        f(RawExtension{type, b.subspan(off, len)});
        off += len;
    }
}

// A decoded message's extensions: on the stack for the ten or so a reply has, on the
// heap only past that (a dump decodes one message per entry: no allocation each).
class ExtensionList {
public:
    explicit ExtensionList(std::span<const uint8_t> message) {
        for_each_extension(message, [&](const RawExtension& e) {
            if (heap_.empty() && n_ < inline_.size()) {
                inline_[n_++] = e;
                return;
            }
            if (heap_.empty()) heap_.assign(inline_.begin(), inline_.end());
            heap_.push_back(e);
            ++n_;
        });
    }
    ExtensionList(const ExtensionList&) = delete; // Extensions points into it
    ExtensionList& operator=(const ExtensionList&) = delete;
    std::span<const RawExtension> all() const {
        if (heap_.empty()) return {inline_.data(), n_};
        return heap_;
    }

private:
    std::array<RawExtension, 16> inline_;
    std::vector<RawExtension> heap_;
    size_t n_ = 0;
};

// A message's extensions by type; a type that appears twice is an error.
class Extensions {
public:
    explicit Extensions(std::span<const RawExtension> exts) {
        for (size_t i = 0; i < exts.size(); ++i) {
            const uint16_t t = exts[i].type;
            const bool twice = t < by_type_.size() ? by_type_[t] != nullptr
                                                   : std::any_of(exts.begin(), exts.begin() + long(i),
                                                                 [&](const RawExtension& e) { return e.type == t; });
            if (twice) fail(fmt::format("extension type {} appears twice", t));
            if (t < by_type_.size()) by_type_[t] = &exts[i];
        }
    }
    const RawExtension* find(ExtType t) const { return by_type_[static_cast<uint16_t>(t)]; }

private:
    static_assert(static_cast<uint16_t>(ExtType::x_filter) <= SADB_EXT_MAX);
    std::array<const RawExtension*, SADB_EXT_MAX + 1> by_type_{};
};

std::optional<model::Lifetime> lifetime(const Extensions& exts, ExtType t) {
    if (const RawExtension* e = exts.find(t)) return read_lifetime(*e);
    return std::nullopt;
}

model::MessageInfo info(const Header& h) { return {h.seq, h.pid, h.reserved}; }

// Into `r` in place: a record is 900 bytes, and a dump decodes one per entry.
void build_sa(const Header& h, const Extensions& exts, model::SaRecord& r) {
    r.raw_satype = h.satype;
    r.satype = static_cast<model::SaType>(h.satype);
    r.msg = info(h);
    const bool ipcomp = h.satype == static_cast<uint8_t>(model::SaType::ipcomp);
    if (const RawExtension* e = exts.find(ExtType::sa)) {
        const auto f = fixed<sadb_sa>(*e);
        r.spi = ntohl(f.sadb_sa_spi);
        r.replay = f.sadb_sa_replay;
        r.state = f.sadb_sa_state;
        set_alg(r.auth, model::AlgKind::auth, f.sadb_sa_auth);
        set_alg(ipcomp ? r.comp : r.enc, ipcomp ? model::AlgKind::comp : model::AlgKind::enc, f.sadb_sa_encrypt);
        r.flags = f.sadb_sa_flags;
    } else {
        r.has_sa = false;
    }
    if (const RawExtension* e = exts.find(ExtType::address_src)) {
        Address a = read_address(*e);
        r.src = a.sa.addr;
        r.src_port = a.sa.port;
        r.src_proto = a.proto;
        r.src_prefixlen = a.prefixlen;
    }
    if (const RawExtension* e = exts.find(ExtType::address_dst)) {
        Address a = read_address(*e);
        r.dst = a.sa.addr;
        r.dst_port = a.sa.port;
        r.dst_proto = a.proto;
        r.dst_prefixlen = a.prefixlen;
    }
    if (const RawExtension* e = exts.find(ExtType::key_auth)) read_key(*e, r.auth);
    if (const RawExtension* e = exts.find(ExtType::key_encrypt)) read_key(*e, r.enc);
    if (const RawExtension* e = exts.find(ExtType::x_sa2)) {
        const auto f = fixed<sadb_x_sa2>(*e);
        r.has_sa2 = true;
        r.mode = static_cast<model::Mode>(f.sadb_x_sa2_mode);
        r.sa2_sequence = f.sadb_x_sa2_sequence;
        r.reqid = f.sadb_x_sa2_reqid;
    }
    if (const RawExtension* e = exts.find(ExtType::x_nat_t_type))
        r.natt_type = fixed<sadb_x_nat_t_type>(*e).sadb_x_nat_t_type_type;
    if (const RawExtension* e = exts.find(ExtType::x_nat_t_sport))
        r.natt_sport = ntohs(fixed<sadb_x_nat_t_port>(*e).sadb_x_nat_t_port_port);
    if (const RawExtension* e = exts.find(ExtType::x_nat_t_dport))
        r.natt_dport = ntohs(fixed<sadb_x_nat_t_port>(*e).sadb_x_nat_t_port_port);
    if (const RawExtension* e = exts.find(ExtType::x_nat_t_oa)) r.natt_oa = read_address(*e).sa.addr;
    r.hard = lifetime(exts, ExtType::lifetime_hard);
    r.soft = lifetime(exts, ExtType::lifetime_soft);
    r.current = lifetime(exts, ExtType::lifetime_current);
    if (const RawExtension* e = exts.find(ExtType::x_sec_ctx)) r.ctx = read_sec_ctx(*e);
}

// Every known extension is checked, including ones no record uses (a key in a policy
// message, say), so a malformed message is refused whatever it carries. Those a record
// is built from are checked as they are read (read_by_builder).
void check_extension(const RawExtension& e) {
    switch (static_cast<ExtType>(e.type)) {
    case ExtType::sa: fixed<sadb_sa>(e); break;
    case ExtType::x_sa2: fixed<sadb_x_sa2>(e); break;
    case ExtType::lifetime_current:
    case ExtType::lifetime_hard:
    case ExtType::lifetime_soft: read_lifetime(e); break;
    case ExtType::address_src:
    case ExtType::address_dst:
    case ExtType::address_proxy:
    case ExtType::x_nat_t_oa: read_address(e); break;
    case ExtType::key_auth:
    case ExtType::key_encrypt: key_body(e); break;
    case ExtType::x_policy:
        fixed<sadb_x_policy>(e);
        for_each_request(e, [](model::IpsecRequest&&) {});
        break;
    case ExtType::x_sec_ctx: read_sec_ctx(e); break;
    default: break; // the rest have no variable part, or are skipped unknowns
    }
}

enum class Builder : uint8_t { none, sa, policy };

// The extensions build_sa / build_policy read whenever they are present (each read
// checks all that check_extension would).
bool read_by_builder(uint16_t type, Builder builder) {
    switch (static_cast<ExtType>(type)) {
    case ExtType::address_src:
    case ExtType::address_dst:
    case ExtType::lifetime_current:
    case ExtType::lifetime_hard:
    case ExtType::lifetime_soft:
    case ExtType::x_sec_ctx: return builder != Builder::none;
    case ExtType::x_policy: return builder == Builder::policy;
    case ExtType::sa:
    case ExtType::x_sa2:
    case ExtType::key_auth:
    case ExtType::key_encrypt:
    case ExtType::x_nat_t_oa: return builder == Builder::sa;
    default: return false;
    }
}

void build_policy(const Header& h, const Extensions& exts, const RawExtension& pol, model::PolicyRecord& p) {
    const auto f = fixed<sadb_x_policy>(pol);
    p.msg = info(h);
    p.raw_action = f.sadb_x_policy_type;
    p.action = static_cast<model::Action>(p.raw_action);
    p.raw_dir = f.sadb_x_policy_dir;
    p.dir = p.raw_dir <= 3 ? static_cast<model::Direction>(p.raw_dir) : model::Direction::invalid;
    p.id = f.sadb_x_policy_id;
    p.priority = f.sadb_x_policy_priority;
    p.requests = read_requests(pol);
    const RawExtension* src = exts.find(ExtType::address_src);
    const RawExtension* dst = exts.find(ExtType::address_dst);
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
    if (const RawExtension* e = exts.find(ExtType::x_sec_ctx)) p.ctx = read_sec_ctx(*e);
}

} // namespace

Header decode_header(std::span<const uint8_t> b) {
    if (b.size() < kHeaderSize)
        fail(fmt::format("message of {} bytes is shorter than the {}-byte header", b.size(), kHeaderSize));
    const auto m = load<sadb_msg>(b, 0);
    return {m.sadb_msg_version, m.sadb_msg_type, m.sadb_msg_errno, m.sadb_msg_satype,
            m.sadb_msg_len,     m.sadb_msg_reserved, m.sadb_msg_seq, m.sadb_msg_pid};
}

std::vector<RawExtension> split_extensions(std::span<const uint8_t> b) {
    std::vector<RawExtension> out;
    out.reserve(16); // a dump reply has about ten: one allocation, not four
    for_each_extension(b, [&](const RawExtension& e) { out.push_back(e); });
    return out;
}

Decoded decode_message(std::span<const uint8_t> b) {
    Decoded m;
    m.header = decode_header(b);
    if (m.header.version != kVersion) fail(fmt::format("PF_KEY version {} (expected 2)", m.header.version));
    if (size_t{m.header.len} * 8 != b.size())
        fail(fmt::format("header says {} bytes, message has {}", size_t{m.header.len} * 8, b.size()));
    const ExtensionList extensions(b);
    const std::span<const RawExtension> list = extensions.all();
    const Extensions exts(list);
    const RawExtension* pol = exts.find(ExtType::x_policy);
    const Builder builder = pol ? Builder::policy
                            : exts.find(ExtType::sa) || exts.find(ExtType::address_src) || exts.find(ExtType::address_dst)
                                ? Builder::sa
                                : Builder::none;
    for (const RawExtension& e : list)
        if (!read_by_builder(e.type, builder)) check_extension(e);

    if (builder == Builder::policy) build_policy(m.header, exts, *pol, m.policy.emplace());
    else if (builder == Builder::sa) build_sa(m.header, exts, m.sa.emplace());

    const RawExtension* auth = exts.find(ExtType::supported_auth);
    const RawExtension* enc = exts.find(ExtType::supported_encrypt);
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
        const size_t len = size_t{load<sadb_msg>(rest, 0).sadb_msg_len} * 8;
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
