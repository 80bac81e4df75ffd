#include "model/sync_plan.hpp"

#include "model/linux_rules.hpp"
#include "model/record_commands.hpp"

namespace setkey::model {
namespace {

bool takes_part(const SaRecord& r) {
    return r.state == static_cast<uint8_t>(SaState::mature) || r.state == static_cast<uint8_t>(SaState::dying);
}
bool takes_part(const PolicyRecord& r) { return r.has_selector && !r.per_socket(); }

template <class Map, class Order, class Id, class Entry>
void put_entry(Map& map, Order& order, const Id& id, Entry entry) {
    entry.order = order.size();
    order.push_back(id);
    map[id] = std::move(entry);
}

template <class Map, class Order>
auto in_order(const Map& map, const Order& order) {
    std::vector<const typename Map::mapped_type*> out;
    out.reserve(map.size());
    for (size_t i = 0; i < order.size(); ++i)
        if (auto it = map.find(order[i]); it != map.end() && it->second.order == i) out.push_back(&it->second);
    return out;
}

Statement statement(Command command, unsigned line) { return Statement{std::move(command), {line, 1}, line}; }

} // namespace

bool SyncTarget::add(const Statement& s, std::string& why) {
    const unsigned line = s.end_line;
    return std::visit(
        [&](const auto& cmd) -> bool {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, AddSa>) {
                if (cmd.kind == AddSa::Kind::getspi) {
                    why = "getspi asks the kernel for an SPI; a sync cannot compare it";
                    return false;
                }
                const SaIdentity id = sa_identity(cmd.key);
                put_entry(sas_, sa_order_, id, Sa{cmd, line});
                sa_deleted_.erase(id);
            } else if constexpr (std::is_same_v<T, DeleteSa>) {
                const SaIdentity id = sa_identity(cmd.key);
                sas_.erase(id);
                sa_deleted_[id] = line;
            } else if constexpr (std::is_same_v<T, DeleteAllSa>) {
                std::erase_if(sas_, [&](const auto& kv) { return deleteall_takes(cmd, kv.second.add.key); });
                deleteall_.emplace_back(cmd, line);
            } else if constexpr (std::is_same_v<T, FlushSa>) {
                if (!cmd.type) {
                    sas_.clear();
                    sad_flushed_ = line;
                } else {
                    std::erase_if(sas_, [&](const auto& kv) { return kv.second.add.key.proto.type == *cmd.type; });
                    sa_type_flushed_[static_cast<uint8_t>(*cmd.type)] = line;
                }
            } else if constexpr (std::is_same_v<T, SpdEntry>) {
                const std::optional<SpdEntry> fwd = fwd_companion_ ? fwd_companion(cmd) : std::nullopt;
                if (cmd.kind == SpdEntry::Kind::remove) {
                    drop_policy(cmd, line);
                    if (fwd) drop_policy(*fwd, line);
                } else {
                    put_policy(cmd, line);
                    if (fwd) put_policy(*fwd, line);
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

void SyncTarget::put_policy(const SpdEntry& entry, unsigned line) {
    const PolicyIdentity id = policy_identity(entry);
    put_entry(policies_, policy_order_, id, Policy{entry, line});
    policy_deleted_.erase(id);
}

void SyncTarget::drop_policy(const SpdEntry& entry, unsigned line) {
    const PolicyIdentity id = policy_identity(entry);
    policies_.erase(id);
    policy_deleted_[id] = line;
}

std::vector<const SyncTarget::Sa*> SyncTarget::sas() const { return in_order(sas_, sa_order_); }
std::vector<const SyncTarget::Policy*> SyncTarget::policies() const { return in_order(policies_, policy_order_); }

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

SyncPlan plan_sync(const SyncTarget& target, std::span<const SaRecord> kernel_sas,
                   std::span<const PolicyRecord> kernel_policies) {
    SyncPlan plan;
    using Op = SyncPlan::Op;

    std::unordered_map<SaIdentity, const SaRecord*, IdentityHash> sa_by_id;
    for (const SaRecord& r : kernel_sas)
        if (takes_part(r)) sa_by_id.emplace(sa_identity(r), &r);
    for (const SyncTarget::Sa* want_p : target.sas()) {
        const SyncTarget::Sa& want = *want_p;
        AddSa add = want.add;
        add.kind = AddSa::Kind::add;
        const auto it = sa_by_id.find(sa_identity(add.key));
        if (it == sa_by_id.end()) {
            plan.sa_changes.push_back({Op::add, add, {}, want.line});
            continue;
        }
        if (same_sa(add, *it->second)) ++plan.unchanged_sas;
        else plan.sa_changes.push_back({Op::replace, add, *it->second, want.line});
        sa_by_id.erase(it); // matched: not a candidate for deletion
    }
    for (const SaRecord& r : kernel_sas) {
        if (!takes_part(r) || !sa_by_id.count(sa_identity(r))) continue;
        if (const auto line = target.deletes(r)) plan.sa_changes.push_back({Op::remove, {}, r, *line});
    }

    std::unordered_map<PolicyIdentity, const PolicyRecord*, IdentityHash> policy_by_id;
    for (const PolicyRecord& r : kernel_policies)
        if (takes_part(r)) policy_by_id.emplace(policy_identity(r), &r);
    for (const SyncTarget::Policy* want_p : target.policies()) {
        const SyncTarget::Policy& want = *want_p;
        const auto it = policy_by_id.find(policy_identity(want.entry));
        if (it == policy_by_id.end()) {
            plan.policy_changes.push_back({Op::add, want.entry, {}, want.line});
            continue;
        }
        if (same_policy(want.entry, *it->second)) ++plan.unchanged_policies;
        else plan.policy_changes.push_back({Op::replace, want.entry, *it->second, want.line});
        policy_by_id.erase(it);
    }
    for (const PolicyRecord& r : kernel_policies) {
        if (!takes_part(r) || !policy_by_id.count(policy_identity(r))) continue;
        if (const auto line = target.deletes(r)) plan.policy_changes.push_back({Op::remove, {}, r, *line});
    }
    return plan;
}

} // namespace setkey::model
