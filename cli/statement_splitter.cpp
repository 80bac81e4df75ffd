#include "cli/statement_splitter.hpp"

#include <cctype>

namespace setkey::cli {

std::vector<StatementSplitter::Chunk> StatementSplitter::feed_line(std::string_view line) {
    ++line_;
    std::vector<Chunk> done;
    if (pending_.empty()) pending_line_ = line_;
    size_t start = 0; // first character of `line` not yet in pending_
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (in_quote_) {
            if (c == '"') in_quote_ = false;
            continue;
        }
        if (c == '#') break; // comment: the rest of the line cannot end a statement
        if (c == '"') in_quote_ = true;
        if (c == ';') {
            pending_.append(line.substr(start, i + 1 - start));
            done.push_back({std::move(pending_), pending_line_});
            // The next statement starts on this line after the ';': blank what came before.
            pending_.assign(i + 1, ' ');
            pending_line_ = line_;
            pending_has_text_ = false;
            start = i + 1;
            continue;
        }
        if (!std::isspace(static_cast<unsigned char>(c))) pending_has_text_ = true;
    }
    pending_.append(line.substr(start));
    pending_ += '\n';
    if (!pending_has_text_ && !in_quote_) {
        // Only blanks and comments so far: start the next statement on the next line.
        pending_.clear();
    }
    return done;
}

std::vector<StatementSplitter::Chunk> StatementSplitter::finish() {
    std::vector<Chunk> rest;
    if (pending_has_text_ || in_quote_) {
        // Drop the newline added after the last line, so "expected ';'" points at the
        // end of the text rather than at an empty line after it.
        if (!pending_.empty() && pending_.back() == '\n') pending_.pop_back();
        rest.push_back({std::move(pending_), pending_line_});
    }
    pending_.clear();
    pending_has_text_ = false;
    in_quote_ = false;
    return rest;
}

} // namespace setkey::cli
