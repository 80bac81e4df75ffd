// A keyword table: the words one role accepts (protocols, modes, -f flags, ...) and
// what each means. One table per role feeds the PEGTL alternatives (keyword_rules.hpp),
// the "expected ..." texts and the did-you-mean candidates, so they cannot disagree.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace setkey::grammar {

// `hidden` words parse but are left out of the lists shown to users (tcp, -esp_frag).
enum class Listing : bool { shown, hidden };

template<typename Value> struct Keyword {
    std::string_view word;
    Value value;
    Listing listing = Listing::shown;
};

// How a list joins its words: "a, b or c", or "a, b, c".
enum class Joiner : bool { last_or, commas };

template<typename Table> constexpr std::size_t shown_count(const Table& table) {
    std::size_t n = 0;
    for (const auto& k : table) n += k.listing == Listing::shown;
    return n;
}

// The shown words of a table, in order: the did-you-mean candidates and the lists.
template<const auto& Table> constexpr auto shown_words() {
    std::array<std::string_view, shown_count(Table)> words{};
    std::size_t i = 0;
    for (const auto& k : Table)
        if (k.listing == Listing::shown) words[i++] = k.word;
    return words;
}
template<const auto& Table> inline constexpr auto candidates = shown_words<Table>();

// Writes (or, with out == nullptr, only counts) "a, b or c"; returns the length.
constexpr std::size_t join_words(std::span<const std::string_view> words, Joiner joiner, char* out) {
    std::size_t len = 0;
    auto put = [&](std::string_view s) {
        for (char c : s) {
            if (out) out[len] = c;
            ++len;
        }
    };
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) put(joiner == Joiner::last_or && i + 1 == words.size() ? " or " : ", ");
        put(words[i]);
    }
    return len;
}

// Messages are built at compile time into NUL-terminated arrays, so they can serve
// where PEGTL wants a constexpr const char* (the error_message table). A message is
// parts: literal text, or the shown words of a table.
template<const std::string_view& Text> struct text_part {
    static constexpr std::size_t write(char* out) {
        if (out)
            for (std::size_t i = 0; i < Text.size(); ++i) out[i] = Text[i];
        return Text.size();
    }
};
template<const auto& Table, Joiner J> struct words_part {
    static constexpr std::size_t write(char* out) { return join_words(candidates<Table>, J, out); }
};

// The words of some rows of a table (Rows: their indices), in that order.
template<const auto& Table, const auto& Rows, Joiner J> struct rows_part {
    static constexpr std::size_t write(char* out) {
        std::array<std::string_view, std::size(Rows)> words{};
        for (std::size_t i = 0; i < words.size(); ++i) words[i] = Table[Rows[i]].word;
        return join_words(words, J, out);
    }
};

template<typename... Parts> constexpr auto make_message() {
    constexpr std::size_t n = (Parts::write(nullptr) + ...);
    std::array<char, n + 1> text{};
    std::size_t at = 0;
    ((at += Parts::write(text.data() + at)), ...);
    return text;
}

// The parts joined into one NUL-terminated constexpr array (use .data()).
template<typename... Parts> inline constexpr auto message_text = make_message<Parts...>();

// The common shape: "PREFIX" + "a, b or c" + "SUFFIX".
template<const std::string_view& Prefix, const auto& Table, Joiner J, const std::string_view& Suffix>
inline constexpr auto& list_message = message_text<text_part<Prefix>, words_part<Table, J>, text_part<Suffix>>;

} // namespace setkey::grammar
