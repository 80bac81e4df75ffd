// Shared helpers for the grammar tests: parse without DNS, render errors, read corpus files.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "grammar/parse.hpp"
#include "support/corpus.hpp"

namespace setkey::grammar::test {

inline ParseResult parse(std::string_view text, std::string file = "input") {
    ParseOptions o;
    o.filename = std::move(file);
    o.resolve_names = false;
    return parse_script(text, o);
}

// The rendered error, or "" when the text parses.
inline std::string error_of(std::string_view text) {
    auto r = parse(text);
    return r.error ? r.error->render() : std::string();
}

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// A file of the ipsec-tools corpus; tests that call this start with SETKEY_REQUIRE_CORPUS().
inline std::string corpus(const std::string& relative) { return ::setkey::test::corpus_path(relative); }

// expected/summary.tsv: file (scripts/x.conf) -> verdict of `setkey -n -f`.
inline std::map<std::string, std::string> verdicts() {
    std::map<std::string, std::string> out;
    std::ifstream f(corpus("expected/summary.tsv"));
    std::string line;
    std::getline(f, line); // header
    while (std::getline(f, line)) {
        auto tab1 = line.find('\t');
        auto tab2 = line.find('\t', tab1 + 1);
        out[line.substr(0, tab1)] = line.substr(tab1 + 1, tab2 - tab1 - 1);
    }
    return out;
}

} // namespace setkey::grammar::test
