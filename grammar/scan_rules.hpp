// The most frequent tokens (blanks and comments, words, numbers, hex numbers) matched
// by one loop over a byte table instead of PEGTL's dispatch per character, which was
// a third of a load's parse time. Each scan derives from the PEGTL rule it stands for:
// analyze() and the reader see that rule, and the scan accepts exactly its language
// (tests/unit/grammar/scan_rules_test.cpp holds the two side by side).
//
// PEGTL calls a rule's `match(in)` when it has no match<A, M, Action, Control>; the
// scan's match hides the base rule's, so the base is only the rule's description.
#pragma once

#include <array>
#include <cstddef>

#include <tao/pegtl.hpp>

namespace setkey::grammar::rules::scan {

enum CharClass : unsigned char {
    kBlank = 1,     // ' ', '\t', '\n', '\r'
    kWordStart = 2, // [A-Za-z0-9:]
    kWordChar = 4,  // [A-Za-z0-9:%.-]
    kDigit = 8,     // [0-9]
    kXDigit = 16,   // [0-9A-Fa-f]
};

constexpr std::array<unsigned char, 256> make_classes() {
    std::array<unsigned char, 256> t{};
    for (unsigned char c : {' ', '\t', '\n', '\r'}) t[c] |= kBlank;
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha || digit || c == ':') t[c] |= kWordStart | kWordChar;
        if (c == '%' || c == '.' || c == '-') t[c] |= kWordChar;
        if (digit) t[c] |= kDigit;
        if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) t[c] |= kXDigit;
    }
    return t;
}
inline constexpr std::array<unsigned char, 256> kClasses = make_classes();

constexpr bool is(char c, CharClass k) { return (kClasses[static_cast<unsigned char>(c)] & k) != 0; }

// The end of the run of `k` bytes from p.
inline const char* skip(const char* p, const char* end, CharClass k) {
    while (p != end && is(*p, k)) ++p;
    return p;
}

// Blanks and '#' comments (to the end of their line): star<sor<ws, comment>>.
template<typename Base> struct separator : Base {
    template<typename ParseInput> static bool match(ParseInput& in) {
        const char* p = in.current();
        const char* const end = in.end();
        for (;;) {
            p = skip(p, end, kBlank);
            if (p == end || *p != '#') break;
            while (p != end && *p != '\n') ++p;
        }
        in.bump(static_cast<std::size_t>(p - in.current()));
        return true;
    }
};

// Blanks only: star<one<' ', '\t', '\n', '\r'>>.
template<typename Base> struct blanks : Base {
    template<typename ParseInput> static bool match(ParseInput& in) {
        in.bump(static_cast<std::size_t>(skip(in.current(), in.end(), kBlank) - in.current()));
        return true;
    }
};

// STRING: seq<sor<alnum, one<':'>>, star<word_char>>.
template<typename Base> struct word : Base {
    template<typename ParseInput> static bool match(ParseInput& in) {
        const char* const p = in.current();
        if (p == in.end() || !is(*p, kWordStart)) return false;
        in.bump_in_this_line(static_cast<std::size_t>(skip(p + 1, in.end(), kWordChar) - p));
        return true;
    }
};

// seq<plus<digit>, end_of_word>: digits not followed by a word character.
template<typename Base> struct number : Base {
    template<typename ParseInput> static bool match(ParseInput& in) {
        const char* const p = in.current();
        const char* const q = skip(p, in.end(), kDigit);
        if (q == p || (q != in.end() && is(*q, kWordChar))) return false;
        in.bump_in_this_line(static_cast<std::size_t>(q - p));
        return true;
    }
};

// seq<one<'0'>, one<'x', 'X'>, plus<xdigit>, end_of_word>.
template<typename Base> struct hex_number : Base {
    template<typename ParseInput> static bool match(ParseInput& in) {
        const char* const p = in.current();
        const char* const end = in.end();
        if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) return false;
        const char* const q = skip(p + 2, end, kXDigit);
        if (q == p + 2 || (q != end && is(*q, kWordChar))) return false;
        in.bump_in_this_line(static_cast<std::size_t>(q - p));
        return true;
    }
};

} // namespace setkey::grammar::rules::scan
