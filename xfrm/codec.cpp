#include "xfrm/codec.hpp"

#include <arpa/inet.h>
#include <linux/ipsec.h>
#include <linux/netlink.h>
#include <linux/pfkeyv2.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "model/wire_limits.hpp"

namespace setkey::xfrm {
namespace {

using model::Family;
using model::IpAddress;

// memset, not `T{}`: padding bytes go to the kernel and into exact-byte tests.
template <class T> T zeroed() {
    T t;
    std::memset(&t, 0, sizeof t);
    return t;
}

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

const char* attr_name(uint16_t type) {
    switch (type) {
    case XFRMA_ALG_AUTH: return "XFRMA_ALG_AUTH";
    case XFRMA_ALG_CRYPT: return "XFRMA_ALG_CRYPT";
    case XFRMA_ALG_COMP: return "XFRMA_ALG_COMP";
    case XFRMA_ENCAP: return "XFRMA_ENCAP";
    case XFRMA_TMPL: return "XFRMA_TMPL";
    case XFRMA_SA: return "XFRMA_SA";
    case XFRMA_POLICY: return "XFRMA_POLICY";
    case XFRMA_SEC_CTX: return "XFRMA_SEC_CTX";
    case XFRMA_LTIME_VAL: return "XFRMA_LTIME_VAL";
    case XFRMA_POLICY_TYPE: return "XFRMA_POLICY_TYPE";
    case XFRMA_ALG_AEAD: return "XFRMA_ALG_AEAD";
    case XFRMA_ALG_AUTH_TRUNC: return "XFRMA_ALG_AUTH_TRUNC";
    case XFRMA_REPLAY_ESN_VAL: return "XFRMA_REPLAY_ESN_VAL";
    }
    return "attribute";
}

// Builds one netlink message: header, fixed part, then attributes.
class Builder {
public:
    Builder(uint16_t type, uint16_t flags, uint32_t seq) {
        auto h = zeroed<nlmsghdr>();
        h.nlmsg_type = type;
        h.nlmsg_flags = flags;
        h.nlmsg_seq = seq;
        append(&h, sizeof h);
    }
    template <class T> void fixed(const T& body) { append(&body, sizeof body); }
    // Throws EncodeError rather than wrap nla_len (16 bits, header included).
    void attr(uint16_t type, std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
        const size_t len = NLA_HDRLEN + a.size() + b.size();
        if (len > model::limits::kNetlinkAttrMax)
            throw EncodeError(EMSGSIZE, fmt::format("attribute {} of {} bytes is longer than netlink can say "
                                                    "(at most {})",
                                                    attr_name(type), len, model::limits::kNetlinkAttrMax));
        nlattr na{static_cast<uint16_t>(len), type};
        append(&na, sizeof na);
        append(a.data(), a.size(), false);
        append(b.data(), b.size());
    }
    template <class T> void attr_struct(uint16_t type, const T& v) { attr(type, bytes_of(v)); }
    Message finish() {
        if (buf_.size() > model::limits::kNetlinkMessageMax)
            throw EncodeError(EMSGSIZE, fmt::format("message of {} bytes is longer than netlink can say",
                                                    buf_.size()));
        uint32_t len = static_cast<uint32_t>(buf_.size());
        std::memcpy(buf_.data(), &len, sizeof len);
        return std::move(buf_);
    }
    template <class T> static std::span<const uint8_t> bytes_of(const T& v) {
        return {reinterpret_cast<const uint8_t*>(&v), sizeof v};
    }

private:
    void append(const void* p, size_t n, bool pad = true) {
        auto* b = static_cast<const uint8_t*>(p);
        buf_.insert(buf_.end(), b, b + n);
        if (pad) buf_.resize(align4(buf_.size()), 0);
    }
    Message buf_;
};

uint16_t af_of(Family f) { return f == Family::inet ? AF_INET : AF_INET6; }

xfrm_address_t to_xfrm(const IpAddress& a) {
    auto x = zeroed<xfrm_address_t>();
    std::memcpy(&x, a.bytes.data(), a.size());
    return x;
}

IpAddress from_xfrm(const xfrm_address_t& x, uint16_t family) {
    IpAddress a;
    a.family = family == AF_INET6 ? Family::inet6 : Family::inet;
    std::memcpy(a.bytes.data(), &x, a.size());
    return a;
}

uint8_t proto_of(model::SaType t) {
    switch (t) {
    case model::SaType::ah: return IPPROTO_AH;
    case model::SaType::esp: return IPPROTO_ESP;
    case model::SaType::ipcomp: return IPPROTO_COMP;
    default: break;
    }
    throw EncodeError(EPROTONOSUPPORT,
                      fmt::format("{} SAs do not exist in XFRM", model::satype_name(t)));
}

uint8_t xfrm_mode(model::Mode m) {
    switch (m) {
    case model::Mode::any: // af_key maps "any" to transport as well
    case model::Mode::transport: return XFRM_MODE_TRANSPORT;
    case model::Mode::tunnel: return XFRM_MODE_TUNNEL;
    case model::Mode::beet: return XFRM_MODE_BEET;
    }
    return XFRM_MODE_TRANSPORT;
}

uint64_t limit(const std::optional<uint64_t>& v) { return v && *v ? *v : XFRM_INF; }

xfrm_lifetime_cfg lifetime_cfg(const model::LifetimeLimit& hard, const model::LifetimeLimit& soft) {
    auto l = zeroed<xfrm_lifetime_cfg>();
    l.soft_byte_limit = limit(soft.bytes);
    l.hard_byte_limit = limit(hard.bytes);
    l.soft_packet_limit = XFRM_INF;
    l.hard_packet_limit = XFRM_INF;
    l.soft_add_expires_seconds = soft.add_seconds.value_or(0);
    l.hard_add_expires_seconds = hard.add_seconds.value_or(0);
    return l;
}

// Key-carrying algorithm attributes: name[64], key bits, [icv bits], key.
std::array<char, 64> alg_name(const model::Algorithm& alg) {
    if (alg.xfrm_name.empty())
        throw EncodeError(ENOSYS, fmt::format("algorithm {} has no XFRM equivalent", alg.name));
    std::array<char, 64> name{};
    std::copy(alg.xfrm_name.begin(), alg.xfrm_name.end(), name.begin());
    return name;
}

// The kernel name and key length that every xfrm_algo* struct starts with.
template <class Algo>
Algo algo_head(const model::Algorithm& alg, size_t key_bytes) {
    auto a = zeroed<Algo>();
    const auto name = alg_name(alg);
    std::memcpy(a.alg_name, name.data(), name.size());
    a.alg_key_len = static_cast<unsigned>(key_bytes * 8);
    return a;
}

void put_crypt(Builder& b, const model::KeyedAlgorithm& k) {
    const auto a = algo_head<xfrm_algo>(*k.alg, k.key.size());
    b.attr(XFRMA_ALG_CRYPT, Builder::bytes_of(a), k.key);
}

void put_aead(Builder& b, const model::KeyedAlgorithm& k) {
    auto a = algo_head<xfrm_algo_aead>(*k.alg, k.key.size());
    a.alg_icv_len = k.alg->icv_bits;
    b.attr(XFRMA_ALG_AEAD, Builder::bytes_of(a), k.key);
}

void put_auth(Builder& b, const model::KeyedAlgorithm& k) {
    auto a = algo_head<xfrm_algo_auth>(*k.alg, k.key.size());
    a.alg_trunc_len = k.alg->icv_bits;
    b.attr(XFRMA_ALG_AUTH_TRUNC, Builder::bytes_of(a), k.key);
}

void put_comp(Builder& b, const model::Algorithm& alg) {
    const auto a = algo_head<xfrm_algo>(alg, 0);
    b.attr(XFRMA_ALG_COMP, Builder::bytes_of(a));
}

void put_sec_ctx(Builder& b, const model::SecurityContext& ctx) {
    // The kernel carries the context with its trailing NUL, as setkey sends it.
    std::vector<uint8_t> text(ctx.context.begin(), ctx.context.end());
    text.push_back(0);
    auto h = zeroed<xfrm_user_sec_ctx>();
    // Both 16-bit counts must hold it; the attribute's own limit is smaller still.
    if (sizeof h + text.size() > model::limits::kSecCtxFieldMax)
        throw EncodeError(EMSGSIZE, fmt::format("security context of {} bytes is longer than "
                                                "xfrm_user_sec_ctx can say", text.size()));
    h.len = static_cast<uint16_t>(sizeof h + text.size());
    h.exttype = XFRMA_SEC_CTX;
    h.ctx_alg = ctx.alg;
    h.ctx_doi = ctx.doi;
    h.ctx_len = static_cast<uint16_t>(text.size());
    b.attr(XFRMA_SEC_CTX, Builder::bytes_of(h), text);
}

uint16_t sa_family(const model::SaKey& key) {
    if (key.src.addr.family != key.dst.addr.family)
        throw EncodeError(EINVAL, "source and destination address families differ");
    return af_of(key.dst.addr.family);
}

xfrm_usersa_id sa_id(const model::SaKey& key) {
    auto id = zeroed<xfrm_usersa_id>();
    id.daddr = to_xfrm(key.dst.addr);
    id.spi = htonl(key.spi);
    id.family = sa_family(key);
    id.proto = proto_of(key.proto.type);
    return id;
}

Message encode_sa_id(uint16_t type, const model::SaKey& key, uint32_t seq) {
    Builder b(type, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.fixed(sa_id(key));
    b.attr_struct(XFRMA_SRCADDR, to_xfrm(key.src.addr));
    return b.finish();
}

xfrm_usersa_info sa_info(const model::AddSa& sa) {
    const auto& key = sa.key;
    auto p = zeroed<xfrm_usersa_info>();
    p.family = sa_family(key);
    p.sel.family = p.family; // an SA selector matching everything, as af_key installs
    p.id.daddr = to_xfrm(key.dst.addr);
    p.id.spi = htonl(key.spi);
    p.id.proto = proto_of(key.proto.type);
    p.saddr = to_xfrm(key.src.addr);
    p.lft = lifetime_cfg(sa.hard, sa.soft);
    p.reqid = key.reqid;
    p.mode = xfrm_mode(key.mode);
    return p;
}

// The legacy replay state holds 32 packets; bigger windows and ESN need the ESN form,
// which the kernel only takes for ESP. AH keeps the legacy form: the kernel clamps its
// window to 32, as it does for PF_KEY adds.
bool needs_esn_replay(const model::AddSa& sa) {
    return sa.esn || (sa.replay > 32 && sa.key.proto.type == model::SaType::esp);
}

void put_replay_esn(Builder& b, const model::AddSa& sa) {
    uint32_t window = sa.replay;
    uint32_t words = std::max<uint32_t>(1, (window + 31) / 32);
    if (words * 4 > XFRMA_REPLAY_ESN_MAX)
        throw EncodeError(EINVAL, fmt::format("replay window {} is too large", window));
    auto r = zeroed<xfrm_replay_state_esn>();
    r.bmp_len = words;
    r.replay_window = window;
    std::vector<uint8_t> bitmap(words * 4, 0);
    b.attr(XFRMA_REPLAY_ESN_VAL, Builder::bytes_of(r), bitmap);
}

void put_encap(Builder& b, const model::AddSa& sa) {
    auto e = zeroed<xfrm_encap_tmpl>();
    e.encap_type = UDP_ENCAP_ESPINUDP;
    e.encap_sport = htons(sa.key.src.port.value_or(4500));
    e.encap_dport = htons(sa.key.dst.port.value_or(4500));
    if (sa.key.proto.natt_oa) e.encap_oa = to_xfrm(*sa.key.proto.natt_oa);
    b.attr_struct(XFRMA_ENCAP, e);
}

Message encode_getspi(const model::AddSa& sa, uint32_t seq) {
    Builder b(XFRM_MSG_ALLOCSPI, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto s = zeroed<xfrm_userspi_info>();
    s.info = sa_info(sa);
    bool comp = sa.key.proto.type == model::SaType::ipcomp;
    // PF_KEY's default range when setkey sends no SPIRANGE; CPIs are 16 bits.
    s.min = sa.key.spi ? sa.key.spi : 0x100;
    s.max = sa.key.spi ? sa.key.spi : (comp ? 0xffff : 0x0fffffff);
    b.fixed(s);
    return b.finish();
}

xfrm_selector selector_of(const model::SpdEntry& e) {
    if (e.src.addr.family != e.dst.addr.family)
        throw EncodeError(EINVAL, "source and destination address families differ");
    auto s = zeroed<xfrm_selector>();
    s.family = af_of(e.src.addr.family);
    s.saddr = to_xfrm(e.src.addr);
    s.daddr = to_xfrm(e.dst.addr);
    s.prefixlen_s = e.src.prefixlen;
    s.prefixlen_d = e.dst.prefixlen;
    // icmp type/code and gre keys travel in the ports, as with PF_KEY.
    s.sport = htons(e.src.port);
    s.sport_mask = e.src.port ? 0xffff : 0;
    s.dport = htons(e.dst.port);
    s.dport_mask = e.dst.port ? 0xffff : 0;
    s.proto = e.upper == model::kProtoAny ? 0 : e.upper;
    return s;
}

uint8_t xfrm_dir(model::Direction d) {
    switch (d) {
    case model::Direction::in: return XFRM_POLICY_IN;
    case model::Direction::out: return XFRM_POLICY_OUT;
    case model::Direction::fwd: return XFRM_POLICY_FWD;
    default: break;
    }
    throw EncodeError(EINVAL, fmt::format("policy direction {} does not exist in XFRM",
                                          model::direction_name(d)));
}

xfrm_user_tmpl template_of(const model::IpsecRequest& r, uint16_t policy_family) {
    auto t = zeroed<xfrm_user_tmpl>();
    t.id.proto = r.proto;
    t.mode = xfrm_mode(r.mode);
    t.family = policy_family;
    if (r.src && r.dst) {
        if (r.src->addr.family != r.dst->addr.family)
            throw EncodeError(EINVAL, "tunnel endpoint address families differ");
        t.family = af_of(r.dst->addr.family);
        t.saddr = to_xfrm(r.src->addr);
        t.id.daddr = to_xfrm(r.dst->addr);
    }
    t.reqid = r.reqid;
    t.optional = r.level == model::Level::use ? 1 : 0;
    t.aalgos = t.ealgos = t.calgos = ~0u; // any algorithm, as af_key templates allow
    return t;
}

Message encode_policy_change(const model::SpdEntry& e, uint32_t seq) {
    bool update = e.kind == model::SpdEntry::Kind::update;
    Builder b(update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto p = zeroed<xfrm_userpolicy_info>();
    p.sel = selector_of(e);
    p.lft = lifetime_cfg({}, {});
    p.priority = e.policy.priority;
    p.dir = xfrm_dir(e.policy.dir);
    auto action = e.policy.action.value_or(model::Action::ipsec);
    switch (action) {
    case model::Action::discard: p.action = XFRM_POLICY_BLOCK; break;
    case model::Action::none:
    case model::Action::ipsec: p.action = XFRM_POLICY_ALLOW; break;
    default:
        throw EncodeError(EINVAL, fmt::format("policy action {} does not exist in XFRM",
                                              model::action_name(action)));
    }
    b.fixed(p);
    if (action == model::Action::ipsec && !e.policy.requests.empty()) {
        std::vector<uint8_t> tmpls;
        for (const auto& r : e.policy.requests) {
            auto t = template_of(r, p.sel.family);
            auto bytes = Builder::bytes_of(t);
            tmpls.insert(tmpls.end(), bytes.begin(), bytes.end());
        }
        b.attr(XFRMA_TMPL, tmpls);
    }
    if (e.ctx) put_sec_ctx(b, *e.ctx);
    return b.finish();
}

Message encode_policy_id(uint16_t type, uint16_t flags, const model::SpdEntry& e, uint32_t seq) {
    Builder b(type, flags, seq);
    auto id = zeroed<xfrm_userpolicy_id>();
    id.sel = selector_of(e);
    id.dir = xfrm_dir(e.policy.dir);
    b.fixed(id);
    if (e.ctx) put_sec_ctx(b, *e.ctx);
    return b.finish();
}

// ---- decoding ----

template <class T> T read_as(std::span<const uint8_t> bytes) {
    T t = zeroed<T>();
    std::memcpy(&t, bytes.data(), std::min(sizeof t, bytes.size()));
    return t;
}

// Attribute payloads by type (last one wins); types beyond this header's range are skipped.
struct Attrs {
    std::array<std::optional<std::span<const uint8_t>>, XFRMA_MAX + 1> by_type{};

    const std::span<const uint8_t>* get(uint16_t type, size_t min_len) const {
        const auto& a = by_type[type];
        if (!a) return nullptr;
        if (a->size() < min_len)
            throw DecodeError(fmt::format("{} is {} bytes, needs at least {}", attr_name(type),
                                          a->size(), min_len));
        return &*a;
    }
};

Attrs parse_attrs(std::span<const uint8_t> rest) {
    Attrs attrs;
    while (!rest.empty()) {
        if (rest.size() < NLA_HDRLEN) throw DecodeError("truncated attribute header");
        auto na = read_as<nlattr>(rest);
        if (na.nla_len < NLA_HDRLEN || na.nla_len > rest.size())
            throw DecodeError(fmt::format("attribute length {} out of bounds ({} bytes left)",
                                          na.nla_len, rest.size()));
        uint16_t type = na.nla_type & NLA_TYPE_MASK;
        if (type <= XFRMA_MAX)
            attrs.by_type[type] = rest.subspan(NLA_HDRLEN, na.nla_len - NLA_HDRLEN);
        rest = rest.subspan(std::min<size_t>(align4(na.nla_len), rest.size()));
    }
    return attrs;
}

// Splits a message into its fixed part (at least sizeof(T)) and its attributes.
template <class T>
std::pair<T, Attrs> fixed_and_attrs(std::span<const uint8_t> payload, const char* what) {
    if (payload.size() < sizeof(T))
        throw DecodeError(fmt::format("{} is {} bytes, needs {}", what, payload.size(), sizeof(T)));
    size_t skip = std::min(NLMSG_ALIGN(sizeof(T)), payload.size());
    return {read_as<T>(payload), parse_attrs(payload.subspan(skip))};
}

std::string bounded_name(const char (&name)[64]) { return std::string(name, strnlen(name, 64)); }

// An algorithm attribute: fixed struct (name, key bits[, icv bits]) then key bytes.
template <class T>
model::AlgorithmRef decode_alg(std::span<const uint8_t> attr, model::AlgKind kind, uint16_t type) {
    auto a = read_as<T>(attr);
    size_t key_bytes = (static_cast<size_t>(a.alg_key_len) + 7) / 8;
    if (attr.size() - sizeof(T) < key_bytes)
        throw DecodeError(fmt::format("{} announces a {}-bit key in {} bytes", attr_name(type),
                                      a.alg_key_len, attr.size()));
    model::AlgorithmRef ref;
    ref.kernel_name = bounded_name(a.alg_name);
    ref.alg = model::find_by_xfrm_name(kind, ref.kernel_name);
    if constexpr (std::is_same_v<T, xfrm_algo_aead>) {
        ref.icv_bits = static_cast<uint16_t>(a.alg_icv_len);
        // rfc4106(gcm(aes)) is one kernel name for three setkey names; the ICV picks one.
        for (const auto& cand : model::all_algorithms())
            if (cand.kind == model::AlgKind::aead && cand.xfrm_name == ref.kernel_name &&
                cand.icv_bits == a.alg_icv_len && !cand.obsolete)
                ref.alg = &cand;
    } else if constexpr (std::is_same_v<T, xfrm_algo_auth>) {
        ref.icv_bits = static_cast<uint16_t>(a.alg_trunc_len);
    } else if (ref.alg) {
        ref.icv_bits = ref.alg->icv_bits; // plain XFRMA_ALG_AUTH: the table's default ICV
    }
    if (ref.alg && ref.alg->pfkey_id > 0) ref.pfkey_id = ref.alg->pfkey_id;
    ref.key_bits = static_cast<uint16_t>(a.alg_key_len);
    // af_key sends no key extension for an empty key (null cipher/auth); mirror that.
    if (key_bytes) {
        auto key = attr.subspan(sizeof(T), key_bytes);
        ref.key = std::vector<uint8_t>(key.begin(), key.end());
    }
    return ref;
}

std::optional<model::SecurityContext> decode_sec_ctx(const Attrs& attrs) {
    auto a = attrs.get(XFRMA_SEC_CTX, sizeof(xfrm_user_sec_ctx));
    if (!a) return std::nullopt;
    auto h = read_as<xfrm_user_sec_ctx>(*a);
    if (a->size() - sizeof h < h.ctx_len)
        throw DecodeError(fmt::format("XFRMA_SEC_CTX announces {} context bytes in {}", h.ctx_len,
                                      a->size()));
    auto text = a->subspan(sizeof h, h.ctx_len);
    model::SecurityContext ctx;
    ctx.doi = h.ctx_doi;
    ctx.alg = h.ctx_alg;
    ctx.context.assign(text.begin(), text.end());
    if (!ctx.context.empty() && ctx.context.back() == '\0') ctx.context.pop_back();
    return ctx;
}

uint64_t from_limit(uint64_t v) { return v == XFRM_INF ? 0 : v; } // PF_KEY: 0 = infinite

model::Lifetime limits(uint64_t packets, uint64_t bytes, uint64_t add, uint64_t use) {
    model::Lifetime l;
    l.packets = from_limit(packets);
    l.bytes = from_limit(bytes);
    l.add_time = from_limit(add);
    l.use_time = from_limit(use);
    return l;
}

void fill_lifetimes(const xfrm_lifetime_cfg& cfg, const xfrm_lifetime_cur& cur,
                    std::optional<model::Lifetime>& hard, std::optional<model::Lifetime>& soft,
                    std::optional<model::Lifetime>& current) {
    hard = limits(cfg.hard_packet_limit, cfg.hard_byte_limit, cfg.hard_add_expires_seconds,
                  cfg.hard_use_expires_seconds);
    soft = limits(cfg.soft_packet_limit, cfg.soft_byte_limit, cfg.soft_add_expires_seconds,
                  cfg.soft_use_expires_seconds);
    model::Lifetime c;
    c.packets = cur.packets;
    c.bytes = cur.bytes;
    c.add_time = cur.add_time;
    c.use_time = cur.use_time;
    current = c;
}

model::Mode model_mode(uint8_t m) {
    switch (m) {
    case XFRM_MODE_TRANSPORT: return model::Mode::transport;
    case XFRM_MODE_TUNNEL: return model::Mode::tunnel;
    case XFRM_MODE_BEET: return model::Mode::beet;
    }
    return model::Mode::any; // Mobile IPv6 modes have no setkey name
}

std::optional<model::SaType> satype_of(uint8_t proto) {
    switch (proto) {
    case IPPROTO_AH: return model::SaType::ah;
    case IPPROTO_ESP: return model::SaType::esp;
    case IPPROTO_COMP: return model::SaType::ipcomp;
    }
    return std::nullopt; // Mobile IPv6 states: PF_KEY dumps leave them out too
}

std::variant<Other, model::SaRecord> decode_sa(const xfrm_usersa_info& p, const Attrs& attrs,
                                               uint8_t state) {
    auto satype = satype_of(p.id.proto);
    if (!satype) return Other{};
    if (p.family != AF_INET && p.family != AF_INET6)
        throw DecodeError(fmt::format("SA address family {} is neither inet nor inet6", p.family));
    model::SaRecord r;
    r.satype = *satype;
    r.raw_satype = static_cast<uint8_t>(*satype);
    r.src = from_xfrm(p.saddr, p.family);
    r.dst = from_xfrm(p.id.daddr, p.family);
    r.src_prefixlen = r.dst_prefixlen = static_cast<uint8_t>(r.src.full_prefix());
    r.spi = ntohl(p.id.spi);
    r.replay = p.replay_window;
    r.state = state;
    if (p.flags & XFRM_STATE_NOECN) r.flags |= SADB_SAFLAGS_NOECN;
    if (p.flags & XFRM_STATE_DECAP_DSCP) r.flags |= SADB_SAFLAGS_DECAP_DSCP;
    if (p.flags & XFRM_STATE_NOPMTUDISC) r.flags |= SADB_SAFLAGS_NOPMTUDISC;
    r.esn = (p.flags & XFRM_STATE_ESN) != 0;

    bool any_alg = false;
    if (auto a = attrs.get(XFRMA_ALG_AEAD, sizeof(xfrm_algo_aead))) {
        r.enc = decode_alg<xfrm_algo_aead>(*a, model::AlgKind::aead, XFRMA_ALG_AEAD);
        r.aead = any_alg = true;
    }
    if (auto a = attrs.get(XFRMA_ALG_CRYPT, sizeof(xfrm_algo))) {
        r.enc = decode_alg<xfrm_algo>(*a, model::AlgKind::enc, XFRMA_ALG_CRYPT);
        any_alg = true;
    }
    // Dumps carry both forms of the auth algorithm; the truncated one has the real ICV.
    if (auto a = attrs.get(XFRMA_ALG_AUTH_TRUNC, sizeof(xfrm_algo_auth))) {
        r.auth = decode_alg<xfrm_algo_auth>(*a, model::AlgKind::auth, XFRMA_ALG_AUTH_TRUNC);
        any_alg = true;
    } else if (auto a = attrs.get(XFRMA_ALG_AUTH, sizeof(xfrm_algo))) {
        r.auth = decode_alg<xfrm_algo>(*a, model::AlgKind::auth, XFRMA_ALG_AUTH);
        any_alg = true;
    }
    if (auto a = attrs.get(XFRMA_ALG_COMP, sizeof(xfrm_algo))) {
        r.comp = decode_alg<xfrm_algo>(*a, model::AlgKind::comp, XFRMA_ALG_COMP);
        any_alg = true;
    }
    // An SA without any algorithm is an ACQ state (ALLOCSPI or acquire): PF_KEY's larval.
    if (!any_alg && state == static_cast<uint8_t>(model::SaState::mature))
        r.state = static_cast<uint8_t>(model::SaState::larval);

    r.has_sa2 = true; // af_key always reports SA2 (mode, reqid, sequence 0)
    r.mode = model_mode(p.mode);
    r.reqid = p.reqid;

    if (auto a = attrs.get(XFRMA_ENCAP, sizeof(xfrm_encap_tmpl))) {
        auto e = read_as<xfrm_encap_tmpl>(*a);
        r.natt_type = e.encap_type;
        r.natt_sport = ntohs(e.encap_sport);
        r.natt_dport = ntohs(e.encap_dport);
        auto oa = from_xfrm(e.encap_oa, p.family);
        if (!oa.is_unspecified()) r.natt_oa = oa;
    }
    if (auto a = attrs.get(XFRMA_REPLAY_ESN_VAL, sizeof(xfrm_replay_state_esn))) {
        auto esn = read_as<xfrm_replay_state_esn>(*a);
        if ((a->size() - sizeof esn) / 4 < esn.bmp_len)
            throw DecodeError(fmt::format("XFRMA_REPLAY_ESN_VAL announces {} bitmap words in {} bytes",
                                          esn.bmp_len, a->size()));
        r.replay = esn.replay_window; // the real window (PF_KEY would show 0 here)
    }
    xfrm_lifetime_cur cur = p.curlft;
    if (auto a = attrs.get(XFRMA_LTIME_VAL, sizeof(xfrm_lifetime_cur)))
        cur = read_as<xfrm_lifetime_cur>(*a);
    fill_lifetimes(p.lft, cur, r.hard, r.soft, r.current);
    r.ctx = decode_sec_ctx(attrs);
    r.replay_errors = p.stats.replay;
    r.integrity_failures = p.stats.integrity_failed;
    return r;
}

std::variant<Other, model::PolicyRecord> decode_policy(const xfrm_userpolicy_info& p,
                                                       const Attrs& attrs) {
    if (auto a = attrs.get(XFRMA_POLICY_TYPE, sizeof(xfrm_userpolicy_type)))
        if (read_as<xfrm_userpolicy_type>(*a).type != XFRM_POLICY_TYPE_MAIN)
            return Other{}; // sub policies: PF_KEY only sees the main table
    if (p.sel.family != AF_INET && p.sel.family != AF_INET6)
        throw DecodeError(fmt::format("policy selector family {} is neither inet nor inet6",
                                      p.sel.family));
    model::PolicyRecord r;
    r.src.addr = from_xfrm(p.sel.saddr, p.sel.family);
    r.src.prefixlen = p.sel.prefixlen_s;
    r.src.port = ntohs(p.sel.sport);
    r.dst.addr = from_xfrm(p.sel.daddr, p.sel.family);
    r.dst.prefixlen = p.sel.prefixlen_d;
    r.dst.port = ntohs(p.sel.dport);
    r.upper = p.sel.proto ? p.sel.proto : model::kProtoAny;
    r.raw_dir = static_cast<uint16_t>(p.dir + 1); // IPSEC_DIR_* = XFRM_POLICY_* + 1
    r.dir = p.dir < XFRM_POLICY_MAX ? static_cast<model::Direction>(r.raw_dir)
                                    : model::Direction::invalid;
    r.id = p.index;
    r.priority = p.priority;

    if (auto a = attrs.get(XFRMA_TMPL, 0)) {
        if (a->size() % sizeof(xfrm_user_tmpl) != 0)
            throw DecodeError(fmt::format("XFRMA_TMPL is {} bytes, not a multiple of {}",
                                          a->size(), sizeof(xfrm_user_tmpl)));
        for (size_t off = 0; off < a->size(); off += sizeof(xfrm_user_tmpl)) {
            auto t = read_as<xfrm_user_tmpl>(a->subspan(off));
            model::IpsecRequest q;
            q.proto = t.id.proto;
            q.mode = model_mode(t.mode);
            // What af_key reports: use if optional, unique if a reqid is set, else require.
            q.level = t.optional ? model::Level::use
                      : t.reqid  ? model::Level::unique
                                 : model::Level::require;
            q.reqid = t.reqid;
            if ((t.mode == XFRM_MODE_TUNNEL || t.mode == XFRM_MODE_BEET) &&
                (t.family == AF_INET || t.family == AF_INET6)) {
                q.src = model::Endpoint{from_xfrm(t.saddr, t.family), std::nullopt};
                q.dst = model::Endpoint{from_xfrm(t.id.daddr, t.family), std::nullopt};
            }
            r.requests.push_back(std::move(q));
        }
    }
    if (p.action == XFRM_POLICY_BLOCK)
        r.action = model::Action::discard;
    else
        r.action = r.requests.empty() ? model::Action::none : model::Action::ipsec;
    r.raw_action = static_cast<uint16_t>(r.action);
    fill_lifetimes(p.lft, p.curlft, r.hard, r.soft, r.current);
    r.ctx = decode_sec_ctx(attrs);
    // XFRM reports no reference count. af_key puts the policy's refcount in
    // sadb_msg_reserved, which is 1 (the SPD's own reference) for an idle policy.
    r.msg.reserved = 1;
    return r;
}

template <class... Ts, class V> auto widen(V&& v) {
    return std::visit([](auto&& x) -> std::variant<Ts...> { return std::move(x); }, std::move(v));
}

// Netlink carries errors as negative errno values. A value no errno can have
// (a lying or corrupted message, e.g. INT_MIN) becomes EPROTO instead of
// overflowing on negation.
int errno_from_kernel(int value) {
    constexpr int kMaxErrno = 4095; // the kernel's MAX_ERRNO
    if (value < -kMaxErrno || value > kMaxErrno) return EPROTO;
    return value < 0 ? -value : value;
}

Ack decode_error(std::span<const uint8_t> payload, uint16_t flags) {
    if (payload.size() < sizeof(nlmsgerr)) throw DecodeError("truncated NLMSG_ERROR");
    auto e = read_as<nlmsgerr>(payload);
    Ack ack;
    ack.error = errno_from_kernel(e.error);
    if (!(flags & NLM_F_ACK_TLVS)) return ack;
    // Extended ACK attributes follow the header, or the echoed request unless capped.
    size_t off = sizeof(nlmsgerr);
    if (!(flags & NLM_F_CAPPED) && ack.error != 0) {
        if (e.msg.nlmsg_len < sizeof(nlmsghdr)) throw DecodeError("bad echoed request in NLMSG_ERROR");
        off += NLMSG_ALIGN(e.msg.nlmsg_len) - sizeof(nlmsghdr);
    }
    if (off > payload.size()) throw DecodeError("NLMSG_ERROR echo exceeds the message");
    auto rest = payload.subspan(off);
    while (rest.size() >= NLA_HDRLEN) {
        auto na = read_as<nlattr>(rest);
        if (na.nla_len < NLA_HDRLEN || na.nla_len > rest.size())
            throw DecodeError("bad extended ACK attribute length");
        if ((na.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
            auto text = rest.subspan(NLA_HDRLEN, na.nla_len - NLA_HDRLEN);
            ack.message.assign(text.begin(), std::find(text.begin(), text.end(), 0));
        }
        rest = rest.subspan(std::min<size_t>(align4(na.nla_len), rest.size()));
    }
    return ack;
}

} // namespace

Message encode_add_sa(const model::AddSa& sa, uint32_t seq) {
    if (sa.kind == model::AddSa::Kind::getspi) return encode_getspi(sa, seq);
    bool update = sa.kind == model::AddSa::Kind::update;
    Builder b(update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto p = sa_info(sa);
    bool esp = sa.key.proto.type == model::SaType::esp;
    if (needs_esn_replay(sa)) {
        if (!esp) throw EncodeError(EINVAL, "extended sequence numbers need an ESP SA");
        if (sa.esn) p.flags |= XFRM_STATE_ESN;
    } else {
        p.replay_window = static_cast<uint8_t>(std::min<uint32_t>(sa.replay, 255));
    }
    b.fixed(p);
    if (sa.enc) {
        if (sa.enc->alg->kind == model::AlgKind::aead)
            put_aead(b, *sa.enc);
        else
            put_crypt(b, *sa.enc);
    }
    if (sa.auth) put_auth(b, *sa.auth);
    if (sa.comp) put_comp(b, *sa.comp);
    if (sa.key.proto.udp_encap) put_encap(b, sa);
    if (needs_esn_replay(sa)) put_replay_esn(b, sa);
    if (sa.ctx) put_sec_ctx(b, *sa.ctx);
    return b.finish();
}

Message encode_get_sa(const model::SaKey& key, uint32_t seq) {
    return encode_sa_id(XFRM_MSG_GETSA, key, seq);
}

Message encode_delete_sa(const model::SaKey& key, uint32_t seq) {
    return encode_sa_id(XFRM_MSG_DELSA, key, seq);
}

Message encode_flush_sa(std::optional<model::SaType> type, uint32_t seq) {
    Builder b(XFRM_MSG_FLUSHSA, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto f = zeroed<xfrm_usersa_flush>();
    // No type: AH, ESP and IPComp, what PF_KEY's SADB_FLUSH(UNSPEC) removes.
    f.proto = type ? proto_of(*type) : IPSEC_PROTO_ANY;
    b.fixed(f);
    return b.finish();
}

Message encode_dump_sa(std::optional<model::SaType> type, uint32_t seq) {
    Builder b(XFRM_MSG_GETSA, NLM_F_REQUEST | NLM_F_DUMP, seq);
    b.fixed(zeroed<xfrm_usersa_info>());
    uint8_t proto = type ? proto_of(*type) : IPSEC_PROTO_ANY;
    b.attr(XFRMA_PROTO, Builder::bytes_of(proto));
    return b.finish();
}

Message encode_policy(const model::SpdEntry& entry, uint32_t seq) {
    if (entry.kind == model::SpdEntry::Kind::remove)
        return encode_policy_id(XFRM_MSG_DELPOLICY, NLM_F_REQUEST | NLM_F_ACK, entry, seq);
    return encode_policy_change(entry, seq);
}

Message encode_get_policy(const model::SpdEntry& entry, uint32_t seq) {
    return encode_policy_id(XFRM_MSG_GETPOLICY, NLM_F_REQUEST | NLM_F_ACK, entry, seq);
}

Message encode_flush_policies(uint32_t seq) {
    Builder b(XFRM_MSG_FLUSHPOLICY, NLM_F_REQUEST | NLM_F_ACK, seq);
    return b.finish();
}

Message encode_dump_policies(uint32_t seq) {
    Builder b(XFRM_MSG_GETPOLICY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    b.fixed(zeroed<xfrm_userpolicy_id>());
    return b.finish();
}

Message encode_spd_info_request(uint32_t seq) {
    Builder b(XFRM_MSG_GETSPDINFO, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.fixed(uint32_t{0});
    return b.finish();
}

std::vector<std::span<const uint8_t>> split_messages(std::span<const uint8_t> datagram) {
    std::vector<std::span<const uint8_t>> out;
    while (!datagram.empty()) {
        if (datagram.size() < sizeof(nlmsghdr)) throw DecodeError("truncated netlink header");
        auto h = read_as<nlmsghdr>(datagram);
        if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > datagram.size())
            throw DecodeError(fmt::format("netlink message length {} out of bounds ({} bytes left)",
                                          h.nlmsg_len, datagram.size()));
        out.push_back(datagram.first(h.nlmsg_len));
        datagram = datagram.subspan(std::min<size_t>(NLMSG_ALIGN(h.nlmsg_len), datagram.size()));
    }
    return out;
}

Decoded decode_message(std::span<const uint8_t> message) {
    if (message.size() < sizeof(nlmsghdr)) throw DecodeError("truncated netlink header");
    auto h = read_as<nlmsghdr>(message);
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > message.size())
        throw DecodeError(fmt::format("netlink message length {} out of bounds ({} bytes)",
                                      h.nlmsg_len, message.size()));
    Decoded d;
    d.header = {h.nlmsg_type, h.nlmsg_flags, h.nlmsg_seq, h.nlmsg_pid};
    auto payload = message.subspan(sizeof(nlmsghdr), h.nlmsg_len - sizeof(nlmsghdr));
    using model::SaState;
    switch (h.nlmsg_type) {
    case NLMSG_ERROR: d.body = decode_error(payload, h.nlmsg_flags); break;
    case NLMSG_DONE: {
        Done done;
        if (payload.size() >= sizeof(int)) {
            int e = read_as<int>(payload);
            done.error = errno_from_kernel(e);
        }
        d.body = done;
        break;
    }
    case XFRM_MSG_NEWSA:
    case XFRM_MSG_UPDSA: {
        auto [p, attrs] = fixed_and_attrs<xfrm_usersa_info>(payload, "xfrm_usersa_info");
        d.body = widen<Other, Ack, Done, model::SaRecord, model::PolicyRecord>(
            decode_sa(p, attrs, static_cast<uint8_t>(SaState::mature)));
        break;
    }
    case XFRM_MSG_EXPIRE: {
        auto [e, attrs] = fixed_and_attrs<xfrm_user_expire>(payload, "xfrm_user_expire");
        auto state = e.hard ? SaState::dead : SaState::dying;
        d.body = widen<Other, Ack, Done, model::SaRecord, model::PolicyRecord>(
            decode_sa(e.state, attrs, static_cast<uint8_t>(state)));
        break;
    }
    case XFRM_MSG_DELSA: {
        // Deletion events carry the full state in XFRMA_SA after the SA id.
        auto [id, attrs] = fixed_and_attrs<xfrm_usersa_id>(payload, "xfrm_usersa_id");
        if (auto a = attrs.get(XFRMA_SA, sizeof(xfrm_usersa_info)))
            d.body = widen<Other, Ack, Done, model::SaRecord, model::PolicyRecord>(decode_sa(
                read_as<xfrm_usersa_info>(*a), attrs, static_cast<uint8_t>(SaState::dead)));
        break;
    }
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY: {
        auto [p, attrs] = fixed_and_attrs<xfrm_userpolicy_info>(payload, "xfrm_userpolicy_info");
        d.body = widen<Other, Ack, Done, model::SaRecord, model::PolicyRecord>(decode_policy(p, attrs));
        break;
    }
    case XFRM_MSG_DELPOLICY: {
        auto [id, attrs] = fixed_and_attrs<xfrm_userpolicy_id>(payload, "xfrm_userpolicy_id");
        if (auto a = attrs.get(XFRMA_POLICY, sizeof(xfrm_userpolicy_info)))
            d.body = widen<Other, Ack, Done, model::SaRecord, model::PolicyRecord>(
                decode_policy(read_as<xfrm_userpolicy_info>(*a), attrs));
        break;
    }
    default: break;
    }
    return d;
}

} // namespace setkey::xfrm
