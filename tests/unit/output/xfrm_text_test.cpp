// The XFRM-only state in the text formats (issue 9 point 2): the classic dump's one
// extra line, the short listing's mark, Prometheus' mark/if_id labels and -o script's
// -mark/-if_id/-output_mark options, each only when the entry has them, so that state
// made without them (ipsec-tools) prints as before, byte for byte.
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "output/classic.hpp"
#include "output/prometheus.hpp"
#include "output/script.hpp"
#include "model/record_commands.hpp"
#include "output/short.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;

class XfrmText : public UtcTest {};

constexpr int64_t kNow = kSmallAdded + 1;

TEST_F(XfrmText, ClassicSaHasOneExtraLineAfterItsSeqLine) {
    EXPECT_EQ(format_sa(xfrm_marked_sa(), {.now = kNow}),
              "192.0.2.1[4500] 192.0.2.2[4500] \n"
              "\tesp-udp mode=tunnel spi=12648430(0x00c0ffee) reqid=0(0x00000000)\n"
              "\tE: aes-gcm-16  a1b2c3d4 a1b2c3d4 a1b2c3d4 a1b2c3d4 a1b2c3d4\n"
              "\tseq=0x00000000 replay=1024 flags=0x00000000 state=mature \n"
              "\tmark=0x00000005/0x000000ff if_id=7(0x00000007) output_mark=0x00000009/0x0000000f\n"
              "\tcreated: Nov 27 05:24:35 2026\tcurrent: Nov 27 05:24:36 2026\n"
              "\tdiff: 1(s)\thard: 0(s)\tsoft: 0(s)\n"
              "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n"
              "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
              "\tallocated: 12\thard: 1000000\tsoft: 1000\n"
              "\tsadb_seq=0 pid=0 refcnt=0\n");
}

TEST_F(XfrmText, ClassicExtraLineHoldsOnlyWhatIsSet) {
    auto sa = xfrm_aead_sa();
    const std::string plain = format_sa(sa, {.now = kNow});
    EXPECT_EQ(plain.find("mark"), std::string::npos);
    EXPECT_EQ(plain.find("if_id"), std::string::npos);
    sa.if_id = 0x10;
    auto with = format_sa(sa, {.now = kNow});
    EXPECT_NE(with.find("state=mature \n\tif_id=16(0x00000010)\n\tcreated: "), std::string::npos) << with;
    sa.if_id = 0;
    sa.xfrm.output_mark = model::Mark{0x1, 0xffffffff};
    with = format_sa(sa, {.now = kNow});
    EXPECT_NE(with.find("state=mature \n\toutput_mark=0x00000001/0xffffffff\n\tcreated: "), std::string::npos) << with;
    // Everything else XFRM reports stays out of the classic text (it is in -o json).
    auto rest = xfrm_every_attribute_sa();
    rest.mark.reset();
    rest.if_id = 0;
    rest.xfrm.output_mark.reset();
    EXPECT_EQ(format_sa(rest, {.now = kNow}).find("\tmark"), std::string::npos);
}

TEST_F(XfrmText, ClassicSasThatDifferOnlyByMarkPrintApart) {
    EXPECT_NE(format_sa(xfrm_marked_sa(5), {.now = kNow}), format_sa(xfrm_marked_sa(6), {.now = kNow}));
}

TEST_F(XfrmText, ClassicPolicyHasTheLineAfterItsRequests) {
    EXPECT_EQ(format_policy(xfrm_marked_policy(), {.now = kNow}),
              "10.1.0.0/16[any] 10.2.0.0/16[any] 255\n"
              "\tout prio def + 10 ipsec\n"
              "\tesp/tunnel/10.0.0.1-10.0.0.2/unique:5\n"
              "\tmark=0x00000005/0x000000ff if_id=7(0x00000007)\n"
              "\tcreated: Nov 27 05:24:35 2026  lastused:                     \n"
              "\tlifetime: 0(s) validtime: 0(s)\n"
              "\tspid=1 seq=0 pid=0\n"
              "\trefcnt=1\n");
    auto plain = small_spd(0).back();
    auto marked = plain;
    marked.xfrm.flags = 2; // flags, share, type: not on the line
    marked.xfrm.type = 1;
    EXPECT_EQ(format_policy(marked, {.now = kNow}), format_policy(plain, {.now = kNow}));
}

TEST_F(XfrmText, ShortListingNamesTheMark) {
    EXPECT_EQ(short_line(xfrm_marked_sa(), kNow),
              "2436 esp M 00c0ffee   1/0   192.0.2.1 -> 192.0.2.2 mark=0x00000005/0x000000ff\n");
    EXPECT_EQ(short_line(xfrm_aead_sa(), kNow), "2436 esp M 00c0ffee   1/0   192.0.2.1 -> 192.0.2.2\n");
}

