// -x over XFRM with scripted event datagrams: each event prints as the PF_KEY
// notification af_key would send (timestamp, -H hex, kdebug), -o jsonl prints one
// JSON event per line, -o json is refused, and PF_KEY -o jsonl registers instead of
// going promiscuous and reports each kernel change once.
#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/model_builders.hpp"
#include "cli/monitor_mode.hpp"
#include "support/refusing_stream.hpp"
#include "support/scripted_transport.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"
#include "pfkey/kdebug.hpp"
#include "xfrm/codec.hpp"

namespace setkey {
namespace {

using namespace xfrm::testing;
using json = nlohmann::json;

struct ScriptedEvents final : xfrm::EventSource {
    std::deque<std::vector<uint8_t>> datagrams; // handed out in order, then EBADF
    std::deque<size_t> overruns_before;         // ENOBUFS before the datagram of each index
    size_t handed = 0;
    std::vector<uint8_t> current;
    std::span<const uint8_t> receive(int& error) override {
        if (!overruns_before.empty() && overruns_before.front() == handed) {
            overruns_before.pop_front();
            error = ENOBUFS;
            return {};
        }
        ++handed;
        if (datagrams.empty()) {
            error = EBADF;
            return {};
        }
        current = std::move(datagrams.front());
        datagrams.pop_front();
        error = 0;
        return current;
    }
};

// A kernel event is the request layout sent back with the sender's seq and port id.
std::vector<uint8_t> as_event(std::vector<uint8_t> m, uint32_t seq, uint32_t pid) {
    nlmsghdr h;
    std::memcpy(&h, m.data(), sizeof h);
    h.nlmsg_flags = 0;
    h.nlmsg_seq = seq;
    h.nlmsg_pid = pid;
    std::memcpy(m.data(), &h, sizeof h);
    return m;
}

// XFRM_MSG_EXPIRE for the SA a NEWSA message describes: the state and its mark, no
// algorithm attributes (the kernel sends none in expires).
std::vector<uint8_t> expire_of(const std::vector<uint8_t>& newsa, bool hard) {
    const size_t info = sizeof(nlmsghdr);
    xfrm_user_expire x{};
    std::memcpy(&x.state, newsa.data() + info, sizeof x.state);
    x.hard = hard ? 1 : 0;
    std::vector<uint8_t> m(sizeof(nlmsghdr) + NLMSG_ALIGN(sizeof x));
    for (size_t at = info + NLMSG_ALIGN(sizeof(xfrm_usersa_info)); at + sizeof(nlattr) <= newsa.size();) {
        nlattr a;
        std::memcpy(&a, newsa.data() + at, sizeof a);
        if (a.nla_len < sizeof a) break;
        if ((a.nla_type & NLA_TYPE_MASK) == XFRMA_MARK)
            m.insert(m.end(), newsa.begin() + at, newsa.begin() + at + NLA_ALIGN(a.nla_len));
        at += NLA_ALIGN(a.nla_len);
    }
    std::memcpy(m.data() + sizeof(nlmsghdr), &x, sizeof x);
    nlmsghdr h{};
    h.nlmsg_len = static_cast<uint32_t>(m.size());
    h.nlmsg_type = XFRM_MSG_EXPIRE;
    std::memcpy(m.data(), &h, sizeof h);
    return m;
}

model::SpdEntry out_policy() {
    return spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, model::Direction::out,
               model::Action::ipsec, {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", model::Level::require, 0)});
}

model::AddSa short_lived_sa() {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    sa.auth = keyed(model::AlgKind::auth, "hmac-sha1", 20);
    sa.hard.add_seconds = 2;
    sa.soft.add_seconds = 1;
    return sa;
}

struct XfrmMonitor : ::testing::Test {
    ScriptedEvents events;
    std::istringstream in;
    std::ostringstream out, err;
    cli::Options options;
    XfrmMonitor() {
        options.mode = cli::Mode::monitor;
        options.monitor_level = 2;
    }
    int run() {
        return cli::run_xfrm_monitor(options, {in, out, err}, events,
                                     [] { return timespec{1795682401, 123456000}; });
    }
    std::vector<json> lines() {
        std::vector<json> v;
        std::istringstream s(out.str());
        for (std::string l; std::getline(s, l);) v.push_back(json::parse(l));
        return v;
    }
};

TEST_F(XfrmMonitor, PolicyAddPrintsTheSpdaddNotification) {
    events.datagrams.push_back(as_event(xfrm::encode_policy(out_policy(), 1), 7, 4242));
    EXPECT_EQ(run(), 2); // the script ends with a receive error
    const std::string text = out.str();
    EXPECT_EQ(text.rfind("1795682401.123456 \nsadb_msg{ version=2 type=14 errno=0 satype=0\n", 0), 0u)
        << text;
    EXPECT_NE(text.find("seq=7 pid=4242\n"), std::string::npos) << text;
    EXPECT_NE(text.find("sadb_x_policy{ type=2 dir=2 "), std::string::npos) << text;
    EXPECT_NE(text.find(" { len=48 proto=50 mode=2 level=2 reqid=0\n"), std::string::npos) << text;
    EXPECT_EQ(text.substr(text.size() - 2), "\n\n");
}

// Nobody sees the events any more: -x stops at the first one it cannot write (exit 4)
// instead of dropping every later event while it keeps running.
TEST_F(XfrmMonitor, StopsWithFourAtTheFirstEventItCannotWrite) {
    for (auto format : {cli::OutputFormat::classic, cli::OutputFormat::jsonl}) {
        options.output = format;
        for (uint32_t seq = 1; seq <= 3; ++seq)
            events.datagrams.push_back(as_event(xfrm::encode_flush_policies(seq), seq, 9));
        testing::RefusingStream refusing;
        EXPECT_EQ(cli::run_xfrm_monitor(options, {in, refusing.out, err}, events,
                                        [] { return timespec{1795682401, 0}; }),
                  4);
        EXPECT_EQ(events.datagrams.size(), 2u) << "it went on receiving";
        events.datagrams.clear();
    }
}

TEST_F(XfrmMonitor, HexdumpIsThePfkeyMessage) {
    options.hexdump = true;
    events.datagrams.push_back(as_event(xfrm::encode_flush_policies(1), 3, 9));
    run();
    const pfkey::Bytes flush = pfkey::encode_flush_notify(pfkey::MsgType::spdflush, 0, {9, 3});
    EXPECT_EQ(out.str(), "1795682401.123456 \n" + pfkey::hexdump_text(flush) +
                             pfkey::kdebug_text(flush) + "\n");
}

TEST_F(XfrmMonitor, SaAddCarriesKeysAndTheSelectorAsProxy) {
    events.datagrams.push_back(as_event(xfrm::encode_add_sa(short_lived_sa(), 1), 1, 1));
    run();
    const std::string text = out.str();
    EXPECT_NE(text.find("type=3 errno=0 satype=3"), std::string::npos) << text;
    EXPECT_NE(text.find("sadb_ext{ len=3 type=7 }\nsadb_address{ proto=255 prefixlen=0"),
              std::string::npos) << text;
    EXPECT_NE(text.find("type=9 }\nsadb_key{ bits=128"), std::string::npos) << text;
}

// PF_KEY's rendering has no marks: the dumps' XFRM line follows it, so two events for
// SAs (policies) that differ only by mark do not print alike; unmarked ones print none.
TEST_F(XfrmMonitor, MarkedEntriesEndWithTheDumpsXfrmLine) {
    auto marked = short_lived_sa();
    marked.key.mark = model::Mark{0x5, 0xff};
    marked.key.if_id = 7;
    events.datagrams.push_back(as_event(xfrm::encode_add_sa(marked, 1), 1, 1));
    auto policy = out_policy();
    policy.xfrm.mark = model::Mark{0x6, 0xff};
    events.datagrams.push_back(as_event(xfrm::encode_policy(policy, 2), 2, 1));
    events.datagrams.push_back(as_event(xfrm::encode_add_sa(short_lived_sa(), 3), 3, 1));
    run();
    const std::string text = out.str();
    const size_t sa_line = text.find("\tmark=0x00000005/0x000000ff if_id=7(0x00000007)\n\n");
    const size_t policy_line = text.find("\tmark=0x00000006/0x000000ff\n\n");
    ASSERT_NE(sa_line, std::string::npos) << text;
    ASSERT_NE(policy_line, std::string::npos) << text;
    EXPECT_LT(sa_line, policy_line);
    EXPECT_EQ(text.find("mark=", policy_line + 10), std::string::npos) << text; // the unmarked SA
}

// XFRM counts key bits in 32 bits, PF_KEY in 16: such an SA cannot be shown as af_key's
// message. Said on stderr (not a wrapped sadb_key_bits), and the monitor goes on.
TEST_F(XfrmMonitor, AnEventPfkeyCannotCarryIsSaidOnStderrAndTheMonitorGoesOn) {
    auto sa = short_lived_sa();
    sa.auth = keyed(model::AlgKind::auth, "hmac-sha1", 9000); // 72,000 bits
    events.datagrams.push_back(as_event(xfrm::encode_add_sa(sa, 1), 1, 1));
    events.datagrams.push_back(as_event(xfrm::encode_flush_policies(2), 2, 9));
    EXPECT_EQ(run(), 2); // the script ends with a receive error
    EXPECT_EQ(err.str(), "setkey: XFRM event not shown: key bits of 72000 is more than PF_KEY's 16-bit field holds\n"
                         "setkey: recv: Bad file descriptor\n");
    EXPECT_EQ(out.str().find("satype=3"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("type=19 errno=0"), std::string::npos) << out.str();
}

TEST_F(XfrmMonitor, SoftAndHardExpireBecomeSadbExpire) {
    const auto newsa = xfrm::encode_add_sa(short_lived_sa(), 1);
    events.datagrams.push_back(expire_of(newsa, false));
    events.datagrams.push_back(expire_of(newsa, true));
    run();
    const std::string text = out.str();
    // Soft: LIFETIME_SOFT (4) then CURRENT (2); hard: LIFETIME_HARD (3); never keys.
    const auto soft = text.find("type=8 errno=0 satype=3");
    const auto hard = text.find("type=8 errno=0 satype=3", soft + 1);
    ASSERT_NE(soft, std::string::npos) << text;
    ASSERT_NE(hard, std::string::npos) << text;
    const std::string first = text.substr(soft, hard - soft), second = text.substr(hard);
    EXPECT_NE(first.find("type=4 }\nsadb_lifetime{ alloc=0, bytes=0\n  addtime=1,"), std::string::npos) << first;
    EXPECT_EQ(first.find("type=3 }"), std::string::npos) << first;
    EXPECT_NE(second.find("type=3 }\nsadb_lifetime{ alloc=0, bytes=0\n  addtime=2,"), std::string::npos) << second;
    EXPECT_EQ(text.find("sadb_key"), std::string::npos) << text;
}

// XFRM expires name no algorithm; af_key's do. The monitor fills them in for SAs it
// saw being added.
TEST_F(XfrmMonitor, ExpireNamesTheAlgorithmsOfAnSaSeenBeingAdded) {
    const auto newsa = xfrm::encode_add_sa(short_lived_sa(), 1);
    events.datagrams.push_back(expire_of(newsa, false)); // before the add: unknown
    events.datagrams.push_back(as_event(newsa, 1, 1));
    events.datagrams.push_back(expire_of(newsa, false));
    run();
    const std::string text = out.str();
    const auto first = text.find("type=8 errno=0");
    const auto second = text.find("type=8 errno=0", first + 1);
    ASSERT_NE(second, std::string::npos) << text;
    EXPECT_NE(text.substr(first, second - first).find("auth=0 encrypt=0"), std::string::npos);
    EXPECT_NE(text.substr(second).find("auth=3 encrypt=12"), std::string::npos) << text.substr(second);
    EXPECT_EQ(text.substr(second).find("sadb_key"), std::string::npos);
}

// Two SAs that differ only by mark are two SAs: each expire names its own algorithms,
// and a flush of another protocol forgets neither.
TEST_F(XfrmMonitor, ExpireAlgorithmsAreTheSasOwnByMarkAndSurviveAnotherProtocolsFlush) {
    options.output = cli::OutputFormat::jsonl;
    auto one = short_lived_sa();
    one.key.mark = model::Mark{1, 0xffffffff};
    auto two = short_lived_sa();
    two.key.mark = model::Mark{2, 0xffffffff};
    two.enc = keyed(model::AlgKind::enc, "3des-cbc", 24);
    const auto add_one = xfrm::encode_add_sa(one, 1), add_two = xfrm::encode_add_sa(two, 2);
    events.datagrams.push_back(as_event(add_one, 1, 1));
    events.datagrams.push_back(as_event(add_two, 2, 1));
    xfrm_usersa_flush f{};
    f.proto = 51; // IPPROTO_AH
    std::vector<uint8_t> flush(sizeof(nlmsghdr) + NLMSG_ALIGN(sizeof f));
    nlmsghdr h{};
    h.nlmsg_len = static_cast<uint32_t>(flush.size());
    h.nlmsg_type = XFRM_MSG_FLUSHSA;
    std::memcpy(flush.data(), &h, sizeof h);
    std::memcpy(flush.data() + sizeof h, &f, sizeof f);
    events.datagrams.push_back(flush);
    events.datagrams.push_back(expire_of(add_one, false));
    events.datagrams.push_back(expire_of(add_two, false));
    run();
    const auto v = lines();
    ASSERT_EQ(v.size(), 5u) << out.str();
    EXPECT_EQ(v[3]["sa"]["enc_alg"], "aes-cbc") << v[3].dump();
    EXPECT_EQ(v[4]["sa"]["enc_alg"], "3des-cbc") << v[4].dump();
}

TEST_F(XfrmMonitor, JsonlEventsInOrder) {
    options.output = cli::OutputFormat::jsonl;
    const auto newsa = xfrm::encode_add_sa(short_lived_sa(), 1);
    events.datagrams.push_back(as_event(xfrm::encode_policy(out_policy(), 1), 1, 0));
    events.datagrams.push_back(as_event(newsa, 2, 0));
    events.datagrams.push_back(expire_of(newsa, false));
    events.datagrams.push_back(expire_of(newsa, true));
    events.datagrams.push_back(as_event(xfrm::encode_flush_sa(model::SaType::esp, 3), 3, 0));
    events.datagrams.push_back(as_event(xfrm::encode_flush_policies(4), 4, 0));
    EXPECT_EQ(run(), 2);
    const auto v = lines();
    std::vector<std::string> kinds;
    for (const auto& j : v) kinds.push_back(j["event"]);
    EXPECT_EQ(kinds, (std::vector<std::string>{"spdadd", "add", "expire_soft", "expire_hard", "flush",
                                               "spdflush"}));
    EXPECT_EQ(v[0]["sp"]["dir"], "out");
    EXPECT_EQ(v[1]["sa"]["spi"], 0x1001);
    EXPECT_FALSE(v[1]["sa"].contains("enc_key")) << "keys only with --show-keys";
    EXPECT_EQ(v[2]["sa"]["state"], "dying");
    EXPECT_EQ(v[3]["sa"]["state"], "dead");
    EXPECT_EQ(v[4]["satype"], "esp");
    for (const auto& j : v) {
        EXPECT_EQ(j["backend"], "xfrm");
        EXPECT_DOUBLE_EQ(j["time"].get<double>(), 1795682401.123456);
    }
}

TEST_F(XfrmMonitor, ShowKeysAddsKeysToJsonEvents) {
    options.output = cli::OutputFormat::jsonl;
    options.show_keys = true;
    events.datagrams.push_back(as_event(xfrm::encode_add_sa(short_lived_sa(), 1), 1, 0));
    run();
    EXPECT_TRUE(lines().at(0)["sa"]["enc_key"].is_string());
}

TEST_F(XfrmMonitor, SeveralMessagesInOneDatagramAllPrint) {
    options.output = cli::OutputFormat::jsonl;
    auto both = as_event(xfrm::encode_flush_policies(1), 1, 0);
    const auto second = as_event(xfrm::encode_flush_sa(std::nullopt, 2), 2, 0);
    both.insert(both.end(), second.begin(), second.end());
    events.datagrams.push_back(both);
    run();
    const auto v = lines();
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[1]["event"], "flush");
    EXPECT_TRUE(v[1]["satype"].is_null());
}

// The kernel dropped events (ENOBUFS): said on stderr either way, and in a jsonl
// stream as a "lost" event where it happened, so a consumer knows to dump again.
TEST_F(XfrmMonitor, DroppedEventsAreALostLineInJsonlAndAWarningInClassic) {
    options.output = cli::OutputFormat::jsonl;
    events.datagrams.push_back(as_event(xfrm::encode_policy(out_policy(), 1), 1, 0));
    events.datagrams.push_back(as_event(xfrm::encode_flush_policies(2), 2, 0));
    events.overruns_before = {1};
    EXPECT_EQ(run(), 2);
    const auto v = lines();
    ASSERT_EQ(v.size(), 3u) << out.str();
    EXPECT_EQ(v[0]["event"], "spdadd");
    EXPECT_EQ(v[1], json::parse(R"({"v":2,"type":"event","time":1795682401.123456,"backend":"xfrm",)"
                                R"("event":"lost","sa":null,"sp":null})"));
    EXPECT_EQ(v[2]["event"], "spdflush");
    EXPECT_EQ(err.str(), "setkey: events were lost (receive buffer overrun)\n"
                         "setkey: recv: Bad file descriptor\n");

    // Classic has no such message (0.8.2 printed none): stderr alone says it.
    options.output = cli::OutputFormat::classic;
    out.str("");
    err.str("");
    events.handed = 0;
    events.datagrams.push_back(as_event(xfrm::encode_flush_policies(3), 3, 0));
    events.overruns_before = {0};
    EXPECT_EQ(run(), 2);
    EXPECT_EQ(out.str().find("lost"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("sadb_msg{ version=2 type=19"), std::string::npos) << out.str();
    EXPECT_EQ(err.str(), "setkey: events were lost (receive buffer overrun)\n"
                         "setkey: recv: Bad file descriptor\n");
}

TEST_F(XfrmMonitor, ReceiveErrorEndsWithStatus2) {
    EXPECT_EQ(run(), 2);
    EXPECT_EQ(err.str(), "setkey: recv: Bad file descriptor\n");
}

TEST(MonitorOutput, JsonDocumentIsRefusedForAStream) {
    cli::Options options;
    options.mode = cli::Mode::monitor;
    options.output = cli::OutputFormat::json;
    std::istringstream in;
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_monitor_mode(options, {in, out, err}), 1);
    EXPECT_NE(err.str().find("use -o jsonl"), std::string::npos) << err.str();
    EXPECT_EQ(out.str(), "");
}

// PF_KEY with -o jsonl: REGISTER for every satype instead of PROMISC, so each change
// arrives once and requests of other processes are not reported as events.
using PfkeyScript = test::ScriptedTransport;

TEST(PfkeyJsonlMonitor, RegistersAndPrintsKernelChangesOnly) {
    PfkeyScript t;
    model::SaRecord sa;
    sa.src = ip("10.0.0.1");
    sa.dst = ip("10.0.0.2");
    sa.src_prefixlen = sa.dst_prefixlen = 32;
    sa.spi = 0x1001;
    t.incoming.push_back(pfkey::encode_register(model::SaType::esp, {1, 0})); // our REGISTER reply
    t.incoming.push_back(pfkey::encode_sa_notify(pfkey::MsgType::add, sa, pfkey::kSaChangeLayout,
                                                 std::nullopt, {1, 0}));
    sa.state = 2;
    t.incoming.push_back(pfkey::encode_sa_notify(pfkey::MsgType::expire, sa, pfkey::kSoftExpireLayout,
                                                 std::nullopt, {}));
    t.incoming.push_back(pfkey::encode_flush_notify(pfkey::MsgType::spdflush, 0, {1, 0}));
    cli::Options options;
    options.mode = cli::Mode::monitor;
    options.output = cli::OutputFormat::jsonl;
    std::istringstream in;
    std::ostringstream out, err;
    EXPECT_EQ(cli::run_monitor(options, {in, out, err}, t, [] { return timespec{5, 0}; }), 2);
    ASSERT_EQ(t.sent.size(), 3u);
    for (const auto& m : t.sent) EXPECT_EQ(m[1], static_cast<uint8_t>(pfkey::MsgType::register_));
    std::vector<std::string> kinds;
    std::istringstream s(out.str());
    for (std::string l; std::getline(s, l);) {
        auto j = json::parse(l);
        EXPECT_EQ(j["backend"], "pfkey");
        kinds.push_back(j["event"]);
    }
    EXPECT_EQ(kinds, (std::vector<std::string>{"add", "expire_soft", "spdflush"}));
}

TEST(PfkeyJsonlMonitor, AcquireNamesTheWantedSaAndThePolicyWithoutASelector) {
    PfkeyScript t;
    model::PolicyRecord p;
    p.raw_dir = 2;
    p.id = 1;
    p.priority = 2147483648u;
    t.incoming.push_back(pfkey::encode_register(model::SaType::esp, {1, 0}));
    t.incoming.push_back(pfkey::encode_acquire_notify(model::SaType::esp, ip("10.9.0.1"), ip("10.9.0.2"), p, {0, 1}));
    cli::Options options;
    options.mode = cli::Mode::monitor;
    options.output = cli::OutputFormat::jsonl;
    std::istringstream in;
    std::ostringstream out, err;
    cli::run_monitor(options, {in, out, err}, t, [] { return timespec{5, 0}; });
    const auto j = json::parse(out.str());
    EXPECT_EQ(j["event"], "acquire");
    EXPECT_EQ(j["sa"]["proto"], "esp");
    EXPECT_EQ(j["sa"]["src"], "10.9.0.1");
    EXPECT_EQ(j["sa"]["dst"], "10.9.0.2");
    EXPECT_EQ(j["sa"]["state"], "larval");
    EXPECT_EQ(j["sp"]["index"], 1);
    EXPECT_EQ(j["sp"]["dir"], "out");
    EXPECT_TRUE(j["sp"]["src"].is_null()); // PF_KEY does not send the policy's selector
}

} // namespace
} // namespace setkey
