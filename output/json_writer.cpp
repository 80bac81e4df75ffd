#include "output/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace setkey::output {

JsonWriter::JsonWriter(std::string& out, bool pretty, int indent, size_t room)
    : text_(out, room), pretty_(pretty), indent_(indent) {}

void JsonWriter::newline(int depth) {
    text_.ch('\n');
    text_.repeat(static_cast<size_t>(indent_ + 2 * depth), ' ');
}

void JsonWriter::next_element() {
    Level& level = levels_[depth_ - 1];
    if (!level.empty) text_.ch(',');
    if (pretty_) newline(depth_);
    level.empty = false;
}

void JsonWriter::open(char bracket, bool array) {
    before_value();
    if (depth_ == static_cast<int>(levels_.size())) throw std::logic_error("JsonWriter: nested too deep");
    text_.ch(bracket);
    levels_[depth_++] = Level{array, true};
}

void JsonWriter::close(char bracket) {
    const Level level = levels_[--depth_];
    if (pretty_ && !level.empty) newline(depth_);
    text_.ch(bracket);
}

void JsonWriter::pretty_key(std::string_view name) {
    Level& level = levels_[depth_ - 1];
    if (!level.empty) text_.ch(',');
    newline(depth_);
    level.empty = false;
    text_.put('"', name, "\": ");
}

void JsonWriter::plain(std::string_view s) {
    before_value();
    char* p = text_.raw(s.size() + 2);
    *p++ = '"';
    p = TextWriter::copy(p, s);
    *p++ = '"';
    text_.advance(p);
}

void JsonWriter::string(std::string_view s) {
    bool printable = true;
    for (unsigned char c : s) printable &= c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (printable) return plain(s);
    before_value();
    // Escapes and kernel bytes that are not UTF-8 (security contexts): nlohmann's own
    // escaping, bad sequences replaced by U+FFFD, so the bytes stay the tree's.
    text_.text(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void JsonWriter::unsigned_integer(uint64_t v) {
    before_value();
    text_.dec(v);
}

void JsonWriter::signed_integer(int64_t v) {
    before_value();
    char* p = text_.raw(24);
    text_.advance(std::to_chars(p, p + 24, v).ptr);
}

} // namespace setkey::output
