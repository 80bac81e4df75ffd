#include "output/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace setkey::output {

void JsonWriter::newline(int depth) {
    out_ += '\n';
    out_.append(static_cast<size_t>(indent_ + 2 * depth), ' ');
}

void JsonWriter::before_value() {
    if (depth_ == 0) return;
    Level& level = levels_[depth_ - 1];
    if (!level.array) return; // a member's value follows its key
    if (!level.empty) out_ += ',';
    if (pretty_) newline(depth_);
    level.empty = false;
}

void JsonWriter::open(char bracket, bool array) {
    before_value();
    if (depth_ == static_cast<int>(levels_.size())) throw std::logic_error("JsonWriter: nested too deep");
    out_ += bracket;
    levels_[depth_++] = Level{array, true};
}

void JsonWriter::close(char bracket) {
    const Level level = levels_[--depth_];
    if (pretty_ && !level.empty) newline(depth_);
    out_ += bracket;
}

// Keys and plain strings are assembled on the stack and appended once: appending
// piece by piece was most of a streamed record's cost.
void JsonWriter::key(std::string_view name) {
    Level& level = levels_[depth_ - 1];
    const bool comma = !level.empty;
    level.empty = false;
    char buf[64];
    if (pretty_ || name.size() > sizeof buf - 4) {
        if (comma) out_ += ',';
        if (pretty_) newline(depth_);
        out_ += '"';
        out_ += name;
        out_ += pretty_ ? "\": " : "\":";
        return;
    }
    char* p = buf;
    if (comma) *p++ = ',';
    *p++ = '"';
    p = std::copy(name.begin(), name.end(), p);
    *p++ = '"';
    *p++ = ':';
    out_.append(buf, static_cast<size_t>(p - buf));
}

void JsonWriter::string(std::string_view s) {
    before_value();
    bool plain = true;
    for (unsigned char c : s) plain &= c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (plain && s.size() <= 126) {
        char buf[128];
        buf[0] = '"';
        char* p = std::copy(s.begin(), s.end(), buf + 1);
        *p++ = '"';
        out_.append(buf, static_cast<size_t>(p - buf));
        return;
    }
    if (plain) {
        out_ += '"';
        out_ += s;
        out_ += '"';
        return;
    }
    // Escapes and kernel bytes that are not UTF-8 (security contexts): nlohmann's own
    // escaping, bad sequences replaced by U+FFFD, so the bytes stay the tree's.
    out_ += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonWriter::unsigned_integer(uint64_t v) {
    before_value();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void JsonWriter::signed_integer(int64_t v) {
    before_value();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

} // namespace setkey::output
