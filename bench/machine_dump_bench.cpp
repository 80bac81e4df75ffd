// Peak memory of a dump per output format, without a kernel: N SAs and N policies (one
// of each decoded from real XFRM messages, then given distinct SPIs and indexes) go
// through the printer `-o FORMAT` uses, as the executor hands a dump over, into
// /dev/null. Run by machine_dump_bench.sh, which reads peak RSS per process.
//   bench_machine_dump classic|json|jsonl|prometheus N
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench/kernel/script_loader.hpp"
#include "cli/printers.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s classic|json|jsonl|prometheus N\n", argv[0]);
        return 1;
    }
    const std::string format = argv[1];
    const long n = std::atol(argv[2]);
    cli::OutputFormat f = cli::OutputFormat::classic;
    if (format == "json") f = cli::OutputFormat::json;
    else if (format == "jsonl") f = cli::OutputFormat::jsonl;
    else if (format == "prometheus") f = cli::OutputFormat::prometheus;

    char path[] = "/tmp/setkey-machine-dump-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return 1;
    std::ofstream(path) << "add 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel -E aes-cbc "
                           "0x00112233445566778899aabbccddeeff -A hmac-sha1 "
                           "0x00112233445566778899aabbccddeeff00112233;\n"
                           "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec "
                           "esp/tunnel/10.0.0.1-10.0.0.2/require;\n";
    const auto commands = bench::load_requests(path);
    std::remove(path);
    model::SaRecord sa;
    model::PolicyRecord sp;
    for (const model::Command& c : commands) {
        if (const auto* add = std::get_if<model::AddSa>(&c))
            sa = std::get<model::SaRecord>(xfrm::decode_message(xfrm::encode_add_sa(*add, 1)).body);
        else if (const auto* entry = std::get_if<model::SpdEntry>(&c))
            sp = std::get<model::PolicyRecord>(xfrm::decode_message(xfrm::encode_policy(*entry, 2)).body);
    }
    sa.current = model::Lifetime{.add_time = 1795000000};
    sp.current = model::Lifetime{.add_time = 1795000000};

    std::ofstream sink("/dev/null");
    const auto printer = cli::make_printer({.format = f, .backend = "xfrm"}, sink);
    printer->dump_starts(false);
    for (long i = 0; i < n; ++i) {
        sa.spi = static_cast<uint32_t>(0x1000 + i);
        printer->sa(sa);
    }
    printer->dumped(false);
    printer->dump_starts(true);
    for (long i = 0; i < n; ++i) {
        sp.id = static_cast<uint32_t>(8 * i + 1);
        printer->policy(sp);
    }
    printer->dumped(true);
    printer->finish();
    return sink.good() ? 0 : 1;
}
