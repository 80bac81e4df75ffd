// The PF_KEY notification af_key broadcasts for a kernel change, from the change as
// any backend saw it (model records plus what the event said): `-x` over XFRM prints
// these so its output reads as 0.8.2's over PF_KEY. The messages themselves are built
// by event_encode.hpp; this picks which one, with which layout. Pure: no sockets.
#pragma once

#include <cstdint>
#include <optional>

#include "model/record.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"

namespace setkey::pfkey {

struct Change {
    // add, update, del, expire, flush, spdadd, spdupdate, spddelete, spdexpire,
    // spdflush or acquire; anything else has no notification.
    MsgType type = MsgType::add;
    const model::SaRecord* sa = nullptr;         // SA changes; acquire: the wanted SA
    const model::PolicyRecord* policy = nullptr; // policy changes; acquire: the policy
    bool hard = false;                  // expire: the hard limit (else the soft one)
    std::optional<SaProxy> proxy;       // SA changes: the SA selector's source
    uint8_t flushed_satype = 0;         // flush: the SA type flushed, 0 for all
    RequestId id;                       // the request behind the change (pid, seq)
    uint32_t acquire_seq = 0;           // acquire: the larval state's sequence number
};

// The message for `change`; empty when it has none or lacks the record it needs.
Bytes change_notification(const Change& change);

} // namespace setkey::pfkey
