#include "cli/checked_output.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace setkey::cli {

void CheckedOutput::Buf::failed() {
    if (error_ == 0) error_ = errno != 0 ? errno : EIO;
}

CheckedOutput::Buf::int_type CheckedOutput::Buf::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

namespace {

// Writing to stderr flushes stdout first (a tie), as in `err << "x: " << strerror(errno)`:
// the caller's errno must survive that flush.
struct KeepErrno {
    int saved = errno;
    KeepErrno() { errno = 0; }
    ~KeepErrno() { errno = saved; }
};

} // namespace

std::streamsize CheckedOutput::Buf::xsputn(const char* s, std::streamsize n) {
    if (error_ != 0) return 0; // one failure is enough: no write after it
    const KeepErrno keep;
    const size_t written = std::fwrite(s, 1, static_cast<size_t>(n), file_);
    if (written < static_cast<size_t>(n)) failed();
    return static_cast<std::streamsize>(written);
}

int CheckedOutput::Buf::sync() {
    if (error_ != 0) return -1;
    const KeepErrno keep;
    if (std::fflush(file_) != 0) {
        failed();
        return -1;
    }
    return 0;
}

int CheckedOutput::close() {
    stream_.flush();
    int error = buf_.error();
    // Someone else's unchecked write (the -v trace) failed: stdio kept only the flag.
    if (error == 0 && std::ferror(buf_.file())) error = EIO;
    errno = 0;
    if (::close(fileno(buf_.file())) != 0 && error == 0) error = errno != 0 ? errno : EIO;
    return error;
}

int status_after_output(int status, int write_error, std::ostream& err) {
    if (write_error == 0) return status;
    err << "setkey: write error: " << std::strerror(write_error) << '\n';
    return with_write_error(status);
}

void hold_standard_descriptors() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        // open() takes the lowest free descriptor: this one, as the lower ones are open.
        const int held = ::open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (held >= 0 && held != fd) {
            ::dup2(held, fd);
            ::close(held);
        }
    }
}

} // namespace setkey::cli
