#include "xfrm/socket.hpp"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>

namespace setkey::xfrm {
namespace {

// Room for a dump batch: the kernel fills up to 32 KiB per datagram; 64 KiB is safe.
constexpr size_t kReceiveBuffer = 64 * 1024;

void set_flag(mnl_socket* nl, int option) {
    int on = 1;
    // Older kernels lack these options; everything still works without them.
    mnl_socket_setsockopt(nl, option, &on, sizeof on);
}

} // namespace

mnl_socket* open_netlink(int receive_buffer) {
    mnl_socket* nl = mnl_socket_open(NETLINK_XFRM);
    if (!nl)
        throw std::system_error(errno, std::generic_category(),
                                "cannot open an XFRM netlink socket (is xfrm_user available?)");
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        int e = errno;
        mnl_socket_close(nl);
        throw std::system_error(e, std::generic_category(), "cannot bind the XFRM netlink socket");
    }
    const int fd = mnl_socket_get_fd(nl);
    int size = receive_buffer;
    // FORCE needs CAP_NET_ADMIN; fall back to what rmem_max allows.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return nl;
}

Socket::Socket(int receive_buffer) : buf_(kReceiveBuffer) {
    nl_ = open_netlink(receive_buffer);
    set_flag(nl_, NETLINK_EXT_ACK);
    set_flag(nl_, NETLINK_CAP_ACK);
}

Socket::~Socket() { mnl_socket_close(nl_); }

uint32_t Socket::portid() const { return mnl_socket_get_portid(nl_); }

int Socket::send(std::span<const uint8_t> bytes) {
    for (;;) {
        ssize_t n = mnl_socket_sendto(nl_, bytes.data(), bytes.size());
        if (n >= 0) return 0;
        if (errno != EINTR) return errno;
    }
}

std::span<const uint8_t> Socket::receive(int& error, bool wait) {
    error = 0;
    for (;;) {
        sockaddr_nl from{};
        iovec iov{buf_.data(), buf_.size()};
        msghdr msg{};
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        ssize_t n = recvmsg(mnl_socket_get_fd(nl_), &msg, wait ? 0 : MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = errno;
            return {};
        }
        if (msg.msg_flags & MSG_TRUNC) { // cannot happen with kReceiveBuffer; never parse half
            error = ENOSPC;
            return {};
        }
        if (from.nl_pid != 0) continue; // only the kernel talks to us
        return {buf_.data(), static_cast<size_t>(n)};
    }
}

} // namespace setkey::xfrm
