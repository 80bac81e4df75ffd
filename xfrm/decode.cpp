// Kernel messages → model records (and acks, dump ends), split out of datagrams.
#include "xfrm/codec.hpp"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/pfkeyv2.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "xfrm/wire.hpp"

namespace setkey::xfrm {
namespace {

using model::Family;
using model::IpAddress;
using wire::align4;
using wire::attr_name;
using wire::zeroed;

IpAddress from_xfrm(const xfrm_address_t& x, uint16_t family) {
    IpAddress a;
    a.family = family == AF_INET6 ? Family::inet6 : Family::inet;
    std::memcpy(a.bytes.data(), &x, a.size());
    return a;
}

template <class T> T read_as(std::span<const uint8_t> bytes) {
    T t = zeroed<T>();
    std::memcpy(&t, bytes.data(), std::min(sizeof t, bytes.size()));
    return t;
}

// One attribute after another: (type as sent, flag bits included; payload). Throws on
// any length that does not fit.
template <class F> void for_each_attr(std::span<const uint8_t> rest, F&& f) {
    while (!rest.empty()) {
        if (rest.size() < NLA_HDRLEN) throw DecodeError("truncated attribute header");
        auto na = read_as<nlattr>(rest);
        if (na.nla_len < NLA_HDRLEN || na.nla_len > rest.size())
            throw DecodeError(fmt::format("attribute length {} out of bounds ({} bytes left)",
                                          na.nla_len, rest.size()));
        f(na.nla_type, rest.subspan(NLA_HDRLEN, na.nla_len - NLA_HDRLEN));
        rest = rest.subspan(std::min<size_t>(align4(na.nla_len), rest.size()));
    }
}

struct Attrs {
    // Which types are present, and where: the slots of absent types are never read, so
    // they are not cleared either (a dump decodes one message per entry).
    static_assert(XFRMA_MAX < 64);
    struct Slot {
        const uint8_t* data;
        size_t size;
    };
    uint64_t present = 0;
    std::array<Slot, XFRMA_MAX + 1> by_type; // left uninitialized: see `present`
    std::span<const uint8_t> bytes;          // all of them, checked: unknown() walks them again

    Attrs() {} // NOLINT: by_type stays uninitialized on purpose

