// Classic -D / -DP text against real 0.8.2 output (tests/golden/output/README.md).
#include <gtest/gtest.h>

#include "output/classic.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using model::Action, model::Direction, model::Level, model::Mode;

std::string dump_sad(const std::vector<model::SaRecord>& sad, const ClassicOptions& o) {
    std::string out;
    for (const auto& sa : sad) out += format_sa(sa, o);
    return out;
}

std::string dump_spd(const std::vector<model::PolicyRecord>& spd, const ClassicOptions& o) {
    std::string out;
    for (const auto& p : spd) out += format_policy(p, o);
    return out;
}

class ClassicGolden : public UtcTest {};

TEST_F(ClassicGolden, GetOfTunnelSaWithBothKeys) {
    auto sa = small_esp_tunnel();
    sa.msg.pid = 300;
    EXPECT_EQ(format_sa(sa, {.now = kSmallAdded}), read_golden("small-get.txt"));
}

TEST_F(ClassicGolden, DumpWithPortsAndAllShowsNattIpcompAndIpv6) {
    ClassicOptions o{.with_ports = true, .now = kSmallAdded + 1};
    EXPECT_EQ(dump_sad(small_sad(318), o), read_golden("small-D-p-a.txt"));
}

TEST_F(ClassicGolden, DumpWithoutPortsKeepsNattPorts) {
    // `dump esp` of the same SAD: the ipcomp SA is not listed.
    auto sad = small_sad(320);
    sad.erase(sad.begin() + 1);
    sad[0].msg.seq = 1;
    sad[1].msg.seq = 2;
    EXPECT_EQ(dump_sad(sad, {.now = kSmallAdded + 2}), read_golden("small-dump-esp.txt"));
}

TEST_F(ClassicGolden, PolicyDumpWithPortsShowsTunnelEndpointPorts) {
    EXPECT_EQ(dump_spd(small_spd(319), {.with_ports = true}), read_golden("small-DP-p.txt"));
}

TEST_F(ClassicGolden, SixtyFourByteKeyWrapsAfterThirtyTwoBytes) {
    constexpr int64_t added = kSmallAdded - 43; // Nov 27 05:23:52 2026
    std::vector<model::SaRecord> sad;
    for (auto [src, dst, spi, seq] : {std::tuple{"10.0.0.2", "10.0.0.1", 10001u, 1u},
                                      std::tuple{"10.0.0.1", "10.0.0.2", 10000u, 0u}}) {
        auto sa = linux_sa(model::SaType::ah, src, dst, spi, Mode::transport, added);
        sa.auth = alg(model::AlgKind::auth, 7, repeat_hex("61", 64));
        sa.hard->add_time = 1;
        sa.soft->add_time = 1;
        sa.msg = {seq, 1741, 0};
        sad.push_back(sa);
    }
    EXPECT_EQ(dump_sad(sad, {.now = added}), read_golden("netbsd-lifetime1-ah-hmacsha512-D.txt"));
}

TEST_F(ClassicGolden, EspWithoutAuthenticationKeyHasNoALine) {
    constexpr int64_t added = kSmallAdded - 52; // Nov 27 05:23:43 2026
    std::vector<model::SaRecord> sad;
    for (auto [spi, reqid, key, seq] : {std::tuple{4098u, 2u, "686f6765", 1u},
                                        std::tuple{4097u, 1u, "6b616d65", 0u}}) {
        auto sa = linux_sa(model::SaType::esp, "::1", "::1", spi, Mode::transport, added);
        sa.reqid = reqid;
        sa.enc = alg(model::AlgKind::enc, 2, repeat_hex(key, 8));
        sa.msg = {seq, 954, 0};
        sad.push_back(sa);
    }
    EXPECT_EQ(dump_sad(sad, {.now = added}), read_golden("it-policy02-D.txt"));
}

