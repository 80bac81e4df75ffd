// stdout as the modes see it: written through stdio (so the -v/-H traces printed with
// fputs and the 64 KiB -D buffer stay in order with it), remembering the errno of the
// first write or flush that failed, which std::cout's error state does not keep.
#pragma once

#include <cstdio>
#include <ostream>
#include <streambuf>

namespace setkey::cli {

// The exit status when output could not be written (CONTRIBUTING.md's exit contract).
inline constexpr int kExitWriteError = 4;

class CheckedOutput {
public:
    explicit CheckedOutput(std::FILE* file) : buf_(file) {}
    CheckedOutput(const CheckedOutput&) = delete;
    CheckedOutput& operator=(const CheckedOutput&) = delete;

    // Fails (badbit) from the first refused write on; later writes are not attempted.
    std::ostream& stream() { return stream_; }
    // errno of the first failed write or flush; 0 while everything was written.
    int error() const { return buf_.error(); }
    // Flushes, then closes the file's descriptor (where NFS and full disks report
    // deferred errors); the FILE stays, with nothing left to write. Returns error(),
    // or the errno of the flush or close that failed.
    int close();

private:
    class Buf : public std::streambuf {
    public:
        explicit Buf(std::FILE* file) : file_(file) {}
        int error() const { return error_; }
        std::FILE* file() const { return file_; }

    protected:
        int_type overflow(int_type c) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;
        int sync() override;

    private:
        void failed();
        std::FILE* file_;
        int error_ = 0;
    };

    Buf buf_;
    std::ostream stream_{&buf_};
};

// --diff's status when the kernel differs from the script and the changes were printed.
inline constexpr int kExitDiffers = 3;

// The status of the run once its output is closed: after a write error (`write_error`
// != 0) says `setkey: write error: <reason>` on `err` and turns 0 into kExitWriteError;
// 1 (nothing applied), 2 (refusal) and 128+n (signal) keep their meaning.
int status_after_output(int status, int write_error, std::ostream& err);

// The status once the output failed: 0 and --diff's 3 ("the changes were printed",
// which they were not) become kExitWriteError; used by the modes that stop at a write
// error.
inline int with_write_error(int status) {
    return status == 0 || status == kExitDiffers ? kExitWriteError : status;
}

// A closed descriptor 0, 1 or 2 would be handed to the next socket opened (the kernel
// interface), and dump text written into it. Each closed one gets /dev/null opened the
// wrong way round (stdout read-only), so using it still fails with EBADF.
void hold_standard_descriptors();

} // namespace setkey::cli
