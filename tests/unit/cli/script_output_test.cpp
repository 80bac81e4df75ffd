// -o script's statements (output/script.hpp) parse back into the commands they were
// written from, and a script printed without --show-keys does not load.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/monitor_mode.hpp"
#include "cli/printers.hpp"
#include "grammar/parse.hpp"
#include "output/script.hpp"
#include "support/small_records.hpp"

namespace setkey {
namespace {

grammar::ParseResult parse(std::string_view text) {
    grammar::ParseOptions options;
    options.resolve_names = false;
    return grammar::parse_script(text, options);
}

// Every statement of `script`, written again, parses into the same command.
void expect_round_trip(std::string_view script) {
    const grammar::ParseResult first = parse(script);
    ASSERT_TRUE(first.ok()) << first.error->render();
    for (const model::Statement& s : first.statements) {
        std::string text;
        if (const auto* sa = std::get_if<model::AddSa>(&s.command))
            text = output::sa_statement(*sa, {.show_keys = true});
        else if (const auto* spd = std::get_if<model::SpdEntry>(&s.command))
            text = output::policy_statement(*spd);
        else if (const auto* del = std::get_if<model::DeleteSa>(&s.command))
            text = output::sa_delete_statement(del->key);
        else
            continue;
        const grammar::ParseResult again = parse(text);
        ASSERT_TRUE(again.ok()) << text << again.error->render();
        ASSERT_EQ(again.statements.size(), 1u) << text;
        EXPECT_TRUE(again.statements[0].command == s.command) << "written as: " << text;
    }
}

TEST(ScriptOutput, SaStatementsParseBackToTheSameCommand) {
    expect_round_trip(R"(
add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -u 5 -r 32 -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;
add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1002 -m tunnel -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;
add 10.0.0.1 10.0.0.2 ah 0x1003 -lh 3600 -ls 3000 -bh 100000 -bs 90000 -A hmac-sha1 "12345678901234567890";
add 10.0.0.1 10.0.0.2 ipcomp 0x1004 -C deflate -R;
add 10.0.0.1 10.0.0.2 esp 0x1005 -r 64 -f esn -f random-pad -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233;
add 10.0.0.1 10.0.0.2 esp 0x1006 -E null -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;
add 2001:db8::1 2001:db8::2 esp 0x1007 -m transport -ctx 1 1 "system_u:object_r:ipsec_spd_t:s0" -E aes-cbc 0x00112233445566778899aabbccddeeff;
update 10.0.0.1 10.0.0.2 esp 0x1008 -E aes-cbc 0x00112233445566778899aabbccddeeff;
delete 10.0.0.1 10.0.0.2 esp 0x1008;
add 10.0.0.1 10.0.0.2 esp 0x1009 -m tunnel -r 1024 -f esn -mark 0x5/0xff -if_id 7 -output_mark 0x9/0xf -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233;
add 10.0.0.1 10.0.0.2 esp 0x1009 -mark 6 -E null -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;
delete 10.0.0.1 10.0.0.2 esp 0x1009 -mark 0x5/0xff;
)");
}

TEST(ScriptOutput, PolicyStatementsParseBackToTheSameCommand) {
    expect_round_trip(R"(
spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/unique:5;
spdadd 10.0.2.0/24[80] 10.0.3.1[any] tcp -P out prio 10 ipsec ah/transport//use esp/transport//require;
spdadd 10.0.2.0/24 10.0.3.1 any -P fwd priority -10 discard;
spdadd 10.0.2.0/24 10.0.3.1 udp -P out priority 2147483648 none;
spdupdate 2001:db8::/64 2001:db8:1::/64 any -P out ipsec ipcomp/tunnel/2001:db8::1-2001:db8::2/use;
spddelete 10.0.0.0/24 10.0.1.0/24 any -P out;
spdadd 10.0.0.0/8 10.0.0.0/8 any -ctx 1 1 "system_u:object_r:ipsec_spd_t:s0" -P out ipsec esp/transport//require;
spdadd 10.3.0.0/24 10.4.0.0/24 any -mark 0x5/0xff -if_id 7 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spddelete 10.3.0.0/24 10.4.0.0/24 any -if_id 7 -mark 5 -P out;
)");
}

TEST(ScriptOutput, HiddenKeysDoNotLoadAndSayWhy) {
    model::AddSa sa;
    sa.key.src.addr = *model::IpAddress::parse("10.0.0.1");
    sa.key.dst.addr = *model::IpAddress::parse("10.0.0.2");
    sa.key.spi = 0x100;
    sa.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"),
                                   std::vector<uint8_t>(16, 0xab)};
    const std::string text = output::sa_statement(sa, {.show_keys = false});
    EXPECT_EQ(text, "add 10.0.0.1 10.0.0.2 esp 0x100 -E aes-cbc hidden-key;\n");
    EXPECT_EQ(text.find("abab"), std::string::npos);
    const grammar::ParseResult r = parse(text);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error->message.find("aes-cbc needs a key"), std::string::npos) << r.error->message;
}

