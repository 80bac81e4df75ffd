// -D -l lines against the =====L section of small.out.
#include <gtest/gtest.h>

#include "output/short.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;

TEST(ShortGolden, ThreePassesOfTheSmallSad) {
    std::string out = short_header();
    // The listing started two seconds after the SAs were added.
    for (int64_t now = kSmallAdded + 2; now <= kSmallAdded + 4; ++now)
        for (const auto& sa : small_sad(0)) out += short_line(sa, now);
    EXPECT_EQ(out, read_golden("small-l.txt"));
}

} // namespace
} // namespace setkey::output
