#pragma once
#include <string_view>

namespace setkey::model {
// Levenshtein distance, for "did you mean" hints on keywords and algorithm names.
unsigned edit_distance(std::string_view a, std::string_view b);
} // namespace setkey::model
