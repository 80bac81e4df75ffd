// PF_KEY encoding: model commands in, request bytes out (codec.hpp), laid out as
// ipsec-tools 0.8.2 builds them.
#include "pfkey/codec.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include <fmt/format.h>

#include "pfkey/message_writer.hpp"

namespace setkey::pfkey {
namespace {

using namespace wire; // the message-building helpers shared with the other encoder

constexpr uint8_t kNattEspInUdp = 2; // UDP_ENCAP_ESPINUDP
constexpr uint16_t kNattDefaultPort = 4500;

uint8_t satype_of(std::optional<model::SaType> t) {
    return static_cast<uint8_t>(t.value_or(model::SaType::unspec));
}

void put_key(Writer& w, ExtType type, const std::vector<uint8_t>& key) {
    wire::put_key(w, type, count16(key.size() * 8, "key bits"), key);
}

void put_lifetime(Writer& w, ExtType type, const model::LifetimeLimit& l) {
    // Linux's af_key reads allocations as the packet limit; only a restore sets it.
    wire::put_lifetime(w, type, static_cast<uint32_t>(l.packets.value_or(0)), l.bytes.value_or(0),
                       l.add_seconds.value_or(0), l.use_seconds.value_or(0));
}

// The state stays 0: KAME sends LARVAL, Linux ignores it.
void put_sa(Writer& w, uint32_t spi, uint8_t replay, uint8_t auth, uint8_t enc, uint32_t flags) {
    auto e = zeroed<sadb_sa>();
    e.sadb_sa_spi = htonl(spi);
    e.sadb_sa_replay = replay;
    e.sadb_sa_auth = auth;
    e.sadb_sa_encrypt = enc;
    e.sadb_sa_flags = flags;
    w.ext(ExtType::sa, e);
}

uint8_t full_prefix(const model::IpAddress& a) { return static_cast<uint8_t>(a.full_prefix()); }

void put_sa_addresses(Writer& w, const model::SaKey& k) {
    put_address(w, ExtType::address_src, model::kProtoAny, full_prefix(k.src.addr), k.src.addr,
                k.src.port.value_or(0));
    put_address(w, ExtType::address_dst, model::kProtoAny, full_prefix(k.dst.addr), k.dst.addr,
                k.dst.port.value_or(0));
}

// get and delete identify the SA the way 0.8.2 does: an SA extension with only the
// SPI (and the default CYCSEQ flag), SA2, and the two addresses.
Bytes encode_sa_id(MsgType type, const model::SaKey& k, RequestId id) {
    Writer w = start_message(type, static_cast<uint8_t>(k.proto.type), id);
    put_sa(w, k.spi, 0, 0, 0, model::kSaFlagCyclicSeq);
    put_sa2(w, k.mode, 0, k.reqid);
    put_sa_addresses(w, k);
    return finish_message(w);
}

Bytes encode_bare(MsgType type, uint8_t satype, RequestId id) {
    Writer w = start_message(type, satype, id);
    return finish_message(w);
}

uint8_t alg_id(const model::Algorithm* a) {
    return a && a->pfkey_id > 0 ? static_cast<uint8_t>(a->pfkey_id) : 0;
}

} // namespace

Bytes encode_add_sa(const model::AddSa& sa, RequestId id) {
    static constexpr MsgType kTypes[] = {MsgType::add, MsgType::update, MsgType::getspi};
    const model::SaKey& k = sa.key;
    const bool ipcomp = k.proto.type == model::SaType::ipcomp;
    Writer w = start_message(kTypes[static_cast<int>(sa.kind)], static_cast<uint8_t>(k.proto.type), id);

    // A cipher always gets a KEY_ENCRYPT, even `null` with 0 bits (Linux needs it for
    // ESP); an auth algorithm only when it has key bytes (`-A null` sends none).
    if (!ipcomp && sa.enc) put_key(w, ExtType::key_encrypt, sa.enc->key);
    if (sa.auth && !sa.auth->key.empty()) put_key(w, ExtType::key_auth, sa.auth->key);
    if (!sa.hard.empty()) put_lifetime(w, ExtType::lifetime_hard, sa.hard);
    if (!sa.soft.empty()) put_lifetime(w, ExtType::lifetime_soft, sa.soft);
    if (sa.ctx) put_sec_ctx(w, *sa.ctx);

    uint32_t flags = sa.flags;
    if (k.proto.old) flags |= model::kSaFlagOld;
    if (sa.enc && sa.enc->alg) flags |= sa.enc->alg->sa_flags;
    const uint8_t enc = ipcomp ? alg_id(sa.comp) : sa.enc ? alg_id(sa.enc->alg) : 0;
    if (sa.replay > 0xff)
        throw EncodeError(EMSGSIZE, fmt::format("replay window {} does not fit sadb_sa_replay (8 bits)", sa.replay));
    put_sa(w, k.spi, static_cast<uint8_t>(sa.replay), sa.auth ? alg_id(sa.auth->alg) : 0, enc,
           flags);
    put_sa2(w, k.mode, 0, k.reqid);

    if (k.proto.udp_encap) {
        put_natt_type(w, k.proto.non_ike ? model::kNattNonIke : kNattEspInUdp);
        if (k.proto.natt_oa)
            put_address(w, ExtType::x_nat_t_oa, 0, full_prefix(*k.proto.natt_oa), *k.proto.natt_oa, 0);
    }
    put_sa_addresses(w, k);
    if (k.proto.udp_encap) {
        put_port(w, ExtType::x_nat_t_sport, k.src.port.value_or(kNattDefaultPort));
        put_port(w, ExtType::x_nat_t_dport, k.dst.port.value_or(kNattDefaultPort));
    }
    if (sa.kind == model::AddSa::Kind::getspi && k.spi != 0) {
        auto range = zeroed<sadb_spirange>();
        range.sadb_spirange_min = k.spi; // as 0.8.2 sends them: not in network order
        range.sadb_spirange_max = k.spi;
        w.ext(ExtType::spirange, range);
    }
    return finish_message(w);
}

Bytes encode_get_sa(const model::SaKey& key, RequestId id) { return encode_sa_id(MsgType::get, key, id); }

Bytes encode_delete_sa(const model::SaKey& key, RequestId id) {
    return encode_sa_id(MsgType::del, key, id);
}

Bytes encode_dump_sa(std::optional<model::SaType> type, RequestId id) {
    return encode_bare(MsgType::dump, satype_of(type), id);
}

Bytes encode_flush_sa(std::optional<model::SaType> type, RequestId id) {
    return encode_bare(MsgType::flush, satype_of(type), id);
}

Bytes encode_policy(const model::SpdEntry& e, RequestId id) {
    if (e.kind == model::SpdEntry::Kind::remove && e.kernel_id != 0) {
        // By the kernel's id: af_key reads the id (and from it the direction) alone.
        Writer w = start_message(MsgType::spddelete2, 0, id);
        w.end_ext(begin_policy(w, static_cast<uint16_t>(e.policy.action.value_or(model::Action::discard)),
                               static_cast<uint8_t>(e.policy.dir), e.kernel_id, 0));
        return finish_message(w);
    }
    static constexpr MsgType kTypes[] = {MsgType::spdadd, MsgType::spdupdate, MsgType::spddelete};
    Writer w = start_message(kTypes[static_cast<int>(e.kind)], 0, id);

    // A direction-only policy (`spddelete ... -P out;`) goes out as type 0 with
    // priority 0, as 0.8.2's policy parser leaves them. The id is the kernel's to assign.
    size_t at = begin_policy(w, static_cast<uint16_t>(e.policy.action.value_or(model::Action::discard)),
                             static_cast<uint8_t>(e.policy.dir), 0, e.policy.action ? e.policy.priority : 0);
    for (const model::IpsecRequest& r : e.policy.requests) put_ipsec_request(w, r);
    w.end_ext(at);

    put_address(w, ExtType::address_src, e.upper, e.src.prefixlen, e.src.addr, e.src.port);
    put_address(w, ExtType::address_dst, e.upper, e.dst.prefixlen, e.dst.addr, e.dst.port);
    if (e.ctx) put_sec_ctx(w, *e.ctx);
    return finish_message(w);
}

Bytes encode_flush_policies(RequestId id) { return encode_bare(MsgType::spdflush, 0, id); }
Bytes encode_dump_policies(RequestId id) { return encode_bare(MsgType::spddump, 0, id); }

Bytes encode_register(model::SaType type, RequestId id) {
    return encode_bare(MsgType::register_, static_cast<uint8_t>(type), id);
}

Bytes encode_promisc(RequestId id) { return encode_bare(MsgType::promisc, 1, id); }

} // namespace setkey::pfkey
