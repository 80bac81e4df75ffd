// The pipelined batch API against the real kernel: per-command results come back in
// index order with the right errors, and thousands of entries survive a dump.
#include <cerrno>
#include <set>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "support/netns_fixture.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

class XfrmNetnsBatch : public NetnsTest {};

// A distinct /32 -> /32 policy per n, with a tunnel template.
model::SpdEntry numbered(uint32_t n, Direction dir = Direction::out) {
    model::SpdEntry e = spd(sel("10.0.0.0", 32), sel("10.128.0.0", 32), model::kProtoAny, dir,
                            Action::ipsec,
                            {tunnel(model::kProtoEsp, "192.0.2.1", "192.0.2.2", Level::unique, 7)});
    e.src.addr.bytes[2] = static_cast<uint8_t>(n >> 8);
    e.src.addr.bytes[3] = static_cast<uint8_t>(n);
    e.dst.addr.bytes[2] = static_cast<uint8_t>(n >> 8);
    e.dst.addr.bytes[3] = static_cast<uint8_t>(n);
    return e;
}

std::vector<model::OpResult> run(XfrmBackend& b, const std::vector<model::Command>& cmds) {
    std::vector<model::OpResult> out;
    b.apply_batch(cmds, [&](size_t index, const model::OpResult& r) {
        EXPECT_EQ(index, out.size()); // callbacks come in index order
        out.push_back(r);
    });
    EXPECT_EQ(out.size(), cmds.size());
    return out;
}

TEST_F(XfrmNetnsBatch, ErrorsMapBackToTheirCommand) {
    std::vector<model::Command> cmds;
    cmds.push_back(numbered(1));
    cmds.push_back(numbered(2));
    cmds.push_back(numbered(1)); // duplicate: EEXIST
    auto del = numbered(99);
    del.kind = model::SpdEntry::Kind::remove;
    cmds.push_back(del); // missing: ENOENT
    cmds.push_back(model::SpdTagged{});
    cmds.push_back(model::DumpSpd{});
    auto bad = numbered(3);
    bad.policy.action = Action::entrust; // refused by the encoder
    cmds.push_back(bad);
    cmds.push_back(model::Exit{});
    cmds.push_back(numbered(4));
    auto r = run(*backend, cmds);
    ASSERT_EQ(r.size(), 9u);
    EXPECT_TRUE(r[0].ok());
    EXPECT_TRUE(r[1].ok());
    EXPECT_EQ(r[2].error, EEXIST);
    EXPECT_EQ(r[3].error, ENOENT);
    EXPECT_EQ(r[4].error, EINVAL);
    EXPECT_EQ(r[5].error, EINVAL);
    EXPECT_EQ(r[6].error, EINVAL);
    EXPECT_TRUE(r[7].ok());
    EXPECT_TRUE(r[8].ok());
    EXPECT_EQ(policies().size(), 3u);
}

TEST_F(XfrmNetnsBatch, OrderIsKeptAcrossAddDeleteAndFlush) {
    auto del = numbered(1);
    del.kind = model::SpdEntry::Kind::remove;
    std::vector<model::Command> cmds{numbered(1), del, numbered(1), model::FlushSpd{}, numbered(2)};
    auto r = run(*backend, cmds);
    for (size_t i = 0; i < r.size(); ++i) EXPECT_TRUE(r[i].ok()) << i << ": " << r[i].error;
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].src.addr.bytes[3], 2);
}

TEST_F(XfrmNetnsBatch, GeneratedReqidsAvoidTheSpdAndEarlierLines) {
    auto existing = numbered(0);
    existing.policy.requests[0].reqid = 0x4000;
    ASSERT_TRUE(backend->policy(existing).ok());
    auto bare = [](uint32_t n) {
        auto e = numbered(n);
        e.policy.requests[0].reqid = 0;
        return e;
    };
    auto explicit_next = numbered(2);
    explicit_next.policy.requests[0].reqid = 0x4002; // what a naive counter would hand out
    std::vector<model::Command> cmds{bare(1), explicit_next, bare(3)};
    for (uint32_t n = 4; n < 300; ++n) cmds.push_back(bare(n));
    auto r = run(*backend, cmds);
    for (size_t i = 0; i < r.size(); ++i) ASSERT_TRUE(r[i].ok()) << i << ": " << r[i].detail;
    std::set<uint32_t> reqids;
    auto ps = policies();
    for (const auto& p : ps) reqids.insert(p.requests[0].reqid);
    EXPECT_EQ(ps.size(), 300u);
    EXPECT_EQ(reqids.size(), 300u); // every policy got its own
    EXPECT_TRUE(reqids.count(0x4000) && reqids.count(0x4001) && reqids.count(0x4002) &&
                reqids.count(0x4003));
}

TEST_F(XfrmNetnsBatch, ThousandsOfPoliciesLoadAndDumpCompletely) {
    constexpr uint32_t kCount = 3000; // several write chunks and many dump datagrams
    std::vector<model::Command> cmds;
    for (uint32_t n = 0; n < kCount; ++n) cmds.push_back(numbered(n, n % 2 ? Direction::in : Direction::out));
    size_t failures = 0;
    backend->apply_batch(cmds, [&](size_t, const model::OpResult& r) { failures += !r.ok(); });
    EXPECT_EQ(failures, 0u);
    auto ps = policies();
    ASSERT_EQ(ps.size(), kCount);
    for (uint32_t i = 0; i + 1 < kCount; ++i) ASSERT_EQ(ps[i].msg.seq, i + 1);
    EXPECT_EQ(ps.back().msg.seq, 0u);
}

TEST_F(XfrmNetnsBatch, LostAcksAreReportedAfterAReceiveBufferOverrun) {
    // A receive buffer far too small for one write's ACKs makes the kernel drop most of
    // them (ENOBUFS); the batch must still answer every command and then keep working.
    XfrmOptions options;
    options.receive_buffer = 1;
    auto tiny = open_xfrm_backend(options);
    constexpr uint32_t kCount = 200;
    std::vector<model::Command> cmds;
    for (uint32_t n = 0; n < kCount; ++n) cmds.push_back(numbered(n));
    size_t ok = 0, lost = 0;
    tiny->apply_batch(cmds, [&](size_t, const model::OpResult& r) {
        if (r.ok()) ++ok;
        if (r.error == ENOBUFS) {
            ++lost;
            EXPECT_NE(r.detail.find("lost"), std::string::npos);
        }
    });
    EXPECT_EQ(ok + lost, kCount);
    EXPECT_GT(lost, 0u) << "the kernel kept every ACK; the overrun path was not exercised";
    EXPECT_EQ(policies().size(), kCount); // the requests themselves were all applied
    auto again = numbered(kCount);
    EXPECT_TRUE(tiny->policy(again).ok());
}

} // namespace
} // namespace setkey::xfrm
