// What the print fuzzers share: decoded records through every dump format the CLI
// offers, keys shown and hidden, as a dump (start, records, end), and `-x` both ways.
// A lying kernel message may decode into any record; no printer may crash on one.
#pragma once

#include <ctime>
#include <sstream>
#include <vector>

#include "cli/modes.hpp"
#include "cli/printers.hpp"
#include "model/record.hpp"

namespace setkey::fuzz {

struct Records {
    std::vector<model::SaRecord> sas;
    std::vector<model::PolicyRecord> policies;
};

inline void print_every_format(const Records& records, std::string_view backend) {
    using cli::OutputFormat;
    for (auto format : {OutputFormat::classic, OutputFormat::json, OutputFormat::jsonl,
                        OutputFormat::prometheus, OutputFormat::script}) {
        for (bool keys : {false, true}) {
            std::ostringstream out;
            cli::PrinterChoice choice{.format = format, .ports = keys, .show_keys = keys,
                                      .backend = backend, .fwd_companion = !keys};
            auto printer = cli::make_printer(choice, out);
            printer->dump_starts(false);
            for (const auto& sa : records.sas) printer->sa(sa);
            printer->dumped(false);
            printer->dump_starts(true);
            for (const auto& policy : records.policies) printer->policy(policy);
            printer->dumped(true);
            printer->finish();
        }
    }
    std::ostringstream out;
    auto short_printer = cli::make_short_printer(out);
    for (const auto& sa : records.sas) short_printer->sa(sa);
    for (const auto& policy : records.policies) short_printer->policy(policy);
    short_printer->finish();
}

// `-x` both ways: classic (-x, with -H) and jsonl (-xx, keys shown). `run(options,
// streams, clock)` runs the backend's monitor over a fresh source of the fuzzer's input.
template <class Run>
void monitor_both_ways(Run run) {
    for (cli::OutputFormat format : {cli::OutputFormat::classic, cli::OutputFormat::jsonl}) {
        cli::Options options;
        options.output = format;
        options.monitor_level = format == cli::OutputFormat::classic ? 1 : 2;
        options.hexdump = format == cli::OutputFormat::classic;
        options.show_keys = format == cli::OutputFormat::jsonl;
        std::istringstream in;
        std::ostringstream out, err;
        (void)run(options, cli::Streams{in, out, err}, [] { return timespec{}; });
    }
}

} // namespace setkey::fuzz
