// NEWPOLICY requests have the layout of policy dump entries: encode a model::SpdEntry,
// decode it, and expect the record af_key would report for that kernel policy.
#include <cerrno>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "output/classic.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

model::PolicyRecord round_trip(const model::SpdEntry& e) {
    auto d = decode_message(encode_policy(e, 1));
    auto* rec = std::get_if<model::PolicyRecord>(&d.body);
    EXPECT_NE(rec, nullptr);
    return rec ? *rec : model::PolicyRecord{};
}

TEST(XfrmCodecPolicy, TunnelTemplateWithReqidReadsBackAsUnique) {
    auto e = spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, Direction::out,
                 Action::ipsec, {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", Level::unique, 5)});
    auto r = round_trip(e);
    EXPECT_EQ(r.src, e.src);
    EXPECT_EQ(r.dst, e.dst);
    EXPECT_EQ(r.upper, model::kProtoAny);
    EXPECT_EQ(r.dir, Direction::out);
    EXPECT_EQ(r.raw_dir, 2);
    EXPECT_EQ(r.action, Action::ipsec);
    EXPECT_EQ(r.priority, model::kPriorityDefault);
    ASSERT_EQ(r.requests.size(), 1u);
    EXPECT_EQ(r.requests[0], e.policy.requests[0]);
    auto text = output::format_policy(r, {});
    EXPECT_NE(text.find("10.1.0.0/16[any] 10.2.0.0/16[any] 255\n\tout prio def ipsec\n"
                        "\tesp/tunnel/10.0.0.1-10.0.0.2/unique:5\n"),
              std::string::npos)
        << text;
}

TEST(XfrmCodecPolicy, LevelsMapAsAfKeyReportsThem) {
    auto e = spd(sel("10.1.0.1", 32), sel("10.2.0.1", 32), model::kProtoAny, Direction::in,
                 Action::ipsec,
                 {transport(model::kProtoAh, Level::require), transport(model::kProtoEsp, Level::use),
                  transport(model::kProtoIpcomp, Level::default_)});
    auto r = round_trip(e);
    ASSERT_EQ(r.requests.size(), 3u);
    EXPECT_EQ(r.requests[0].level, Level::require);
    EXPECT_EQ(r.requests[1].level, Level::use);
    EXPECT_EQ(r.requests[2].level, Level::require); // `default` never comes back on Linux
    EXPECT_EQ(r.requests[2].proto, model::kProtoIpcomp);
    EXPECT_FALSE(r.requests[0].src);
}

TEST(XfrmCodecPolicy, Ipv6PortsUpperProtocolAndPriority) {
    auto e = spd(sel("fd00::", 64, 443), sel("fd01::1", 128), 6, Direction::fwd, Action::ipsec,
                 {tunnel(model::kProtoEsp, "fd10::1", "fd10::2", Level::require)});
    e.policy.priority = model::kPriorityDefault - 10;
    auto r = round_trip(e);
    EXPECT_EQ(r.src.addr, ip("fd00::"));
    EXPECT_EQ(r.src.prefixlen, 64);
    EXPECT_EQ(r.src.port, 443);
    EXPECT_EQ(r.dst.port, 0);
    EXPECT_EQ(r.upper, 6);
    EXPECT_EQ(r.dir, Direction::fwd);
    EXPECT_EQ(r.raw_dir, 3);
    EXPECT_EQ(r.priority, model::kPriorityDefault - 10);
    ASSERT_EQ(r.requests.size(), 1u);
    EXPECT_EQ(r.requests[0].dst->addr, ip("fd10::2"));
}

TEST(XfrmCodecPolicy, IcmpTypeAndCodeTravelInThePorts) {
    auto e = spd(sel("::", 0, 135), sel("::", 0, 0), 58, Direction::in, Action::none);
    e.has_misc = true;
    auto r = round_trip(e);
    EXPECT_EQ(r.src.port, 135);
    EXPECT_EQ(r.upper, 58);
    EXPECT_EQ(r.action, Action::none);
    EXPECT_TRUE(r.requests.empty());
}

TEST(XfrmCodecPolicy, DiscardIsBlockAndNoneIsAllowWithoutTemplates) {
    auto e = spd(sel("10.0.0.0", 8), sel("10.0.0.0", 8), 17, Direction::out, Action::discard);
    EXPECT_EQ(round_trip(e).action, Action::discard);
    EXPECT_EQ(round_trip(e).raw_action, 0);
    e.policy.action = Action::none;
    EXPECT_EQ(round_trip(e).action, Action::none);
}

TEST(XfrmCodecPolicy, EntrustAndBypassDoNotExistInXfrm) {
    auto e = spd(sel("10.0.0.0", 8), sel("10.0.0.0", 8), 17, Direction::out, Action::bypass);
    try {
        encode_policy(e, 1);
        FAIL() << "encoded";
    } catch (const EncodeError& err) {
        EXPECT_EQ(err.error, EINVAL);
    }
}

TEST(XfrmCodecPolicy, SecurityContextRoundTrips) {
    auto e = spd(sel("10.0.0.1", 32), sel("10.0.0.2", 32), model::kProtoAny, Direction::out,
                 Action::ipsec, {transport(model::kProtoEsp, Level::require)});
    e.ctx = model::SecurityContext{1, 1, "system_u:system_r:unconfined_t:s0"};
    auto r = round_trip(e);
    ASSERT_TRUE(r.ctx);
    EXPECT_EQ(*r.ctx, *e.ctx);
}

TEST(XfrmCodecPolicy, DeleteAndUpdateUseTheirMessageTypes) {
    auto e = spd(sel("10.0.0.1", 32), sel("10.0.0.2", 32), model::kProtoAny, Direction::out,
                 Action::none);
    e.kind = model::SpdEntry::Kind::update;
    EXPECT_EQ(decode_message(encode_policy(e, 1)).header.type, 0x19); // XFRM_MSG_UPDPOLICY
    e.kind = model::SpdEntry::Kind::remove;
    auto d = decode_message(encode_policy(e, 1));
    EXPECT_EQ(d.header.type, 0x14); // XFRM_MSG_DELPOLICY
    EXPECT_TRUE(std::holds_alternative<Other>(d.body)); // a request carries no XFRMA_POLICY
}

} // namespace
} // namespace setkey::xfrm
