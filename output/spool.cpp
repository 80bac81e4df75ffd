#include "output/spool.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

void Spool::clear() {
    memory_.clear();
    if (fd_ >= 0) ::close(fd_); // a fresh file next time: cheaper than truncating
    fd_ = -1;
    file_bytes_ = 0;
    file_failed_ = false;
}

} // namespace setkey::output
