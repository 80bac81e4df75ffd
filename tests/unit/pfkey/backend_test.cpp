// PfkeyBackend's request/reply logic against a scripted kernel: reply matching by pid
// and seq, dump numbering, empty dumps, retries, and what it refuses before sending.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "support/hexdump_file.hpp"
#include "pfkey/backend.hpp"

namespace setkey::pfkey {
namespace {

using test::Bytes;

constexpr uint32_t kPid = 4242;

// Answers each request with whatever `script` returns for it.
class ScriptedKernel final : public Transport {
public:
    std::function<std::vector<Bytes>(const Bytes&)> script;
    std::vector<Bytes>* sent;
    std::deque<Bytes> queue;
    std::optional<Bytes> noise; // when set, received forever once the queue is empty
    Bytes current;
    std::string calls; // 's' per send, 'r' per receive: shows pipelining

    explicit ScriptedKernel(std::vector<Bytes>* log) : sent(log) {}
    int send(std::span<const uint8_t> m) override {
        calls += 's';
        Bytes req(m.begin(), m.end());
        sent->push_back(req);
        for (auto& r : script(req)) queue.push_back(std::move(r));
        return 0;
    }
    std::optional<std::span<const uint8_t>> receive(int, int& error) override {
        calls += 'r';
        error = 0;
        if (queue.empty() && noise) return std::span<const uint8_t>(*noise);
        if (queue.empty()) return std::nullopt;
        current = std::move(queue.front());
        queue.pop_front();
        return std::span<const uint8_t>(current);
    }
};

void set_u32(Bytes& b, size_t off, uint32_t v) { std::memcpy(b.data() + off, &v, 4); }

// A bare reply: the request's header with errno set.
Bytes reply(const Bytes& req, uint8_t err = 0) {
    Bytes r(req.begin(), req.begin() + 16);
    r[2] = err;
    r[4] = 2, r[5] = 0;
    return r;
}

// A reply whose header says 24 bytes (3 units) and carries the 16 of the header alone.
std::vector<Bytes> malformed_reply(const Bytes& req) {
    Bytes bad = reply(req);
    bad[4] = 3;
    return {bad};
}

Bytes with(Bytes m, uint8_t type, uint32_t seq, uint32_t pid) {
    m[1] = type;
    set_u32(m, 8, seq);
    set_u32(m, 12, pid);
    return m;
}

// The kernel's real REGISTER reply from small.out, re-addressed to the request.
Bytes register_reply(const Bytes& req) {
    for (const Bytes& m : test::messages_of(test::read_hexdump_text(test::small_xxh())))
        if (m[1] == 7 && m.size() > 16)
            return with(m, 7, decode_header(req).seq, kPid);
    throw std::runtime_error("no REGISTER reply in small.out");
}

model::AddSa esp_sa(uint32_t spi) {
    model::AddSa a;
    a.key.src.addr = *model::IpAddress::parse("10.0.0.1");
    a.key.dst.addr = *model::IpAddress::parse("10.0.0.2");
    a.key.spi = spi;
    a.enc = model::KeyedAlgorithm{model::find_algorithm(model::AlgKind::enc, "aes-cbc"), Bytes(16, 1)};
    return a;
}

struct PfkeyBackendTest : ::testing::Test {
    std::vector<Bytes> sent;
    ScriptedKernel* kernel = nullptr;
    std::vector<std::pair<Bytes, bool>> traced;
    std::function<std::vector<Bytes>(const Bytes&)> after_register = [](const Bytes& r) {
        return std::vector<Bytes>{reply(r)};
    };

