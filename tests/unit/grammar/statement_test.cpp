// What the parser builds: field by field for the forms that have a subtle mapping.
#include <gtest/gtest.h>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

using namespace setkey::model;

template<class T> T only(const ParseResult& r) {
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->render() : "");
    EXPECT_EQ(r.statements.size(), 1u);
    return std::get<T>(r.statements.at(0).command);
}

TEST(Keys, OddHexDigitCountGetsALeadingZeroNibble) {
    auto r = parse("add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0x123456789abcdef;");
    EXPECT_EQ(only<AddSa>(r).enc->key, (std::vector<uint8_t>{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}));
}

TEST(Keys, HexDigitsAreCaseInsensitiveAndQuotedKeysAreRawBytes) {
    auto r = parse("add 10.0.0.1 10.0.0.2 esp 1 -E des-cbc 0XABcd0123ABCD0123 -A hmac-md5 \"0123456789abcdef\";");
    const auto& a = only<AddSa>(r);
    EXPECT_EQ(a.enc->key, (std::vector<uint8_t>{0xab, 0xcd, 0x01, 0x23, 0xab, 0xcd, 0x01, 0x23}));
    EXPECT_EQ(std::string(a.auth->key.begin(), a.auth->key.end()), "0123456789abcdef");
    EXPECT_EQ(a.auth->alg->name, "hmac-md5");
}

TEST(Keys, NullAlgorithmsCarryNoKey) {
    const auto& a = only<AddSa>(parse("add 10.0.0.1 10.0.0.2 esp 1 -E null -A null;"));
    EXPECT_TRUE(a.enc->key.empty());
    EXPECT_TRUE(a.auth->key.empty());
}

TEST(Keys, MissingKeyIsReportedWhereItWasExpected) {
    auto r = parse("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc ;");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->column, 40u);
    EXPECT_EQ(r.error->message, "aes-cbc needs a key: 0x followed by hex digits, or a \"quoted string\"");
}

TEST(AddCommand, ExtensionsAndFlags) {
    auto r = parse("add 10.0.0.1[4500] 10.0.0.2[any] esp-udp 0x1001 -m tunnel -u 7 -r 64 -f zero-pad "
                   "-f nocyclic-seq -lh 100 -ls 80 -bh 2000 -bs 1000 -esp_frag 552 -E aes-cbc "
                   "0x00112233445566778899aabbccddeeff;");
    const auto& a = only<AddSa>(r);
    EXPECT_EQ(a.key.spi, 0x1001u);
    EXPECT_EQ(a.key.mode, Mode::tunnel);
    EXPECT_EQ(a.key.reqid, 7u);
    EXPECT_EQ(a.replay, 64u); // kept as written; backends apply kernel limits
    EXPECT_EQ(a.flags, kSaFlagZeroPad);
    EXPECT_EQ(a.hard.add_seconds, 100u);
    EXPECT_EQ(a.soft.add_seconds, 80u);
    EXPECT_EQ(a.hard.bytes, 2000u);
    EXPECT_EQ(a.soft.bytes, 1000u);
    EXPECT_EQ(a.esp_frag, 552);
    EXPECT_TRUE(a.key.proto.udp_encap);
    EXPECT_EQ(a.key.src.port, 4500);
    EXPECT_EQ(a.key.dst.port, 0);
}

TEST(AddCommand, EsnFlagOnlyForEsp) {
    const auto& a = only<AddSa>(parse("add 10.0.0.1 10.0.0.2 esp 1 -f esn -r 128 -E aes-gcm-16 "
                                      "0x00112233445566778899aabbccddeeff00112233;"));
    EXPECT_TRUE(a.esn);
    EXPECT_EQ(a.replay, 128u);
    EXPECT_FALSE(only<AddSa>(parse("add 10.0.0.1 10.0.0.2 esp 1 -E null;")).esn);
    auto r = parse("add 10.0.0.1 10.0.0.2 ah 1 -f esn -A null;");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->message, "-f esn (extended sequence numbers) needs esp or esp-udp");
    EXPECT_EQ(r.error->column, 31u); // at "esn"
}

TEST(AddCommand, SoftLimitsAboveHardLimitsWarn) {
    auto r = parse("add 10.0.0.1 10.0.0.2 esp 1 -lh 10 -ls 20 -bh 100 -bs 50 -E null;");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0].column, 33u); // at the hard lifetime
}

