// "did you mean" hints for misspelled keywords; the candidates come from the keyword
// tables (keyword_table.hpp: candidates<Table>).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace setkey::grammar {

// "unknown WHAT 'word'" plus "; did you mean 'x'?" when a candidate is close (or only the
// case differs: keywords are lower-case), else "; expected one of: a, b, c".
std::string unknown_word_message(std::string_view what, std::string_view word,
                                 std::span<const std::string_view> candidates);

} // namespace setkey::grammar
