// The executor's Linux rules over a fake backend: fwd doubling, -k, deleteall,
// dumps, error reports and exit status (ours and 0.8.2's).
#include "cli/executor.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "support/fake_backend.hpp"

namespace setkey {
namespace {

using cli::Executor;
using cli::ExecutorSettings;
using testing::FakeBackend;
using testing::RecordingPrinter;

model::IpAddress ip(const char* text) { return *model::IpAddress::parse(text); }

model::Statement at(model::Command c, unsigned line) {
    model::Statement s{std::move(c), {line, 1}, line};
    return s;
}

model::SpdEntry policy(model::Direction dir, model::Level level = model::Level::require) {
    model::SpdEntry e;
    e.src.addr = ip("10.0.0.1");
    e.dst.addr = ip("10.0.0.2");
    e.policy.dir = dir;
    e.policy.action = model::Action::ipsec;
    model::IpsecRequest req;
    req.level = level;
    req.reqid = 7;
    e.policy.requests.push_back(req);
    return e;
}

model::SaRecord sa(const char* src, const char* dst, uint32_t spi,
                   model::SaType type = model::SaType::esp) {
    model::SaRecord r;
    r.satype = type;
    r.src = ip(src);
    r.dst = ip(dst);
    r.spi = spi;
    return r;
}

struct ExecutorTest : ::testing::Test {
    FakeBackend backend;
    RecordingPrinter printer;
    std::ostringstream out, err;

