// RecordPrinter implementations for each output format, over the output/ layer.
#pragma once

#include <memory>
#include <ostream>
#include <string_view>

#include "cli/options.hpp"
#include "cli/record_printer.hpp"

namespace setkey::cli {

struct PrinterChoice {
    OutputFormat format = OutputFormat::classic;
    bool ports = false;     // -p (classic)
    bool show_keys = false; // --show-keys (machine formats hide keys by default)
    std::string_view backend; // "pfkey" or "xfrm", recorded in machine formats
    bool fwd_companion = true; // -r/-k: script output leaves out the fwd copies -r adds
};

std::unique_ptr<RecordPrinter> make_printer(const PrinterChoice& choice, std::ostream& out);

// `-D -l`: the short one-line-per-SA listing (the caller prints the header once).
std::unique_ptr<RecordPrinter> make_short_printer(std::ostream& out);

} // namespace setkey::cli
