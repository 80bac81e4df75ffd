#include "cli/script_printer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/linux_rules.hpp"
#include "model/sync_identity.hpp"
#include "output/script.hpp"
#include "output/spool.hpp"

namespace setkey::cli {
namespace {

// Texts found by a key, both held in a spool: 24 bytes each in memory, however long
// they are. A matching hash is confirmed on the key itself.
class SpooledMap {
public:
    void insert(std::string_view key, std::string_view value) {
        index_.push_back({std::hash<std::string_view>{}(key), texts_.size(), static_cast<uint32_t>(key.size()),
                          static_cast<uint32_t>(value.size())});
        texts_.append(key);
        texts_.append(value);
        sorted_ = false;
    }
    // The value kept for `key` (valid until the next call), nullopt if there is none.
    std::optional<std::string_view> find(std::string_view key) {
        if (!sorted_) std::sort(index_.begin(), index_.end(), by_hash);
        sorted_ = true;
        const Entry probe{std::hash<std::string_view>{}(key), 0, 0, 0};
        auto [it, last] = std::equal_range(index_.begin(), index_.end(), probe, by_hash);
        for (; it != last; ++it)
            if (it->key_length == key.size() && texts_.read(it->offset, it->key_length + it->value_length, scratch_) &&
                std::string_view(scratch_).substr(0, key.size()) == key)
                return std::string_view(scratch_).substr(key.size());
        return std::nullopt;
    }
    bool empty() const { return index_.empty(); }
    void clear() {
        index_.clear();
        texts_.clear();
    }

private:
    struct Entry {
        size_t hash, offset;
        uint32_t key_length, value_length;
    };
    static bool by_hash(const Entry& a, const Entry& b) { return a.hash < b.hash; }
    std::vector<Entry> index_;
    output::Spool texts_;
    std::string scratch_;
    bool sorted_ = true;
};

// The identity of a policy as the script's statement gives it back on load, as bytes:
// what the statement cannot say (a sub type, a selector's interface or user, port
// masks; its comment names them) is left out, so that an in policy and the fwd policy
// its load would replace are found by the same key.
std::string written_key(model::SpdEntry entry) {
    entry.policy.dir = model::Direction::fwd;
    entry.xfrm.type = 0;
    entry.xfrm.ifindex = 0;
    entry.xfrm.user = 0;
    entry.xfrm.src_port_mask.reset();
    entry.xfrm.dst_port_mask.reset();
    const model::PolicyIdentity id = model::policy_identity(entry);
    return std::string(id.fields.view()) + id.ctx;
}

// A policy's text after its comment line, if it has one.
std::string_view statement_of(std::string_view text) {
    return text.starts_with('#') ? text.substr(text.find('\n') + 1) : text;
}

// The same text as an spdupdate (the statement's first word replaced).
std::string as_update(std::string_view text) {
    const std::string_view statement = statement_of(text);
    std::string out(text.substr(0, text.size() - statement.size()));
    out += "spdupdate";
    out += statement.substr(statement.find(' '));
    return out;
}

// The spools' records: a kind byte, for `in` and `fwd` the fwd identity key behind its
// length (4 bytes), then the text.
enum RecordKind : char { kOther = '-', kIn = 'i', kFwd = 'f' };

std::string record(RecordKind kind, std::string_view key, std::string_view text) {
    std::string r(1, kind);
    if (kind != kOther) {
        const uint32_t n = static_cast<uint32_t>(key.size());
        r.append(reinterpret_cast<const char*>(&n), sizeof n);
        r += key;
    }
    return r += text;
}

struct Record {
    RecordKind kind;
    std::string_view key, text;
};

Record parse_record(std::string_view r) {
    const auto kind = static_cast<RecordKind>(r.front());
    r.remove_prefix(1);
    if (kind == kOther) return {kind, {}, r};
    uint32_t n = 0;
    std::memcpy(&n, r.data(), sizeof n);
    r.remove_prefix(sizeof n);
    return {kind, r.substr(0, n), r.substr(n)};
}

// What the maps hold for a policy: where it stood in the dump (0 the newest), how many
// fwd policies were dumped before it, then its text.
struct Placed {
    uint64_t place, fwds_before;
    std::string_view text;
};

std::string placed(uint64_t place, uint64_t fwds_before, std::string_view text) {
    std::string v(reinterpret_cast<const char*>(&place), sizeof place);
    v.append(reinterpret_cast<const char*>(&fwds_before), sizeof fwds_before);
    return v += text;
}

Placed unplaced(std::string_view v) {
    Placed p{};
    std::memcpy(&p.place, v.data(), sizeof p.place);
    std::memcpy(&p.fwds_before, v.data() + sizeof p.place, sizeof p.fwds_before);
    p.text = v.substr(sizeof p.place + sizeof p.fwds_before);
    return p;
}

// An in policy and the fwd policy the kernel holds for it (`fwd` null if none).
struct Pair {
    Placed in;
    std::optional<Placed> fwd;
    // The fwd is the newer of the two.
    bool fwd_newer() const { return fwd->place < in.place; }
    // No other fwd policy came between the two: the copy a load adds with the in takes
    // the fwd's place among the fwd policies (the oldest of equal priority matches).
    bool adjacent() const {
        return fwd_newer() ? fwd->fwds_before + 1 == in.fwds_before : fwd->fwds_before == in.fwds_before;
    }
    bool same() const { return statement_of(fwd->text) == in.text; }
};

// Each table dumped as a flush and the statements that fill it again, oldest entry
// first (dumps list the newest first), so `setkey -f` of the text gives the same dump
// back. A table is written when its dump ended: a dump the kernel broke off writes
// nothing rather than a flush and half a table. Oldest first also keeps the kernel's
// order among equal priorities on reload. The statements wait in spools, so a table of
// any size costs a few MiB and 24 bytes per in or fwd policy.
//
// In RFC mode (-r, the default) a load adds the fwd copy of every `in` policy, so the
// fwd policy of an in is written only where it is not that copy, keeping its place
// among the fwd policies:
//  - none: an spddelete of the copy right after the in;
//  - next to its in (no fwd policy between them): nothing if it is the copy, else an
//    spdupdate, in its own place when newer than the in, right after the in when older;
//  - with other fwd policies between them: the fwd as it is in its own place, and the
//    copy deleted right after the in when the fwd is newer; when it is older, the in
//    as an spdupdate (its copy then replaces the fwd where it stands) and the fwd's
//    spdupdate after it unless it is the copy.
// A fwd policy that no in policy stands for is written as it is.
class ScriptPrinter final : public RecordPrinter {
public:
    ScriptPrinter(std::ostream& out, const PrinterChoice& choice)
        : out_(out), options_{choice.show_keys}, fwd_companions_(choice.fwd_companion),
          reqids_(choice.backend == "pfkey" ? output::ReqidSource::pfkey : output::ReqidSource::xfrm) {}

