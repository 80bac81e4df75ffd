// An output stream that refuses every write, as stdout does on a full disk: the modes
// must notice (the stream goes bad) rather than print into the void.
#pragma once

#include <ostream>
#include <streambuf>

namespace setkey::testing {

struct RefusingBuf final : std::streambuf {
    int attempts = 0; // writes tried
protected:
    int_type overflow(int_type) override {
        ++attempts;
        return traits_type::eof();
    }
    std::streamsize xsputn(const char*, std::streamsize) override {
        ++attempts;
        return 0;
    }
};

struct RefusingStream {
    RefusingBuf buf;
    std::ostream out{&buf};
};

} // namespace setkey::testing
