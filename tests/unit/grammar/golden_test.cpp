// Golden model dumps (model::debug_text) of representative corpus scripts. Set
// SETKEY_UPDATE_GOLDEN=1 to rewrite tests/golden/grammar/*.txt after a deliberate change.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "grammar_test_support.hpp"
#include "model/debug_text.hpp"

namespace setkey::grammar::test {
namespace {

class GoldenDump : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenDump, MatchesRecordedModel) {
    SETKEY_REQUIRE_CORPUS();
    const std::string script = GetParam();
    auto r = parse(read_file(corpus("scripts/" + script)), script);
    ASSERT_TRUE(r.ok()) << r.error->render();
    std::string dump;
    for (const auto& w : r.warnings) dump += "warning " + std::to_string(w.line) + ": " + w.message + "\n";
    for (const auto& s : r.statements) dump += model::debug_text(s) + "\n";
    std::string golden = std::string(SETKEY_GOLDEN_DIR) + "/grammar/" + script + ".txt";
    if (std::getenv("SETKEY_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << dump;
    EXPECT_EQ(dump, read_file(golden));
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldenDump,
                         ::testing::Values("it-sample-linux-subset.conf", "it-sample-policy02.conf",
                                           "man-it-setkey8-examples-linux-subset.conf",
                                           "man-it-setkey8-icmp6-ns.conf",
                                           "netbsd-natt-ipv4-local-sa-rijndaelcbc.conf",
                                           "netbsd-misc-getspi-update-esp-rijndaelcbc.conf",
                                           "freebsd-tunnel-chacha20-poly1305-v4-ipsecA.conf",
                                           "gh-audit-test-lspp-setkey.conf"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

} // namespace
} // namespace setkey::grammar::test