model::PolicyRecord policy(std::string_view src, std::string_view dst, model::Direction dir) {
    model::PolicyRecord p;
    p.src.addr = *model::IpAddress::parse(src);
    p.dst.addr = *model::IpAddress::parse(dst);
    p.src.prefixlen = p.dst.prefixlen = 24;
    p.dir = dir;
    p.priority = model::kPriorityDefault;
    p.action = model::Action::ipsec;
    model::IpsecRequest r;
    r.mode = model::Mode::tunnel;
    r.level = model::Level::require;
    r.src = model::Endpoint{*model::IpAddress::parse("192.0.2.2"), 0};
    r.dst = model::Endpoint{*model::IpAddress::parse("192.0.2.1"), 0};
    p.requests.push_back(r);
    return p;
}

// The same policy with action discard and no templates: a fwd that is not the copy.
model::PolicyRecord discarding(model::PolicyRecord p) {
    p.action = model::Action::discard;
    p.requests.clear();
    return p;
}

// `-DP -o script` (RFC mode) of `dump`, given newest first as a dump gives it.
std::string script_of(const std::vector<model::PolicyRecord>& dump) {
    std::ostringstream out;
    auto printer = cli::make_printer({.format = cli::OutputFormat::script, .fwd_companion = true}, out);
    printer->dump_starts(true);
    for (const model::PolicyRecord& p : dump) printer->policy(p);
    printer->dumped(true);
    return out.str();
}

// The printer writes the table oldest entry first behind its flush, and leaves out the
// fwd copy -r adds back for an in policy (with -k it stays, and the script says it is
// for setkey -k).
TEST(ScriptOutput, SpdDumpStartsWithSpdflushOldestFirstWithoutFwdCompanions) {
    for (const bool rfc : {true, false}) {
        std::ostringstream out;
        auto printer = cli::make_printer({.format = cli::OutputFormat::script, .fwd_companion = rfc}, out);
        printer->dump_starts(true);
        printer->policy(policy("10.0.1.0", "10.0.0.0", model::Direction::fwd)); // newest
        printer->policy(policy("10.0.1.0", "10.0.0.0", model::Direction::in));
        printer->policy(policy("10.0.0.0", "10.0.1.0", model::Direction::out)); // oldest
        printer->dumped(true);
        printer->finish();
        std::string expected = "spdflush;\n";
        if (rfc)
            expected += "# setkey -f adds a fwd copy of every in policy (-r, the default): a fwd policy is written\n"
                               "# only where it differs from that copy or stands elsewhere among the fwd policies.\n";
        else // loaded without -k, the in policy would get a second fwd policy: "already exists"
            expected += "# Written with -k: load it with setkey -k -f, as without -k setkey -f adds a fwd copy of\n"
                        "# every in policy besides the fwd policies below.\n";
        expected += "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
                    "spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n";
        if (!rfc) expected += "spdadd 10.0.1.0/24 10.0.0.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n";
        EXPECT_EQ(out.str(), expected) << "rfc " << rfc;
    }
}

