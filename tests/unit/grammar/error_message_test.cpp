// Whole rendered errors: "setkey: FILE:LINE:COL: message", the source line, a caret.
#include <gtest/gtest.h>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

TEST(ErrorMessages, UnknownCommandSuggestsTheClosestKeyword) {
    EXPECT_EQ(error_of("ad 10.0.0.1 10.0.0.2 esp 1 -E null;\n"),
              "setkey: input:1:1: unknown command 'ad'; did you mean 'add'?\n"
              "ad 10.0.0.1 10.0.0.2 esp 1 -E null;\n"
              "^\n");
}

TEST(ErrorMessages, UpperCaseKeywordsAreNotKeywords) {
    EXPECT_EQ(error_of("flush;\n"
              "ADD 10.0.0.1 10.0.0.2 esp 1 -E null;\n"),
              "setkey: input:2:1: unknown command 'ADD'; keywords are lower-case: did you mean 'add'?\n"
              "ADD 10.0.0.1 10.0.0.2 esp 1 -E null;\n"
              "^\n");
}

TEST(ErrorMessages, UnknownAlgorithmSuggestsTheClosestName) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbd 0x00112233445566778899aabbccddeeff;\n"),
              "setkey: input:1:37: unknown encryption algorithm 'aes-cbd'; did you mean 'aes-cbc'?\n"
              "add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbd 0x00112233445566778899aabbccddeeff;\n"
              "                                    ^\n");
}

TEST(ErrorMessages, KeyLengthOnAContinuationLineKeepsTheTabInTheCaretLine) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 0x1000\n"
              "\t-E aes-cbc 0x0011223344;\n"),
              "setkey: input:2:13: invalid key length for aes-cbc: 40 bits given, it takes 128, 192 or 256 bits\n"
              "\t-E aes-cbc 0x0011223344;\n"
              "\t           ^\n");
}

TEST(ErrorMessages, HexSpiAboveThirtyTwoBits) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 0x100000000 -E null;\n"),
              "setkey: input:1:27: SPI too big: an SPI has 32 bits (at most 0xffffffff)\n"
              "add 10.0.0.1 10.0.0.2 esp 0x100000000 -E null;\n"
              "                          ^\n");
}

TEST(ErrorMessages, DecimalSpiOverflow) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 4294967296 -E null;\n"),
              "setkey: input:1:27: SPI out of range: an SPI has 32 bits (at most 4294967295)\n"
              "add 10.0.0.1 10.0.0.2 esp 4294967296 -E null;\n"
              "                          ^\n");
}

TEST(ErrorMessages, NullTakesNoKey) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E null \"\";\n"),
              "setkey: input:1:37: null takes no key\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E null \"\";\n"
              "                                    ^\n");
}

TEST(ErrorMessages, MissingSemicolonAtEndOfInput) {
    EXPECT_EQ(error_of("flush"),
              "setkey: input:1:6: expected a protocol or ';'\n"
              "flush\n"
              "     ^\n");
}

// Blank lines and a comment after the last statement do not move the error past the end.
TEST(ErrorMessages, MissingSemicolonOfTheLastStatementIsPlacedAfterItsLastToken) {
    EXPECT_EQ(error_of("flush;\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out none\n"
              "\n\n"),
              "setkey: input:2:41: expected ';' to end the policy\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out none\n"
              "                                        ^\n");
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 0x1000 -E null\t# the last\n\n"),
              "setkey: input:1:41: expected an option (-m, -u, -r, -f, -lh, -ls, -bh, -bs, -ctx, -mark, -if_id, "
              "-output_mark), an algorithm (-E, -A, -C) or ';'\n"
              "add 10.0.0.1 10.0.0.2 esp 0x1000 -E null\t# the last\n"
              "                                        ^\n");
    // A comment line after it, a comment right behind it: no hint about the '#'.
    EXPECT_EQ(error_of("spdflush\n# comment\n\n"), "setkey: input:1:9: expected ';'\nspdflush\n        ^\n");
    EXPECT_EQ(error_of("spdflush# c\n"), "setkey: input:1:9: expected ';'\nspdflush# c\n        ^\n");
    // A quoted key over two lines is one token, '#' and all.
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 0x100 -E aes-cbc \"0123456\n#xyz5678\"\n").substr(0, 21),
              "setkey: input:2:10: e");
    // A vertical tab is no blank: the error stays at it, with its hint.
    EXPECT_EQ(error_of("spdflush;\n\v\n"),
              "setkey: input:2:1: expected a command (add, delete, spdadd, flush, ...); unexpected byte outside "
              "quotes\n?\n^\n");
}

TEST(ErrorMessages, AByteOrderMarkIsNamed) {
    EXPECT_EQ(error_of("\xef\xbb\xbf" "flush;\n"),
              "setkey: input:1:1: expected a command (add, delete, spdadd, flush, ...); the text begins with a "
              "UTF-8 byte order mark (bytes EF BB BF): save it without one\n"
              "\xef\xbb\xbf" "flush;\n^\n");
    // Elsewhere the same bytes are just a byte outside quotes.
    EXPECT_EQ(error_of("flush; \xef\xbb\xbf" "flush;\n").substr(0, 104),
              "setkey: input:1:8: expected a command (add, delete, spdadd, flush, ...); unexpected byte outside "
              "quotes\n");
}

