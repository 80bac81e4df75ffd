// The PF_KEY kernel's own limit for a load: every request of a script is encoded up
// front with pfkey/codec.hpp; only sending them and reading the kernel's replies is
// timed. Requests go out WINDOW at a time (sendmmsg), then their replies are collected
// (recvmmsg) and matched by pid + seq, so the receive buffer never overflows.
//   raw_pfkey_sender SCRIPT [WINDOW]      (default window 128)
// Prints one line: raw-pfkey requests=N seconds=S per_second=R errors=E
#include <linux/pfkeyv2.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

#include "bench/kernel/script_loader.hpp"
#include "pfkey/codec.hpp"

using namespace setkey;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: raw_pfkey_sender SCRIPT [WINDOW]\n";
        return 1;
    }
    const size_t window = argc > 2 ? std::stoul(argv[2]) : 128;
    std::vector<model::Command> commands;
    try {
        commands = bench::load_requests(argv[1]);
    } catch (const std::exception& e) {
        std::cerr << "raw_pfkey_sender: " << e.what() << '\n';
        return 1;
    }
    const uint32_t pid = static_cast<uint32_t>(::getpid());
    std::vector<pfkey::Bytes> wire;
    wire.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
        const pfkey::RequestId id{pid, static_cast<uint32_t>(i + 1)};
        if (const auto* sa = std::get_if<model::AddSa>(&commands[i]))
            wire.push_back(pfkey::encode_add(*sa, id));
        else
            wire.push_back(pfkey::encode_policy(std::get<model::SpdEntry>(commands[i]), id));
    }
    commands.clear();

    int fd = ::socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
    if (fd < 0) {
        std::cerr << "raw_pfkey_sender: socket: " << std::strerror(errno) << '\n';
        return 2;
    }
    int big = 8 * 1024 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);

    std::vector<std::vector<uint8_t>> rbufs(window, std::vector<uint8_t>(16384));
    std::vector<iovec> riov(window), siov(window);
    std::vector<mmsghdr> rmsg(window), smsg(window);
    std::map<int, unsigned> errors;
    size_t answered = 0, stray = 0;

    const auto t0 = std::chrono::steady_clock::now();
    for (size_t base = 0; base < wire.size(); base += window) {
        const size_t n = std::min(window, wire.size() - base);
        for (size_t i = 0; i < n; ++i) {
            siov[i] = {wire[base + i].data(), wire[base + i].size()};
            smsg[i] = {};
            smsg[i].msg_hdr.msg_iov = &siov[i];
            smsg[i].msg_hdr.msg_iovlen = 1;
        }
        for (size_t sent = 0; sent < n;) {
            int r = ::sendmmsg(fd, smsg.data() + sent, static_cast<unsigned>(n - sent), 0);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) {
                std::cerr << "raw_pfkey_sender: sendmmsg: " << std::strerror(errno) << '\n';
                return 2;
            }
            sent += static_cast<size_t>(r);
        }
        // Collect one reply per request: ours by pid, in this window by seq.
        for (size_t got = 0; got < n;) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 15000) <= 0) {
                std::cerr << "raw_pfkey_sender: replies missing after " << answered << '\n';
                return 2;
            }
            for (size_t i = 0; i < window; ++i) {
                riov[i] = {rbufs[i].data(), rbufs[i].size()};
                rmsg[i] = {};
                rmsg[i].msg_hdr.msg_iov = &riov[i];
                rmsg[i].msg_hdr.msg_iovlen = 1;
            }
            int r = ::recvmmsg(fd, rmsg.data(), static_cast<unsigned>(window), MSG_DONTWAIT, nullptr);
            if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (r < 0 && errno == ENOBUFS) {
                std::cerr << "raw_pfkey_sender: replies dropped (ENOBUFS)\n";
                return 2;
            }
            if (r < 0) {
                std::cerr << "raw_pfkey_sender: recvmmsg: " << std::strerror(errno) << '\n';
                return 2;
            }
            for (int i = 0; i < r; ++i) {
                if (rmsg[i].msg_len < pfkey::kHeaderSize) continue;
                const pfkey::Header h = pfkey::decode_header(std::span<const uint8_t>(rbufs[i].data(), rmsg[i].msg_len));
                if (h.pid != pid || h.seq <= base || h.seq > base + n) {
                    ++stray;
                    continue;
                }
                if (h.errno_) ++errors[h.errno_];
                ++got;
                ++answered;
            }
        }
    }
    const double s = bench::seconds_since(t0);
    unsigned failed = 0;
    for (auto [e, c] : errors) failed += c;
    std::cout << "raw-pfkey requests=" << wire.size() << " seconds=" << s
              << " per_second=" << static_cast<long>(wire.size() / s) << " errors=" << failed;
    for (auto [e, c] : errors) std::cout << " errno" << e << '=' << c;
    std::cout << " stray=" << stray << '\n';
    ::close(fd);
    return failed ? 3 : 0;
}
