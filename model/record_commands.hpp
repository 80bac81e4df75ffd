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

// The key that deletes a dumped SA: addresses, SA type, SPI and mark, nothing else.
// af_key finds the SA to delete by (destination, SPI, protocol) and only checks that
// ADDRESS_SRC is present; XFRM_MSG_DELSA carries xfrm_usersa_id (daddr, spi, family,
// proto), the source address and the mark, which XFRM's lookup matches too (PF_KEY
// records have none). Mode and reqid (SA2)
// and the NAT-T ports play no part in the lookup, so they stay at their defaults:
// a delete sends the same bytes whichever dump the record came from.
SaKey delete_key(const SaRecord& r);

// The key an add of a dumped SA needs: delete_key's, plus mode, reqid, if_id, esp-old
// and the NAT-T encapsulation, ports and original address (readd_sa's key).
SaKey full_key(const SaRecord& r);

// An `add` that recreates a dumped SA with everything the kernel keeps as its
// configuration: the full key (mode, reqid, NAT-T encapsulation and ports, original
// address, esp-old, mark, if_id), replay window, flags, limits (packets and use time
// too), security context, ESN, algorithms, keys and ICV lengths, and every XFRM
// attribute the dump held (model::SaAttrs: output mark, selector, replay counters,
// unknown attributes, ...). nullopt with `why` filled in when the dump lacks something the add needs
// (an algorithm unknown to setkey, a key the dump did not carry).
std::optional<AddSa> readd_sa(const SaRecord& r, std::string& why);

// Whether readd_sa can carry a dumped algorithm over: there is none, or it is known to
// setkey and the dump carried its key (when it has one). same_sa follows the same rule.
// `unnamed`: a key without an algorithm, af_key's id 0 for one PF_KEY has no number for.
enum class Recreate { none, yes, unknown_algorithm, unnamed, no_key };
Recreate recreatable(const AlgorithmRef& a);

// `spdadd` (kind add) or `spddelete` (kind remove) for a dumped policy: selector,
// upper-layer protocol, direction, priority, action, requests, context, limits and
// the XFRM attributes (mark, if_id, flags, share, type, selector ifindex/user/port masks,
// unknown ones). A delete carries the whole entry too, and the record's id: both
// kernels find the policy by that id (a lookup by selector walks the SPD, which made a
// rollback of 200,000 policies quadratic).
SpdEntry policy_entry(const PolicyRecord& r, SpdEntry::Kind kind);

// A dumped lifetime limit as a command's: each bound that is not 0 (unlimited).
LifetimeLimit lifetime_limit(const std::optional<Lifetime>& l);

} // namespace setkey::model
