#include "grammar/suggest.hpp"

#include <algorithm>
#include <cctype>

#include "grammar/keyword_table.hpp"
#include "model/edit_distance.hpp"

namespace setkey::grammar {

std::string unknown_word_message(std::string_view what, std::string_view word,
                                 std::span<const std::string_view> candidates) {
    std::string msg = "unknown " + std::string(what) + " '" + std::string(word) + "'";
    std::string lower(word);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    std::string_view best;
    unsigned best_d = ~0u;
    for (auto c : candidates) {
        if (c == lower && lower != word) return msg + "; keywords are lower-case: did you mean '" + std::string(c) + "'?";
        unsigned d = model::edit_distance(word, c);
        if (d < best_d) best_d = d, best = c;
    }
    // Close enough to be a typo: at most 2 edits, and fewer than half the word.
    if (best_d <= 2 && best_d * 2 < std::max(word.size(), best.size()))
        return msg + "; did you mean '" + std::string(best) + "'?";
    std::string list(join_words(candidates, Joiner::last_or, nullptr), '\0');
    join_words(candidates, Joiner::last_or, list.data());
    return msg + "; expected " + list;
}

} // namespace setkey::grammar
