#include "cli/printers.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "model/linux_rules.hpp"
#include "model/record_commands.hpp"
#include "output/classic.hpp"
#include "output/json.hpp"
#include "output/prometheus.hpp"
#include "output/script.hpp"
#include "output/short.hpp"
#include "output/spool.hpp"

namespace setkey::cli {
namespace {

class ClassicPrinter final : public RecordPrinter {
public:
    ClassicPrinter(std::ostream& out, bool ports) : out_(out) { options_.with_ports = ports; }
    // One text buffer for every record: no allocation per entry.
    void sa(const model::SaRecord& record) override {
        options_.now = std::time(nullptr); // "current:" and "diff:" are relative to now
        text_.clear();
        output::append_sa(text_, record, options_);
        out_ << text_;
    }
    void policy(const model::PolicyRecord& record) override {
        options_.now = std::time(nullptr);
        text_.clear();
        output::append_policy(text_, record, options_);
        out_ << text_;
    }
    bool reports_empty_dumps() const override { return true; }
    void finish() override { out_.flush(); }

private:
    std::ostream& out_;
    output::ClassicOptions options_;
    std::string text_;
};

class ShortPrinter final : public RecordPrinter {
public:
    explicit ShortPrinter(std::ostream& out) : out_(out) {}
    void sa(const model::SaRecord& record) override {
        out_ << output::short_line(record, std::time(nullptr));
    }
    // 0.8.2 prints policies in full even with -l.
    void policy(const model::PolicyRecord& record) override {
        out_ << output::format_policy(record, output::ClassicOptions{false, std::time(nullptr)});
    }
    void finish() override { out_.flush(); }

private:
    std::ostream& out_;
};

output::MachineOptions machine_options(const PrinterChoice& choice) {
    output::MachineOptions options;
    options.record.show_keys = choice.show_keys;
    options.backend = choice.backend;
    options.time = std::time(nullptr);
    return options;
}

// Writes each record into the document as it arrives (nothing is held, whatever the
// table's size). A document lists the SAD then the SPD, each at most once, so no record
// is listed twice: a table dumped again, SAs after the SPD, or `get` results beside a
// SAD dump start the next document. A dump the kernel refused before any record is
// left out (its table stays null); one broken off later keeps what arrived, and the
// exit status says the dump failed.
class JsonPrinter final : public RecordPrinter {
    using Table = output::JsonDocumentWriter::Table;

public:
    JsonPrinter(std::ostream& out, const PrinterChoice& choice)
        : out_(out), doc_(out, machine_options(choice)) {}

    void dump_starts(bool policies) override {
        dumping_ = policies ? Table::sp : Table::sa;
        dump_listed_ = false;
        if (doc_.document_open() && !doc_.can_take(*dumping_)) end_document();
    }
    void sa(const model::SaRecord& record) override {
        enter(Table::sa);
        doc_.write(record);
    }
    void policy(const model::PolicyRecord& record) override {
        enter(Table::sp);
        doc_.write(record);
    }
    void dumped(bool policies) override {
        const Table table = policies ? Table::sp : Table::sa;
        // An empty dump opens its list here; records without dump_starts are the dump.
        if (!(dumping_ == table && dump_listed_) && list_ != table) open_list(table);
        doc_.close_table();
        list_.reset();
        dumping_.reset();
    }
    void finish() override {
        end_document();
        out_.flush();
    }

private:
    // Records go into the open list of their table: the dump's, or for records outside
    // a dump (`get`) one of their own.
    void enter(Table table) {
        if (dumping_ == table) {
            if (!dump_listed_) open_list(table);
            dump_listed_ = true;
        } else if (list_ != table) {
            open_list(table);
        }
    }
    void open_list(Table table) {
        if (doc_.document_open() && !doc_.can_take(table)) end_document();
        if (!doc_.document_open()) doc_.begin_document(std::time(nullptr));
        doc_.open(table);
        list_ = table;
    }
    void end_document() {
        doc_.end_document();
        list_.reset();
    }