TEST(AddCommand, OldProtocolsAndKameDesVariantsSetTheirFlags) {
    const auto& a = only<AddSa>(parse("add ::1 ::1 esp-old 10003 -E des-32iv \"12341234\";"));
    EXPECT_EQ(a.flags, kSaFlagCyclicSeq | kSaFlagOld | kSaFlagIv4b);
    EXPECT_TRUE(parse("add ::1 ::1 esp 1 -E des-32iv \"12341234\";").error);
    EXPECT_TRUE(parse("add ::1 ::1 esp-old 1 -E des-deriv \"12341234\";").error);
}

TEST(AddCommand, IpcompWithRawCpi) {
    const auto& a = only<AddSa>(parse("add 10.0.0.1 10.0.0.2 ipcomp 0x2000 -C deflate -R;"));
    EXPECT_EQ(a.comp->name, "deflate");
    EXPECT_EQ(a.flags, kSaFlagCyclicSeq | kSaFlagRawCpi);
}

TEST(AddCommand, DialectExtensionsParse) {
    EXPECT_TRUE(parse("update 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-12 \"12345678901234567890\";").ok());
    EXPECT_TRUE(parse("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-8 \"12345678901234567890\";").ok());
    EXPECT_TRUE(parse("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-sha2-512 \"" + std::string(64, 'k') + "\";").ok());
    const auto& g = only<AddSa>(parse("getspi 10.0.0.1 10.0.0.2 esp 0 -lh 10 -ls 5;"));
    EXPECT_EQ(g.kind, AddSa::Kind::getspi);
}

TEST(AddCommand, HostNamesGiveOneStatementPerSameFamilyPair) {
    ParseOptions o;
    o.resolve_names = true;
    auto r = parse_script("add -4 localhost 127.0.0.2 esp 1 -E null;", o);
    ASSERT_TRUE(r.ok()) << r.error->render();
    ASSERT_EQ(r.statements.size(), 1u);
    EXPECT_EQ(std::get<AddSa>(r.statements[0].command).key.src.addr.to_string(), "127.0.0.1");
    auto n = parse_script("add -n localhost 127.0.0.2 esp 1 -E null;", o);
    ASSERT_TRUE(n.error);
    EXPECT_NE(n.error->message.find("-n forbids name lookups"), std::string::npos);
}

TEST(AddCommand, AddressFlagsMustMatchNumericAddresses) {
    auto r = parse("add -6 10.0.0.1 10.0.0.2 esp 1 -E null;");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->message, "'10.0.0.1' is an IPv4 address, but -6 asks for IPv6");
    EXPECT_TRUE(parse("add -64n 10.0.0.1 10.0.0.2 esp 1 -E null;").ok()); // the last of 4/6 wins
}

TEST(GetDelete, ObsoleteModeWarns) {
    auto r = parse("get 10.0.0.1 10.0.0.2 esp 1 -m tunnel;\ndelete 10.0.0.1 10.0.0.2 ah 2 -m any;");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.warnings.size(), 1u); // -m any is what the default means: no warning
    EXPECT_EQ(r.warnings[0].line, 1u);
    EXPECT_EQ(std::get<GetSa>(r.statements[0].command).key.mode, Mode::tunnel);
    EXPECT_EQ(std::get<DeleteSa>(r.statements[1].command).key.proto.type, SaType::ah);
}

TEST(SpdCommand, SelectorsPortsAndUpperLayer) {
    const auto& e = only<SpdEntry>(parse("spdadd fec0::1/64[any] fec0::2[80] tcp -P in ipsec esp/transport//use;"));
    EXPECT_EQ(e.src.prefixlen, 64);
    EXPECT_EQ(e.dst.prefixlen, 128);
    EXPECT_EQ(e.dst.port, 80);
    EXPECT_EQ(e.upper, 6);
    EXPECT_EQ(e.policy.dir, Direction::in);
    ASSERT_EQ(e.policy.requests.size(), 1u);
    EXPECT_EQ(e.policy.requests[0].level, Level::use);
}

TEST(SpdCommand, IcmpTypeCodeAndGreKeyTravelInThePorts) {
    const auto& icmp = only<SpdEntry>(parse("spdadd ::/0 ::/0 icmp6 135,0 -P in none;"));
    EXPECT_EQ(icmp.upper, 58);
    EXPECT_TRUE(icmp.has_misc);
    EXPECT_EQ(icmp.src.port, 135);
    EXPECT_EQ(icmp.dst.port, 0);
    const auto& gre = only<SpdEntry>(parse("spdadd 0.0.0.0/0 0.0.0.0/0 gre 0.1.0.2 -P out none;"));
    EXPECT_EQ(gre.upper, 47);
    EXPECT_EQ(gre.src.port, 1);
    EXPECT_EQ(gre.dst.port, 2);
}

