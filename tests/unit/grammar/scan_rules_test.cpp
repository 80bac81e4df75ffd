// The scans of grammar/scan_rules.hpp accept exactly the language of the PEGTL rule each
// stands for: on every short string over the bytes that matter, the same verdict and the
// same length as that rule.
#include "grammar/rules.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace setkey::grammar::rules {
namespace {

namespace pegtl = tao::pegtl;

// How many bytes of `text` the rule matches; nullopt when it fails.
template<typename Rule> std::optional<size_t> matched(const std::string& text) {
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), "test");
    if (!pegtl::parse<Rule>(in)) return std::nullopt;
    return static_cast<size_t>(in.current() - text.data());
}

// Every string of up to four bytes over an alphabet of each character class's edges.
std::vector<std::string> samples() {
    const std::string alphabet = "aZ09:%.-#x \t\n\rfg_0X";
    std::vector<std::string> out{""};
    for (size_t len = 1; len <= 4; ++len) {
        const size_t before = out.size();
        for (size_t i = 0; i < before; ++i)
            if (out[i].size() == len - 1)
                for (char c : alphabet) out.push_back(out[i] + c);
    }
    return out;
}

template<typename Scan, typename Base> void expect_same_language() {
    for (const std::string& s : samples()) {
        ASSERT_EQ(matched<Scan>(s), matched<Base>(s)) << '"' << s << '"';
        ASSERT_EQ(matched<Scan>(s + "0x1f"), matched<Base>(s + "0x1f")) << '"' << s << "0x1f\"";
    }
}

TEST(ScanRules, EachAcceptsTheLanguageOfItsRule) {
    expect_same_language<sep, pegtl::star<pegtl::sor<ws, comment>>>();
    expect_same_language<pws, pegtl::star<pegtl::one<' ', '\t', '\n', '\r'>>>();
    expect_same_language<word, pegtl::seq<pegtl::sor<pegtl::alnum, pegtl::one<':'>>, pegtl::star<word_char>>>();
    expect_same_language<number, pegtl::seq<pegtl::plus<pegtl::digit>, end_of_word>>();
    expect_same_language<hex_number,
                         pegtl::seq<pegtl::one<'0'>, pegtl::one<'x', 'X'>, pegtl::plus<pegtl::xdigit>, end_of_word>>();
}

} // namespace
} // namespace setkey::grammar::rules
