#include "model/sync_plan.hpp"

#include <algorithm>
#include <utility>

#include "model/linux_rules.hpp"
#include "model/record_commands.hpp"

namespace setkey::model {
namespace {

bool takes_part(const SaRecord& r) {
    return r.state == static_cast<uint8_t>(SaState::mature) || r.state == static_cast<uint8_t>(SaState::dying);
}
bool takes_part(const PolicyRecord& r) { return r.has_selector && !r.per_socket(); }

Statement statement(Command command, unsigned line) { return Statement{std::move(command), {line, 1}, line}; }

} // namespace

template <class Entry, class Id>
void SyncTarget::Placed<Entry, Id>::reserve(size_t n) {
    places.reserve(n);
    index.reserve(n);
}

namespace {
// The index's test for "the entry at this place has identity `id`".
template <class Entry, class Id>
auto holds(const std::vector<std::optional<Entry>>& places, const Id& id) {
    return [&places, &id](IdentityIndex::Place p) { return places[p]->id == id; };
}
} // namespace

template <class Entry, class Id>
template <class Command>
void SyncTarget::Placed<Entry, Id>::put(const Id& id, Command&& command, unsigned line) {
    const size_t order = places.size();
    if (const auto old = index.put(IdentityHash{}(id), static_cast<IdentityIndex::Place>(order), holds(places, id)))
        places[*old].reset();
    places.emplace_back(std::in_place, std::forward<Command>(command), id, line, order); // made where it stays
}

template <class Entry, class Id>
void SyncTarget::Placed<Entry, Id>::erase(const Id& id) {
    if (const auto old = index.erase(IdentityHash{}(id), holds(places, id))) places[*old].reset();
}

template <class Entry, class Id>
template <class Pred>
void SyncTarget::Placed<Entry, Id>::erase_if(Pred pred) {
    index.erase_if([&](IdentityIndex::Place p) {
        std::optional<Entry>& place = places[p];
        if (!pred(*place)) return false;
        place.reset();
        return true;
    });
}

template <class Entry, class Id>
void SyncTarget::Placed<Entry, Id>::clear() {
    places.clear();
    index.clear();
}

template <class Entry, class Id>
const Entry* SyncTarget::Placed<Entry, Id>::find(const Id& id) const {
    const auto p = index.find(IdentityHash{}(id), holds(places, id));
    return p ? &*places[*p] : nullptr;
}

template <class Entry, class Id>
std::vector<const Entry*> SyncTarget::Placed<Entry, Id>::in_order() const {
    std::vector<const Entry*> out;
    out.reserve(index.size());
    for (const std::optional<Entry>& place : places)
        if (place) out.push_back(&*place);
    return out;
}

void SyncTarget::reserve(size_t statements) {
    sas_.reserve(statements);
    // -r puts a fwd copy beside every `in` policy.
    policies_.reserve(fwd_companion_ ? statements + statements / 2 : statements);
}

bool SyncTarget::add(Statement&& s, std::string& why) {
    const unsigned line = s.end_line;
    return std::visit(
        [&](auto& cmd) -> bool {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, AddSa>) {
                if (cmd.kind == AddSa::Kind::getspi) {
                    why = "getspi asks the kernel for an SPI; a sync cannot compare it";
                    return false;
                }
                const SaIdentity id = sa_identity(cmd.key);
                sas_.put(id, std::move(cmd), line);
                if (!sa_deleted_.empty()) sa_deleted_.erase(id); // no hashing in the common case
            } else if constexpr (std::is_same_v<T, DeleteSa>) {
                const SaIdentity id = sa_identity(cmd.key);
                sas_.erase(id);
                sa_deleted_[id] = line;
            } else if constexpr (std::is_same_v<T, DeleteAllSa>) {
                sas_.erase_if([&](const Sa& sa) { return deleteall_takes(cmd, sa.add.key); });
                deleteall_.emplace_back(cmd, line);
            } else if constexpr (std::is_same_v<T, FlushSa>) {
                if (!cmd.type) {
                    sas_.clear();
                    sad_flushed_ = line;
                } else {
                    sas_.erase_if([&](const Sa& sa) { return sa.add.key.proto.type == *cmd.type; });
                    sa_type_flushed_[static_cast<uint8_t>(*cmd.type)] = line;
                }
            } else if constexpr (std::is_same_v<T, SpdEntry>) {
                std::optional<SpdEntry> fwd = fwd_companion_ ? fwd_companion(cmd) : std::nullopt;
                if (cmd.kind == SpdEntry::Kind::remove) {
                    drop_policy(cmd, line);
                    if (fwd) drop_policy(*fwd, line);
                } else {
                    put_policy(std::move(cmd), line);
                    if (fwd) put_policy(std::move(*fwd), line);
                }
            } else if constexpr (std::is_same_v<T, FlushSpd>) {
                policies_.clear();
                spd_flushed_ = line;
            } else if constexpr (std::is_same_v<T, SpdTagged>) {
                why = "tagged policies need a BSD kernel";
                return false;
            }
            // get, dump, spddump and exit describe no entry.
            return true;
        },
        s.command);
}

void SyncTarget::put_policy(SpdEntry&& entry, unsigned line) {
    const PolicyIdentity id = policy_identity(entry);
    policies_.put(id, std::move(entry), line);
    if (!policy_deleted_.empty()) policy_deleted_.erase(id);
}

void SyncTarget::drop_policy(const SpdEntry& entry, unsigned line) {
    const PolicyIdentity id = policy_identity(entry);
    policies_.erase(id);
    policy_deleted_[id] = line;
}

