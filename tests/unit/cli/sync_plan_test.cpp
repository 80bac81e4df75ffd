// Whole --sync plans (model/sync_plan.hpp): a script, what the kernel holds, and the
// requests that make the kernel match, in the order they are sent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grammar/parse.hpp"
#include "support/kernel_records.hpp"
#include "model/sync_plan.hpp"
#include "output/script.hpp"

namespace setkey::model {
namespace {

using testing::kernel_policy;
using testing::kernel_sa;

std::vector<Statement> parse(std::string_view text) {
    grammar::ParseOptions options;
    options.resolve_names = false;
    grammar::ParseResult r = grammar::parse_script(text, options);
    EXPECT_TRUE(r.ok()) << r.error->render();
    return r.statements;
}

// The kernel after `setkey -f` of `script` (with -r's fwd companions when `rfc`).
struct Kernel {
    std::vector<SaRecord> sas;
    std::vector<PolicyRecord> policies;
};
Kernel holding(std::string_view script, bool rfc = true) {
    SyncTarget loaded(rfc);
    std::string why;
    for (const Statement& s : parse(script)) EXPECT_TRUE(loaded.add(s, why)) << why;
    Kernel k;
    for (const auto* sa : loaded.sas()) k.sas.insert(k.sas.begin(), kernel_sa(sa->add)); // newest first
    uint32_t id = 1;
    for (const auto* p : loaded.policies()) k.policies.insert(k.policies.begin(), kernel_policy(p->entry, id++));
    return k;
}

SyncPlan plan(std::string_view script, const Kernel& kernel, bool rfc = true) {
    SyncTarget target(rfc);
    std::string why;
    for (const Statement& s : parse(script)) EXPECT_TRUE(target.add(s, why)) << why;
    return plan_sync(target, kernel.sas, kernel.policies);
}

// The requests, one script line each ("LINE: statement"), in sending order.
std::string requests(const SyncPlan& p) {
    std::string out;
    for (const Statement& s : p.requests()) {
        out += std::to_string(s.end_line) + ": ";
        if (const auto* a = std::get_if<AddSa>(&s.command)) out += output::sa_statement(*a, {.show_keys = true});
        else if (const auto* d = std::get_if<DeleteSa>(&s.command)) out += output::sa_delete_statement(d->key);
        else if (const auto* e = std::get_if<SpdEntry>(&s.command)) out += output::policy_statement(*e);
    }
    return out;
}

constexpr std::string_view kTunnel = R"(flush;
spdflush;
add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.2 192.0.2.1 esp 0x1002 -m tunnel -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.1 192.0.2.3 ah 0x2001 -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;
spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.0.2.0/24 10.0.1.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/unique;
)";

TEST(SyncPlan, TheSameScriptAgainChangesNothing) {
    const SyncPlan p = plan(kTunnel, holding(kTunnel));
    EXPECT_TRUE(p.empty());
    EXPECT_EQ(requests(p), "");
    EXPECT_EQ(p.unchanged_sas, 3u);
    EXPECT_EQ(p.unchanged_policies, 3u); // out, in and in's fwd companion
}

// XFRM marks and interface ids are part of the kernel's lookup: entries that differ only
// by them are separate entries, each matched with its own.
TEST(SyncPlan, MarksAndInterfaceIdsKeepEntriesApart) {
    const std::string marked = R"(flush;
spdflush;
add 192.0.2.1 192.0.2.2 esp 0x1001 -mark 5 -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.1 192.0.2.2 esp 0x1001 -mark 6 -E aes-cbc 0x00112233445566778899aabbccddeeff;
spdadd 10.0.1.0/24 10.0.2.0/24 any -mark 5 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.0.1.0/24 10.0.2.0/24 any -mark 6 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.0.1.0/24 10.0.2.0/24 any -if_id 7 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
)";
    const SyncPlan same = plan(marked, holding(marked));
    EXPECT_EQ(requests(same), "");
    EXPECT_EQ(same.unchanged_sas, 2u);
    EXPECT_EQ(same.unchanged_policies, 3u);

