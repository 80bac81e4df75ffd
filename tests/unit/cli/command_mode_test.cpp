// -c: each statement runs when its ';' arrives; errors carry true line numbers and
// do not stop the session.
#include <gtest/gtest.h>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

using testing::ModeTest;
using testing::commands_options;

struct CommandMode : ModeTest {};

TEST_F(CommandMode, RunsEveryStatement) {
    in.str("flush;\nspdflush; dump;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 0) << err.str();
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies", "dump_sa"}));
    EXPECT_EQ(out.str(), "No SAD entries.\n");
}

TEST_F(CommandMode, ErrorsHaveTrueLineNumbersAndTheSessionGoesOn) {
    in.str("flush;\n\n# comment\nadd 192.0.2.1 192.0.2.2 esp 0x100\n  -E aes-cbd 0x00;\nspdflush;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 1);
    EXPECT_NE(err.str().find("-:5:"), std::string::npos) << err.str();
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies"}));
}

TEST_F(CommandMode, SecondStatementOnALineKeepsItsColumn) {
    in.str("flush; bogus;\n");
    cli::run_commands(commands_options(), io(), opener());
    EXPECT_NE(err.str().find("-:1:8:"), std::string::npos) << err.str();
}

TEST_F(CommandMode, ExitEndsTheSession) {
    in.str("flush;\nquit;\nspdflush;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 0);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa"}));
}

TEST_F(CommandMode, KernelRefusalIsReportedAndExitsTwo) {
    kernel.results = {{EPERM, ""}};
    in.str("flush;\nspdflush;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 2);
    EXPECT_EQ(err.str(), "setkey: -:1: flush failed: Operation not permitted\n");
    EXPECT_EQ(kernel.calls.size(), 2u);
}

TEST_F(CommandMode, CompatModeLeavesOutTheLinePrefixAndExitsZero) {
    kernel.results = {{EPERM, ""}};
    in.str("flush;\nbogus;\n");
    auto o = commands_options();
    o.compat_exit = true;
    EXPECT_EQ(cli::run_commands(o, io(), opener()), 0);
    EXPECT_EQ(out.str(), "Operation not permitted.\n");
}

TEST_F(CommandMode, DryRunParsesWithoutABackend) {
    in.str("flush;\nadd 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbd 0x00;\n");
    auto o = commands_options();
    o.dry_run = true;
    EXPECT_EQ(cli::run_commands(o, io(), opener()), 1);
    EXPECT_EQ(opened, 0);
    EXPECT_NE(err.str().find("-:2:"), std::string::npos);
}

TEST_F(CommandMode, UnterminatedLastStatementIsAnError) {
    in.str("flush;\nspdflush");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 1);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa"}));
    EXPECT_NE(err.str().find("-:2:"), std::string::npos) << err.str();
}

} // namespace
} // namespace setkey