TEST(SpdCommand, TunnelRequestsUniqueReqidAndContext) {
    const auto& e = only<SpdEntry>(parse(
        "spdadd 10.1.0.0/16 10.2.0.0/16 any -ctx 1 1 \"system_u:object_r:ipsec_spd_t:s0\" -P out ipsec\n"
        "  esp/tunnel/10.0.0.1[4500]-10.0.0.2/unique:5 ah/transport//require;"));
    ASSERT_EQ(e.policy.requests.size(), 2u);
    const auto& t = e.policy.requests[0];
    EXPECT_EQ(t.mode, Mode::tunnel);
    EXPECT_EQ(t.level, Level::unique);
    EXPECT_EQ(t.reqid, 5u);
    EXPECT_EQ(t.src->port, 4500);
    EXPECT_EQ(t.dst->addr.to_string(), "10.0.0.2");
    EXPECT_EQ(e.policy.requests[1].proto, kProtoAh);
    EXPECT_EQ(e.ctx->context, "system_u:object_r:ipsec_spd_t:s0");
}

TEST(SpdCommand, SpddeleteTakesADirectionAlone) {
    const auto& e = only<SpdEntry>(parse("spddelete 10.0.0.0/24 10.0.1.0/24 any -P out;"));
    EXPECT_EQ(e.kind, SpdEntry::Kind::remove);
    EXPECT_FALSE(e.policy.action);
}

TEST(SpdCommand, MeAnyOnlyForOutbound) {
    EXPECT_TRUE(parse("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport/me-any/require;").ok());
    EXPECT_TRUE(parse("spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport/any-me/require;").ok());
    EXPECT_TRUE(parse("spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport/me-any/require;").error);
}

TEST(SpdCommand, ReqidRangeFollowsTheManPage) {
    EXPECT_TRUE(parse("spdadd ::1 ::1 any -P out ipsec esp/transport//unique:32767;").ok());
    EXPECT_TRUE(parse("spdadd ::1 ::1 any -P out ipsec esp/transport//unique:32768;").error);
    EXPECT_TRUE(parse("spdadd ::1 ::1 any -P out ipsec esp/transport//unique:0;").error);
    auto high = parse("spdadd ::1 ::1 any -P out ipsec esp/transport//unique:20000;");
    EXPECT_EQ(high.warnings.size(), 1u); // above 0x3fff the kernel allocates reqids too
}

TEST(SpdCommand, Tagged) {
    const auto& t = only<SpdTagged>(parse("spdadd tagged \"web\" -P out none;"));
    EXPECT_EQ(t.tag, "web");
    EXPECT_EQ(t.policy.action, Action::none);
}

TEST(Lexical, CommentsStatementsSpanningLinesAndSharedLines) {
    auto r = parse("# header\nflush; spdflush; # trailing\ndump\n  esp # why\n ;\n");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.statements.size(), 3u);
    EXPECT_EQ(r.statements[1].begin, (SourcePos{2, 8}));
    EXPECT_EQ(r.statements[2].begin, (SourcePos{3, 1}));
    EXPECT_EQ(r.statements[2].end_line, 5u); // the line holding ';'
    EXPECT_EQ(std::get<DumpSa>(r.statements[2].command).type, SaType::esp);
}

TEST(Lexical, ExitStopsParsing) {
    auto r = parse("flush;\nquit;\nthis is not parsed");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.statements.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<Exit>(r.statements[1].command));
}

TEST(Streaming, StatementsGoToTheSinkInOrderAndTheSinkCanStop) {
    ParseOptions o;
    o.resolve_names = false;
    std::vector<std::string> seen;
    auto r = parse_script("flush;\nspdflush;\ndump;\n", o, [&](Statement&& s) {
        seen.emplace_back(command_name(s.command));
        return seen.size() < 2;
    });
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.statements.empty());
    EXPECT_EQ(seen, (std::vector<std::string>{"flush", "spdflush"}));
}

TEST(Streaming, AnErrorAfterStreamedStatementsIsStillReported) {
    ParseOptions o;
    o.resolve_names = false;
    int count = 0;
    auto r = parse_script("flush;\nbogus;\n", o, [&](Statement&&) { return ++count > 0; });
    EXPECT_EQ(count, 1);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->line, 2u);
}

TEST(Errors, NothingIsReturnedWhenTheScriptHasAnError) {
    auto r = parse("flush;\nspdflush;\nadd;\n");
    EXPECT_TRUE(r.error);
    EXPECT_TRUE(r.statements.empty());
}

} // namespace
} // namespace setkey::grammar::test
