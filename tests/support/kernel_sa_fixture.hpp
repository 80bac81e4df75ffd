// SA tests need a kernel with ESP/AH/IPComp (the qemu lab: tests/vm/run-in-vm.sh). On
// kernels without them (our hosts) they skip, saying so. Each test has a fresh netns.
#pragma once

#include <cerrno>
#include <optional>
#include <vector>

#include "support/model_builders.hpp"
#include "support/netns_fixture.hpp"

namespace setkey::xfrm::testing {

class KernelSaTest : public NetnsTest {
protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped()) return;
        auto probe = esp_sa("192.0.2.250", "192.0.2.251", 0x999);
        probe.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
        auto r = backend->add_sa(probe);
        if (r.error == EPROTONOSUPPORT)
            GTEST_SKIP() << "this kernel has no ESP XFRM type (" << r.detail
                         << "); run under tests/vm/run-in-vm.sh";
        ASSERT_TRUE(r.ok()) << r.error << " " << r.detail;
        ASSERT_TRUE(backend->flush_sa(std::nullopt).ok());
    }

    std::vector<model::SaRecord> sas(std::optional<model::SaType> type = std::nullopt) {
        std::vector<model::SaRecord> out;
        auto r = backend->dump_sa(type, [&](const model::SaRecord& s) { out.push_back(s); });
        EXPECT_TRUE(r.ok()) << r.error << " " << r.detail;
        return out;
    }

    std::optional<model::SaRecord> get(const model::SaKey& key) {
        std::optional<model::SaRecord> out;
        auto r = backend->get_sa(key, [&](const model::SaRecord& s) { out = s; });
        EXPECT_TRUE(r.ok() || r.error == ESRCH) << r.error << " " << r.detail;
        return out;
    }

    void add(const model::AddSa& sa) {
        auto r = backend->add_sa(sa);
        ASSERT_TRUE(r.ok()) << "spi " << sa.key.spi << ": " << r.error << " " << r.detail;
    }
};

struct SampleSa {
    model::AddSa sa;
    bool pfkey_same; // Linux PF_KEY reports it identically (no AEAD, ESN or big window)
};

// One SA per feature the codec maps; used by the SA tests, the PF_KEY comparison and
// the golden recording.
inline std::vector<SampleSa> sample_sas() {
    using model::AlgKind;
    std::vector<SampleSa> out;
    auto a = esp_sa("10.0.0.1", "10.0.0.2", 0x1001, model::Mode::tunnel);
    a.key.reqid = 5;
    a.replay = 32;
    a.enc = keyed(AlgKind::enc, "aes-cbc", 16);
    a.auth = keyed(AlgKind::auth, "hmac-sha1", 20);
    out.push_back({a, true});

    auto b = esp_sa("fd00::1", "fd00::2", 0x1002);
    b.enc = keyed(AlgKind::enc, "3des-cbc", 24);
    b.auth = keyed(AlgKind::auth, "hmac-sha256", 32);
    out.push_back({b, false}); // PF_KEY would install a 96-bit ICV; text is the same, ICV not

    auto c = esp_sa("10.0.0.1", "10.0.0.2", 0x1003);
    c.enc = keyed(AlgKind::enc, "null", 0);
    c.auth = keyed(AlgKind::auth, "hmac-md5", 16);
    out.push_back({c, true});

    auto d = esp_sa("10.0.0.2", "10.0.0.1", 0x1004);
    d.key.proto.type = model::SaType::ah;
    d.auth = keyed(AlgKind::auth, "hmac-sha512", 64);
    d.hard.add_seconds = 3600;
    d.hard.bytes = 1000000;
    d.soft.add_seconds = 3000;
    d.soft.bytes = 900000;
    out.push_back({d, true});

    auto e = esp_sa("10.0.0.1", "10.0.0.2", 0x2000);
    e.key.proto.type = model::SaType::ipcomp;
    e.comp = model::find_algorithm(AlgKind::comp, "deflate");
    out.push_back({e, true});

    auto f = esp_sa("10.0.0.1", "10.0.0.2", 0x1005);
    f.key.proto.udp_encap = true;
    f.key.src.port = 4500;
    f.key.dst.port = 4501;
    f.enc = keyed(AlgKind::enc, "blowfish-cbc", 56);
    f.auth = keyed(AlgKind::auth, "hmac-sha384", 48);
    out.push_back({f, true});

    auto g = esp_sa("10.0.0.1", "10.0.0.2", 0x1006, model::Mode::tunnel);
    g.enc = keyed(AlgKind::enc, "aes-gcm-16", 20);
    out.push_back({g, false});

    auto h = esp_sa("fd00::1", "fd00::2", 0x1007);
    h.enc = keyed(AlgKind::enc, "chacha20-poly1305", 36);
    out.push_back({h, false});

    auto i = esp_sa("10.0.0.1", "10.0.0.2", 0x1008);
    i.enc = keyed(AlgKind::enc, "aes-ctr", 20);
    i.auth = keyed(AlgKind::auth, "aes-xcbc-mac", 16);
    i.replay = 128;
    i.esn = true;
    out.push_back({i, false});

    auto j = esp_sa("10.0.0.1", "10.0.0.2", 0x1009, model::Mode::beet);
    j.enc = keyed(AlgKind::enc, "camellia-cbc", 32);
    j.auth = keyed(AlgKind::auth, "hmac-ripemd160", 20);
    out.push_back({j, true});
    return out;
}

} // namespace setkey::xfrm::testing