    std::string edited = marked;
    edited.replace(edited.find("-mark 6 -E aes-cbc 0x0011"), 25, "-mark 6 -E aes-cbc 0xffee");
    edited.replace(edited.find("-if_id 7 -P out"), 15, "-if_id 8 -P out");
    EXPECT_EQ(requests(plan(edited, holding(marked))),
              "4: delete 192.0.2.1 192.0.2.2 esp 0x1001 -mark 0x6/0xffffffff;\n"
              "4: add 192.0.2.1 192.0.2.2 esp 0x1001 -mark 0x6/0xffffffff -E aes-cbc 0xffee2233445566778899aabbccddeeff;\n"
              "7: spdadd 10.0.1.0/24 10.0.2.0/24 any -if_id 8 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n"
              "2: spddelete 10.0.1.0/24 10.0.2.0/24 any -if_id 7 -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n");
}

TEST(SyncPlan, FlushMakesTheTableExactAndOnlyChangedEntriesMove) {
    const std::string edited = R"(flush;
spdflush;
add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.2 192.0.2.1 esp 0x1002 -m tunnel -E aes-cbc 0xffeeddccbbaa99887766554433221100;
add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;
spdadd 10.0.1.0/24 10.0.2.0/24 any -P out prio 5 ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;
spdadd 10.0.2.0/24 10.0.1.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/unique;
spdadd 10.0.1.0/24 10.0.4.0/24 any -P out ipsec esp/transport//require;
)";
    const SyncPlan p = plan(edited, holding(kTunnel));
    EXPECT_EQ(requests(p),
              // new SAs first, then the replaced one (keys cannot change in place)
              "5: add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;\n"
              "4: delete 192.0.2.2 192.0.2.1 esp 0x1002;\n"
              "4: add 192.0.2.2 192.0.2.1 esp 0x1002 -m tunnel -E aes-cbc 0xffeeddccbbaa99887766554433221100;\n"
              // policies: updated in place, added; then the SA the script no longer has
              "6: spdupdate 10.0.1.0/24 10.0.2.0/24 any -P out prio 5 ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n"
              "8: spdadd 10.0.1.0/24 10.0.4.0/24 any -P out ipsec esp/transport//require;\n"
              "1: delete 192.0.2.1 192.0.2.3 ah 0x2001;\n");
    EXPECT_EQ(p.count(SyncPlan::Op::add), 2u);
    EXPECT_EQ(p.count(SyncPlan::Op::replace), 2u);
    EXPECT_EQ(p.count(SyncPlan::Op::remove), 1u);
    EXPECT_EQ(p.unchanged(), 1u + 2u);
}

TEST(SyncPlan, WithoutFlushOnlyWhatTheScriptNamesOrDeletesChanges) {
    const std::string script = R"(
add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;
delete 192.0.2.1 192.0.2.3 ah 0x2001;
delete 192.0.2.9 192.0.2.8 esp 0x9999;
spddelete 10.0.2.0/24 10.0.1.0/24 any -P in;
)";
    const SyncPlan p = plan(script, holding(kTunnel));
    // The in policy goes with its fwd companion (-r), before the SA deletes; the SA
    // that is not there is nothing to do; the esp SAs and out policy stay.
    EXPECT_EQ(requests(p),
              "2: add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;\n"
              "5: spddelete 10.0.2.0/24 10.0.1.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n"
              "5: spddelete 10.0.2.0/24 10.0.1.0/24 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/unique:16385;\n"
              "3: delete 192.0.2.1 192.0.2.3 ah 0x2001;\n");
    EXPECT_EQ(p.unchanged(), 0u); // entries the script does not name are not counted
}

TEST(SyncPlan, FlushOfOneSaTypeLeavesTheOthers) {
    const SyncPlan p = plan("flush esp;\nadd 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -E aes-cbc "
                            "0x00112233445566778899aabbccddeeff;\n",
                            holding(kTunnel));
    EXPECT_EQ(requests(p), "1: delete 192.0.2.2 192.0.2.1 esp 0x1002;\n"); // the ah SA stays
}

TEST(SyncPlan, SpdflushWithoutRfcModeDropsTheFwdCompanion) {
    const SyncPlan p = plan(kTunnel, holding(kTunnel), /*rfc=*/false);
    EXPECT_EQ(requests(p),
              "2: spddelete 10.0.2.0/24 10.0.1.0/24 any -P fwd ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n");
}

