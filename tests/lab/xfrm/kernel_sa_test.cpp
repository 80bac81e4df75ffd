// SA add/update/getspi/get/delete/dump/flush over XFRM against a kernel with ESP, AH and
// IPComp (the qemu lab); skipped on kernels without them.
#include <cerrno>
#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "support/kernel_sa_fixture.hpp"
#include "output/classic.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;
using model::AlgKind;

class XfrmKernelSa : public KernelSaTest {};

TEST_F(XfrmKernelSa, EverySampleSaInstallsAndReadsBack) {
    auto samples = sample_sas();
    for (const auto& s : samples) add(s.sa);
    std::map<uint32_t, model::SaRecord> by_spi;
    for (auto& r : sas()) by_spi[r.spi] = r;
    ASSERT_EQ(by_spi.size(), samples.size());
    for (const auto& s : samples) {
        SCOPED_TRACE(s.sa.key.spi);
        const auto& r = by_spi.at(s.sa.key.spi);
        EXPECT_EQ(r.satype, s.sa.key.proto.type);
        EXPECT_EQ(r.src, s.sa.key.src.addr);
        EXPECT_EQ(r.dst, s.sa.key.dst.addr);
        EXPECT_EQ(r.state, static_cast<uint8_t>(model::SaState::mature));
        EXPECT_EQ(r.reqid, s.sa.key.reqid);
        EXPECT_EQ(r.mode, s.sa.key.mode == model::Mode::any ? model::Mode::transport : s.sa.key.mode);
        EXPECT_EQ(r.replay, s.sa.replay);
        EXPECT_EQ(r.esn, s.sa.esn);
        if (s.sa.enc) {
            EXPECT_EQ(r.enc.alg, s.sa.enc->alg);
            EXPECT_EQ(r.aead, s.sa.enc->alg->kind == AlgKind::aead);
            if (!s.sa.enc->key.empty()) {
                EXPECT_EQ(r.enc.key, s.sa.enc->key);
            }
        }
        if (s.sa.auth) {
            EXPECT_EQ(r.auth.alg, s.sa.auth->alg);
            EXPECT_EQ(r.auth.icv_bits, s.sa.auth->alg->icv_bits);
            EXPECT_EQ(r.auth.key, s.sa.auth->key);
        }
        if (s.sa.comp) {
            EXPECT_EQ(r.comp.alg, s.sa.comp);
        }
        if (s.sa.key.proto.udp_encap) {
            EXPECT_EQ(r.natt_type, 2);
            EXPECT_EQ(r.natt_sport, 4500);
            EXPECT_EQ(r.natt_dport, 4501);
        }
        EXPECT_EQ(r.hard->add_time, s.sa.hard.add_seconds.value_or(0));
        EXPECT_EQ(r.soft->bytes, s.sa.soft.bytes.value_or(0));
        EXPECT_GT(r.current->add_time, 0u);
    }
}

TEST_F(XfrmKernelSa, GetPrintsTheClassicEntry) {
    auto s = sample_sas()[0].sa;
    add(s);
    auto r = get(s.key);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->msg.seq, 0u);
    auto text = output::format_sa(*r, {});
    EXPECT_EQ(text.substr(0, text.find("\tseq=")),
              "10.0.0.1 10.0.0.2 \n"
              "\tesp mode=tunnel spi=4097(0x00001001) reqid=5(0x00000005)\n"
              "\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff\n"
              "\tA: hmac-sha1  00112233 44556677 8899aabb ccddeeff 00112233\n");
    EXPECT_NE(text.find("\tseq=0x00000000 replay=32 flags=0x00000000 state=mature \n"),
              std::string::npos)
        << text;
}

TEST_F(XfrmKernelSa, DuplicateAddIsEexistAndUpdateChangesLifetimes) {
    auto s = sample_sas()[0].sa;
    add(s);
    EXPECT_EQ(backend->add_sa(s).error, EEXIST);
    s.kind = model::AddSa::Kind::update;
    s.hard.add_seconds = 7200;
    s.soft.add_seconds = 7000;
    ASSERT_TRUE(backend->add_sa(s).ok());
    auto r = get(s.key);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->hard->add_time, 7200u);
    EXPECT_EQ(r->soft->add_time, 7000u);
}

TEST_F(XfrmKernelSa, GetspiCreatesALarvalSa) {
    auto s = esp_sa("10.0.0.1", "10.0.0.2", 0x3000, model::Mode::tunnel);
    s.kind = model::AddSa::Kind::getspi;
    s.key.reqid = 9;
    ASSERT_TRUE(backend->add_sa(s).ok());
    auto r = get(s.key);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, static_cast<uint8_t>(model::SaState::larval));
    EXPECT_EQ(r->reqid, 9u);
}

TEST_F(XfrmKernelSa, DeleteRemovesAndSecondDeleteIsEsrch) {
    auto s = sample_sas()[0].sa;
    add(s);
    ASSERT_TRUE(backend->delete_sa(s.key).ok());
    EXPECT_FALSE(get(s.key));
    EXPECT_EQ(backend->delete_sa(s.key).error, ESRCH);
}

TEST_F(XfrmKernelSa, DumpAndFlushByProtocol) {
    for (const auto& s : sample_sas()) add(s.sa);
    EXPECT_EQ(sas(model::SaType::ah).size(), 1u);
    EXPECT_EQ(sas(model::SaType::ipcomp).size(), 1u);
    auto all = sas();
    EXPECT_EQ(all.back().msg.seq, 0u);
    EXPECT_EQ(all.front().msg.seq, 1u);
    ASSERT_TRUE(backend->flush_sa(model::SaType::esp).ok());
    EXPECT_TRUE(sas(model::SaType::esp).empty());
    EXPECT_EQ(sas().size(), 2u);
    ASSERT_TRUE(backend->flush_sa(std::nullopt).ok());
    EXPECT_TRUE(sas().empty());
}

TEST_F(XfrmKernelSa, AhWindowsAbove32AreClampedByTheKernelAsOverPfkey) {
    auto s = esp_sa("10.0.0.1", "10.0.0.2", 0x1100);
    s.key.proto.type = model::SaType::ah;
    s.auth = keyed(AlgKind::auth, "hmac-sha1", 20);
    s.replay = 64;
    add(s);
    auto r = get(s.key);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->replay, 32u);
}

TEST_F(XfrmKernelSa, BatchOfSasLoadsAndDumpsCompletely) {
    constexpr uint32_t kCount = 600;
    std::vector<model::Command> cmds;
    for (uint32_t n = 0; n < kCount; ++n) {
        auto s = sample_sas()[0].sa;
        s.key.spi = 0x10000 + n;
        cmds.push_back(s);
    }
    cmds.push_back(cmds.front()); // duplicate: EEXIST at the last index
    std::vector<int> errors;
    backend->apply_batch(cmds, [&](size_t, const model::OpResult& r) { errors.push_back(r.error); });
    ASSERT_EQ(errors.size(), kCount + 1);
    EXPECT_EQ(std::count(errors.begin(), errors.end(), 0), static_cast<long>(kCount));
    EXPECT_EQ(errors.back(), EEXIST);
    EXPECT_EQ(sas().size(), kCount);
}

} // namespace
} // namespace setkey::xfrm