    std::unique_ptr<PfkeyBackend> open(int timeout_ms = 200, size_t window = 64, bool register_first = true) {
        auto k = std::make_unique<ScriptedKernel>(&sent);
        kernel = k.get();
        k->script = [this](const Bytes& r) {
            if (r[1] == 7) return std::vector<Bytes>{register_reply(r)};
            return after_register(r);
        };
        PfkeyOptions o;
        o.pid = kPid;
        o.reply_timeout_ms = timeout_ms;
        o.pipeline_window = window;
        o.register_at_open = register_first;
        o.trace = [this](std::span<const uint8_t> m, bool s) { traced.emplace_back(Bytes(m.begin(), m.end()), s); };
        return std::make_unique<PfkeyBackend>(std::move(k), o);
    }
};

TEST_F(PfkeyBackendTest, RegistersFirstAndKeepsTheSupportedLists) {
    auto b = open();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0][1], 7);                // SADB_REGISTER
    EXPECT_EQ(sent[0][3], 0);                // satype UNSPEC
    EXPECT_EQ(b->supported().enc.size(), 10u);
    EXPECT_TRUE(b->kernel_supports(*model::find_algorithm(model::AlgKind::enc, "aes-cbc"), 256));
    EXPECT_FALSE(b->kernel_supports(*model::find_algorithm(model::AlgKind::enc, "aes-cbc"), 512));
    EXPECT_TRUE(b->kernel_supports(*model::find_algorithm(model::AlgKind::auth, "hmac-sha256"), 256));
    EXPECT_FALSE(b->kernel_supports(*model::find_algorithm(model::AlgKind::enc, "aes-gcm-16"), 160));
}

TEST_F(PfkeyBackendTest, WithoutRegisterAtOpenItRegistersOnFirstUseOnly) {
    auto b = open(200, 64, false);
    EXPECT_TRUE(sent.empty()); // a dump or flush sends nothing but its own request
    b->dump_policies([](const model::PolicyRecord&) {});
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(sent[0][1], 7);
    EXPECT_TRUE(b->kernel_supports(*model::find_algorithm(model::AlgKind::enc, "aes-cbc"), 256));
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1][1], 7); // SADB_REGISTER, once
    EXPECT_EQ(b->supported().enc.size(), 10u);
    EXPECT_EQ(sent.size(), 2u);
}

TEST_F(PfkeyBackendTest, RegisterRefusalIsAnOpenError) {
    auto k = std::make_unique<ScriptedKernel>(&sent);
    k->script = [](const Bytes& r) { return std::vector<Bytes>{reply(r, EPERM)}; };
    PfkeyOptions o;
    o.pid = kPid;
    try {
        PfkeyBackend b(std::move(k), o);
        FAIL() << "opened";
    } catch (const OpenError& e) {
        EXPECT_EQ(e.error, EPERM);
        EXPECT_NE(std::string(e.what()).find("SADB_REGISTER failed"), std::string::npos);
    }
}

TEST_F(PfkeyBackendTest, RepliesAreMatchedByPidAndSeq) {
    after_register = [](const Bytes& r) {
        Bytes other_pid = with(reply(r), r[1], decode_header(r).seq, 77);  // another process
        Bytes stale = with(reply(r), r[1], decode_header(r).seq - 1, kPid); // an older request
        return std::vector<Bytes>{other_pid, stale, reply(r, EEXIST)};
    };
    auto b = open();
    EXPECT_EQ(b->add_sa(esp_sa(1)).error, EEXIST);
    EXPECT_EQ(decode_header(sent.back()).seq, 2u); // REGISTER had 1
    EXPECT_EQ(decode_header(sent.back()).pid, kPid);
}

TEST_F(PfkeyBackendTest, TheDuplicateFlushReplyDoesNotAnswerTheNextRequest) {
    after_register = [](const Bytes& r) {
        if (r[1] == 9) return std::vector<Bytes>{reply(r), reply(r)}; // unicast + broadcast
        return std::vector<Bytes>{reply(r, ESRCH)};
    };
    auto b = open();
    EXPECT_TRUE(b->flush_sa(std::nullopt).ok());
    model::SaKey k = esp_sa(5).key;
    EXPECT_EQ(b->delete_sa(k).error, ESRCH);
}

