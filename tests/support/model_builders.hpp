// Small constructors for the model values the XFRM tests send and expect.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "model/command.hpp"

namespace setkey::xfrm::testing {

// The enums spd() and tunnel() take, so a test's `using namespace testing;` brings them too.
using model::Action;
using model::Direction;
using model::Level;

inline model::IpAddress ip(std::string_view text) {
    auto a = model::IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(model::IpAddress{});
}

inline model::Selector sel(std::string_view addr, uint8_t prefixlen, uint16_t port = 0) {
    return {ip(addr), prefixlen, port};
}

inline model::KeyedAlgorithm keyed(model::AlgKind kind, std::string_view name, size_t key_bytes) {
    model::KeyedAlgorithm k;
    k.alg = model::find_algorithm(kind, name);
    EXPECT_NE(k.alg, nullptr) << name;
    for (size_t i = 0; i < key_bytes; ++i) k.key.push_back(static_cast<uint8_t>(0x11 * (i % 16)));
    return k;
}

// `add SRC DST esp SPI -m MODE` with no algorithms yet.
inline model::AddSa esp_sa(std::string_view src, std::string_view dst, uint32_t spi,
                           model::Mode mode = model::Mode::transport) {
    model::AddSa sa;
    sa.key.src.addr = ip(src);
    sa.key.dst.addr = ip(dst);
    sa.key.spi = spi;
    sa.key.mode = mode;
    return sa;
}

inline model::IpsecRequest tunnel(uint8_t proto, std::string_view src, std::string_view dst,
                                  model::Level level, uint32_t reqid = 0) {
    model::IpsecRequest r;
    r.proto = proto;
    r.mode = model::Mode::tunnel;
    r.level = level;
    r.reqid = reqid;
    r.src = model::Endpoint{ip(src), std::nullopt};
    r.dst = model::Endpoint{ip(dst), std::nullopt};
    return r;
}

inline model::IpsecRequest transport(uint8_t proto, model::Level level, uint32_t reqid = 0) {
    model::IpsecRequest r;
    r.proto = proto;
    r.mode = model::Mode::transport;
    r.level = level;
    r.reqid = reqid;
    return r;
}

// `spdadd SRC DST UPPER -P DIR ACTION REQUESTS...`
inline model::SpdEntry spd(model::Selector src, model::Selector dst, uint8_t upper,
                           model::Direction dir, model::Action action,
                           std::vector<model::IpsecRequest> requests = {}) {
    model::SpdEntry e;
    e.src = src;
    e.dst = dst;
    e.upper = upper;
    e.policy.dir = dir;
    e.policy.action = action;
    e.policy.requests = std::move(requests);
    return e;
}

} // namespace setkey::xfrm::testing
