// Line/column lookup for pointers into the script. The parser runs PEGTL in lazy
// tracking mode (no per-character bookkeeping); statements ask for positions in
// increasing order, so counting newlines from the last answer keeps this O(n) overall.
#pragma once

#include <cstring>
#include <string_view>

namespace setkey::grammar {

class LineIndex {
public:
    LineIndex(std::string_view text, unsigned first_line)
        : begin_(text.data()), end_(text.data() + text.size()), first_line_(first_line) { reset(); }

    struct Pos { unsigned line, column; const char* line_start; };

    Pos at(const char* p) {
        if (p < scanned_) reset();
        while (true) {
            auto* nl = static_cast<const char*>(std::memchr(scanned_, '\n', size_t(end_ - scanned_)));
            if (!nl || nl >= p) break;
            ++line_;
            line_start_ = scanned_ = nl + 1;
        }
        scanned_ = p;
        return {line_, unsigned(p - line_start_) + 1, line_start_};
    }

    // The whole line holding `p`, without its line ending.
    std::string_view line_text(const char* p) {
        const char* start = at(p).line_start;
        auto* nl = static_cast<const char*>(std::memchr(start, '\n', size_t(end_ - start)));
        const char* stop = nl ? nl : end_;
        if (stop > start && stop[-1] == '\r') --stop;
        return {start, size_t(stop - start)};
    }

private:
    void reset() { scanned_ = line_start_ = begin_; line_ = first_line_; }

    const char* begin_;
    const char* end_;
    unsigned first_line_;
    const char* scanned_ = nullptr;
    const char* line_start_ = nullptr;
    unsigned line_ = 1;
};

} // namespace setkey::grammar
