#include "model/linux_rules.hpp"

#include <gtest/gtest.h>

using namespace setkey::model;

TEST(FwdCompanion, OnlyForInbound) {
    SpdEntry out;
    out.policy.dir = Direction::out;
    EXPECT_FALSE(fwd_companion(out).has_value());
}

TEST(FwdCompanion, CopiesWithFwdAndDowngradesFirstUnique) {
    SpdEntry in;
    in.policy.dir = Direction::in;
    in.policy.action = Action::ipsec;
    in.policy.requests = {IpsecRequest{kProtoEsp, Mode::tunnel, Level::unique, 5, {}, {}},
                          IpsecRequest{kProtoAh, Mode::transport, Level::unique, 7, {}, {}}};
    auto fwd = fwd_companion(in);
    ASSERT_TRUE(fwd.has_value());
    EXPECT_EQ(fwd->policy.dir, Direction::fwd);
    EXPECT_EQ(fwd->policy.requests[0].level, Level::require);
    EXPECT_EQ(fwd->policy.requests[0].reqid, 0u);
    EXPECT_EQ(fwd->policy.requests[1].level, Level::unique); // only the first one
    EXPECT_EQ(fwd->policy.requests[1].reqid, 7u);
    EXPECT_EQ(fwd->src, in.src);
}

TEST(FwdCompanion, CarriesTheMarkAndIfId) {
    SpdEntry in;
    in.policy.dir = Direction::in;
    in.xfrm.mark = Mark{5, 0xff};
    in.xfrm.if_id = 7;
    const auto fwd = fwd_companion(in);
    ASSERT_TRUE(fwd);
    EXPECT_EQ(fwd->xfrm.mark, (Mark{5, 0xff}));
    EXPECT_EQ(fwd->xfrm.if_id, 7u);
}

namespace {
SaRecord record(const char* src, const char* dst, SaType type, std::optional<Mark> mark) {
    SaRecord r;
    r.src = *IpAddress::parse(src);
    r.dst = *IpAddress::parse(dst);
    r.satype = type;
    r.mark = mark;
    return r;
}
} // namespace

TEST(DeleteallTakes, TheSasBetweenExactlyTheTwoHostsOfItsProtocol) {
    DeleteAllSa all{*IpAddress::parse("10.0.0.1"), *IpAddress::parse("10.0.0.2"), {}};
    EXPECT_TRUE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, std::nullopt)));
    EXPECT_TRUE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, Mark{5, 0xff})));
    EXPECT_FALSE(deleteall_takes(all, record("10.0.0.2", "10.0.0.1", SaType::esp, std::nullopt)));
    EXPECT_FALSE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::ah, std::nullopt)));
}

TEST(DeleteallTakes, WithAMarkOnlyThoseWithExactlyThatMark) {
    DeleteAllSa all{*IpAddress::parse("10.0.0.1"), *IpAddress::parse("10.0.0.2"), {}, Mark{5, 0xff}};
    EXPECT_TRUE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, Mark{5, 0xff})));
    EXPECT_FALSE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, Mark{5, 0xffffffffu})));
    EXPECT_FALSE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, Mark{6, 0xff})));
    EXPECT_FALSE(deleteall_takes(all, record("10.0.0.1", "10.0.0.2", SaType::esp, std::nullopt)));
    SaKey key;
    key.src.addr = *IpAddress::parse("10.0.0.1");
    key.dst.addr = *IpAddress::parse("10.0.0.2");
    key.mark = Mark{5, 0xff};
    EXPECT_TRUE(deleteall_takes(all, key));
    key.mark.reset();
    EXPECT_FALSE(deleteall_takes(all, key));
}
