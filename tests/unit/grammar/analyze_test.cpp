// PEGTL's grammar analysis: no rule can loop without consuming input.
#include <gtest/gtest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/rules.hpp"

TEST(GrammarAnalysis, ReportsNoIssues) {
    EXPECT_EQ(tao::pegtl::analyze<setkey::grammar::rules::script>(), 0u);
}
