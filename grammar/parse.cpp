#include "grammar/parse.hpp"

#include <cctype>

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

// A short note for characters that are never part of a setkey token.
std::string character_hint(char c) {
    if (c == '\\') return "; there is no line continuation: a statement may simply span lines";
    // Comments are skipped everywhere else, so a '#' at an error is inside policy text.
    if (c == '#') return "; comments are not allowed inside -P policy text";
    bool token_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view(" \t\r\n#;:%.-,[]/\"+").find(c) != std::string_view::npos;
    if (token_char || c == '\0') return {};
    if (c >= 0x21 && c < 0x7f) return std::string("; '") + c + "' cannot appear in a script outside quotes";
    return "; unexpected byte outside quotes";
}

// An error found where only blanks and comments are left (a last statement without its
// ';') is placed just after the last token, on its line, rather than past the end.
const char* after_last_token(std::string_view text, const char* p) {
    const char* end = text.data() + text.size();
    for (const char* q = p; q < end; ++q)
        if (!std::isspace(static_cast<unsigned char>(*q))) return p;
    const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (p > text.data() && blank(p[-1])) --p;
    // A comment ending that line is skipped too ('#' outside quotes).
    const char* line = p;
    while (line > text.data() && line[-1] != '\n') --line;
    bool quoted = false;
    for (const char* q = line; q < p; ++q) {
        if (*q == '"') quoted = !quoted;
        if (*q == '#' && !quoted) {
            p = q;
            while (p > line && blank(p[-1])) --p;
            break;
        }
    }
    return p;
}

Diagnostic diagnostic_at(std::string_view text, const ParseOptions& options, size_t byte, std::string message) {
    LineIndex lines(text, options.first_line, options.first_line_prefix);
    const char* p = after_last_token(text, text.data() + std::min(byte, text.size()));
    Diagnostic d;
    d.file = options.filename;
    lines.place(d, p);
    if (p < text.data() + text.size()) message += character_hint(*p);
    d.message = std::move(message);
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
    // Keep tabs, and one space per UTF-8 character (not per byte), so the caret lines up
    // under the same display column.
    const size_t at = caret ? caret : column;
    for (size_t i = 0; i + 1 < at; ++i) {
        const char c = i < source_line.size() ? source_line[i] : ' ';
        if ((static_cast<unsigned char>(c) & 0xc0) == 0x80) continue;
        out += c == '\t' ? '\t' : ' ';
    }
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