TEST_F(PfkeyBackendTest, DumpReadsUntilSeqZeroAndEmptyDumpIsSuccess) {
    int dumps = 0;
    after_register = [&](const Bytes& r) {
        if (++dumps == 1) {
            std::vector<Bytes> out;
            for (uint32_t i : {1u, 2u, 0u}) out.push_back(with(encode_add_sa(esp_sa(100 + i), {}), 10, i, kPid));
            return out;
        }
        return std::vector<Bytes>{reply(r, ENOENT)};
    };
    auto b = open();
    std::vector<uint32_t> spis;
    EXPECT_TRUE(b->dump_sa(std::nullopt, [&](const model::SaRecord& r) { spis.push_back(r.spi); }).ok());
    EXPECT_EQ(spis, (std::vector<uint32_t>{101, 102, 100}));
    spis.clear();
    EXPECT_TRUE(b->dump_sa(model::SaType::esp, [&](const model::SaRecord& r) { spis.push_back(r.spi); }).ok());
    EXPECT_TRUE(spis.empty());
}

TEST_F(PfkeyBackendTest, GetReportsSeqZeroAs082Printed) {
    after_register = [](const Bytes& r) {
        return std::vector<Bytes>{with(encode_add_sa(esp_sa(7), {}), 5, decode_header(r).seq, kPid)};
    };
    auto b = open();
    std::vector<model::SaRecord> got;
    ASSERT_TRUE(b->get_sa(esp_sa(7).key, [&](const model::SaRecord& r) { got.push_back(r); }).ok());
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].spi, 7u);
    EXPECT_EQ(got[0].msg.seq, 0u);
    EXPECT_EQ(got[0].msg.pid, kPid);
}

TEST_F(PfkeyBackendTest, BusyDumpIsRetried) {
    int tries = 0;
    after_register = [&](const Bytes& r) {
        if (++tries < 3) return std::vector<Bytes>{reply(r, EBUSY)};
        return std::vector<Bytes>{reply(r, ENOENT)};
    };
    auto b = open();
    EXPECT_TRUE(b->dump_policies([](const model::PolicyRecord&) {}).ok());
    EXPECT_EQ(tries, 3);
}

TEST_F(PfkeyBackendTest, SilenceIsATimeoutNotAHang) {
    after_register = [](const Bytes&) { return std::vector<Bytes>{}; };
    auto b = open(50);
    model::OpResult r = b->flush_policies();
    EXPECT_EQ(r.error, ETIMEDOUT);
}

TEST_F(PfkeyBackendTest, OtherProcessesTrafficDoesNotPostponeTheTimeout) {
    after_register = [](const Bytes&) { return std::vector<Bytes>{}; };
    auto b = open(50);
    // Endless broadcasts for another pid; our reply never comes.
    kernel->noise = with(encode_flush_sa(std::nullopt, {}), 9, 1, 77);
    EXPECT_EQ(b->flush_sa(std::nullopt).error, ETIMEDOUT);
}

TEST_F(PfkeyBackendTest, MalformedReplyIsReported) {
    after_register = malformed_reply;
    auto b = open();
    model::OpResult r = b->get_sa(esp_sa(1).key, [](const model::SaRecord&) {});
    EXPECT_EQ(r.error, EBADMSG);
    EXPECT_NE(r.detail.find("malformed reply"), std::string::npos);
}

TEST_F(PfkeyBackendTest, WhatPfkeyCannotDoIsRefusedBeforeSending) {
    auto b = open();
    size_t before = sent.size();
    model::AddSa gcm = esp_sa(1);
    gcm.enc->alg = model::find_algorithm(model::AlgKind::enc, "aes-gcm-16");
    model::OpResult r = b->add_sa(gcm);
    EXPECT_EQ(r.error, EOPNOTSUPP);
    EXPECT_NE(r.detail.find("--backend xfrm"), std::string::npos);
    model::AddSa esn = esp_sa(1);
    esn.esn = true;
    EXPECT_EQ(b->add_sa(esn).error, EOPNOTSUPP);
    model::AddSa wide = esp_sa(1);
    wide.replay = 256;
    EXPECT_EQ(b->add_sa(wide).error, EOPNOTSUPP);
    EXPECT_EQ(sent.size(), before);
}