// A fwd policy with what no option says keeps its comment but is still the in policy's
// companion when its statement is.
TEST(ScriptOutput, CommentsGoAboveTheirStatementAndDoNotHideACompanion) {
    std::ostringstream out;
    auto printer = cli::make_printer({.format = cli::OutputFormat::script, .fwd_companion = true}, out);
    printer->dump_starts(true);
    auto fwd = policy("10.0.1.0", "10.0.0.0", model::Direction::fwd);
    fwd.xfrm.flags = 1; // XFRM_POLICY_LOCALOK
    printer->policy(fwd);
    auto in = policy("10.0.1.0", "10.0.0.0", model::Direction::in);
    in.requests.front().spi = 0x1234;
    printer->policy(in);
    printer->dumped(true);
    EXPECT_EQ(out.str(), "spdflush;\n"
                         "# setkey -f adds a fwd copy of every in policy (-r, the default): a fwd policy is written\n"
                         "# only where it differs from that copy or stands elsewhere among the fwd policies.\n"
                         "# not in the statement below (no script option says it): a template's SPI or share\n"
                         "spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n");
}

// A template of a protocol setkey has no word for (Mobile IPv6 installs routing-header
// ones, IP protocol 43) is not written as esp: the comment says the spdadd cannot be
// written, and the parser refuses it, so a restore cannot install an ESP policy instead.
// (Found by fuzz_xfrm_script.)
TEST(ScriptOutput, ATemplateOfAnotherProtocolIsSaidAndDoesNotLoad) {
    auto out = policy("10.0.0.0", "10.0.1.0", model::Direction::out);
    out.requests.front().proto = 43;
    const std::string text = script_of({out});
    EXPECT_EQ(text, "spdflush;\n"
                    "# setkey cannot write this policy (a template of IP protocol 43); the spdadd below does not load\n"
                    "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec proto-43/tunnel/192.0.2.2-192.0.2.1/require;\n");
    const grammar::ParseResult r = parse(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->line, 3u);
    EXPECT_EQ(output::policy_record_statement(out), text.substr(text.find('\n') + 1));
}

// Likewise what the policy language has no words for: a sub policy (written with a
// -ptype option the parser does not have), a BEET template, a reqid above unique:N's
// 32767. Before, the first two loaded as a main policy and a tunnel-less template, the
// third as a bare unique (found by a sweep of ip-made state in the lab).
TEST(ScriptOutput, WhatThePolicyLanguageCannotSayIsSaidAndDoesNotLoad) {
    auto sub = policy("10.0.0.0", "10.0.1.0", model::Direction::out);
    sub.xfrm.type = 1;
    auto beet = policy("10.0.0.0", "10.0.1.0", model::Direction::out);
    beet.requests.front().mode = model::Mode::beet;
    auto high = policy("10.0.0.0", "10.0.1.0", model::Direction::out);
    high.requests.front().level = model::Level::unique;
    high.requests.front().reqid = 40000;
    const std::pair<model::PolicyRecord, std::string> cases[] = {
        {sub, "# setkey cannot write this policy (a sub policy, which spdadd cannot make); the spdadd below does not "
              "load\n"
              "spdadd 10.0.0.0/24 10.0.1.0/24 any -ptype sub -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"},
        {beet, "# setkey cannot write this policy (a template in BEET mode, which the policy language cannot say); the "
               "spdadd below does not load\n"
               "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/beet/192.0.2.2-192.0.2.1/require;\n"},
        {high, "# setkey cannot write this policy (a template reqid above 32767, which unique:N cannot say); the "
               "spdadd below does not load\n"
               "spdadd 10.0.0.0/24 10.0.1.0/24 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/unique:40000;\n"},
    };
    for (const auto& [record, statement] : cases) {
        const std::string text = script_of({record});
        EXPECT_EQ(text, "spdflush;\n" + statement);
        const grammar::ParseResult r = parse(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error->line, 3u) << text;
    }
}

