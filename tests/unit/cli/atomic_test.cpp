// --atomic: the first refusal stops the load and the SAD/SPD come back as they were,
// whatever the run did before it (adds, deletes, flushes, fwd companions, batches).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/modes.hpp"
#include "support/fake_backend.hpp"
#include "model/record_commands.hpp"
#include "mode_fixture.hpp"
#include "support/table_fake.hpp"

namespace setkey {
namespace {

using testing::TableFake;

const std::string kKey = "0x000102030405060708090a0b0c0d0e0f";

std::string add_line(unsigned spi) {
    return "add 192.0.2.1 192.0.2.2 esp " + std::to_string(spi) + " -m tunnel -u 7 -r 64" +
           " -E aes-cbc " + kKey + " -A hmac-sha256 " + kKey + kKey.substr(2) + ";\n";
}

std::string spd_line(unsigned n, const char* dir) {
    return "spdadd 10.0." + std::to_string(n) + ".0/24 10.9.0.0/16 any -P " + dir +
           " ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n";
}

struct Atomic : testing::ModeTest {
    TableFake table;

    cli::BackendOpener table_opener() {
        return [this](std::string&) -> std::unique_ptr<model::Backend> {
            return std::make_unique<testing::BorrowedBackend>(table);
        };
    }
    cli::Options options(const std::string& file) {
        cli::Options o;
        o.mode = cli::Mode::script;
        o.script = file;
        o.atomic = true;
        return o;
    }
    // Some state that exists before the run and must survive it.
    void populate() {
        std::ostringstream s;
        for (unsigned i = 1; i <= 3; ++i) s << add_line(0x1000 + i) << spd_line(200 + i, "in");
        cli::Options o = options(write("before.conf", s.str()));
        o.atomic = false;
        ASSERT_EQ(cli::run_script(o, io(), table_opener()), 0) << err.str();
        err.str("");
    }
};

TEST_F(Atomic, DumpedSaReAddsAsTheSameAdd) {
    model::AddSa a;
    a.key.src.addr = *model::IpAddress::parse("192.0.2.1");
    a.key.dst.addr = *model::IpAddress::parse("192.0.2.2");
    a.key.spi = 0x1234;
    a.key.mode = model::Mode::tunnel;
    a.key.reqid = 9;
    a.replay = 32;
    a.hard.add_seconds = 3600;
    a.soft.bytes = 1000;
    a.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"),
                                  std::vector<uint8_t>(16, 0xab)};
    std::string why;
    const auto back = model::readd_sa(TableFake::record(a), why);
    ASSERT_TRUE(back) << why;
    EXPECT_EQ(*back, a);
}

TEST_F(Atomic, RefusalAtThe50thOf100LeavesTheTablesAsBefore) {
    populate();
    const auto sas = table.sas;
    const auto spd = table.spd_without_ids();
    std::ostringstream s;
    s << "deleteall 192.0.2.1 192.0.2.2 esp;\nspdflush;\n"; // destroy, then rebuild
    for (unsigned i = 0; i < 98; ++i)
        s << (i % 2 ? spd_line(i, "out") : add_line(0x2000 + i));
    table.changes = 0;
    // Requests: deleteall's three deletes, spdflush, then one per statement, so the
    // 50th statement sends the 52nd.
    table.fail_at = 52;
    EXPECT_EQ(cli::run_script(options(write("big.conf", s.str())), io(), table_opener()), 2);
    EXPECT_EQ(table.sas, sas);
    EXPECT_EQ(table.spd_without_ids(), spd);
    EXPECT_NE(err.str().find("failed: Invalid argument"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("setkey: --atomic: rolled back "), std::string::npos) << err.str();
    EXPECT_EQ(err.str().find("could not be rolled back"), std::string::npos) << err.str();
}

TEST_F(Atomic, StopsAtTheFirstRefusal) {
    std::ostringstream s;
    for (unsigned i = 0; i < 10; ++i) s << add_line(0x3000 + i);
    table.fail_at = 4;
    EXPECT_EQ(cli::run_script(options(write("s.conf", s.str())), io(), table_opener()), 2);
    EXPECT_EQ(table.changes, 4u + 3u); // 4 sent, 3 rolled back
    EXPECT_TRUE(table.sas.empty());
    EXPECT_NE(err.str().find("rolled back 3 changes"), std::string::npos) << err.str();
}

TEST_F(Atomic, FwdCompanionsAreRolledBackToo) {
    populate();
    const auto spd = table.spd_without_ids();
    std::ostringstream s;
    s << spd_line(1, "in") << spd_line(2, "in") << spd_line(3, "in");
    table.changes = 0;
    table.fail_at = 6; // the third statement's fwd copy
    EXPECT_EQ(cli::run_script(options(write("s.conf", s.str())), io(), table_opener()), 2);
    EXPECT_EQ(table.spd_without_ids(), spd);
}

// --compat-exit keeps 0 for plain refusals; a rolled-back load still says it failed.
TEST_F(Atomic, RollbackExitsTwoEvenWithCompatExit) {
    std::ostringstream s;
    for (unsigned i = 0; i < 3; ++i) s << add_line(0x3000 + i);
    table.fail_at = 2;
    cli::Options o = options(write("s.conf", s.str()));
    o.compat_exit = true;
    EXPECT_EQ(cli::run_script(o, io(), table_opener()), 2);
    EXPECT_TRUE(table.sas.empty());
    EXPECT_EQ(out.str(), "The result of line 2: Invalid argument.\n");
}

TEST_F(Atomic, WithoutAtomicTheRestStillRuns) {
    std::ostringstream s;
    for (unsigned i = 0; i < 10; ++i) s << add_line(0x3000 + i);
    table.fail_at = 4;
    cli::Options o = options(write("s.conf", s.str()));
    o.atomic = false;
    EXPECT_EQ(cli::run_script(o, io(), table_opener()), 2);
    EXPECT_EQ(table.sas.size(), 9u);
    EXPECT_EQ(err.str().find("rolled back"), std::string::npos);
}

TEST_F(Atomic, SuccessLeavesTheLoadInPlaceAndSaysNothing) {
    std::ostringstream s;
    for (unsigned i = 0; i < 5; ++i) s << add_line(0x3000 + i);
    EXPECT_EQ(cli::run_script(options(write("s.conf", s.str())), io(), table_opener()), 0);
    EXPECT_EQ(table.sas.size(), 5u);
    EXPECT_EQ(err.str(), "");
}

TEST_F(Atomic, CommandModeRollsBackToo) {
    populate();
    const auto sas = table.sas;
    in.str("flush;\n" + add_line(0x4000) + add_line(0x4001) + add_line(0x4002));
    table.changes = 0;
    table.fail_at = 3;
    cli::Options o;
    o.mode = cli::Mode::commands;
    o.atomic = true;
    EXPECT_EQ(cli::run_commands(o, io(), table_opener()), 2);
    EXPECT_EQ(table.sas, sas);
    EXPECT_EQ(table.changes, 3u + 1u + 3u); // 3 sent; the new SA deleted, 3 re-added
}

TEST_F(Atomic, CommandModeStopsAndRollsBackAtAParseError) {
    populate();
    const auto sas = table.sas;
    in.str("flush;\n" + add_line(0x4000) + "add nonsense;\n" + add_line(0x4001));
    cli::Options o;
    o.mode = cli::Mode::commands;
    o.atomic = true;
    EXPECT_EQ(cli::run_commands(o, io(), table_opener()), 2);
    EXPECT_EQ(table.sas, sas); // 0x4001 never sent, the flush and 0x4000 undone
    EXPECT_NE(err.str().find("rolled back 4 changes"), std::string::npos) << err.str(); // 1 + 3
}

TEST_F(Atomic, UnrestorableSaIsReportedOnItsOwnLine) {
    model::SaRecord r = TableFake::record(model::AddSa{});
    r.enc.pfkey_id = 250; // an algorithm the table does not know
    table.sas.push_back(r);
    cli::Snapshot snap;
    std::string error;
    ASSERT_TRUE(snap.take(table, error)) << error;
    table.sas.clear();
    std::ostringstream e;
    cli::print_rollback(e, snap.restore(table));
    EXPECT_EQ(e.str().rfind(
                  "setkey: --atomic: rolled back 0 changes to the SAD/SPD; 1 could not be "
                  "rolled back\nsetkey: rollback: re-add esp SA ",
                  0),
              0u)
        << e.str();
    EXPECT_NE(e.str().find("spi 0x00000000: encryption algorithm unknown to setkey\n"),
              std::string::npos);
}

// The XFRM batch path: a window is sent whole, so requests after the refusal in the
// same window reached the kernel; the rollback covers them as well. (The fake's
// apply_batch is model::Backend's default: one call after the other.)
TEST_F(Atomic, BatchedLoadRollsBackEverythingItSent) {
    populate();
    const auto sas = table.sas;
    const auto spd = table.spd_without_ids();
    cli::Snapshot snap;
    std::string error;
    ASSERT_TRUE(snap.take(table, error));
    testing::RecordingPrinter printer;
    testing::BorrowedBackend batched(table);
    cli::Executor ex(batched, printer, {.stop_on_failure = true, .batch_window = 16}, out, err);
    table.changes = 0;
    table.fail_at = 10;
    model::Statement flush{model::FlushSpd{}, {1, 1}, 1};
    ASSERT_EQ(ex.run(flush, "x"), cli::Executor::Next::go_on);
    for (unsigned i = 0; i < 40; ++i) {
        model::AddSa a;
        a.key.spi = 0x5000 + i;
        a.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"),
                                      std::vector<uint8_t>(16, 1)};
        if (ex.run({a, {i + 2, 1}, i + 2}, "x") == cli::Executor::Next::stop) break;
    }
    ex.finish();
    EXPECT_EQ(table.changes, 16u); // the window holding the refusal was the last one sent
    EXPECT_EQ(ex.failures(), 1u);
    snap.restore(table);
    EXPECT_EQ(table.sas, sas);
    EXPECT_EQ(table.spd_without_ids(), spd);
}

// The rollback deletes an SA the load added with the very key `deleteall` sends for it:
// addresses, type and SPI (model/record_commands.hpp), not the record's mode, reqid or
// NAT-T ports. (On 543f78a the rollback's key carried those, deleteall's did not.)
TEST_F(Atomic, RollbackDeletesWithTheKeyDeleteallSends) {
    testing::FakeBackend fake;
    cli::Snapshot snap;
    std::string error;
    ASSERT_TRUE(snap.take(fake, error)) << error;
    model::SaRecord added;
    added.src = *model::IpAddress::parse("192.0.2.1");
    added.dst = *model::IpAddress::parse("192.0.2.2");
    added.spi = 0x4321;
    added.mode = model::Mode::tunnel;
    added.reqid = 7;
    added.natt_type = 2;
    added.natt_sport = 4500;
    added.natt_dport = 4500;
    fake.sas = {added};
    snap.restore(fake);
    ASSERT_EQ(fake.deleted.size(), 1u);

    testing::RecordingPrinter printer;
    cli::Executor ex(fake, printer, {}, out, err);
    ex.run({model::DeleteAllSa{added.src, added.dst, {}}, {1, 1}, 1}, "x");
    ASSERT_EQ(fake.deleted.size(), 2u);
    EXPECT_EQ(fake.deleted[0], fake.deleted[1]);
}

} // namespace
} // namespace setkey
