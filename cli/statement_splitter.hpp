// `-c` mode cuts stdin into statements so each one runs as soon as its `;` arrives.
// Chunks keep true positions: they start at the line where the statement starts,
// and text before the statement on that line is blanked rather than dropped, so
// the parser's line and column numbers (with ParseOptions::first_line) are exact.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace setkey::cli {

class StatementSplitter {
public:
    struct Chunk {
        std::string text;        // from the statement's line up to its `;`
        unsigned first_line = 1; // line number of text's first line
    };

    // Feeds one input line (without its newline); returns the statements it completed.
    std::vector<Chunk> feed_line(std::string_view line);

    // At end of input: the unterminated rest, or nothing when it holds only blanks
    // and comments.
    std::vector<Chunk> finish();

private:
    std::string pending_;     // text of the statement being collected
    unsigned pending_line_ = 1;
    unsigned line_ = 0;       // lines read so far
    bool in_quote_ = false;   // inside "..." (keys and contexts may hold ';' or '#')
    bool pending_has_text_ = false;
};

} // namespace setkey::cli
