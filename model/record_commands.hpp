// Commands that act on what a dump returned: the key that deletes a dumped SA, the
// `add` that recreates it and the `spdadd`/`spddelete` for a dumped policy. deleteall
// and --atomic's rollback (and the coming --sync) all go through these, so a record is
// turned into a request the same way everywhere.
#pragma once

#include <optional>
#include <string>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model {

// The key that deletes a dumped SA: addresses, SA type and SPI, nothing else.
// Both kernels find the SA to delete by (destination, SPI, protocol) alone: af_key
// looks it up with exactly these and only checks that ADDRESS_SRC is present;
// XFRM_MSG_DELSA carries xfrm_usersa_id (daddr, spi, family, proto) and the source
// address (a mark would join them once the model has marks). Mode and reqid (SA2)
// and the NAT-T ports play no part in the lookup, so they stay at their defaults:
// a delete sends the same bytes whichever dump the record came from.
SaKey delete_key(const SaRecord& r);

// An `add` that recreates a dumped SA with everything the kernel keeps as its
// configuration: the full key (mode, reqid, NAT-T encapsulation and ports, original
// address, esp-old), replay window, flags, limits, security context, ESN, algorithms
// and keys. nullopt with `why` filled in when the dump lacks something the add needs
// (an algorithm unknown to setkey, a key the dump did not carry).
std::optional<AddSa> readd_sa(const SaRecord& r, std::string& why);

// `spdadd` (kind add) or `spddelete` (kind remove) for a dumped policy: selector,
// upper-layer protocol, direction, priority, action, requests and context. A delete
// carries the whole entry too; both kernels match it by selector, direction and
// context and ignore the rest.
SpdEntry policy_entry(const PolicyRecord& r, SpdEntry::Kind kind);

} // namespace setkey::model
