// Every keyword list a user can see: the "expected ..." texts, the unknown-word lists and
// hints, and the checks tied to one keyword. Pinned whole, so a table edit that changes
// what users read shows up here.
#include <gtest/gtest.h>

#include "grammar/address_text.hpp"
#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

struct Case {
    const char* script;
    const char* position; // LINE:COL
    const char* message;
};

const Case kCases[] = {
    {"add 10.0.0.1 10.0.0.2 ;",
     "1:23", "expected a protocol (esp, ah, esp-old, ah-old, ipcomp or esp-udp)"},
    {"add 10.0.0.1 10.0.0.2 espp 1 -E null;",
     "1:23", "unknown protocol 'espp'; did you mean 'esp'?"},
    {"add 10.0.0.1 10.0.0.2 zzzzzz 1 -E null;",
     "1:23", "unknown protocol 'zzzzzz'; expected esp, ah, esp-old, ah-old, ipcomp or esp-udp"},
    {"add 10.0.0.1 10.0.0.2 tcp 1;",
     "1:23", "the tcp SA type (TCP-MD5 signatures) is not supported by Linux; Linux sets TCP-MD5 keys per socket (TCP_MD5SIG)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -m ;",
     "1:32", "expected a mode (transport, tunnel or any)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -m tunel -E null;",
     "1:32", "unknown mode 'tunel'; did you mean 'tunnel'?"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -m zzzzzz -E null;",
     "1:32", "unknown mode 'zzzzzz'; expected transport, tunnel or any"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -f ;",
     "1:32", "expected zero-pad, random-pad, seq-pad, nocyclic-seq or esn"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -f zzzzzz -E null;",
     "1:32", "unknown -f flag 'zzzzzz'; expected zero-pad, random-pad, seq-pad, nocyclic-seq or esn"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -f zero-pda -E null;",
     "1:32", "unknown -f flag 'zero-pda'; did you mean 'zero-pad'?"},
    {"add 10.0.0.1 10.0.0.2 ah-old 1 -f esn -A null;",
     "1:35", "-f esn (extended sequence numbers) needs esp or esp-udp"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -u x;",
     "1:32", "expected a reqid (decimal number)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -r x;",
     "1:32", "expected a replay window size (decimal number)"},
    {"add 10.0.0.1 10.0.0.2 esp-old 1 -r 4 -E null;",
     "1:36", "replay prevention (-r) cannot be used with ah-old or esp-old"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -lh x;",
     "1:33", "expected a number of seconds"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -ls x;",
     "1:33", "expected a number of seconds"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -bh x;",
     "1:33", "expected a number of bytes"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -bs x;",
     "1:33", "expected a number of bytes"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -ctx x;",
     "1:34", "expected the security context DOI (decimal number)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -ctx 1 x;",
     "1:36", "expected the security context algorithm (decimal number)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -ctx 1 2 x;",
     "1:38", "expected the security context as a \"quoted string\""},
    {"add 10.0.0.1 10.0.0.2 esp 1 -ctx 256 2 \"a\";",
     "1:34", "security context DOI is out of range (0 to 255)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -esp_frag x;",
     "1:39", "expected an ESP fragment size (decimal number)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -esp_frag 500 -E null;",
     "1:39", "-esp_frag (ESP fragment size) is only valid for esp-udp (NAT-T)"},
    {"add 10.0.0.1 10.0.0.2 esp-udp 1 -esp_frag 70000 -E null;",
     "1:43", "ESP fragment size 70000 is out of range (0 to 65535)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -E null foo;",
     "1:37", "expected an option (-m, -u, -r, -f, -lh, -ls, -bh, -bs, -ctx, -mark, -if_id, -output_mark), an algorithm (-E, -A, -C) or ';'"},
    {"getspi 10.0.0.1 10.0.0.2 esp 1 foo;",
     "1:32", "expected an option (-m, -u, -r, -f, -lh, -ls, -bh, -bs, -ctx, -mark, -if_id, -output_mark) or ';'"},
    {"get 10.0.0.1 10.0.0.2 esp 1 foo;",
     "1:29", "expected ';'"},
    {"deleteall 10.0.0.1 10.0.0.2 esp 1;",
     "1:33", "expected -mark or ';' (deleteall takes no port, SPI or other options)"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -E hmac-sha1 0x00;",
     "1:32", "unknown encryption algorithm 'hmac-sha1'; 'hmac-sha1' is an authentication algorithm: write it after -A"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -E deflate;",
     "1:32", "unknown encryption algorithm 'deflate'; 'deflate' is a compression algorithm: write it after -C"},
    {"add 10.0.0.1 10.0.0.2 ah 1 -A aes-cbc 0x00;",
     "1:31", "unknown authentication algorithm 'aes-cbc'; 'aes-cbc' is an encryption algorithm: write it after -E"},
    {"add 10.0.0.1 10.0.0.2 ah 1 -E null;",
     "1:31", "-E (encryption) is only for esp SAs"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -C deflate;",
     "1:32", "-C (compression) is only for ipcomp SAs"},
    {"add 10.0.0.1 10.0.0.2 ipcomp 1 -A null;",
     "1:35", "-A (authentication) is only for esp and ah SAs"},
    {"add 10.0.0.1 10.0.0.2 ipcomp 1 -C zzzzzz;",
     "1:35", "unknown compression algorithm 'zzzzzz'"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -A hmac-sha1 0x00;",
     "1:42", "invalid key length for hmac-sha1: 8 bits given, it takes 160 bits"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -m transport;",
     "1:41", "an ESP SA needs an encryption algorithm: -E ALGORITHM KEY"},
    {"add 10.0.0.1 10.0.0.2 ah 1 -m transport;",
     "1:40", "an AH SA needs an authentication algorithm: -A ALGORITHM KEY"},
    {"add 10.0.0.1 10.0.0.2 ipcomp 1;",
     "1:31", "an IPComp SA needs a compression algorithm: -C ALGORITHM"},
    {"add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 0x0011223344556677889900112233445566778899 -A hmac-sha1 0x00;",
     "1:89", "aes-gcm-16 is an AEAD algorithm that authenticates by itself; -A cannot be combined with it"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P ;",
     "1:33", "expected a policy direction (in, out or fwd)"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P zzzzzz;",
     "1:33", "unknown policy direction 'zzzzzz'; expected in, out or fwd"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P ot none;",
     "1:33", "unknown policy direction 'ot'; did you mean 'out'?"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out zzzzzz;",
     "1:37", "unknown policy action 'zzzzzz'; expected discard, none, ipsec, entrust or bypass"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out discrd;",
     "1:37", "unknown policy action 'discrd'; did you mean 'discard'?"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out;",
     "1:36", "spdadd needs a policy action after the direction (discard, none, ipsec, entrust or bypass)"},
    {"spdupdate 10.0.0.1 10.0.0.2 any -P out;",
     "1:39", "spdupdate needs a policy action after the direction (discard, none, ipsec, entrust or bypass)"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ESP/transport//require;",
     "1:43", "unknown ipsec request protocol 'ESP'; keywords are lower-case: did you mean 'esp'?"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require zzz/transport//require;",
     "1:66", "unknown ipsec request protocol 'zzz'; expected esp, ah or ipcomp"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/;",
     "1:47", "expected an ipsec request mode (transport or tunnel)"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/zzzzzz//require;",
     "1:47", "unknown ipsec request mode 'zzzzzz'; expected transport or tunnel"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//zzzzzz;",
     "1:58", "unknown ipsec request level 'zzzzzz'; expected default, use, require or unique"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//requre;",
     "1:58", "unknown ipsec request level 'requre'; did you mean 'require'?"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp;",
     "1:46", "too few arguments: expected '/' and a mode (e.g. esp/transport)"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out prio ;",
     "1:42", "expected a priority: N, -N, or low, def or high with an optional + N or - N"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P out discard esp/transport//require;",
     "1:45", "expected ';' to end the policy"},
    {"spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/tunnel/me-any/require;",
     "1:53", "me-any is only valid in outbound (out) policies"},
    {"spdadd 10.0.0.1 10.0.0.2 any -ctx 1 2 \"x\" -P out none foo;",
     "1:55", "expected ';' to end the policy"},
    {"spdadd 10.0.0.1 10.0.0.2 ;",
     "1:26", "expected an upper-layer protocol (any, a number or a name from /etc/protocols)"},
    {"spdadd 10.0.0.1 10.0.0.2 zzzzzz -P out none;",
     "1:26", "invalid upper layer protocol 'zzzzzz' (not in /etc/protocols)"},
    {"spdadd 10.0.0.1 10.0.0.2 esp -P out none;",
     "1:26", "invalid upper layer protocol 'esp': it is a reserved word; write its number, 50"},
    {"spdadd tagged ;",
     "1:15", "expected the tag as a \"quoted string\""},
    {"spdadd tagged \"x\" ;",
     "1:19", "expected the policy: -P DIRECTION [ACTION ...]"},
    {"spdadd 10.0.0.1 10.0.0.2 any -mark 5 ;",
     "1:38", "expected an option (-ctx, -mark, -if_id) or the policy: -P DIRECTION [ACTION ...]"},
    {"deleteall 10.0.0.1 10.0.0.2 esp -mark 5 foo;",
     "1:41", "expected -mark or ';' (deleteall takes no port, SPI or other options)"},
    {"spdflush x;",
     "1:10", "expected ';'"},
    {"flush zzzzzz;",
     "1:7", "unknown protocol 'zzzzzz'; expected esp, ah, esp-old, ah-old, ipcomp or esp-udp"},
    {"flush esp x;",
     "1:11", "expected a protocol or ';'"},
    {"flush esp-udp zz;",
     "1:15", "'zz' is not a numeric NAT-T original address"},
    {"dump espp;",
     "1:6", "unknown protocol 'espp'; did you mean 'esp'?"},
    {"exit x;",
     "1:6", "expected ';'"},
    {"zzzzzz;",
     "1:1", "unknown command 'zzzzzz'; expected add, update, getspi, get, delete, deleteall, flush, dump, spdadd, spdupdate, spddelete, spdflush, spddump, exit, quit or bye"},
    {";",
     "1:1", "expected a command (add, delete, spdadd, flush, ...)"},
    {"spddump",
     "1:8", "expected ';'"},
};

