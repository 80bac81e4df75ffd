// A model::Backend that keeps real SAD/SPD tables in memory, newest entry first as
// Linux dumps them, and refuses the Nth table-changing request on demand: enough to
// check that --atomic brings the tables back as they were.
#pragma once

#include <algorithm>
#include <cerrno>
#include <vector>

#include "model/backend.hpp"

namespace setkey::testing {

struct TableFake final : model::Backend {
    std::vector<model::SaRecord> sas;
    std::vector<model::PolicyRecord> spd;
    unsigned changes = 0;  // table-changing requests seen
    unsigned fail_at = 0;  // refuse this one (1-based); 0: never
    uint32_t next_id = 8;  // spids as Linux hands them out (multiples of 8 plus dir)

    std::string_view name() const override { return "fake"; }

    static model::SaRecord record(const model::AddSa& a) {
        model::SaRecord r;
        r.satype = a.key.proto.type;
        r.raw_satype = static_cast<uint8_t>(a.key.proto.type);
        r.src = a.key.src.addr;
        r.dst = a.key.dst.addr;
        r.spi = a.key.spi;
        r.mode = a.key.mode;
        r.reqid = a.key.reqid;
        r.has_sa2 = true;
        r.replay = a.replay;
        r.flags = a.flags;
        auto ref = [](const std::optional<model::KeyedAlgorithm>& k) {
            model::AlgorithmRef ref;
            if (!k) return ref;
            ref.alg = k->alg;
            ref.key = k->key;
            ref.key_bits = static_cast<uint16_t>(k->key.size() * 8);
            return ref;
        };
        r.enc = ref(a.enc);
        r.auth = ref(a.auth);
        auto life = [](const model::LifetimeLimit& l) {
            model::Lifetime out;
            out.add_time = l.add_seconds.value_or(0);
            out.bytes = l.bytes.value_or(0);
            return out;
        };
        r.hard = life(a.hard);
        r.soft = life(a.soft);
        r.current = model::Lifetime{0, 0, 1700000000, 0};
        return r;
    }

    model::OpResult add_sa(const model::AddSa& a) override {
        if (refuse()) return {EINVAL, "refused on purpose"};
        if (find_sa(a.key) != sas.end()) return {EEXIST, ""};
        sas.insert(sas.begin(), record(a));
        return {};
    }
    model::OpResult get_sa(const model::SaKey& key, const model::SaSink& out) override {
        auto it = find_sa(key);
        if (it == sas.end()) return {ESRCH, ""};
        out(*it);
        return {};
    }
    model::OpResult delete_sa(const model::SaKey& key) override {
        if (refuse()) return {EINVAL, "refused on purpose"};
        auto it = find_sa(key);
        if (it == sas.end()) return {ESRCH, ""};
        sas.erase(it);
        return {};
    }
    model::OpResult flush_sa(std::optional<model::SaType> type) override {
        if (refuse()) return {EINVAL, "refused on purpose"};
        std::erase_if(sas, [&](const auto& s) { return !type || s.satype == *type; });
        return {};
    }
    model::OpResult dump_sa(std::optional<model::SaType> type, const model::SaSink& out) override {
        for (const auto& s : sas)
            if (!type || s.satype == *type) out(s);
        return {};
    }
    model::OpResult policy(const model::SpdEntry& e) override {
        if (refuse()) return {EINVAL, "refused on purpose"};
        auto it = std::find_if(spd.begin(), spd.end(), [&](const auto& p) {
            return p.src == e.src && p.dst == e.dst && p.upper == e.upper && p.dir == e.policy.dir;
        });
        if (e.kind == model::SpdEntry::Kind::remove) {
            if (it == spd.end()) return {ENOENT, ""};
            spd.erase(it);
            return {};
        }
        if (e.kind == model::SpdEntry::Kind::add && it != spd.end()) return {EEXIST, ""};
        model::PolicyRecord r;
        r.src = e.src;
        r.dst = e.dst;
        r.upper = e.upper;
        r.dir = e.policy.dir;
        r.raw_dir = static_cast<uint16_t>(e.policy.dir);
        r.action = e.policy.action.value_or(model::Action::ipsec);
        r.raw_action = static_cast<uint16_t>(r.action);
        r.priority = e.policy.priority;
        r.requests = e.policy.requests;
        r.ctx = e.ctx;
        r.id = next_id + static_cast<uint32_t>(e.policy.dir) - 1;
        next_id += 8;
        if (it != spd.end()) { // spdupdate replaces in place, keeping the spid
            r.id = it->id;
            *it = r;
        } else {
            spd.insert(spd.begin(), r);
        }
        return {};
    }
    model::OpResult flush_policies() override {
        if (refuse()) return {EINVAL, "refused on purpose"};
        spd.clear();
        return {};
    }
    model::OpResult dump_policies(const model::PolicySink& out) override {
        for (const auto& p : spd) out(p);
        return {};
    }

    // The tables as the dump text would show them, spids left out (re-added policies
    // get new ones, as on a real kernel).
    std::vector<model::PolicyRecord> spd_without_ids() const {
        auto copy = spd;
        for (auto& p : copy) p.id = 0;
        return copy;
    }

private:
    bool refuse() { return ++changes == fail_at; }
    std::vector<model::SaRecord>::iterator find_sa(const model::SaKey& k) {
        return std::find_if(sas.begin(), sas.end(), [&](const auto& s) {
            return s.spi == k.spi && s.src == k.src.addr && s.dst == k.dst.addr &&
                   s.satype == k.proto.type;
        });
    }
};

} // namespace setkey::testing
