// xfrm::decode_event on event messages whose layout differs from dump replies:
// POLEXPIRE and ACQUIRE embed a policy, DELSA carries the SA in XFRMA_SA, FLUSHSA names
// a protocol, and SA events report the selector source af_key shows as ADDRESS_PROXY.
#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <cstring>

#include "support/model_builders.hpp"
#include "xfrm/monitor.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;
using Bytes = std::vector<uint8_t>;

Bytes message(uint16_t type, const void* fixed, size_t fixed_size, std::span<const uint8_t> attrs = {}) {
    Bytes m(sizeof(nlmsghdr) + NLMSG_ALIGN(fixed_size));
    std::memcpy(m.data() + sizeof(nlmsghdr), fixed, fixed_size);
    m.insert(m.end(), attrs.begin(), attrs.end());
    nlmsghdr h{};
    h.nlmsg_len = static_cast<uint32_t>(m.size());
    h.nlmsg_type = type;
    std::memcpy(m.data(), &h, sizeof h);
    return m;
}

// The fixed part and the attributes of a request built by xfrm/codec.
template <class T> std::pair<T, Bytes> split(const Bytes& request) {
    T t;
    std::memcpy(&t, request.data() + sizeof(nlmsghdr), sizeof t);
    const size_t at = sizeof(nlmsghdr) + NLMSG_ALIGN(sizeof(T));
    return {t, Bytes(request.begin() + static_cast<long>(at), request.end())};
}

model::SpdEntry tunnel_policy() {
    return spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, model::Direction::out,
               model::Action::ipsec,
               {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", model::Level::require, 0)});
}

TEST(MonitorDecode, PolexpireCarriesThePolicyAndTheKind) {
    auto [info, attrs] = split<xfrm_userpolicy_info>(encode_policy(tunnel_policy(), 1));
    xfrm_user_polexpire x{};
    x.pol = info;
    x.hard = 1;
    const Event e = decode_event(message(XFRM_MSG_POLEXPIRE, &x, sizeof x, attrs));
    EXPECT_EQ(e.kind, Event::Kind::spdexpire);
    EXPECT_TRUE(e.hard);
    ASSERT_TRUE(e.policy);
    EXPECT_EQ(e.policy->dir, model::Direction::out);
    ASSERT_EQ(e.policy->requests.size(), 1u);
    EXPECT_EQ(e.policy->requests[0].mode, model::Mode::tunnel);
}

TEST(MonitorDecode, AcquireGivesTheLarvalSaAndThePolicy) {
    auto policy = tunnel_policy();
    policy.policy.requests[0].reqid = 11;
    auto [info, attrs] = split<xfrm_userpolicy_info>(encode_policy(policy, 1));
    xfrm_user_acquire a{};
    a.id.proto = IPPROTO_ESP;
    const auto src = ip("10.0.0.1"), dst = ip("10.0.0.2");
    std::memcpy(&a.saddr, src.bytes.data(), 4);
    std::memcpy(&a.id.daddr, dst.bytes.data(), 4);
    a.sel = info.sel;
    a.policy = info;
    a.policy.index = 17;
    a.seq = 99;
    const Event e = decode_event(message(XFRM_MSG_ACQUIRE, &a, sizeof a, attrs));
    EXPECT_EQ(e.kind, Event::Kind::acquire);
    EXPECT_EQ(e.acquire_seq, 99u);
    ASSERT_TRUE(e.sa);
    EXPECT_EQ(e.sa->satype, model::SaType::esp);
    EXPECT_EQ(e.sa->src, src);
    EXPECT_EQ(e.sa->dst, dst);
    EXPECT_EQ(e.sa->state, static_cast<uint8_t>(model::SaState::larval));
    // The template's reqid and mode, and the flow's selector, as the kernel sent them.
    EXPECT_EQ(e.sa->reqid, 11u);
    EXPECT_EQ(e.sa->mode, model::Mode::tunnel);
    EXPECT_EQ(e.sa->xfrm.selector.src_prefixlen, 16);
    EXPECT_EQ(e.sa->xfrm.selector.dst, ip("10.2.0.0"));
    ASSERT_TRUE(e.policy);
    EXPECT_EQ(e.policy->id, 17u);
}

TEST(MonitorDecode, FlushsaNamesTheProtocolOrAll) {
    xfrm_usersa_flush f{};
    f.proto = IPPROTO_AH;
    EXPECT_EQ(decode_event(message(XFRM_MSG_FLUSHSA, &f, sizeof f)).flushed, model::SaType::ah);
    f.proto = 255; // IPSEC_PROTO_ANY
    const Event all = decode_event(message(XFRM_MSG_FLUSHSA, &f, sizeof f));
    EXPECT_EQ(all.kind, Event::Kind::flush);
    EXPECT_FALSE(all.flushed);
    // A protocol that is none of setkey's flushes nothing it shows: not "all".
    f.proto = 43; // IPPROTO_ROUTING
    EXPECT_EQ(decode_event(message(XFRM_MSG_FLUSHSA, &f, sizeof f)).kind, Event::Kind::other);
}

TEST(MonitorDecode, DelsaTakesTheSaAndSelectorFromXfrmaSa) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    auto [info, attrs] = split<xfrm_usersa_info>(encode_add_sa(sa, 1));
    xfrm_usersa_id id{};
    id.daddr = info.id.daddr;
    id.spi = info.id.spi;
    id.family = info.family;
    id.proto = info.id.proto;
    Bytes nested(NLA_HDRLEN + NLMSG_ALIGN(sizeof info));
    nlattr na{static_cast<uint16_t>(NLA_HDRLEN + sizeof info), XFRMA_SA};
    std::memcpy(nested.data(), &na, sizeof na);
    std::memcpy(nested.data() + NLA_HDRLEN, &info, sizeof info);
    nested.insert(nested.end(), attrs.begin(), attrs.end());
    const Event e = decode_event(message(XFRM_MSG_DELSA, &id, sizeof id, nested));
    EXPECT_EQ(e.kind, Event::Kind::remove);
    ASSERT_TRUE(e.sa);
    EXPECT_EQ(e.sa->spi, 0x1001u);
    EXPECT_EQ(e.sa->state, static_cast<uint8_t>(model::SaState::dead));
    // The request's selector is 0.0.0.0/0, which differs from the source 10.0.0.1.
    ASSERT_TRUE(e.selector);
    EXPECT_EQ(e.selector->prefixlen, 0);
    EXPECT_TRUE(e.selector->addr.is_unspecified());
}

TEST(MonitorDecode, EventsWithoutAPfkeyCounterpartAreOther) {
    uint32_t nothing = 0;
    EXPECT_EQ(decode_event(message(XFRM_MSG_NEWAE, &nothing, sizeof nothing)).kind, Event::Kind::other);
}

TEST(MonitorDecode, TruncatedExpireIsADecodeError) {
    uint32_t tiny = 0;
    EXPECT_THROW(decode_event(message(XFRM_MSG_EXPIRE, &tiny, sizeof tiny)), DecodeError);
}

} // namespace
} // namespace setkey::xfrm
