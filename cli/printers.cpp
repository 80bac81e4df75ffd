#include "cli/printers.hpp"

#include <ctime>
#include <optional>
#include <vector>

#include "output/classic.hpp"
#include "output/json.hpp"
#include "output/prometheus.hpp"
#include "output/short.hpp"

namespace setkey::cli {
namespace {

class ClassicPrinter final : public RecordPrinter {
public:
    ClassicPrinter(std::ostream& out, bool ports) : out_(out) { options_.with_ports = ports; }
    void sa(const model::SaRecord& record) override {
        options_.now = std::time(nullptr); // "current:" and "diff:" are relative to now
        out_ << output::format_sa(record, options_);
    }
    void policy(const model::PolicyRecord& record) override {
        options_.now = std::time(nullptr);
        out_ << output::format_policy(record, options_);
    }
    bool reports_empty_dumps() const override { return true; }
    void finish() override { out_.flush(); }

private:
    std::ostream& out_;
    output::ClassicOptions options_;
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

// Collects what one JSON document or one Prometheus exposition describes: at most one
// dump of each table, or in place of the SAD dump the SAs `get` printed, so no record
// is listed twice. A dump that never ended (the kernel refused it) is left out.
class TablePrinter : public RecordPrinter {
public:
    // json: a table dumped again starts the next document. prometheus (one exposition
    // per run): the last dump of a table replaces the earlier one.
    explicit TablePrinter(bool document_per_repeat) : document_per_repeat_(document_per_repeat) {}

    void dump_starts(bool policies) override {
        drop_unfinished_dump();
        const bool repeated = policies ? spd_.has_value() : sad_.has_value();
        if (repeated && document_per_repeat_) print_and_reset();
        if (policies) {
            spd_.emplace();
        } else {
            sad_.emplace();
            sad_from_get_ = false;
        }
        dumping_ = policies ? Table::spd : Table::sad;
    }
    void sa(const model::SaRecord& record) override {
        if (dumping_ != Table::sad && sad_ && !sad_from_get_) { // a get beside a SAD dump
            if (!document_per_repeat_) return; // the metrics keep the dump
            print_and_reset();
        }
        if (!sad_) {
            sad_.emplace();
            sad_from_get_ = dumping_ != Table::sad;
        }
        sad_->push_back(record);
    }
    void policy(const model::PolicyRecord& record) override {
        if (!spd_) spd_.emplace();
        spd_->push_back(record);
    }
    // Without dump_starts (a caller other than the executor), what came is the dump.
    void dumped(bool policies) override {
        if (policies) {
            if (!spd_) spd_.emplace();
        } else {
            if (!sad_) sad_.emplace();
            sad_from_get_ = false;
        }
        dumping_ = Table::none;
    }
    void finish() override {
        drop_unfinished_dump();
        print_and_reset();
    }

protected:
    virtual void print() = 0;
    std::optional<std::span<const model::SaRecord>> sad() const {
        if (!sad_) return std::nullopt;
        return std::span<const model::SaRecord>(*sad_);
    }
    std::optional<std::span<const model::PolicyRecord>> spd() const {
        if (!spd_) return std::nullopt;
        return std::span<const model::PolicyRecord>(*spd_);
    }
    bool sad_from_get() const { return sad_from_get_; }

private:
    enum class Table { none, sad, spd };
    void drop_unfinished_dump() {
        if (dumping_ == Table::sad) sad_.reset();
        if (dumping_ == Table::spd) spd_.reset();
        dumping_ = Table::none;
    }
    void print_and_reset() {
        if (sad_ || spd_) print();
        sad_.reset();
        spd_.reset();
        sad_from_get_ = false;
    }

    bool document_per_repeat_;
    std::optional<std::vector<model::SaRecord>> sad_;
    std::optional<std::vector<model::PolicyRecord>> spd_;
    bool sad_from_get_ = false; // sad_ holds `get` results, not a dump
    Table dumping_ = Table::none;
};

output::MachineOptions machine_options(const PrinterChoice& choice) {
    output::MachineOptions options;
    options.record.show_keys = choice.show_keys;
    options.backend = choice.backend;
    options.time = std::time(nullptr);
    return options;
}

class JsonPrinter final : public TablePrinter {
public:
    JsonPrinter(std::ostream& out, const PrinterChoice& choice)
        : TablePrinter(true), out_(out), choice_(choice) {}

private:
    void print() override {
        out_ << output::json_document(sad(), spd(), machine_options(choice_));
        out_.flush();
    }
    std::ostream& out_;
    PrinterChoice choice_;
};

class PrometheusPrinter final : public TablePrinter {
public:
    explicit PrometheusPrinter(std::ostream& out) : TablePrinter(false), out_(out) {}

private:
    void print() override {
        out_ << output::prometheus_text(sad(), spd(),
                                        sad_from_get() ? output::SaSource::get : output::SaSource::dump);
        out_.flush();
    }
    std::ostream& out_;
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
    case OutputFormat::classic:
        break;
    }
    return std::make_unique<ClassicPrinter>(out, choice.ports);
}

std::unique_ptr<RecordPrinter> make_short_printer(std::ostream& out) {
    return std::make_unique<ShortPrinter>(out);
}

} // namespace setkey::cli