TEST(KeywordMessages, EveryListAndHintReadsAsBefore) {
    for (const Case& c : kCases) {
        auto r = parse(std::string(c.script) + "\n");
        ASSERT_TRUE(r.error) << c.script;
        EXPECT_EQ(std::to_string(r.error->line) + ":" + std::to_string(r.error->column), c.position) << c.script;
        EXPECT_EQ(r.error->message, c.message) << c.script;
    }
}

template<class T> T only(std::string_view script) {
    auto r = parse(script);
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->render() : "");
    return std::get<T>(r.statements.at(0).command);
}

TEST(KeywordValues, EverySaWordMeansWhatItSays) {
    using namespace setkey::model;
    const std::string sa = "add 10.0.0.1 10.0.0.2 ";
    EXPECT_EQ(only<AddSa>(sa + "esp 1 -f random-pad -E null;").flags, kSaFlagCyclicSeq | kSaFlagRandomPad);
    EXPECT_EQ(only<AddSa>(sa + "esp 1 -f zero-pad -f seq-pad -E null;").flags, kSaFlagCyclicSeq | kSaFlagZeroPad);
    EXPECT_EQ(only<AddSa>(sa + "esp 1 -f nocyclic-seq -E null;").flags, 0u);
    EXPECT_TRUE(only<AddSa>(sa + "esp 1 -r 64 -f esn -E null;").esn);
    EXPECT_EQ(only<AddSa>(sa + "esp 1 -m any -E null;").key.mode, Mode::any);
    EXPECT_EQ(only<AddSa>(sa + "esp 1 -m transport -E null;").key.mode, Mode::transport);
    const auto old = only<AddSa>(sa + "ah-old 1 -A null;");
    EXPECT_EQ(old.key.proto.type, SaType::ah);
    EXPECT_TRUE(old.key.proto.old);
    EXPECT_EQ(only<AddSa>(sa + "ipcomp 1 -C deflate;").key.proto.type, SaType::ipcomp);
    EXPECT_EQ(only<FlushSa>("flush ah;").type, SaType::ah);
    EXPECT_EQ(only<DumpSa>("dump esp-udp;").type, SaType::esp);
    // esp-udp may carry its NAT-T original address wherever it is a protocol.
    EXPECT_EQ(only<FlushSa>("flush esp-udp 10.0.0.9;").type, SaType::esp);
    EXPECT_EQ(only<DumpSa>("dump esp-udp 10.0.0.9;").type, SaType::esp);
    EXPECT_EQ(*only<AddSa>(sa + "esp-udp 10.0.0.9 1 -E null;").key.proto.natt_oa, *parse_numeric_address("10.0.0.9"));
}

