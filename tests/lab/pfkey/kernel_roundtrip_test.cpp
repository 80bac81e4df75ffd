// PfkeyBackend against a real af_key. These tests change the SAD and SPD, so they run
// only inside the qemu lab (tests/vm/run-in-vm.sh sets RUN_IN_VM=1), e.g.
//   run-in-vm.sh -L build/tests -- ./test_pfkey --gtest_filter='Kernel*'
// Elsewhere they are skipped, visibly.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>

#include "pfkey/backend.hpp"

namespace setkey::pfkey {
namespace {

using Bytes = std::vector<uint8_t>;

model::IpAddress ip(const char* t) { return model::IpAddress::parse(t).value(); }
const model::Algorithm* enc(const char* n) { return model::find_algorithm(model::AlgKind::enc, n); }
const model::Algorithm* auth(const char* n) { return model::find_algorithm(model::AlgKind::auth, n); }

Bytes bytes(size_t n, uint8_t first) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(first + i);
    return b;
}

model::AddSa esp_tunnel(uint32_t spi) {
    model::AddSa a;
    a.key.src.addr = ip("10.0.0.1");
    a.key.dst.addr = ip("10.0.0.2");
    a.key.spi = spi;
    a.key.mode = model::Mode::tunnel;
    a.key.reqid = 5;
    a.replay = 32;
    a.enc = model::KeyedAlgorithm{enc("aes-cbc"), bytes(16, 0x10)};
    a.auth = model::KeyedAlgorithm{auth("hmac-sha1"), bytes(20, 0x40)};
    return a;
}

class Kernel : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::getenv("RUN_IN_VM")) GTEST_SKIP() << "changes the kernel's SAD/SPD; runs only in tests/vm";
        backend = open_pfkey_backend();
        ASSERT_TRUE(backend->flush_sa(std::nullopt).ok());
        ASSERT_TRUE(backend->flush_policies().ok());
    }
    std::vector<model::SaRecord> dump() {
        std::vector<model::SaRecord> out;
        EXPECT_TRUE(backend->dump_sa(std::nullopt, [&](const model::SaRecord& r) { out.push_back(r); }).ok());
        return out;
    }
    std::vector<model::PolicyRecord> spddump() {
        std::vector<model::PolicyRecord> out;
        EXPECT_TRUE(backend->dump_policies([&](const model::PolicyRecord& r) { out.push_back(r); }).ok());
        return out;
    }
    std::unique_ptr<PfkeyBackend> backend;
};

TEST_F(Kernel, RegisterListsTheKernelsAlgorithms) {
    EXPECT_TRUE(backend->kernel_supports(*enc("aes-cbc"), 256));
    EXPECT_TRUE(backend->kernel_supports(*auth("hmac-sha512"), 512));
    EXPECT_FALSE(backend->kernel_supports(*enc("aes-gcm-16"), 160));
}

TEST_F(Kernel, EmptyTablesDumpAsNothing) {
    EXPECT_TRUE(dump().empty());
    EXPECT_TRUE(spddump().empty());
    // Flushing twice: the second FLUSH reply of a non-empty flush must not confuse us.
    ASSERT_TRUE(backend->add_sa(esp_tunnel(0x1001)).ok());
    EXPECT_TRUE(backend->flush_sa(std::nullopt).ok());
    EXPECT_TRUE(backend->flush_sa(std::nullopt).ok());
    EXPECT_TRUE(dump().empty());
}

TEST_F(Kernel, AddGetDumpDeleteRoundTrip) {
    model::AddSa a = esp_tunnel(0x1001);
    ASSERT_TRUE(backend->add_sa(a).ok());
    EXPECT_EQ(backend->add_sa(a).error, EEXIST);

    std::vector<model::SaRecord> got;
    ASSERT_TRUE(backend->get_sa(a.key, [&](const model::SaRecord& r) { got.push_back(r); }).ok());
    ASSERT_EQ(got.size(), 1u);
    const model::SaRecord& r = got[0];
    EXPECT_EQ(r.spi, 0x1001u);
    EXPECT_EQ(r.src, ip("10.0.0.1"));
    EXPECT_EQ(r.dst, ip("10.0.0.2"));
    EXPECT_EQ(r.mode, model::Mode::tunnel);
    EXPECT_EQ(r.reqid, 5u);
    EXPECT_EQ(r.replay, 32u);
    EXPECT_EQ(r.state, 1); // mature
    ASSERT_TRUE(r.enc.alg && r.auth.alg);
    EXPECT_EQ(r.enc.alg->name, "aes-cbc");
    EXPECT_EQ(r.auth.alg->name, "hmac-sha1");
    EXPECT_EQ(r.enc.key, a.enc->key);
    EXPECT_EQ(r.auth.key, a.auth->key);

    // esp-udp with NAT-T ports, and AH with only a hard lifetime (completed by the backend).
    model::AddSa udp = esp_tunnel(0x1002);
    udp.key.proto.udp_encap = true;
    udp.key.src.port = 4500;
    udp.key.dst.port = 4501;
    ASSERT_TRUE(backend->add_sa(udp).ok());
    model::AddSa ah;
    ah.key.src.addr = ip("fd00::1");
    ah.key.dst.addr = ip("fd00::2");
    ah.key.proto.type = model::SaType::ah;
    ah.key.spi = 0x1003;
    ah.key.mode = model::Mode::transport;
    ah.auth = model::KeyedAlgorithm{auth("hmac-sha256"), bytes(32, 0)};
    ah.hard.add_seconds = 3600;
    ASSERT_TRUE(backend->add_sa(ah).ok()) << "a lone hard lifetime must install";

    std::vector<model::SaRecord> all = dump();
    ASSERT_EQ(all.size(), 3u);
    for (const auto& s : all) {
        if (s.spi == 0x1002) {
            EXPECT_EQ(s.natt_type, 2);
            EXPECT_EQ(s.natt_sport, 4500);
            EXPECT_EQ(s.natt_dport, 4501);
        }
        if (s.spi == 0x1003) {
            EXPECT_EQ(s.satype, model::SaType::ah);
            ASSERT_TRUE(s.hard && s.soft);
            EXPECT_EQ(s.hard->add_time, 3600u);
            EXPECT_EQ(s.soft->add_time, 0u);
        }
    }
    EXPECT_EQ(all.back().msg.seq, 0u); // the kernel numbers dumps 1, 2, ..., 0

    ASSERT_TRUE(backend->delete_sa(a.key).ok());
    EXPECT_EQ(backend->get_sa(a.key, [](const model::SaRecord&) {}).error, ESRCH);
    EXPECT_EQ(backend->delete_sa(a.key).error, ESRCH);
    EXPECT_EQ(dump().size(), 2u);
}

