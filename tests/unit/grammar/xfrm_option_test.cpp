// The XFRM-only language: -mark, -if_id and -output_mark on SAs, -mark and -if_id on
// policies, deleteall -mark, ESN and replay windows; what each builds, its errors, and
// how each is refused when the statements go to PF_KEY (issue 9 point 3).
#include <gtest/gtest.h>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

using namespace setkey::model;

ParseResult parse_for(std::string_view text, KernelInterface kernel) {
    ParseOptions o;
    o.filename = "input";
    o.resolve_names = false;
    o.kernel = kernel;
    return parse_script(text, o);
}

std::string pfkey_error_of(std::string_view text) {
    const ParseResult r = parse_for(text, KernelInterface::pfkey);
    return r.error ? r.error->render() : std::string();
}

template<class T> T only(std::string_view script) {
    const ParseResult r = parse(script);
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->render() : "");
    EXPECT_EQ(r.statements.size(), 1u);
    return std::get<T>(r.statements.at(0).command);
}

const std::string kSa = "add 10.0.0.1 10.0.0.2 esp 0x100 ";

// ---- what the options build ----

TEST(XfrmOptions, AddTakesMarkIfIdAndOutputMark) {
    const AddSa a = only<AddSa>(kSa + "-mark 0x5/0xff -if_id 7 -output_mark 9/0xf -E null;");
    EXPECT_EQ(a.key.mark, (Mark{0x5, 0xff}));
    EXPECT_EQ(a.key.if_id, 7u);
    EXPECT_EQ(a.xfrm.output_mark, (Mark{9, 0xf}));
}

TEST(XfrmOptions, MaskDefaultsToAllBitsAndNumbersAreDecimalOrHex) {
    EXPECT_EQ(only<AddSa>(kSa + "-mark 5 -E null;").key.mark, (Mark{5, 0xffffffffu}));
    EXPECT_EQ(only<AddSa>(kSa + "-mark 0XFFFFFFFF/4294967295 -E null;").key.mark, (Mark{0xffffffffu, 0xffffffffu}));
    EXPECT_EQ(only<AddSa>(kSa + "-mark 0/0 -E null;").key.mark, (Mark{0, 0}));
    EXPECT_EQ(only<AddSa>(kSa + "-if_id 0x2a -E null;").key.if_id, 42u);
    EXPECT_EQ(only<AddSa>(kSa + "-output_mark 0x10 -E null;").xfrm.output_mark, (Mark{0x10, 0xffffffffu}));
    // Without the options nothing is set: plain ipsec-tools state.
    const AddSa plain = only<AddSa>(kSa + "-E null;");
    EXPECT_FALSE(plain.key.mark);
    EXPECT_EQ(plain.key.if_id, 0u);
    EXPECT_TRUE(plain.xfrm.empty());
}

TEST(XfrmOptions, UpdateAndGetspiTakeTheMarkThatFindsTheSa) {
    const AddSa u = only<AddSa>("update 10.0.0.1 10.0.0.2 esp 0x100 -mark 3 -if_id 4 -output_mark 5 -E null;");
    EXPECT_EQ(u.kind, AddSa::Kind::update);
    EXPECT_EQ(u.key.mark, (Mark{3, 0xffffffffu}));
    EXPECT_EQ(u.key.if_id, 4u);
    EXPECT_EQ(u.xfrm.output_mark, (Mark{5, 0xffffffffu}));
    const AddSa g = only<AddSa>("getspi 10.0.0.1 10.0.0.2 esp 0 -mark 3/0xf -if_id 4;");
    EXPECT_EQ(g.key.mark, (Mark{3, 0xf}));
    EXPECT_EQ(g.key.if_id, 4u);
}

TEST(XfrmOptions, GetAndDeleteFindAnSaByItsMark) {
    EXPECT_EQ(only<GetSa>("get 10.0.0.1 10.0.0.2 esp 0x100 -mark 0x5/0xff;").key.mark, (Mark{5, 0xff}));
    EXPECT_EQ(only<DeleteSa>("delete 10.0.0.1 10.0.0.2 esp 0x100 -mark 6;").key.mark, (Mark{6, 0xffffffffu}));
    EXPECT_FALSE(only<DeleteSa>("delete 10.0.0.1 10.0.0.2 esp 0x100;").key.mark);
}

