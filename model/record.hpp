// What a kernel reports about one SA or one policy. Both backends' decoders fill
// these, and every printer (classic, short, JSON, ...) reads only these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/address.hpp"
#include "model/algorithm.hpp"
#include "model/ipsec.hpp"
#include "model/xfrm_attrs.hpp"

namespace setkey::model {

// sadb_sa_state values.
enum class SaState : uint8_t { larval = 0, mature = 1, dying = 2, dead = 3 };
std::string_view sa_state_name(uint8_t state); // "larval", ..., or "unknown"

// One lifetime block (PF_KEY sadb_lifetime; XFRM lifetime cfg/cur).
// 0 means "none/unlimited" as the kernel reports it; JSON turns that into null.
// Linux counts packets only: af_key sends the packet count and limits as
// sadb_lifetime_allocations, so both backends fill `packets` from what they receive.
struct Lifetime {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t add_time = 0; // limits: seconds after add; current: epoch seconds
    uint64_t use_time = 0; // limits: seconds after first use; current: epoch seconds
    friend bool operator==(const Lifetime&, const Lifetime&) = default;
};

// An algorithm as the kernel named it: resolved through the table when possible.
struct AlgorithmRef {
    const Algorithm* alg = nullptr; // null when unknown to the table
    int pfkey_id = 0;               // as reported over PF_KEY (0 = none)
    std::string kernel_name;        // as reported over XFRM ("" over PF_KEY)
    std::optional<std::vector<uint8_t>> key; // present when the kernel sent a key extension
    uint16_t key_bits = 0;
    uint16_t icv_bits = 0;          // XFRM auth-trunc / aead ICV
    friend bool operator==(const AlgorithmRef&, const AlgorithmRef&) = default;
};

// The sadb_msg header fields classic dumps print (sadb_seq, pid, refcnt).
struct MessageInfo {
    uint32_t seq = 0;
    uint32_t pid = 0;
    uint16_t reserved = 0; // refcnt in setkey's dumps
    friend bool operator==(const MessageInfo&, const MessageInfo&) = default;
};

struct SaRecord {
    SaType satype = SaType::esp;
    uint8_t raw_satype = 3;           // as received, for unknown satypes
    IpAddress src, dst;
    uint16_t src_port = 0, dst_port = 0; // sockaddr ports (0 on Linux)
    uint8_t src_proto = 0, dst_proto = 0;
    uint8_t src_prefixlen = 0, dst_prefixlen = 0;
    bool has_sa = true;               // SA extension present
    uint32_t spi = 0;                 // host order
    uint32_t replay = 0;              // window in packets
    uint8_t state = 1;                // SaState, raw
    uint32_t flags = 0;               // sadb_sa_flags
    AlgorithmRef enc, auth, comp;     // comp: IPComp's calg (sadb_sa_encrypt for ipcomp)
    bool aead = false;                // enc holds an AEAD (XFRM only)
    bool has_sa2 = false;
    Mode mode = Mode::any;
    uint32_t reqid = 0;
    uint32_t sa2_sequence = 0;
    uint16_t natt_type = 0;           // 0 = no NAT-T
    uint16_t natt_sport = 0, natt_dport = 0;
    std::optional<IpAddress> natt_oa;
    std::optional<Lifetime> hard, soft, current;
    std::optional<SecurityContext> ctx;
    bool esn = false;                 // XFRM only
    std::optional<uint64_t> replay_errors, integrity_failures; // XFRM stats
    std::optional<Mark> mark;         // XFRMA_MARK (XFRM only)
    uint32_t if_id = 0;               // XFRMA_IF_ID, 0 = none (XFRM only)
    SaAttrs xfrm;                     // the rest XFRM reports (model/xfrm_attrs.hpp)
    MessageInfo msg;
    friend bool operator==(const SaRecord&, const SaRecord&) = default;
};

struct PolicyRecord {
    bool has_selector = true;         // false: per-socket policy without selector (BSD)
    Selector src, dst;
    uint8_t upper = kProtoAny;
    Direction dir = Direction::out;
    uint16_t raw_dir = 2;
    Action action = Action::ipsec;
    uint16_t raw_action = 2;
    uint32_t id = 0;                  // spid
    uint32_t priority = 0;
    std::vector<IpsecRequest> requests; // endpoints carry ports as the kernel sent them
    std::optional<Lifetime> hard, soft, current;
    std::optional<SecurityContext> ctx;
    std::optional<std::string> tag;
    PolicyAttrs xfrm;                 // marks, if_id, flags, ... (XFRM only)
    MessageInfo msg;
    // Linux per-socket policies: id % 8 >= 3.
    bool per_socket() const { return (id % 8) >= 3; }
    friend bool operator==(const PolicyRecord&, const PolicyRecord&) = default;
};

} // namespace setkey::model