TEST(SyncPlan, LaterStatementsWinAndAFlushForgetsWhatCameBefore) {
    const std::string script = R"(
add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;
flush;
add 192.0.2.1 192.0.2.5 esp 0x3002 -E aes-cbc 0x00112233445566778899aabbccddeeff;
delete 192.0.2.1 192.0.2.5 esp 0x3002;
add 192.0.2.1 192.0.2.5 esp 0x3002 -E aes-cbc 0xffeeddccbbaa99887766554433221100;
)";
    Kernel empty;
    EXPECT_EQ(requests(plan(script, empty)),
              "6: add 192.0.2.1 192.0.2.5 esp 0x3002 -E aes-cbc 0xffeeddccbbaa99887766554433221100;\n");
}

TEST(SyncPlan, AnEntryNamedAgainStandsWhereItWasLastNamed) {
    const std::string script = R"(
spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/transport//require;
spdadd 10.0.3.0/24 10.0.4.0/24 any -P out ipsec esp/transport//require;
spdadd 10.0.1.0/24 10.0.2.0/24 any -P out prio 7 ipsec esp/transport//require;
add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.1 192.0.2.5 esp 0x3002 -E aes-cbc 0x00112233445566778899aabbccddeeff;
add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0xffeeddccbbaa99887766554433221100;
)";
    Kernel empty;
    EXPECT_EQ(requests(plan(script, empty)),
              "6: add 192.0.2.1 192.0.2.5 esp 0x3002 -E aes-cbc 0x00112233445566778899aabbccddeeff;\n"
              "7: add 192.0.2.1 192.0.2.4 esp 0x3001 -E aes-cbc 0xffeeddccbbaa99887766554433221100;\n"
              "3: spdadd 10.0.3.0/24 10.0.4.0/24 any -P out ipsec esp/transport//require;\n"
              "4: spdadd 10.0.1.0/24 10.0.2.0/24 any -P out prio 7 ipsec esp/transport//require;\n");
}

TEST(SyncPlan, SecurityContextsKeepPoliciesApart) {
    const std::string loaded = R"(spdflush;
spdadd 10.0.1.0/24 10.0.2.0/24 any -ctx 1 1 "system_u:object_r:ipsec_spd_t:s0" -P out ipsec esp/transport//require;
)";
    const std::string other = R"(spdflush;
spdadd 10.0.1.0/24 10.0.2.0/24 any -ctx 1 1 "system_u:object_r:ipsec_spd_t:s1" -P out ipsec esp/transport//require;
)";
    EXPECT_TRUE(plan(loaded, holding(loaded)).empty());
    const SyncPlan p = plan(other, holding(loaded));
    EXPECT_EQ(p.count(SyncPlan::Op::add), 1u);
    EXPECT_EQ(p.count(SyncPlan::Op::remove), 1u);
    EXPECT_EQ(p.unchanged(), 0u);
}

// The kernel tells policies apart by the whole selector: port masks (ICMP type 0 is
// port 0 with mask 0xffff, not "any") and the selector's interface and user count too.
// Before, such policies took the identity of the script's plain one: a sync under
// spdflush kept them (and said the kernel matched) though the script does not name them.
TEST(SyncPlan, TheWholeSelectorTellsPoliciesApart) {
    const std::string script = "spdflush;\nspdadd 10.0.1.0/24 10.0.2.0/24 any -P out discard;\n";
    Kernel k = holding(script);
    ASSERT_EQ(k.policies.size(), 1u);
    PolicyRecord icmp_type0 = k.policies[0], on_lo = k.policies[0], by_user = k.policies[0];
    icmp_type0.xfrm.src_port_mask = 0xffff;
    icmp_type0.id = 8 * 5 + 1;
    on_lo.xfrm.ifindex = 1;
    on_lo.id = 8 * 6 + 1;
    by_user.xfrm.user = 1000;
    by_user.id = 8 * 7 + 1;
    k.policies.insert(k.policies.end(), {icmp_type0, on_lo, by_user});
    const SyncPlan p = plan(script, k);
    EXPECT_EQ(p.unchanged_policies, 1u);
    ASSERT_EQ(p.count(SyncPlan::Op::remove), 3u);
    EXPECT_EQ(p.count(SyncPlan::Op::add) + p.count(SyncPlan::Op::replace), 0u);
    for (const SyncPlan::PolicyChange& c : p.policy_changes) EXPECT_NE(c.kernel.id, k.policies[0].id);
}

