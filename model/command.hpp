// Script commands after parsing and validation: what the grammar produces and
// what both kernel backends consume. Plain values; no kernel knowledge here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/address.hpp"
#include "model/algorithm.hpp"
#include "model/ipsec.hpp"
#include "model/xfrm_attrs.hpp"

namespace setkey::model {

// `esp`, `ah`, `esp-old`, `ah-old`, `ipcomp`, `esp-udp [OA]`, `tcp`.
struct SaProtocol {
    SaType type = SaType::esp;
    bool old = false;                 // esp-old / ah-old (RFC 1827/1826)
    bool udp_encap = false;           // esp-udp: NAT-T type 2
    // With udp_encap: type 1 (espinudp-nonike) instead, which an IKE daemon may set and
    // no script says; a restore keeps it.
    bool non_ike = false;
    std::optional<IpAddress> natt_oa; // esp-udp's optional original address
    friend bool operator==(const SaProtocol&, const SaProtocol&) = default;
};

struct KeyedAlgorithm {
    const Algorithm* alg = nullptr;
    std::vector<uint8_t> key; // raw bytes; empty for null
    // XFRM: the ICV length to ask for (auth-trunc, AEAD); 0 = the algorithm table's.
    // A restore sets it from the dump (an SA made with another truncation keeps it).
    uint16_t icv_bits = 0;
    friend bool operator==(const KeyedAlgorithm&, const KeyedAlgorithm&) = default;
};

// -lh/-bh and -ls/-bs: seconds since add, and bytes. Packets and seconds since first
// use have no script syntax; a restore carries them from the dump.
struct LifetimeLimit {
    std::optional<uint64_t> add_seconds;
    std::optional<uint64_t> bytes;
    std::optional<uint64_t> packets;
    std::optional<uint64_t> use_seconds;
    bool empty() const { return !add_seconds && !bytes && !packets && !use_seconds; }
    friend bool operator==(const LifetimeLimit&, const LifetimeLimit&) = default;
};

// Identifies one SA: what get/delete send (SA, SA2, ADDRESS_SRC, ADDRESS_DST).
struct SaKey {
    Endpoint src, dst;
    SaProtocol proto;
    uint32_t spi = 0;
    Mode mode = Mode::any; // -m (obsolete for get/delete, still sent in SA2)
    uint32_t reqid = 0;    // -u
    // XFRM only: the kernel finds an SA by (dst, spi, proto) and its mark; if_id
    // is not part of the lookup but belongs to the SA that add creates.
    std::optional<Mark> mark; // -mark VALUE[/MASK]
    uint32_t if_id = 0;       // -if_id ID (0 = none)
    friend bool operator==(const SaKey&, const SaKey&) = default;
};

// add / update (NetBSD) / getspi (NetBSD). A new field also goes into same_sa
// (model/sync_identity.cpp), which compares field by field.
struct AddSa {
    enum class Kind : uint8_t { add, update, getspi } kind = Kind::add;
    SaKey key;
    uint32_t replay = 0;                 // -r, in packets
    uint32_t flags = kSaFlagCyclicSeq;   // sadb_sa_flags: pads, nocyclic-seq, old, ...
    LifetimeLimit hard, soft;
    std::optional<SecurityContext> ctx;
    std::optional<KeyedAlgorithm> enc;   // -E (also AEAD)
    std::optional<KeyedAlgorithm> auth;  // -A
    const Algorithm* comp = nullptr;     // -C
    std::optional<uint16_t> esp_frag;    // NetBSD -esp_frag (esp-udp only)
    bool esn = false;                    // extended sequence numbers (XFRM only)
    SaAttrs xfrm;                        // -output_mark; a restore's full XFRM state
    friend bool operator==(const AddSa&, const AddSa&) = default;
};

struct GetSa { SaKey key; friend bool operator==(const GetSa&, const GetSa&) = default; };
struct DeleteSa { SaKey key; friend bool operator==(const DeleteSa&, const DeleteSa&) = default; };

// deleteall SRC DST PROTO [-mark V[/M]]: every SA between two hosts; with a mark
// (XFRM only), only those whose mark is exactly that value and mask.
struct DeleteAllSa {
    IpAddress src, dst;
    SaProtocol proto;
    std::optional<Mark> mark;
    friend bool operator==(const DeleteAllSa&, const DeleteAllSa&) = default;
};

struct FlushSa { std::optional<SaType> type; friend bool operator==(const FlushSa&, const FlushSa&) = default; };
struct DumpSa { std::optional<SaType> type; friend bool operator==(const DumpSa&, const DumpSa&) = default; };

// spdadd / spdupdate / spddelete with a selector.
struct SpdEntry {
    enum class Kind : uint8_t { add, update, remove } kind = Kind::add;
    Selector src, dst;
    uint8_t upper = kProtoAny;            // upper-layer protocol, 255 = any
    // icmp/icmp6/mh `type,code` and gre keys travel in the selector ports, as KAME does;
    // these record that a misc spec was given (the values are in src.port/dst.port).
    bool has_misc = false;
    std::optional<SecurityContext> ctx;
    Policy policy;
    PolicyAttrs xfrm;                     // -mark/-if_id; a restore's full XFRM state
    LifetimeLimit hard, soft;             // XFRM policy limits (no syntax; a restore's)
    // A delete made from a dumped policy: the kernel's id (spid) of that policy, which
    // both kernels look up directly (XFRM by index, PF_KEY with SPDDELETE2) instead of
    // walking every policy for the selector. 0: by selector, as a script's spddelete.
    uint32_t kernel_id = 0;
    friend bool operator==(const SpdEntry&, const SpdEntry&) = default;
};

// spdadd/spdupdate tagged "TAG" POLICY (PF tags; BSD only).
struct SpdTagged {
    bool update = false;
    std::string tag;
    Policy policy;
    friend bool operator==(const SpdTagged&, const SpdTagged&) = default;
};

struct FlushSpd { friend bool operator==(const FlushSpd&, const FlushSpd&) = default; };
struct DumpSpd { friend bool operator==(const DumpSpd&, const DumpSpd&) = default; };
struct Exit { friend bool operator==(const Exit&, const Exit&) = default; };

using Command = std::variant<AddSa, GetSa, DeleteSa, DeleteAllSa, FlushSa, DumpSa, SpdEntry,
                             SpdTagged, FlushSpd, DumpSpd, Exit>;

// Where a statement sits in its script: the first token, and the line holding its
// `;` (the line ipsec-tools reports in "The result of line N").
struct SourcePos {
    unsigned line = 0;
    unsigned column = 0;
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

struct Statement {
    Command command;
    SourcePos begin;
    unsigned end_line = 0;
};

// Short name of a command for messages: "add", "spdadd", "deleteall", ...
std::string_view command_name(const Command& c);

} // namespace setkey::model
