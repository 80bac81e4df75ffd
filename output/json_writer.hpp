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

namespace setkey::output {

class JsonWriter {
public:
    // Appends to `out`. While the writer lives `out` holds spare room past the text;
    // it is cut to the text when the writer is destroyed, so read `out` after that.
    // `indent`: columns before every line after the first (pretty only): the depth the
    // value sits at in an enclosing document.
    explicit JsonWriter(std::string& out, bool pretty = false, int indent = 0);
    ~JsonWriter() { out_.resize(used_); }
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void begin_object() { open('{', false); }
    void end_object() { close('}'); }
    void begin_array() { open('[', true); }
    void end_array() { close(']'); }
    // A member's key; `name` is a plain snake_case name (written as is, not escaped).
    void key(std::string_view name);

    void null() { scalar("null"); }
    void boolean(bool v) { scalar(v ? "true" : "false"); }
    void string(std::string_view s);
    // A string that needs no escaping by construction (numeric addresses, names from
    // the model's tables, formatted numbers): written as is, without the byte check.
    void plain(std::string_view s);
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
    // Room for n more bytes at the end of the text; the caller then advances used_.
    char* room(size_t n) {
        if (out_.size() - used_ < n) grow(n);
        return out_.data() + used_;
    }
    void grow(size_t n);
    void put(char c) { *room(1) = c, ++used_; }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        used_ += s.size();
    }
    void open(char bracket, bool array);
    void close(char bracket);
    void before_value(); // an array element's separator and indentation
    void newline(int depth);
    void scalar(std::string_view text) {
        before_value();
        put(text);
    }
    void unsigned_integer(uint64_t v);
    void signed_integer(int64_t v);

    std::string& out_;
    size_t used_; // bytes of `out_` that are text
    bool pretty_;
    int indent_;
    std::array<Level, 16> levels_{}; // records nest 3 deep; 16 is ample
    int depth_ = 0;
};

} // namespace setkey::output
