// The XFRM-only state in the machine records (issue 9 point 2): the fields appended to
// both records, whole, for the iproute2-made state of the issue and for an entry with
// every attribute; ids that keep apart what the kernel keeps apart; unmarked entries
// keep their version-1 ids; events carry the same fields.
#include <set>

#include <gtest/gtest.h>

#include "output/event.hpp"
#include "output/fields.hpp"
#include "output/json.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using json = nlohmann::ordered_json;

// The record's members from `first` on, as compact JSON text.
json record(const model::SaRecord& sa) { return sa_object(sa, {}); }
json record(const model::PolicyRecord& p) { return policy_object(p, {}); }

template <typename Record>
std::string tail_from(const Record& r, std::string_view first) {
    const json j = record(r);
    json tail = json::object();
    bool on = false;
    for (const auto& [k, v] : j.items()) {
        on = on || k == first;
        if (on) tail[k] = v;
    }
    return tail.dump();
}

TEST(XfrmFields, TheIssuesMarkedSaWhole) {
    EXPECT_EQ(tail_from(xfrm_marked_sa(), "mark"),
              R"({"mark":{"value":5,"mask":255},"if_id":7,"output_mark":{"value":9,"mask":15},)"
              R"("xfrm_flags":["esn"],"extra_flags":[],"extra_flags_raw":0,)"
              R"("selector":{"src":"10.1.0.0/16","dst":"10.2.0.0/16","src_port":null,"dst_port":null,)"
              R"("upperspec":"any","ifindex":null,"user":null},)"
              R"("replay_state":{"esn":true,"seq":32,"oseq":16,"seq_hi":1,"oseq_hi":0,"window":1024,"bitmap":"ffff0000)" +
                  std::string(31 * 8, '0') +
                  R"("},"offload":null,"srcaddr":null,"coaddr":null,"tfcpad":null,"mtimer_thresh":null,)"
                  R"("unknown_attributes":[]})");
}

TEST(XfrmFields, EverySaAttribute) {
    EXPECT_EQ(tail_from(xfrm_every_attribute_sa(), "xfrm_flags"),
              R"({"xfrm_flags":["noecn","wildrecv","af_unspec","esn"],)"
              R"("extra_flags":["dont_encap_dscp","oseq_may_wrap"],"extra_flags_raw":259,)"
              R"("selector":{"src":"10.1.0.0/16","dst":"10.2.0.0/16","src_port":null,"dst_port":443,)"
              R"("upperspec":"tcp","ifindex":3,"user":1000},)"
              R"("replay_state":{"esn":false,"seq":5,"oseq":6,"seq_hi":null,"oseq_hi":null,"window":null,)"
              R"("bitmap":"0000001f"},"offload":{"ifindex":4,"flags":2},)"
              R"("srcaddr":"2001:db8::1","coaddr":"2001:db8::2","tfcpad":512,"mtimer_thresh":60,)"
              R"("unknown_attributes":[{"type":40,"payload":"0100"},{"type":41,"payload":"deadbeef"}]})");
}

TEST(XfrmFields, PlainStateHasNullsAndEmptyLists) {
    EXPECT_EQ(tail_from(small_esp_tunnel(), "mark"),
              R"({"mark":null,"if_id":null,"output_mark":null,"xfrm_flags":[],"extra_flags":[],)"
              R"("extra_flags_raw":0,"selector":null,"replay_state":null,"offload":null,"srcaddr":null,)"
              R"("coaddr":null,"tfcpad":null,"mtimer_thresh":null,"unknown_attributes":[]})");
    EXPECT_EQ(tail_from(small_spd(0).back(), "mark"),
              R"({"mark":null,"if_id":null,"flags":[],"flags_raw":0,"share":"any","ptype":"main",)"
              R"("ifindex":null,"user":null,"unknown_attributes":[]})");
}

TEST(XfrmFields, AMatchAllSelectorIsNone) {
    auto sa = small_esp_tunnel();
    sa.xfrm.selector.family = AF_INET; // what the kernel keeps for an SA added without one
    sa.xfrm.selector.src = ip("0.0.0.0");
    sa.xfrm.selector.dst = ip("0.0.0.0");
    EXPECT_TRUE(sa_object(sa, {})["selector"].is_null());
    sa.xfrm.selector.proto = 17;
    EXPECT_EQ(sa_object(sa, {})["selector"].dump(),
              R"({"src":"0.0.0.0/0","dst":"0.0.0.0/0","src_port":null,"dst_port":null,"upperspec":"udp",)"
              R"("ifindex":null,"user":null})");
}

TEST(XfrmFields, PoliciesWhole) {
    EXPECT_EQ(tail_from(xfrm_marked_policy(), "mark"),
              R"({"mark":{"value":5,"mask":255},"if_id":7,"flags":["icmp"],"flags_raw":2,"share":"any",)"
              R"("ptype":"main","ifindex":null,"user":null,"unknown_attributes":[]})");
    EXPECT_EQ(tail_from(xfrm_every_attribute_policy(), "mark"),
              R"({"mark":{"value":5,"mask":255},"if_id":7,"flags":["localok","icmp"],"flags_raw":3,)"
              R"("share":"unique","ptype":"sub","ifindex":3,"user":1000,)"
              R"("unknown_attributes":[{"type":42,"payload":"07"}]})");
}

