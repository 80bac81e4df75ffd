#include "grammar/source_excerpt.hpp"

#include <algorithm>

namespace setkey::grammar {
namespace {

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Control bytes (ESC, BEL, CR, NUL...) would act on the terminal the error is shown on:
// each is shown as '?', one column for one byte, so a caret below stays put.
void mask_control_bytes(std::string& text) {
    for (char& c : text)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') c = '?';
}

// before + rest, read as one line without joining the two.
struct SplitLine {
    std::string_view before, rest;
    size_t size() const { return before.size() + rest.size(); }
    char operator[](size_t i) const { return i < before.size() ? before[i] : rest[i - before.size()]; }
    void append(std::string& out, size_t from, size_t to) const {
        if (from < before.size()) out.append(before.substr(from, std::min(to, before.size()) - from));
        if (to > before.size()) {
            const size_t skip = from > before.size() ? from - before.size() : 0;
            out.append(rest.substr(skip, to - before.size() - skip));
        }
    }
};

// The excerpt with the script's bytes as they are.
SourceExcerpt raw_excerpt(std::string_view before, std::string_view rest, size_t caret_byte) {
    const SplitLine line{before, rest};
    const size_t size = line.size();
    caret_byte = std::min(caret_byte, size);
    // Short lines are shown whole: a cut line would say less for a few columns saved.
    if (size <= kWholeLineMax) {
        SourceExcerpt whole;
        line.append(whole.text, 0, size);
        whole.caret = unsigned(caret_byte + 1);
        return whole;
    }
    size_t from = caret_byte > kExcerptWidth / 2 ? caret_byte - kExcerptWidth / 2 : 0;
    size_t to = std::min(size, from + kExcerptWidth);
    from = to - kExcerptWidth; // near the end: keep the full width before the caret
    // Never cut a UTF-8 character in two.
    while (from > 0 && continuation_byte(line[from])) --from;
    while (to < size && continuation_byte(line[to])) ++to;
    SourceExcerpt cut;
    if (from > 0) cut.text = kEllipsis;
    const size_t shift = cut.text.size();
    line.append(cut.text, from, to);
    if (to < size) cut.text += kEllipsis;
    cut.caret = unsigned(shift + caret_byte - from + 1);
    return cut;
}

} // namespace

std::string shown_message(std::string message) {
    // A token never holds a space and the words of a message are short, so a long run
    // without a space is a token: its middle goes, its start and its end (the closing
    // quote, the ':' after it) stay.
    constexpr size_t kHead = kRunMax - 16, kTail = 12;
    std::string out;
    size_t copied = 0;
    for (size_t i = 0; i < message.size();) {
        if (message[i] == ' ') {
            ++i;
            continue;
        }
        const size_t end = std::min(message.find(' ', i), message.size());
        if (end - i > kRunMax) {
            size_t head = i + kHead, tail = end - kTail;
            while (head > i && continuation_byte(message[head])) --head;
            while (tail < end && continuation_byte(message[tail])) ++tail;
            out.append(message, copied, head - copied);
            out += kEllipsis;
            copied = tail;
        }
        i = end;
    }
    if (copied == 0) out = std::move(message);
    else out.append(message, copied, std::string::npos);
    mask_control_bytes(out);
    return out;
}

SourceExcerpt excerpt_around(std::string_view before, std::string_view rest, size_t caret_byte) {
    SourceExcerpt e = raw_excerpt(before, rest, caret_byte);
    mask_control_bytes(e.text);
    return e;
}

} // namespace setkey::grammar