std::string exposition(const std::vector<model::SaRecord>& sad) {
    return prometheus_text(std::span<const model::SaRecord>(sad), std::nullopt, SaSource::dump);
}

TEST(XfrmPrometheus, MarkAndIfIdLabelsOnlyOnSasThatHaveThem) {
    const auto text = exposition({xfrm_marked_sa(5), xfrm_marked_sa(6), small_esp_tunnel()});
    EXPECT_NE(text.find("setkey_sa_packets_total{src=\"192.0.2.1\",dst=\"192.0.2.2\",proto=\"esp\",spi=\"0x00c0ffee\","
                        "reqid=\"0\",mode=\"tunnel\",mark=\"0x5/0xff\",if_id=\"7\"} 12\n"),
              std::string::npos);
    EXPECT_NE(text.find("mark=\"0x6/0xff\",if_id=\"7\",state=\"mature\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("setkey_sa_state{src=\"10.0.0.1\",dst=\"10.0.0.2\",proto=\"esp\",spi=\"0x00001001\","
                        "reqid=\"5\",mode=\"tunnel\",state=\"mature\"} 1\n"),
              std::string::npos);
    // No two samples of a family share their labels.
    std::set<std::string> series;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') {
            EXPECT_TRUE(series.insert(line.substr(0, line.rfind(' '))).second) << line;
        }
    }
}

TEST(XfrmPrometheus, UnmarkedSadIsUnchanged) {
    auto marked = small_esp_tunnel();
    marked.xfrm = xfrm_every_attribute_sa().xfrm; // the rest of XFRM's state adds no label
    EXPECT_EQ(exposition({marked}), exposition({small_esp_tunnel()}));
}

