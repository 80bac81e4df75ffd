// -x: every PF_KEY message the kernel broadcasts, as a timestamp line, an optional
// hex dump (-H) and the kdebug decode, each followed by a blank line.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "cli/modes.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey::cli {
namespace {

// -x: local "HH:MM:SS.uuuuuu "; -xx: "EPOCH.uuuuuu ".
std::string timestamp(const timespec& t, int level) {
    char text[64];
    const long usec = t.tv_nsec / 1000;
    if (level >= 2) {
        std::snprintf(text, sizeof text, "%lld.%06ld ", static_cast<long long>(t.tv_sec), usec);
    } else {
        std::tm local{};
        localtime_r(&t.tv_sec, &local);
        std::snprintf(text, sizeof text, "%02d:%02d:%02d.%06ld ", local.tm_hour, local.tm_min,
                      local.tm_sec, usec);
    }
    return text;
}

} // namespace

int run_monitor(const Options& options, Streams io, pfkey::Transport& transport,
                const std::function<timespec()>& clock) {
    const pfkey::Bytes promisc =
        pfkey::encode_promisc({static_cast<uint32_t>(::getpid()), 0});
    if (options.hexdump) io.out << pfkey::hexdump_text(promisc);
    if (const int e = transport.send(promisc); e != 0) {
        io.err << "setkey: send: " << std::strerror(e) << '\n';
        return 2;
    }
    for (;;) {
        int error = 0;
        const auto received = transport.receive(-1, error);
        if (!received) continue; // no timeout was asked for; keep waiting
        if (error != 0) {
            io.err << "setkey: recv: " << std::strerror(error) << '\n';
            return 2;
        }
        std::span<const uint8_t> message = *received;
        io.out << timestamp(clock(), options.monitor_level) << '\n';
        if (message.size() >= pfkey::kHeaderSize &&
            message[1] == static_cast<uint8_t>(pfkey::MsgType::promisc)) {
            // Messages copied to promiscuous listeners arrive wrapped in a PROMISC
            // header; a bare header is the echo of our own request.
            message = message.subspan(pfkey::kHeaderSize);
            if (message.empty()) {
                io.out.flush();
                continue;
            }
        }
        if (options.hexdump) io.out << pfkey::hexdump_text(message);
        io.out << pfkey::kdebug_text(message) << '\n';
        io.out.flush();
    }
}

} // namespace setkey::cli