    std::ostream& out_;
    output::JsonDocumentWriter doc_;
    std::optional<Table> dumping_; // the table a dump is filling
    bool dump_listed_ = false;     // its list is open in the document
    std::optional<Table> list_;    // the list open in the document
};

// One exposition per run (node_exporter reads a file whole): each table's last
// finished dump, or in place of a SAD dump the SAs `get` printed. Samples are spooled
// family by family as records arrive (output/spool.hpp), so memory stays flat. A dump
// that never ended (the kernel refused it) is left out.
class PrometheusPrinter final : public RecordPrinter {
public:
    explicit PrometheusPrinter(std::ostream& out) : out_(out) {}

    void dump_starts(bool policies) override {
        dumping_ = policies ? Table::spd : Table::sad;
        if (policies) {
            spd_dump_.clear();
        } else {
            sad_dump_.clear();
        }
    }
    void sa(const model::SaRecord& record) override {
        if (dumping_ == Table::sad) return sad_dump_.add(record);
        if (sad_ == Kept::dump) return; // a get beside a dump: the dump counts it already
        sad_kept_.add(record);
        sad_ = Kept::get;
    }
    void policy(const model::PolicyRecord& record) override {
        if (dumping_ == Table::spd) return spd_dump_.add(record);
        spd_kept_.add(record); // outside a dump (a caller other than the executor)
        spd_ = Kept::dump;
    }
    void dumped(bool policies) override {
        const Table table = policies ? Table::spd : Table::sad;
        if (policies) {
            if (dumping_ == table) std::swap(spd_kept_, spd_dump_);
            spd_ = Kept::dump;
        } else {
            if (dumping_ == table) std::swap(sad_kept_, sad_dump_);
            sad_ = Kept::dump;
        }
        dumping_ = Table::none;
    }
    void finish() override {
        if (sad_ != Kept::none)
            sad_kept_.write_to(out_, sad_ == Kept::get ? output::SaSource::get : output::SaSource::dump);
        if (spd_ != Kept::none) spd_kept_.write_to(out_);
        out_.flush();
        sad_kept_.clear();
        sad_dump_.clear();
        spd_kept_.clear();
        spd_dump_.clear();
        sad_ = spd_ = Kept::none;
        dumping_ = Table::none;
    }

private:
    enum class Table { none, sad, spd };
    enum class Kept { none, get, dump };
    std::ostream& out_;
    Table dumping_ = Table::none;
    output::SaFamilies sad_kept_, sad_dump_;
    output::SpdCounts spd_kept_, spd_dump_;
    Kept sad_ = Kept::none, spd_ = Kept::none;
};

class JsonlPrinter final : public RecordPrinter {
public:
    JsonlPrinter(std::ostream& out, const PrinterChoice& choice)
        : writer_(out, machine_options(choice)) {}
    void sa(const model::SaRecord& record) override { writer_.write(record); }
    void policy(const model::PolicyRecord& record) override { writer_.write(record); }

private:
    output::JsonlWriter writer_;
};

// Statement texts held as a hash and where the text sits in a spool (24 bytes each in
// memory, however long the text); a matching hash is confirmed on the text itself.
class StatementSet {
public:
    void insert(std::string_view text) {
        index_.push_back({std::hash<std::string_view>{}(text), texts_.size(), text.size()});
        texts_.append(text);
        sorted_ = false;
    }
    bool contains(std::string_view text) {
        if (!sorted_) std::sort(index_.begin(), index_.end());
        sorted_ = true;
        const Entry probe{std::hash<std::string_view>{}(text), 0, 0};
        const auto same_hash = [](const Entry& a, const Entry& b) { return a.hash < b.hash; };
        auto [it, last] = std::equal_range(index_.begin(), index_.end(), probe, same_hash);
        for (; it != last; ++it)
            if (it->length == text.size() && texts_.read(it->offset, it->length, scratch_) && scratch_ == text)
                return true;
        return false;
    }
    bool empty() const { return index_.empty(); }
    void clear() {
        index_.clear();
        texts_.clear();
    }

private:
    struct Entry {
        size_t hash, offset, length;
        friend auto operator<=>(const Entry&, const Entry&) = default;
    };
    std::vector<Entry> index_;
    output::Spool texts_;
    std::string scratch_;
    bool sorted_ = true;
};

// `-o script`: each table dumped as a flush and the statements that fill it again,
// oldest entry first (dumps list the newest first), so `setkey -f` of the text gives
// the same dump back. A table is written when its dump ended: a dump the kernel broke
// off writes nothing rather than a flush and half a table. In RFC mode (-r, the
// default) the fwd policy a load adds for every `in` policy is left out, since the
// `spdadd ... in` brings it back.
// Oldest first also keeps the kernel's order among equal priorities on reload. The
// statements wait in spools, so a table of any size costs a few MiB and 24 bytes per
// in policy (its fwd companion).
class ScriptPrinter final : public RecordPrinter {
public:
    ScriptPrinter(std::ostream& out, const PrinterChoice& choice)
        : out_(out), options_{choice.show_keys}, fwd_companions_(choice.fwd_companion) {}

