// Kernel answers that are not records: ACKs, errors with extended ACK text, dump ends,
// expire events, and datagrams holding several messages.
#include <linux/netlink.h>
#include <netinet/in.h>
#include <linux/xfrm.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "model/record_commands.hpp"

#include "support/model_builders.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

template <class T> void put(Message& m, const T& v) {
    const size_t at = m.size();
    m.resize(NLMSG_ALIGN(at + sizeof v), 0);
    std::memcpy(m.data() + at, &v, sizeof v);
}

Message header(uint16_t type, uint16_t flags, uint32_t seq) {
    nlmsghdr h{};
    h.nlmsg_type = type;
    h.nlmsg_flags = flags;
    h.nlmsg_seq = seq;
    Message m(NLMSG_HDRLEN, 0); // sized first: GCC 12 misjudges a copy into an empty vector
    std::memcpy(m.data(), &h, sizeof h);
    return m;
}

void finish(Message& m) {
    uint32_t len = static_cast<uint32_t>(m.size());
    std::memcpy(m.data(), &len, 4);
}

TEST(XfrmCodecReplies, ErrorWithExtendedAckText) {
    auto m = header(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 42);
    nlmsgerr e{};
    e.error = -EINVAL;
    put(m, e);
    const char text[] = "Mode in optional template not allowed in outbound policy";
    nlattr na{static_cast<uint16_t>(NLA_HDRLEN + sizeof text), NLMSGERR_ATTR_MSG};
    put(m, na);
    m.insert(m.end(), text, text + sizeof text);
    m.resize(NLMSG_ALIGN(m.size()), 0);
    finish(m);
    auto d = decode_message(m);
    EXPECT_EQ(d.header.seq, 42u);
    auto* ack = std::get_if<Ack>(&d.body);
    ASSERT_NE(ack, nullptr);
    EXPECT_EQ(ack->error, EINVAL);
    EXPECT_EQ(ack->message, text);
}

// Found by fuzz_xfrm_decode: negating INT_MIN overflowed. An error value no errno can
// have is reported as a protocol error.
TEST(XfrmCodecReplies, ImpossibleErrnoValuesBecomeEproto) {
    auto done = header(NLMSG_DONE, NLM_F_MULTI, 2);
    put(done, int32_t{INT32_MIN});
    finish(done);
    auto decoded_done = decode_message(done);
    auto* d = std::get_if<Done>(&decoded_done.body);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->error, EPROTO);

    auto error = header(NLMSG_ERROR, NLM_F_CAPPED, 3);
    nlmsgerr e{};
    e.error = -100000;
    put(error, e);
    finish(error);
    auto decoded_error = decode_message(error);
    auto* ack = std::get_if<Ack>(&decoded_error.body);
    ASSERT_NE(ack, nullptr);
    EXPECT_EQ(ack->error, EPROTO);
}

TEST(XfrmCodecReplies, PlainAckAndDone) {
    auto ack = header(NLMSG_ERROR, NLM_F_CAPPED, 3);
    put(ack, nlmsgerr{});
    finish(ack);
    auto done = header(NLMSG_DONE, NLM_F_MULTI, 4);
    put(done, int{0});
    finish(done);
    Message both = ack;
    both.insert(both.end(), done.begin(), done.end());
    auto parts = split_messages(both);
    ASSERT_EQ(parts.size(), 2u);
    auto a = decode_message(parts[0]);
    ASSERT_TRUE(std::holds_alternative<Ack>(a.body));
    EXPECT_EQ(std::get<Ack>(a.body).error, 0);
    auto d = decode_message(parts[1]);
    ASSERT_TRUE(std::holds_alternative<Done>(d.body));
    EXPECT_EQ(d.header.flags, NLM_F_MULTI);
}

TEST(XfrmCodecReplies, ExpireEventsMarkDyingOrDead) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x77);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    auto newsa = encode_add_sa(sa, 0);
    for (uint8_t hard : {0, 1}) {
        auto m = header(XFRM_MSG_EXPIRE, 0, 0);
        xfrm_user_expire ue;
        std::memset(&ue, 0, sizeof ue);
        std::memcpy(&ue.state, newsa.data() + NLMSG_HDRLEN, sizeof ue.state);
        ue.hard = hard;
        put(m, ue);
        finish(m);
        auto d = decode_message(m);
        auto* r = std::get_if<model::SaRecord>(&d.body);
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->spi, 0x77u);
        EXPECT_EQ(r->state, static_cast<uint8_t>(hard ? model::SaState::dead : model::SaState::dying));
    }
}

