// man/setkey.8 documents every option the parser accepts and every algorithm in the
// table, so neither can be added without the manual following.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "cli/options.hpp"
#include "model/algorithm.hpp"

namespace {

std::string man_page() {
    std::ifstream in(std::string(SETKEY_SOURCE_DIR) + "/man/setkey.8");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every argument of an mdoc `Fl` macro, as it renders without its leading '-':
// `.Fl D` gives "D", `.Fl Fl dump` and `.Fl -dump` give "-dump", `Fl \&?` gives "?".
std::set<std::string> documented_flags(const std::string& page) {
    std::set<std::string> flags;
    std::istringstream words(page);
    std::string word, previous;
    unsigned fl_run = 0; // consecutive Fl macros: each adds one '-'
    while (words >> word) {
        if (word == "Fl" || word == ".Fl") {
            ++fl_run;
            continue;
        }
        if (fl_run > 0) {
            if (word.rfind("\\&", 0) == 0) word.erase(0, 2);
            while (!word.empty() && (word.back() == ',' || word.back() == '.')) word.pop_back();
            flags.insert(std::string(fl_run - 1, '-') + word);
        }
        fl_run = 0;
    }
    return flags;
}

bool contains_word(const std::string& text, std::string_view word) {
    auto part_of_name = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    };
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        const bool starts = at == 0 || !part_of_name(text[at - 1]);
        const size_t end = at + word.size();
        const bool ends = end == text.size() || !part_of_name(text[end]);
        if (starts && ends) return true;
    }
    return false;
}

TEST(ManPage, DocumentsEveryOption) {
    const std::set<std::string> flags = documented_flags(man_page());
    ASSERT_FALSE(flags.empty());
    for (const std::string& name : setkey::cli::option_names())
        EXPECT_TRUE(flags.count(name.substr(1))) << name << " is missing from man/setkey.8";
}

TEST(ManPage, DocumentsEveryAlgorithm) {
    const std::string page = man_page();
    for (const setkey::model::Algorithm& alg : setkey::model::all_algorithms()) {
        EXPECT_TRUE(contains_word(page, alg.name)) << alg.name << " is missing from man/setkey.8";
        for (std::string_view alias : alg.aliases)
            if (!alias.empty())
                EXPECT_TRUE(contains_word(page, alias)) << alias << " is missing from man/setkey.8";
    }
}

TEST(ManPage, FlagScannerReadsMdoc) {
    const auto flags = documented_flags(".It Fl D , Fl Fl dump\n.Fl \\&? ,\n.Op Fl Palpv\n");
    EXPECT_TRUE(flags.count("D"));
    EXPECT_TRUE(flags.count("-dump"));
    EXPECT_TRUE(flags.count("?"));
    EXPECT_TRUE(flags.count("Palpv"));
    EXPECT_FALSE(flags.count("-D"));
}

} // namespace
