#include "model/edit_distance.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

namespace setkey::model {

unsigned edit_distance(std::string_view a, std::string_view b) {
    const size_t apart = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (apart > kEditDistanceExact) return unsigned(std::min<size_t>(apart, std::numeric_limits<unsigned>::max()));
    std::vector<unsigned> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0u);
    for (size_t i = 1; i <= a.size(); ++i) {
        unsigned diag = row[0];
        row[0] = static_cast<unsigned>(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            unsigned up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diag = up;
        }
    }
    return row[b.size()];
}

} // namespace setkey::model
