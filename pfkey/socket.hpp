// RAII PF_KEY v2 socket: open with large buffers, send with bounded retries, receive one
// message per call with an inactivity timeout. What messages mean lives in codec.hpp;
// which reply belongs to which request lives in backend.cpp.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>

namespace setkey::pfkey {

// Opening the kernel interface failed. what() is one line saying why and what to do;
// `error` is the errno behind it.
class OpenError : public std::runtime_error {
public:
    OpenError(int error, const std::string& message) : std::runtime_error(message), error(error) {}
    int error;
};

// What the backend needs from a PF_KEY socket; tests substitute a scripted kernel.
class Transport {
public:
    virtual ~Transport() = default;
    // Sends one message. Returns 0 or a positive errno.
    virtual int send(std::span<const uint8_t> message) = 0;
    // Waits up to `timeout_ms` for the next message. Returns nullopt on timeout; sets
    // `error` (positive errno, ENOBUFS = the kernel dropped messages for us) and returns
    // an empty span on failure. The span stays valid until the next call.
    virtual std::optional<std::span<const uint8_t>> receive(int timeout_ms, int& error) = 0;
};

class Socket final : public Transport {
public:
    // socket(PF_KEY, SOCK_RAW, PF_KEY_V2); SO_SNDBUF raised to at least 128 KiB and
    // SO_RCVBUF towards 2 MiB (never shrunk). Throws OpenError.
    Socket();
    ~Socket();
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    // EINTR is retried; EAGAIN, ENOBUFS and EBUSY a few times with growing pauses.
    int send(std::span<const uint8_t> message) override;
    // Reads what is queued without waiting first (af_key queues replies before send()
    // returns), polls only when nothing is. EINTR is retried. Up to kBatch queued
    // messages are taken per system call (recvmmsg) and handed out one by one: a
    // 10,000-entry dump is some 300 calls instead of 10,000.
    std::optional<std::span<const uint8_t>> receive(int timeout_ms, int& error) override;

    int fd() const { return fd_; }

    static constexpr unsigned kBatch = 32;

private:
    // Takes what is queued, without waiting; false with `error` (0: nothing queued).
    bool fill(int& error);

    int fd_ = -1;
    // kBatch slots of the largest PF_KEY message in one anonymous mapping, never
    // cleared and kept out of transparent huge pages: only the 4 KiB pages messages
    // land on become resident (a huge page per touched slot made a dump 19 MiB).
    struct Slots {
        uint8_t* base = nullptr;
        size_t size = 0;
        explicit Slots(size_t bytes);
        ~Slots();
        Slots(const Slots&) = delete;
        Slots& operator=(const Slots&) = delete;
    };
    Slots slots_;
    std::array<iovec, kBatch> iov_{};
    std::array<mmsghdr, kBatch> msgs_{};
    unsigned have_ = 0, next_ = 0; // received in the last fill, handed out so far
};

} // namespace setkey::pfkey
