#include "cli/statement_splitter.hpp"

#include <cctype>

namespace setkey::cli {

bool StatementSplitter::feed(std::string_view bytes, const Sink& sink) {
    for (const char c : bytes) {
        if (c == '\n') {
            end_line();
            continue;
        }
        pending_ += c;
        line_ += c;
        if (in_quote_) {
            in_quote_ = c != '"';
            continue;
        }
        if (in_comment_) continue;
        if (c == '#') {
            in_comment_ = true; // the rest of the line cannot end a statement
        } else if (c == ';') {
            const std::string_view prefix =
                starts_on_this_line_ ? std::string_view(line_).substr(0, start_column_) : start_prefix_;
            const bool go_on = sink({pending_, start_line_, prefix});
            end_statement();
            if (!go_on) return false;
        } else {
            if (c == '"') in_quote_ = true;
            // The grammar's blanks only: a \v or \f is a byte the parser must see.
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') pending_has_text_ = true;
        }
    }
    return true;
}

// The next statement starts right after the ';', on the current line.
void StatementSplitter::end_statement() {
    pending_.clear();
    pending_has_text_ = false;
    start_line_ = line_number_;
    start_column_ = line_.size();
    starts_on_this_line_ = true;
}

void StatementSplitter::end_line() {
    in_comment_ = false;
    if (!pending_has_text_ && !in_quote_) {
        // Only blanks and comments so far: start the next statement on the next line.
        pending_.clear();
        start_line_ = line_number_ + 1;
        start_column_ = 0;
        starts_on_this_line_ = true;
    } else {
        pending_ += '\n';
        if (starts_on_this_line_) start_prefix_.assign(line_, 0, start_column_);
        starts_on_this_line_ = false;
    }
    line_.clear();
    ++line_number_;
}

void StatementSplitter::finish(const Sink& sink) {
    if (pending_has_text_ || in_quote_) {
        // Drop the newline after the last line, so "expected ';'" points at the end of
        // the text rather than at an empty line after it.
        if (!pending_.empty() && pending_.back() == '\n') pending_.pop_back();
        const std::string_view prefix =
            starts_on_this_line_ ? std::string_view(line_).substr(0, start_column_) : start_prefix_;
        sink({pending_, start_line_, prefix});
    }
    pending_.clear();
    line_.clear();
    pending_has_text_ = in_quote_ = in_comment_ = false;
}

} // namespace setkey::cli
