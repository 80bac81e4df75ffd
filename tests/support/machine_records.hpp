// Record sets shared by the JSON, JSONL and Prometheus tests.
#pragma once

#include <vector>

#include "support/small_records.hpp"

namespace setkey::output::testing {

// small.conf's SAD (AH included) plus an XFRM AEAD SA: every optional part is
// exercised somewhere (NAT-T, IPComp, IPv6, limits, packets, statistics, ESN).
inline std::vector<model::SaRecord> machine_sad() {
    auto sad = small_sad(318);
    sad.push_back(small_ah_with_lifetimes());
    sad.push_back(xfrm_aead_sa());
    return sad;
}

// A policy with everything optional set, for shape tests.
inline model::PolicyRecord full_policy() {
    auto p = small_spd(319).back();
    p.ctx = model::SecurityContext{1, 2, "system_u:object_r:ipsec_spd_t:s0"};
    p.tag = "web";
    p.requests.front().src->port = 4500;
    p.current->use_time = static_cast<uint64_t>(kSmallAdded + 3);
    p.hard->add_time = 3600;
    return p;
}

} // namespace setkey::output::testing
