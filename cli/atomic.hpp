// --atomic: a snapshot of the SAD and SPD taken before a load, and the rollback that
// brings the kernel's tables back to it when the kernel refuses a command.
//
// The rollback compares the snapshot with a fresh dump instead of journalling each
// request: batched/pipelined loads, fwd companions, flush and deleteall are then all
// covered without the executor knowing. Dumps list the newest entry first (both Linux
// interfaces walk one list that inserts at its head), so the entries the two dumps
// share at their oldest end are left alone and everything newer is deleted and
// re-added in the snapshot's order; the dump text then comes back in the same order.
// What cannot come back: spids and SA/policy creation times (the kernel assigns
// them), current lifetimes, SA sequence/replay counters over PF_KEY (XFRM re-sends
// the snapshot's), larval SAs (they belong
// to a pending acquire), per-socket policies (never touched) and SAs whose algorithm
// or key the dump did not carry (model/record_commands.hpp turns records into the
// requests). The snapshot holds keys; it lives in memory only and
// is wiped when dropped.
// Batched XFRM loads send a window of requests before their answers arrive, so those
// after the refusal in the same window reach the kernel too; the rollback covers them
// like everything else, and no later window is sent.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/backend.hpp"
#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::cli {

struct RollbackReport {
    unsigned undone = 0;                 // entries deleted or re-added
    std::vector<std::string> failures;   // one line each, without "setkey: "
};

class Snapshot {
public:
    Snapshot() = default;
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;
    ~Snapshot(); // wipes the key bytes it holds
    // Dumps both tables; false (and `error`) when a dump fails.
    bool take(model::Backend& backend, std::string& error);
    // Makes the backend's tables equal to the snapshot again.
    RollbackReport restore(model::Backend& backend) const;

    const std::vector<model::SaRecord>& sas() const { return sas_; }
    const std::vector<model::PolicyRecord>& policies() const { return policies_; }

private:
    std::vector<model::SaRecord> sas_;          // dump order: newest first
    std::vector<model::PolicyRecord> policies_; // dump order: newest first
};

// --atomic over PF_KEY when XFRM cannot be opened: the first snapshot entry a PF_KEY
// restore would not re-create exactly (XFRM-only state: marks, if_id, output mark, SA
// selector, ESN, replay counters, AEAD, policy flags or limits, ...), as
// "<entry> (<what>)"; nullopt when PF_KEY can restore them all.
std::optional<std::string> pfkey_cannot_restore(const Snapshot& snapshot);

// Over --backend pfkey, LoadSession snapshots and restores through XFRM when it opens
// (PF_KEY's dumps lack marks, ICV lengths, ...; af_key cannot add AEAD SAs).

// The stderr lines of a rollback: one summary, then one per failure.
void print_rollback(std::ostream& err, const RollbackReport& report);

class Progress;

// Ends an --atomic load whose changes must not stand: restores `snapshot`, then prints
// the load's summary (through `progress`) and the rollback report.
void roll_back_load(const Snapshot& snapshot, model::Backend& backend, Progress& progress,
                    unsigned statements, unsigned failed);

} // namespace setkey::cli
