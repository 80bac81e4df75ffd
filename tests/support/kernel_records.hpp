// Records as Linux reports the entries a request made: for tests that play the kernel
// (the sync planner's and the modes' stateful fake).
#pragma once

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model::testing {

inline AlgorithmRef reported(const std::optional<KeyedAlgorithm>& k) {
    AlgorithmRef ref;
    if (!k) return ref;
    ref.alg = k->alg;
    ref.pfkey_id = k->alg->pfkey_id;
    ref.key = k->key;
    ref.key_bits = static_cast<uint16_t>(k->key.size() * 8);
    ref.icv_bits = k->icv_bits ? k->icv_bits : k->alg->icv_bits; // XFRM reports the ICV it uses
    return ref;
}

// An SA as Linux reports it once `add` made it: mode any became transport, no padding
// flags, counters running (replay state and lifetime), the ICV the kernel uses.
inline SaRecord kernel_sa(const AddSa& a) {
    SaRecord r;
    r.satype = a.key.proto.type;
    r.src = a.key.src.addr;
    r.dst = a.key.dst.addr;
    r.spi = a.key.spi;
    r.replay = a.replay;
    r.mode = a.key.mode == Mode::any ? Mode::transport : a.key.mode;
    r.reqid = a.key.reqid;
    r.enc = reported(a.enc);
    r.auth = reported(a.auth);
    if (a.comp) r.comp.alg = a.comp;
    r.ctx = a.ctx;
    r.esn = a.esn;
    r.mark = a.key.mark;
    r.if_id = a.key.if_id;
    r.xfrm = a.xfrm;
    r.xfrm.replay = ReplayState{.oseq = 7, .seq = 5, .bitmap = {0x1f}};
    r.current = Lifetime{.packets = 7, .bytes = 700, .add_time = 1795757075};
    return r;
}

inline PolicyRecord kernel_policy(const SpdEntry& e, uint32_t id) {
    PolicyRecord r;
    r.src = e.src;
    r.dst = e.dst;
    r.upper = e.upper;
    r.dir = e.policy.dir;
    r.action = e.policy.action.value_or(Action::ipsec);
    r.priority = e.policy.priority;
    r.requests = e.policy.requests;
    for (IpsecRequest& q : r.requests) {
        for (auto* end : {&q.src, &q.dst})
            if (*end && !(*end)->port) (*end)->port = 0; // dumps carry port 0
        if (q.level == Level::unique && q.reqid == 0) q.reqid = 16385; // the kernel picks one
    }
    r.ctx = e.ctx;
    r.xfrm = e.xfrm;
    r.id = id * 8; // main policies: id % 8 < 3
    return r;
}

} // namespace setkey::model::testing
