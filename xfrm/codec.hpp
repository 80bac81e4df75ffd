// XFRM netlink codec: model commands → request messages, kernel messages → model
// records. Pure functions over byte buffers; no sockets (see CONTRIBUTING.md).
//
// Mapping notes (what PF_KEY setkey semantics become over XFRM):
// - ESP `-E null` is ecb(cipher_null) with an empty key; `-A null` is digest_null.
// - Auth ICVs come from the algorithm table (hmac-sha256: 128 bits per RFC 4868).
// - Mode `any` becomes transport, as af_key does.
// - setkey's sadb_sa_flags (cyclic sequence, random/zero padding, esp-old, raw CPI)
//   have no XFRM equivalent and are not sent; NetBSD's -esp_frag is ignored likewise.
// - ESP replay windows above 32 and ESN use XFRMA_REPLAY_ESN_VAL, as the legacy 32-bit
//   bitmap cannot hold them; dumps then report the real window (PF_KEY would show 0).
//   AH windows stay legacy and the kernel clamps them to 32, as with PF_KEY.
// - Templates: level use → optional; the reqid is sent as given (the grammar only
//   gives one with `unique`).
//
// Decoding fills records as af_key reports the same kernel state, so the classic
// printers print the same text (checked in the qemu lab), except:
// - SA state: XFRM carries none. Dump entries are `mature`, or `larval` when the SA has
//   no algorithm at all (an ACQ state from ALLOCSPI or an acquire); EXPIRE events give
//   `dying` (soft) or `dead` (hard), DELSA events `dead`. A dumped SA past its soft
//   limit therefore shows `mature` where PF_KEY would show `dying`.
// - Policy refcnt: XFRM has none; records carry 1, an idle policy's count (PF_KEY shows
//   1 or 2 depending on transient kernel references).
// - Everything XFRM-only lands in model/xfrm_attrs.hpp's fields (mark, if_id, output
//   mark, SA selector and flags, replay state, ...), and an AddSa/SpdEntry carrying
//   them sends them back, so a dumped entry re-added through model/record_commands is
//   the same entry. Sub policies (XFRMA_POLICY_TYPE sub) are records too, with type 1.
// - AEAD SAs show their cipher and key (PF_KEY shows no algorithm), ESN windows the real
//   size (PF_KEY: 0), a non-zero NAT-T original address is kept (PF_KEY never sends it).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::xfrm {

using Message = std::vector<uint8_t>;

// A command XFRM cannot express (e.g. an algorithm without a Linux crypto name).
// `error` is the errno the backend reports for it.
struct EncodeError : std::runtime_error {
    int error;
    EncodeError(int err, const std::string& what) : std::runtime_error(what), error(err) {}
};

// A kernel message whose lengths do not add up.
struct DecodeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Requests. Every one carries NLM_F_REQUEST; modifying ones also NLM_F_ACK; dumps NLM_F_DUMP.
Message encode_add_sa(const model::AddSa& sa, uint32_t seq);      // NEWSA, UPDSA or ALLOCSPI
Message encode_get_sa(const model::SaKey& key, uint32_t seq);     // GETSA
Message encode_delete_sa(const model::SaKey& key, uint32_t seq);  // DELSA
Message encode_flush_sa(std::optional<model::SaType> type, uint32_t seq);
Message encode_dump_sa(std::optional<model::SaType> type, uint32_t seq);
Message encode_policy(const model::SpdEntry& entry, uint32_t seq); // NEW/UPD/DELPOLICY
Message encode_get_policy(const model::SpdEntry& entry, uint32_t seq); // by selector + dir
Message encode_flush_policies(uint32_t seq);
Message encode_dump_policies(uint32_t seq);
// GETSPDINFO: harmless, needs CAP_NET_ADMIN; used to probe access and as a barrier.
Message encode_spd_info_request(uint32_t seq);

struct Header {
    uint16_t type = 0;
    uint16_t flags = 0;
    uint32_t seq = 0;
    uint32_t pid = 0;
};

// NLMSG_ERROR: error 0 is an ACK; otherwise a positive errno and the kernel's extack text.
struct Ack {
    int error = 0;
    std::string message;
};
// NLMSG_DONE ends a dump; a non-zero error means the dump failed part way.
struct Done {
    int error = 0;
};
// A message setkey has no record for (SPD info, acquire, sub policies, other protocols).
struct Other {};

// SA messages: NEWSA/UPDSA (dumps, GETSA replies, events), EXPIRE (state dying when
// soft, dead when hard), DELSA events (dead). Policy messages: NEWPOLICY/UPDPOLICY,
// DELPOLICY events. MessageInfo is left for the backend to fill.
struct Decoded {
    Header header;
    std::variant<Other, Ack, Done, model::SaRecord, model::PolicyRecord> body;
};

// Splits a received datagram into its netlink messages (each starting with nlmsghdr).
std::vector<std::span<const uint8_t>> split_messages(std::span<const uint8_t> datagram);

// Decodes one netlink message. Attributes without a record field (newer kernels' or
// unknown ones) are kept raw in arrival order (SaAttrs/PolicyAttrs::unknown), counters
// and times aside (LTIME_VAL, LASTUSED); any inconsistent length throws DecodeError.
Decoded decode_message(std::span<const uint8_t> message);

// Is `next`, the message after `reply` in the same datagram, another reply of the same
// type to the same request that decodes to a record? Then `reply` was not the last
// record of its dump.
bool reply_follows(const Header& reply, std::span<const uint8_t> next);

} // namespace setkey::xfrm
