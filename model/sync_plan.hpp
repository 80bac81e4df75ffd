// --sync and --diff: what a script says the SAD and SPD shall hold, and the changes
// that bring the kernel's tables there. Pure: statements and dumped records in, a plan
// out; the CLI sends it (cli/sync_mode.cpp) or prints it.
//
// Scope, from the script's own flushes: after `flush;` (`flush esp;`) the SAD (its
// esp SAs) shall hold exactly what the script adds after it, and after `spdflush;` the
// SPD; without a flush a table gets what the script adds or updates and loses only what
// it deletes. Everything else is never touched. An entry equal in script and kernel
// (model/sync_identity.hpp) is left alone, counters and times included.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/command.hpp"
#include "model/identity_index.hpp"
#include "model/record.hpp"
#include "model/sync_identity.hpp"

namespace setkey::model {

// The tables a script describes, built statement by statement.
class SyncTarget {
public:
    // `fwd_companion`: -r, the fwd copy of every `in` policy is part of the target.
    explicit SyncTarget(bool fwd_companion) : fwd_companion_(fwd_companion) {}

    // Takes in one statement. False (and `why`) for what a sync cannot describe: getspi,
    // tagged policies. get, dump and spddump describe nothing and are skipped.
    bool add(Statement&& statement, std::string& why);
    bool add(const Statement& statement, std::string& why) { return add(Statement(statement), why); }
    // Room for `statements` entries of each table up front (a script's count of `;` is an
    // upper bound): no rehashing and no moving of entries while a large script streams in.
    void reserve(size_t statements);

    // (Constructors, not aggregates: clang 14 cannot emplace an aggregate from its fields.)
    struct Sa {
        Sa(AddSa&& a, const SaIdentity& i, unsigned l, size_t o) : add(std::move(a)), id(i), line(l), order(o) {}
        AddSa add;
        SaIdentity id;
        unsigned line = 0;
        size_t order = 0; // its place: script order
    };
    struct Policy {
        Policy(SpdEntry&& e, const PolicyIdentity& i, unsigned l, size_t o)
            : entry(std::move(e)), id(i), line(l), order(o) {}
        SpdEntry entry;
        PolicyIdentity id;
        unsigned line = 0;
        size_t order = 0;
    };

    // What the tables shall hold, in script order (pointers into the target).
    std::vector<const Sa*> sas() const;
    std::vector<const Policy*> policies() const;
    // The entry the script gives for a kernel entry's identity, if any.
    const Sa* find(const SaIdentity& id) const;
    const Policy* find(const PolicyIdentity& id) const;
    // Places `order` takes: a dense index of the entries (with gaps).
    size_t sa_places() const { return sas_.places.size(); }
    size_t policy_places() const { return policies_.places.size(); }
    // A kernel entry not in the target: deleted (true, with the line that says so) or
    // left alone.
    std::optional<unsigned> deletes(const SaRecord& sa) const;
    std::optional<unsigned> deletes(const PolicyRecord& policy) const;

private:
    // Entries in script order, each at its place (`order`), and found by identity. An
    // entry erased or put again leaves its old place empty: the last statement that
    // names an entry decides where it stands.
    template <class Entry, class Id>
    struct Placed {
        std::vector<std::optional<Entry>> places;
        IdentityIndex index; // identity -> place; every place it holds has an entry

        void reserve(size_t n);
        template <class Command> void put(const Id& id, Command&& command, unsigned line);
        void erase(const Id& id);
        template <class Pred> void erase_if(Pred pred);
        void clear();
        const Entry* find(const Id& id) const;
        std::vector<const Entry*> in_order() const;
    };

    void put_policy(SpdEntry&& entry, unsigned line);
    void drop_policy(const SpdEntry& entry, unsigned line);

    bool fwd_companion_;
    Placed<Sa, SaIdentity> sas_;
    Placed<Policy, PolicyIdentity> policies_;
    // Scope: tables (SA types) a flush made exact, with its line.
    std::optional<unsigned> sad_flushed_;
    std::unordered_map<uint8_t, unsigned> sa_type_flushed_;
    std::optional<unsigned> spd_flushed_;
    // Explicit deletes: by identity, and deleteall's (src, dst, type) filters.
    std::unordered_map<SaIdentity, unsigned, IdentityHash> sa_deleted_;
    std::vector<std::pair<DeleteAllSa, unsigned>> deleteall_;
    std::unordered_map<PolicyIdentity, unsigned, IdentityHash> policy_deleted_;
};

struct SyncPlan {
    enum class Op : uint8_t { add, replace, remove };
    struct SaChange {
        Op op;
        AddSa desired;  // add, replace
        SaRecord kernel; // replace, remove
        unsigned line = 0; // the statement that asks for it
    };
    struct PolicyChange {
        Op op; // replace: spdupdate in place
        SpdEntry desired;
        PolicyRecord kernel;
        unsigned line = 0;
    };
    std::vector<SaChange> sa_changes;         // script order, then dump order
    std::vector<PolicyChange> policy_changes;
    size_t unchanged_sas = 0, unchanged_policies = 0;

    bool empty() const { return sa_changes.empty() && policy_changes.empty(); }
    size_t count(Op op) const;
    size_t unchanged() const { return unchanged_sas + unchanged_policies; }

    // The requests that carry the plan out, in an order that never leaves traffic
    // without its SA or policy: new SAs, replaced SAs (delete then add: keys cannot
    // change in place), new and updated policies, then deleted policies before the
    // deleted SAs they may name. Each statement has the line of the change's reason.
    std::vector<Statement> requests() const;
};

// Plans while the dumps stream in: each kernel record is compared as it arrives and
// kept only if it is part of a change, so a table of any size costs what its changes
// do. Larval and dead SAs and per-socket policies take no part (they belong to key
// daemons and sockets).
class SyncPlanner {
public:
    explicit SyncPlanner(const SyncTarget& target);
    void kernel_sa(const SaRecord& record);
    void kernel_policy(const PolicyRecord& record);
    // The plan: adds and replaces in script order, then deletes in dump order.
    SyncPlan finish() &&;

private:
    // Per place of the target: not in the kernel, equal there, or the index of the
    // kernel record it replaces.
    static constexpr int64_t kUnseen = -2, kSame = -1;
    const SyncTarget& target_;
    std::vector<int64_t> sa_state_, policy_state_;
    std::vector<SaRecord> replaced_sas_;
    std::vector<PolicyRecord> replaced_policies_;
    SyncPlan removes_; // the deletes found so far
};

// The same over dumps held whole (tests, small callers).
SyncPlan plan_sync(const SyncTarget& target, std::span<const SaRecord> kernel_sas,
                   std::span<const PolicyRecord> kernel_policies);

} // namespace setkey::model