TEST_F(ClassicGolden, PortSelectorsAndManualVersusKernelReqids) {
    // it-sample-policy02: ::1/128 tcp policies; reqids above 0x3fff print as #N.
    struct Row {
        uint16_t sport, dport;
        Direction dir;
        Level level;
        uint32_t reqid, spid;
    };
    const Row rows[] = {
        {0, 9995, Direction::out, Level::unique, 16385, 929},
        {0, 9996, Direction::out, Level::require, 0, 921},
        {0, 9997, Direction::out, Level::unique, 16384, 913},
        {9998, 0, Direction::out, Level::unique, 1, 905},
        {9998, 0, Direction::fwd, Level::require, 0, 898},
        {9998, 0, Direction::in, Level::unique, 2, 888},
        {0, 9998, Direction::out, Level::unique, 1, 881},
        {0, 9999, Direction::out, Level::unique, 2, 873},
    };
    std::vector<model::PolicyRecord> spd;
    for (const auto& r : rows) {
        auto p = policy("::1", 128, r.sport, "::1", 128, r.dport, 6, r.dir, Action::ipsec);
        p.current->add_time = kSmallAdded - 52;
        p.requests = {request(model::kProtoEsp, Mode::transport, r.level, r.reqid)};
        p.id = r.spid;
        p.msg = {static_cast<uint32_t>((spd.size() + 1) % std::size(rows)), 955, 2};
        spd.push_back(p);
    }
    EXPECT_EQ(dump_spd(spd, {}), read_golden("it-policy02-DP.txt"));
}

TEST_F(ClassicGolden, Icmp6TypeCodeAndFwdDouble) {
    std::vector<model::PolicyRecord> spd;
    for (auto [dir, spid, seq] : {std::tuple{Direction::fwd, 1162u, 1u}, std::tuple{Direction::in, 1152u, 0u}}) {
        auto p = policy("::", 0, 135, "::", 0, 0, 58, dir, Action::none);
        p.current->add_time = kSmallAdded - 49; // Nov 27 05:23:46 2026
        p.id = spid;
        p.msg = {seq, 1248, 2};
        spd.push_back(p);
    }
    EXPECT_EQ(dump_spd(spd, {}), read_golden("man-icmp6-ns-DP.txt"));
}

TEST_F(ClassicGolden, TunnelEndpointsWithoutPortsAndTwoRequests) {
    struct Row {
        const char *src, *dst, *tsrc, *tdst;
        Direction dir;
        uint32_t spid;
    };
    const Row rows[] = {
        {"10.0.2.0", "10.0.1.0", "20.0.0.2", "20.0.0.1", Direction::fwd, 1770},
        {"10.0.2.0", "10.0.1.0", "20.0.0.2", "20.0.0.1", Direction::in, 1760},
        {"10.0.1.0", "10.0.2.0", "20.0.0.1", "20.0.0.2", Direction::out, 1753},
    };
    std::vector<model::PolicyRecord> spd;
    for (const auto& r : rows) {
        auto p = policy(r.src, 24, 0, r.dst, 24, 0, 255, r.dir, Action::ipsec);
        p.current->add_time = kSmallAdded - 31; // Nov 27 05:24:04 2026
        auto comp = request(model::kProtoIpcomp, Mode::tunnel, Level::require);
        comp.src = model::Endpoint{ip(r.tsrc), 0};
        comp.dst = model::Endpoint{ip(r.tdst), 0};
        p.requests = {comp, request(model::kProtoEsp, Mode::transport, Level::require)};
        p.id = r.spid;
        p.msg = {static_cast<uint32_t>((spd.size() + 1) % std::size(rows)), 2787, 2};
        spd.push_back(p);
    }
    EXPECT_EQ(dump_spd(spd, {}), read_golden("netbsd-tunnel-ipcomp-esp-DP.txt"));
}

TEST_F(ClassicGolden, EmptySadMessage) {
    EXPECT_EQ(empty_sad_text(), read_golden("man-icmp6-ns-D.txt"));
    EXPECT_EQ(empty_spd_text(), "No SPD entries.\n");
}

} // namespace
} // namespace setkey::output
