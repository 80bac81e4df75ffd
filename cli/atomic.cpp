#include "cli/atomic.hpp"

#include "cli/progress.hpp"
#include "model/record_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string.h> // explicit_bzero

namespace setkey::cli {
namespace {

bool restorable(const model::SaRecord& r) {
    // Larval SAs belong to a pending acquire/getspi; dead ones are on their way out.
    return r.state == static_cast<uint8_t>(model::SaState::mature) ||
           r.state == static_cast<uint8_t>(model::SaState::dying);
}

// What the kernel keeps as configuration; counters, ids and times are left out.
model::SaRecord sa_config(model::SaRecord r) {
    r.current.reset();
    r.msg = {};
    r.replay_errors.reset();
    r.integrity_failures.reset();
    r.state = 0;
    // Traffic moves the replay counters; the window and format are configuration.
    if (r.xfrm.replay) {
        r.xfrm.replay->oseq = r.xfrm.replay->seq = 0;
        r.xfrm.replay->oseq_hi = r.xfrm.replay->seq_hi = 0;
        std::fill(r.xfrm.replay->bitmap.begin(), r.xfrm.replay->bitmap.end(), 0u);
    }
    return r;
}

model::PolicyRecord policy_config(model::PolicyRecord r) {
    r.id = 0;
    r.current.reset();
    r.msg = {};
    return r;
}

// Two entries may differ by mark alone: messages name it.
std::string mark_text(const model::Mark& m) {
    char text[40];
    std::snprintf(text, sizeof text, " mark 0x%x/0x%x", m.value, m.mask);
    return text;
}

std::string sa_name(const model::SaRecord& r) {
    char spi[16];
    std::snprintf(spi, sizeof spi, "0x%08x", r.spi);
    std::string name = std::string(model::satype_name(r.satype)) + " SA " + r.src.to_string() +
                       " -> " + r.dst.to_string() + " spi " + spi;
    if (r.mark) name += mark_text(*r.mark);
    return name;
}

std::string policy_name(const model::PolicyRecord& r) {
    return "policy " + r.src.addr.to_string() + "/" + std::to_string(r.src.prefixlen) + " -> " +
           r.dst.addr.to_string() + "/" + std::to_string(r.dst.prefixlen) + " " +
           std::string(model::direction_name(r.dir)) + (r.xfrm.mark ? mark_text(*r.xfrm.mark) : "");
}

std::string reason(const model::OpResult& r) {
    std::string s = std::strerror(r.error);
    if (!r.detail.empty()) s += " (" + r.detail + ")";
    return s;
}

// Length of the run both lists share at their oldest end (the back of a dump).
template <class T, class Same>
size_t shared_oldest(const std::vector<T>& a, const std::vector<T>& b, Same same) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && same(a[a.size() - 1 - n], b[b.size() - 1 - n])) ++n;
    return n;
}

} // namespace

Snapshot::~Snapshot() {
    for (model::SaRecord& sa : sas_)
        for (model::AlgorithmRef* ref : {&sa.enc, &sa.auth})
            if (ref->key && !ref->key->empty()) explicit_bzero(ref->key->data(), ref->key->size());
}

bool Snapshot::take(model::Backend& backend, std::string& error) {
    sas_.clear();
    policies_.clear();
    model::OpResult r = backend.dump_sa(std::nullopt, [&](const model::SaRecord& sa) {
        if (restorable(sa)) sas_.push_back(sa);
    });
    if (!r.ok()) {
        error = "cannot snapshot the SAD: " + reason(r);
        return false;
    }
    r = backend.dump_policies([&](const model::PolicyRecord& p) {
        if (p.has_selector && !p.per_socket()) policies_.push_back(p);
    });
    if (!r.ok()) {
        error = "cannot snapshot the SPD: " + reason(r);
        return false;
    }
    return true;
}

