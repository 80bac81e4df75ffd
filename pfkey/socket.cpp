#include "pfkey/socket.hpp"

#include <linux/pfkeyv2.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace setkey::pfkey {
namespace {

constexpr int kMinSndBuf = 128 * 1024;
constexpr int kWantRcvBuf = 2 * 1024 * 1024;
// sadb_msg_len is 16 bits of 8-byte units, so no message is longer than this.
constexpr size_t kMaxMessage = 65535 * 8;
constexpr int kSendRetries = 5;

std::string open_message(int error) {
    switch (error) {
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
        return "pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key` or --backend xfrm";
    case EPERM:
    case EACCES:
        return "pfkey: opening a PF_KEY socket needs root (CAP_NET_ADMIN in this network namespace)";
    default:
        return std::string("pfkey: cannot open a PF_KEY socket: ") + std::strerror(error);
    }
}

int get_int(int fd, int opt) {
    int v = 0;
    socklen_t len = sizeof v;
    getsockopt(fd, SOL_SOCKET, opt, &v, &len);
    return v;
}

// Linux caps SO_RCVBUF at rmem_max without failing; SO_RCVBUFFORCE (root) is not capped.
// Halve the request until a setting takes, and never go below what the socket has.
void raise_rcvbuf(int fd) {
    const int have = get_int(fd, SO_RCVBUF);
    for (int want = kWantRcvBuf; want > have; want /= 2) {
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) == 0) return;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want) == 0 && get_int(fd, SO_RCVBUF) > have)
            return;
    }
}

} // namespace

Socket::Slots::Slots(size_t bytes) : size(bytes) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw OpenError(errno, std::string("pfkey: cannot map receive buffers: ") + std::strerror(errno));
    base = static_cast<uint8_t*>(p);
    ::madvise(base, size, MADV_NOHUGEPAGE); // advice only: without it, memory use is all that changes
}

Socket::Slots::~Slots() {
    if (base) ::munmap(base, size);
}

Socket::Socket() : slots_(size_t{kBatch} * kMaxMessage) {
    fd_ = ::socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
    if (fd_ < 0) {
        int e = errno;
        throw OpenError(e, open_message(e));
    }
    if (get_int(fd_, SO_SNDBUF) < kMinSndBuf) {
        int want = kMinSndBuf;
        setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    }
    raise_rcvbuf(fd_);
}

Socket::~Socket() {
    if (fd_ >= 0) ::close(fd_);
}

int Socket::send(std::span<const uint8_t> message) {
    auto pause = std::chrono::milliseconds(10);
    for (int attempt = 0;; ++attempt) {
        ssize_t n = ::send(fd_, message.data(), message.size(), 0);
        if (n == static_cast<ssize_t>(message.size())) return 0;
        if (n >= 0) return EMSGSIZE; // a short write of a datagram: nothing sensible to resend
        int e = errno;
        if (e == EINTR) continue;
        if ((e == EAGAIN || e == ENOBUFS || e == EBUSY) && attempt < kSendRetries) {
            std::this_thread::sleep_for(pause);
            pause *= 2;
            continue;
        }
        return e;
    }
}

bool Socket::fill(int& error) {
    error = 0;
    for (unsigned i = 0; i < kBatch; ++i) {
        iov_[i] = {slots_.base + size_t{i} * kMaxMessage, kMaxMessage};
        msgs_[i] = {};
        msgs_[i].msg_hdr.msg_iov = &iov_[i];
        msgs_[i].msg_hdr.msg_iovlen = 1;
    }
    for (;;) {
        const int n = ::recvmmsg(fd_, msgs_.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (n > 0) {
            have_ = static_cast<unsigned>(n);
            next_ = 0;
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) error = errno;
        return false;
    }
}

std::optional<std::span<const uint8_t>> Socket::receive(int timeout_ms, int& error) {
    error = 0;
    // af_key queues a reply before send() returns: try the queue first, and poll only
    // when it is empty.
    if (next_ >= have_ && !fill(error)) {
        if (error) return std::span<const uint8_t>{};
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            const int r = ::poll(&p, 1, timeout_ms);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) {
                error = errno;
                return std::span<const uint8_t>{};
            }
            if (r == 0) return std::nullopt;
            if (fill(error)) break;
            if (error) return std::span<const uint8_t>{};
        }
    }
    const unsigned i = next_++;
    return std::span<const uint8_t>(slots_.base + size_t{i} * kMaxMessage, msgs_[i].msg_len);
}

} // namespace setkey::pfkey
