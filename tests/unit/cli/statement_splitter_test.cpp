// -c input is cut at each ';' outside comments and quotes, keeping true positions.
#include "cli/statement_splitter.hpp"

#include <gtest/gtest.h>

using setkey::cli::StatementSplitter;

namespace {

TEST(StatementSplitter, OneStatementPerLine) {
    StatementSplitter s;
    auto a = s.feed_line("flush;");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].text, "flush;");
    EXPECT_EQ(a[0].first_line, 1u);
    auto b = s.feed_line("spdflush;");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].first_line, 2u);
}

TEST(StatementSplitter, StatementOverSeveralLinesStartsAtItsFirstLine) {
    StatementSplitter s;
    EXPECT_TRUE(s.feed_line("# comment").empty());
    EXPECT_TRUE(s.feed_line("").empty());
    EXPECT_TRUE(s.feed_line("add 10.0.0.1 10.0.0.2 esp 0x100").empty());
    auto done = s.feed_line("  -E null;");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].first_line, 3u);
    EXPECT_EQ(done[0].text, "add 10.0.0.1 10.0.0.2 esp 0x100\n  -E null;");
}

TEST(StatementSplitter, TwoStatementsOnOneLineKeepTheirColumns) {
    StatementSplitter s;
    auto done = s.feed_line("flush; spdflush;");
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[0].text, "flush;");
    EXPECT_EQ(done[1].text, "       spdflush;");
    EXPECT_EQ(done[1].first_line, 1u);
}

TEST(StatementSplitter, SemicolonsInCommentsAndQuotesDoNotEndStatements) {
    StatementSplitter s;
    EXPECT_TRUE(s.feed_line("add 1.1.1.1 2.2.2.2 esp 1 # not; the end").empty());
    EXPECT_TRUE(s.feed_line("  -A hmac-md5 \"ab;c#d\"").empty());
    auto done = s.feed_line(";");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].first_line, 1u);
    EXPECT_EQ(done[0].text, "add 1.1.1.1 2.2.2.2 esp 1 # not; the end\n  -A hmac-md5 \"ab;c#d\"\n;");
}

TEST(StatementSplitter, FinishReturnsAnUnterminatedStatement) {
    StatementSplitter s;
    s.feed_line("flush; spd");
    s.feed_line("dump");
    auto rest = s.finish();
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].first_line, 1u);
    EXPECT_EQ(rest[0].text, "       spd\ndump");
}

TEST(StatementSplitter, FinishIgnoresTrailingBlanksAndComments) {
    StatementSplitter s;
    s.feed_line("flush;   ");
    s.feed_line("# bye");
    EXPECT_TRUE(s.finish().empty());
}

TEST(StatementSplitter, LineNumbersCountEveryLine) {
    StatementSplitter s;
    for (int i = 0; i < 9; ++i) s.feed_line("");
    auto done = s.feed_line("dump;");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].first_line, 10u);
}

} // namespace
