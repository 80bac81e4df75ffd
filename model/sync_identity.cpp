#include "model/sync_identity.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>

#include "model/record_commands.hpp"

namespace setkey::model {
namespace {

template <class Fields> void put(Fields& f, const void* data, size_t n) { f.put(data, n); }
template <class Fields, class T> void put(Fields& f, T v) { f.put(&v, sizeof v); }
template <class Fields> void put(Fields& f, const IpAddress& a) {
    put(f, static_cast<uint8_t>(a.family));
    put(f, a.bytes.data(), a.size());
    put(f, a.scope_id);
}
template <class Fields> void put(Fields& f, const Selector& sel) {
    put(f, sel.addr);
    put(f, sel.prefixlen);
    put(f, sel.port);
}
template <class Fields> void put(Fields& f, const std::optional<Mark>& m) {
    // A mark of 0/0 is no mark: the kernel dumps none for it (xfrm_mark_put).
    const bool marked = m && (m->value != 0 || m->mask != 0);
    put(f, static_cast<uint8_t>(marked));
    if (marked) {
        put(f, m->value);
        put(f, m->mask);
    }
}

SaIdentity make_sa_identity(const IpAddress& dst, SaType type, uint32_t spi, const std::optional<Mark>& mark) {
    SaIdentity id;
    put(id.fields, dst);
    put(id.fields, static_cast<uint8_t>(type));
    put(id.fields, spi);
    put(id.fields, mark);
    return id;
}

PolicyIdentity make_policy_identity(const Selector& src, const Selector& dst, uint8_t upper, Direction dir,
                                    const std::optional<SecurityContext>& ctx, const PolicyAttrs& xfrm) {
    PolicyIdentity id;
    put(id.fields, src);
    put(id.fields, port_mask(src.port, xfrm.src_port_mask));
    put(id.fields, dst);
    put(id.fields, port_mask(dst.port, xfrm.dst_port_mask));
    put(id.fields, upper);
    put(id.fields, xfrm.ifindex);
    put(id.fields, xfrm.user);
    put(id.fields, static_cast<uint8_t>(dir));
    put(id.fields, xfrm.mark);
    put(id.fields, xfrm.if_id);
    put(id.fields, xfrm.type);
    if (ctx) {
        id.ctx += static_cast<char>(ctx->doi);
        id.ctx += static_cast<char>(ctx->alg);
        id.ctx += ctx->context;
    }
    return id;
}

// A limit as the kernel keeps it: a bound of 0 is no bound.
LifetimeLimit kept(LifetimeLimit l) {
    if (l.add_seconds == 0u) l.add_seconds.reset();
    if (l.bytes == 0u) l.bytes.reset();
    if (l.packets == 0u) l.packets.reset();
    if (l.use_seconds == 0u) l.use_seconds.reset();
    return l;
}

// An SA's key as the kernel keeps it: mode any is the transport the kernel makes of it,
// ports exist only with NAT-T, a mark of 0/0 is dumped as none, and esp-old/ah-old are
// the SA without old (neither af_key nor XFRM keeps SADB_X_EXT_OLD).
SaKey kept(SaKey key) {
    key.proto.old = false;
    if (key.mode == Mode::any) key.mode = Mode::transport;
    if (!key.proto.udp_encap) key.src.port = key.dst.port = std::nullopt;
    if (key.mark && key.mark->value == 0 && key.mark->mask == 0) key.mark.reset();
    return key;
}

// An ICV of 0 asks for the table's; a dump reports the length itself.
uint16_t kept_icv(const Algorithm* alg, uint16_t icv_bits) {
    return alg && icv_bits == 0 ? alg->icv_bits : icv_bits;
}

// The script's algorithm against the dump's, as readd_sa recreates the dump's (an
// algorithm unknown to setkey, or a key the dump did not carry, never equals). The key
// bytes are compared where they are: copying them was four allocations per SA.
bool same_algorithm(const std::optional<KeyedAlgorithm>& want, const AlgorithmRef& have) {
    switch (recreatable(have)) {
    case Recreate::none: return !want;
    case Recreate::unknown_algorithm:
    case Recreate::unnamed:
    case Recreate::no_key: return false;
    case Recreate::yes: break;
    }
    if (!want || want->alg != have.alg) return false;
    std::span<const uint8_t> have_key;
    if (have.key) have_key = *have.key;
    // `-E null` takes no key; the kernel keeps whatever key another tool gave it, unused.
    return (!want->alg->takes_key || std::ranges::equal(want->key, have_key)) &&
           kept_icv(want->alg, want->icv_bits) == kept_icv(have.alg, have.icv_bits);
}

IpsecRequest kept(IpsecRequest r) {
    for (std::optional<Endpoint>* e : {&r.src, &r.dst})
        if (*e && (*e)->port == 0u) (*e)->port.reset();
    return r;
}

// Compared one by one (requests hold no heap memory): a sync compares every policy of
// the table, and copying both lists was two allocations per policy.
bool same_request(const IpsecRequest& want, const IpsecRequest& have_as_dumped) {
    IpsecRequest w = kept(want);
    const IpsecRequest have = kept(have_as_dumped);
    // af_key takes and reports no endpoints for a transport template; XFRM keeps them.
    if (w.mode == Mode::transport && !have.src && !have.dst) {
        w.src.reset();
        w.dst.reset();
    }
    // `unique` without a number: the kernel picked the reqid.
    if (w.level == Level::unique && w.reqid == 0 && have.level == Level::unique && have.reqid > kManualReqidMax)
        w.reqid = have.reqid;
    return w == have;
}

} // namespace

SaIdentity sa_identity(const SaKey& key) {
    return make_sa_identity(key.dst.addr, key.proto.type, key.spi, key.mark);
}
SaIdentity sa_identity(const SaRecord& r) { return make_sa_identity(r.dst, r.satype, r.spi, r.mark); }

PolicyIdentity policy_identity(const SpdEntry& e) {
    return make_policy_identity(e.src, e.dst, e.upper, e.policy.dir, e.ctx, e.xfrm);
}
PolicyIdentity policy_identity(const PolicyRecord& r) {
    return make_policy_identity(r.src, r.dst, r.upper, r.dir, r.ctx, r.xfrm);
}

// Field by field what readd_sa would recreate from the dump, compared with the script's
// add. A field added to AddSa is equal here until it is named below (comparing whole
// copies took every field, but copied the keys): add it, and a case to SameSa.*, which
// holds this to the readd_sa definition for every field it changes. Not compared: the
// kind, the padding flags Linux ignores, esp_frag, and of the XFRM-only state all but
// the output mark (the mark and if_id are in the key; the rest is the kernel's or an
// IKE daemon's).
bool same_sa(const AddSa& desired, const SaRecord& kernel) {
    if (kernel.satype == SaType::ipcomp && !kernel.comp.alg) return false; // unknown to setkey
    // An ESP SA without a cipher is one PF_KEY could not name (readd_sa refuses it).
    if (kernel.satype == SaType::esp && !kernel.aead && recreatable(kernel.enc) == Recreate::none) return false;
    const Algorithm* comp = kernel.satype == SaType::ipcomp ? kernel.comp.alg : nullptr;
    return kept(desired.key) == kept(full_key(kernel)) && desired.replay == kernel.replay &&
           kept(desired.hard) == lifetime_limit(kernel.hard) &&
           kept(desired.soft) == lifetime_limit(kernel.soft) && desired.ctx == kernel.ctx &&
           same_algorithm(desired.enc, kernel.enc) &&
           (kernel.aead ? !desired.auth : same_algorithm(desired.auth, kernel.auth)) && desired.comp == comp &&
           desired.esn == kernel.esn && desired.xfrm.output_mark == kernel.xfrm.output_mark;
}

bool same_policy(const SpdEntry& desired, const PolicyRecord& kernel) {
    if (desired.policy.priority != kernel.priority) return false;
    if (desired.policy.action.value_or(Action::ipsec) != kernel.action) return false;
    if (desired.xfrm.flags != kernel.xfrm.flags || desired.xfrm.share != kernel.xfrm.share) return false;
    // No script option says a policy's limits, so one the kernel holds (an IKE daemon's)
    // differs from the script's policy.
    if (kept(desired.hard) != lifetime_limit(kernel.hard) || kept(desired.soft) != lifetime_limit(kernel.soft))
        return false;
    const std::vector<IpsecRequest>& want = desired.policy.requests;
    const std::vector<IpsecRequest>& have = kernel.requests;
    if (want.size() != have.size()) return false;
    for (size_t i = 0; i < want.size(); ++i)
        if (!same_request(want[i], have[i])) return false;
    return true;
}

} // namespace setkey::model
