// The XFRM netlink kernel's own limit for a load: every request of a script is encoded
// up front with xfrm/codec.hpp; only sending and reading the ACKs is timed. WINDOW
// requests go out in one write (netlink handles them one after another), then their
// ACKs are collected (recvmmsg) and matched by seq.
//   raw_xfrm_sender SCRIPT [WINDOW]       (default window 256)
// Prints one line: raw-xfrm requests=N seconds=S per_second=R errors=E
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

#include "bench/kernel/raw_sender.hpp"
#include "bench/kernel/recv_batch.hpp"
#include "bench/kernel/script_loader.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

int main(int argc, char** argv) {
    auto args = bench::sender_args(argc, argv, "raw_xfrm_sender", 256);
    if (!args) return 1;
    auto& [commands, window] = *args;
    // One contiguous buffer per window.
    std::vector<std::vector<uint8_t>> windows;
    for (size_t i = 0; i < commands.size(); ++i) {
        if (i % window == 0) windows.emplace_back();
        const uint32_t seq = static_cast<uint32_t>(i + 1);
        xfrm::Message m;
        if (const auto* sa = std::get_if<model::AddSa>(&commands[i]))
            m = xfrm::encode_add_sa(*sa, seq);
        else
            m = xfrm::encode_policy(std::get<model::SpdEntry>(commands[i]), seq);
        windows.back().insert(windows.back().end(), m.begin(), m.end());
    }
    const size_t total = commands.size();
    commands.clear();

    const int fd = bench::open_raw_socket("raw_xfrm_sender", AF_NETLINK, NETLINK_XFRM);
    if (fd < 0) return 2;
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) < 0) {
        std::cerr << "raw_xfrm_sender: bind: " << std::strerror(errno) << '\n';
        return 2;
    }

    bench::RecvBatch batch(window, 8192);
    std::map<int, unsigned> errors;
    size_t answered = 0;

    const auto t0 = std::chrono::steady_clock::now();
    for (size_t w = 0; w < windows.size(); ++w) {
        const size_t base = w * window, n = std::min(window, total - base);
        sockaddr_nl kernel{};
        kernel.nl_family = AF_NETLINK;
        ssize_t s;
        do s = ::sendto(fd, windows[w].data(), windows[w].size(), 0,
                        reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
        while (s < 0 && errno == EINTR);
        if (s < 0) {
            std::cerr << "raw_xfrm_sender: send: " << std::strerror(errno) << '\n';
            return 2;
        }
        for (size_t got = 0; got < n;) {
            const int r = batch.receive(fd);
            if (r < 0) {
                const int e = errno;
                std::cerr << "raw_xfrm_sender: "
                          << (e == ETIMEDOUT ? "ACKs missing after " + std::to_string(answered)
                                                 : std::string("recvmmsg: ") + std::strerror(e))
                          << '\n';
                return 2;
            }
            for (int i = 0; i < r; ++i) {
                for (auto m : xfrm::split_messages(batch[i])) {
                    const auto* h = reinterpret_cast<const nlmsghdr*>(m.data());
                    if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq <= base || h->nlmsg_seq > base + n)
                        continue;
                    const auto* e = reinterpret_cast<const nlmsgerr*>(NLMSG_DATA(h));
                    if (e->error) ++errors[-e->error];
                    ++got;
                    ++answered;
                }
            }
        }
    }
    const unsigned failed = bench::print_result("raw-xfrm", total, bench::seconds_since(t0), errors);
    std::cout << '\n';
    ::close(fd);
    return failed ? 3 : 0;
}
