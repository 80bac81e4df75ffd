// An in-memory model::Backend for executor tests: records every call in order,
// serves dumps from a list of SAs/policies and fails calls on demand.
#pragma once

#include <cerrno>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "cli/record_printer.hpp"
#include "model/backend.hpp"

namespace setkey::testing {

struct FakeBackend final : model::Backend {
    // What was asked, in order.
    std::vector<std::string> calls;
    std::vector<model::AddSa> added;
    std::vector<model::SaKey> deleted;
    std::vector<model::SpdEntry> policies;
    // Contents served by get/dump.
    std::vector<model::SaRecord> sas;
    std::function<void()> after_each_sa; // lets tests look at output mid-dump
    std::vector<model::PolicyRecord> spd;
    // Results handed out to the next calls, front first; empty means success.
    std::deque<model::OpResult> results;

    // "pfkey" makes the modes treat it as PF_KEY (--backend auto's choice).
    std::string_view backend_name = "fake";
    std::string_view name() const override { return backend_name; }

    model::OpResult add_sa(const model::AddSa& sa) override {
        calls.push_back("add_sa");
        added.push_back(sa);
        return next();
    }
    model::OpResult get_sa(const model::SaKey& key, const model::SaSink& out) override {
        calls.push_back("get_sa");
        model::OpResult r = next();
        if (!r.ok()) return r;
        for (const auto& sa : sas)
            if (sa.spi == key.spi) out(sa);
        return r;
    }
    model::OpResult delete_sa(const model::SaKey& key) override {
        calls.push_back("delete_sa");
        deleted.push_back(key);
        return next();
    }
    model::OpResult flush_sa(std::optional<model::SaType>) override {
        calls.push_back("flush_sa");
        return next();
    }
    model::OpResult dump_sa(std::optional<model::SaType> type, const model::SaSink& out) override {
        calls.push_back("dump_sa");
        model::OpResult r = next();
        if (!r.ok()) return r;
        for (const auto& sa : sas) {
            if (type && sa.satype != *type) continue;
            out(sa);
            if (after_each_sa) after_each_sa();
        }
        return r;
    }
    model::OpResult policy(const model::SpdEntry& entry) override {
        calls.push_back("policy");
        policies.push_back(entry);
        return next();
    }
    model::OpResult flush_policies() override {
        calls.push_back("flush_policies");
        return next();
    }
    model::OpResult dump_policies(const model::PolicySink& out) override {
        calls.push_back("dump_policies");
        model::OpResult r = next();
        if (!r.ok()) return r;
        for (const auto& p : spd) out(p);
        return r;
    }

private:
    model::OpResult next() {
        if (results.empty()) return {};
        model::OpResult r = results.front();
        results.pop_front();
        return r;
    }
};

// Lends a FakeBackend to code that wants to own its backend (the modes' openers).
// apply_batch is the default one: single calls on `to`.
struct BorrowedBackend : model::Backend {
    explicit BorrowedBackend(model::Backend& to) : to(to) {}
    model::Backend& to;
    std::string_view name() const override { return to.name(); }
    model::OpResult add_sa(const model::AddSa& sa) override { return to.add_sa(sa); }
    model::OpResult get_sa(const model::SaKey& k, const model::SaSink& out) override {
        return to.get_sa(k, out);
    }
    model::OpResult delete_sa(const model::SaKey& k) override { return to.delete_sa(k); }
    model::OpResult flush_sa(std::optional<model::SaType> t) override { return to.flush_sa(t); }
    model::OpResult dump_sa(std::optional<model::SaType> t, const model::SaSink& out) override {
        return to.dump_sa(t, out);
    }
    model::OpResult policy(const model::SpdEntry& e) override { return to.policy(e); }
    model::OpResult flush_policies() override { return to.flush_policies(); }
    model::OpResult dump_policies(const model::PolicySink& out) override {
        return to.dump_policies(out);
    }
};

// A borrowed backend under another name (code that branches on "pfkey" / "xfrm").
struct RenamedBackend : BorrowedBackend {
    RenamedBackend(model::Backend& to, std::string name) : BorrowedBackend(to), name_(std::move(name)) {}
    std::string_view name() const override { return name_; }
    std::string name_;
};

// Keeps what the executor printed, by SPI / policy direction.
struct RecordingPrinter final : cli::RecordPrinter {
    std::vector<uint32_t> sa_spis;
    std::vector<model::Direction> policy_dirs;
    bool classic = true;
    void sa(const model::SaRecord& r) override { sa_spis.push_back(r.spi); }
    void policy(const model::PolicyRecord& r) override { policy_dirs.push_back(r.dir); }
    bool reports_empty_dumps() const override { return classic; }
};

} // namespace setkey::testing
