// Requests: model commands → XFRM netlink messages.
#include "xfrm/codec.hpp"

#include <arpa/inet.h>
#include <linux/ipsec.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "model/wire_limits.hpp"
#include "xfrm/wire.hpp"

namespace setkey::xfrm {
namespace {

using model::Family;
using model::IpAddress;
using wire::align4;
using wire::attr_name;
using wire::zeroed;

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
    l.soft_packet_limit = limit(soft.packets);
    l.hard_packet_limit = limit(hard.packets);
    l.soft_add_expires_seconds = soft.add_seconds.value_or(0);
    l.hard_add_expires_seconds = hard.add_seconds.value_or(0);
    l.soft_use_expires_seconds = soft.use_seconds.value_or(0);
    l.hard_use_expires_seconds = hard.use_seconds.value_or(0);
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
    a.alg_icv_len = k.icv_bits ? k.icv_bits : k.alg->icv_bits;
    b.attr(XFRMA_ALG_AEAD, Builder::bytes_of(a), k.key);
}

void put_auth(Builder& b, const model::KeyedAlgorithm& k) {
    auto a = algo_head<xfrm_algo_auth>(*k.alg, k.key.size());
    a.alg_trunc_len = k.icv_bits ? k.icv_bits : k.alg->icv_bits;
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

void put_mark(Builder& b, const std::optional<model::Mark>& m) {
    if (!m) return;
    auto x = zeroed<xfrm_mark>();
    x.v = m->value;
    x.m = m->mask;
    b.attr_struct(XFRMA_MARK, x);
}

void put_u32(Builder& b, uint16_t type, uint32_t v) { b.attr_struct(type, v); }

void put_unknown(Builder& b, const std::vector<model::RawAttribute>& raw) {
    for (const auto& a : raw) b.attr(a.type, a.payload);
}

// The kernel finds an SA by (daddr, spi, proto) and its mark.
Message encode_sa_id(uint16_t type, const model::SaKey& key, uint32_t seq) {
    Builder b(type, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.fixed(sa_id(key));
    b.attr_struct(XFRMA_SRCADDR, to_xfrm(key.src.addr));
    put_mark(b, key.mark);
    return b.finish();
}

xfrm_selector sa_selector(const model::SaSelector& s, uint16_t family) {
    auto sel = zeroed<xfrm_selector>();
    // No selector: one matching everything in the SA's family, as af_key installs.
    sel.family = s.family ? s.family : family;
    if (s.family == 0) return sel;
    sel.saddr = to_xfrm(s.src);
    sel.daddr = to_xfrm(s.dst);
    sel.prefixlen_s = s.src_prefixlen;
    sel.prefixlen_d = s.dst_prefixlen;
    sel.sport = htons(s.src_port);
    sel.sport_mask = htons(s.src_port_mask);
    sel.dport = htons(s.dst_port);
    sel.dport_mask = htons(s.dst_port_mask);
    sel.proto = s.proto;
    sel.ifindex = s.ifindex;
    sel.user = s.user;
    return sel;
}

xfrm_usersa_info sa_info(const model::AddSa& sa) {
    const auto& key = sa.key;
    auto p = zeroed<xfrm_usersa_info>();
    p.family = sa_family(key);
    // With XFRM_STATE_AF_UNSPEC the kernel keeps a family-less selector (strongSwan's
    // SAs); without it an empty one takes the SA's family.
    p.sel = sa_selector(sa.xfrm.selector, (sa.xfrm.flags & XFRM_STATE_AF_UNSPEC) ? 0 : p.family);
    p.flags = sa.xfrm.flags;
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

void put_replay_state(Builder& b, const model::ReplayState& r) {
    if (!r.esn_format) {
        auto x = zeroed<xfrm_replay_state>();
        x.oseq = r.oseq;
        x.seq = r.seq;
        x.bitmap = r.bitmap.empty() ? 0 : r.bitmap.front();
        b.attr_struct(XFRMA_REPLAY_VAL, x);
        return;
    }
    const size_t words = std::max<size_t>(r.bitmap.size(), (r.window + 31) / 32);
    if (words * 4 > XFRMA_REPLAY_ESN_MAX)
        throw EncodeError(EINVAL, fmt::format("replay window {} is too large", r.window));
    auto x = zeroed<xfrm_replay_state_esn>();
    x.bmp_len = static_cast<uint32_t>(words);
    x.oseq = r.oseq;
    x.seq = r.seq;
    x.oseq_hi = r.oseq_hi;
    x.seq_hi = r.seq_hi;
    x.replay_window = r.window;
    std::vector<uint32_t> bitmap = r.bitmap;
    bitmap.resize(words, 0);
    b.attr(XFRMA_REPLAY_ESN_VAL, Builder::bytes_of(x),
           {reinterpret_cast<const uint8_t*>(bitmap.data()), bitmap.size() * 4});
}

// Marks, interface id and everything of model::SaAttrs besides flags, selector and replay.
void put_sa_attrs(Builder& b, const model::AddSa& sa) {
    const auto& x = sa.xfrm;
    put_mark(b, sa.key.mark);
    if (sa.key.if_id) put_u32(b, XFRMA_IF_ID, sa.key.if_id);
    if (x.output_mark) {
        put_u32(b, XFRMA_SET_MARK, x.output_mark->value);
        put_u32(b, XFRMA_SET_MARK_MASK, x.output_mark->mask);
    }
    if (x.extra_flags) put_u32(b, XFRMA_SA_EXTRA_FLAGS, x.extra_flags);
    if (x.offload) {
        auto o = zeroed<xfrm_user_offload>();
        o.ifindex = x.offload->ifindex;
        o.flags = x.offload->flags;
        b.attr_struct(XFRMA_OFFLOAD_DEV, o);
    }
    if (x.srcaddr) b.attr_struct(XFRMA_SRCADDR, to_xfrm(*x.srcaddr));
    if (x.coaddr) b.attr_struct(XFRMA_COADDR, to_xfrm(*x.coaddr));
    if (x.tfcpad) put_u32(b, XFRMA_TFCPAD, x.tfcpad);
    if (x.mtimer_thresh) put_u32(b, XFRMA_MTIMER_THRESH, *x.mtimer_thresh);
    put_unknown(b, x.unknown);
}

void put_encap(Builder& b, const model::AddSa& sa) {
    auto e = zeroed<xfrm_encap_tmpl>();
    e.encap_type = sa.key.proto.non_ike ? UDP_ENCAP_ESPINUDP_NON_IKE : UDP_ENCAP_ESPINUDP;
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
    // The kernel files the larval SA under this mark and interface id; the update that
    // completes it must find it there.
    put_mark(b, sa.key.mark);
    if (sa.key.if_id) put_u32(b, XFRMA_IF_ID, sa.key.if_id);
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
    s.sport_mask = htons(model::port_mask(e.src.port, e.xfrm.src_port_mask));
    s.dport = htons(e.dst.port);
    s.dport_mask = htons(model::port_mask(e.dst.port, e.xfrm.dst_port_mask));
    s.proto = e.upper == model::kProtoAny ? 0 : e.upper;
    s.ifindex = e.xfrm.ifindex;
    s.user = e.xfrm.user;
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
    t.id.spi = htonl(r.spi);
    t.share = r.share;
    t.reqid = r.reqid;
    t.optional = r.level == model::Level::use ? 1 : 0;
    t.aalgos = t.ealgos = t.calgos = ~0u; // any algorithm, as af_key templates allow
    return t;
}

// What the kernel's policy lookup uses besides selector, direction and context.
void put_policy_keys(Builder& b, const model::PolicyAttrs& x) {
    put_mark(b, x.mark);
    if (x.if_id) put_u32(b, XFRMA_IF_ID, x.if_id);
    if (x.type != XFRM_POLICY_TYPE_MAIN) {
        auto t = zeroed<xfrm_userpolicy_type>();
        t.type = x.type;
        b.attr_struct(XFRMA_POLICY_TYPE, t);
    }
}

Message encode_policy_change(const model::SpdEntry& e, uint32_t seq) {
    bool update = e.kind == model::SpdEntry::Kind::update;
    Builder b(update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto p = zeroed<xfrm_userpolicy_info>();
    p.sel = selector_of(e);
    p.lft = lifetime_cfg(e.hard, e.soft);
    p.priority = e.policy.priority;
    p.flags = e.xfrm.flags;
    p.share = e.xfrm.share;
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
    put_policy_keys(b, e.xfrm);
    put_unknown(b, e.xfrm.unknown);
    return b.finish();
}

Message encode_policy_id(uint16_t type, uint16_t flags, const model::SpdEntry& e, uint32_t seq) {
    Builder b(type, flags, seq);
    auto id = zeroed<xfrm_userpolicy_id>();
    id.sel = selector_of(e);
    id.dir = xfrm_dir(e.policy.dir);
    id.index = e.kernel_id; // when set, the kernel looks the policy up by it (xfrm_policy_byid)
    b.fixed(id);
    if (e.ctx) put_sec_ctx(b, *e.ctx);
    put_policy_keys(b, e.xfrm);
    return b.finish();
}
} // namespace

Message encode_add_sa(const model::AddSa& sa, uint32_t seq) {
    if (sa.kind == model::AddSa::Kind::getspi) return encode_getspi(sa, seq);
    bool update = sa.kind == model::AddSa::Kind::update;
    Builder b(update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK, seq);
    auto p = sa_info(sa);
    bool esp = sa.key.proto.type == model::SaType::esp;
    const auto& replay = sa.xfrm.replay;
    if (sa.esn) p.flags |= XFRM_STATE_ESN;
    if (replay) {
        // A restore: the state as dumped, counters included, so the peer's packets
        // are not taken for replays (the kernel takes these values on NEWSA).
        if (!replay->esn_format) p.replay_window = static_cast<uint8_t>(std::min<uint32_t>(sa.replay, 255));
    } else if (needs_esn_replay(sa)) {
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
    if (replay)
        put_replay_state(b, *replay);
    else if (needs_esn_replay(sa))
        put_replay_esn(b, sa);
    if (sa.ctx) put_sec_ctx(b, *sa.ctx);
    put_sa_attrs(b, sa);
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
} // namespace setkey::xfrm
