// Positions on one huge line: each line's end is searched for once, so asking for
// the position of every statement of a multi-MB line is linear, and the answers are
// exact (the old index searched to the next newline on every call).
#include "grammar/line_index.hpp"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace setkey::grammar {
namespace {

constexpr std::string_view kStatement = "spdadd 10.0.0.1 10.0.0.2 any -P out none; "; // 42 bytes

// `count` statements on one line after a short first line.
std::string one_long_line(size_t count) {
    std::string text = "flush;\n";
    text.reserve(text.size() + count * kStatement.size() + 1);
    for (size_t i = 0; i < count; ++i) text += kStatement;
    text += "\nspdflush;\n";
    return text;
}

TEST(LineIndex, EveryStatementOnAMultiMegabyteLineHasItsColumn) {
    const size_t count = 200000; // 8.4 MB on line 2
    const std::string text = one_long_line(count);
    LineIndex lines(text, 1);
    const char* line2 = text.data() + 7;
    for (size_t i = 0; i < count; ++i) {
        const auto pos = lines.at(line2 + i * kStatement.size());
        ASSERT_EQ(pos.line, 2u) << i;
        ASSERT_EQ(pos.column, i * kStatement.size() + 1) << i;
        ASSERT_EQ(pos.line_start, line2);
    }
    const auto last = lines.at(text.data() + text.size() - 10); // "spdflush;"
    EXPECT_EQ(last.line, 3u);
    EXPECT_EQ(last.column, 1u);
}

// What makes one huge line linear: once a line's end is found, later positions on it
// are answered without reading the text again. The text is made unreadable after the
// first lookup; reading it (as the old index did, up to the next newline on every
// call) would kill the child with SIGSEGV.
TEST(LineIndex, LaterPositionsOnALineDoNotReadTheTextAgain) {
    const size_t count = 100000;
    const std::string source = one_long_line(count);
    const size_t page = size_t(::sysconf(_SC_PAGESIZE));
    const size_t size = (source.size() + page - 1) / page * page;
    EXPECT_EXIT(
        {
            void* map = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (map == MAP_FAILED) std::exit(2);
            char* text = static_cast<char*>(map);
            std::memcpy(text, source.data(), source.size());
            LineIndex lines({text, source.size()}, 1);
            const char* line2 = text + 7;
            lines.at(line2);
            ::mprotect(map, size, PROT_NONE);
            bool right = true;
            for (size_t i = 0; i < count; ++i) {
                const auto pos = lines.at(line2 + i * kStatement.size());
                right = right && pos.line == 2 && pos.column == i * kStatement.size() + 1;
            }
            std::exit(right ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(LineIndex, AskingForAnEarlierPositionStartsOver) {
    const std::string text = "a\nbb\nccc\n";
    LineIndex lines(text, 5);
    EXPECT_EQ(lines.at(text.data() + 7).line, 7u);
    EXPECT_EQ(lines.at(text.data() + 3).line, 6u);
    EXPECT_EQ(lines.at(text.data() + 3).column, 2u);
    EXPECT_EQ(lines.at(text.data()).line, 5u);
}

TEST(LineIndex, ANewlineBelongsToTheLineItEnds) {
    const std::string text = "ab\ncd";
    LineIndex lines(text, 1);
    EXPECT_EQ(lines.at(text.data() + 2).line, 1u);
    EXPECT_EQ(lines.at(text.data() + 2).column, 3u);
    EXPECT_EQ(lines.at(text.data() + 5).line, 2u); // the end of the text
    EXPECT_EQ(lines.at(text.data() + 5).column, 3u);
}

} // namespace
} // namespace setkey::grammar
