// Policy add/update/get/delete/dump/flush against the real kernel in a private netns.
#include <unistd.h>

#include <cerrno>
#include <set>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "support/netns_fixture.hpp"
#include "output/classic.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

class XfrmNetnsPolicy : public NetnsTest {};

model::SpdEntry v4_tunnel_out() {
    return spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, Direction::out,
               Action::ipsec, {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", Level::unique, 5)});
}

TEST_F(XfrmNetnsPolicy, EmptyDumpIsSuccessWithoutRecords) {
    EXPECT_TRUE(policies().empty());
}

TEST_F(XfrmNetnsPolicy, AddedTunnelPolicyDumpsAsPfkeyWouldPrintIt) {
    auto r = backend->policy(v4_tunnel_out());
    ASSERT_TRUE(r.ok()) << r.error << " " << r.detail;
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    const auto& p = ps[0];
    EXPECT_EQ(p.src, v4_tunnel_out().src);
    EXPECT_EQ(p.dir, Direction::out);
    EXPECT_EQ(p.action, Action::ipsec);
    EXPECT_EQ(p.priority, model::kPriorityDefault);
    EXPECT_EQ(p.id % 8, 1u); // out policies: index & 7 == XFRM_POLICY_OUT
    ASSERT_EQ(p.requests.size(), 1u);
    EXPECT_EQ(p.requests[0], v4_tunnel_out().policy.requests[0]);
    EXPECT_EQ(p.msg.seq, 0u); // the only (so last) entry of the dump
    EXPECT_EQ(p.msg.pid, static_cast<uint32_t>(getpid()));
    ASSERT_TRUE(p.current);
    EXPECT_GT(p.current->add_time, 0u);
    auto text = output::format_policy(p, {});
    EXPECT_EQ(text.substr(0, text.find("\tcreated")),
              "10.1.0.0/16[any] 10.2.0.0/16[any] 255\n\tout prio def ipsec\n"
              "\tesp/tunnel/10.0.0.1-10.0.0.2/unique:5\n");
    EXPECT_NE(text.find("\tlifetime: 0(s) validtime: 0(s)\n\tspid=" + std::to_string(p.id) +
                        " seq=0 pid=" + std::to_string(getpid()) + "\n\trefcnt=1\n"),
              std::string::npos)
        << text;
}

TEST_F(XfrmNetnsPolicy, Ipv6SelectorWithPortsUpperProtocolAndPriority) {
    auto e = spd(sel("fd00::", 64, 443), sel("fd01::1", 128, 0), 6, Direction::in, Action::ipsec,
                 {transport(model::kProtoEsp, Level::require)});
    e.policy.priority = model::kPriorityDefault + 7;
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].src, e.src);
    EXPECT_EQ(ps[0].dst, e.dst);
    EXPECT_EQ(ps[0].upper, 6);
    EXPECT_EQ(ps[0].dir, Direction::in);
    EXPECT_EQ(ps[0].priority, model::kPriorityDefault + 7);
    ASSERT_EQ(ps[0].requests.size(), 1u);
    EXPECT_EQ(ps[0].requests[0].level, Level::require);
    EXPECT_FALSE(ps[0].requests[0].src);
    auto text = output::format_policy(ps[0], {});
    EXPECT_EQ(text.substr(0, text.find("\tcreated")),
              "fd00::/64[443] fd01::1[any] tcp\n\tin prio def - 7 ipsec\n\tesp/transport//require\n");
}

TEST_F(XfrmNetnsPolicy, Icmp6TypeCodeSelectorAndNoneAction) {
    auto e = spd(sel("::", 0, 135), sel("::", 0, 0), 58, Direction::in, Action::none);
    e.has_misc = true;
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].upper, 58);
    EXPECT_EQ(ps[0].src.port, 135);
    EXPECT_EQ(ps[0].action, Action::none);
}

