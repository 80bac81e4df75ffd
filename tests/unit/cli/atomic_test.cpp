// --atomic: the first refusal stops the load and the SAD/SPD come back as they were,
// whatever the run did before it (adds, deletes, flushes, fwd companions, batches).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/load_session.hpp"
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

// `count` adds, of SPIs first_spi, first_spi + 1, ...
std::string add_lines(unsigned first_spi, unsigned count) {
    std::string text;
    for (unsigned i = 0; i < count; ++i) text += add_line(first_spi + i);
    return text;
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
        cli::Options o = testing::script_options(file);
        o.atomic = true;
        return o;
    }
    cli::Options atomic_commands() {
        cli::Options o = testing::commands_options();
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
    table.fail_at = 4;
    EXPECT_EQ(cli::run_script(options(write("s.conf", add_lines(0x3000, 10))), io(), table_opener()), 2);
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
    table.fail_at = 2;
    cli::Options o = options(write("s.conf", add_lines(0x3000, 3)));
    o.compat_exit = true;
    EXPECT_EQ(cli::run_script(o, io(), table_opener()), 2);
    EXPECT_TRUE(table.sas.empty());
    EXPECT_EQ(out.str(), "The result of line 2: Invalid argument.\n");
}

TEST_F(Atomic, WithoutAtomicTheRestStillRuns) {
    table.fail_at = 4;
    cli::Options o = options(write("s.conf", add_lines(0x3000, 10)));
    o.atomic = false;
    EXPECT_EQ(cli::run_script(o, io(), table_opener()), 2);
    EXPECT_EQ(table.sas.size(), 9u);
    EXPECT_EQ(err.str().find("rolled back"), std::string::npos);
}

TEST_F(Atomic, SuccessLeavesTheLoadInPlaceAndSaysNothing) {
    EXPECT_EQ(cli::run_script(options(write("s.conf", add_lines(0x3000, 5))), io(), table_opener()), 0);
    EXPECT_EQ(table.sas.size(), 5u);
    EXPECT_EQ(err.str(), "");
}

TEST_F(Atomic, CommandModeRollsBackToo) {
    populate();
    const auto sas = table.sas;
    in.str("flush;\n" + add_lines(0x4000, 3));
    table.changes = 0;
    table.fail_at = 3;
    EXPECT_EQ(cli::run_commands(atomic_commands(), io(), table_opener()), 2);
    EXPECT_EQ(table.sas, sas);
    EXPECT_EQ(table.changes, 3u + 1u + 3u); // 3 sent; the new SA deleted, 3 re-added
}

TEST_F(Atomic, CommandModeStopsAndRollsBackAtAParseError) {
    populate();
    const auto sas = table.sas;
    in.str("flush;\n" + add_line(0x4000) + "add nonsense;\n" + add_line(0x4001));
    EXPECT_EQ(cli::run_commands(atomic_commands(), io(), table_opener()), 2);
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

// Issue 9: --atomic over --backend pfkey. PF_KEY's dumps lack what XFRM keeps and its
// adds cannot set it, so the snapshot and the restore go over XFRM when it opens; when
// it does not, a table holding such entries refuses the load before anything is sent.
struct AtomicOverPfkey : Atomic {
    TableFake xfrm_tables; // the same kernel as seen through XFRM
    cli::BackendOpener pfkey_opener() {
        return [this](std::string&) -> std::unique_ptr<model::Backend> {
            return std::make_unique<testing::RenamedBackend>(table, "pfkey");
        };
    }
    cli::BackendOpener xfrm_opener(bool opens) {
        return [this, opens](std::string& e) -> std::unique_ptr<model::Backend> {
            if (!opens) {
                e = "xfrm: Protocol not supported";
                return nullptr;
            }
            return std::make_unique<testing::RenamedBackend>(xfrm_tables, "xfrm");
        };
    }
    bool open(const cli::BackendOpener& snapshot_opener) {
        static const cli::Options o = options("-");
        session.emplace(o, io(), cli::LoadKind{.source = "-"});
        return session->open(pfkey_opener(), snapshot_opener);
    }
    std::optional<cli::LoadSession> session;
};

model::SaRecord plain_sa(uint32_t spi) {
    model::AddSa a;
    a.key.src.addr = *model::IpAddress::parse("192.0.2.1");
    a.key.dst.addr = *model::IpAddress::parse("192.0.2.2");
    a.key.spi = spi;
    a.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"),
                                  std::vector<uint8_t>(16, 1)};
    return TableFake::record(a);
}