TEST_F(PfkeyBackendTest, ALoneHardLifetimeGetsAnUnlimitedSoftOne) {
    auto b = open();
    model::AddSa a = esp_sa(1);
    a.hard.add_seconds = 3600;
    ASSERT_TRUE(b->add_sa(a).ok());
    Decoded m = decode_message(sent.back());
    ASSERT_TRUE(m.sa);
    ASSERT_TRUE(m.sa->hard && m.sa->soft);
    EXPECT_EQ(m.sa->hard->add_time, 3600u);
    EXPECT_EQ(*m.sa->soft, model::Lifetime{}); // zeros: af_key reads 0 as unlimited
}

TEST_F(PfkeyBackendTest, TraceSeesRequestsAndOurReplies) {
    auto b = open();
    traced.clear();
    ASSERT_TRUE(b->flush_sa(std::nullopt).ok());
    ASSERT_EQ(traced.size(), 2u);
    EXPECT_TRUE(traced[0].second);
    EXPECT_FALSE(traced[1].second);
}

// --- apply_batch: the pipelined load path ---

model::SpdEntry out_policy() {
    model::SpdEntry e;
    e.src.addr = *model::IpAddress::parse("10.1.0.0");
    e.src.prefixlen = 16;
    e.dst.addr = *model::IpAddress::parse("10.2.0.0");
    e.dst.prefixlen = 16;
    e.policy.dir = model::Direction::out;
    e.policy.action = model::Action::none;
    return e;
}

std::vector<model::OpResult> run_batch(PfkeyBackend& b, const std::vector<model::Command>& cmds) {
    std::vector<model::OpResult> out;
    b.apply_batch(cmds, [&](size_t i, const model::OpResult& r) {
        EXPECT_EQ(i, out.size()); // in index order
        out.push_back(r);
    });
    return out;
}

TEST_F(PfkeyBackendTest, BatchSendsAWindowBeforeReadingReplies) {
    auto b = open(200, 4);
    kernel->calls.clear();
    std::vector<model::Command> cmds;
    for (uint32_t i = 0; i < 6; ++i) cmds.push_back(esp_sa(100 + i));
    auto results = run_batch(*b, cmds);
    ASSERT_EQ(results.size(), 6u);
    for (const auto& r : results) EXPECT_TRUE(r.ok());
    EXPECT_EQ(kernel->calls, "ssssrrrrssrr");
    // Seqs go on after REGISTER's 1, one per request, and single calls continue them.
    for (size_t i = 0; i < 6; ++i) EXPECT_EQ(decode_header(sent[1 + i]).seq, 2 + i);
    ASSERT_TRUE(b->flush_policies().ok());
    EXPECT_EQ(decode_header(sent.back()).seq, 8u);
}

