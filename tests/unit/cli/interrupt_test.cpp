// InterruptGuard: while it lives, SIGINT/SIGTERM/SIGHUP/SIGPIPE only raise a flag (the
// process goes on); a signal ignored beforehand stays ignored; the old handlers come
// back after; a wait for input ends at a signal.
#include <gtest/gtest.h>

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

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

// An in-script dump piped into `head`: the load stops as for SIGTERM, not killed.
TEST(InterruptGuard, SigpipeStopsALoadButKeepsItsDefaultInAMonitor) {
    const sighandler_t before = std::signal(SIGPIPE, SIG_DFL);
    {
        const InterruptGuard guard;
        std::raise(SIGPIPE);
        EXPECT_EQ(InterruptGuard::signal_received(), SIGPIPE);
    }
    {
        const InterruptGuard monitor(InterruptGuard::Scope::monitor);
        EXPECT_EQ(handler_of(SIGPIPE), SIG_DFL);
    }
    std::signal(SIGPIPE, before);
}

struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() { EXPECT_EQ(::pipe(fds), 0); }
    ~Pipe() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
    void close_writer() {
        ::close(fds[1]);
        fds[1] = -1;
    }
};

// `producer | setkey -c` with the producer idle: the handlers restart read(), so only
// the wait notices the signal.
TEST(InterruptGuard, AWaitForInputEndsAtASignal) {
    const InterruptGuard guard;
    Pipe silent; // its writer stays open and writes nothing
    const pthread_t waiter = pthread_self();
    std::thread killer([waiter] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pthread_kill(waiter, SIGTERM);
    });
    const bool readable = InterruptGuard::wait_for_input(silent.fds[0]);
    killer.join();
    EXPECT_FALSE(readable);
    EXPECT_EQ(InterruptGuard::signal_received(), SIGTERM);
}

TEST(InterruptGuard, ASignalJustBeforeTheWaitIsNotMissed) {
    const InterruptGuard guard;
    Pipe silent;
    std::raise(SIGINT);
    EXPECT_FALSE(InterruptGuard::wait_for_input(silent.fds[0]));
}

TEST(InterruptGuard, AWaitForInputEndsAtDataOrTheEnd) {
    const InterruptGuard guard;
    Pipe data;
    ASSERT_EQ(::write(data.fds[1], "x", 1), 1);
    EXPECT_TRUE(InterruptGuard::wait_for_input(data.fds[0]));
    Pipe ended;
    ended.close_writer();
    EXPECT_TRUE(InterruptGuard::wait_for_input(ended.fds[0]));
    EXPECT_EQ(InterruptGuard::signal_received(), 0);
}

TEST(InterruptGuard, SignalNames) {
    EXPECT_STREQ(cli::signal_name(SIGINT), "SIGINT");
    EXPECT_STREQ(cli::signal_name(SIGTERM), "SIGTERM");
    EXPECT_STREQ(cli::signal_name(SIGHUP), "SIGHUP");
    EXPECT_STREQ(cli::signal_name(SIGPIPE), "SIGPIPE");
}

} // namespace
} // namespace setkey