    Executor make(ExecutorSettings s = {}) { return Executor(backend, printer, s, out, err); }
};

TEST_F(ExecutorTest, InPolicyGetsAFwdCompanionInRfcMode) {
    Executor ex = make();
    ex.run(at(policy(model::Direction::in), 3), "a.conf");
    ASSERT_EQ(backend.policies.size(), 2u);
    EXPECT_EQ(backend.policies[0].policy.dir, model::Direction::in);
    EXPECT_EQ(backend.policies[1].policy.dir, model::Direction::fwd);
    EXPECT_EQ(ex.exit_status(), 0);
}

TEST_F(ExecutorTest, FwdCompanionTurnsUniqueIntoRequireWithoutReqid) {
    Executor ex = make();
    ex.run(at(policy(model::Direction::in, model::Level::unique), 3), "a.conf");
    ASSERT_EQ(backend.policies.size(), 2u);
    EXPECT_EQ(backend.policies[1].policy.requests[0].level, model::Level::require);
    EXPECT_EQ(backend.policies[1].policy.requests[0].reqid, 0u);
}

TEST_F(ExecutorTest, OutPolicyIsSentOnce) {
    Executor ex = make();
    ex.run(at(policy(model::Direction::out), 3), "a.conf");
    EXPECT_EQ(backend.policies.size(), 1u);
}

TEST_F(ExecutorTest, SpddeleteInIsDoubledToo) {
    model::SpdEntry e = policy(model::Direction::in);
    e.kind = model::SpdEntry::Kind::remove;
    Executor ex = make();
    ex.run(at(e, 4), "a.conf");
    ASSERT_EQ(backend.policies.size(), 2u);
    EXPECT_EQ(backend.policies[1].kind, model::SpdEntry::Kind::remove);
    EXPECT_EQ(backend.policies[1].policy.dir, model::Direction::fwd);
}

TEST_F(ExecutorTest, KernelModeSendsNoCompanion) {
    Executor ex = make({.fwd_companion = false});
    ex.run(at(policy(model::Direction::in), 3), "a.conf");
    ASSERT_EQ(backend.policies.size(), 1u);
    EXPECT_EQ(backend.policies[0].policy.dir, model::Direction::in);
}

TEST_F(ExecutorTest, DeleteallDeletesEveryMatchingSaAndNothingElse) {
    backend.sas = {sa("10.0.0.1", "10.0.0.2", 0x100), sa("10.0.0.1", "10.0.0.2", 0x200),
                   sa("10.0.0.2", "10.0.0.1", 0x300), sa("10.0.0.1", "10.0.0.3", 0x400),
                   sa("10.0.0.1", "10.0.0.2", 0x500), sa("10.0.0.1", "10.0.0.2", 0x600, model::SaType::ah)};
    model::DeleteAllSa cmd{ip("10.0.0.1"), ip("10.0.0.2"), {}};
    Executor ex = make();
    ex.run(at(cmd, 5), "a.conf");
    EXPECT_EQ(backend.calls.front(), "dump_sa");
    ASSERT_EQ(backend.deleted.size(), 3u);
    EXPECT_EQ(backend.deleted[0].spi, 0x100u);
    EXPECT_EQ(backend.deleted[1].spi, 0x200u);
    EXPECT_EQ(backend.deleted[2].spi, 0x500u);
    for (const auto& k : backend.deleted) {
        EXPECT_EQ(k.src.addr, ip("10.0.0.1"));
        EXPECT_EQ(k.dst.addr, ip("10.0.0.2"));
        EXPECT_EQ(k.proto.type, model::SaType::esp);
    }
    EXPECT_EQ(ex.exit_status(), 0);
}

TEST_F(ExecutorTest, DeleteallWithNoMatchIsSilentSuccess) {
    backend.sas = {sa("10.0.0.9", "10.0.0.2", 1)};
    Executor ex = make();
    ex.run(at(model::DeleteAllSa{ip("10.0.0.1"), ip("10.0.0.2"), {}}, 5), "a.conf");
    EXPECT_TRUE(backend.deleted.empty());
    EXPECT_EQ(err.str(), "");
    EXPECT_EQ(ex.exit_status(), 0);
}

TEST_F(ExecutorTest, DeleteallReportsEachFailedDeleteAndGoesOn) {
    backend.sas = {sa("10.0.0.1", "10.0.0.2", 1), sa("10.0.0.1", "10.0.0.2", 2)};
    backend.results = {{}, {ESRCH, ""}, {}};
    Executor ex = make();
    ex.run(at(model::DeleteAllSa{ip("10.0.0.1"), ip("10.0.0.2"), {}}, 5), "a.conf");
    EXPECT_EQ(backend.deleted.size(), 2u);
    EXPECT_EQ(err.str(), "setkey: a.conf:5: deleteall failed: no such SA\n");
    EXPECT_EQ(ex.exit_status(), 2);
}

TEST_F(ExecutorTest, KernelErrorIsReportedAndProcessingContinues) {
    backend.results = {{EEXIST, ""}};
    Executor ex = make();
    model::AddSa add;
    EXPECT_EQ(ex.run(at(add, 7), "tunnel.conf"), Executor::Next::go_on);
    ex.run(at(model::FlushSpd{}, 8), "tunnel.conf");
    EXPECT_EQ(err.str(), "setkey: tunnel.conf:7: add failed: SA already exists\n");
    EXPECT_EQ(backend.calls, (std::vector<std::string>{"add_sa", "flush_policies"}));
    EXPECT_EQ(ex.failures(), 1u);
    EXPECT_EQ(ex.exit_status(), 2);
    EXPECT_EQ(out.str(), "");
}

TEST_F(ExecutorTest, MissingSaSaysNoSuchSaInsteadOfNoSuchProcess) {
    backend.results = {{ESRCH, ""}, {ENOENT, ""}};
    Executor ex = make();
    ex.run(at(model::GetSa{}, 9), "x.conf");
    ex.run(at(model::DeleteSa{}, 10), "x.conf");
    EXPECT_EQ(err.str(),
              "setkey: x.conf:9: get failed: no such SA\n"
              "setkey: x.conf:10: delete failed: no such SA\n");
}

TEST_F(ExecutorTest, DetailIsAppendedToTheReason) {
    backend.results = {{EINVAL, "encryption key refused"}};
    Executor ex = make();
    ex.run(at(model::AddSa{}, 2), "k.conf");
    EXPECT_EQ(err.str(), "setkey: k.conf:2: add failed: Invalid argument (encryption key refused)\n");
}

TEST_F(ExecutorTest, FailedFwdCopyIsNamed) {
    backend.results = {{}, {EEXIST, ""}};
    Executor ex = make();
    ex.run(at(policy(model::Direction::in), 12), "p.conf");
    EXPECT_EQ(err.str(), "setkey: p.conf:12: spdadd (fwd copy) failed: policy already exists\n");
}

TEST_F(ExecutorTest, WithoutAFileTheMessageHasNoPosition) {
    backend.results = {{EPERM, ""}};
    Executor ex = make();
    ex.run(at(model::FlushSa{}, 0), "");
    EXPECT_EQ(err.str(), "setkey: flush failed: Operation not permitted\n");
}

TEST_F(ExecutorTest, CompatModePrintsTheResultLineOnStdoutAndExitsZero) {
    backend.results = {{ESRCH, ""}, {EEXIST, ""}, {ENOENT, ""}};
    Executor ex = make({.compat_exit = true});
    ex.run(at(model::GetSa{}, 9), "x.conf");
    ex.run(at(model::AddSa{}, 11), "x.conf");
    model::SpdEntry del = policy(model::Direction::out);
    del.kind = model::SpdEntry::Kind::remove;
    ex.run(at(del, 13), "x.conf");
    EXPECT_EQ(out.str(),
              "The result of line 9: No such process.\n"
              "The result of line 11: File exists.\n"
              "The result of line 13: No entry.\n");
    EXPECT_EQ(err.str(), "");
    EXPECT_EQ(ex.failures(), 3u);
    EXPECT_EQ(ex.exit_status(), 0);
}

TEST_F(ExecutorTest, CompatModeWithoutLinePrefixOutsideScripts) {
    backend.results = {{EPERM, ""}};
    Executor ex = make({.compat_exit = true, .compat_line_prefix = false});
    ex.run(at(model::FlushSa{}, 0), "");
    EXPECT_EQ(out.str(), "Operation not permitted.\n");
}

TEST_F(ExecutorTest, DumpSkipsDeadSasUnlessAll) {
    backend.sas = {sa("10.0.0.1", "10.0.0.2", 1), sa("10.0.0.1", "10.0.0.2", 2)};
    backend.sas[1].state = static_cast<uint8_t>(model::SaState::dead);
    make().run(at(model::DumpSa{}, 1), "d.conf");
    EXPECT_EQ(printer.sa_spis, (std::vector<uint32_t>{1}));
    printer.sa_spis.clear();
    make({.show_dead = true}).run(at(model::DumpSa{}, 1), "d.conf");
    EXPECT_EQ(printer.sa_spis, (std::vector<uint32_t>{1, 2}));
}

TEST_F(ExecutorTest, DumpPassesTheSaType) {
    backend.sas = {sa("10.0.0.1", "10.0.0.2", 1), sa("10.0.0.1", "10.0.0.2", 2, model::SaType::ah)};
    make().run(at(model::DumpSa{model::SaType::ah}, 1), "d.conf");
    EXPECT_EQ(printer.sa_spis, (std::vector<uint32_t>{2}));
}

TEST_F(ExecutorTest, EmptyDumpsSayNoEntriesInClassicFormat) {
    Executor ex = make();
    ex.run(at(model::DumpSa{}, 0), "");
    ex.run(at(model::DumpSpd{}, 0), "");
    EXPECT_EQ(out.str(), "No SAD entries.\nNo SPD entries.\n");
    EXPECT_EQ(ex.exit_status(), 0);
}

TEST_F(ExecutorTest, EmptyDumpInACompatScriptCarriesTheLine) {
    make({.compat_exit = true}).run(at(model::DumpSa{}, 163), "s.conf");
    EXPECT_EQ(out.str(), "The result of line 163: No SAD entries.\n");
}

TEST_F(ExecutorTest, MachineFormatsPrintNothingForEmptyDumps) {
    printer.classic = false;
    make().run(at(model::DumpSpd{}, 0), "");
    EXPECT_EQ(out.str(), "");
}

TEST_F(ExecutorTest, GetPrintsTheSa) {
    backend.sas = {sa("10.0.0.1", "10.0.0.2", 0x1234)};
    model::GetSa get;
    get.key.spi = 0x1234;
    make().run(at(get, 2), "g.conf");
    EXPECT_EQ(printer.sa_spis, (std::vector<uint32_t>{0x1234}));
}

TEST_F(ExecutorTest, SpddumpPrintsPolicies) {
    model::PolicyRecord p;
    p.dir = model::Direction::fwd;
    backend.spd = {p};
    make().run(at(model::DumpSpd{}, 2), "g.conf");
    EXPECT_EQ(printer.policy_dirs, (std::vector<model::Direction>{model::Direction::fwd}));
}

TEST_F(ExecutorTest, ExitStops) {
    Executor ex = make();
    EXPECT_EQ(ex.run(at(model::Exit{}, 4), "e.conf"), Executor::Next::stop);
    EXPECT_TRUE(backend.calls.empty());
}

TEST_F(ExecutorTest, TaggedPoliciesFailOnLinux) {
    Executor ex = make();
    ex.run(at(model::SpdTagged{}, 6), "t.conf");
    EXPECT_TRUE(backend.calls.empty());
    EXPECT_NE(err.str().find("t.conf:6: spdadd failed: Operation not supported"), std::string::npos)
        << err.str();
    EXPECT_EQ(ex.exit_status(), 2);
}

TEST_F(ExecutorTest, EveryCommandReachesItsBackendCall) {
    Executor ex = make();
    ex.run(at(model::AddSa{}, 1), "c");
    ex.run(at(model::DeleteSa{}, 2), "c");
    ex.run(at(model::FlushSa{}, 3), "c");
    ex.run(at(model::FlushSpd{}, 4), "c");
    EXPECT_EQ(backend.calls,
              (std::vector<std::string>{"add_sa", "delete_sa", "flush_sa", "flush_policies"}));
}

} // namespace
} // namespace setkey