TEST_F(PfkeyBackendTest, BatchMapsEachReplyToItsCommandWhateverTheOrder) {
    // The kernel holds the replies of a window and gives them back reversed, with
    // another process's message, a stale seq and FLUSH's duplicate reply among them.
    std::vector<Bytes> held;
    after_register = [&](const Bytes& r) {
        const uint32_t seq = decode_header(r).seq;
        uint8_t err = 0;
        if (seq == 3) err = EEXIST;      // second add
        if (r[1] == 4) err = ESRCH;      // delete
        if (r[1] == 14) err = EINVAL;    // spdadd
        held.push_back(reply(r, err));
        if (r[1] == 9) held.push_back(reply(r)); // unicast + broadcast
        held.push_back(with(reply(r), r[1], seq, 77));
        held.push_back(with(reply(r), r[1], 1, kPid));
        if (held.size() < 5 * 3 + 1) return std::vector<Bytes>{};
        std::vector<Bytes> out(held.rbegin(), held.rend());
        held.clear();
        return out;
    };
    auto b = open();
    model::DeleteSa del;
    del.key = esp_sa(9).key;
    std::vector<model::Command> cmds{esp_sa(1), esp_sa(2), model::FlushSa{}, del, out_policy()};
    auto results = run_batch(*b, cmds);
    ASSERT_EQ(results.size(), 5u);
    EXPECT_TRUE(results[0].ok());
    EXPECT_EQ(results[1].error, EEXIST);
    EXPECT_TRUE(results[2].ok());
    EXPECT_EQ(results[3].error, ESRCH);
    EXPECT_EQ(results[4].error, EINVAL);
}

TEST_F(PfkeyBackendTest, BatchRefusesWithoutSendingWhatTheSinglePathRefuses) {
    auto b = open();
    const size_t before = sent.size();
    model::AddSa gcm = esp_sa(1);
    gcm.enc->alg = model::find_algorithm(model::AlgKind::enc, "aes-gcm-16");
    model::GetSa get;
    get.key = esp_sa(1).key;
    std::vector<model::Command> cmds{gcm, get, model::Exit{}, esp_sa(2)};
    auto results = run_batch(*b, cmds);
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[0].error, EOPNOTSUPP);
    EXPECT_NE(results[0].detail.find("--backend xfrm"), std::string::npos);
    EXPECT_EQ(results[1].error, EINVAL);
    EXPECT_TRUE(results[2].ok());
    EXPECT_TRUE(results[3].ok());
    ASSERT_EQ(sent.size(), before + 1); // only the last add went out
    EXPECT_EQ(decode_header(sent.back()).seq, 2u);
}

// Marks, interface ids and output marks would be dropped on the wire: the SA or policy
// installed would be another one. Commands that did not come through the grammar
// (which refuses them at the option) are refused here.
TEST_F(PfkeyBackendTest, MarksAndInterfaceIdsAreRefusedBeforeSending) {
    auto b = open();
    const size_t before = sent.size();
    model::AddSa marked = esp_sa(1);
    marked.key.mark = model::Mark{5, 0xff};
    EXPECT_EQ(b->add_sa(marked).detail, "pfkey: PF_KEY has no marks (-mark); use --backend xfrm");
    model::AddSa if_id = esp_sa(1);
    if_id.key.if_id = 7;
    EXPECT_EQ(b->add_sa(if_id).detail, "pfkey: PF_KEY has no interface ids (-if_id); use --backend xfrm");
    model::AddSa output = esp_sa(1);
    output.xfrm.output_mark = model::Mark{1, 0xf};
    EXPECT_EQ(b->add_sa(output).detail, "pfkey: PF_KEY has no output marks (-output_mark); use --backend xfrm");
    EXPECT_EQ(b->delete_sa(marked.key).error, EOPNOTSUPP);
    EXPECT_EQ(b->get_sa(marked.key, [](const model::SaRecord&) {}).error, EOPNOTSUPP);
    model::SpdEntry policy;
    policy.src.addr = marked.key.src.addr;
    policy.dst.addr = marked.key.dst.addr;
    policy.policy.action = model::Action::none;
    policy.xfrm.mark = model::Mark{5, 0xff};
    EXPECT_EQ(b->policy(policy).error, EOPNOTSUPP);
    policy.xfrm.mark.reset();
    policy.xfrm.if_id = 3;
    EXPECT_EQ(b->policy(policy).error, EOPNOTSUPP);
    model::SpdEntry flagged = policy;
    flagged.xfrm.if_id = 0;
    flagged.xfrm.flags = 1; // XFRM_POLICY_LOCALOK
    EXPECT_EQ(b->policy(flagged).detail,
              "pfkey: PF_KEY cannot carry this policy's XFRM attributes (flags, share, type, selector ifindex, "
              "user or port mask); use --backend xfrm");
    model::SpdEntry icmp_type0 = policy; // af_key makes port 0 "any": the mask would be lost
    icmp_type0.xfrm.if_id = 0;
    icmp_type0.xfrm.src_port_mask = 0xffff;
    EXPECT_EQ(b->policy(icmp_type0).error, EOPNOTSUPP);
    model::SpdEntry pinned = flagged;
    pinned.xfrm.flags = 0;
    pinned.policy.action = model::Action::ipsec;
    pinned.policy.requests.push_back(model::IpsecRequest{.spi = 0x1234});
    EXPECT_EQ(b->policy(pinned).detail, "pfkey: PF_KEY cannot carry a template's SPI or share; use --backend xfrm");
    pinned.policy.requests.back() = model::IpsecRequest{.share = 3};
    EXPECT_EQ(b->policy(pinned).error, EOPNOTSUPP);
    model::DeleteSa del{marked.key};
    std::vector<model::Command> cmds{marked, del, policy};
    for (const model::OpResult& r : run_batch(*b, cmds)) EXPECT_EQ(r.error, EOPNOTSUPP);
    EXPECT_EQ(sent.size(), before);
}

