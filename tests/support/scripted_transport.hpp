// A PF_KEY transport for the monitor tests: records what is sent and hands out the
// queued messages in order, then fails with EBADF (which ends a monitor loop).
#pragma once

#include <cerrno>
#include <deque>
#include <vector>

#include "pfkey/socket.hpp"

namespace setkey::test {

struct ScriptedTransport final : pfkey::Transport {
    std::vector<std::vector<uint8_t>> sent;
    std::deque<std::vector<uint8_t>> incoming;
    std::vector<uint8_t> current;
    int send(std::span<const uint8_t> m) override {
        sent.emplace_back(m.begin(), m.end());
        return 0;
    }
    std::optional<std::span<const uint8_t>> receive(int, int& error) override {
        if (incoming.empty()) {
            error = EBADF;
            return std::span<const uint8_t>{};
        }
        current = std::move(incoming.front());
        incoming.pop_front();
        error = 0;
        return std::span<const uint8_t>(current);
    }
};

} // namespace setkey::test
