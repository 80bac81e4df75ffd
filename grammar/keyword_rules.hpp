// PEGTL rules made from a keyword table (keyword_table.hpp): the alternatives of a role
// are the rows of its table, so a new row is a new accepted word.
#pragma once

#include <utility>

#include <tao/pegtl.hpp>

namespace setkey::grammar::rules {

namespace detail {
// Row I's word as tao::pegtl::string<'e', 's', 'p'>.
template<const auto& Table, std::size_t I, typename = std::make_index_sequence<Table[I].word.size()>>
struct row_string;
template<const auto& Table, std::size_t I, std::size_t... C>
struct row_string<Table, I, std::index_sequence<C...>> {
    using type = tao::pegtl::string<Table[I].word[C]...>;
};

} // namespace detail

// Row I alone: the word of one row, wrapped in Word (which adds the end-of-word check).
// Each alternative of keyword_of and keyword_with is one, so a matched word's action
// knows its row without looking its text up again.
template<const auto& Table, std::size_t I, template<typename> class Word>
struct keyword_row : Word<typename detail::row_string<Table, I>::type> {};

namespace detail {
template<const auto& Table, template<typename> class Word, typename Seq> struct rows;
template<const auto& Table, template<typename> class Word, std::size_t... I>
struct rows<Table, Word, std::index_sequence<I...>> {
    using type = tao::pegtl::sor<keyword_row<Table, I, Word>...>;
};

template<const auto& Table, auto Value, template<typename> class Word, typename Seq> struct rows_with;
template<const auto& Table, auto Value, template<typename> class Word, std::size_t... I>
struct rows_with<Table, Value, Word, std::index_sequence<I...>> {
    using type =
        tao::pegtl::sor<std::conditional_t<Table[I].value == Value, keyword_row<Table, I, Word>, tao::pegtl::failure>...>;
};
} // namespace detail

// Any word of Table.
template<const auto& Table, template<typename> class Word>
struct keyword_of : detail::rows<Table, Word, std::make_index_sequence<std::size(Table)>>::type {};

// One rule per row index: sor<Row<0>, Row<1>, ...>.
template<std::size_t N, template<std::size_t> class Row, typename = std::make_index_sequence<N>> struct each_row;
template<std::size_t N, template<std::size_t> class Row, std::size_t... I>
struct each_row<N, Row, std::index_sequence<I...>> : tao::pegtl::sor<Row<I>...> {};

// Only the rows whose value is Value (exit, quit and bye all mean Cmd::exit).
template<const auto& Table, auto Value, template<typename> class Word>
struct keyword_with : detail::rows_with<Table, Value, Word, std::make_index_sequence<std::size(Table)>>::type {};

} // namespace setkey::grammar::rules
