// The spool gives back exactly what was appended, in order (Prometheus) or as records
// last first (-o script), whether it stayed in memory, moved to a temporary file, or
// found no usable temporary directory.
#include "output/spool.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <sys/resource.h>
#include <sstream>
#include <string>
#include <vector>

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

// Records of every size, some longer than the 64 KiB the reader takes at a time and
// many across the memory limit, come back whole and last first.
std::vector<std::string> reversed_records(const Spool& spool) {
    std::vector<std::string> back;
    EXPECT_TRUE(spool.records_reversed([&](std::string_view r) { back.emplace_back(r); }));
    return back;
}

TEST(Spool, RecordsComeBackLastFirst) {
    Spool spool;
    std::vector<std::string> records;
    for (size_t i = 0; i < 20000; ++i) {
        const size_t size = i % 997 == 0 ? 70000 + i : i % 300; // empty records too
        records.push_back(std::string(size, static_cast<char>('a' + i % 26)) + std::to_string(i));
        spool.append_record(records.back());
    }
    ASSERT_GT(spool.size(), 4 * Spool::kMemoryLimit); // most of it in the file
    const std::vector<std::string> back = reversed_records(spool);
    ASSERT_EQ(back.size(), records.size());
    EXPECT_TRUE(std::equal(back.begin(), back.end(), records.rbegin()));
    EXPECT_EQ(reversed_records(spool), back); // reading does not consume
    spool.clear();
    EXPECT_TRUE(reversed_records(spool).empty());
}

TEST(Spool, ReadGivesAnyRangeAcrossFileAndMemory) {
    Spool spool;
    const std::string text = lines(2 * Spool::kMemoryLimit + 777);
    spool.append(text);
    std::string part;
    for (size_t at : {size_t{0}, Spool::kMemoryLimit - 3, text.size() - 10}) {
        ASSERT_TRUE(spool.read(at, 10, part));
        EXPECT_EQ(part, text.substr(at, 10));
    }
}

} // namespace
} // namespace setkey::output