TEST_F(PfkeyBackendTest, BatchAddsBothLifetimesAsTheSinglePathDoes) {
    auto b = open();
    model::AddSa a = esp_sa(1);
    a.hard.add_seconds = 3600;
    auto results = run_batch(*b, {a});
    ASSERT_TRUE(results.at(0).ok());
    Decoded m = decode_message(sent.back());
    ASSERT_TRUE(m.sa && m.sa->hard && m.sa->soft);
    EXPECT_EQ(*m.sa->soft, model::Lifetime{});
}

TEST_F(PfkeyBackendTest, BatchReportsALostReplyAsATimeoutForThatCommandOnly) {
    after_register = [](const Bytes& r) {
        if (decode_header(r).seq == 3) return std::vector<Bytes>{}; // dropped
        return std::vector<Bytes>{reply(r)};
    };
    auto b = open(50);
    auto results = run_batch(*b, {esp_sa(1), esp_sa(2), esp_sa(3)});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0].ok());
    EXPECT_EQ(results[1].error, ETIMEDOUT);
    EXPECT_TRUE(results[2].ok());
}

TEST_F(PfkeyBackendTest, BatchResendsABusyRequestAlone) {
    int busy = 0;
    after_register = [&](const Bytes& r) {
        if (decode_header(r).seq == 2 && ++busy < 3) return std::vector<Bytes>{reply(r, EBUSY)};
        return std::vector<Bytes>{reply(r)};
    };
    auto b = open();
    auto results = run_batch(*b, {esp_sa(1), esp_sa(2)});
    ASSERT_EQ(results.size(), 2u);
    EXPECT_TRUE(results[0].ok());
    EXPECT_TRUE(results[1].ok());
    EXPECT_EQ(busy, 3);
}

TEST_F(PfkeyBackendTest, BatchReportsAMalformedReply) {
    after_register = malformed_reply;
    auto b = open();
    auto results = run_batch(*b, {esp_sa(1)});
    EXPECT_EQ(results.at(0).error, EBADMSG);
}

TEST_F(PfkeyBackendTest, BatchTracesRequestsAndOurReplies) {
    auto b = open();
    traced.clear();
    run_batch(*b, {esp_sa(1), esp_sa(2)});
    ASSERT_EQ(traced.size(), 4u);
    EXPECT_TRUE(traced[0].second && traced[1].second);
    EXPECT_FALSE(traced[2].second || traced[3].second);
}

} // namespace
} // namespace setkey::pfkey