    void put(uint16_t type, std::span<const uint8_t> payload) { // a type sent twice: the last one wins
        present |= uint64_t{1} << type;
        by_type[type] = {payload.data(), payload.size()};
    }
    std::optional<std::span<const uint8_t>> get(uint16_t type, size_t min_len) const {
        if (!(present & (uint64_t{1} << type))) return std::nullopt;
        const std::span<const uint8_t> a(by_type[type].data, by_type[type].size);
        if (a.size() < min_len)
            throw DecodeError(fmt::format("{} is {} bytes, needs at least {}", attr_name(type),
                                          a.size(), min_len));
        return a;
    }
    std::optional<uint32_t> u32(uint16_t type) const {
        if (auto a = get(type, sizeof(uint32_t))) return read_as<uint32_t>(*a);
        return std::nullopt;
    }
    // Every attribute whose type is not in `known`, as received.
    template <size_t N>
    std::vector<model::RawAttribute> unknown(const std::array<uint16_t, N>& known) const {
        std::vector<model::RawAttribute> out;
        for_each_attr(bytes, [&](uint16_t type, std::span<const uint8_t> payload) {
            if (std::find(known.begin(), known.end(), type & NLA_TYPE_MASK) != known.end()) return;
            out.push_back({type, std::vector<uint8_t>(payload.begin(), payload.end())});
        });
        return out;
    }
};

// Into `attrs` (new), with no allocation: a dump decodes one message per entry.
void parse_attrs(std::span<const uint8_t> rest, Attrs& attrs) {
    attrs.bytes = rest;
    for_each_attr(rest, [&](uint16_t type, std::span<const uint8_t> payload) {
        type &= NLA_TYPE_MASK;
        if (type <= XFRMA_MAX) attrs.put(type, payload);
    });
}

// Splits a message into its fixed part (at least sizeof(T)) and its attributes.
template <class T>
T fixed_and_attrs(std::span<const uint8_t> payload, const char* what, Attrs& attrs) {
    if (payload.size() < sizeof(T))
        throw DecodeError(fmt::format("{} is {} bytes, needs {}", what, payload.size(), sizeof(T)));
    size_t skip = std::min(NLMSG_ALIGN(sizeof(T)), payload.size());
    parse_attrs(payload.subspan(skip), attrs);
    return read_as<T>(payload);
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

// The attributes of SA messages this decoder reads (or skips on purpose: counters and
// times, the plain auth form beside the truncated one, padding); the rest is kept raw.
constexpr std::array<uint16_t, 24> kSaAttrs = {
    XFRMA_UNSPEC,        XFRMA_ALG_AUTH,      XFRMA_ALG_CRYPT,      XFRMA_ALG_COMP,
    XFRMA_ENCAP,         XFRMA_SA,            XFRMA_SEC_CTX,        XFRMA_LTIME_VAL,
    XFRMA_REPLAY_VAL,    XFRMA_SRCADDR,       XFRMA_COADDR,         XFRMA_LASTUSED,
    XFRMA_ALG_AEAD,      XFRMA_ALG_AUTH_TRUNC, XFRMA_MARK,          XFRMA_TFCPAD,
    XFRMA_REPLAY_ESN_VAL, XFRMA_SA_EXTRA_FLAGS, XFRMA_PAD,          XFRMA_OFFLOAD_DEV,
    XFRMA_SET_MARK,      XFRMA_SET_MARK_MASK, XFRMA_IF_ID,          XFRMA_MTIMER_THRESH,
};

constexpr std::array<uint16_t, 9> kPolicyAttrs = {
    XFRMA_UNSPEC, XFRMA_TMPL, XFRMA_POLICY, XFRMA_SEC_CTX, XFRMA_LTIME_VAL,
    XFRMA_POLICY_TYPE, XFRMA_MARK, XFRMA_PAD, XFRMA_IF_ID,
};

std::optional<model::Mark> decode_mark(const Attrs& attrs) {
    auto a = attrs.get(XFRMA_MARK, sizeof(xfrm_mark));
    if (!a) return std::nullopt;
    auto m = read_as<xfrm_mark>(*a);
    return model::Mark{m.v, m.m};
}


// What XFRM keeps about an SA besides the PF_KEY-shaped fields (model/xfrm_attrs.hpp).
void decode_sa_attrs(const xfrm_usersa_info& p, const Attrs& attrs, model::SaRecord& r) {
    r.mark = decode_mark(attrs);
    r.if_id = attrs.u32(XFRMA_IF_ID).value_or(0);
    auto& x = r.xfrm;
    x.flags = p.flags;
    x.selector = wire::decode_sa_selector(p.sel);
    // The kernel reports the output mark's value and mask together (mask ~0 by default).
    if (auto v = attrs.u32(XFRMA_SET_MARK))
        x.output_mark = model::Mark{*v, attrs.u32(XFRMA_SET_MARK_MASK).value_or(0xffffffffu)};
    x.extra_flags = attrs.u32(XFRMA_SA_EXTRA_FLAGS).value_or(0);
    if (auto a = attrs.get(XFRMA_OFFLOAD_DEV, sizeof(xfrm_user_offload))) {
        auto o = read_as<xfrm_user_offload>(*a);
        x.offload = model::Offload{o.ifindex, o.flags};
    }
    if (auto a = attrs.get(XFRMA_SRCADDR, sizeof(xfrm_address_t)))
        x.srcaddr = from_xfrm(read_as<xfrm_address_t>(*a), p.family);
    if (auto a = attrs.get(XFRMA_COADDR, sizeof(xfrm_address_t)))
        x.coaddr = from_xfrm(read_as<xfrm_address_t>(*a), p.family);
    x.tfcpad = attrs.u32(XFRMA_TFCPAD).value_or(0);
    x.mtimer_thresh = attrs.u32(XFRMA_MTIMER_THRESH);
    x.unknown = attrs.unknown(kSaAttrs);
}

using Body = decltype(Decoded::body);

// Into the message's body in place (an SaRecord moved through two variants on its way
// there cost a quarter of a dumped SA's decoding). A protocol that is no SA type
// leaves it Other.
void decode_sa(const xfrm_usersa_info& p, const Attrs& attrs, uint8_t state, Body& body) {
    auto satype = satype_of(p.id.proto);
    if (!satype) return;
    if (p.family != AF_INET && p.family != AF_INET6)
        throw DecodeError(fmt::format("SA address family {} is neither inet nor inet6", p.family));
    model::SaRecord& r = body.emplace<model::SaRecord>();
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
        model::ReplayState rs;
        rs.esn_format = true;
        rs.oseq = esn.oseq;
        rs.seq = esn.seq;
        rs.oseq_hi = esn.oseq_hi;
        rs.seq_hi = esn.seq_hi;
        rs.window = esn.replay_window;
        rs.bitmap.resize(esn.bmp_len);
        if (esn.bmp_len) std::memcpy(rs.bitmap.data(), a->data() + sizeof esn, esn.bmp_len * 4);
        r.xfrm.replay = std::move(rs);
    } else if (auto a = attrs.get(XFRMA_REPLAY_VAL, sizeof(xfrm_replay_state))) {
        // Untouched counters are what a new SA starts with: nothing to keep (and no
        // bitmap to allocate for every SA of a dump).
        auto legacy = read_as<xfrm_replay_state>(*a);
        if (legacy.oseq || legacy.seq || legacy.bitmap) {
            model::ReplayState rs;
            rs.oseq = legacy.oseq;
            rs.seq = legacy.seq;
            rs.bitmap = {legacy.bitmap};
            r.xfrm.replay = std::move(rs);
        }
    }
    decode_sa_attrs(p, attrs, r);
    xfrm_lifetime_cur cur = p.curlft;
    if (auto a = attrs.get(XFRMA_LTIME_VAL, sizeof(xfrm_lifetime_cur)))
        cur = read_as<xfrm_lifetime_cur>(*a);
    fill_lifetimes(p.lft, cur, r.hard, r.soft, r.current);
    r.ctx = decode_sec_ctx(attrs);
    r.replay_errors = p.stats.replay;
    r.integrity_failures = p.stats.integrity_failed;
}

void decode_policy(const xfrm_userpolicy_info& p, const Attrs& attrs, Body& body) {
    uint8_t type = XFRM_POLICY_TYPE_MAIN;
    if (auto a = attrs.get(XFRMA_POLICY_TYPE, sizeof(xfrm_userpolicy_type)))
        type = read_as<xfrm_userpolicy_type>(*a).type;
    if (p.sel.family != AF_INET && p.sel.family != AF_INET6)
        throw DecodeError(fmt::format("policy selector family {} is neither inet nor inet6",
                                      p.sel.family));
    model::PolicyRecord& r = body.emplace<model::PolicyRecord>();
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
            q.spi = ntohl(t.id.spi);
            q.share = t.share;
            // A transport template's endpoints are kept when set (a script may name
            // them, and XFRM keeps them), as a tunnel's always are.
            if (t.family == AF_INET || t.family == AF_INET6) {
                const model::IpAddress src = from_xfrm(t.saddr, t.family), dst = from_xfrm(t.id.daddr, t.family);
                if (t.mode == XFRM_MODE_TUNNEL || t.mode == XFRM_MODE_BEET || !src.is_unspecified() ||
                    !dst.is_unspecified()) {
                    q.src = model::Endpoint{src, std::nullopt};
                    q.dst = model::Endpoint{dst, std::nullopt};
                }
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
    auto& x = r.xfrm;
    x.mark = decode_mark(attrs);
    x.if_id = attrs.u32(XFRMA_IF_ID).value_or(0);
    x.flags = p.flags;
    x.share = p.share;
    x.type = type;
    x.ifindex = p.sel.ifindex;
    x.user = p.sel.user;
    x.src_port_mask = model::held_port_mask(r.src.port, ntohs(p.sel.sport_mask));
    x.dst_port_mask = model::held_port_mask(r.dst.port, ntohs(p.sel.dport_mask));
    x.unknown = attrs.unknown(kPolicyAttrs);
    // XFRM reports no reference count. af_key puts the policy's refcount in
    // sadb_msg_reserved, which is 1 (the SPD's own reference) for an idle policy.
    r.msg.reserved = 1;
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

// An SA selector that matches everything (what af_key and `ip xfrm state add` without
// `sel` install) is "no selector" whatever family it names.
model::SaSelector wire::decode_sa_selector(const xfrm_selector& sel) {
    model::SaSelector s;
    const auto zero = wire::zeroed<xfrm_address_t>();
    const bool any = std::memcmp(&sel.saddr, &zero, sizeof zero) == 0 &&
                     std::memcmp(&sel.daddr, &zero, sizeof zero) == 0 && sel.prefixlen_s == 0 &&
                     sel.prefixlen_d == 0 && sel.sport == 0 && sel.sport_mask == 0 &&
                     sel.dport == 0 && sel.dport_mask == 0 && sel.proto == 0 &&
                     sel.ifindex == 0 && sel.user == 0;
    if (any) return s;
    s.family = sel.family;
    const uint16_t fam = sel.family == AF_INET6 ? AF_INET6 : AF_INET;
    s.src = from_xfrm(sel.saddr, fam);
    s.dst = from_xfrm(sel.daddr, fam);
    s.src_prefixlen = sel.prefixlen_s;
    s.dst_prefixlen = sel.prefixlen_d;
    s.src_port = ntohs(sel.sport);
    s.src_port_mask = ntohs(sel.sport_mask);
    s.dst_port = ntohs(sel.dport);
    s.dst_port_mask = ntohs(sel.dport_mask);
    s.proto = sel.proto;
    s.ifindex = sel.ifindex;
    s.user = sel.user;
    return s;
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

bool reply_follows(const Header& reply, std::span<const uint8_t> next) {
    if (next.size() < sizeof(nlmsghdr)) return false;
    const auto h = read_as<nlmsghdr>(next);
    if (h.nlmsg_seq != reply.seq || h.nlmsg_type != reply.type) return false;
    if (h.nlmsg_type != XFRM_MSG_NEWSA) return true;
    // An SA of a protocol setkey has no type for (MIPv6's routing header) decodes to no
    // record: it does not continue the dump's records.
    const auto payload = next.subspan(sizeof(nlmsghdr));
    return payload.size() >= sizeof(xfrm_usersa_info) && satype_of(read_as<xfrm_usersa_info>(payload).id.proto);
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
        Attrs attrs;
        const auto p = fixed_and_attrs<xfrm_usersa_info>(payload, "xfrm_usersa_info", attrs);
        decode_sa(p, attrs, static_cast<uint8_t>(SaState::mature), d.body);
        break;
    }
    case XFRM_MSG_EXPIRE: {
        Attrs attrs;
        const auto e = fixed_and_attrs<xfrm_user_expire>(payload, "xfrm_user_expire", attrs);
        auto state = e.hard ? SaState::dead : SaState::dying;
        decode_sa(e.state, attrs, static_cast<uint8_t>(state), d.body);
        break;
    }
    case XFRM_MSG_DELSA: {
        // Deletion events carry the full state in XFRMA_SA after the SA id.
        Attrs attrs;
        (void)fixed_and_attrs<xfrm_usersa_id>(payload, "xfrm_usersa_id", attrs); // the SA follows in XFRMA_SA
        if (auto a = attrs.get(XFRMA_SA, sizeof(xfrm_usersa_info)))
            decode_sa(read_as<xfrm_usersa_info>(*a), attrs, static_cast<uint8_t>(SaState::dead), d.body);
        break;
    }
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY: {
        Attrs attrs;
        const auto p = fixed_and_attrs<xfrm_userpolicy_info>(payload, "xfrm_userpolicy_info", attrs);
        decode_policy(p, attrs, d.body);
        break;
    }
    case XFRM_MSG_DELPOLICY: {
        Attrs attrs;
        (void)fixed_and_attrs<xfrm_userpolicy_id>(payload, "xfrm_userpolicy_id", attrs); // the policy: XFRMA_POLICY
        if (auto a = attrs.get(XFRMA_POLICY, sizeof(xfrm_userpolicy_info)))
            decode_policy(read_as<xfrm_userpolicy_info>(*a), attrs, d.body);
        break;
    }
    default: break;
    }
    return d;
}

} // namespace setkey::xfrm
