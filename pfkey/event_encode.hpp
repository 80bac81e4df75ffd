// PF_KEY notifications built from decoded records: the message af_key would have
// broadcast for the same kernel change, so `-x` over XFRM prints what 0.8.2 printed
// over PF_KEY. A record PF_KEY cannot carry (a key beyond 65535 bits, say) makes the
// SA and policy encoders throw EncodeError (codec.hpp). Layouts and extension order follow Linux's own notifications (see
// ipsec-tools' -x output in the qemu lab), not setkey's requests. Pure: no sockets.
#pragma once

#include <cstdint>
#include <optional>

#include "model/record.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey {

// The SA's selector source as af_key reports it in ADDRESS_PROXY; af_key adds that
// extension only when the selector's source differs from the SA's source address.
struct SaProxy {
    model::IpAddress addr;
    uint8_t prefixlen = 0;
    uint8_t proto = model::kProtoAny; // 0 ("any") is reported as 255
};

// Which lifetimes an SA message carries and whether keys go in: ADD/UPDATE/DELETE
// notifications carry HARD, SOFT, CURRENT and the keys; EXPIRE carries the expired
// limit (HARD or SOFT) and CURRENT, no keys.
struct SaLayout {
    bool hard = true;
    bool soft = true;
    bool keys = true;
};
inline constexpr SaLayout kSaChangeLayout{true, true, true};
inline constexpr SaLayout kSoftExpireLayout{false, true, false};
inline constexpr SaLayout kHardExpireLayout{true, false, false};

// add / update / delete / expire: SA, [LIFETIME_HARD], [LIFETIME_SOFT],
// LIFETIME_CURRENT, ADDRESS_SRC, ADDRESS_DST, [ADDRESS_PROXY], [KEY_AUTH],
// [KEY_ENCRYPT], X_SA2, [X_NAT_T_TYPE, X_NAT_T_SPORT, X_NAT_T_DPORT], [X_SEC_CTX].
// AEAD SAs get algorithm ids 0 and no keys, as af_key (its tables have no AEAD).
Bytes encode_sa_notify(MsgType type, const model::SaRecord& sa, const SaLayout& layout,
                       const std::optional<SaProxy>& proxy, RequestId id);

// spdadd / spdupdate / spddelete / spdexpire: ADDRESS_SRC, ADDRESS_DST,
// LIFETIME_HARD, LIFETIME_SOFT, LIFETIME_CURRENT, X_POLICY (+ ipsecrequests),
// [X_SEC_CTX]; sadb_msg_reserved carries the record's reference count.
Bytes encode_policy_notify(MsgType type, const model::PolicyRecord& policy, RequestId id);

// flush (satype as given: 0 for all) and spdflush: a bare header.
Bytes encode_flush_notify(MsgType type, uint8_t satype, RequestId id);

// acquire: ADDRESS_SRC, ADDRESS_DST, X_POLICY (type ipsec, the policy's direction,
// id and priority, no requests), PROPOSAL (replay 32). af_key lists in the proposal a
// combination per pair of loaded algorithms the template's masks allow; templates made
// over PF_KEY have empty masks (no combinations, so this is exact for them), but XFRM
// does not say which algorithms the kernel has loaded, so none are listed here.
Bytes encode_acquire_notify(model::SaType satype, const model::IpAddress& src,
                            const model::IpAddress& dst, const model::PolicyRecord& policy,
                            RequestId id);

} // namespace setkey::pfkey