TEST(XfrmOptions, DeleteallFiltersByMark) {
    const DeleteAllSa d = only<DeleteAllSa>("deleteall 10.0.0.1 10.0.0.2 esp -mark 0x5/0xff;");
    EXPECT_EQ(d.mark, (Mark{5, 0xff}));
    EXPECT_EQ(d.proto.type, SaType::esp);
    EXPECT_FALSE(only<DeleteAllSa>("deleteall 10.0.0.1 10.0.0.2 esp;").mark);
}

TEST(XfrmOptions, PoliciesTakeMarkAndIfIdAfterTheUpperLayerInAnyOrder) {
    const SpdEntry a = only<SpdEntry>("spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out ipsec "
                                      "esp/tunnel/10.0.0.1-10.0.0.2/require;");
    EXPECT_EQ(a.kind, SpdEntry::Kind::add);
    EXPECT_EQ(a.xfrm.mark, (Mark{5, 0xff}));
    EXPECT_EQ(a.xfrm.if_id, 7u);
    EXPECT_EQ(a.policy.requests.size(), 1u);
    const SpdEntry u = only<SpdEntry>("spdupdate 10.1.0.0/16 10.2.0.0/16 icmp 8,0 -if_id 0x9 -ctx 1 1 \"a\" "
                                      "-mark 3 -P in none;");
    EXPECT_EQ(u.kind, SpdEntry::Kind::update);
    EXPECT_EQ(u.xfrm.mark, (Mark{3, 0xffffffffu}));
    EXPECT_EQ(u.xfrm.if_id, 9u);
    ASSERT_TRUE(u.ctx);
    EXPECT_EQ(u.ctx->context, "a");
    const SpdEntry d = only<SpdEntry>("spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out;");
    EXPECT_EQ(d.kind, SpdEntry::Kind::remove);
    EXPECT_EQ(d.xfrm.mark, (Mark{5, 0xff}));
    EXPECT_EQ(d.xfrm.if_id, 7u);
    EXPECT_TRUE(only<SpdEntry>("spdadd 10.1.0.0/16 10.2.0.0/16 any -P out none;").xfrm.empty());
}

TEST(XfrmOptions, ReplayWindowsAboveAnOctetAndEsn) {
    const AddSa a = only<AddSa>(kSa + "-f esn -r 4096 -E aes-gcm-16 0x0102030405060708090a0b0c0d0e0f1011121314;");
    EXPECT_TRUE(a.esn);
    EXPECT_EQ(a.replay, 4096u);
    EXPECT_EQ(only<AddSa>(kSa + "-r 4294967295 -E null;").replay, 4294967295u);
}

// ---- their errors, whole ----

TEST(XfrmOptionErrors, MissingOrMalformedValues) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -mark x -E null;\n"),
              "setkey: input:1:35: expected a mark: VALUE or VALUE/MASK (decimal or 0x hex)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -mark x -E null;\n"
              "                                  ^\n");
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -mark 5/ -E null;\n"),
              "setkey: input:1:37: expected a mask after '/' (decimal or 0x hex)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -mark 5/ -E null;\n"
              "                                    ^\n");
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -if_id eth0 -E null;\n"),
              "setkey: input:1:36: expected an interface id (decimal or 0x hex)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -if_id eth0 -E null;\n"
              "                                   ^\n");
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -output_mark ;\n"),
              "setkey: input:1:42: expected an output mark: VALUE or VALUE/MASK (decimal or 0x hex)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -output_mark ;\n"
              "                                         ^\n");
}

