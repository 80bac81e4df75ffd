// -x's one table of kernel event kinds: each XFRM event, the PF_KEY message af_key
// sends for the same change, and the JSON event name (output/event.hpp). Both event
// sources translate through it. XFRM's `other` and PF_KEY's requests and replies
// (REGISTER, DUMP, GET, ...) have no row: they are no event.
#pragma once


#include "output/event.hpp"
#include "pfkey/codec.hpp"
#include "xfrm/monitor.hpp"

namespace setkey::cli {

struct EventKindRow {
    xfrm::Event::Kind xfrm;
    pfkey::MsgType pfkey;
    output::EventKind json; // expire rows: the soft kind; json_kind() picks the hard one
};

const EventKindRow* event_kind(xfrm::Event::Kind kind);
const EventKindRow* event_kind(pfkey::MsgType type);

// The JSON kind of a row's event; `hard`: an expire of the hard limit.
output::EventKind json_kind(const EventKindRow& row, bool hard);

} // namespace setkey::cli
