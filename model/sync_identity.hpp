// What makes two SAs or two policies "the same entry" for --sync and --diff, and when
// a script's entry equals the kernel's. These are the only places that say so: a field
// the kernel adds to its lookup (XFRM marks, interface ids) is added here and every
// plan follows.
#pragma once

#include <cstddef>
#include <string>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model {

// The kernel's lookup key of an SA: destination, protocol, SPI and XFRM mark
// (xfrm_state_lookup; af_key's SADB_GET/DELETE). The source is configuration: a
// different one replaces.
struct SaIdentity {
    std::string bytes; // compact encoding of the fields, for hashing and equality
    friend bool operator==(const SaIdentity&, const SaIdentity&) = default;
};
SaIdentity sa_identity(const SaKey& key);
SaIdentity sa_identity(const SaRecord& record);

// The kernel's lookup key of a policy: selector (addresses, prefixes, ports, upper
// protocol), direction, security context, and XFRM mark, interface id and policy type
// (xfrm_policy_bysel_ctx). Priority, action, flags and requests are what spdupdate
// changes in place.
struct PolicyIdentity {
    std::string bytes;
    friend bool operator==(const PolicyIdentity&, const PolicyIdentity&) = default;
};
PolicyIdentity policy_identity(const SpdEntry& entry);
PolicyIdentity policy_identity(const PolicyRecord& record);

struct IdentityHash {
    size_t operator()(const SaIdentity& id) const { return std::hash<std::string>{}(id.bytes); }
    size_t operator()(const PolicyIdentity& id) const { return std::hash<std::string>{}(id.bytes); }
};

// Does the kernel's SA already hold what the script's add asks for? Compared on what
// the kernel keeps (model::readd_sa): counters, times and state do not count, nor the
// padding flags Linux ignores; mode `any` is the transport the kernel makes of it. An
// SA whose algorithm or key the dump does not carry never equals.
bool same_sa(const AddSa& desired, const SaRecord& kernel);
// Does the kernel's policy already hold what the script's spdadd asks for? A `unique`
// request without reqid equals the kernel's with the reqid it generated.
bool same_policy(const SpdEntry& desired, const PolicyRecord& kernel);

} // namespace setkey::model
