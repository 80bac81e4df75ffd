// A keyword table: the words one role accepts (protocols, modes, -f flags, ...) and
// what each means. One table per role feeds the PEGTL alternatives (keyword_rules.hpp),
// the "expected ..." texts and the did-you-mean candidates, so they cannot disagree.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace setkey::grammar {

// `hidden` words parse but are left out of the lists shown to users (tcp, -esp_frag).
enum class Listing : bool { shown, hidden };

template<typename Value> struct Keyword {
    std::string_view word;
    Value value;
    Listing listing = Listing::shown;
};

// The entry spelled `word`; tables are short, a scan is cheapest.
template<typename Table> constexpr auto find_keyword(const Table& table, std::string_view word) -> decltype(&table[0]) {
    for (const auto& k : table)
        if (k.word == word) return &k;
    return nullptr;
}

// How list_text joins the shown words: "a, b or c", or "a, b, c".
enum class Joiner : bool { last_or, commas };

// Text pieces joined at compile time into one NUL-terminated array, so the result can
// serve where PEGTL wants a constexpr const char* (the error_message table).
template<typename Table> constexpr std::size_t shown_count(const Table& table) {
    std::size_t n = 0;
    for (const auto& k : table) n += k.listing == Listing::shown;
    return n;
}

// Writes (or, with out == nullptr, counts) "a, b or c" for the shown words.
template<typename Table> constexpr std::size_t write_list(const Table& table, Joiner joiner, char* out) {
    const std::size_t total = shown_count(table);
    std::size_t len = 0, i = 0;
    auto put = [&](std::string_view s) {
        for (char c : s) {
            if (out) out[len] = c;
            ++len;
        }
    };
    for (const auto& k : table) {
        if (k.listing != Listing::shown) continue;
        if (i) put(joiner == Joiner::last_or && i + 1 == total ? " or " : ", ");
        put(k.word);
        ++i;
    }
    return len;
}

// "PREFIX" + list of Table + "SUFFIX", as a constexpr char array.
template<const std::string_view& Prefix, const auto& Table, Joiner J, const std::string_view& Suffix>
constexpr auto make_list_message() {
    constexpr std::size_t n = Prefix.size() + write_list(Table, J, nullptr) + Suffix.size();
    std::array<char, n + 1> text{};
    std::size_t at = 0;
    for (char c : Prefix) text[at++] = c;
    at += write_list(Table, J, text.data() + at);
    for (char c : Suffix) text[at++] = c;
    return text;
}

template<const std::string_view& Prefix, const auto& Table, Joiner J, const std::string_view& Suffix>
inline constexpr auto list_message = make_list_message<Prefix, Table, J, Suffix>();

// The shown words of a table, as the candidate list of unknown_word_message.
template<const auto& Table> constexpr auto shown_words() {
    std::array<std::string_view, shown_count(Table)> words{};
    std::size_t i = 0;
    for (const auto& k : Table)
        if (k.listing == Listing::shown) words[i++] = k.word;
    return words;
}

template<const auto& Table> inline constexpr auto candidates = shown_words<Table>();

} // namespace setkey::grammar
