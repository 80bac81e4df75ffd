// -f: the whole script is checked before the backend is even opened; then applied
// statement by statement with the executor's rules.
#include <gtest/gtest.h>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

using testing::ModeTest;
using testing::script_options;

constexpr const char* kTunnel =
    "flush;\n"
    "spdflush;\n"
    "add 192.0.2.1 192.0.2.2 esp 0x201 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n"
    "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n"
    "spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec\n"
    "    esp/tunnel/192.0.2.2-192.0.2.1/require;\n";

struct ScriptMode : ModeTest {};

TEST_F(ScriptMode, AppliesEveryStatementWithFwdCompanions) {
    const auto file = write("tunnel.conf", kTunnel);
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 0) << err.str();
    EXPECT_EQ(opened, 1);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies", "add_sa",
                                                       "policy", "policy", "policy"}));
    EXPECT_EQ(kernel.policies[2].policy.dir, model::Direction::fwd);
    EXPECT_EQ(err.str(), "");
}

TEST_F(ScriptMode, KernelModeSkipsTheFwdCompanion) {
    auto o = script_options(write("tunnel.conf", kTunnel));
    o.fwd_companion = false;
    EXPECT_EQ(cli::run_script(o, io(), opener()), 0);
    EXPECT_EQ(kernel.policies.size(), 2u);
}

TEST_F(ScriptMode, AnErrorAnywhereAppliesNothing) {
    const auto file = write("bad.conf", std::string(kTunnel) + "add 192.0.2.1 192.0.2.2 esp 0x202 -E aes-cbd 0x00;\n");
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 1);
    EXPECT_EQ(opened, 0);
    EXPECT_TRUE(kernel.calls.empty());
    EXPECT_NE(err.str().find(file + ":7:"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("^"), std::string::npos) << err.str();
    EXPECT_EQ(out.str(), "");
}

TEST_F(ScriptMode, DryRunNeverOpensTheBackend) {
    auto o = script_options(write("tunnel.conf", kTunnel));
    o.dry_run = true;
    EXPECT_EQ(cli::run_script(o, io(), opener()), 0);
    EXPECT_EQ(opened, 0);
}

TEST_F(ScriptMode, ExitStopsTheScript) {
    const auto file = write("exit.conf", "flush;\nexit;\nspdflush;\n");
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 0);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa"}));
}

TEST_F(ScriptMode, KernelRefusalNamesTheLineOfTheSemicolonAndExitsTwo) {
    kernel.results = {{}, {}, {EEXIST, ""}};
    const auto file = write("tunnel.conf", kTunnel);
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: " + file + ":3: add failed: SA already exists\n");
    EXPECT_EQ(kernel.calls.size(), 6u); // the rest still ran
}

TEST_F(ScriptMode, RefusalOfAStatementOverTwoLinesReportsItsLastLine) {
    kernel.results = {{}, {}, {}, {}, {EINVAL, ""}};
    const auto file = write("tunnel.conf", kTunnel);
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: " + file + ":6: spdadd failed: Invalid argument\n");
}

TEST_F(ScriptMode, CompatExitPrintsTheResultLineAndExitsZero) {
    kernel.results = {{}, {}, {EEXIST, ""}};
    auto o = script_options(write("tunnel.conf", kTunnel));
    o.compat_exit = true;
    EXPECT_EQ(cli::run_script(o, io(), opener()), 0);
    EXPECT_EQ(out.str(), "The result of line 3: File exists.\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(ScriptMode, BackendThatCannotOpenExitsTwo) {
    open_fails = true;
    EXPECT_EQ(cli::run_script(script_options(write("t.conf", kTunnel)), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: xfrm: Operation not permitted\n");
}

TEST_F(ScriptMode, UnreadableFileExitsOne) {
    EXPECT_EQ(cli::run_script(script_options((dir / "missing.conf").string()), io(), opener()), 1);
    EXPECT_NE(err.str().find("missing.conf: No such file or directory"), std::string::npos);
    EXPECT_EQ(opened, 0);
}

TEST_F(ScriptMode, DashReadsStandardInput) {
    in.str("flush;\nspdflush;\n");
    EXPECT_EQ(cli::run_script(script_options("-"), io(), opener()), 0);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies"}));
}

TEST_F(ScriptMode, DeleteallDeletesEachMatchingSa) {
    for (uint32_t spi : {0x10u, 0x20u}) {
        model::SaRecord r;
        r.src = *model::IpAddress::parse("192.0.2.1");
        r.dst = *model::IpAddress::parse("192.0.2.2");
        r.spi = spi;
        kernel.sas.push_back(r);
    }
    const auto file = write("d.conf", "deleteall 192.0.2.1 192.0.2.2 esp;\n");
    EXPECT_EQ(cli::run_script(script_options(file), io(), opener()), 0) << err.str();
    ASSERT_EQ(kernel.deleted.size(), 2u);
    EXPECT_EQ(kernel.deleted[1].spi, 0x20u);
}

} // namespace
} // namespace setkey
