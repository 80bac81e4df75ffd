// The Prometheus spool gives back exactly what was appended, in order, whether it stayed
// in memory, moved to a temporary file, or found no usable temporary directory.
#include "output/spool.hpp"

#include <csignal>
#include <cstdlib>
#include <sys/resource.h>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace setkey::output {
namespace {

// Distinct lines, so a lost, repeated or reordered piece shows.
std::string lines(size_t bytes) {
    std::string text;
    for (size_t i = 0; text.size() < bytes; ++i) text += "sample " + std::to_string(i) + "\n";
    return text;
}

std::string round_trip(Spool& spool, const std::string& text) {
    for (size_t at = 0; at < text.size(); at += 1000) spool.append(std::string_view(text).substr(at, 1000));
    std::ostringstream out;
    spool.write_to(out);
    EXPECT_TRUE(out.good());
    return out.str();
}

TEST(Spool, SmallTextStaysAsAppended) {
    Spool spool;
    EXPECT_TRUE(spool.empty());
    const std::string text = lines(5000);
    EXPECT_EQ(round_trip(spool, text), text);
}

TEST(Spool, TextBeyondTheMemoryLimitComesBackWhole) {
    Spool spool;
    const std::string text = lines(5 * Spool::kMemoryLimit + 123);
    EXPECT_EQ(round_trip(spool, text), text);
    std::ostringstream again; // reading does not consume
    spool.write_to(again);
    EXPECT_EQ(again.str(), text);
}

TEST(Spool, ClearStartsOverAndMovesKeepTheText) {
    Spool spool;
    round_trip(spool, lines(2 * Spool::kMemoryLimit));
    spool.clear();
    EXPECT_TRUE(spool.empty());
    const std::string text = lines(3 * Spool::kMemoryLimit);
    round_trip(spool, text);
    Spool moved = std::move(spool);
    std::ostringstream out;
    moved.write_to(out);
    EXPECT_EQ(out.str(), text);
}

TEST(Spool, NoTemporaryDirectoryKeepsEverythingInMemory) {
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old ? old : "";
    ::setenv("TMPDIR", "/nonexistent/setkey-spool-test", 1);
    Spool spool;
    const std::string text = lines(3 * Spool::kMemoryLimit);
    EXPECT_EQ(round_trip(spool, text), text);
    if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
}

// A temporary file that stops taking bytes part way (a full disk; here a file size
// limit) keeps what it took and the rest in memory.
TEST(Spool, AFileThatFillsUpLosesNothing) {
    rlimit old{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
    auto* old_handler = std::signal(SIGXFSZ, SIG_IGN); // write fails with EFBIG instead
    rlimit small = old;
    small.rlim_cur = Spool::kMemoryLimit + Spool::kMemoryLimit / 2;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    Spool spool;
    const std::string text = lines(4 * Spool::kMemoryLimit);
    const std::string back = round_trip(spool, text);
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
    EXPECT_EQ(back, text);
}

} // namespace
} // namespace setkey::output
