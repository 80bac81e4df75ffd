// 0.8.2 pitfalls that install something other than what the text seems to say get a
// positioned warning (the statement is still accepted, as 0.8.2 accepted it).
#include <gtest/gtest.h>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

std::vector<std::string> warnings_of(std::string_view text) {
    auto r = parse(text);
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->render() : "");
    std::vector<std::string> out;
    for (const auto& w : r.warnings) out.push_back(w.render());
    return out;
}

TEST(PitfallWarnings, IcmpEchoReplyIsAnyIcmpOnTheWire) {
    EXPECT_EQ(warnings_of("spdadd 10.0.0.1 10.0.0.2 icmp 0,0 -P out none;\n"),
              std::vector<std::string>{
                  "setkey: input:1:31: warning: icmp 0,0 (echo reply) is type 0 code 0, which the kernel reads as any "
                  "type and code: this policy matches every ICMP message\n"
                  "spdadd 10.0.0.1 10.0.0.2 icmp 0,0 -P out none;\n"
                  "                              ^\n"});
}

TEST(PitfallWarnings, Icmp6AndMhZeroZeroAreAnyToo) {
    EXPECT_EQ(warnings_of("spdadd ::1 ::2 icmp6 0,0 -P out none;\n"),
              std::vector<std::string>{
                  "setkey: input:1:22: warning: icmp6 0,0 is type 0 code 0, which the kernel reads as any type and "
                  "code: this policy matches every ICMPv6 message\n"
                  "spdadd ::1 ::2 icmp6 0,0 -P out none;\n"
                  "                     ^\n"});
    EXPECT_EQ(warnings_of("spdadd ::1 ::2 135 0,0 -P out none;\n").size(), 1u);
}

// On a kernel that keeps no security contexts each -ctx is warned about at its string
// (an SA's and a policy's); where the kernel keeps them, nothing is said.
TEST(PitfallWarnings, AContextTheKernelDropsIsWarnedAbout) {
    ParseOptions o;
    o.filename = "input";
    o.resolve_names = false;
    o.contexts_dropped = true;
    const std::string script = "add 10.0.0.1 10.0.0.2 esp 0x1000 -ctx 1 1 \"u:r:t:s0\" -E null;\n"
                               "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"u:r:t:s0\" -P out none;\n";
    const ParseResult r = parse_script(script, o);
    ASSERT_TRUE(r.ok()) << r.error->render();
    ASSERT_EQ(r.warnings.size(), 2u);
    EXPECT_EQ(r.warnings[1].render(),
              "setkey: input:2:39: warning: this kernel keeps no security contexts (it runs no SELinux, the only "
              "keeper of XFRM contexts): it takes the entry as if this one were not given\n"
              "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"u:r:t:s0\" -P out none;\n"
              "                                      ^\n");
    EXPECT_EQ(r.warnings[0].line, 1u);
    EXPECT_EQ(r.warnings[0].column, 43u);
    EXPECT_TRUE(warnings_of(script).empty());
}

// A part with a leading 0 is octal, as 0.8.2 read it: said where it changes the address.
TEST(PitfallWarnings, AnOctalPartOfAnAddressIsSaid) {
    EXPECT_EQ(warnings_of("spdadd 192.168.001.010 10.0.0.2 any -P out ipsec esp/tunnel/10.1.1.01-10.0.0.010/require;\n"),
              (std::vector<std::string>{
                  "setkey: input:1:8: warning: '192.168.001.010' is 192.168.1.8: a part with a leading 0 is octal, as "
                  "0.8.2 read it (inet_aton); write it without the 0 for decimal\n"
                  "spdadd 192.168.001.010 10.0.0.2 any -P out ipsec esp/tunnel/10.1.1.01-10.0.0.010/require;\n"
                  "       ^\n",
                  "setkey: input:1:71: warning: '10.0.0.010' is 10.0.0.8: a part with a leading 0 is octal, as "
                  "0.8.2 read it (inet_aton); write it without the 0 for decimal\n"
                  "spdadd 192.168.001.010 10.0.0.2 any -P out ipsec esp/tunnel/10.1.1.01-10.0.0.010/require;\n"
                  "                                                                      ^\n"}));
    const auto r = parse("add 010.0.0.1 10.0.0.2 esp 0x1000 -E null;\n");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<model::AddSa>(r.statements[0].command).key.src.addr.to_string(), "8.0.0.1");
    EXPECT_EQ(error_of("add 09.0.0.1 10.0.0.2 esp 0x1000 -E null;\n"),
              "setkey: input:1:5: '09.0.0.1' is not an IPv4 address: a part with a leading 0 is octal (as 0.8.2 read "
              "it), and octal parts are 0 to 0377 with the digits 0 to 7\n"
              "add 09.0.0.1 10.0.0.2 esp 0x1000 -E null;\n"
              "    ^\n");
}

TEST(PitfallWarnings, OtherTypesAndCodesAreQuiet) {
    EXPECT_TRUE(warnings_of("spdadd 10.0.0.1 10.0.0.2 icmp 8,0 -P out none;\n").empty());
    EXPECT_TRUE(warnings_of("spdadd 10.0.0.1 10.0.0.2 icmp 3,1 -P out none;\n").empty());
}

TEST(PitfallWarnings, ScopeOnAPolicySelectorIsDropped) {
    EXPECT_EQ(warnings_of("spdadd fe80::1%1 fe80::2 any -P out none;\n"),
              std::vector<std::string>{
                  "setkey: input:1:8: warning: 'fe80::1%1': the kernel keeps no scope in a policy selector; %1 is "
                  "dropped and the policy matches fe80::1 on every interface\n"
                  "spdadd fe80::1%1 fe80::2 any -P out none;\n"
                  "       ^\n"});
}

TEST(PitfallWarnings, ScopeOnATunnelEndpointIsDropped) {
    EXPECT_EQ(warnings_of("spdadd ::1 ::2 any -P out ipsec esp/tunnel/fe80::1-fe80::2%1/require;\n"),
              std::vector<std::string>{
                  "setkey: input:1:52: warning: 'fe80::2%1': the kernel keeps no scope in a tunnel endpoint; %1 is "
                  "dropped\n"
                  "spdadd ::1 ::2 any -P out ipsec esp/tunnel/fe80::1-fe80::2%1/require;\n"
                  "                                                   ^\n"});
}

TEST(PitfallWarnings, ScopeOnAnSaAddressIsNotWarnedAbout) {
    EXPECT_TRUE(warnings_of("add fe80::1%1 fe80::2 esp 1 -E null;\n").empty());
}

} // namespace
} // namespace setkey::grammar::test
