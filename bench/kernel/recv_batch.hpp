// Shared by the raw benchmarks: receive buffers for recvmmsg, so that one system call
// drains as many datagrams as the kernel has queued.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <span>
#include <vector>

namespace setkey::bench {

class RecvBatch {
public:
    RecvBatch(size_t count, size_t size)
        : bufs_(count, std::vector<uint8_t>(size)), iov_(count), msgs_(count) {}

    // Waits up to 15 s for data, then takes what is queued without blocking. Returns
    // the number of datagrams (0 after EINTR/EAGAIN: call again), or -1 with errno set
    // (ETIMEDOUT when nothing came).
    int receive(int fd) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 15000);
        if (ready < 0) return errno == EINTR ? 0 : -1;
        if (ready == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        for (size_t i = 0; i < msgs_.size(); ++i) {
            iov_[i] = {bufs_[i].data(), bufs_[i].size()};
            msgs_[i] = {};
            msgs_[i].msg_hdr.msg_iov = &iov_[i];
            msgs_[i].msg_hdr.msg_iovlen = 1;
        }
        const int r = ::recvmmsg(fd, msgs_.data(), static_cast<unsigned>(msgs_.size()), MSG_DONTWAIT, nullptr);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
        return r;
    }

    // Datagram i of the last receive().
    std::span<const uint8_t> operator[](size_t i) const { return {bufs_[i].data(), msgs_[i].msg_len}; }

private:
    std::vector<std::vector<uint8_t>> bufs_;
    std::vector<iovec> iov_;
    std::vector<mmsghdr> msgs_;
};

} // namespace setkey::bench
