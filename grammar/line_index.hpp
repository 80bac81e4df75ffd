// Line/column lookup for pointers into the script. The parser runs PEGTL in lazy
// tracking mode (no per-character bookkeeping); statements ask for positions in
// increasing order, and each line's end is searched for once, so a whole script costs
// O(n) however its statements are laid out (thousands of statements on one line too).
#pragma once

#include <cstring>
#include <string_view>

#include "grammar/parse.hpp"
#include "grammar/source_excerpt.hpp"

namespace setkey::grammar {

class LineIndex {
public:
    // `prefix`: the text of the first line before `text` starts (-c parses each
    // statement alone; the earlier statements of its line still count in columns).
    LineIndex(std::string_view text, unsigned first_line, std::string_view prefix = {})
        : begin_(text.data()), end_(text.data() + text.size()), first_line_(first_line), prefix_(prefix) {
        reset();
    }

    struct Pos { unsigned line, column; const char* line_start; };

    Pos at(const char* p) {
        if (p < line_start_) reset();
        while (p > line_end() && line_end_ < end_) {
            line_start_ = line_end_ + 1;
            line_end_ = nullptr;
            ++line_;
        }
        return {line_, unsigned(p - line_start_ + 1 + line_prefix().size()), line_start_};
    }

    // Line and column of `p` into `d`, with the excerpt of its line around it.
    void place(Diagnostic& d, const char* p) {
        const Pos pos = at(p);
        d.line = pos.line;
        d.column = pos.column;
        const char* stop = line_end();
        if (stop > line_start_ && stop[-1] == '\r') --stop;
        SourceExcerpt shown = excerpt_around(line_prefix(), {line_start_, size_t(stop - line_start_)},
                                             pos.column - 1);
        d.source_line = std::move(shown.text);
        d.caret = shown.caret;
    }

private:
    void reset() {
        line_start_ = begin_;
        line_end_ = nullptr;
        line_ = first_line_;
    }
    // The newline ending the current line (or the end of the text), searched for once.
    const char* line_end() {
        if (!line_end_) {
            auto* nl = static_cast<const char*>(std::memchr(line_start_, '\n', size_t(end_ - line_start_)));
            line_end_ = nl ? nl : end_;
        }
        return line_end_;
    }
    std::string_view line_prefix() const { return line_start_ == begin_ ? prefix_ : std::string_view{}; }

    const char* begin_;
    const char* end_;
    unsigned first_line_;
    std::string_view prefix_;
    const char* line_start_ = nullptr;
    const char* line_end_ = nullptr; // nullptr: not searched yet
    unsigned line_ = 1;
};

} // namespace setkey::grammar