TEST_F(XfrmNetnsPolicy, UdpDiscardInFwdDirection) {
    auto e = spd(sel("192.168.0.0", 24, 53), sel("0.0.0.0", 0), 17, Direction::fwd, Action::discard);
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].dir, Direction::fwd);
    EXPECT_EQ(ps[0].action, Action::discard);
    EXPECT_EQ(ps[0].upper, 17);
    EXPECT_EQ(ps[0].src.port, 53);
}

TEST_F(XfrmNetnsPolicy, SecondAddOfTheSameSelectorIsEexist) {
    ASSERT_TRUE(backend->policy(v4_tunnel_out()).ok());
    EXPECT_EQ(backend->policy(v4_tunnel_out()).error, EEXIST);
}

TEST_F(XfrmNetnsPolicy, UpdateReplacesTheExistingPolicy) {
    ASSERT_TRUE(backend->policy(v4_tunnel_out()).ok());
    auto e = v4_tunnel_out();
    e.kind = model::SpdEntry::Kind::update;
    e.policy.requests = {transport(model::kProtoAh, Level::require),
                         tunnel(model::kProtoEsp, "10.9.0.1", "10.9.0.2", Level::unique, 9)};
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    ASSERT_EQ(ps[0].requests.size(), 2u);
    EXPECT_EQ(ps[0].requests[0].proto, model::kProtoAh);
    EXPECT_EQ(ps[0].requests[1], e.policy.requests[1]);
}

TEST_F(XfrmNetnsPolicy, GetFindsByDirectionAndSelector) {
    ASSERT_TRUE(backend->policy(v4_tunnel_out()).ok());
    std::vector<model::PolicyRecord> got;
    auto sink = [&](const model::PolicyRecord& p) { got.push_back(p); };
    ASSERT_TRUE(backend->get_policy(v4_tunnel_out(), sink).ok());
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].requests[0].reqid, 5u);
    auto in = v4_tunnel_out();
    in.policy.dir = Direction::in;
    EXPECT_EQ(backend->get_policy(in, sink).error, ENOENT);
    EXPECT_EQ(got.size(), 1u);
}

TEST_F(XfrmNetnsPolicy, DeleteBySelectorAndMissingIsEnoent) {
    ASSERT_TRUE(backend->policy(v4_tunnel_out()).ok());
    auto del = v4_tunnel_out();
    del.kind = model::SpdEntry::Kind::remove;
    ASSERT_TRUE(backend->policy(del).ok());
    EXPECT_TRUE(policies().empty());
    EXPECT_EQ(backend->policy(del).error, ENOENT);
}

TEST_F(XfrmNetnsPolicy, FlushEmptiesTheTableAndSucceedsWhenEmpty) {
    ASSERT_TRUE(backend->policy(v4_tunnel_out()).ok());
    auto in = v4_tunnel_out();
    in.policy.dir = Direction::in;
    ASSERT_TRUE(backend->policy(in).ok());
    EXPECT_EQ(policies().size(), 2u);
    EXPECT_TRUE(backend->flush_policies().ok());
    EXPECT_TRUE(policies().empty());
    EXPECT_TRUE(backend->flush_policies().ok());
}

TEST_F(XfrmNetnsPolicy, DumpNumbersEntriesLikePfkeyWithZeroLast) {
    for (int i = 0; i < 3; ++i) {
        auto e = v4_tunnel_out();
        e.src.port = static_cast<uint16_t>(1000 + i);
        ASSERT_TRUE(backend->policy(e).ok());
    }
    auto ps = policies();
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[0].msg.seq, 1u);
    EXPECT_EQ(ps[1].msg.seq, 2u);
    EXPECT_EQ(ps[2].msg.seq, 0u);
}

// Thousands of policies take many datagrams: records followed by another in their
// datagram, by the dump's end, or by nothing (the datagram ends) are numbered alike.
TEST_F(XfrmNetnsPolicy, DumpNumbersEveryEntryAcrossDatagrams) {
    constexpr uint32_t kCount = 3000;
    for (uint32_t i = 0; i < kCount; ++i) {
        auto e = v4_tunnel_out();
        e.src.port = static_cast<uint16_t>(1000 + i);
        ASSERT_TRUE(backend->policy(e).ok());
    }
    auto ps = policies();
    ASSERT_EQ(ps.size(), kCount);
    std::set<uint16_t> ports;
    for (uint32_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(ps[i].msg.seq, i + 1 == kCount ? 0u : i + 1) << "entry " << i;
        ASSERT_EQ(ps[i].msg.pid, static_cast<uint32_t>(getpid()));
        ports.insert(ps[i].src.port);
    }
    EXPECT_EQ(ports.size(), kCount);
}

