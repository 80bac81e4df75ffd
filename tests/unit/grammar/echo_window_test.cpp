// Errors on long lines echo a window of the line around the error, with "..." where
// it was cut, and the caret still under the offending character (rendered errors).
#include <gtest/gtest.h>

#include <string>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

constexpr std::string_view kStatement = "spdadd 10.0.0.1 10.0.0.2 any -P out none;";

std::string statements(size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) s += kStatement;
    return s;
}

// The echoed line and the character the caret stands under.
struct Echo {
    std::string line;
    char at_caret;
};
Echo echo_of(const std::string& rendered) {
    const size_t first = rendered.find('\n') + 1;
    const size_t second = rendered.find('\n', first) + 1;
    const std::string line = rendered.substr(first, second - first - 1);
    const size_t caret = rendered.find('^', second) - second;
    return {line, caret < line.size() ? line[caret] : '\0'};
}

TEST(EchoWindow, AnErrorInTheMiddleOfAMegabyteLineEchoesAWindow) {
    const std::string text = statements(25000) + " bogus; " + statements(25000) + "\n";
    const std::string rendered = error_of(text);
    ASSERT_EQ(rendered.rfind("setkey: input:1:1025002: unknown command 'bogus'", 0), 0u) << rendered.substr(0, 200);
    EXPECT_LT(rendered.size(), 500u);
    const Echo e = echo_of(rendered);
    EXPECT_EQ(e.line.substr(0, 3), "...");
    EXPECT_EQ(e.line.substr(e.line.size() - 3), "...");
    EXPECT_NE(e.line.find("none; bogus; spdadd"), std::string::npos) << e.line;
    EXPECT_EQ(e.at_caret, 'b');
}

TEST(EchoWindow, AnErrorNearTheStartIsCutOnTheRightOnly) {
    const std::string rendered = error_of("bogus; " + statements(1000) + "\n");
    const Echo e = echo_of(rendered);
    EXPECT_EQ(e.line.rfind("bogus; spdadd", 0), 0u) << e.line;
    EXPECT_EQ(e.line.substr(e.line.size() - 3), "...");
    EXPECT_EQ(e.at_caret, 'b');
}

TEST(EchoWindow, AnErrorAtTheEndOfALongLineIsCutOnTheLeftOnly) {
    const std::string rendered = error_of(statements(1000) + " spdadd 10.0.0.1 10.0.0.2 any -P out nonf;\n");
    const Echo e = echo_of(rendered);
    EXPECT_EQ(e.line.substr(0, 3), "...");
    EXPECT_EQ(e.line.substr(e.line.size() - 12), "-P out nonf;") << e.line;
    EXPECT_EQ(e.at_caret, 'n');
}

// The message quotes the token: a 5 MB one is cut in its middle as the line is, and no
// keyword is compared with it letter by letter (that took a second per 5 MB).
TEST(EchoWindow, AHugeTokenIsQuotedByItsEnds) {
    const std::string word(5'000'000, 'x');
    // The run without a space, quotes included, keeps its first 48 and last 12 bytes.
    const std::string head(47, 'x'), tail(10, 'x');
    const std::string command = error_of(word + "y;\n");
    EXPECT_EQ(command.substr(0, command.find('\n')),
              "setkey: input:1:1: unknown command '" + head + "..." + tail.substr(1) + "y'; expected add, update, getspi, "
              "get, delete, deleteall, flush, dump, spdadd, spdupdate, spddelete, spdflush, spddump, exit, quit "
              "or bye");
    const std::string rendered = error_of("spdadd 1.2.3.4 5.6.7.8 any -P " + word + ";\n");
    EXPECT_LT(rendered.size(), 400u);
    EXPECT_EQ(rendered.rfind("setkey: input:1:31: unknown policy direction '" + head + "..." + tail + "'; "
                             "expected in, out or fwd\n", 0), 0u) << rendered.substr(0, 200);
}

} // namespace
} // namespace setkey::grammar::test
