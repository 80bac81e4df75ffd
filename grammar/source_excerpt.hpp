// What a diagnostic shows of the script: the source line under the message, and the
// tokens its message quotes. Lines that fit a wide terminal are shown whole; longer
// ones are cut to a window around the error column, and a long token to its ends, so
// a 10 MB line or token with an error echoes 80 columns, not the whole of it.
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

inline constexpr size_t kRunMax = 64; // longer runs without a space in a message are cut

// A message as shown: the middle of every run of more than kRunMax bytes without a
// space (a token it quotes) replaced by "...", control bytes (from quoted strings)
// shown as '?'.
std::string shown_message(std::string message);

} // namespace setkey::grammar
