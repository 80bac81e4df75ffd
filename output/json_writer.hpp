// JSON text written piece by piece into a string, in exactly the layout nlohmann::json's
// dump() gives (compact, or indented by 2 with every line shifted by `indent`), so a
// record streamed from the field table has the bytes its tree used to have, without
// the tree.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "output/text_writer.hpp"

namespace setkey::output {

class JsonWriter {
public:
    // Appends to `out` (through a TextWriter). While the writer lives `out` holds spare
    // room past the text; it is cut to the text when the writer is destroyed, so read
    // `out` after that.
    // `indent`: columns before every line after the first (pretty only): the depth the
    // value sits at in an enclosing document.
    // `room`: the bytes made ready at once (TextWriter's); a dump record's ~1 KiB by
    // default, so one is written without growing.
    explicit JsonWriter(std::string& out, bool pretty = false, int indent = 0, size_t room = 1024);
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void begin_object() { open('{', false); }
    void end_object() { close('}'); }
    void begin_array() { open('[', true); }
    void end_array() { close(']'); }
    // A member's key; `name` is a plain snake_case name (written as is, not escaped).
    // Inline: a record writes some fifty keys, and the call was a third of their cost.
    void key(std::string_view name) {
        if (pretty_) return pretty_key(name);
        Level& level = levels_[depth_ - 1];
        char* p = text_.raw(name.size() + 4);
        if (!level.empty) *p++ = ',';
        level.empty = false;
        *p++ = '"';
        p = TextWriter::copy(p, name);
        *p++ = '"';
        *p++ = ':';
        text_.advance(p);
    }

    // Text made once for a compact object: a key with its comma, `,"name":`, or whole
    // members, `,"a":null,"b":[]`; copied as it is, but for the first comma when the
    // object has no member yet.
    void compact_members(std::string_view text) {
        Level& level = levels_[depth_ - 1];
        if (level.empty) {
            text.remove_prefix(1);
            level.empty = false;
        }
        text_.text(text);
    }

    void null() { literal("null"); }
    void boolean(bool v) { v ? literal("true") : literal("false"); }
    void string(std::string_view s);
    // A string that needs no escaping by construction (numeric addresses, names from
    // the model's tables, formatted numbers): written as is, without the byte check.
    void plain(std::string_view s);
    // A string that needs no escaping, built in place by `build(TextWriter&)`: ids made
    // of names and numbers, without a scratch string or the byte check.
    template <class Build>
    void plain_built(Build&& build) {
        before_value();
        text_.ch('"');
        build(text_);
        text_.ch('"');
    }
    bool pretty() const { return pretty_; }
    template <std::integral T>
    void integer(T v) {
        if constexpr (std::is_signed_v<T>) signed_integer(v);
        else unsigned_integer(v);
    }
    // 0 is "none/unlimited/never" in kernel lifetimes: null.
    void nonzero(uint64_t v) {
        if (v == 0) null();
        else unsigned_integer(v);
    }

private:
    struct Level {
        bool array;
        bool empty;
    };
    void open(char bracket, bool array);
    void close(char bracket);
    // An array element's separator and indentation; a member's value follows its key
    // with neither (the common case, so it is tested inline).
    void before_value() {
        if (depth_ > 0 && levels_[depth_ - 1].array) next_element();
    }
    void next_element();
    void pretty_key(std::string_view name);
    void newline(int depth);
    // A fixed text (null, true, false): copied with its size known, no call.
    template <size_t N>
    void literal(const char (&text)[N]) {
        before_value();
        text_.text(text);
    }
    void unsigned_integer(uint64_t v);
    void signed_integer(int64_t v);

    TextWriter text_; // `out` while the writer lives: spare room past the text
    bool pretty_;
    int indent_;
    std::array<Level, 16> levels_{}; // records nest 3 deep; 16 is ample
    int depth_ = 0;
};

} // namespace setkey::output