// The caret stands under the character: a UTF-8 character before it is one column
// (the column number counts bytes, as editors' "go to column" does).
TEST(ErrorMessages, TheCaretCountsUtf8CharactersNotBytes) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"syst\xc3\xa8me_u\" -P outt none;\n"),
              "setkey: input:1:55: unknown policy direction 'outt'; did you mean 'out'?\n"
              "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"syst\xc3\xa8me_u\" -P outt none;\n"
              "                                                     ^\n");
    // Invalid UTF-8 (Latin-1 bytes): one column each.
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"\xb0\xb1\" -P outt none;\n"),
              "setkey: input:1:47: unknown policy direction 'outt'; did you mean 'out'?\n"
              "spdadd 10.0.0.1 10.0.0.2 any -ctx 1 1 \"\xb0\xb1\" -P outt none;\n"
              "                                              ^\n");
}

TEST(ErrorMessages, BackslashIsNotALineContinuation) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -m tunnel \\\n"
              "  -E null;\n"),
              "setkey: input:1:39: expected an option (-m, -u, -r, -f, -lh, -ls, -bh, -bs, -ctx, -mark, -if_id, -output_mark), an algorithm (-E, -A, -C) or ';'; there is no line continuation: a statement may simply span lines\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -m tunnel \\\n"
              "                                      ^\n");
}

TEST(ErrorMessages, PrefixLengthOutOfRange) {
    EXPECT_EQ(error_of("spdadd 10.0.0.0/33 10.0.1.0/24 any -P out none;\n"),
              "setkey: input:1:17: prefix length 33 is out of range for an IPv4 address (0 to 32)\n"
              "spdadd 10.0.0.0/33 10.0.1.0/24 any -P out none;\n"
              "                ^\n");
}

TEST(ErrorMessages, PortOutOfRange) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1[70000] 10.0.1.1 any -P out none;\n"),
              "setkey: input:1:17: port 70000 is out of range (0 to 65535)\n"
              "spdadd 10.0.0.1[70000] 10.0.1.1 any -P out none;\n"
              "                ^\n");
}

TEST(ErrorMessages, TunnelModeNeedsEndpoints) {
    EXPECT_EQ(error_of("spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel//require;\n"),
              "setkey: input:1:49: tunnel mode needs both endpoints: PROTO/tunnel/SRC-DST/LEVEL\n"
              "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel//require;\n"
              "                                                ^\n");
}

TEST(ErrorMessages, TunnelEndpointFamilyMismatch) {
    EXPECT_EQ(error_of("spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel/10.0.0.1-::1/require;\n"),
              "setkey: input:1:69: family mismatch: the tunnel source is IPv4, the destination IPv6\n"
              "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel/10.0.0.1-::1/require;\n"
              "                                                                    ^\n");
}

TEST(ErrorMessages, MisspelledPolicyDirection) {
    EXPECT_EQ(error_of("spdadd 10.0.0.0/24 10.0.1.0/24 any -P ot none;\n"),
              "setkey: input:1:39: unknown policy direction 'ot'; did you mean 'out'?\n"
              "spdadd 10.0.0.0/24 10.0.1.0/24 any -P ot none;\n"
              "                                      ^\n");
}

TEST(ErrorMessages, ReplayWindowWithOldProtocol) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp-old 1 -r 32 -E des-cbc \"12345678\";\n"),
              "setkey: input:1:36: replay prevention (-r) cannot be used with ah-old or esp-old\n"
              "add 10.0.0.1 10.0.0.2 esp-old 1 -r 32 -E des-cbc \"12345678\";\n"
              "                                   ^\n");
}

TEST(ErrorMessages, AuthenticationWithAnAeadCipher) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 \"12345678901234567890\" -A hmac-sha1 \"12345678901234567890\";\n"),
              "setkey: input:1:69: aes-gcm-16 is an AEAD algorithm that authenticates by itself; -A cannot be combined with it\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 \"12345678901234567890\" -A hmac-sha1 \"12345678901234567890\";\n"
              "                                                                    ^\n");
}

TEST(ErrorMessages, EspWithoutEncryption) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -A hmac-md5 \"1234567890123456\";\n"),
              "setkey: input:1:59: an ESP SA needs an encryption algorithm: -E ALGORITHM KEY\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -A hmac-md5 \"1234567890123456\";\n"
              "                                                          ^\n");
}

TEST(ErrorMessages, ReservedWordAsUpperLayerProtocol) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 esp -P out none;\n"),
              "setkey: input:1:26: invalid upper layer protocol 'esp': it is a reserved word; write its number, 50\n"
              "spdadd 10.0.0.1 10.0.0.2 esp -P out none;\n"
              "                         ^\n");
}

