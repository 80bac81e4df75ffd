// What makes two SAs or two policies "the same entry" for --sync and --diff, and when
// a script's entry equals the kernel's. These are the only places that say so: a field
// the kernel adds to its lookup (XFRM marks, interface ids) is added here and every
// plan follows.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model {

// An identity's fields packed into a fixed, zero-filled buffer: comparing and hashing
// the whole buffer is exact, and making one allocates nothing (a sync makes one for
// every entry of the script and of both kernel tables).
template <size_t N>
struct PackedFields {
    std::array<uint8_t, N> bytes{};
    uint8_t size = 0;
    // Fits by construction: each identity's N is the sum of its fields' largest sizes.
    void put(const void* data, size_t n) {
        std::memcpy(bytes.data() + size, data, n);
        size = static_cast<uint8_t>(size + n);
    }
    std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), size}; }
    friend bool operator==(const PackedFields&, const PackedFields&) = default;
};

// The kernel's lookup key of an SA: destination, protocol, SPI and XFRM mark
// (xfrm_state_lookup; af_key's SADB_GET/DELETE). The source is configuration: a
// different one replaces.
struct SaIdentity {
    // address (family, 16 bytes, scope), SA type, SPI, mark (present, value, mask)
    PackedFields<1 + 16 + 4 + 1 + 4 + 1 + 8> fields;
    friend bool operator==(const SaIdentity&, const SaIdentity&) = default;
};
SaIdentity sa_identity(const SaKey& key);
SaIdentity sa_identity(const SaRecord& record);
// The same as bytes, a map key for the printers and -x that tell SAs apart.
inline std::string sa_key(const SaRecord& record) { return std::string(sa_identity(record).fields.view()); }

// The kernel's lookup key of a policy: the whole selector (addresses, prefixes, ports
// and their masks, upper protocol, interface, user), direction, security context, and
// XFRM mark, interface id and policy type (xfrm_policy_bysel_ctx). Priority, action,
// flags and requests are what spdupdate changes in place.
struct PolicyIdentity {
    // two selectors (address, prefix, port, port mask), upper protocol, ifindex, user,
    // direction, mark, if_id, type
    PackedFields<2 * (1 + 16 + 4 + 1 + 2 + 2) + 1 + 4 + 4 + 1 + (1 + 8) + 4 + 1> fields;
    std::string ctx; // the security context's DOI, algorithm and text; empty without one
    friend bool operator==(const PolicyIdentity&, const PolicyIdentity&) = default;
};
PolicyIdentity policy_identity(const SpdEntry& entry);
PolicyIdentity policy_identity(const PolicyRecord& record);

struct IdentityHash {
    size_t operator()(const SaIdentity& id) const { return std::hash<std::string_view>{}(id.fields.view()); }
    size_t operator()(const PolicyIdentity& id) const {
        const size_t h = std::hash<std::string_view>{}(id.fields.view());
        return id.ctx.empty() ? h : h ^ (std::hash<std::string>{}(id.ctx) * 31);
    }
};

// Does the kernel's SA already hold what the script's add asks for? Compared on what
// the kernel keeps (model::readd_sa): counters, times and state do not count, nor the
// padding flags Linux ignores; mode `any` is the transport the kernel makes of it. An
// SA whose algorithm or key the dump does not carry never equals.
bool same_sa(const AddSa& desired, const SaRecord& kernel);
// Does the kernel's policy, of the same identity (the planner finds it by that), already
// hold what the script's spdadd asks for? A `unique` request without reqid equals the
// kernel's with the reqid it generated.
bool same_policy(const SpdEntry& desired, const PolicyRecord& kernel);

} // namespace setkey::model
