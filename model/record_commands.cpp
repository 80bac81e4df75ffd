#include "model/record_commands.hpp"

namespace setkey::model {
namespace {

std::optional<KeyedAlgorithm> keyed(const AlgorithmRef& a, const char* what, std::string& why) {
    switch (recreatable(a)) {
    case Recreate::none: return std::nullopt;
    case Recreate::unnamed:
        why = std::string("an ") + what + " key whose algorithm the kernel did not name (PF_KEY has no id for it; "
                                          "dump with --backend xfrm)";
        return std::nullopt;
    case Recreate::unknown_algorithm: why = std::string(what) + " algorithm unknown to setkey"; return std::nullopt;
    case Recreate::no_key: why = std::string("the dump carried no ") + what + " key"; return std::nullopt;
    case Recreate::yes: break;
    }
    // The ICV as dumped (XFRM reports it; an SA made with another truncation keeps it).
    return KeyedAlgorithm{a.alg, a.key.value_or(std::vector<uint8_t>{}), a.icv_bits};
}

} // namespace

Recreate recreatable(const AlgorithmRef& a) {
    if (!a.alg && a.pfkey_id == 0 && a.kernel_name.empty())
        return a.key || a.key_bits != 0 ? Recreate::unnamed : Recreate::none;
    if (!a.alg) return Recreate::unknown_algorithm;
    if (!a.key && a.key_bits > 0) return Recreate::no_key;
    return Recreate::yes;
}

SaKey full_key(const SaRecord& r) {
    SaKey key = delete_key(r);
    key.proto.old = (r.flags & kSaFlagOld) != 0;
    key.proto.udp_encap = r.natt_type != 0;
    key.proto.natt_oa = r.natt_oa;
    key.proto.non_ike = r.natt_type == kNattNonIke;
    if (r.natt_type != 0) {
        key.src.port = r.natt_sport;
        key.dst.port = r.natt_dport;
    }
    key.mode = r.mode;
    key.reqid = r.reqid;
    key.if_id = r.if_id;
    return key;
}

SaKey delete_key(const SaRecord& r) {
    SaKey key;
    key.src.addr = r.src;
    key.dst.addr = r.dst;
    key.proto.type = r.satype;
    key.spi = r.spi;
    key.mark = r.mark; // XFRM's lookup matches it (two SAs may differ by mark alone)
    return key;
}

std::optional<AddSa> readd_sa(const SaRecord& r, std::string& why) {
    AddSa sa;
    sa.key = full_key(r);
    sa.replay = r.replay;
    sa.flags = r.flags;
    sa.hard = lifetime_limit(r.hard);
    sa.soft = lifetime_limit(r.soft);
    sa.ctx = r.ctx;
    sa.esn = r.esn;
    sa.xfrm = r.xfrm;
    why.clear();
    if (r.natt_type != 0 && r.natt_type != kNattEspInUdp && r.natt_type != kNattNonIke) {
        why = "NAT-T encapsulation of type " + std::to_string(r.natt_type) + ", which setkey cannot add";
        return std::nullopt;
    }
    sa.enc = keyed(r.enc, "encryption", why);
    if (!why.empty()) return std::nullopt;
    // Every ESP SA has a cipher (null is one); af_key names none for AEAD algorithms
    // and the ciphers it has no id for.
    if (r.satype == SaType::esp && !sa.enc && !r.aead) {
        why = "no encryption algorithm in the dump (PF_KEY has no id for AEAD and newer ciphers; dump with "
              "--backend xfrm)";
        return std::nullopt;
    }
    if (!r.aead) {
        sa.auth = keyed(r.auth, "authentication", why);
        if (!why.empty()) return std::nullopt;
    }
    if (r.satype == SaType::ipcomp) {
        if (!r.comp.alg) {
            why = "compression algorithm unknown to setkey";
            return std::nullopt;
        }
        sa.comp = r.comp.alg;
    }
    return sa;
}

SpdEntry policy_entry(const PolicyRecord& r, SpdEntry::Kind kind) {
    SpdEntry e;
    e.kind = kind;
    e.src = r.src;
    e.dst = r.dst;
    e.upper = r.upper;
    e.ctx = r.ctx;
    e.policy.dir = r.dir;
    e.policy.priority = r.priority;
    e.policy.action = r.action;
    e.policy.requests = r.requests;
    e.xfrm = r.xfrm;
    e.hard = lifetime_limit(r.hard);
    e.soft = lifetime_limit(r.soft);
    if (kind == SpdEntry::Kind::remove) e.kernel_id = r.id;
    return e;
}

LifetimeLimit lifetime_limit(const std::optional<Lifetime>& l) {
    LifetimeLimit out;
    if (l && l->add_time) out.add_seconds = l->add_time;
    if (l && l->bytes) out.bytes = l->bytes;
    if (l && l->packets) out.packets = l->packets;
    if (l && l->use_time) out.use_seconds = l->use_time;
    return out;
}

} // namespace setkey::model
