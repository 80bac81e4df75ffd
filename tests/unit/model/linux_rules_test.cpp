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
