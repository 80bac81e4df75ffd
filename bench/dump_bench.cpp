// What `setkey -D`/`-DP` spend on their own, without a kernel: a script's SAs and
// policies are encoded once as wire messages (PF_KEY and XFRM), then each round decodes
// every message and prints it through each format's printer, as a dump does. Prints
// microseconds per entry for decoding and for decoding plus printing.
//   bench_dump FILE [REPEAT]    (FILE: e.g. the output of bench/gen-script.py 10000)
// BENCH_ONLY="CASE/FORMAT" runs just that pair ("xfrm SA/classic"; "xfrm SA/" every
// format of one case, "/json" one format of every case), so a profile shows one pair.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench/kernel/script_loader.hpp"
#include "bench/script_file.hpp"
#include "cli/printers.hpp"
#include "pfkey/codec.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

namespace {

struct Wire {
    std::vector<std::vector<uint8_t>> pfkey_sa, pfkey_sp, xfrm_sa, xfrm_sp;
};

// The script's adds and spdadds (bench::load_requests, as the raw senders read them),
// encoded once for each codec.
Wire encode_script(const std::string& path) {
    Wire w;
    uint32_t seq = 0;
    for (const model::Command& c : bench::load_requests(path)) {
        ++seq;
        if (const auto* sa = std::get_if<model::AddSa>(&c)) {
            w.pfkey_sa.push_back(pfkey::encode_add_sa(*sa, {1, seq}));
            w.xfrm_sa.push_back(xfrm::encode_add_sa(*sa, seq));
        } else if (const auto* sp = std::get_if<model::SpdEntry>(&c)) {
            w.pfkey_sp.push_back(pfkey::encode_policy(*sp, {1, seq}));
            w.xfrm_sp.push_back(xfrm::encode_policy(*sp, seq));
        }
    }
    return w;
}

// Where the text goes: counted and dropped, as a dump to /dev/null (a growing
// std::ostringstream charged its reallocations to the printers).
class CountingSink : public std::streambuf {
public:
    size_t bytes = 0;

protected:
    std::streamsize xsputn(const char*, std::streamsize n) override {
        bytes += static_cast<size_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) ++bytes;
        return traits_type::not_eof(c);
    }
};

template <class F>
double best_seconds(int repeat, F&& round) {
    double best = 1e9;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        round();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

// A dump reply also carries the current lifetime (add time, counters), which the add
// requests these messages were made from do not: give the records one, as the kernel does.
template <class Record>
Record& as_dumped(Record& r) {
    if (!r.current) r.current = model::Lifetime{.add_time = 1795000000};
    return r;
}

// Decodes each message into a record; prints it when `printer` is set.
void pfkey_round(const std::vector<std::vector<uint8_t>>& msgs, cli::RecordPrinter* printer) {
    for (const auto& m : msgs) {
        pfkey::Decoded d = pfkey::decode_message(m);
        if (!printer) continue;
        if (d.policy) printer->policy(as_dumped(*d.policy));
        else if (d.sa) printer->sa(as_dumped(*d.sa));
    }
}

void xfrm_round(const std::vector<std::vector<uint8_t>>& msgs, cli::RecordPrinter* printer) {
    for (const auto& m : msgs) {
        xfrm::Decoded d = xfrm::decode_message(m);
        if (!printer) continue;
        if (auto* p = std::get_if<model::PolicyRecord>(&d.body)) printer->policy(as_dumped(*p));
        else if (auto* s = std::get_if<model::SaRecord>(&d.body)) printer->sa(as_dumped(*s));
    }
}

} // namespace

int main(int argc, char** argv) {
    const auto args = bench::script_args(argc, argv, 5);
    if (!args) return 1;
    const int repeat = args->repeat;
    Wire w;
    try {
        w = encode_script(args->path);
    } catch (const std::exception& e) {
        std::fputs(e.what(), stderr);
        return 1;
    }

    struct Case {
        const char* name;
        const std::vector<std::vector<uint8_t>>& msgs;
        void (*round)(const std::vector<std::vector<uint8_t>>&, cli::RecordPrinter*);
    };
    const Case cases[] = {{"pfkey SA", w.pfkey_sa, pfkey_round},
                          {"pfkey SP", w.pfkey_sp, pfkey_round},
                          {"xfrm SA", w.xfrm_sa, xfrm_round},
                          {"xfrm SP", w.xfrm_sp, xfrm_round}};
    struct Format {
        const char* name;
        cli::OutputFormat format;
    };
    const Format formats[] = {{"classic", cli::OutputFormat::classic},
                              {"json", cli::OutputFormat::json},
                              {"jsonl", cli::OutputFormat::jsonl},
                              {"prometheus", cli::OutputFormat::prometheus}};
    const std::string only = std::getenv("BENCH_ONLY") ? std::getenv("BENCH_ONLY") : "/";
    const std::string only_case = only.substr(0, only.find('/'));
    const std::string only_format = only.find('/') == std::string::npos ? "" : only.substr(only.find('/') + 1);
    for (const Case& c : cases) {
        if (c.msgs.empty() || !(only_case.empty() || only_case == c.name)) continue;
        const double n = static_cast<double>(c.msgs.size());
        const double decode = best_seconds(repeat, [&] { c.round(c.msgs, nullptr); });
        std::printf("%-9s %zu entries: decode %.2f us/entry\n", c.name, c.msgs.size(), decode / n * 1e6);
        for (const Format& f : formats) {
            if (!only_format.empty() && only_format != f.name) continue;
            size_t bytes = 0;
            const double print = best_seconds(repeat, [&] {
                CountingSink counter;
                std::ostream sink(&counter);
                // A printer per round, as per run: json ends its document, prometheus
                // writes its spooled families at finish().
                const auto printer = cli::make_printer({f.format, false, false, "bench"}, sink);
                // As a dump: the records arrive between dump_starts and dumped (json
                // checks records outside a dump against those already shown).
                const bool policies = c.name[std::strlen(c.name) - 1] == 'P';
                printer->dump_starts(policies);
                c.round(c.msgs, printer.get());
                printer->dumped(policies);
                printer->finish();
                bytes = counter.bytes;
            });
            std::printf("    decode + %-10s %.2f us/entry (%.1f MB of text)\n", f.name, print / n * 1e6,
                        double(bytes) / 1e6);
        }
    }
    return 0;
}
