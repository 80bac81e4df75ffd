// `-c` mode cuts stdin into statements so each one runs as soon as its `;` arrives,
// not when a newline follows. Input is fed in whatever pieces read(2) returns. A `;`
// inside "..." (keys, contexts) or after a `#` comment does not end a statement.
// Each statement is handed over alone, with its line number and the text of its
// line before it, so the parser's line and column numbers and the source line shown
// in errors are the true ones. Memory is the current statement plus the current line.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace setkey::cli {

class StatementSplitter {
public:
    struct Chunk {
        std::string_view text;        // from the statement's first character up to its `;`
        unsigned first_line = 1;      // line number of text's first line
        std::string_view line_prefix; // the text of that line before the statement
    };
    // Called for each statement; returns false to stop (exit, or an atomic session's end).
    using Sink = std::function<bool(const Chunk&)>;

    // Feeds the next bytes of input; false once `sink` said stop.
    bool feed(std::string_view bytes, const Sink& sink);

    // At end of input: the unterminated rest, unless it holds only blanks and comments.
    void finish(const Sink& sink);

    // Memory held for the statement not yet ended (it and its current line).
    size_t pending_bytes() const { return pending_.size() + line_.size(); }

private:
    void end_statement();
    void end_line();

    std::string pending_;        // text of the statement being collected
    std::string line_;           // the current line so far
    std::string start_prefix_;   // the start line's text before the statement, once that line ended
    size_t start_column_ = 0;    // length of that prefix while the start line is the current one
    bool starts_on_this_line_ = true;
    unsigned start_line_ = 1;    // line number where pending_ starts
    unsigned line_number_ = 1;   // line number of line_
    bool in_quote_ = false;      // inside "..." (keys and contexts may hold ';' or '#')
    bool in_comment_ = false;    // after '#' up to the end of the line
    bool pending_has_text_ = false;
};

} // namespace setkey::cli
