// Lengths the wire or the kernel cannot carry are refused where the script says them
// (issue 8 item 1): more templates than XFRM_MAX_DEPTH, a security context longer than
// the kernel takes, a key whose bit count would wrap. The largest accepted values parse.
#include <gtest/gtest.h>

#include <string>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

// spdadd with `count` transport requests, one per line after the first.
std::string policy_with_requests(size_t count) {
    std::string s = "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec\n";
    for (size_t i = 0; i < count; ++i) s += "    esp/transport//require\n";
    return s + ";\n";
}

std::string policy_with_ctx(size_t bytes) {
    return "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"" + std::string(bytes, 'c') +
           "\" -P out none;\n";
}

TEST(WireLimits, SixTemplatesAreTheMostAPolicyTakes) {
    auto r = parse(policy_with_requests(6));
    ASSERT_FALSE(r.error) << r.error->render();
    ASSERT_EQ(r.statements.size(), 1u);
    EXPECT_EQ(std::get<model::SpdEntry>(r.statements[0].command).policy.requests.size(), 6u);
}

TEST(WireLimits, TheSeventhTemplateIsRefusedWhereItIsWritten) {
    EXPECT_EQ(error_of(policy_with_requests(7)),
              "setkey: input:8:5: too many ipsec requests: a policy takes at most 6 (the kernel's XFRM_MAX_DEPTH)\n"
              "    esp/transport//require\n"
              "    ^\n");
}

// The reproduction: 1 + 1024 templates on one line wrapped XFRMA_TMPL's 16-bit
// length; 200,000 were accepted by -n.
TEST(WireLimits, ThousandsOfTemplatesOnOneLineAreRefusedAtTheSeventh) {
    std::string line = "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ah/transport//require";
    for (int i = 0; i < 200000; ++i) line += " esp/transport//require";
    const std::string rendered = error_of(line + ";\n");
    const std::string column = std::to_string(std::string("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ").size() +
                                              std::string("ah/transport//require").size() +
                                              5 * std::string(" esp/transport//require").size() + 2);
    EXPECT_EQ(rendered.substr(0, rendered.find('\n')),
              "setkey: input:1:" + column + ": too many ipsec requests: a policy takes at most 6 (the kernel's "
              "XFRM_MAX_DEPTH)");
}

TEST(WireLimits, TheLongestSecurityContextParses) {
    auto r = parse(policy_with_ctx(4094));
    ASSERT_FALSE(r.error) << r.error->render().substr(0, 200);
    EXPECT_EQ(std::get<model::SpdEntry>(r.statements[0].command).ctx->context.size(), 4094u);
}

TEST(WireLimits, ASecurityContextTheKernelCannotTakeIsRefusedAtItsQuote) {
    const std::string rendered = error_of(policy_with_ctx(4095));
    EXPECT_EQ(rendered.substr(0, rendered.find('\n')),
              "setkey: input:1:39: security context of 4095 bytes is too long: the kernel takes at most 4094");
}

// 70,000 bytes wrapped the context's 16-bit lengths and let its tail be read as
// attributes of its own choosing.
TEST(WireLimits, ASeventyKilobyteSecurityContextIsRefusedForAnSaToo) {
    const std::string script = "add 10.0.0.1 10.0.0.2 esp 0x1000 -ctx 1 1 \"" + std::string(70000, 'x') +
                               "\" -E null;\n";
    const std::string rendered = error_of(script);
    EXPECT_EQ(rendered.substr(0, rendered.find('\n')),
              "setkey: input:1:43: security context of 70000 bytes is too long: the kernel takes at most 4094");
}

} // namespace
} // namespace setkey::grammar::test