std::vector<const SyncTarget::Sa*> SyncTarget::sas() const { return sas_.in_order(); }
std::vector<const SyncTarget::Policy*> SyncTarget::policies() const { return policies_.in_order(); }
const SyncTarget::Sa* SyncTarget::find(const SaIdentity& id) const { return sas_.find(id); }
const SyncTarget::Policy* SyncTarget::find(const PolicyIdentity& id) const { return policies_.find(id); }

std::optional<unsigned> SyncTarget::deletes(const SaRecord& sa) const {
    if (sad_flushed_) return sad_flushed_;
    if (auto it = sa_type_flushed_.find(static_cast<uint8_t>(sa.satype)); it != sa_type_flushed_.end())
        return it->second;
    if (auto it = sa_deleted_.find(sa_identity(sa)); it != sa_deleted_.end()) return it->second;
    for (const auto& [all, line] : deleteall_)
        if (deleteall_takes(all, sa)) return line;
    return std::nullopt;
}

std::optional<unsigned> SyncTarget::deletes(const PolicyRecord& policy) const {
    if (spd_flushed_) return spd_flushed_;
    if (auto it = policy_deleted_.find(policy_identity(policy)); it != policy_deleted_.end()) return it->second;
    return std::nullopt;
}

size_t SyncPlan::count(Op op) const {
    size_t n = 0;
    for (const SaChange& c : sa_changes) n += c.op == op;
    for (const PolicyChange& c : policy_changes) n += c.op == op;
    return n;
}

std::vector<Statement> SyncPlan::requests() const {
    std::vector<Statement> out;
    for (const SaChange& c : sa_changes)
        if (c.op == Op::add) out.push_back(statement(c.desired, c.line));
    for (const SaChange& c : sa_changes) {
        if (c.op != Op::replace) continue;
        out.push_back(statement(DeleteSa{delete_key(c.kernel)}, c.line));
        out.push_back(statement(c.desired, c.line));
    }
    for (const PolicyChange& c : policy_changes) {
        if (c.op == Op::remove) continue;
        SpdEntry e = c.desired;
        e.kind = c.op == Op::add ? SpdEntry::Kind::add : SpdEntry::Kind::update;
        out.push_back(statement(e, c.line));
    }
    for (const PolicyChange& c : policy_changes)
        if (c.op == Op::remove) out.push_back(statement(policy_entry(c.kernel, SpdEntry::Kind::remove), c.line));
    for (const SaChange& c : sa_changes)
        if (c.op == Op::remove) out.push_back(statement(DeleteSa{delete_key(c.kernel)}, c.line));
    return out;
}

SyncPlanner::SyncPlanner(const SyncTarget& target)
    : target_(target), sa_state_(target.sa_places(), kUnseen), policy_state_(target.policy_places(), kUnseen) {}

void SyncPlanner::kernel_sa(const SaRecord& r) {
    if (!takes_part(r)) return;
    const SaIdentity id = sa_identity(r);
    if (const SyncTarget::Sa* want = target_.find(id)) {
        int64_t& state = sa_state_[want->order];
        if (state != kUnseen) return; // the kernel's lookup key is unique: never twice
        if (same_sa(want->add, r)) {
            state = kSame;
        } else {
            state = static_cast<int64_t>(replaced_sas_.size());
            replaced_sas_.push_back(r);
        }
        return;
    }
    if (const auto line = target_.deletes(r)) removes_.sa_changes.push_back({SyncPlan::Op::remove, {}, r, *line});
}

void SyncPlanner::kernel_policy(const PolicyRecord& r) {
    if (!takes_part(r)) return;
    if (const SyncTarget::Policy* want = target_.find(policy_identity(r))) {
        int64_t& state = policy_state_[want->order];
        if (state != kUnseen) return;
        if (same_policy(want->entry, r)) {
            state = kSame;
        } else {
            state = static_cast<int64_t>(replaced_policies_.size());
            replaced_policies_.push_back(r);
        }
        return;
    }
    if (const auto line = target_.deletes(r))
        removes_.policy_changes.push_back({SyncPlan::Op::remove, {}, r, *line});
}

SyncPlan SyncPlanner::finish() && {
    using Op = SyncPlan::Op;
    SyncPlan plan;
    for (const SyncTarget::Sa* want : target_.sas()) {
        const int64_t state = sa_state_[want->order];
        if (state == kSame) {
            ++plan.unchanged_sas; // copied for changes only: an SA holds its keys on the heap
            continue;
        }
        AddSa add = want->add;
        add.kind = AddSa::Kind::add;
        if (state == kUnseen) plan.sa_changes.push_back({Op::add, std::move(add), {}, want->line});
        else plan.sa_changes.push_back({Op::replace, std::move(add), std::move(replaced_sas_[state]), want->line});
    }
    for (const SyncTarget::Policy* want : target_.policies()) {
        const int64_t state = policy_state_[want->order];
        if (state == kUnseen) plan.policy_changes.push_back({Op::add, want->entry, {}, want->line});
        else if (state == kSame) ++plan.unchanged_policies;
        else plan.policy_changes.push_back({Op::replace, want->entry, std::move(replaced_policies_[state]), want->line});
    }
    for (SyncPlan::SaChange& c : removes_.sa_changes) plan.sa_changes.push_back(std::move(c));
    for (SyncPlan::PolicyChange& c : removes_.policy_changes) plan.policy_changes.push_back(std::move(c));
    return plan;
}

SyncPlan plan_sync(const SyncTarget& target, std::span<const SaRecord> kernel_sas,
                   std::span<const PolicyRecord> kernel_policies) {
    SyncPlanner planner(target);
    for (const SaRecord& r : kernel_sas) planner.kernel_sa(r);
    for (const PolicyRecord& r : kernel_policies) planner.kernel_policy(r);
    return std::move(planner).finish();
}

} // namespace setkey::model