TEST(XfrmOptionErrors, ValuesOutOfRangeAreNamedWithTheirPart) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -mark 4294967296 -E null;\n"),
              "setkey: input:1:35: mark value 4294967296 is out of range: marks have 32 bits (at most 0xffffffff)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -mark 4294967296 -E null;\n"
              "                                  ^\n");
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -output_mark 1/0x100000000 -E null;\n"),
              "setkey: input:1:44: output mark mask 0x100000000 is out of range: marks have 32 bits (at most 0xffffffff)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -output_mark 1/0x100000000 -E null;\n"
              "                                           ^\n");
    EXPECT_EQ(error_of("spdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 0x1ffffffff -P out none;\n"),
              "setkey: input:1:43: interface id 0x1ffffffff is out of range: it has 32 bits (at most 0xffffffff)\n"
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 0x1ffffffff -P out none;\n"
              "                                          ^\n");
}

TEST(XfrmOptionErrors, OptionsWhereTheyMeanNothing) {
    // The kernel looks an SA up by destination, SPI, protocol and mark: not by if_id.
    EXPECT_EQ(error_of("delete 10.0.0.1 10.0.0.2 esp 1 -if_id 7;\n"),
              "setkey: input:1:39: -if_id plays no part in finding an SA: the kernel finds it by destination, SPI, "
              "protocol and mark, so delete takes -mark alone\n"
              "delete 10.0.0.1 10.0.0.2 esp 1 -if_id 7;\n"
              "                                      ^\n");
    EXPECT_EQ(parse("get 10.0.0.1 10.0.0.2 esp 1 -if_id 7;").error->message,
              "-if_id plays no part in finding an SA: the kernel finds it by destination, SPI, protocol and mark, "
              "so get takes -mark alone");
    EXPECT_EQ(error_of("getspi 10.0.0.1 10.0.0.2 esp 0 -output_mark 1;\n"),
              "setkey: input:1:45: -output_mark is only for add and update: it sets the mark of the packets the SA "
              "has transformed\n"
              "getspi 10.0.0.1 10.0.0.2 esp 0 -output_mark 1;\n"
              "                                            ^\n");
    EXPECT_EQ(parse("delete 10.0.0.1 10.0.0.2 esp 1 -output_mark 1;").error->message,
              "-output_mark is only for add and update: it sets the mark of the packets the SA has transformed");
    EXPECT_EQ(error_of("deleteall 10.0.0.1 10.0.0.2 esp -if_id 7;\n"),
              "setkey: input:1:33: expected -mark or ';' (deleteall takes no port, SPI or other options)\n"
              "deleteall 10.0.0.1 10.0.0.2 esp -if_id 7;\n"
              "                                ^\n");
    // Policies have no output mark. (The caret sits after the '-', as for any
    // unknown word where the policy belongs.)
    EXPECT_EQ(error_of("spdadd 10.1.0.0/16 10.2.0.0/16 any -output_mark 1 -P out none;\n"),
              "setkey: input:1:37: expected an option (-ctx, -mark, -if_id) or the policy: -P DIRECTION [ACTION ...]\n"
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -output_mark 1 -P out none;\n"
              "                                    ^\n");
}

TEST(XfrmOptionErrors, EsnNeedsAReplayWindow) {
    EXPECT_EQ(error_of("add 10.0.0.1 10.0.0.2 esp 1 -f esn -E null;\n"),
              "setkey: input:1:32: -f esn needs a replay window: the kernel refuses extended sequence numbers "
              "without one; add -r N (e.g. -r 64)\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -f esn -E null;\n"
              "                               ^\n");
    EXPECT_TRUE(parse("add 10.0.0.1 10.0.0.2 esp 1 -r 64 -f esn -E null;").ok());
}

TEST(XfrmOptionWarnings, MarkBitsOutsideTheMask) {
    const ParseResult r = parse("add 10.0.0.1 10.0.0.2 esp 1 -mark 0x105/0xff -output_mark 0x3/0x1 -E null;\n"
                                "spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x10/0xf -P out none;\n"
                                "delete 10.0.0.1 10.0.0.2 esp 1 -mark 0x105/0xff;\n");
    ASSERT_TRUE(r.ok()) << r.error->render();
    ASSERT_EQ(r.warnings.size(), 3u); // the lookup of delete drops those bits: no warning
    EXPECT_EQ(r.warnings[0].render(),
              "setkey: input:1:35: warning: the mark value 0x105 has bits outside its mask 0xff (0x100), so no "
              "packet's mark can match it\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -mark 0x105/0xff -output_mark 0x3/0x1 -E null;\n"
              "                                  ^\n");
    EXPECT_EQ(r.warnings[1].message,
              "the output mark value 0x3 has bits outside its mask 0x1 (0x2), which are not set");
    EXPECT_EQ(r.warnings[2].message,
              "the kernel keeps the policy mark 0x10/0xf as 0x0/0xf: value bits outside the mask are dropped");
}

