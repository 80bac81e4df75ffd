#include "grammar/parse.hpp"

#include <tao/pegtl.hpp>

#include "grammar/actions.hpp"
#include "grammar/errors.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/rules.hpp"
#include "grammar/semantic_error.hpp"

namespace setkey::grammar {
namespace {

namespace pegtl = tao::pegtl;

// A rule with an error_message raises it where it fails (as PEGTL's must_if does); a
// semantic_error thrown by an action becomes a parse_error at the offending token (or
// where the action's match begins).
template<typename Rule> struct control : pegtl::normal<Rule> {
    using base = pegtl::normal<Rule>;

    template<typename ParseInput, typename... States> static void failure(const ParseInput& in, States&&... st) {
        if constexpr (has_error_message<Rule>) raise(in, st...);
    }

    template<typename ParseInput, typename... States> [[noreturn]] static void raise(const ParseInput& in, States&&...) {
        static_assert(has_error_message<Rule>, "a rule under must<> needs an entry in errors.hpp");
        throw pegtl::parse_error(error_message<Rule>, in);
    }

    template<template<typename...> class Action, typename Iterator, typename ParseInput, typename... States>
    static auto apply(const Iterator& begin, const ParseInput& in, States&&... st)
        -> decltype(base::template apply<Action>(begin, in, st...)) {
        try {
            return base::template apply<Action>(begin, in, st...);
        } catch (const semantic_error& e) {
            throw pegtl::parse_error(e.what(), in.position(e.at ? e.at : begin));
        }
    }

    template<template<typename...> class Action, typename ParseInput, typename... States>
    static auto apply0(const ParseInput& in, States&&... st) -> decltype(base::template apply0<Action>(in, st...)) {
        try {
            return base::template apply0<Action>(in, st...);
        } catch (const semantic_error& e) {
            throw pegtl::parse_error(e.what(), in.position(e.at ? e.at : in.current()));
        }
    }
};

// A short note for characters that are never part of a setkey token; `rest` starts at
// the error, which `at_start` says is the first byte of the text.
std::string character_hint(std::string_view rest, bool at_start) {
    // Some editors on Windows save one; ipsec-tools refuses it too.
    if (at_start && rest.starts_with("\xef\xbb\xbf"))
        return "; the text begins with a UTF-8 byte order mark (bytes EF BB BF): save it without one";
    const char c = rest.front();
    if (c == '\\') return "; there is no line continuation: a statement may simply span lines";
    // Comments are skipped everywhere else, so a '#' at an error is inside policy text.
    if (c == '#') return "; comments are not allowed inside -P policy text";
    bool token_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view(" \t\r\n#;:%.-,[]/\"+").find(c) != std::string_view::npos;
    if (token_char || c == '\0') return {};
    if (c >= 0x21 && c < 0x7f) return std::string("; '") + c + "' cannot appear in a script outside quotes";
    return "; unexpected byte outside quotes";
}

// The end of the script's last token: the grammar's blanks (space, tab, CR, LF) and '#'
// comments are none; a quoted string is one, whatever it holds, across lines too.
const char* last_token_end(std::string_view text) {
    const char* last = text.data();
    bool quoted = false, comment = false;
    for (const char* q = text.data(); q < text.data() + text.size(); ++q) {
        const char c = *q;
        if (comment) {
            comment = c != '\n';
        } else if (quoted || c == '"') {
            quoted = quoted ? c != '"' : true;
            last = q + 1;
        } else if (c == '#') {
            comment = true;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            last = q + 1;
        }
    }
    return last;
}

// Bytes of the character at text[i]: a whole UTF-8 sequence, else 1.
size_t utf8_length(std::string_view text, size_t i) {
    if (i >= text.size()) return 1;
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
    if (i + n > text.size()) return 1;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 1;
    return n;
}

Diagnostic diagnostic_at(std::string_view text, const ParseOptions& options, size_t byte, std::string message) {
    LineIndex lines(text, options.first_line, options.first_line_prefix);
    const char* p = text.data() + std::min(byte, text.size());
    // An error where only blanks and comments are left (a last statement without its
    // ';') is placed just after the last token, on its line, rather than past the end;
    // the byte it was found at then says nothing.
    const char* last = last_token_end(text);
    const bool moved = p > last;
    if (moved) p = last;
    Diagnostic d;
    d.file = options.filename;
    lines.place(d, p);
    if (!moved && p < text.data() + text.size())
        message += character_hint(text.substr(size_t(p - text.data())), p == text.data());
    d.message = shown_message(std::move(message));
    return d;
}

ParseResult run(std::string_view text, const ParseOptions& options, const StatementSink* sink) {
    ParseResult result;
    ParseState state(text, options, sink, result);
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), options.filename);
    try {
        pegtl::parse<rules::script, action, control>(in, state);
    } catch (const stop_parsing&) {
        // exit; or the sink asked to stop: everything so far is valid.
    } catch (const pegtl::parse_error& e) {
        result.statements.clear();
        result.error = diagnostic_at(text, options, e.positions().front().byte, std::string(e.message()));
    }
    return result;
}

} // namespace

std::string Diagnostic::render() const {
    std::string out = "setkey: " + file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    if (warning) out += "warning: ";
    out += message;
    out += '\n';
    out += source_line;
    out += '\n';
    // Keep tabs, and one space per character, so the caret lines up under the same
    // display column: a UTF-8 sequence is one, and so is each byte of invalid UTF-8
    // (a terminal shows it as one replacement character).
    const size_t at = caret ? caret : column;
    for (size_t i = 0; i + 1 < at; i += utf8_length(source_line, i))
        out += i < source_line.size() && source_line[i] == '\t' ? '\t' : ' ';
    out += "^\n";
    return out;
}

ParseResult parse_script(std::string_view text, const ParseOptions& options) {
    return run(text, options, nullptr);
}

ParseResult parse_script(std::string_view text, const ParseOptions& options, const StatementSink& sink) {
    return run(text, options, &sink);
}

} // namespace setkey::grammar
