// Address errors name the word and what failed, instead of the resolver's one-size text.
#include <gtest/gtest.h>
#include <netdb.h>

#include "grammar/address_text.hpp"
#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

std::string resolving_error_of(std::string_view text) {
    ParseOptions o;
    o.filename = "input";
    o.resolve_names = true;
    auto r = parse_script(text, o);
    return r.error ? r.error->render() : std::string();
}

TEST(AddressMessages, DottedQuadWithAnOctetAbove255IsNeverLookedUp) {
    // Resolution is off in error_of: the message must come before any lookup would.
    EXPECT_EQ(error_of("add 10.0.0.256 10.0.0.2 esp 1 -E null;\n"),
              "setkey: input:1:5: '10.0.0.256' is not an IPv4 address (256 is above 255)\n"
              "add 10.0.0.256 10.0.0.2 esp 1 -E null;\n"
              "    ^\n");
    EXPECT_EQ(resolving_error_of("spdadd 10.0.0.1 300.0.0.1 any -P out none;\n"),
              "setkey: input:1:17: '300.0.0.1' is not an IPv4 address (300 is above 255)\n"
              "spdadd 10.0.0.1 300.0.0.1 any -P out none;\n"
              "                ^\n");
}

TEST(AddressMessages, UnknownScopeInterfaceIsNamed) {
    EXPECT_EQ(resolving_error_of("spdadd fe80::1%nosuchif fe80::2 any -P out none;\n"),
              "setkey: input:1:8: 'fe80::1%nosuchif': no such interface 'nosuchif'\n"
              "spdadd fe80::1%nosuchif fe80::2 any -P out none;\n"
              "       ^\n");
    EXPECT_EQ(numeric_address_problem("fe80::1%99999999999"),
              "'fe80::1%99999999999': scope id 99999999999 is out of range (at most 4294967295)");
}

TEST(AddressMessages, TextWithAColonThatIsNoIpv6AddressIsNotLookedUp) {
    EXPECT_EQ(error_of("add fe80::zz 10.0.0.2 esp 1 -E null;\n"),
              "setkey: input:1:5: 'fe80::zz' is not an IPv6 address\n"
              "add fe80::zz 10.0.0.2 esp 1 -E null;\n"
              "    ^\n");
}

TEST(AddressMessages, TunnelEndpointsExplainWhyTheyAreNoAddress) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.300/require;\n"),
              "setkey: input:1:63: '10.0.0.300' is not an IPv4 address (300 is above 255)\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.300/require;\n"
              "                                                              ^\n");
}

TEST(AddressMessages, WordsThatMayBeNamesStillGoToTheResolver) {
    EXPECT_EQ(numeric_address_problem("gateway.example"), std::nullopt);
    EXPECT_EQ(numeric_address_problem("10.0.1"), std::nullopt);      // inet_aton's short form
    EXPECT_EQ(numeric_address_problem("10.0.0.0300"), std::nullopt); // inet_aton's octal
    EXPECT_EQ(numeric_address_problem("10.0.0.1"), std::nullopt);
    EXPECT_EQ(numeric_address_problem("fe80::1%lo"), std::nullopt);
}

TEST(AddressMessages, ResolverFailuresSayWhatFailed) {
    EXPECT_EQ(resolver_failure(EAI_NONAME, std::nullopt), "no such host");
    EXPECT_EQ(resolver_failure(EAI_ADDRFAMILY, model::Family::inet6), "no IPv6 address");
    EXPECT_EQ(resolver_failure(EAI_NODATA, model::Family::inet), "no IPv4 address");
}

TEST(AddressMessages, UnresolvableHostIsNamed) {
    // .invalid never resolves (RFC 6761); without a name server the lookup fails temporarily.
    std::string e = resolving_error_of("add nonexistent.invalid 10.0.0.2 esp 1 -E null;\n");
    std::string tail = "\nadd nonexistent.invalid 10.0.0.2 esp 1 -E null;\n    ^\n";
    EXPECT_TRUE(e == "setkey: input:1:5: 'nonexistent.invalid': no such host" + tail ||
                e == "setkey: input:1:5: 'nonexistent.invalid': the name server could not be reached "
                     "(temporary failure in name resolution)" + tail)
        << e;
}

} // namespace
} // namespace setkey::grammar::test
