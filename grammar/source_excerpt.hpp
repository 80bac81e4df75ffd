// The source line shown under an error message. Lines that fit a wide terminal are
// shown whole; longer ones are cut to a window around the error column, so a 10 MB
// line with an error echoes 80 columns, not the whole line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace setkey::grammar {

inline constexpr size_t kWholeLineMax = 160;    // longer lines are cut
inline constexpr size_t kExcerptWidth = 80;     // columns kept around the caret
inline constexpr std::string_view kEllipsis = "...";

struct SourceExcerpt {
    std::string text;   // the line, or a window of it with "..." where it was cut
    unsigned caret = 1; // 1-based position in `text` of the character at the error
};

// The line is `before` followed by `rest` (-c passes the text of a line that precedes
// a statement separately); `caret_byte` is the 0-based offset of the error in it.
SourceExcerpt excerpt_around(std::string_view before, std::string_view rest, size_t caret_byte);

} // namespace setkey::grammar
