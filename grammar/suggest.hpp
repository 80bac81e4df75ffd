// "did you mean" hints for misspelled keywords.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace setkey::grammar {

// "unknown WHAT 'word'" plus "; did you mean 'x'?" when a candidate is close (or only the
// case differs: keywords are lower-case), else "; expected one of: a, b, c".
std::string unknown_word_message(std::string_view what, std::string_view word,
                                 std::initializer_list<std::string_view> candidates);

} // namespace setkey::grammar