TEST_F(AtomicOverPfkey, PlainTablesNeedNoXfrm) {
    table.sas = {plain_sa(0x100)};
    EXPECT_TRUE(open(xfrm_opener(false))) << err.str();
    EXPECT_EQ(err.str(), "");
}

TEST_F(AtomicOverPfkey, MarkedSaWithoutXfrmRefusesBeforeSendingAnything) {
    model::SaRecord marked = plain_sa(0x200);
    marked.mark = model::Mark{0x5, 0xff};
    table.sas = {marked, plain_sa(0x100)}; // newest first: the marked one is newer
    EXPECT_FALSE(open(xfrm_opener(false)));
    EXPECT_EQ(err.str(), "setkey: --atomic: PF_KEY cannot restore esp SA 192.0.2.1 -> 192.0.2.2 "
                         "spi 0x00000200 mark 0x5/0xff (a mark) and XFRM (xfrm_user) is not "
                         "available; nothing applied\n");
    EXPECT_EQ(table.changes, 0u);
}

TEST_F(AtomicOverPfkey, RefusalNamesTheOldestOfSeveral) {
    model::PolicyRecord p;
    p.src = {*model::IpAddress::parse("10.0.0.0"), 8, 0};
    p.dst = {*model::IpAddress::parse("10.9.0.0"), 16, 0};
    p.id = 8;
    p.xfrm.if_id = 7;
    model::SaRecord aead = plain_sa(0x300);
    aead.aead = true;
    table.sas = {aead};
    table.spd = {p};
    cli::Snapshot snap;
    std::string error;
    ASSERT_TRUE(snap.take(table, error)) << error;
    EXPECT_EQ(cli::pfkey_cannot_restore(snap), "policy 10.0.0.0/8 -> 10.9.0.0/16 out (an if_id)");
    table.spd.clear();
    ASSERT_TRUE(snap.take(table, error)) << error;
    EXPECT_EQ(cli::pfkey_cannot_restore(snap),
              "esp SA 192.0.2.1 -> 192.0.2.2 spi 0x00000300 (an AEAD algorithm)");
}

TEST_F(AtomicOverPfkey, EveryXfrmOnlyAttributeCounts) {
    std::vector<std::function<void(model::SaRecord&)>> changes = {
        [](auto& r) { r.if_id = 1; },
        [](auto& r) { r.xfrm.output_mark = model::Mark{1, 1}; },
        [](auto& r) { r.xfrm.selector.family = 2; },
        [](auto& r) { r.esn = true; },
        [](auto& r) { r.xfrm.replay = model::ReplayState{}; },
        [](auto& r) { r.xfrm.tfcpad = 1; },
        [](auto& r) { r.xfrm.unknown = {{40, {}}}; },
        [](auto& r) { r.enc.pfkey_id = 250; r.enc.alg = nullptr; },
    };
    for (size_t i = 0; i < changes.size(); ++i) {
        model::SaRecord r = plain_sa(0x400);
        changes[i](r);
        table.sas = {r};
        cli::Snapshot snap;
        std::string error;
        ASSERT_TRUE(snap.take(table, error)) << error;
        EXPECT_TRUE(cli::pfkey_cannot_restore(snap)) << i;
    }
}

TEST_F(AtomicOverPfkey, WithXfrmTheSnapshotAndRollbackGoOverIt) {
    model::SaRecord marked = plain_sa(0x200);
    marked.mark = model::Mark{0x5, 0xff};
    xfrm_tables.sas = {marked};
    table.sas = {}; // PF_KEY's dump shows nothing XFRM-only: not the one consulted
    ASSERT_TRUE(open(xfrm_opener(true))) << err.str();
    EXPECT_EQ(err.str(), "");
    // The load (over PF_KEY) fails after flushing; the rollback re-adds over XFRM.
    xfrm_tables.sas.clear();
    model::Statement st{model::FlushSa{}, {1, 1}, 1};
    table.fail_at = 1;
    session->run(st);
    session->finish_sending();
    EXPECT_EQ(session->conclude(false), 2);
    ASSERT_EQ(xfrm_tables.sas.size(), 1u);
    EXPECT_EQ(xfrm_tables.sas[0].spi, 0x200u);
}

} // namespace
} // namespace setkey