TEST(KeywordValues, EveryPolicyWordMeansWhatItSays) {
    using namespace setkey::model;
    const std::string spd = "spdadd 10.0.0.1 10.0.0.2 any -P ";
    EXPECT_EQ(only<SpdEntry>(spd + "fwd entrust;").policy.dir, Direction::fwd);
    EXPECT_EQ(only<SpdEntry>(spd + "in bypass;").policy.action, Action::bypass);
    EXPECT_EQ(only<SpdEntry>(spd + "out none;").policy.action, Action::none);
    EXPECT_EQ(only<SpdEntry>(spd + "out discard;").policy.action, Action::discard);
    const auto p = only<SpdEntry>(spd + "out ipsec ah/transport//use ipcomp/transport//require esp/transport//default "
                                        "esp/transport//unique;").policy;
    ASSERT_EQ(p.requests.size(), 4u);
    EXPECT_EQ(p.requests[0].proto, kProtoAh);
    EXPECT_EQ(p.requests[0].level, Level::use);
    EXPECT_EQ(p.requests[1].proto, kProtoIpcomp);
    EXPECT_EQ(p.requests[1].level, Level::require);
    EXPECT_EQ(p.requests[2].level, Level::default_);
    EXPECT_EQ(p.requests[3].level, Level::unique);
    EXPECT_EQ(only<SpdEntry>("spdadd 10.0.0.1 10.0.0.2 tcp -P out none;").upper, 6);
    for (const char* bye : {"exit;", "quit;", "bye;"}) (void)only<Exit>(bye);
}

} // namespace
} // namespace setkey::grammar::test