// No script option says a policy's lifetime limits: the kernel's policy with limits (an
// IKE daemon's) is not the script's, and spdupdate puts the script's in its place.
TEST(SyncPlan, APolicyWithLimitsTheScriptCannotSayIsReplaced) {
    const std::string script = "spdadd 10.0.1.0/24 10.0.2.0/24 any -P out discard;\n";
    Kernel k = holding(script);
    ASSERT_EQ(k.policies.size(), 1u);
    EXPECT_TRUE(plan(script, k).empty());
    k.policies[0].hard = Lifetime{.add_time = 30};
    const SyncPlan p = plan(script, k);
    EXPECT_EQ(p.count(SyncPlan::Op::replace), 1u);
    EXPECT_EQ(requests(p), "1: spdupdate 10.0.1.0/24 10.0.2.0/24 any -P out discard;\n");
}

// A mark of 0/0 is no mark (the kernel dumps none), and a policy's value is masked.
TEST(SyncPlan, APolicyMarkIsComparedAsTheKernelKeepsIt) {
    const std::string script = "spdadd 10.0.1.0/24 10.0.2.0/24 any -mark 0x105/0xff -P out discard;\n"
                               "spdadd 10.0.3.0/24 10.0.4.0/24 any -mark 0/0 -P out discard;\n";
    Kernel k = holding(script);
    ASSERT_EQ(k.policies.size(), 2u);
    // As the kernel holds and dumps them (xfrm_policy_construct masks, xfrm_mark_put
    // leaves 0/0 out).
    for (PolicyRecord& r : k.policies)
        r.xfrm.mark = r.src.addr.to_string() == "10.0.1.0" ? std::optional<Mark>(Mark{0x5, 0xff}) : std::nullopt;
    const SyncPlan p = plan(script, k);
    EXPECT_TRUE(p.empty()) << requests(p);
    EXPECT_EQ(p.unchanged_policies, 2u);
}

TEST(SyncPlan, LarvalSasAndPerSocketPoliciesAreNeverTouched) {
    Kernel k = holding(kTunnel);
    k.sas[0].state = static_cast<uint8_t>(SaState::larval);
    k.policies[0].id = 8 * 9 + 3; // per-socket
    const SyncPlan p = plan("flush;\nspdflush;\n", k);
    EXPECT_EQ(p.count(SyncPlan::Op::remove), 2u + 2u); // all but the larval SA and socket policy
}

TEST(SyncPlan, RequestsOrderAddsSasBeforePoliciesAndDeletesPoliciesBeforeSas) {
    const std::string script = R"(flush;
spdflush;
add 192.0.2.1 192.0.2.9 esp 0x4001 -E aes-cbc 0x00112233445566778899aabbccddeeff;
spdadd 10.0.1.0/24 10.0.9.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.9/require;
)";
    const std::vector<Statement> r = plan(script, holding(kTunnel)).requests();
    std::string kinds;
    for (const Statement& s : r) kinds += std::string(command_name(s.command)) + " ";
    EXPECT_EQ(kinds, "add spdadd spddelete spddelete spddelete delete delete delete ");
}

TEST(SyncPlan, TheSourceAddressAndAlgorithmsAreConfiguration) {
    Kernel k = holding(kTunnel);
    k.sas[2].src = *IpAddress::parse("192.0.2.7"); // 0x1001, the oldest
    const SyncPlan p = plan(kTunnel, k);
    ASSERT_EQ(p.sa_changes.size(), 1u);
    EXPECT_EQ(p.sa_changes[0].op, SyncPlan::Op::replace);
    EXPECT_EQ(p.sa_changes[0].kernel.spi, 0x1001u);
}

} // namespace
} // namespace setkey::model
