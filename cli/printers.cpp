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

// Collects what was dumped; `json` and `prometheus` describe whole tables at once.
class TablePrinter : public RecordPrinter {
public:
    void sa(const model::SaRecord& record) override { sas_.push_back(record); }
    void policy(const model::PolicyRecord& record) override { policies_.push_back(record); }
    void dumped(bool policies) override { (policies ? spd_dumped_ : sad_dumped_) = true; }
    void finish() override {
        if (sad_dumped_ || spd_dumped_ || !sas_.empty() || !policies_.empty()) print();
        sas_.clear();
        policies_.clear();
        sad_dumped_ = spd_dumped_ = false;
    }

protected:
    virtual void print() = 0;
    std::optional<std::span<const model::SaRecord>> sad() const {
        if (!sad_dumped_ && sas_.empty()) return std::nullopt;
        return std::span<const model::SaRecord>(sas_);
    }
    std::optional<std::span<const model::PolicyRecord>> spd() const {
        if (!spd_dumped_ && policies_.empty()) return std::nullopt;
        return std::span<const model::PolicyRecord>(policies_);
    }

private:
    std::vector<model::SaRecord> sas_;
    std::vector<model::PolicyRecord> policies_;
    bool sad_dumped_ = false, spd_dumped_ = false;
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
    JsonPrinter(std::ostream& out, const PrinterChoice& choice) : out_(out), choice_(choice) {}

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
    explicit PrometheusPrinter(std::ostream& out) : out_(out) {}

private:
    void print() override {
        const auto sas = sad();
        out_ << output::prometheus_text(sas ? *sas : std::span<const model::SaRecord>{}, spd());
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
