// Every priority form of libipsec's policy language and its numeric value.
#include <gtest/gtest.h>

#include "grammar_test_support.hpp"
#include "pfkey/codec.hpp"
#include "xfrm/codec.hpp"

namespace setkey::grammar::test {
namespace {

uint32_t priority_of(const std::string& prio) {
    auto r = parse("spdadd 10.0.0.1 10.0.0.2 any -P out " + prio + " none;");
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->render() : "");
    if (!r.ok()) return 0;
    return std::get<model::SpdEntry>(r.statements.at(0).command).policy.priority;
}

TEST(PolicyPriority, DefaultWithoutPriority) { EXPECT_EQ(priority_of(""), 0x80000000u); }

TEST(PolicyPriority, PlainOffsetMovesEarlier) {
    EXPECT_EQ(priority_of("priority 10"), 0x80000000u - 10);
    EXPECT_EQ(priority_of("prio 10"), 0x80000000u - 10);
    EXPECT_EQ(priority_of("prio 1073741824"), 0x40000000u);
}

TEST(PolicyPriority, NegativeOffsetMovesLater) {
    EXPECT_EQ(priority_of("prio -10"), 0x80000000u + 10);
    EXPECT_EQ(priority_of("prio - 10"), 0x80000000u + 10);
    EXPECT_EQ(priority_of("prio -1073741823"), 0xbfffffffu);
}

TEST(PolicyPriority, NamedBases) {
    EXPECT_EQ(priority_of("prio low"), 0xc0000000u);
    EXPECT_EQ(priority_of("prio def"), 0x80000000u);
    EXPECT_EQ(priority_of("prio high"), 0x40000000u);
}

TEST(PolicyPriority, BasePlusOffsetIsEarlierAndMinusIsLater) {
    EXPECT_EQ(priority_of("prio def + 10"), 0x80000000u - 10);
    EXPECT_EQ(priority_of("prio def+10"), 0x80000000u - 10);
    EXPECT_EQ(priority_of("prio low - 5"), 0xc0000000u + 5);
    EXPECT_EQ(priority_of("prio high + 1073741824"), 0u);
    EXPECT_EQ(priority_of("prio low - 1073741823"), 0xffffffffu);
    EXPECT_EQ(priority_of("prio high-5"), 0x40000000u + 5); // libipsec lexes high, -, 5
}

TEST(PolicyPriority, PlainFormsTakeTheWholeSigned32BitRangeOf082) {
    // 0.8.2 range-checks "prio N" and "prio -N" only against INT32, not the base-offset limits.
    EXPECT_EQ(priority_of("priority 2147483647"), 1u);
    EXPECT_EQ(priority_of("priority 2147483648"), 0u); // 0x80000000 - 2^31: the earliest slot
    EXPECT_EQ(priority_of("priority -1073741824"), 0xc0000000u);
    EXPECT_EQ(priority_of("priority -2147483647"), 0xffffffffu);
    EXPECT_EQ(priority_of("prio - 2147483647"), 0xffffffffu);
}

TEST(PolicyPriority, WidePlainPriorityIsTheValueEncodedForTheKernel) {
    for (auto [prio, value] : {std::pair{"priority 2147483647", 1u}, {"priority -1073741824", 0xc0000000u},
                               {"priority -2147483647", 0xffffffffu}}) {
        auto r = parse(std::string("spdadd 10.0.0.1 10.0.0.2 any -P out ") + prio + " none;");
        ASSERT_TRUE(r.ok()) << prio;
        const auto& entry = std::get<model::SpdEntry>(r.statements.at(0).command);
        auto pfkey_msg = pfkey::decode_message(pfkey::encode_policy(entry, {}));
        ASSERT_TRUE(pfkey_msg.policy) << prio;
        EXPECT_EQ(pfkey_msg.policy->priority, value) << prio;
        auto xfrm_msg = xfrm::decode_message(xfrm::encode_policy(entry, 1));
        auto* policy = std::get_if<model::PolicyRecord>(&xfrm_msg.body);
        ASSERT_TRUE(policy) << prio;
        EXPECT_EQ(policy->priority, value) << prio;
    }
}

TEST(PolicyPriority, OffsetsBeyondLibipsecLimitsAreRejected) {
    for (const char* bad : {"prio def + 1073741825", "prio def - 1073741824", "prio high + 1073741825",
                            "prio low - 1073741824"}) {
        auto r = parse(std::string("spdadd 10.0.0.1 10.0.0.2 any -P out ") + bad + " none;");
        ASSERT_TRUE(r.error) << bad;
        EXPECT_NE(r.error->message.find("priority offset"), std::string::npos) << r.error->message;
    }
}

TEST(PolicyPriority, PlainFormsBeyondInt32AreRejected) {
    for (const char* bad : {"prio 2147483649", "prio -2147483648", "prio 99999999999999999999"}) {
        auto r = parse(std::string("spdadd 10.0.0.1 10.0.0.2 any -P out ") + bad + " none;");
        ASSERT_TRUE(r.error) << bad;
        EXPECT_NE(r.error->message.find("is out of range"), std::string::npos) << r.error->message;
    }
}

} // namespace
} // namespace setkey::grammar::test
