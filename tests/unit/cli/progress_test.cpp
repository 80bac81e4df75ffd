// The progress line: drawn only when asked (smart terminal), throttled to ten a
// second, cleared before the one-line summary; nothing at all when not asked.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress.hpp"

namespace setkey {
namespace {

using namespace std::chrono_literals;
using cli::Progress;

struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    Progress::Clock fn() {
        return [this] { return now; };
    }
};

TEST(Progress, SilentWhenNotATerminal) {
    std::ostringstream err;
    Progress p(err, false, false);
    for (unsigned i = 1; i <= 1000; ++i) p.update(i, 0);
    p.finish(1000, 0, 0);
    EXPECT_EQ(err.str(), "");
}

TEST(Progress, SummaryAloneWithVerbose) {
    std::ostringstream err;
    Progress p(err, false, true);
    p.update(1, 0);
    p.finish(100, 1, 7);
    EXPECT_EQ(err.str(), "setkey: applied 99, failed 1, rolled back 7\n");
}

TEST(Progress, OverprintsOneLineAtMostTenTimesASecond) {
    std::ostringstream err;
    FakeClock clock;
    Progress p(err, true, true, clock.fn());
    for (unsigned i = 1; i <= 100; ++i) {
        p.update(i, i > 50 ? 1 : 0);
        clock.now += 5ms; // 100 statements in half a second
    }
    p.finish(100, 1, 0);
    const std::string s = err.str();
    size_t draws = 0;
    for (size_t at = 0; (at = s.find("\r\033[Ksetkey: ", at)) != std::string::npos; ++at) ++draws;
    EXPECT_EQ(draws, 6u); // at 0, 100, 200, 300, 400 ms, then the summary after its clear
    EXPECT_EQ(s.find('\n'), s.size() - 1); // one line in all: the summary
    EXPECT_NE(s.find("\r\033[Ksetkey: 1 statement\r"), std::string::npos);
    EXPECT_NE(s.find("81 statements, 1 failed"), std::string::npos);
    EXPECT_EQ(s.substr(s.rfind('\r')), "\r\033[Ksetkey: applied 99, failed 1, rolled back 0\n");
}

TEST(Progress, OneStatementIsSingular) {
    std::ostringstream err;
    FakeClock clock;
    Progress p(err, true, false, clock.fn());
    p.update(1, 1);
    EXPECT_EQ(err.str(), "\r\033[Ksetkey: 1 statement, 1 failed");
}

TEST(Progress, SmartTerminalNeedsATty) {
    // ctest runs with stderr on a pipe or file; a pipe never gets progress.
    if (isatty(2)) GTEST_SKIP() << "stderr is a terminal here";
    EXPECT_FALSE(cli::stderr_is_smart_terminal());
}

TEST(Progress, MessagesClearTheLiveLineFirst) {
    std::ostringstream err, out;
    FakeClock clock;
    Progress p(err, true, false, clock.fn());
    std::ostream& messages = p.messages();
    std::ostream& output = p.output(out);
    p.update(1, 0);
    messages << "setkey: f:2: add failed: File exists\n";
    messages << "second message\n"; // the line is already clear: no second clear
    clock.now += 200ms;
    p.update(2, 1);
    output << "No SAD entries.\n";
    p.finish(2, 1, 0);
    EXPECT_EQ(err.str(),
              "\r\033[Ksetkey: 1 statement"
              "\r\033[Ksetkey: f:2: add failed: File exists\nsecond message\n"
              "\r\033[Ksetkey: 2 statements, 1 failed"
              "\r\033[K"); // cleared for the output, nothing left for finish to clear
    EXPECT_EQ(out.str(), "No SAD entries.\n");
}

TEST(Progress, WithoutALiveLineTheStreamsAreTheRealOnes) {
    std::ostringstream err, out;
    Progress p(err, false, true);
    EXPECT_EQ(&p.messages(), &err);
    EXPECT_EQ(&p.output(out), &out);
}

} // namespace
} // namespace setkey