TEST_F(Kernel, PoliciesRoundTrip) {
    model::SpdEntry out;
    out.src = {ip("10.1.0.0"), 16, 0};
    out.dst = {ip("10.2.0.0"), 16, 0};
    out.policy.dir = model::Direction::out;
    out.policy.action = model::Action::ipsec;
    out.policy.priority = model::kPriorityDefault - 10;
    model::IpsecRequest t;
    t.mode = model::Mode::tunnel;
    t.level = model::Level::unique;
    t.reqid = 5;
    t.src = model::Endpoint{ip("10.0.0.1"), std::nullopt};
    t.dst = model::Endpoint{ip("10.0.0.2"), std::nullopt};
    out.policy.requests = {t};
    ASSERT_TRUE(backend->policy(out).ok());
    EXPECT_EQ(backend->policy(out).error, EEXIST);

    model::SpdEntry in;
    in.src = {ip("fd00::"), 64, 80};
    in.dst = {ip("fd01::"), 64, 0};
    in.upper = 6;
    in.policy.dir = model::Direction::in;
    in.policy.action = model::Action::ipsec;
    model::IpsecRequest esp;
    esp.level = model::Level::require;
    in.policy.requests = {esp};
    ASSERT_TRUE(backend->policy(in).ok());

    std::vector<model::PolicyRecord> all = spddump();
    ASSERT_EQ(all.size(), 2u);
    for (const auto& p : all) {
        if (p.dir == model::Direction::out) {
            EXPECT_EQ(p.src, out.src);
            EXPECT_EQ(p.dst, out.dst);
            EXPECT_EQ(p.priority, out.policy.priority);
            ASSERT_EQ(p.requests.size(), 1u);
            EXPECT_EQ(p.requests[0].level, model::Level::unique);
            EXPECT_EQ(p.requests[0].reqid, 5u);
            ASSERT_TRUE(p.requests[0].dst);
            EXPECT_EQ(p.requests[0].dst->addr, ip("10.0.0.2"));
        } else {
            EXPECT_EQ(p.dir, model::Direction::in);
            EXPECT_EQ(p.src, in.src);
            EXPECT_EQ(p.upper, 6);
        }
    }

    model::SpdEntry del = in;
    del.kind = model::SpdEntry::Kind::remove;
    del.policy.action.reset();
    del.policy.requests.clear();
    ASSERT_TRUE(backend->policy(del).ok());
    EXPECT_EQ(backend->policy(del).error, ENOENT);
    EXPECT_EQ(spddump().size(), 1u);
}

TEST_F(Kernel, LargeDumpArrivesWhole) {
    // Far more than fits the socket buffer at once: the kernel pauses and resumes.
    constexpr uint32_t kCount = 2000;
    for (uint32_t i = 0; i < kCount; ++i) ASSERT_TRUE(backend->add_sa(esp_tunnel(0x10000 + i)).ok()) << i;
    std::vector<model::SaRecord> all = dump();
    EXPECT_EQ(all.size(), kCount);
}

TEST_F(Kernel, KernelRefusesALoneLifetimeWhichIsWhyTheBackendCompletesIt) {
    // Sent raw, as 0.8.2 would: LIFETIME_HARD without LIFETIME_SOFT.
    model::AddSa a = esp_tunnel(0x3001);
    a.hard.add_seconds = 60;
    Socket raw;
    const RequestId id{4242, 77};
    ASSERT_EQ(raw.send(encode_add_sa(a, id)), 0);
    for (;;) {
        int error = 0;
        auto got = raw.receive(5000, error);
        ASSERT_TRUE(got && error == 0);
        Header h = decode_header(*got);
        if (h.pid != id.pid || h.seq != id.seq) continue;
        EXPECT_EQ(h.errno_, EINVAL);
        break;
    }
    EXPECT_TRUE(backend->add_sa(a).ok());
}

TEST_F(Kernel, AeadIsRefusedWithAPointerToXfrm) {
    model::AddSa a = esp_tunnel(0x2001);
    a.enc = model::KeyedAlgorithm{enc("aes-gcm-16"), bytes(20, 0)};
    a.auth.reset();
    model::OpResult r = backend->add_sa(a);
    EXPECT_EQ(r.error, EOPNOTSUPP);
    EXPECT_NE(r.detail.find("--backend xfrm"), std::string::npos);
}

} // namespace
} // namespace setkey::pfkey