// The kernel masks a policy's mark value when it adds the policy and looks policies up
// by the masked value: a script's policy says what the kernel will hold, or --sync and
// spddelete never find it again.
TEST(XfrmOptionWarnings, PolicyMarkValuesAreKeptMaskedAsTheKernelKeepsThem) {
    const ParseResult r = parse("spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x105/0xff -P out none;\n"
                                "spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 0x105/0xff -P out;\n"
                                "spdadd 10.1.0.0/16 10.3.0.0/16 any -mark 0x105/0 -P out none;\n");
    ASSERT_TRUE(r.ok()) << r.error->render();
    ASSERT_EQ(r.statements.size(), 3u);
    for (size_t i = 0; i < 2; ++i)
        EXPECT_EQ(std::get<model::SpdEntry>(r.statements[i].command).xfrm.mark, (model::Mark{0x5, 0xff})) << i;
    // A zero mask too: the kernel keeps 0/0, which it dumps as no mark at all.
    EXPECT_EQ(std::get<model::SpdEntry>(r.statements[2].command).xfrm.mark, (model::Mark{0, 0}));
    ASSERT_EQ(r.warnings.size(), 2u); // the delete's lookup: no warning
}

// ---- over PF_KEY: an error at the option, naming it; nothing comes out ----

TEST(PfkeyRefusals, EveryXfrmOnlyOptionIsAnErrorAtItsWord) {
    EXPECT_EQ(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -mark 5 -E null;\n"),
              "setkey: input:1:29: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -mark 5 -E null;\n"
              "                            ^\n");
    EXPECT_EQ(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -u 3 -if_id 7 -E null;\n"),
              "setkey: input:1:34: -if_id needs the XFRM backend: PF_KEY has no interface ids; use --backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -u 3 -if_id 7 -E null;\n"
              "                                 ^\n");
    EXPECT_EQ(pfkey_error_of("update 10.0.0.1 10.0.0.2 esp 1 -output_mark 1 -E null;\n"),
              "setkey: input:1:32: -output_mark needs the XFRM backend: PF_KEY has no output marks; use --backend "
              "xfrm\n"
              "update 10.0.0.1 10.0.0.2 esp 1 -output_mark 1 -E null;\n"
              "                               ^\n");
    EXPECT_EQ(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -r 64 -f esn -E null;\n"),
              "setkey: input:1:38: -f esn needs the XFRM backend: PF_KEY has no extended sequence numbers; use "
              "--backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -r 64 -f esn -E null;\n"
              "                                     ^\n");
    EXPECT_EQ(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -r 256 -E null;\n"),
              "setkey: input:1:32: -r 256 needs the XFRM backend: PF_KEY's replay window has 8 bits (at most 255); "
              "use --backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -r 256 -E null;\n"
              "                               ^\n");
    EXPECT_EQ(pfkey_error_of("get 10.0.0.1 10.0.0.2 esp 1 -mark 5;\n"),
              "setkey: input:1:29: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
              "get 10.0.0.1 10.0.0.2 esp 1 -mark 5;\n"
              "                            ^\n");
    EXPECT_EQ(pfkey_error_of("deleteall 10.0.0.1 10.0.0.2 esp -mark 5;\n"),
              "setkey: input:1:33: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
              "deleteall 10.0.0.1 10.0.0.2 esp -mark 5;\n"
              "                                ^\n");
    EXPECT_EQ(pfkey_error_of("spdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 7 -P out none;\n"),
              "setkey: input:1:36: -if_id needs the XFRM backend: PF_KEY has no interface ids; use --backend xfrm\n"
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -if_id 7 -P out none;\n"
              "                                   ^\n");
    EXPECT_EQ(pfkey_error_of("spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 1 -P out;\n"),
              "setkey: input:1:39: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
              "spddelete 10.1.0.0/16 10.2.0.0/16 any -mark 1 -P out;\n"
              "                                      ^\n");
}

