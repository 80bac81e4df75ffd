#include "pfkey/event_encode.hpp"

#include <sys/socket.h>

#include <algorithm>

#include "pfkey/message_writer.hpp"

namespace setkey::pfkey {
namespace {

using namespace wire; // the message-building helpers shared with the other encoder

// Limits and the current block share one layout; a lifetime the record lacks is zeros.
void put_lifetime(Writer& w, ExtType type, const std::optional<model::Lifetime>& l) {
    const model::Lifetime v = l.value_or(model::Lifetime{});
    // af_key puts the packet count or limit in the allocations field.
    wire::put_lifetime(w, type, static_cast<uint32_t>(v.packets), v.bytes, v.add_time, v.use_time);
}

void put_key(Writer& w, ExtType type, const model::AlgorithmRef& alg) {
    // The record's 16-bit key_bits cannot say a longer XFRM key: then the bytes count.
    const bool bits_fit = (alg.key_bits + 7u) / 8 == alg.key->size();
    wire::put_key(w, type, count16(bits_fit ? alg.key_bits : alg.key->size() * 8, "key bits"), *alg.key);
}

uint8_t alg_id(const model::AlgorithmRef& a) {
    return a.pfkey_id > 0 && a.pfkey_id < 256 ? static_cast<uint8_t>(a.pfkey_id) : 0;
}

bool has_key(const model::AlgorithmRef& a) { return a.key && !a.key->empty(); }

} // namespace

Bytes encode_sa_notify(MsgType type, const model::SaRecord& sa, const SaLayout& layout,
                       const std::optional<SaProxy>& proxy, RequestId id) {
    const bool ipcomp = sa.satype == model::SaType::ipcomp;
    Writer w = start_message(type, sa.raw_satype, id, 0);

    auto e = zeroed<sadb_sa>();
    e.sadb_sa_spi = htonl(sa.spi);
    // ESN windows have no PF_KEY form; af_key reports 0 for them.
    e.sadb_sa_replay = static_cast<uint8_t>(sa.esn ? 0 : std::min<uint32_t>(sa.replay, 255));
    e.sadb_sa_state = sa.state;
    e.sadb_sa_auth = sa.aead ? uint8_t{0} : alg_id(sa.auth);
    e.sadb_sa_encrypt = sa.aead ? uint8_t{0} : ipcomp ? alg_id(sa.comp) : alg_id(sa.enc);
    e.sadb_sa_flags = sa.flags;
    w.ext(ExtType::sa, e);

    if (layout.hard) put_lifetime(w, ExtType::lifetime_hard, sa.hard);
    if (layout.soft) put_lifetime(w, ExtType::lifetime_soft, sa.soft);
    put_lifetime(w, ExtType::lifetime_current, sa.current);
    put_address(w, ExtType::address_src, sa.src_proto, sa.src_prefixlen, sa.src, 0);
    put_address(w, ExtType::address_dst, sa.dst_proto, sa.dst_prefixlen, sa.dst, 0);
    if (proxy) {
        model::IpAddress a = proxy->addr;
        a.family = sa.src.family; // af_key writes the selector in the SA's family
        put_address(w, ExtType::address_proxy, proxy->proto ? proxy->proto : model::kProtoAny,
                    proxy->prefixlen, a, 0);
    }
    if (layout.keys && !sa.aead) {
        if (has_key(sa.auth)) put_key(w, ExtType::key_auth, sa.auth);
        if (!ipcomp && has_key(sa.enc)) put_key(w, ExtType::key_encrypt, sa.enc);
    }

    put_sa2(w, sa.mode, sa.sa2_sequence, sa.reqid);

    if (sa.natt_type) {
        put_natt_type(w, static_cast<uint8_t>(sa.natt_type));
        put_port(w, ExtType::x_nat_t_sport, sa.natt_sport);
        put_port(w, ExtType::x_nat_t_dport, sa.natt_dport);
    }
    if (sa.ctx) put_sec_ctx(w, *sa.ctx);
    return finish_message(w);
}

Bytes encode_policy_notify(MsgType type, const model::PolicyRecord& p, RequestId id) {
    Writer w = start_message(type, 0, id, p.msg.reserved);
    put_address(w, ExtType::address_src, p.upper, p.src.prefixlen, p.src.addr, p.src.port);
    put_address(w, ExtType::address_dst, p.upper, p.dst.prefixlen, p.dst.addr, p.dst.port);
    put_lifetime(w, ExtType::lifetime_hard, p.hard);
    put_lifetime(w, ExtType::lifetime_soft, p.soft);
    put_lifetime(w, ExtType::lifetime_current, p.current);

    size_t at = begin_policy(w, p.raw_action, static_cast<uint8_t>(p.raw_dir), p.id, p.priority);
    for (const model::IpsecRequest& r : p.requests) put_ipsec_request(w, r);
    w.end_ext(at);
    if (p.ctx) put_sec_ctx(w, *p.ctx);
    return finish_message(w);
}

Bytes encode_flush_notify(MsgType type, uint8_t satype, RequestId id) {
    Writer w = start_message(type, satype, id, 0);
    return finish_message(w);
}

Bytes encode_acquire_notify(model::SaType satype, const model::IpAddress& src,
                            const model::IpAddress& dst, const model::PolicyRecord& policy,
                            RequestId id) {
    Writer w = start_message(MsgType::acquire, static_cast<uint8_t>(satype), id, 0);
    put_address(w, ExtType::address_src, 0, static_cast<uint8_t>(src.full_prefix()), src, 0);
    put_address(w, ExtType::address_dst, 0, static_cast<uint8_t>(dst.full_prefix()), dst, 0);
    w.end_ext(begin_policy(w, static_cast<uint16_t>(model::Action::ipsec), static_cast<uint8_t>(policy.raw_dir),
                           policy.id, policy.priority));
    // The proposal: af_key's replay window of 32, and no combinations (see the header).
    auto prop = zeroed<sadb_prop>();
    prop.sadb_prop_replay = 32;
    w.ext(ExtType::proposal, prop);
    return finish_message(w);
}

} // namespace setkey::pfkey
