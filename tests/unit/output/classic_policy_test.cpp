// SP dump cases without real output in the corpus, from 0.8.2's documented layout
// (reference §3.2): priorities, per-socket policies, upper-layer specs, errors.
#include <gtest/gtest.h>

#include "output/classic.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using model::Action, model::Direction, model::Level, model::Mode;

class ClassicPolicy : public UtcTest {};

model::PolicyRecord any_out(Action action = Action::discard) {
    auto p = policy("10.0.0.0", 8, 0, "10.1.0.0", 16, 0, 255, Direction::out, action);
    p.current.reset();
    p.hard.reset();
    p.id = 8;
    return p;
}

// The second line: "\t<dir>[ prio ...] <action>".
std::string second_line(const model::PolicyRecord& p, const ClassicOptions& o = {}) {
    auto text = format_policy(p, o);
    auto start = text.find('\n') + 1;
    return text.substr(start, text.find('\n', start) - start);
}

TEST_F(ClassicPolicy, PriorityRendersBaseAndFlippedOffset) {
    auto p = any_out();
    const std::pair<uint32_t, std::string_view> cases[] = {
        {0, "\tout discard"},
        {0x40000000, "\tout prio high discard"},
        {0x40000000 - 5, "\tout prio high + 5"},
        {0x40000000 + 7, "\tout prio high - 7"},
        {0x5fffffff, "\tout prio high - 536870911"},
        {0x60000000, "\tout prio def + 536870912"},
        {0x80000000, "\tout prio def discard"},
        {0x80000000 + 10, "\tout prio def - 10"},
        {0xA0000000, "\tout prio low + 536870912"},
        {0xC0000000, "\tout prio low discard"},
        {0xC0000000 + 3, "\tout prio low - 3"},
        {0xFFFFFFFF, "\tout prio low - 1073741823"},
    };
    for (auto [prio, want] : cases) {
        p.priority = prio;
        auto got = second_line(p);
        EXPECT_EQ(got.substr(0, want.size()), want) << prio;
    }
    p.priority = 0x40000000 - 5;
    EXPECT_EQ(second_line(p), "\tout prio high + 5 discard");
}

TEST_F(ClassicPolicy, PerSocketPoliciesReplaceTheSelector) {
    auto p = any_out(Action::none);
    p.id = 11; // 11 % 8 == 3: Linux per-socket, inbound
    p.raw_dir = 4;
    EXPECT_EQ(format_policy(p, {}), "(per-socket policy) \n\tin(socket) prio def none\n\tspid=11 seq=0 pid=0\n\trefcnt=1\n");
    p.id = 12;
    p.raw_dir = 5;
    EXPECT_EQ(second_line(p), "\tout(socket) prio def none");
}

TEST_F(ClassicPolicy, WithoutSelectorTagOrFallbackText) {
    auto p = any_out();
    p.has_selector = false;
    EXPECT_EQ(format_policy(p, {}).substr(0, 43), "(no selector, probably per-socket policy) \n");
    p.tag = "web";
    EXPECT_EQ(format_policy(p, {}).substr(0, 14), "tagged \"web\" \n");
}

TEST_F(ClassicPolicy, UpperLayerSpecsAndTheirPortBrackets) {
    auto first_line = [](const model::PolicyRecord& p) {
        auto t = format_policy(p, {});
        return t.substr(0, t.find('\n'));
    };
    auto p = any_out();
    EXPECT_EQ(first_line(p), "10.0.0.0/8[any] 10.1.0.0/16[any] 255");
    p.upper = 17;
    p.src.port = 53;
    EXPECT_EQ(first_line(p), "10.0.0.0/8[53] 10.1.0.0/16[any] udp");
    p.upper = 1; // icmp: the ports are type and code, shown after the name
    p.src.port = 8;
    EXPECT_EQ(first_line(p), "10.0.0.0/8 10.1.0.0/16 icmp 8,0");
    p.src.port = 0;
    EXPECT_EQ(first_line(p), "10.0.0.0/8 10.1.0.0/16 icmp");
    p.upper = 47; // gre: the two 16-bit halves form the key
    p.src.port = 1;
    p.dst.port = 2;
    EXPECT_EQ(first_line(p), "10.0.0.0/8 10.1.0.0/16 gre 65538");
    p.upper = 253; // no /etc/protocols entry
    EXPECT_EQ(first_line(p), "10.0.0.0/8[1] 10.1.0.0/16[2] 253");
    p.src = {ip("10.0.0.1"), 32, 0};
    EXPECT_EQ(first_line(p), "10.0.0.1[any] 10.1.0.0/16[2] 253");
}

