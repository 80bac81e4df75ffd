// Scripts are read once, into memory that setkey owns: what the check pass saw is
// what the apply pass applies, even if the file is truncated or rewritten meanwhile
// (a mapping would follow those changes, or raise SIGBUS). read(2) serves every file
// kind: regular files, pipes, FIFOs, process substitution, /dev/stdin, /proc files.
#pragma once

#include <istream>
#include <string>

namespace setkey::cli {

// Far beyond any real script (100,000 statements take ~14 MB); stops `-f /dev/zero`.
inline constexpr size_t kMaxScriptBytes = size_t(1) << 30;

struct ReadText {
    std::string text;
    int error = 0; // errno of the failed open or read (EFBIG: over the limit); text is then incomplete
};

// Everything `fd` gives until end of file (EINTR is retried), at most `limit` bytes.
ReadText read_all(int fd, size_t limit = kMaxScriptBytes);
// Opens `path` read-only and reads it whole (a directory fails with EISDIR).
ReadText read_file(const std::string& path);
// A script on stdin: std::cin is read through fd 0 so its errors are seen (EISDIR,
// EBADF when closed); any other stream (tests) through the stream.
ReadText read_stdin(std::istream& in);
// -c: the next piece of `in`, as soon as some has arrived (up to `max` bytes; empty at
// end of input). std::cin through fd 0; a read cut by a signal returns EINTR.
ReadText read_available(std::istream& in, size_t max);

} // namespace setkey::cli
