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

// The kernel's identity of a policy as bytes, with the direction given.
std::string identity_key(model::PolicyRecord record, model::Direction dir) {
    record.dir = dir;
    const model::PolicyIdentity id = model::policy_identity(record);
    return std::string(id.fields.view()) + id.ctx;
}

// A policy's text after its comment line, if it has one.
std::string_view statement_of(std::string_view text) {
    return text.starts_with('#') ? text.substr(text.find('\n') + 1) : text;
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

// What the maps hold for a policy: where it stood in the dump (0 the newest), then
// its text.
struct Placed {
    uint64_t place;
    std::string_view text;
};

std::string placed(uint64_t place, std::string_view text) {
    std::string v(reinterpret_cast<const char*>(&place), sizeof place);
    return v += text;
}

Placed unplaced(std::string_view v) {
    uint64_t place = 0;
    std::memcpy(&place, v.data(), sizeof place);
    return {place, v.substr(sizeof place)};
}

// Each table dumped as a flush and the statements that fill it again, oldest entry
// first (dumps list the newest first), so `setkey -f` of the text gives the same dump
// back. A table is written when its dump ended: a dump the kernel broke off writes
// nothing rather than a flush and half a table. Oldest first also keeps the kernel's
// order among equal priorities on reload. The statements wait in spools, so a table of
// any size costs a few MiB and 24 bytes per in or fwd policy.
//
// In RFC mode (-r, the default) a load adds the fwd copy of every `in` policy, so the
// fwd policy of an in is written only where it is not that copy: as an spdupdate when
// it differs (in its own place, or right after its in when it is the older one), as
// an spddelete right after the in when the kernel holds none. A fwd policy that no in
// policy stands for is written as it is.
class ScriptPrinter final : public RecordPrinter {
public:
    ScriptPrinter(std::ostream& out, const PrinterChoice& choice)
        : out_(out), options_{choice.show_keys}, fwd_companions_(choice.fwd_companion) {}

    void sa(const model::SaRecord& record) override {
        if (!output::scriptable(record)) return;
        sas_.append_record(output::unscriptable_comment(record) + output::sa_record_statement(record, options_));
        any_sa_ = true;
    }
    void policy(const model::PolicyRecord& policy) override {
        if (!output::scriptable(policy)) return;
        const model::SpdEntry entry = output::policy_script_entry(policy);
        const std::string text = output::unscriptable_comment(policy) + output::policy_statement(entry);
        RecordKind kind = kOther;
        std::string key;
        if (fwd_companions_ && (policy.dir == model::Direction::in || policy.dir == model::Direction::fwd)) {
            key = identity_key(policy, model::Direction::fwd);
            if (policy.dir == model::Direction::fwd) {
                kind = kFwd;
                fwds_.insert(key, placed(place_, text));
            } else if (auto companion = model::fwd_companion(entry)) {
                kind = kIn;
                companions_.insert(key, placed(place_, output::policy_statement(*companion)));
            }
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
                    "# only where it differs from that copy.\n";
        const bool read = policies_.records_reversed([&](std::string_view r) {
            const Record rec = parse_record(r);
            if (rec.kind != kFwd) out_ << rec.text;
            if (rec.kind == kOther) return;
            const std::optional<std::string_view> in = companions_.find(rec.key);
            if (rec.kind == kFwd && !in) {
                out_ << rec.text; // no in policy brings it
                return;
            }
            const std::string in_value(*in); // the next find reuses the view's buffer
            const Placed companion = unplaced(in_value);
            const std::optional<std::string_view> fwd_value = fwds_.find(rec.key);
            if (!fwd_value) {
                out_ << "spddelete" << companion.text.substr(companion.text.find(' '));
                return;
            }
            const Placed fwd = unplaced(*fwd_value);
            // The older of the two writes it: a fwd older than its in comes after it.
            const bool here = (rec.kind == kFwd) == (fwd.place < companion.place);
            const std::string_view statement = statement_of(fwd.text);
            if (here && statement != companion.text)
                out_ << fwd.text.substr(0, fwd.text.size() - statement.size()) << "spdupdate"
                     << statement.substr(statement.find(' '));
        });
        if (!read) out_.setstate(std::ios::badbit);
        policies_.clear();
        companions_.clear();
        fwds_.clear();
        place_ = 0;
    }

    std::ostream& out_;
    output::ScriptOptions options_;
    bool fwd_companions_;
    output::Spool sas_;      // statements, dump order
    bool any_sa_ = false;
    output::Spool policies_; // records, dump order
    uint64_t place_ = 0;     // of the next policy in the dump
    SpooledMap companions_;  // fwd identity of each in policy -> its place and its fwd copy's statement
    SpooledMap fwds_;        // fwd identity -> the fwd policy's place and text
};

} // namespace

std::unique_ptr<RecordPrinter> make_script_printer(std::ostream& out, const PrinterChoice& choice) {
    return std::make_unique<ScriptPrinter>(out, choice);
}

} // namespace setkey::cli
