// The recordings in tests/golden/pfkey/ are cuts of the ipsec-tools corpus; when the
// corpus is present, they must still say what it says (re-cut: cut-from-corpus.sh).
#include <gtest/gtest.h>

#include <regex>

#include "support/hexdump_file.hpp"
#include "support/corpus.hpp"

namespace setkey::pfkey {
namespace {

using setkey::test::corpus_path;

TEST(CorpusCut, SmallXxhIsTheMonitorSectionOfSmallOut) {
    SETKEY_REQUIRE_CORPUS();
    const std::string all = test::read_file(corpus_path("expected/vm-modes/small.out"));
    const std::string marker = "=====XXH\n";
    const auto begin = all.find(marker);
    ASSERT_NE(begin, std::string::npos);
    const auto end = all.find("\n=====", begin + marker.size());
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(test::small_xxh(), all.substr(begin + marker.size(), end + 1 - begin - marker.size()));
}

TEST(CorpusCut, EveryRecordedRequestIsThatMessageOfTheCorpusScript) {
    SETKEY_REQUIRE_CORPUS();
    const std::regex label(R"(# (\S+\.conf) (\d+))");
    size_t checked = 0;
    for (const auto& item : test::read_hexdump_file(std::string(SETKEY_GOLDEN_DIR) + "/pfkey/requests-082.txt")) {
        const std::string* line = std::get_if<std::string>(&item);
        std::smatch m;
        if (!line || !std::regex_match(*line, m, label)) continue;
        const auto corpus = test::messages_of(
            test::read_hexdump_file(corpus_path("expected/requests-H/scripts__" + m[1].str() + ".txt")));
        const size_t index = std::stoul(m[2].str());
        ASSERT_LT(index, corpus.size()) << *line;
        EXPECT_EQ(test::request_082(m[1].str(), index), corpus[index]) << *line;
        ++checked;
    }
    EXPECT_EQ(checked, 20u);
}

} // namespace
} // namespace setkey::pfkey
