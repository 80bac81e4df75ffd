#pragma once
#include <cstddef>
#include <string_view>

namespace setkey::model {
// Levenshtein distance, for "did you mean" hints on keywords and algorithm names.
// Exact when the lengths differ by at most kEditDistanceExact; beyond, the difference
// of the lengths (a lower bound far past any hint): a 5 MB token is not compared
// letter by letter with every keyword.
inline constexpr size_t kEditDistanceExact = 16;
unsigned edit_distance(std::string_view a, std::string_view b);
} // namespace setkey::model
