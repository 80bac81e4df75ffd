#include "cli/file_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <iostream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace setkey::cli {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Regular files announce their size: reserve it (plus one byte to see the end) so
// the text is read without regrowing. Pipes and /proc files say 0 and grow by chunks.
size_t size_hint(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return kChunk;
    return static_cast<size_t>(st.st_size) + 1;
}

} // namespace

ReadText read_all(int fd, size_t limit) {
    ReadText r;
    // A regular file with more than the limit left to read says so before a byte of
    // it is read (stdin may stand anywhere in it).
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        const off_t at = ::lseek(fd, 0, SEEK_CUR);
        const uint64_t left = static_cast<uint64_t>(st.st_size) - static_cast<uint64_t>(at > 0 && at <= st.st_size ? at : 0);
        if (left > limit) {
            r.error = EFBIG;
            return r;
        }
    }
    r.text.resize(std::min(size_hint(fd), limit + 1));
    size_t used = 0;
    while (true) {
        if (used > limit) {
            r.error = EFBIG;
            break;
        }
        if (used == r.text.size())
            r.text.resize(std::min(r.text.size() + std::max(kChunk, r.text.size() / 2), limit + 1));
        const ssize_t n = ::read(fd, r.text.data() + used, r.text.size() - used);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            r.error = errno;
            break;
        }
        used += static_cast<size_t>(n);
    }
    r.text.resize(used);
    return r;
}

ReadText read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {{}, errno};
    ReadText r = read_all(fd);
    ::close(fd);
    return r;
}

ReadText read_stdin(std::istream& in) {
    if (&in == &std::cin) return read_all(STDIN_FILENO);
    ReadText r;
    r.text.assign(std::istreambuf_iterator<char>(in), {});
    if (in.bad()) r.error = EIO;
    return r;
}

ReadText read_available(std::istream& in, size_t max) {
    ReadText r;
    if (&in == &std::cin) {
        r.text.resize(max);
        const ssize_t n = ::read(STDIN_FILENO, r.text.data(), max);
        r.error = n < 0 ? errno : 0;
        r.text.resize(n < 0 ? 0 : static_cast<size_t>(n));
        return r;
    }
    // Wait for one character, then take what the stream already holds, no more.
    std::streambuf& buf = *in.rdbuf();
    if (buf.sgetc() == std::char_traits<char>::eof()) return r;
    const std::streamsize ready = std::max<std::streamsize>(buf.in_avail(), 1);
    r.text.resize(std::min(static_cast<size_t>(ready), max));
    r.text.resize(static_cast<size_t>(buf.sgetn(r.text.data(), static_cast<std::streamsize>(r.text.size()))));
    return r;
}

} // namespace setkey::cli
