#include "output/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace setkey::output {

// Text goes straight into the string's storage, which is kept larger than the text:
// appending through std::string piece by piece was most of a streamed record's cost.
JsonWriter::JsonWriter(std::string& out, bool pretty, int indent)
    : out_(out), used_(out.size()), pretty_(pretty), indent_(indent) {
    out_.resize(std::max(out_.capacity(), used_ + 256));
}

void JsonWriter::grow(size_t n) { out_.resize(std::max(2 * out_.size(), used_ + n + 256)); }

void JsonWriter::newline(int depth) {
    const size_t spaces = static_cast<size_t>(indent_ + 2 * depth);
    char* p = room(spaces + 1);
    *p = '\n';
    std::memset(p + 1, ' ', spaces);
    used_ += spaces + 1;
}

void JsonWriter::next_element() {
    Level& level = levels_[depth_ - 1];
    if (!level.empty) put(',');
    if (pretty_) newline(depth_);
    level.empty = false;
}

void JsonWriter::open(char bracket, bool array) {
    before_value();
    if (depth_ == static_cast<int>(levels_.size())) throw std::logic_error("JsonWriter: nested too deep");
    put(bracket);
    levels_[depth_++] = Level{array, true};
}

void JsonWriter::close(char bracket) {
    const Level level = levels_[--depth_];
    if (pretty_ && !level.empty) newline(depth_);
    put(bracket);
}

void JsonWriter::pretty_key(std::string_view name) {
    Level& level = levels_[depth_ - 1];
    if (!level.empty) put(',');
    newline(depth_);
    level.empty = false;
    char* p = room(name.size() + 4);
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p++ = ':';
    *p++ = ' ';
    used_ = static_cast<size_t>(p - out_.data());
}

void JsonWriter::plain(std::string_view s) {
    before_value();
    char* p = room(s.size() + 2);
    *p++ = '"';
    p = copy(p, s);
    *p = '"';
    used_ += s.size() + 2;
}

void JsonWriter::string(std::string_view s) {
    bool printable = true;
    for (unsigned char c : s) printable &= c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (printable) return plain(s);
    before_value();
    // Escapes and kernel bytes that are not UTF-8 (security contexts): nlohmann's own
    // escaping, bad sequences replaced by U+FFFD, so the bytes stay the tree's.
    put(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void JsonWriter::unsigned_integer(uint64_t v) {
    before_value();
    char* p = room(24);
    used_ = static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - out_.data());
}

void JsonWriter::signed_integer(int64_t v) {
    before_value();
    char* p = room(24);
    used_ = static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - out_.data());
}

} // namespace setkey::output