RollbackReport Snapshot::restore(model::Backend& backend) const {
    RollbackReport report;
    Snapshot now;
    std::string error;
    if (!now.take(backend, error)) {
        report.failures.push_back(error);
        return report;
    }
    auto failed = [&](const std::string& what, const std::string& why) {
        report.failures.push_back("rollback: " + what + ": " + why);
    };

    // SPD first: policies that refer to SAs stop matching before the SAs go.
    const size_t keep_p = shared_oldest(now.policies_, policies_, [](const auto& a, const auto& b) {
        return policy_config(a) == policy_config(b);
    });
    for (size_t i = 0; i + keep_p < now.policies_.size(); ++i) {
        const auto& p = now.policies_[i];
        const model::OpResult r = backend.policy(model::policy_entry(p, model::SpdEntry::Kind::remove));
        if (r.ok()) ++report.undone;
        else failed("delete " + policy_name(p), reason(r));
    }
    // Oldest first, so the newest ends up at the head of the dump as before.
    for (size_t i = policies_.size() - keep_p; i-- > 0;) {
        const auto& p = policies_[i];
        const model::OpResult r = backend.policy(model::policy_entry(p, model::SpdEntry::Kind::add));
        if (r.ok()) ++report.undone;
        else failed("re-add " + policy_name(p), reason(r));
    }

    const size_t keep_s = shared_oldest(now.sas_, sas_, [](const auto& a, const auto& b) {
        return sa_config(a) == sa_config(b);
    });
    for (size_t i = 0; i + keep_s < now.sas_.size(); ++i) {
        const auto& s = now.sas_[i];
        const model::OpResult r = backend.delete_sa(model::delete_key(s));
        if (r.ok()) ++report.undone;
        else failed("delete " + sa_name(s), reason(r));
    }
    for (size_t i = sas_.size() - keep_s; i-- > 0;) {
        const auto& s = sas_[i];
        std::string why;
        const std::optional<model::AddSa> add = model::readd_sa(s, why);
        if (!add) {
            failed("re-add " + sa_name(s), why);
            continue;
        }
        const model::OpResult r = backend.add_sa(*add);
        if (r.ok()) ++report.undone;
        else failed("re-add " + sa_name(s), reason(r));
    }
    return report;
}

namespace {

// What of an SA af_key cannot take back; "" when nothing.
std::string pfkey_loss(const model::SaRecord& r) {
    if (r.mark) return "a mark";
    if (r.if_id) return "an if_id";
    if (r.xfrm.output_mark) return "an output mark";
    if (!r.xfrm.selector.empty()) return "an SA selector";
    if (r.esn) return "extended sequence numbers";
    if (r.xfrm.replay) return "replay counters";
    if (r.aead || (r.enc.alg && r.enc.alg->kind == model::AlgKind::aead)) return "an AEAD algorithm";
    if (r.replay > 255) return "a replay window above 255";
    if (!r.xfrm.empty()) return "XFRM attributes";
    std::string why;
    if (!model::readd_sa(r, why)) return why;
    return "";
}

std::string pfkey_loss(const model::PolicyRecord& r) {
    const auto& x = r.xfrm;
    if (x.mark) return "a mark";
    if (x.if_id) return "an if_id";
    if (x.flags) return "policy flags";
    if (x.type) return "a sub policy type";
    for (const model::IpsecRequest& q : r.requests) {
        if (q.spi) return "a template SPI";
        if (q.share) return "a template share";
    }
    if (!x.empty()) return "XFRM attributes";
    const model::SpdEntry e = model::policy_entry(r, model::SpdEntry::Kind::add);
    if (!e.hard.empty() || !e.soft.empty()) return "lifetimes";
    return "";
}

} // namespace

std::optional<std::string> pfkey_cannot_restore(const Snapshot& snapshot) {
    // Dump order is newest first; name the oldest, the first a restore would re-add.
    for (auto it = snapshot.policies().rbegin(); it != snapshot.policies().rend(); ++it)
        if (std::string what = pfkey_loss(*it); !what.empty())
            return policy_name(*it) + " (" + what + ")";
    for (auto it = snapshot.sas().rbegin(); it != snapshot.sas().rend(); ++it)
        if (std::string what = pfkey_loss(*it); !what.empty())
            return sa_name(*it) + " (" + what + ")";
    return std::nullopt;
}

void print_rollback(std::ostream& err, const RollbackReport& report) {
    err << "setkey: --atomic: rolled back " << report.undone << " change"
        << (report.undone == 1 ? "" : "s") << " to the SAD/SPD";
    if (!report.failures.empty())
        err << "; " << report.failures.size() << " could not be rolled back";
    err << '\n';
    for (const std::string& f : report.failures) err << "setkey: " << f << '\n';
}

void roll_back_load(const Snapshot& snapshot, model::Backend& backend, Progress& progress,
                    unsigned statements, unsigned failed) {
    const RollbackReport report = snapshot.restore(backend);
    progress.finish(statements, failed, report.undone);
    print_rollback(progress.messages(), report);
}

} // namespace setkey::cli