// espinudp-nonike (an IKE daemon's) is sent back as it was dumped, not as espinudp.
TEST(XfrmCodecReplies, NatTTypeOneIsSentAsItWasDumped) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x79);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    sa.key.proto.udp_encap = true;
    for (const bool non_ike : {false, true}) {
        sa.key.proto.non_ike = non_ike;
        auto d = decode_message(encode_add_sa(sa, 0));
        auto* r = std::get_if<model::SaRecord>(&d.body);
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->natt_type, non_ike ? 1 : 2);
        std::string why;
        const auto again = model::readd_sa(*r, why);
        ASSERT_TRUE(again) << why;
        EXPECT_EQ(again->key.proto.non_ike, non_ike);
    }
}

// A transport template's endpoints come back when set, and stay absent when not.
TEST(XfrmCodecReplies, TransportTemplateEndpointsAreKeptWhenSet) {
    model::SpdEntry e;
    e.src = model::Selector{*model::IpAddress::parse("10.44.0.1"), 32, model::kAnyPort};
    e.dst = model::Selector{*model::IpAddress::parse("10.45.0.1"), 32, model::kAnyPort};
    e.policy.action = model::Action::ipsec;
    model::IpsecRequest t;
    t.mode = model::Mode::transport;
    t.level = model::Level::require;
    e.policy.requests = {t};
    t.src = model::Endpoint{*model::IpAddress::parse("10.44.0.1"), std::nullopt};
    t.dst = model::Endpoint{*model::IpAddress::parse("10.45.0.1"), std::nullopt};
    e.policy.requests.push_back(t);
    auto d = decode_message(encode_policy(e, 0));
    auto* r = std::get_if<model::PolicyRecord>(&d.body);
    ASSERT_NE(r, nullptr);
    ASSERT_EQ(r->requests.size(), 2u);
    EXPECT_FALSE(r->requests[0].src);
    EXPECT_FALSE(r->requests[0].dst);
    ASSERT_TRUE(r->requests[1].src && r->requests[1].dst);
    EXPECT_EQ(r->requests[1].src->addr, *model::IpAddress::parse("10.44.0.1"));
    EXPECT_EQ(r->requests[1].dst->addr, *model::IpAddress::parse("10.45.0.1"));
}

TEST(XfrmCodecReplies, SaWithoutAlgorithmsIsLarval) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x78);
    auto d = decode_message(encode_add_sa(sa, 0));
    auto* r = std::get_if<model::SaRecord>(&d.body);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->state, static_cast<uint8_t>(model::SaState::larval));
}

// A dump's records are numbered as they arrive when the next message of their datagram
// continues the dump (xfrm/backend.cpp): a message of the same type and request.
TEST(XfrmCodecReplies, AReplyFollows) {
    const Header reply{XFRM_MSG_NEWPOLICY, NLM_F_MULTI, 7, 0};
    auto next = [](uint16_t type, uint32_t seq) {
        auto m = header(type, NLM_F_MULTI, seq);
        if (type == NLMSG_DONE) put(m, 0);
        finish(m);
        return m;
    };
    EXPECT_TRUE(reply_follows(reply, next(XFRM_MSG_NEWPOLICY, 7)));
    EXPECT_FALSE(reply_follows(reply, next(NLMSG_DONE, 7)));          // the end: it was the last
    EXPECT_FALSE(reply_follows(reply, next(XFRM_MSG_NEWPOLICY, 8)));  // another request's
    EXPECT_FALSE(reply_follows(reply, next(XFRM_MSG_NEWSA, 7)));
    EXPECT_FALSE(reply_follows(reply, next(NLMSG_ERROR, 7)));
    const auto whole = next(XFRM_MSG_NEWPOLICY, 7);
    EXPECT_FALSE(reply_follows(reply, std::span(whole).first(NLMSG_HDRLEN - 1))); // truncated

    // After an SA, only an SA that decodes to a record continues the dump's records.
    const Header sa_reply{XFRM_MSG_NEWSA, NLM_F_MULTI, 7, 0};
    auto sa = [](uint8_t proto) {
        auto m = header(XFRM_MSG_NEWSA, NLM_F_MULTI, 7);
        xfrm_usersa_info info{};
        info.family = AF_INET;
        info.id.proto = proto;
        put(m, info);
        finish(m);
        return m;
    };
    EXPECT_TRUE(reply_follows(sa_reply, sa(IPPROTO_ESP)));
    EXPECT_TRUE(reply_follows(sa_reply, sa(IPPROTO_COMP)));
    EXPECT_FALSE(reply_follows(sa_reply, sa(IPPROTO_ROUTING))); // MIPv6: no record
    EXPECT_EQ(decode_message(sa(IPPROTO_ROUTING)).body.index(), 0u); // as decode_message says (Other)
    const auto esp = sa(IPPROTO_ESP);
    EXPECT_FALSE(reply_follows(sa_reply, std::span(esp).first(NLMSG_HDRLEN + 8))); // truncated SA
}

} // namespace
} // namespace setkey::xfrm