TEST_F(ClassicPolicy, TunnelEndpointsWithAndWithoutPorts) {
    auto p = any_out(Action::ipsec);
    auto r = request(model::kProtoAh, Mode::tunnel, Level::use);
    r.src = model::Endpoint{ip("fd00:1:1:1::1"), std::nullopt};
    r.dst = model::Endpoint{ip("fd00:1:1:1::2"), 4500};
    p.requests = {r, request(model::kProtoIpcomp, Mode::transport, Level::require, 0x4000)};
    auto text = format_policy(p, {});
    EXPECT_NE(text.find("\n\tah/tunnel/fd00:1:1:1::1-fd00:1:1:1::2/use\n\tipcomp/transport//require#16384\n"),
              std::string::npos)
        << text;
    text = format_policy(p, {.with_ports = true});
    EXPECT_NE(text.find("\n\tah/tunnel/fd00:1:1:1::1[0]-fd00:1:1:1::2[4500]/use\n"), std::string::npos) << text;
}

TEST_F(ClassicPolicy, UnrenderableValuesPrintLibipsecsError) {
    auto p = any_out(Action::ipsec);
    p.raw_dir = 6;
    EXPECT_EQ(second_line(p), "\tPolicy:[Invalid direciton]");
    p.raw_dir = 2;
    p.raw_action = 9;
    EXPECT_EQ(second_line(p), "\tPolicy:[Invalid security policy]");
    p.raw_action = 2;
    p.requests = {request(model::kProtoEsp, Mode::beet, Level::require)};
    EXPECT_EQ(second_line(p), "\tPolicy:[Invalid ipsec mode]");
    p.requests = {request(99, Mode::transport, Level::require)};
    EXPECT_EQ(second_line(p), "\tPolicy:[Invalid ipsec protocol]");
}

TEST_F(ClassicPolicy, LifetimeLinesOnlyWhenReported) {
    auto p = any_out();
    p.current = model::Lifetime{};
    p.current->add_time = kSmallAdded;
    p.current->use_time = kSmallAdded + 60;
    p.hard = model::Lifetime{};
    p.hard->add_time = 3600;
    p.hard->use_time = 600;
    EXPECT_EQ(format_policy(p, {}),
              "10.0.0.0/8[any] 10.1.0.0/16[any] 255\n"
              "\tout prio def discard\n"
              "\tcreated: Nov 27 05:24:35 2026  lastused: Nov 27 05:25:35 2026\n"
              "\tlifetime: 3600(s) validtime: 600(s)\n"
              "\tspid=8 seq=0 pid=0\n"
              "\trefcnt=1\n");
}

} // namespace
// af_key reports no endpoints for a transport template, so ipsec-tools prints none on
// Linux; XFRM keeps them, and the classic dump stays the same over both backends.
TEST_F(ClassicPolicy, TransportTemplateEndpointsAreNotPrinted) {
    auto p = any_out(Action::ipsec);
    model::IpsecRequest t;
    t.mode = Mode::transport;
    t.level = Level::unique;
    t.reqid = 12;
    t.src = model::Endpoint{*model::IpAddress::parse("10.44.0.1"), std::nullopt};
    t.dst = model::Endpoint{*model::IpAddress::parse("10.45.0.1"), std::nullopt};
    p.requests = {t};
    const std::string text = format_policy(p, {});
    EXPECT_NE(text.find("\n\tesp/transport//unique:12\n"), std::string::npos) << text;
}

} // namespace setkey::output
