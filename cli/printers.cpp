#include "cli/printers.hpp"

#include "cli/script_printer.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "model/linux_rules.hpp"
#include "model/sync_identity.hpp"
#include "model/record_commands.hpp"
#include "output/classic.hpp"
#include "output/json.hpp"
#include "output/prometheus.hpp"
#include "output/script.hpp"
#include "output/short.hpp"
#include "output/spool.hpp"

namespace setkey::cli {
namespace {

using model::sa_key;

class ClassicPrinter final : public RecordPrinter {
public:
    ClassicPrinter(std::ostream& out, bool ports) : out_(out) {
        options_.with_ports = ports;
        options_.tz = std::getenv("TZ"); // a run does not change its own environment
    }
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
        // The same SA got again (`get` twice, maybe changed between): the next document.
        if (dumping_ != Table::sa && !got_.insert(sa_key(record)).second) {
            end_document();
            got_.insert(sa_key(record));
        }
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
        got_.clear();
    }

    std::ostream& out_;
    output::JsonDocumentWriter doc_;
    std::set<std::string> got_;    // SAs listed by `get` in the open document
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
        // An SA got twice is one series: the last get's (gets are few: held in memory).
        got_.insert_or_assign(sa_key(record), record);
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
            else
                for (const auto& [key, record] : got_) sad_kept_.add(record); // records without dump_starts are the dump
            sad_ = Kept::dump;
            got_.clear();
        }
        dumping_ = Table::none;
    }
    void finish() override {
        if (sad_ == Kept::get)
            for (const auto& [key, record] : got_) sad_kept_.add(record);
        got_.clear();
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
    std::map<std::string, model::SaRecord> got_; // `get` results by the kernel's SA key
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
        return make_script_printer(out, choice);
    case OutputFormat::classic:
        break;
    }
    return std::make_unique<ClassicPrinter>(out, choice.ports);
}

std::unique_ptr<RecordPrinter> make_short_printer(std::ostream& out) {
    return std::make_unique<ShortPrinter>(out);
}

} // namespace setkey::cli
