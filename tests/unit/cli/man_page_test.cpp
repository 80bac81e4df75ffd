// man/setkey.8 documents every option the parser accepts and every algorithm in the
// table, so neither can be added without the manual following.
#include <gtest/gtest.h>

#include <cctype>
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "model/algorithm.hpp"

namespace {

std::string man_page() {
    std::ifstream in(std::string(SETKEY_SOURCE_DIR) + "/man/setkey.8");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every argument of an mdoc `Fl` macro in order, as it renders without its leading '-':
// `.Fl D` gives "D", `.Fl Fl dump` and `.Fl -dump` give "-dump", `Fl \&?` gives "?".
std::vector<std::string> flags_in_order(const std::string& page) {
    std::vector<std::string> flags;
    std::istringstream words(page);
    std::string word;
    unsigned fl_run = 0; // consecutive Fl macros: each adds one '-'
    while (words >> word) {
        if (word == "Fl" || word == ".Fl") {
            ++fl_run;
            continue;
        }
        if (fl_run > 0) {
            if (word.rfind("\\&", 0) == 0) word.erase(0, 2);
            while (!word.empty() && (word.back() == ',' || word.back() == '.')) word.pop_back();
            flags.push_back(std::string(fl_run - 1, '-') + word);
        }
        fl_run = 0;
    }
    return flags;
}

std::set<std::string> documented_flags(const std::string& page) {
    const std::vector<std::string> flags = flags_in_order(page);
    return {flags.begin(), flags.end()};
}

// The text between `.Sh NAME` and the next `.Sh`.
std::string section(const std::string& page, const std::string& name) {
    const size_t start = page.find(".Sh " + name + "\n");
    if (start == std::string::npos) return {};
    return page.substr(start, page.find("\n.Sh ", start + 1) - start);
}

// The SYNOPSIS, one entry per `.Nm` line: its flags as they are typed ("-vrk", "--atomic").
std::vector<std::vector<std::string>> man_synopsis() {
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(section(man_page(), "SYNOPSIS"));
    std::string line, block;
    auto flush = [&] {
        if (block.empty()) return;
        std::vector<std::string> flags;
        for (const std::string& f : flags_in_order(block)) flags.push_back("-" + f);
        lines.push_back(flags);
        block.clear();
    };
    bool started = false; // the lines before the first .Nm are the section header
    while (std::getline(in, line)) {
        if (line == ".Nm") {
            flush();
            started = true;
        }
        if (started) block += line + "\n";
    }
    flush();
    return lines;
}

// The synopsis of --help, one entry per line, with the same flag tokens.
std::vector<std::vector<std::string>> help_synopsis() {
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(setkey::cli::usage_text());
    std::string line;
    const std::regex flag(R"((^|[\s\[])(--?[A-Za-z?][A-Za-z0-9-]*))");
    while (std::getline(in, line)) {
        std::vector<std::string> flags;
        for (auto m = std::sregex_iterator(line.begin(), line.end(), flag); m != std::sregex_iterator(); ++m)
            flags.push_back((*m)[2]);
        lines.push_back(flags);
    }
    return lines;
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

TEST(ManPage, HelpSynopsisIsTheManualSynopsis) {
    const auto man = man_synopsis();
    const auto help = help_synopsis();
    ASSERT_EQ(man.size(), 9u); // the .Nm lines: file operands, -c, -f, --sync, --diff, -D, -F, -x, -V|-h
    ASSERT_EQ(help.size(), man.size()) << setkey::cli::usage_text();
    for (size_t i = 0; i < man.size(); ++i)
        EXPECT_EQ(help[i], man[i]) << "synopsis line " << i + 1 << " of --help differs from man/setkey.8";
}

// The option list of the DESCRIPTION (`.It Fl ...` items) against the parser and --help.
TEST(ManPage, OptionListMatchesTheParserAndHelp) {
    const std::string help = setkey::cli::help_text();
    const auto parser = setkey::cli::option_names();
    std::istringstream in(section(man_page(), "DESCRIPTION"));
    std::set<std::string> listed;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(".It Fl ", 0) != 0) continue;
        for (const std::string& f : flags_in_order(line)) listed.insert("-" + f);
    }
    ASSERT_FALSE(listed.empty());
    const std::regex help_name(R"((^|[\s,])(--?[A-Za-z?][A-Za-z0-9-]*))");
    std::set<std::string> in_help;
    for (auto m = std::sregex_iterator(help.begin(), help.end(), help_name); m != std::sregex_iterator(); ++m)
        in_help.insert((*m)[2]);
    for (const std::string& name : listed) {
        EXPECT_NE(std::find(parser.begin(), parser.end(), name), parser.end())
            << name << " is in the manual's option list but the parser does not know it";
        EXPECT_TRUE(in_help.count(name)) << name << " is in the manual's option list but missing from --help";
    }
    for (const std::string& name : parser) {
        EXPECT_TRUE(listed.count(name)) << name << " is missing from the manual's option list";
        EXPECT_TRUE(in_help.count(name)) << name << " is missing from --help";
    }
}

TEST(ManPage, DocumentsEveryAlgorithm) {
    const std::string page = man_page();
    for (const setkey::model::Algorithm& alg : setkey::model::all_algorithms()) {
        EXPECT_TRUE(contains_word(page, alg.name)) << alg.name << " is missing from man/setkey.8";
        for (std::string_view alias : alg.aliases) {
            if (!alias.empty()) {
                EXPECT_TRUE(contains_word(page, alias)) << alias << " is missing from man/setkey.8";
            }
        }
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