TEST(XfrmPrometheus, PromtoolAcceptsTheMixedLabelSets) {
    if (std::system("promtool --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "skipped: no promtool";
    const std::string path = ::testing::TempDir() + "xfrm_labels.prom";
    std::ofstream(path) << exposition({xfrm_marked_sa(5), xfrm_marked_sa(6), small_esp_tunnel()});
    const std::string cmd = "promtool check metrics < " + path + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_TRUE(p);
    std::string why;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) why.append(buf, n);
    const int status = pclose(p);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << why;
}

TEST(XfrmScript, SaOptionsGoWithTheOtherOptions) {
    EXPECT_EQ(sa_record_statement(xfrm_marked_sa(), {}),
              "add 192.0.2.1[4500] 192.0.2.2[4500] esp-udp 0xc0ffee -m tunnel -r 1024 -f esn "
              "-mark 0x5/0xff -if_id 7 -output_mark 0x9/0xf -E aes-gcm-16 hidden-key;\n");
    model::SaKey key = model::delete_key(xfrm_marked_sa());
    key.mark = model::Mark{5, 0xff};
    key.if_id = 7;
    // A delete names the SA by mark alone (the grammar refuses -if_id there).
    EXPECT_EQ(sa_delete_statement(key), "delete 192.0.2.1 192.0.2.2 esp 0xc0ffee -mark 0x5/0xff;\n");
}

TEST(XfrmScript, PolicyOptionsBeforeTheDirection) {
    EXPECT_EQ(policy_record_statement(xfrm_marked_policy()),
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -if_id 7 -P out prio 10 ipsec "
              "esp/tunnel/10.0.0.1-10.0.0.2/unique:5;\n");
    auto p = xfrm_marked_policy();
    p.ctx = model::SecurityContext{1, 1, "c"};
    p.xfrm.if_id = 0;
    EXPECT_EQ(policy_record_statement(p),
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -ctx 1 1 \"c\" -mark 0x5/0xff -P out prio 10 ipsec "
              "esp/tunnel/10.0.0.1-10.0.0.2/unique:5;\n");
}

TEST(XfrmScript, UnmarkedEntriesWriteNoNewOption) {
    auto sa = xfrm_aead_sa();
    const auto plain = sa_record_statement(sa, {});
    sa.xfrm = xfrm_every_attribute_sa().xfrm;
    sa.xfrm.output_mark.reset();
    EXPECT_EQ(sa_record_statement(sa, {}), plain);
    EXPECT_EQ(plain.find("-mark"), std::string::npos);
    EXPECT_EQ(policy_record_statement(small_spd(0).back()),
              "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out prio 10 ipsec esp/tunnel/10.0.0.1-10.0.0.2/unique:5;\n");
}

// A NAT-T SA stays esp-udp whatever its old flag says: esp-old has no NAT-T form (the
// statement lost the encapsulation before; found by fuzz_pfkey_script).
TEST(XfrmScript, NatTOutweighsTheOldFlag) {
    auto sa = small_esp_udp();
    const std::string plain = sa_record_statement(sa, {});
    sa.flags |= model::kSaFlagOld;
    EXPECT_EQ(sa_record_statement(sa, {}), plain);
    EXPECT_EQ(plain.rfind("add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x1002 -m tunnel ", 0), 0u) << plain;
    sa.natt_type = 0;
    EXPECT_EQ(sa_record_statement(sa, {}).rfind("add 10.0.0.1 10.0.0.2 esp-old 0x1002 ", 0), 0u);
}

// The language has NAT-T only for ESP (esp-udp); XFRM takes an encapsulation on other
// SAs too, and the comment says the statement drops it (found by fuzz_xfrm_script).
TEST(XfrmScript, NatTOfAnotherProtocolIsNamed) {
    auto sa = small_esp_udp();
    EXPECT_EQ(unscriptable_comment(sa), "");
    sa.satype = model::SaType::ah;
    sa.enc = {};
    EXPECT_EQ(unscriptable_comment(sa),
              "# not in the statement below (no script option says it): NAT-T encapsulation (only esp-udp has it)\n");
}

// What no option says is named above the statement (-o script), so a script made from
// an IKE daemon's tables does not pass for a copy of them; what a script's own add
// installs (af_key's family-only selector, ESN) draws no comment.
TEST(XfrmScript, WhatNoOptionSaysIsNamedInAComment) {
    EXPECT_EQ(unscriptable_comment(xfrm_marked_sa()),
              "# not in the statement below (no script option says it): its selector, its replay counters (an add "
              "starts them at 0), packet or first-use lifetime limits\n");
    EXPECT_EQ(unscriptable_comment(xfrm_every_attribute_sa()),
              "# not in the statement below (no script option says it): its selector, state flags, its replay "
              "counters (an add starts them at 0), extra flags, "
              "hardware offload, Mobile IPv6 addresses, TFC padding, a mapping-change threshold, packet or first-use "
              "lifetime limits, attributes setkey does not know\n");
    // Limits the options say draw no comment; packets and first use have no option
    // (found by fuzz_xfrm_script: the two SAs above carry iproute2's packet limits).
    auto sa = xfrm_marked_sa();
    sa.xfrm.selector = model::SaSelector{.family = AF_INET};
    sa.xfrm.replay = model::ReplayState{.esn_format = true, .window = 1024}; // counters at 0, as an add makes them
    sa.hard = model::Lifetime{.bytes = 1000, .add_time = 3600};
    sa.soft = model::Lifetime{.bytes = 900, .add_time = 3000};
    EXPECT_EQ(unscriptable_comment(sa), "");
    // hmac-sha256 as Linux PF_KEY makes it (96 bits) is not what the name loads over
    // XFRM (128); the table's own ICV, or none reported, draws no comment.
    auto truncated = sa;
    truncated.aead = false;
    truncated.enc = model::AlgorithmRef{.alg = model::find_algorithm(model::AlgKind::enc, "aes-cbc")};
    truncated.auth = model::AlgorithmRef{.alg = model::find_algorithm(model::AlgKind::auth, "hmac-sha256")};
    for (uint16_t icv : {0, 128}) {
        truncated.auth.icv_bits = icv;
        EXPECT_EQ(unscriptable_comment(truncated), "") << icv;
    }
    truncated.auth.icv_bits = 96;
    EXPECT_EQ(unscriptable_comment(truncated),
              "# not in the statement below (no script option says it): an ICV length its algorithm's name does "
              "not say\n");
    for (auto limit : {&model::Lifetime::packets, &model::Lifetime::use_time}) {
        auto limited = sa;
        (*limited.soft).*limit = 5;
        EXPECT_EQ(unscriptable_comment(limited),
                  "# not in the statement below (no script option says it): packet or first-use lifetime limits\n");
    }

    EXPECT_EQ(unscriptable_comment(xfrm_marked_policy()),
              "# not in the statement below (no script option says it): policy flags\n");
    EXPECT_EQ(unscriptable_comment(xfrm_every_attribute_policy()),
              "# not in the statement below (no script option says it): policy flags, its share, "
              "a selector interface or user, attributes setkey does not know\n");
    auto pinned = small_spd(0).back();
    EXPECT_EQ(unscriptable_comment(pinned), "");
    pinned.requests.front().spi = 0xc0ffee;
    EXPECT_EQ(unscriptable_comment(pinned),
              "# not in the statement below (no script option says it): a template's SPI or share\n");
    // A reqid the script can say (unique:N) draws none; on a use template it cannot
    // (found by fuzz_xfrm_script).
    auto optional = small_spd(0).back();
    optional.requests.front().level = model::Level::unique;
    optional.requests.front().reqid = 7;
    EXPECT_EQ(unscriptable_comment(optional), "");
    optional.requests.front().level = model::Level::use;
    EXPECT_EQ(unscriptable_comment(optional),
              "# not in the statement below (no script option says it): a reqid on a template that is not unique\n");
}

} // namespace
} // namespace setkey::output
