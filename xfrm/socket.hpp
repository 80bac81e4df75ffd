// RAII wrapper over a libmnl NETLINK_XFRM socket: open/bind, send, receive with
// EINTR retried. Message meaning lives in codec.hpp; request/reply logic in backend.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <system_error>
#include <vector>

struct mnl_socket;

namespace setkey::xfrm {

// Opens a NETLINK_XFRM socket, binds it (the kernel picks the port id) and asks for a
// receive buffer of `receive_buffer` bytes (SO_RCVBUFFORCE when allowed, else what
// rmem_max gives). Throws std::system_error. Shared by Socket and the -x EventSocket.
mnl_socket* open_netlink(int receive_buffer);

class Socket {
public:
    // Opens and binds a NETLINK_XFRM socket with extended ACKs, capped ACKs and a
    // receive buffer of `receive_buffer` bytes (large, so pipelined ACKs fit). Throws
    // std::system_error on failure.
    explicit Socket(int receive_buffer);
    ~Socket();
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    uint32_t portid() const;

    // Sends a buffer holding one or more messages. Returns 0 or a positive errno.
    int send(std::span<const uint8_t> bytes);

    // Receives one datagram into an internal buffer. Returns the bytes, or sets `error`
    // (positive errno; ENOBUFS means the kernel dropped messages for us; EAGAIN when
    // `wait` is false and nothing is queued) and returns {}.
    std::span<const uint8_t> receive(int& error, bool wait = true);

private:
    mnl_socket* nl_ = nullptr;
    std::vector<uint8_t> buf_;
};

} // namespace setkey::xfrm
