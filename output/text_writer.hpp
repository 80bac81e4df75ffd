// Writes text onto the end of a std::string through a raw pointer. A classic dump
// prints about forty small pieces per SA; through std::string each was a call that
// checked the capacity, measured the text and copied it. Here a piece is one inline
// check for room and a copy of known length; the string grows in large steps and is
// cut to what was written when the writer ends. The classic printer and JsonWriter
// both write through it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "model/address.hpp"

namespace setkey::output {

class TextWriter {
public:
    // `room`: the bytes made ready (zero-filled) at once, however large the string's
    // capacity: a dump entry's step by default, less for short texts (ids).
    explicit TextWriter(std::string& out, size_t room = kStep) : out_(out), used_(out.size()) {
        out_.resize(used_ + room);
        p_ = out_.data() + used_;
        end_ = out_.data() + out_.size();
    }
    ~TextWriter() { out_.resize(used()); }
    TextWriter(const TextWriter&) = delete;
    TextWriter& operator=(const TextWriter&) = delete;

    // A literal: its length is known where it is written.
    template <size_t N>
    void text(const char (&s)[N]) {
        room(N - 1);
        std::memcpy(p_, s, N - 1);
        p_ += N - 1;
    }
    void text(std::string_view s) {
        room(s.size());
        p_ = copy(p_, s);
    }
    void ch(char c) {
        room(1);
        *p_++ = c;
    }
    void repeat(size_t n, char c) {
        room(n);
        std::memset(p_, c, n);
        p_ += n;
    }
    // As printf's %u / %lu.
    void dec(uint64_t v) {
        room(20);
        p_ = write_decimal(p_, v);
    }
    // As printf's %08x.
    void hex08(uint32_t v) {
        room(8);
        char* p = p_;
        for (int shift = 28; shift >= 0; shift -= 4) *p++ = kHexDigits[(v >> shift) & 0xf];
        p_ = p;
    }
    // Two lowercase hex digits.
    void hex_byte(uint8_t b) {
        room(2);
        p_[0] = kHexDigits[b >> 4];
        p_[1] = kHexDigits[b & 0xf];
        p_ += 2;
    }

    // A put() piece written as printf's %08x.
    struct Hex08 {
        uint32_t value;
    };
    // Pieces in turn, as a format string would lay them out: text as it is, a char as
    // itself, unsigned integers in decimal (printf's %u: uint8_t too, as a number),
    // Hex08 in hex.
    template <class... Pieces>
    void put(const Pieces&... pieces) {
        (piece(pieces), ...);
    }

    // For a piece written by hand: room for `n` characters at the pointer returned,
    // then advance() to where the piece ends.
    char* raw(size_t n) {
        room(n);
        return p_;
    }
    void advance(char* end) { p_ = end; }

    // memcpy for the short texts records are made of (keys, names, addresses): two
    // overlapping loads of 8 (or 4) bytes, inside the source, instead of a call.
    // Returns the end of the copy.
    static char* copy(char* to, std::string_view s) {
        const size_t n = s.size();
        const char* from = s.data();
        if (n >= 8 && n <= 16) {
            uint64_t a, b;
            std::memcpy(&a, from, 8);
            std::memcpy(&b, from + n - 8, 8);
            std::memcpy(to, &a, 8);
            std::memcpy(to + n - 8, &b, 8);
        } else if (n >= 4 && n < 8) {
            uint32_t a, b;
            std::memcpy(&a, from, 4);
            std::memcpy(&b, from + n - 4, 4);
            std::memcpy(to, &a, 4);
            std::memcpy(to + n - 4, &b, 4);
        } else if (n < 4) {
            for (size_t i = 0; i < n; ++i) to[i] = from[i];
        } else {
            std::memcpy(to, from, n);
        }
        return to + n;
    }

    static constexpr char kHexDigits[] = "0123456789abcdef";

    // `v` in decimal at `to` (room for 20), returning the end: the digits counted by
    // comparison, then written two at a time from the last (a dump writes several
    // numbers per entry, and one division per digit was most of their cost).
    static char* write_decimal(char* to, uint64_t v) {
        if (v < 10) {
            *to = static_cast<char>('0' + v);
            return to + 1;
        }
        size_t n = 2;
        for (uint64_t bound = 100; n < 20 && v >= bound; bound *= 10) ++n;
        char* p = to + n;
        while (v >= 100) {
            p -= 2;
            std::memcpy(p, &kDigitPairs[2 * (v % 100)], 2);
            v /= 100;
        }
        if (v >= 10) std::memcpy(p - 2, &kDigitPairs[2 * v], 2);
        else p[-1] = static_cast<char>('0' + v);
        return to + n;
    }

private:
    static constexpr char kDigitPairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                          "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                          "8081828384858687888990919293949596979899";

    template <size_t N>
    void piece(const char (&s)[N]) { text(s); }
    void piece(std::string_view s) { text(s); }
    void piece(char c) { ch(c); }
    void piece(Hex08 h) { hex08(h.value); }
    template <std::unsigned_integral T>
    void piece(T v) { dec(v); }

    static constexpr size_t kStep = 1024; // a typical SA with keys and lifetimes fits

    size_t used() const { return static_cast<size_t>(p_ - out_.data()); }
    void room(size_t n) {
        if (static_cast<size_t>(end_ - p_) < n) grow(n);
    }
    // Out of line: the rare path. The string's size past used() is the room; a step
    // at a time is zero-filled (not the whole capacity of a long text being built),
    // and std::string reallocates geometrically when a step passes its capacity.
    [[gnu::noinline]] void grow(size_t n) {
        used_ = used();
        out_.resize(used_ + std::max(n, kStep));
        p_ = out_.data() + used_;
        end_ = out_.data() + out_.size();
    }

    std::string& out_;
    size_t used_;
    char* p_ = nullptr;
    char* end_ = nullptr;
};

// An address as IpAddress::to_string writes it, in place.
inline void put_address(TextWriter& w, const model::IpAddress& addr) {
    w.advance(addr.write_text(w.raw(model::IpAddress::kMaxText)));
}

} // namespace setkey::output
