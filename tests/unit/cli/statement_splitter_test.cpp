// -c input is cut at each ';' outside comments and quotes, keeping true positions,
// and each statement is handed over as soon as its ';' has been fed.
#include "cli/statement_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using setkey::cli::StatementSplitter;

namespace {

struct Seen {
    std::string text;
    unsigned first_line;
    std::string prefix;
    bool operator==(const Seen&) const = default;
};

// Feeds `pieces` one by one; returns what each piece completed.
struct Splitter {
    StatementSplitter s;
    std::vector<Seen> seen;
    StatementSplitter::Sink sink = [this](const StatementSplitter::Chunk& c) {
        seen.push_back({std::string(c.text), c.first_line, std::string(c.line_prefix)});
        return true;
    };
    std::vector<Seen> feed(std::string_view piece) {
        seen.clear();
        s.feed(piece, sink);
        return seen;
    }
    std::vector<Seen> finish() {
        seen.clear();
        s.finish(sink);
        return seen;
    }
};

TEST(StatementSplitter, OneStatementPerLine) {
    Splitter s;
    EXPECT_EQ(s.feed("flush;\n"), (std::vector<Seen>{{"flush;", 1, ""}}));
    EXPECT_EQ(s.feed("spdflush;\n"), (std::vector<Seen>{{"spdflush;", 2, ""}}));
}

TEST(StatementSplitter, AStatementIsHandedOverWhenItsSemicolonArrivesBeforeAnyNewline) {
    Splitter s;
    EXPECT_TRUE(s.feed("flu").empty());
    EXPECT_EQ(s.feed("sh;"), (std::vector<Seen>{{"flush;", 1, ""}}));
    EXPECT_EQ(s.feed(" dump;"), (std::vector<Seen>{{" dump;", 1, "flush;"}}));
}

TEST(StatementSplitter, StatementOverSeveralLinesStartsAtItsFirstLine) {
    Splitter s;
    EXPECT_TRUE(s.feed("# comment\n\nadd 10.0.0.1 10.0.0.2 esp 0x100\n").empty());
    EXPECT_EQ(s.feed("  -E null;\n"),
              (std::vector<Seen>{{"add 10.0.0.1 10.0.0.2 esp 0x100\n  -E null;", 3, ""}}));
}

TEST(StatementSplitter, LaterStatementsOnALineCarryTheTextBeforeThem) {
    Splitter s;
    EXPECT_EQ(s.feed("flush; spdflush; sp"), (std::vector<Seen>{{"flush;", 1, ""}, {" spdflush;", 1, "flush;"}}));
    EXPECT_EQ(s.feed("ddump\n;\n"), (std::vector<Seen>{{" spddump\n;", 1, "flush; spdflush;"}}));
}

TEST(StatementSplitter, SemicolonsInCommentsAndQuotesDoNotEndStatements) {
    Splitter s;
    EXPECT_TRUE(s.feed("add 1.1.1.1 2.2.2.2 esp 1 # not; the end\n").empty());
    EXPECT_TRUE(s.feed("  -A hmac-md5 \"ab;c#d\"\n").empty());
    EXPECT_EQ(s.feed(";"), (std::vector<Seen>{
                               {"add 1.1.1.1 2.2.2.2 esp 1 # not; the end\n  -A hmac-md5 \"ab;c#d\"\n;", 1, ""}}));
}

TEST(StatementSplitter, AQuoteMaySpanPieces) {
    Splitter s;
    EXPECT_TRUE(s.feed("spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"a;").empty());
    EXPECT_TRUE(s.feed("b\" -P out none").empty());
    EXPECT_EQ(s.feed(";").size(), 1u);
}

TEST(StatementSplitter, FinishHandsOverAnUnterminatedStatement) {
    Splitter s;
    s.feed("flush; spd\ndump\n");
    EXPECT_EQ(s.finish(), (std::vector<Seen>{{" spd\ndump", 1, "flush;"}}));
}

TEST(StatementSplitter, FinishIgnoresTrailingBlanksAndComments) {
    Splitter s;
    s.feed("flush;   \n# bye\n");
    EXPECT_TRUE(s.finish().empty());
}

// Blanks are the grammar's (space, tab, CR, LF): a vertical tab or form feed is text the
// parser must see and refuse, not a blank to skip.
TEST(StatementSplitter, AVerticalTabIsNoBlank) {
    Splitter s;
    s.feed("flush;\n\v\n");
    EXPECT_EQ(s.finish(), (std::vector<Seen>{{"\v", 2, ""}}));
}

TEST(StatementSplitter, LineNumbersCountEveryLine) {
    Splitter s;
    EXPECT_EQ(s.feed("\n\n\n\n\n\n\n\n\ndump;\n"), (std::vector<Seen>{{"dump;", 10, ""}}));
}

TEST(StatementSplitter, SinkCanStopTheInput) {
    StatementSplitter s;
    int calls = 0;
    EXPECT_FALSE(s.feed("quit; flush;", [&](const StatementSplitter::Chunk&) { return ++calls < 1; }));
    EXPECT_EQ(calls, 1);
}

// Many statements on one line: each is handed over alone (the text before it is a
// view of the line, not a copy per statement), so memory stays linear.
TEST(StatementSplitter, ThousandsOfStatementsOnOneLineEachComeAlone) {
    StatementSplitter s;
    size_t count = 0, largest = 0;
    std::string line;
    for (int i = 0; i < 20000; ++i) line += "spdflush;";
    s.feed(line, [&](const StatementSplitter::Chunk& c) {
        EXPECT_EQ(c.line_prefix.size(), count * 9) << count;
        ++count;
        largest = std::max(largest, c.text.size());
        return true;
    });
    EXPECT_EQ(count, 20000u);
    EXPECT_EQ(largest, 9u);
}

} // namespace