// AEAD algorithms too: refused while the script is checked, not at the SA that carries
// one with the statements before it applied.
TEST(PfkeyRefusals, AeadAlgorithmsAreAnErrorAtTheirName) {
    EXPECT_EQ(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233;\n"),
              "setkey: input:1:32: aes-gcm-16 needs the XFRM backend: it is an AEAD algorithm, which Linux PF_KEY "
              "cannot install; use --backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233;\n"
              "                               ^\n");
    EXPECT_NE(pfkey_error_of("add 10.0.0.1 10.0.0.2 esp 1 -E chacha20-poly1305 0x" + std::string(72, '0') + ";\n")
                  .find("chacha20-poly1305 needs the XFRM backend"),
              std::string::npos);
    EXPECT_TRUE(parse_for("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 0x00112233445566778899aabbccddeeff00112233;\n",
                          KernelInterface::xfrm)
                    .ok());
}

TEST(PfkeyRefusals, NothingComesOutAndOtherStatementsStillParse) {
    const ParseResult r = parse_for("flush;\nadd 10.0.0.1 10.0.0.2 esp 1 -mark 5 -E null;\n", KernelInterface::pfkey);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->line, 2u);
    EXPECT_TRUE(r.statements.empty());
    // What PF_KEY can say passes: -r up to 255, the other -f words, -ctx.
    EXPECT_TRUE(parse_for("add 10.0.0.1 10.0.0.2 esp 1 -r 255 -f random-pad -ctx 1 1 \"x\" -E null;\n"
                          "spdadd 10.1.0.0/16 10.2.0.0/16 any -ctx 1 1 \"x\" -P out none;\n",
                          KernelInterface::pfkey)
                    .ok());
}

TEST(PfkeyRefusals, OwnErrorsOfAnOptionComeFirst) {
    // -f esn on ah is wrong everywhere: that is the message, not the backend's.
    EXPECT_EQ(parse_for("add 10.0.0.1 10.0.0.2 ah 1 -f esn -A null;", KernelInterface::pfkey).error->message,
              "-f esn (extended sequence numbers) needs esp or esp-udp");
}

TEST(PfkeyRefusals, OverXfrmNothingIsKept) {
    const ParseResult r = parse_for(kSa + "-mark 5 -r 1024 -E null;", KernelInterface::xfrm);
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.pfkey_error);
    EXPECT_EQ(r.statements.size(), 1u);
}

TEST(PfkeyRefusals, AnUnknownInterfaceKeepsTheFirstRefusalForLater) {
    const std::string script = "add 10.0.0.1 10.0.0.2 esp 1 -E null;\n"
                               "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out none;\n"
                               "add 10.0.0.1 10.0.0.2 esp 2 -r 300 -E null;\n"
                               "add 10.0.0.1 10.0.0.2 esp 3 -mark 1 -E null;\n";
    const ParseResult r = parse_for(script, KernelInterface::unknown);
    ASSERT_TRUE(r.ok()) << r.error->render();
    EXPECT_EQ(r.statements.size(), 4u); // XFRM may take them all
    ASSERT_TRUE(r.pfkey_error);
    EXPECT_EQ(r.pfkey_error->render(),
              "setkey: input:3:32: -r 300 needs the XFRM backend: PF_KEY's replay window has 8 bits (at most 255); "
              "use --backend xfrm\n"
              "add 10.0.0.1 10.0.0.2 esp 2 -r 300 -E null;\n"
              "                               ^\n");
    EXPECT_EQ(parse_for(script, KernelInterface::pfkey).error->render(), r.pfkey_error->render());
    EXPECT_FALSE(parse_for("add 10.0.0.1 10.0.0.2 esp 1 -r 255 -E null;", KernelInterface::unknown).pfkey_error);
}

} // namespace
} // namespace setkey::grammar::test
