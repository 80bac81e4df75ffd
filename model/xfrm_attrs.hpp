// What XFRM keeps about an SA or a policy beyond the PF_KEY-shaped fields of
// model/record.hpp: marks, interface ids, output marks, the SA's own selector, replay
// state, extra flags, offload, care-of addresses, TFC padding and any attribute
// setkey does not know yet (kept as raw bytes so a restore sends it back).
//
// Records carry these as the XFRM decoder found them (PF_KEY fills nothing: af_key
// has no extension for them); commands carry them for the XFRM encoder (the script
// language's -mark/-if_id/-output_mark, and --atomic's restore, which re-adds a
// record with everything it held). Every field's "absent" value is the one the
// kernel gives an entry made without the attribute, so a default-constructed struct
// means "plain ipsec-tools state" and the classic printers print nothing extra.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/address.hpp"

namespace setkey::model {

// XFRMA_MARK / XFRMA_SET_MARK(+_MASK): a value and the bits of skb->mark it tests or sets.
struct Mark {
    uint32_t value = 0;
    uint32_t mask = 0xffffffffu;
    friend bool operator==(const Mark&, const Mark&) = default;
};

// xfrm_usersa_info.sel: the traffic an SA may carry (strongSwan sets it; setkey's and
// ip's SAs leave it empty). Family 0 means "no selector".
struct SaSelector {
    uint16_t family = 0;          // AF_INET / AF_INET6, 0 = none
    IpAddress src, dst;
    uint8_t src_prefixlen = 0, dst_prefixlen = 0;
    uint16_t src_port = 0, src_port_mask = 0; // host order
    uint16_t dst_port = 0, dst_port_mask = 0;
    uint8_t proto = 0;            // 0 = any
    int32_t ifindex = 0;
    uint32_t user = 0;
    bool empty() const { return family == 0 && proto == 0 && ifindex == 0 && user == 0; }
    friend bool operator==(const SaSelector&, const SaSelector&) = default;
};

// XFRMA_REPLAY_VAL (legacy 32-bit bitmap) or XFRMA_REPLAY_ESN_VAL (any window).
struct ReplayState {
    bool esn_format = false;      // true: XFRMA_REPLAY_ESN_VAL
    uint32_t oseq = 0, seq = 0;
    uint32_t oseq_hi = 0, seq_hi = 0;   // ESN format only
    uint32_t window = 0;                // ESN format: replay_window
    std::vector<uint32_t> bitmap;       // legacy: one word
    friend bool operator==(const ReplayState&, const ReplayState&) = default;
};

// XFRMA_OFFLOAD_DEV: xfrm_user_offload.
struct Offload {
    int32_t ifindex = 0;
    uint8_t flags = 0;
    friend bool operator==(const Offload&, const Offload&) = default;
};

// An attribute setkey has no field for: its type and payload as the kernel sent it.
struct RawAttribute {
    uint16_t type = 0;
    std::vector<uint8_t> payload;
    friend bool operator==(const RawAttribute&, const RawAttribute&) = default;
};

// SA attributes besides mark and if_id (those identify the SA: they live in SaKey and
// SaRecord themselves).
struct SaAttrs {
    std::optional<Mark> output_mark;       // XFRMA_SET_MARK (+ XFRMA_SET_MARK_MASK)
    uint8_t flags = 0;                     // xfrm_usersa_info.flags (XFRM_STATE_*)
    uint32_t extra_flags = 0;              // XFRMA_SA_EXTRA_FLAGS
    SaSelector selector;
    std::optional<ReplayState> replay;     // counters: a restore puts them back too
    std::optional<Offload> offload;
    std::optional<IpAddress> srcaddr;      // XFRMA_SRCADDR (MIPv6)
    std::optional<IpAddress> coaddr;       // XFRMA_COADDR (MIPv6)
    uint32_t tfcpad = 0;                   // XFRMA_TFCPAD
    std::optional<uint32_t> mtimer_thresh; // XFRMA_MTIMER_THRESH
    std::vector<RawAttribute> unknown;     // in the order received
    bool empty() const { return *this == SaAttrs{}; }
    friend bool operator==(const SaAttrs&, const SaAttrs&) = default;
};

// Policy attributes. Mark and if_id take part in the kernel's policy lookup (two
// policies with the same selector and direction but different marks are two entries).
struct PolicyAttrs {
    std::optional<Mark> mark;              // XFRMA_MARK
    uint32_t if_id = 0;                    // XFRMA_IF_ID, 0 = none
    uint8_t flags = 0;                     // xfrm_userpolicy_info.flags (LOCALOK, ICMP)
    uint8_t share = 0;                     // xfrm_userpolicy_info.share
    uint8_t type = 0;                      // XFRMA_POLICY_TYPE: 0 main, 1 sub
    int32_t ifindex = 0;                   // selector ifindex
    uint32_t user = 0;                     // selector user (uid)
    // Selector port masks (host order) where they are not the ones the port implies
    // (0xffff for a port, 0 for any): ICMP type 0, a key daemon's port range.
    std::optional<uint16_t> src_port_mask, dst_port_mask;
    std::vector<RawAttribute> unknown;
    bool empty() const { return *this == PolicyAttrs{}; }
    friend bool operator==(const PolicyAttrs&, const PolicyAttrs&) = default;
};

// The mask a selector port travels with: the one the kernel holds, or the one the port
// implies (what af_key and a script's policy get).
inline uint16_t port_mask(uint16_t port, const std::optional<uint16_t>& held) {
    return held.value_or(port ? uint16_t{0xffff} : uint16_t{0});
}
// What a policy record keeps of a dumped mask: nothing when the port implies it.
inline std::optional<uint16_t> held_port_mask(uint16_t port, uint16_t mask) {
    if (mask == port_mask(port, std::nullopt)) return std::nullopt;
    return mask;
}

} // namespace setkey::model
