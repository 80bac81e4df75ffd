// InterruptGuard: while it lives, SIGINT/SIGTERM/SIGHUP only raise a flag (the process
// goes on); a signal ignored beforehand stays ignored; the old handlers come back after.
#include <gtest/gtest.h>

#include <csignal>

#include "cli/interrupt.hpp"

namespace setkey {
namespace {

using cli::InterruptGuard;

sighandler_t handler_of(int sig) {
    struct sigaction now {};
    sigaction(sig, nullptr, &now);
    return now.sa_handler;
}

TEST(InterruptGuard, SignalsOnlyRaiseTheFlagAndTheFirstOneIsKept) {
    const InterruptGuard guard;
    EXPECT_EQ(InterruptGuard::signal_received(), 0);
    std::raise(SIGTERM); // would end the test binary without the guard
    EXPECT_EQ(InterruptGuard::signal_received(), SIGTERM);
    std::raise(SIGINT);
    EXPECT_EQ(InterruptGuard::signal_received(), SIGTERM);
}

TEST(InterruptGuard, ANewGuardStartsClearAndTheOldHandlersReturn) {
    const sighandler_t before = handler_of(SIGINT);
    {
        const InterruptGuard guard;
        EXPECT_EQ(InterruptGuard::signal_received(), 0);
        EXPECT_NE(handler_of(SIGINT), before);
    }
    EXPECT_EQ(handler_of(SIGINT), before);
}

TEST(InterruptGuard, ASignalCountsOnlyWhileAGuardLives) {
    {
        const InterruptGuard guard;
        std::raise(SIGINT);
        EXPECT_EQ(InterruptGuard::signal_received(), SIGINT);
    }
    EXPECT_EQ(InterruptGuard::signal_received(), 0);
}

TEST(InterruptGuard, AnIgnoredSignalStaysIgnored) {
    const sighandler_t before = std::signal(SIGHUP, SIG_IGN);
    {
        const InterruptGuard guard;
        EXPECT_EQ(handler_of(SIGHUP), SIG_IGN);
        std::raise(SIGHUP);
        EXPECT_EQ(InterruptGuard::signal_received(), 0);
    }
    EXPECT_EQ(handler_of(SIGHUP), SIG_IGN);
    std::signal(SIGHUP, before);
}

TEST(InterruptGuard, SignalNames) {
    EXPECT_STREQ(cli::signal_name(SIGINT), "SIGINT");
    EXPECT_STREQ(cli::signal_name(SIGTERM), "SIGTERM");
    EXPECT_STREQ(cli::signal_name(SIGHUP), "SIGHUP");
}

} // namespace
} // namespace setkey
