// The kernel's own limit for a dump: one dump request (encoded by the project's codecs),
// then only reading the replies as fast as the socket gives them, counting entries and
// bytes by their headers. Nothing is decoded or printed, so `setkey -D`/`-DP` to
// /dev/null over the same table, divided by this, is what parsing and formatting cost.
//   raw_dumper pfkey|xfrm sad|spd
// Prints one line: raw-dump BACKEND TABLE entries=N bytes=B seconds=S
#include <linux/netlink.h>
#include <linux/pfkeyv2.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "bench/kernel/recv_batch.hpp"
#include "bench/kernel/script_loader.hpp"
#include "pfkey/codec.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

namespace {

constexpr size_t kBatch = 64;          // datagrams per recvmmsg
constexpr size_t kBufSize = 64 * 1024; // a netlink dump datagram holds many entries

struct Tally {
    size_t entries = 0, bytes = 0;
    bool done = false;
    int error = 0;
};

// One PF_KEY datagram is one message; the dump ends with the reply whose seq is 0.
void count_pfkey(std::span<const uint8_t> d, uint32_t pid, Tally& t) {
    if (d.size() < pfkey::kHeaderSize) return;
    const pfkey::Header h = pfkey::decode_header(d);
    if (h.pid != pid) return;  // someone else's broadcast
    t.bytes += d.size();
    if (h.errno_) {
        // An empty table answers ENOENT: a finished dump of nothing.
        if (h.errno_ != ENOENT) t.error = h.errno_;
        t.done = true;
        return;
    }
    ++t.entries;
    if (h.seq == 0) t.done = true;
}

// One netlink datagram holds several messages; NLMSG_DONE ends the dump.
void count_xfrm(std::span<const uint8_t> d, Tally& t) {
    t.bytes += d.size();
    size_t off = 0;
    while (off + sizeof(nlmsghdr) <= d.size()) {
        nlmsghdr h;
        std::memcpy(&h, d.data() + off, sizeof h);
        if (h.nlmsg_len < sizeof(nlmsghdr) || off + h.nlmsg_len > d.size()) {
            t.error = EPROTO;
            t.done = true;
            return;
        }
        if (h.nlmsg_type == NLMSG_DONE) {
            t.done = true;
        } else if (h.nlmsg_type == NLMSG_ERROR) {
            int e = 0;
            if (h.nlmsg_len >= sizeof(nlmsghdr) + sizeof(int))
                std::memcpy(&e, d.data() + off + sizeof(nlmsghdr), sizeof e);
            t.error = e < 0 ? -e : EPROTO;
            t.done = true;
        } else {
            ++t.entries;
        }
        off += NLMSG_ALIGN(h.nlmsg_len);
    }
}

int fail(const std::string& what) {
    std::cerr << "raw_dumper: " << what << ": " << std::strerror(errno) << '\n';
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    const std::string backend = argc > 1 ? argv[1] : "", table = argc > 2 ? argv[2] : "";
    if (argc != 3 || (backend != "pfkey" && backend != "xfrm") || (table != "sad" && table != "spd")) {
        std::cerr << "usage: raw_dumper pfkey|xfrm sad|spd\n";
        return 1;
    }
    const bool pfkey = backend == "pfkey", sad = table == "sad";
    const uint32_t pid = static_cast<uint32_t>(::getpid());
    std::vector<uint8_t> request;
    int fd;
    if (pfkey) {
        request = sad ? pfkey::encode_dump_sa(std::nullopt, {pid, 1}) : pfkey::encode_dump_policies({pid, 1});
        fd = ::socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
    } else {
        request = sad ? xfrm::encode_dump_sa(std::nullopt, 1) : xfrm::encode_dump_policies(1);
        fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
    }
    if (fd < 0) return fail("socket");
    int big = 8 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);

    bench::RecvBatch batch(kBatch, kBufSize);
    Tally t;
    const auto t0 = std::chrono::steady_clock::now();
    if (pfkey) {
        if (::send(fd, request.data(), request.size(), 0) < 0) return fail("send");
    } else {
        sockaddr_nl kernel{};
        kernel.nl_family = AF_NETLINK;
        if (::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
            return fail("sendto");
    }
    while (!t.done) {
        const int r = batch.receive(fd);
        if (r < 0 && errno == ETIMEDOUT) {
            std::cerr << "raw_dumper: the dump stalled after " << t.entries << " entries\n";
            return 2;
        }
        if (r < 0) return fail("recvmmsg");
        for (int i = 0; i < r && !t.done; ++i) {
            if (pfkey) count_pfkey(batch[i], pid, t);
            else count_xfrm(batch[i], t);
        }
    }
    const double s = bench::seconds_since(t0);
    ::close(fd);
    if (t.error) {
        std::cerr << "raw_dumper: the kernel answered " << std::strerror(t.error) << '\n';
        return 3;
    }
    std::cout << "raw-dump " << backend << ' ' << table << " entries=" << t.entries << " bytes=" << t.bytes
              << " seconds=" << s << '\n';
    return 0;
}
