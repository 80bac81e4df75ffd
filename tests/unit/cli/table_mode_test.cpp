// -D / -F / -DP / -FP map to one backend request each.
#include <algorithm>

#include <gtest/gtest.h>

#include "mode_fixture.hpp"
#include "support/refusing_stream.hpp"

namespace setkey {
namespace {

using testing::ModeTest;

cli::Options table(cli::Mode mode, bool policy) {
    cli::Options o;
    o.mode = mode;
    o.policy = policy;
    return o;
}

struct TableMode : ModeTest {};

TEST_F(TableMode, EachModeSendsItsRequest) {
    EXPECT_EQ(cli::run_table(table(cli::Mode::dump, false), io(), opener()), 0);
    EXPECT_EQ(cli::run_table(table(cli::Mode::dump, true), io(), opener()), 0);
    EXPECT_EQ(cli::run_table(table(cli::Mode::flush, false), io(), opener()), 0);
    EXPECT_EQ(cli::run_table(table(cli::Mode::flush, true), io(), opener()), 0);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"dump_sa", "dump_policies", "flush_sa",
                                                       "flush_policies"}));
    EXPECT_EQ(out.str(), "No SAD entries.\nNo SPD entries.\n");
}

TEST_F(TableMode, DryRunSendsNothing) {
    auto o = table(cli::Mode::flush, false);
    o.dry_run = true;
    EXPECT_EQ(cli::run_table(o, io(), opener()), 0);
    EXPECT_EQ(opened, 0);
}

TEST_F(TableMode, RefusalIsReportedWithoutPosition) {
    kernel.results = {{EPERM, ""}};
    EXPECT_EQ(cli::run_table(table(cli::Mode::flush, true), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: spdflush failed: Operation not permitted\n");
}

TEST_F(TableMode, UnopenableBackendExitsTwo) {
    open_fails = true;
    EXPECT_EQ(cli::run_table(table(cli::Mode::dump, false), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: xfrm: Operation not permitted\n");
}

// Monitoring pipes `-D -o jsonl` into other programs: each record must be out (and
// flushed) as soon as the kernel hands it over, not when the dump ends.
TEST_F(TableMode, JsonlStreamsEachRecordBeforeTheDumpEnds) {
    model::SaRecord r;
    r.src = *model::IpAddress::parse("192.0.2.1");
    r.dst = *model::IpAddress::parse("192.0.2.2");
    for (uint32_t spi = 1; spi <= 3; ++spi) {
        r.spi = spi;
        kernel.sas.push_back(r);
    }
    std::vector<size_t> lines_seen;
    kernel.after_each_sa = [&] {
        const std::string text = out.str();
        lines_seen.push_back(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
    };
    auto o = table(cli::Mode::dump, false);
    o.output = cli::OutputFormat::jsonl;
    EXPECT_EQ(cli::run_table(o, io(), opener()), 0);
    EXPECT_EQ(lines_seen, (std::vector<size_t>{1, 2, 3}));
}

// -D and -DP whose output cannot be written exit 4; -l stops after the first listing
// instead of dumping every second into the void. (A second listing throws, so the
// test ends even where -l would loop.)
TEST_F(TableMode, UnwritableOutputExitsFourAndEndsTheLoop) {
    model::SaRecord r;
    r.src = *model::IpAddress::parse("192.0.2.1");
    r.dst = *model::IpAddress::parse("192.0.2.2");
    kernel.sas = {r};
    int listings = 0;
    kernel.after_each_sa = [&] {
        if (++listings > 1) throw std::runtime_error("a second listing");
    };
    for (bool policy : {false, true})
        for (bool loop : {false, true}) {
            if (policy && loop) continue; // no hook to end a -DP -l loop (tests/kernel/write-error has it)
            listings = 0;
            testing::RefusingStream refusing;
            auto o = table(cli::Mode::dump, policy);
            o.loop = loop;
            EXPECT_EQ(cli::run_table(o, {in, refusing.out, err}, opener()), 4)
                << (policy ? "-DP" : "-D") << (loop ? " -l" : "");
        }
}

TEST_F(TableMode, DumpPrintsClassicRecords) {
    model::SaRecord r;
    r.src = *model::IpAddress::parse("192.0.2.1");
    r.dst = *model::IpAddress::parse("192.0.2.2");
    r.spi = 0x1234;
    r.has_sa2 = true;
    kernel.sas = {r};
    EXPECT_EQ(cli::run_table(table(cli::Mode::dump, false), io(), opener()), 0);
    EXPECT_NE(out.str().find("192.0.2.1 192.0.2.2"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("spi=4660(0x00001234)"), std::string::npos) << out.str();
}

} // namespace
} // namespace setkey
