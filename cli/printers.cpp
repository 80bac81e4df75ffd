#include "cli/printers.hpp"

#include <ctime>

#include "output/classic.hpp"
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

} // namespace

std::unique_ptr<RecordPrinter> make_printer(const PrinterChoice& choice, std::ostream& out,
                                            std::string& error) {
    switch (choice.format) {
    case OutputFormat::classic:
        return std::make_unique<ClassicPrinter>(out, choice.ports);
    case OutputFormat::json:
    case OutputFormat::jsonl:
    case OutputFormat::prometheus:
        break;
    }
    error = "this output format is not available yet (output/json.hpp has not landed)";
    return nullptr;
}

std::unique_ptr<RecordPrinter> make_short_printer(std::ostream& out) {
    return std::make_unique<ShortPrinter>(out);
}

} // namespace setkey::cli
