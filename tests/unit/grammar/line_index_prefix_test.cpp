// -c parses each statement alone; the text of its line before it still counts.
#include "grammar/line_index.hpp"

#include <gtest/gtest.h>

#include <string>

namespace setkey::grammar {
namespace {

// -c: a statement parsed alone after "flush; " on its line keeps its true column.
TEST(LineIndex, APrefixShiftsColumnsOfTheFirstLineOnly) {
    const std::string text = "bogus\nx";
    LineIndex lines(text, 3, "flush; ");
    EXPECT_EQ(lines.at(text.data()).column, 8u);
    EXPECT_EQ(lines.at(text.data() + 6).column, 1u);
    EXPECT_EQ(lines.at(text.data() + 6).line, 4u);
    Diagnostic d;
    lines.place(d, text.data() + 2);
    EXPECT_EQ(d.line, 3u);
    EXPECT_EQ(d.column, 10u);
    EXPECT_EQ(d.source_line, "flush; bogus");
    EXPECT_EQ(d.caret, 10u);
}

} // namespace
} // namespace setkey::grammar