// XFRM keeps the reqids IKE daemons give templates above the manual range (16383), and
// their SAs carry the same: the script says the number. Over PF_KEY such a reqid is
// one af_key picked for a bare `unique`, which it keeps no other way. (A reqid of 16389
// came back as 16385 before, no longer matching its SA.)
TEST(ScriptOutput, TemplateReqidsAboveTheManualRangeStayOverXfrm) {
    auto p = policy("10.0.0.0", "10.0.1.0", model::Direction::out);
    p.requests.front().level = model::Level::unique;
    p.requests.front().reqid = 16389;
    const std::string xfrm = script_of({p});
    EXPECT_NE(xfrm.find("/unique:16389;\n"), std::string::npos) << xfrm;
    const grammar::ParseResult back = parse(xfrm);
    ASSERT_TRUE(back.ok()) << back.error->render();
    const auto& entry = std::get<model::SpdEntry>(back.statements.at(1).command);
    EXPECT_EQ(entry.policy.requests.at(0).reqid, 16389u);

    std::ostringstream out;
    auto printer = cli::make_printer({.format = cli::OutputFormat::script, .backend = "pfkey"}, out);
    printer->dump_starts(true);
    printer->policy(p);
    printer->dumped(true);
    EXPECT_NE(out.str().find("/unique;\n"), std::string::npos) << out.str();
}

// An SA in BEET mode, one whose NAT-T type no script says, and what PF_KEY dumps of SAs
// whose algorithms it has no ids for (an AEAD SA has no cipher at all, a cmac one an
// authentication key without a name): each said, none loadable or loaded as something
// else. Before, they were written as plain adds (the PF_KEY ones without -A, or refused
// without a word).
TEST(ScriptOutput, SasTheLanguageCannotSayAreSaid) {
    auto beet = output::testing::small_esp_tunnel();
    beet.mode = model::Mode::beet;
    const std::string b = output::sa_record_statement(beet, {.show_keys = true});
    EXPECT_EQ(b.rfind("# setkey cannot write this SA (mode beet, which -m cannot say); the add below does not load\n"
                      "add 10.0.0.1 10.0.0.2 esp 0x1001 -m beet ", 0), 0u) << b;
    EXPECT_FALSE(parse(b).ok());

    auto nonike = output::testing::small_esp_udp();
    nonike.natt_type = 1;
    EXPECT_EQ(output::unscriptable_comment(nonike),
              "# not in the statement below (no script option says it): espinudp-nonike encapsulation (esp-udp says "
              "espinudp)\n");

    auto unnamed_auth = output::testing::small_esp_tunnel();
    unnamed_auth.auth = model::AlgorithmRef{.key = std::vector<uint8_t>(16, 1), .key_bits = 128};
    const std::string a = output::sa_record_statement(unnamed_auth, {.show_keys = true});
    EXPECT_EQ(a.rfind("# setkey cannot write this SA (an authentication key whose algorithm the kernel did not name "
                      "(PF_KEY has no id for it; dump with --backend xfrm)); the add below does not load\n", 0), 0u)
        << a;
    EXPECT_FALSE(parse(a).ok());

    auto no_cipher = output::testing::small_esp_tunnel();
    no_cipher.enc = {};
    const std::string c = output::sa_record_statement(no_cipher, {.show_keys = true});
    EXPECT_EQ(c.rfind("# setkey cannot write this SA (no encryption algorithm in the dump (PF_KEY has no id for AEAD "
                      "and newer ciphers; dump with --backend xfrm)); the add below does not load\n", 0), 0u)
        << c;
    EXPECT_FALSE(parse(c).ok());
}

// Where the kernel's fwd policy is not the copy -r adds for an in policy, the script
// makes it so: an spddelete right after an in without one, an spdupdate of one that
// differs (in its own place when newer than its in, right after the in when older);
// a fwd policy without an in is written as it is.
TEST(ScriptOutput, FwdPoliciesThatAreNotTheInsCopiesAreWritten) {
    const std::string script = script_of({
        policy("10.0.9.0", "10.0.8.0", model::Direction::fwd),             // no in
        discarding(policy("10.0.3.0", "10.0.2.0", model::Direction::fwd)), // newer than its in
        policy("10.0.5.0", "10.0.4.0", model::Direction::in),
        policy("10.0.3.0", "10.0.2.0", model::Direction::in),
        policy("10.0.1.0", "10.0.0.0", model::Direction::in),              // no fwd
        discarding(policy("10.0.5.0", "10.0.4.0", model::Direction::fwd)), // older than its in
    });
    EXPECT_EQ(script,
              "spdflush;\n"
              "# setkey -f adds a fwd copy of every in policy (-r, the default): a fwd policy is written\n"
              "# only where it differs from that copy or stands elsewhere among the fwd policies.\n"
              "spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spddelete 10.0.1.0/24 10.0.0.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spdadd 10.0.3.0/24 10.0.2.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spdadd 10.0.5.0/24 10.0.4.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spdupdate 10.0.5.0/24 10.0.4.0/24 any -P fwd discard;\n"
              "spdupdate 10.0.3.0/24 10.0.2.0/24 any -P fwd discard;\n"
              "spdadd 10.0.9.0/24 10.0.8.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n");
    // Every statement parses.
    const grammar::ParseResult back = parse(script);
    EXPECT_TRUE(back.ok()) << back.error->render();
}

