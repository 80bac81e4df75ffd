// Records reproducing the kernel state of corpus/expected/vm-modes/small.conf as
// Debian's kernel reported it, plus helpers shared by the output tests.
#pragma once

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <sys/socket.h>

#include "model/record.hpp"

namespace setkey::output::testing {

// "Nov 27 05:24:35 2026" UTC: when small.conf's SAs and policies were added.
inline constexpr int64_t kSmallAdded = 1795757075;

inline model::IpAddress ip(std::string_view text) {
    auto a = model::IpAddress::parse(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(model::IpAddress{});
}

inline std::vector<uint8_t> repeat_hex(std::string_view hex, size_t bytes) {
    std::vector<uint8_t> out;
    for (size_t i = 0; out.size() < bytes; i = (i + 2) % hex.size())
        out.push_back(static_cast<uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

inline model::AlgorithmRef alg(model::AlgKind kind, int pfkey_id, std::vector<uint8_t> key) {
    model::AlgorithmRef ref;
    ref.alg = model::find_by_pfkey_id(kind, pfkey_id);
    ref.pfkey_id = pfkey_id;
    ref.key_bits = static_cast<uint16_t>(key.size() * 8);
    ref.key = std::move(key);
    return ref;
}

// The pattern small.conf uses for every key: 00112233445566778899aabbccddeeff...
inline std::vector<uint8_t> small_key(size_t bytes) { return repeat_hex("00112233445566778899aabbccddeeff", bytes); }

// An SA as a Linux PF_KEY dump reports it: SA, SA2 and all three lifetimes present.
inline model::SaRecord linux_sa(model::SaType type, std::string_view src, std::string_view dst,
                                uint32_t spi, model::Mode mode, int64_t added) {
    model::SaRecord sa;
    sa.satype = type;
    sa.raw_satype = static_cast<uint8_t>(type);
    sa.src = ip(src);
    sa.dst = ip(dst);
    sa.spi = spi;
    sa.has_sa2 = true;
    sa.mode = mode;
    sa.hard = model::Lifetime{};
    sa.soft = model::Lifetime{};
    sa.current = model::Lifetime{};
    sa.current->add_time = static_cast<uint64_t>(added);
    return sa;
}

inline model::SaRecord small_esp_tunnel() {
    auto sa = linux_sa(model::SaType::esp, "10.0.0.1", "10.0.0.2", 0x1001, model::Mode::tunnel, kSmallAdded);
    sa.reqid = 5;
    sa.replay = 32;
    sa.enc = alg(model::AlgKind::enc, 12, small_key(16));
    sa.auth = alg(model::AlgKind::auth, 3, small_key(20));
    return sa;
}

inline model::SaRecord small_esp_udp() {
    auto sa = linux_sa(model::SaType::esp, "10.0.0.1", "10.0.0.2", 0x1002, model::Mode::tunnel, kSmallAdded);
    sa.enc = alg(model::AlgKind::enc, 12, small_key(16));
    sa.auth = alg(model::AlgKind::auth, 5, small_key(32));
    sa.natt_type = 2; // UDP_ENCAP_ESPINUDP
    sa.natt_sport = 4500;
    sa.natt_dport = 4500;
    return sa;
}

inline model::SaRecord small_ipcomp() {
    auto sa = linux_sa(model::SaType::ipcomp, "10.0.0.1", "10.0.0.2", 0x2000, model::Mode::transport, kSmallAdded);
    sa.comp.alg = model::find_by_pfkey_id(model::AlgKind::comp, 2);
    sa.comp.pfkey_id = 2;
    return sa;
}

inline model::SaRecord small_esp_v6() {
    auto sa = linux_sa(model::SaType::esp, "fd00::1", "fd00::2", 0x1004, model::Mode::transport, kSmallAdded);
    sa.enc = alg(model::AlgKind::enc, 3, small_key(24));
    sa.auth = alg(model::AlgKind::auth, 2, small_key(16));
    return sa;
}

// small.conf's AH SA (deleted before the dumps in small.out) with lifetime limits,
// after some traffic.
inline model::SaRecord small_ah_with_lifetimes() {
    auto sa = linux_sa(model::SaType::ah, "10.0.0.1", "10.0.0.2", 0x1003, model::Mode::transport, kSmallAdded);
    sa.auth = alg(model::AlgKind::auth, 7, small_key(64));
    sa.hard->add_time = 3600;
    sa.soft->add_time = 3000;
    sa.hard->bytes = 100000;
    sa.soft->bytes = 80000;
    sa.current->bytes = 1500;
    sa.current->packets = 2;
    sa.current->use_time = static_cast<uint64_t>(kSmallAdded + 10);
    return sa;
}

// An AES-GCM SA as the XFRM decoder reports it: kernel names, packets, statistics.
inline model::SaRecord xfrm_aead_sa() {
    auto sa = linux_sa(model::SaType::esp, "192.0.2.1", "192.0.2.2", 0xc0ffee, model::Mode::tunnel, kSmallAdded);
    sa.aead = true;
    sa.enc.alg = model::find_algorithm(model::AlgKind::aead, "aes-gcm-16");
    sa.enc.kernel_name = "rfc4106(gcm(aes))";
    sa.enc.key = repeat_hex("a1b2c3d4", 20);
    sa.enc.key_bits = 160;
    sa.enc.icv_bits = 128;
    sa.esn = true;
    sa.current->packets = 12;
    sa.hard->packets = 1000000;
    sa.replay_errors = 1;
    sa.integrity_failures = 0;
    return sa;
}

// The iproute2-made SA of issue 9 as the XFRM decoder reports it: AES-GCM with ESN and
// a 1024-packet window, mark 0x5/0xff (the second SA of the issue has mark 0x6 and the
// same SPI), if_id 0x7, output mark 0x9/0xf, UDP encapsulation, an SA selector.
inline model::SaRecord xfrm_marked_sa(uint32_t mark_value = 0x5) {
    auto sa = xfrm_aead_sa();
    sa.replay = 1024;
    sa.natt_type = 2; // UDP_ENCAP_ESPINUDP
    sa.natt_sport = 4500;
    sa.natt_dport = 4500;
    sa.mark = model::Mark{mark_value, 0xff};
    sa.if_id = 7;
    sa.xfrm.output_mark = model::Mark{0x9, 0xf};
    sa.xfrm.flags = 128; // XFRM_STATE_ESN
    sa.xfrm.selector.family = AF_INET;
    sa.xfrm.selector.src = ip("10.1.0.0");
    sa.xfrm.selector.dst = ip("10.2.0.0");
    sa.xfrm.selector.src_prefixlen = 16;
    sa.xfrm.selector.dst_prefixlen = 16;
    model::ReplayState replay;
    replay.esn_format = true;
    replay.seq = 0x20;
    replay.oseq = 0x10;
    replay.seq_hi = 1;
    replay.window = 1024;
    replay.bitmap.assign(32, 0);
    replay.bitmap[0] = 0xffff0000u;
    sa.xfrm.replay = replay;
    sa.soft->packets = 1000;
    return sa;
}

// An SA with every other XFRM attribute as well: extra flags, a full selector, legacy
// replay state, offload, Mobile IPv6 addresses, TFC padding, the NAT-T mapping threshold
// and two attributes setkey does not know.
inline model::SaRecord xfrm_every_attribute_sa() {
    auto sa = xfrm_marked_sa();
    sa.xfrm.flags = 0x01 | 0x08 | 0x20 | 0x80; // noecn wildrecv af-unspec esn
    sa.xfrm.extra_flags = 0x1 | 0x2 | 0x100;
    sa.xfrm.selector.proto = 6;
    sa.xfrm.selector.dst_port = 443;
    sa.xfrm.selector.dst_port_mask = 0xffff;
    sa.xfrm.selector.ifindex = 3;
    sa.xfrm.selector.user = 1000;
    model::ReplayState legacy;
    legacy.seq = 5;
    legacy.oseq = 6;
    legacy.bitmap = {0x1f};
    sa.xfrm.replay = legacy;
    sa.xfrm.offload = model::Offload{4, 2};
    sa.xfrm.srcaddr = ip("2001:db8::1");
    sa.xfrm.coaddr = ip("2001:db8::2");
    sa.xfrm.tfcpad = 512;
    sa.xfrm.mtimer_thresh = 60;
    sa.xfrm.unknown = {{40, {0x01, 0x00}}, {41, {0xde, 0xad, 0xbe, 0xef}}};
    return sa;
}

// The dump order Debian's kernel used (newest first) with sadb_seq counting 1, 2, ...
// and the last entry 0.
inline std::vector<model::SaRecord> small_sad(uint32_t pid) {
    std::vector<model::SaRecord> sad = {small_esp_v6(), small_ipcomp(), small_esp_udp(), small_esp_tunnel()};
    for (size_t i = 0; i < sad.size(); ++i) {
        sad[i].msg.seq = static_cast<uint32_t>((i + 1) % sad.size());
        sad[i].msg.pid = pid;
    }
    return sad;
}

inline model::PolicyRecord policy(std::string_view src, uint8_t splen, uint16_t sport,
                                  std::string_view dst, uint8_t dplen, uint16_t dport,
                                  uint8_t upper, model::Direction dir, model::Action action) {
    model::PolicyRecord p;
    p.src = {ip(src), splen, sport};
    p.dst = {ip(dst), dplen, dport};
    p.upper = upper;
    p.dir = dir;
    p.raw_dir = static_cast<uint16_t>(dir);
    p.action = action;
    p.raw_action = static_cast<uint16_t>(action);
    p.priority = model::kPriorityDefault;
    p.hard = model::Lifetime{};
    p.soft = model::Lifetime{};
    p.current = model::Lifetime{};
    p.current->add_time = static_cast<uint64_t>(kSmallAdded);
    p.msg.reserved = 1; // refcnt
    return p;
}

inline model::IpsecRequest request(uint8_t proto, model::Mode mode, model::Level level, uint32_t reqid = 0) {
    model::IpsecRequest r;
    r.proto = proto;
    r.mode = mode;
    r.level = level;
    r.reqid = reqid;
    return r;
}

// small.conf's policies in the kernel's dump order (spid and seq as reported).
inline std::vector<model::PolicyRecord> small_spd(uint32_t pid) {
    using model::Action, model::Direction, model::Level, model::Mode;
    std::vector<model::PolicyRecord> spd;
    spd.push_back(policy("10.3.0.0", 24, 0, "10.4.0.0", 24, 0, 255, Direction::out, Action::discard));
    spd.back().id = 33;
    spd.push_back(policy("::", 0, 135, "::", 0, 0, 58, Direction::out, Action::none));
    spd.back().id = 25;
    for (auto [dir, id] : {std::pair{Direction::fwd, 18u}, std::pair{Direction::in, 8u}}) {
        spd.push_back(policy("fd00::", 64, 80, "fd01::", 64, 0, 6, dir, Action::ipsec));
        spd.back().id = id;
        spd.back().priority = 0x40000000; // prio high
        spd.back().requests = {request(model::kProtoEsp, Mode::transport, Level::require),
                               request(model::kProtoAh, Mode::transport, Level::use)};
    }
    spd.push_back(policy("10.1.0.0", 16, 0, "10.2.0.0", 16, 0, 255, Direction::out, Action::ipsec));
    spd.back().id = 1;
    spd.back().priority = model::kPriorityDefault - 10; // prio def + 10
    auto tunnel = request(model::kProtoEsp, Mode::tunnel, Level::unique, 5);
    tunnel.src = model::Endpoint{ip("10.0.0.1"), std::nullopt};
    tunnel.dst = model::Endpoint{ip("10.0.0.2"), std::nullopt};
    spd.back().requests = {tunnel};
    for (size_t i = 0; i < spd.size(); ++i) {
        spd[i].msg.seq = static_cast<uint32_t>((i + 1) % spd.size());
        spd[i].msg.pid = pid;
    }
    return spd;
}

// small.conf's tunnel policy (out, spid 1) as XFRM reports it once marked: mark
// 0x5/0xff, if_id 7, flag icmp; `index` is the kernel's, unique per policy.
inline model::PolicyRecord xfrm_marked_policy(uint32_t mark_value = 0x5, uint32_t index = 1) {
    auto p = small_spd(0).back();
    p.id = index;
    p.xfrm.mark = model::Mark{mark_value, 0xff};
    p.xfrm.if_id = 7;
    p.xfrm.flags = 2; // XFRM_POLICY_ICMP
    return p;
}

// ... with the rest: localok too, share unique, the sub type, selector ifindex and
// user, an attribute setkey does not know.
inline model::PolicyRecord xfrm_every_attribute_policy() {
    auto p = xfrm_marked_policy();
    p.xfrm.flags = 3;
    p.xfrm.share = 3;
    p.xfrm.type = 1;
    p.xfrm.ifindex = 3;
    p.xfrm.user = 1000;
    p.xfrm.unknown = {{42, {0x07}}};
    return p;
}

inline std::string read_golden(const std::string& name) {
    std::ifstream in(std::string(SETKEY_GOLDEN_DIR) + "/output/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The corpus was recorded with TZ=UTC; classic dates are local time.
class UtcTest : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("TZ", "UTC", 1);
        tzset();
    }
};

} // namespace setkey::output::testing