    void sa(const model::SaRecord& record) override {
        if (!output::scriptable(record)) return;
        sas_.append_record(output::unscriptable_comment(record) + output::sa_record_statement(record, options_));
        any_sa_ = true;
    }
    void policy(const model::PolicyRecord& record) override {
        if (!output::scriptable(record)) return;
        const model::SpdEntry entry = output::policy_script_entry(record);
        // The companion of an in policy as the script writes it, to be compared with
        // the fwd policy written the same way.
        if (fwd_companions_)
            if (auto fwd = model::fwd_companion(entry)) companions_.insert(output::policy_statement(*fwd));
        // A leading byte says whether the statement is a fwd policy's.
        std::string line(1, record.dir == model::Direction::fwd ? 'f' : '-');
        line += output::unscriptable_comment(record);
        line += output::policy_statement(entry);
        policies_.append_record(line);
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
            out_ << "# The fwd policy of every in policy is left out: setkey -f adds it (-r, the default).\n";
        // The leading byte goes; so does a fwd policy that is an in policy's companion
        // (its statement, after any comment line, is the companion's).
        const bool read = policies_.records_reversed([&](std::string_view record) {
            const std::string_view text = record.substr(1);
            const std::string_view statement = text.starts_with('#') ? text.substr(text.find('\n') + 1) : text;
            if (record.front() != 'f' || !companions_.contains(statement)) out_ << text;
        });
        if (!read) out_.setstate(std::ios::badbit);
        policies_.clear();
        companions_.clear();
    }

    std::ostream& out_;
    output::ScriptOptions options_;
    bool fwd_companions_;
    output::Spool sas_;      // statements, dump order
    bool any_sa_ = false;
    output::Spool policies_; // "f" or "-", then the statement; dump order
    StatementSet companions_;
};

} // namespace

std::unique_ptr<RecordPrinter> make_printer(const PrinterChoice& choice, std::ostream& out) {
    switch (choice.format) {
    case OutputFormat::json:
        return std::make_unique<JsonPrinter>(out, choice);
    case OutputFormat::jsonl:
        return std::make_unique<JsonlPrinter>(out, choice);
    case OutputFormat::prometheus:
        return std::make_unique<PrometheusPrinter>(out);
    case OutputFormat::script:
        return std::make_unique<ScriptPrinter>(out, choice);
    case OutputFormat::classic:
        break;
    }
    return std::make_unique<ClassicPrinter>(out, choice.ports);
}

std::unique_ptr<RecordPrinter> make_short_printer(std::ostream& out) {
    return std::make_unique<ShortPrinter>(out);
}

} // namespace setkey::cli