// A fwd policy with other fwd policies between it and its in keeps its place among them
// (the oldest of equal priority matches a packet): written where it stands, with the
// copy deleted after a newer one's in, or replaced through an older one's in.
TEST(ScriptOutput, AFwdPolicyKeepsItsPlaceAmongTheFwdPolicies) {
    const std::string script = script_of({
        policy("10.0.6.0", "10.0.5.0", model::Direction::fwd),             // newer than its in
        discarding(policy("10.0.8.0", "10.0.0.0", model::Direction::fwd)), // no in, between
        policy("10.0.6.0", "10.0.5.0", model::Direction::in),
        policy("10.0.7.0", "10.0.5.0", model::Direction::in),
        discarding(policy("10.0.9.0", "10.0.0.0", model::Direction::fwd)), // no in, between
        discarding(policy("10.0.7.0", "10.0.5.0", model::Direction::fwd)), // older than its in
    });
    EXPECT_EQ(script,
              "spdflush;\n"
              "# setkey -f adds a fwd copy of every in policy (-r, the default): a fwd policy is written\n"
              "# only where it differs from that copy or stands elsewhere among the fwd policies.\n"
              "spdadd 10.0.7.0/24 10.0.5.0/24 any -P fwd discard;\n"
              "spdadd 10.0.9.0/24 10.0.0.0/24 any -P fwd discard;\n"
              "spdupdate 10.0.7.0/24 10.0.5.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spdupdate 10.0.7.0/24 10.0.5.0/24 any -P fwd discard;\n"
              "spdadd 10.0.6.0/24 10.0.5.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spddelete 10.0.6.0/24 10.0.5.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "spdadd 10.0.8.0/24 10.0.0.0/24 any -P fwd discard;\n"
              "spdadd 10.0.6.0/24 10.0.5.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n");
}

// The key that pairs an in with its fwd is what the statements say: a selector
// interface that only one of them has, which no statement can write, does not make
// the fwd "missing".
TEST(ScriptOutput, WhatNoStatementSaysDoesNotSeparateAnInFromItsFwd) {
    auto in = policy("10.0.1.0", "10.0.0.0", model::Direction::in);
    in.xfrm.ifindex = 1;
    const std::string script = script_of({in, policy("10.0.1.0", "10.0.0.0", model::Direction::fwd)});
    EXPECT_EQ(script.find("spddelete"), std::string::npos) << script;
    EXPECT_EQ(script.find("-P fwd"), std::string::npos) << script;
}

TEST(ScriptOutput, SadDumpBrokenOffWritesNothing) {
    std::ostringstream out;
    auto printer = cli::make_printer({.format = cli::OutputFormat::script}, out);
    printer->dump_starts(false);
    model::SaRecord sa;
    sa.src = *model::IpAddress::parse("10.0.0.1");
    sa.dst = *model::IpAddress::parse("10.0.0.2");
    printer->sa(sa);
    printer->finish(); // no dumped(): the kernel refused part-way
    EXPECT_EQ(out.str(), "");
}

// -x has events, not tables: a script of them would not load back.
TEST(ScriptOutput, MonitorRefusesIt) {
    cli::Options o;
    o.mode = cli::Mode::monitor;
    o.output = cli::OutputFormat::script;
    std::istringstream in;
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_monitor_mode(o, {in, out, err}), 1);
    EXPECT_EQ(err.str(), "setkey: -x streams events: use -o jsonl (or classic), not -o script\n"
                         "Try 'setkey --help' for more information.\n");
}

} // namespace
} // namespace setkey
