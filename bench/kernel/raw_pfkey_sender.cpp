// The PF_KEY kernel's own limit for a load: every request of a script is encoded up
// front with pfkey/codec.hpp; only sending them and reading the kernel's replies is
// timed. Requests go out WINDOW at a time (sendmmsg), then their replies are collected
// (recvmmsg) and matched by pid + seq, so the receive buffer never overflows.
//   raw_pfkey_sender SCRIPT [WINDOW]      (default window 128)
// Prints one line: raw-pfkey requests=N seconds=S per_second=R errors=E
#include <linux/pfkeyv2.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

#include "bench/kernel/raw_sender.hpp"
#include "bench/kernel/recv_batch.hpp"
#include "bench/kernel/script_loader.hpp"
#include "pfkey/codec.hpp"

using namespace setkey;

int main(int argc, char** argv) {
    auto args = bench::sender_args(argc, argv, "raw_pfkey_sender", 128);
    if (!args) return 1;
    auto& [commands, window] = *args;
    const uint32_t pid = static_cast<uint32_t>(::getpid());
    std::vector<pfkey::Bytes> wire;
    wire.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
        const pfkey::RequestId id{pid, static_cast<uint32_t>(i + 1)};
        if (const auto* sa = std::get_if<model::AddSa>(&commands[i]))
            wire.push_back(pfkey::encode_add_sa(*sa, id));
        else
            wire.push_back(pfkey::encode_policy(std::get<model::SpdEntry>(commands[i]), id));
    }
    commands.clear();

    const int fd = bench::open_raw_socket("raw_pfkey_sender", PF_KEY, PF_KEY_V2);
    if (fd < 0) return 2;

    std::vector<iovec> siov(window);
    std::vector<mmsghdr> smsg(window);
    bench::RecvBatch batch(window, 16384);
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
            const int r = batch.receive(fd);
            if (r < 0) {
                const int e = errno;
                std::cerr << "raw_pfkey_sender: "
                          << (e == ETIMEDOUT   ? "replies missing after " + std::to_string(answered)
                              : e == ENOBUFS ? std::string("replies dropped (ENOBUFS)")
                                                 : std::string("recvmmsg: ") + std::strerror(e))
                          << '\n';
                return 2;
            }
            for (int i = 0; i < r; ++i) {
                if (batch[i].size() < pfkey::kHeaderSize) continue;
                const pfkey::Header h = pfkey::decode_header(batch[i]);
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
    const unsigned failed = bench::print_result("raw-pfkey", wire.size(), bench::seconds_since(t0), errors);
    std::cout << " stray=" << stray << '\n';
    ::close(fd);
    return failed ? 3 : 0;
}
