#include "cli/file_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <iostream>
#include <iterator>
#include <new>
#include <utility>
#include <vector>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace setkey::cli {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Input beyond the first piece, in blocks mapped on their own: untouched until read
// into, and each given back to the system the moment it is copied out, so joining
// them costs one block on top of the text (malloc could keep freed blocks).
constexpr size_t kBlock = size_t(1) << 20;
class Block {
public:
    explicit Block(size_t size) : size_(size) {
        void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        data_ = static_cast<char*>(p);
    }
    Block(Block&& o) noexcept : used(o.used), data_(std::exchange(o.data_, nullptr)), size_(o.size_) {}
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    Block& operator=(Block&&) = delete;
    ~Block() { release(); }

    char* data() const { return data_; }
    size_t size() const { return size_; }
    void release() {
        if (data_) ::munmap(data_, size_);
        data_ = nullptr;
    }
    size_t used = 0;

private:
    char* data_ = nullptr;
    size_t size_;
};

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
    // The text itself first: a regular file fits (it is read in place, once). What comes
    // beyond (a pipe, a file that grew) goes to blocks, joined once at the end: growing
    // one buffer would hold the old copy and the new, larger one at the same time, near
    // 2 GiB for `-f /dev/zero` on its way to the limit.
    std::vector<Block> blocks;
    r.text.resize(std::min(size_hint(fd), limit + 1));
    size_t in_text = 0, total = 0;
    while (true) {
        if (total > limit) {
            r.error = EFBIG;
            break;
        }
        char* into = nullptr;
        size_t room = 0;
        if (in_text < r.text.size()) {
            into = r.text.data() + in_text;
            room = r.text.size() - in_text;
        } else {
            if (blocks.empty() || blocks.back().used == blocks.back().size())
                blocks.emplace_back(std::min(kBlock, limit + 1 - total));
            Block& b = blocks.back();
            into = b.data() + b.used;
            room = b.size() - b.used;
        }
        const ssize_t n = ::read(fd, into, room);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            r.error = errno;
            break;
        }
        const auto got = static_cast<size_t>(n);
        (blocks.empty() ? in_text : blocks.back().used) += got;
        total += got;
    }
    r.text.resize(in_text);
    if (r.error == EFBIG) return r;
    if (!blocks.empty()) {
        r.text.reserve(total); // one allocation for the whole text
        for (Block& b : blocks) {
            r.text.append(b.data(), b.used);
            b.release();
        }
    }
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
