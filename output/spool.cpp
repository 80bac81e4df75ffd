#include "output/spool.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace setkey::output {
namespace {

// An unnamed file in $TMPDIR (or /tmp) that disappears with the process.
int temporary_file() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = dir && *dir ? dir : "/tmp";
    int fd = ::open(path.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
    std::string name = path + "/setkey-spool.XXXXXX"; // a file system without O_TMPFILE
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

// How much of `text` reached the file (all of it unless the disk is full, say).
size_t write_some(int fd, std::string_view text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<size_t>(n);
    }
    return done;
}

} // namespace

Spool::Spool(Spool&& other) noexcept { *this = std::move(other); }

Spool& Spool::operator=(Spool&& other) noexcept {
    if (this == &other) return *this;
    if (fd_ >= 0) ::close(fd_);
    memory_ = std::move(other.memory_);
    fd_ = std::exchange(other.fd_, -1);
    file_bytes_ = std::exchange(other.file_bytes_, 0);
    file_failed_ = std::exchange(other.file_failed_, false);
    other.memory_.clear();
    return *this;
}

Spool::~Spool() {
    if (fd_ >= 0) ::close(fd_);
}

void Spool::append(std::string_view text) {
    memory_.append(text);
    if (memory_.size() >= kMemoryLimit && !file_failed_) spill();
}

// A full or missing temporary directory must not lose samples: what the file took
// stays there, the rest stays in memory (a larger process, the same output).
void Spool::spill() {
    if (fd_ < 0) fd_ = temporary_file();
    if (fd_ < 0) {
        file_failed_ = true;
        return;
    }
    const size_t written = write_some(fd_, memory_);
    file_bytes_ += written;
    memory_.erase(0, written);
    if (!memory_.empty()) file_failed_ = true;
}

void Spool::write_to(std::ostream& out) const {
    if (file_bytes_ > 0) {
        std::string chunk(64 * 1024, '\0');
        for (size_t at = 0; at < file_bytes_;) {
            ssize_t n = ::pread(fd_, chunk.data(), std::min(chunk.size(), file_bytes_ - at),
                                static_cast<off_t>(at));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                out.setstate(std::ios::badbit);
                return;
            }
            out.write(chunk.data(), n);
            at += static_cast<size_t>(n);
        }
    }
    out << memory_;
}

bool Spool::read(size_t at, size_t n, std::string& out) const {
    out.resize(n);
    size_t done = 0;
    while (done < n && at + done < file_bytes_) {
        ssize_t got = ::pread(fd_, out.data() + done, std::min(n - done, file_bytes_ - at - done),
                              static_cast<off_t>(at + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        done += static_cast<size_t>(got);
    }
    if (done < n) std::memcpy(out.data() + done, memory_.data() + (at + done - file_bytes_), n - done);
    return true;
}

void Spool::append_record(std::string_view text) {
    const auto length = static_cast<uint32_t>(text.size());
    memory_.append(text);
    memory_.append(reinterpret_cast<const char*>(&length), sizeof length);
    if (memory_.size() >= kMemoryLimit && !file_failed_) spill();
}

bool Spool::records_reversed(const std::function<void(std::string_view)>& each) const {
    constexpr size_t kChunk = 64 * 1024;
    std::string window, more; // window: bytes [base, end) of the spool
    size_t end = size(), base = end;
    // Makes the window reach back to `from` (reading a chunk at a time from the end).
    const auto cover = [&](size_t from) {
        if (from >= base) return true;
        const size_t start = std::min(from, base > kChunk ? base - kChunk : 0);
        if (!read(start, base - start, more)) return false;
        window.insert(0, more);
        base = start;
        return true;
    };
    while (end > 0) {
        uint32_t length = 0;
        if (end < sizeof length || !cover(end - sizeof length)) return false;
        std::memcpy(&length, window.data() + (end - sizeof length - base), sizeof length);
        const size_t text_end = end - sizeof length;
        if (text_end < length || !cover(text_end - length)) return false;
        each(std::string_view(window.data() + (text_end - length - base), length));
        end = text_end - length;
        window.resize(end - base);
    }
    return true;
}

void Spool::clear() {
    memory_.clear();
    if (fd_ >= 0) ::close(fd_); // a fresh file next time: cheaper than truncating
    fd_ = -1;
    file_bytes_ = 0;
    file_failed_ = false;
}

} // namespace setkey::output