// strongSwan pins each outbound template to its SA's SPI and may set its share; both
// are the template's last keys (ip -d xfrm policy prints them on the template line).
TEST(XfrmFields, TemplatesEndWithSpiAndShare) {
    auto p = xfrm_marked_policy();
    ASSERT_EQ(p.requests.size(), 1u);
    EXPECT_EQ(policy_object(p, {})["templates"][0].dump(),
              R"({"proto":"esp","mode":"tunnel","src":"10.0.0.1","dst":"10.0.0.2","src_port":null,)"
              R"("dst_port":null,"level":"unique","reqid":5,"spi":0,"share":"any"})");
    p.requests[0].spi = 0xc0ffee01;
    p.requests[0].share = 1;
    const json t = policy_object(p, {})["templates"][0];
    EXPECT_EQ(t["spi"], 0xc0ffee01u);
    EXPECT_EQ(t["share"], "session");
}

TEST(XfrmFields, UnmarkedEntriesKeepTheirIds) {
    EXPECT_EQ(sa_object(small_esp_tunnel(), {})["id"], "esp/10.0.0.2/0x00001001");
    EXPECT_EQ(policy_object(small_spd(0).back(), {})["id"], "out/1");
    auto sa = small_esp_tunnel();
    sa.if_id = 7; // not part of the kernel's SA lookup: the id stays
    sa.xfrm.output_mark = model::Mark{1, 1};
    EXPECT_EQ(sa_object(sa, {})["id"], "esp/10.0.0.2/0x00001001");
}

// Larval SAs (an acquire's, SPI 0) to one destination are told apart by source and
// reqid, as the kernel keeps them.
TEST(XfrmFields, LarvalSasHaveAnIdEach) {
    auto a = small_esp_tunnel();
    a.spi = 0;
    a.reqid = 11;
    auto b = a;
    b.reqid = 12;
    EXPECT_EQ(sa_object(a, {})["id"], "esp/10.0.0.2/0x00000000/src=10.0.0.1/reqid=11");
    EXPECT_NE(sa_object(a, {})["id"], sa_object(b, {})["id"]);
}

TEST(XfrmFields, SasThatDifferOnlyByMarkHaveTwoIds) {
    const auto a = sa_object(xfrm_marked_sa(0x5), {}), b = sa_object(xfrm_marked_sa(0x6), {});
    EXPECT_EQ(a["id"], "esp/192.0.2.2/0x00c0ffee/mark=0x5/0xff");
    EXPECT_EQ(b["id"], "esp/192.0.2.2/0x00c0ffee/mark=0x6/0xff");
    auto by_mask = xfrm_marked_sa(0x5);
    by_mask.mark->mask = 0xf;
    auto unmarked = xfrm_marked_sa();
    unmarked.mark.reset();
    std::set<std::string> ids;
    for (const auto& sa : {xfrm_marked_sa(0x5), xfrm_marked_sa(0x6), by_mask, unmarked})
        ids.insert(sa_object(sa, {})["id"].get<std::string>());
    EXPECT_EQ(ids.size(), 4u);
}

TEST(XfrmFields, PoliciesThatDifferOnlyByMarkIfIdOrTypeHaveTwoIds) {
    // The kernel gives each its own index; the id also names what sets them apart.
    EXPECT_EQ(policy_object(xfrm_marked_policy(0x5, 9), {})["id"], "out/9/mark=0x5/0xff/if_id=7");
    auto no_if_id = xfrm_marked_policy(0x5, 1);
    no_if_id.xfrm.if_id = 0;
    auto sub = xfrm_marked_policy(0x5, 1);
    sub.xfrm.type = 1;
    EXPECT_EQ(policy_object(sub, {})["id"], "out/1/mark=0x5/0xff/if_id=7/sub");
    auto other_if_id = xfrm_marked_policy(0x5, 1);
    other_if_id.xfrm.if_id = 8;
    // Even with one index for all (records not from one kernel), the ids differ.
    std::set<std::string> ids;
    for (const auto& p : {xfrm_marked_policy(0x5, 1), xfrm_marked_policy(0x6, 1), no_if_id, sub, other_if_id,
                          small_spd(0).back()})
        ids.insert(policy_object(p, {})["id"].get<std::string>());
    EXPECT_EQ(ids.size(), 6u);
}

TEST(XfrmFields, EventsCarryTheSameFields) {
    const auto sa = xfrm_marked_sa();
    const auto p = xfrm_marked_policy();
    const json add = json::parse(event_json({EventKind::add, 1.5, std::nullopt, sa, std::nullopt}, "xfrm", {}));
    EXPECT_EQ(add["v"], 2);
    EXPECT_EQ(add["sa"], sa_object(sa, {}));
    EXPECT_EQ(add["sa"]["mark"], json::parse(R"({"value":5,"mask":255})"));
    EXPECT_EQ(add["sa"]["if_id"], 7);
    EXPECT_EQ(add["sa"]["output_mark"]["value"], 9);
    EXPECT_EQ(add["sa"]["id"], "esp/192.0.2.2/0x00c0ffee/mark=0x5/0xff");
    const json spd = json::parse(event_json({EventKind::spdadd, 1.5, std::nullopt, std::nullopt, p}, "xfrm", {}));
    EXPECT_EQ(spd["sp"], policy_object(p, {}));
    EXPECT_EQ(spd["sp"]["if_id"], 7);
    EXPECT_EQ(spd["sp"]["flags"], json::array({"icmp"}));
}

} // namespace
} // namespace setkey::output