TEST_F(XfrmNetnsPolicy, UniqueWithoutReqidGetsOneAboveTheManualRange) {
    auto e = v4_tunnel_out();
    e.policy.requests[0].reqid = 0;
    ASSERT_TRUE(backend->policy(e).ok());
    auto second = v4_tunnel_out();
    second.policy.dir = Direction::in;
    second.policy.requests[0].reqid = 0;
    ASSERT_TRUE(backend->policy(second).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 2u);
    std::set<uint32_t> reqids;
    for (const auto& p : ps) {
        EXPECT_EQ(p.requests[0].level, Level::unique);
        EXPECT_GT(p.requests[0].reqid, model::kManualReqidMax);
        reqids.insert(p.requests[0].reqid);
    }
    EXPECT_EQ(reqids.size(), 2u);
    EXPECT_NE(output::format_policy(ps[0], {}).find("/unique#"), std::string::npos);
}

TEST_F(XfrmNetnsPolicy, OptionalTunnelTemplateOutboundIsRefusedWithTheKernelsReason) {
    auto e = v4_tunnel_out();
    e.policy.requests[0].level = Level::use;
    auto r = backend->policy(e);
    if (r.ok()) GTEST_SKIP() << "this kernel still accepts optional outbound tunnel templates";
    EXPECT_EQ(r.error, EINVAL);
    EXPECT_NE(r.detail.find("optional"), std::string::npos) << r.detail;
}

TEST_F(XfrmNetnsPolicy, OptionalTransportTemplateInboundReadsBackAsUse) {
    auto e = spd(sel("10.0.0.1", 32), sel("10.0.0.2", 32), model::kProtoAny, Direction::in,
                 Action::ipsec, {transport(model::kProtoIpcomp, Level::use),
                                 transport(model::kProtoEsp, Level::require)});
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    ASSERT_EQ(ps[0].requests.size(), 2u);
    EXPECT_EQ(ps[0].requests[0].level, Level::use);
    EXPECT_EQ(ps[0].requests[0].proto, model::kProtoIpcomp);
}

TEST_F(XfrmNetnsPolicy, Ipv6TunnelEndpoints) {
    auto e = spd(sel("fd01::", 48), sel("fd02::", 48), model::kProtoAny, Direction::out,
                 Action::ipsec, {tunnel(model::kProtoEsp, "2001:db8::1", "2001:db8::2", Level::require)});
    ASSERT_TRUE(backend->policy(e).ok());
    auto ps = policies();
    ASSERT_EQ(ps.size(), 1u);
    ASSERT_TRUE(ps[0].requests[0].dst);
    EXPECT_EQ(ps[0].requests[0].src->addr, ip("2001:db8::1"));
    EXPECT_EQ(ps[0].requests[0].dst->addr, ip("2001:db8::2"));
    auto text = output::format_policy(ps[0], {});
    EXPECT_NE(text.find("\tesp/tunnel/2001:db8::1-2001:db8::2/require\n"), std::string::npos) << text;
}

TEST_F(XfrmNetnsPolicy, TraceSeesRequestsAndReplies) {
    int sent = 0, received = 0;
    XfrmOptions options;
    options.trace = [&](std::span<const uint8_t> m, bool out) {
        EXPECT_GE(m.size(), 16u);
        (out ? sent : received)++;
    };
    auto traced = open_xfrm_backend(options);
    sent = received = 0;
    ASSERT_TRUE(traced->policy(v4_tunnel_out()).ok());
    EXPECT_EQ(sent, 1);
    EXPECT_EQ(received, 1); // the ACK
}

} // namespace
} // namespace setkey::xfrm