    void sa(const model::SaRecord& record) override {
        if (!output::scriptable(record)) return;
        sas_.append_record(output::unscriptable_comment(record) + output::sa_record_statement(record, options_));
        any_sa_ = true;
    }
    void policy(const model::PolicyRecord& policy) override {
        if (!output::scriptable(policy)) return;
        const model::SpdEntry entry = output::policy_script_entry(policy, reqids_);
        const std::string text = output::unscriptable_comment(policy) + output::policy_unwritable(policy, reqids_) +
                                 output::policy_statement(entry);
        RecordKind kind = kOther;
        std::string key;
        if (fwd_companions_ && policy.dir == model::Direction::fwd) {
            kind = kFwd;
            key = written_key(entry);
            fwds_.insert(key, placed(place_, fwd_count_++, text));
        } else if (fwd_companions_ && policy.dir == model::Direction::in) {
            if (auto companion = model::fwd_companion(entry)) {
                kind = kIn;
                key = written_key(*companion);
                companions_.insert(key, placed(place_, fwd_count_, output::policy_statement(*companion)));
            }
        } else if (policy.dir == model::Direction::in && model::fwd_companion(entry)) {
            in_without_companion_ = true; // -k: loading needs -k too
        }
        policies_.append_record(record(kind, key, text));
        ++place_;
    }
    void dumped(bool policies) override { policies ? write_spd() : write_sad(); }
    void finish() override { out_.flush(); }

private:
    void write_sad() {
        out_ << "flush;\n";
        if (!options_.show_keys && any_sa_)
            out_ << "# Keys hidden: every key reads " << output::kHiddenKey
                 << " and this script does not load; dump with --show-keys for one that does.\n";
        if (!sas_.records_reversed([&](std::string_view text) { out_ << text; })) out_.setstate(std::ios::badbit);
        sas_.clear();
        any_sa_ = false;
    }
    void write_spd() {
        out_ << "spdflush;\n";
        if (!companions_.empty())
            out_ << "# setkey -f adds a fwd copy of every in policy (-r, the default): a fwd policy is written\n"
                    "# only where it differs from that copy or stands elsewhere among the fwd policies.\n";
        if (in_without_companion_)
            out_ << "# Written with -k: load it with setkey -k -f, as without -k setkey -f adds a fwd copy of\n"
                    "# every in policy besides the fwd policies below.\n";
        in_without_companion_ = false;
        const bool read = policies_.records_reversed([&](std::string_view r) {
            const Record rec = parse_record(r);
            if (rec.kind == kOther) {
                out_ << rec.text;
                return;
            }
            const std::optional<std::string_view> in = companions_.find(rec.key);
            if (!in) {
                out_ << rec.text; // a fwd policy no in policy brings
                return;
            }
            const std::string in_value(*in); // the next find reuses the view's buffer
            Pair pair{unplaced(in_value), std::nullopt};
            if (const std::optional<std::string_view> fwd = fwds_.find(rec.key)) pair.fwd = unplaced(*fwd);
            rec.kind == kIn ? write_in(rec.text, pair) : write_fwd(pair);
        });
        if (!read) out_.setstate(std::ios::badbit);
        policies_.clear();
        companions_.clear();
        fwds_.clear();
        place_ = fwd_count_ = 0;
    }
    // The in policy, and what follows it for its fwd policy (see the class comment).
    void write_in(std::string_view text, const Pair& p) {
        const std::string_view copy = p.in.text;
        if (!p.fwd) {
            out_ << text << "spddelete" << copy.substr(copy.find(' '));
        } else if (p.fwd_newer()) {
            out_ << text;
            if (!p.adjacent()) out_ << "spddelete" << copy.substr(copy.find(' '));
        } else {
            out_ << (p.adjacent() ? std::string(text) : as_update(text));
            if (!p.same()) out_ << as_update(p.fwd->text);
        }
    }
    // The fwd policy of an in policy, in its own place.
    void write_fwd(const Pair& p) {
        if (!p.fwd) return;
        if (!p.adjacent()) {
            out_ << p.fwd->text;
        } else if (p.fwd_newer() && !p.same()) {
            out_ << as_update(p.fwd->text);
        }
    }

    std::ostream& out_;
    output::ScriptOptions options_;
    bool fwd_companions_;
    output::ReqidSource reqids_;
    bool in_without_companion_ = false; // -k, and an in policy that -r would copy
    output::Spool sas_;      // statements, dump order
    bool any_sa_ = false;
    output::Spool policies_; // records, dump order
    uint64_t place_ = 0;     // of the next policy in the dump
    uint64_t fwd_count_ = 0; // fwd policies dumped so far
    SpooledMap companions_;  // written fwd identity of each in policy -> its place and its fwd copy's statement
    SpooledMap fwds_;        // written fwd identity -> the fwd policy's place and text
};

} // namespace

std::unique_ptr<RecordPrinter> make_script_printer(std::ostream& out, const PrinterChoice& choice) {
    return std::make_unique<ScriptPrinter>(out, choice);
}

} // namespace setkey::cli
