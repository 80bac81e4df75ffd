// Shared by the raw senders: the kernel socket they send on and the result line they
// print, so that both interfaces are measured and reported the same way.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

namespace setkey::bench {

// A raw socket with 8 MiB send and receive buffers (forced: the lab runs as root), so a
// whole window of requests and replies fits; -1 after printing why there is none.
inline int open_raw_socket(const char* name, int domain, int protocol) {
    const int fd = ::socket(domain, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) {
        std::cerr << name << ": socket: " << std::strerror(errno) << '\n';
        return -1;
    }
    int big = 8 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    return fd;
}

// Prints `LABEL requests=N seconds=S per_second=R errors=E errnoX=C...` without ending
// the line (a sender may add counts of its own); returns E, the requests refused.
inline unsigned print_result(const char* label, size_t requests, double seconds,
                             const std::map<int, unsigned>& errors) {
    unsigned failed = 0;
    for (auto [e, c] : errors) failed += c;
    std::cout << label << " requests=" << requests << " seconds=" << seconds
              << " per_second=" << static_cast<long>(requests / seconds) << " errors=" << failed;
    for (auto [e, c] : errors) std::cout << " errno" << e << '=' << c;
    return failed;
}

} // namespace setkey::bench
