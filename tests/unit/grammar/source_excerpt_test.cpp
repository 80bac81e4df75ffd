// excerpt_around: the window of a line shown under an error.
#include "grammar/source_excerpt.hpp"

#include <gtest/gtest.h>

#include <string>

namespace setkey::grammar {
namespace {

std::string statements(size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) s += "spdadd 10.0.0.1 10.0.0.2 any -P out none;";
    return s;
}

TEST(SourceExcerpt, ShortLinesAreShownWhole) {
    const SourceExcerpt e = excerpt_around("", "flush; bogus;", 7);
    EXPECT_EQ(e.text, "flush; bogus;");
    EXPECT_EQ(e.caret, 8u);
}

TEST(SourceExcerpt, TheTextBeforeAChunkIsPartOfTheLine) {
    const std::string before = statements(100) + " ";
    const SourceExcerpt e = excerpt_around(before, "bogus;", 0 + before.size());
    EXPECT_EQ(e.text.substr(0, 3), "...");
    EXPECT_EQ(e.text.substr(e.text.size() - 6), "bogus;");
    EXPECT_EQ(e.text[e.caret - 1], 'b');
    EXPECT_LE(e.text.size(), kExcerptWidth + 2 * kEllipsis.size());
}

TEST(SourceExcerpt, ACutNeverSplitsAUtf8Character) {
    std::string line;
    for (int i = 0; i < 200; ++i) line += "\xc3\xa9"; // é
    const SourceExcerpt e = excerpt_around("", line, 201);
    const std::string body = e.text.substr(3, e.text.size() - 6);
    ASSERT_EQ(body.size() % 2, 0u) << body.size();
    EXPECT_EQ(static_cast<unsigned char>(body[0]), 0xc3u);
}

// A script's ESC, BEL, NUL and DEL would act on the terminal showing the error (an
// escape sequence can set its title, or worse): each is one '?', and tabs stay tabs so
// the caret line still lines up. Before, the bytes were echoed raw.
TEST(SourceExcerpt, ControlBytesAreShownAsQuestionMarks) {
    const std::string line = std::string("spdadd 10.0.2.0/24 \x1b]0;pwned\x07\t") + '\0' + "\x7f any;";
    const SourceExcerpt e = excerpt_around("", line, 19);
    EXPECT_EQ(e.text, "spdadd 10.0.2.0/24 ?]0;pwned?\t?? any;");
    EXPECT_EQ(e.caret, 20u);
}

TEST(ShownMessage, ShortMessagesAreKeptAsTheyAre) {
    EXPECT_EQ(shown_message("unknown mode 'tunel'; did you mean 'tunnel'?"),
              "unknown mode 'tunel'; did you mean 'tunnel'?");
    const std::string longest = "'" + std::string(kRunMax - 3, 'a') + "':"; // the longest run kept
    EXPECT_EQ(shown_message(longest + " no such host"), longest + " no such host");
}

TEST(ShownMessage, ALongTokenKeepsItsStartAndItsEnd) {
    const std::string token = "'" + std::string(100, 'h') + "':";
    EXPECT_EQ(shown_message(token + " no such host"),
              "'" + std::string(47, 'h') + "..." + std::string(10, 'h') + "': no such host");
}

TEST(ShownMessage, ACutNeverSplitsAUtf8CharacterAndControlBytesAreShownAsQuestionMarks) {
    std::string token;
    for (int i = 0; i < 100; ++i) token += "\xc3\xa9"; // é
    const std::string shown = shown_message("tag '" + token + "' \x1b[31m\n");
    EXPECT_EQ(shown.substr(shown.size() - 8), "' ?[31m?");
    const std::string head = shown.substr(5, shown.find("...") - 5);
    EXPECT_EQ(head.size() % 2, 0u);
    EXPECT_EQ(static_cast<unsigned char>(head[0]), 0xc3u);
}

} // namespace
} // namespace setkey::grammar