TEST(ErrorMessages, UnterminatedQuoteIsReportedAtTheQuote) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc \"1234567;\n"),
              "setkey: input:1:40: unterminated quoted string\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc \"1234567;\n"
              "                                       ^\n");
}

TEST(ErrorMessages, OptionsComeBeforeAlgorithms) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0x0011223344556677 -m tunnel;\n"),
              "setkey: input:1:59: expected an option (-m, -u, -r, -f, -lh, -ls, -bh, -bs, -ctx, -mark, -if_id, -output_mark), an algorithm (-E, -A, -C) or ';'\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0x0011223344556677 -m tunnel;\n"
              "                                                          ^\n");
}

TEST(ErrorMessages, AuthenticationAlgorithmGivenToMinusE) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E hmac-sha1 \"12345678901234567890\";\n"),
              "setkey: input:1:32: unknown encryption algorithm 'hmac-sha1'; 'hmac-sha1' is an authentication algorithm: write it after -A\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E hmac-sha1 \"12345678901234567890\";\n"
              "                               ^\n");
}

TEST(ErrorMessages, PriorityOffsetOutOfRange) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out prio def + 2000000000 none;\n"),
              "setkey: input:1:48: priority offset 2000000000 is out of range (at most 1073741824)\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out prio def + 2000000000 none;\n"
              "                                               ^\n");
}

TEST(ErrorMessages, PlainPriorityOutOfRange) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out prio 2147483649 none;\n"),
              "setkey: input:1:42: priority 2147483649 is out of range (at most 2147483648)\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out prio 2147483649 none;\n"
              "                                         ^\n");
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out prio -2147483648 none;\n"),
              "setkey: input:1:43: priority -2147483648 is out of range (at least -2147483647)\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out prio -2147483648 none;\n"
              "                                          ^\n");
}

TEST(ErrorMessages, SpdaddNeedsAnAction) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out;\n"),
              "setkey: input:1:36: spdadd needs a policy action after the direction (discard, none, ipsec, entrust or bypass)\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out;\n"
              "                                   ^\n");
}

TEST(ErrorMessages, SourceAndDestinationFamiliesDiffer) {
    EXPECT_EQ(error_of("get 10.0.0.1 ::1 esp 1;\n"),
              "setkey: input:1:14: the source is an IPv4 address but the destination is IPv6\n"
              "get 10.0.0.1 ::1 esp 1;\n"
              "             ^\n");
}

TEST(ErrorMessages, IcmpNeedsTypeAndCode) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 icmp 8 -P out none;\n"),
              "setkey: input:1:31: expected TYPE,CODE (each 0 to 255) after the upper-layer protocol, got '8'\n"
              "spdadd 10.0.0.1 10.0.0.2 icmp 8 -P out none;\n"
              "                              ^\n");
}

TEST(ErrorMessages, LoneSemicolon) {
    EXPECT_EQ(error_of(";\n"),
              "setkey: input:1:1: expected a command (add, delete, spdadd, flush, ...)\n"
              ";\n"
              "^\n");
}

TEST(ErrorMessages, RequestWithoutMode) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/require;\n"),
              "setkey: input:1:47: unknown ipsec request mode 'require'; expected transport or tunnel\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/require;\n"
              "                                              ^\n");
}

TEST(ErrorMessages, KeyedMd5IsNotInLinux) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0x0011223344556677 -A keyed-md5 \"1234567890123456\";\n"),
              "setkey: input:1:62: keyed-md5 is not supported by Linux (the kernel has no such algorithm)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0x0011223344556677 -A keyed-md5 \"1234567890123456\";\n"
              "                                                             ^\n");
}

TEST(ErrorMessages, NoCommentsInsidePolicyText) {
    EXPECT_EQ(error_of("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require # why\n;\n"),
              "setkey: input:1:66: expected ';' to end the policy; comments are not allowed inside -P policy text\n"
              "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require # why\n"
              "                                                                 ^\n");
}

TEST(ErrorMessages, FirstLineOffsetsLineNumbers) {
    ParseOptions o;
    o.filename = "-";
    o.first_line = 40; // -c mode: the chunk starts at line 40 of the input
    o.resolve_names = false;
    auto r = parse_script("flush;\nfoo;\n", o);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->render(), "setkey: -:41:1: unknown command 'foo'; expected add, update, getspi, get, delete, "
                                 "deleteall, flush, dump, spdadd, spdupdate, spddelete, spdflush, spddump, exit, "
                                 "quit or bye\nfoo;\n^\n");
}

TEST(ErrorMessages, WarningsRenderWithTheirPrefix) {
    auto r = parse("add 10.0.0.1 10.0.0.2 esp 1 -E simple;\n");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].render(), "setkey: input:1:32: warning: obsolete algorithm 'simple'; use 'null'\n"
                                      "add 10.0.0.1 10.0.0.2 esp 1 -E simple;\n"
                                      "                               ^\n");
}

} // namespace
} // namespace setkey::grammar::test
