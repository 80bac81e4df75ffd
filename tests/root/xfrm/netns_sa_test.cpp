// SA requests against the host kernel, which has XFRM but no ESP/AH/IPComp types: adds
// must fail with the kernel's mapped error (not crash); lookups, flushes and dumps work.
#include <cerrno>

#include <gtest/gtest.h>

#include "support/model_builders.hpp"
#include "support/netns_fixture.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

class XfrmNetnsSa : public NetnsTest {};

TEST_F(XfrmNetnsSa, AddIsRefusedWithTheKernelsErrorWhenEspIsMissing) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    sa.auth = keyed(model::AlgKind::auth, "hmac-sha256", 32);
    auto r = backend->add_sa(sa);
    if (r.ok()) GTEST_SKIP() << "this kernel has ESP; the VM tests cover SA adds";
    EXPECT_EQ(r.error, EPROTONOSUPPORT) << r.detail;
    EXPECT_FALSE(r.detail.empty()); // the extended ACK text, e.g. "Requested type not found"
}

TEST_F(XfrmNetnsSa, EncodeErrorsAreReportedWithoutTouchingTheKernel) {
    auto sa = esp_sa("10.0.0.1", "10.0.0.2", 0x1001);
    sa.enc = keyed(model::AlgKind::enc, "aes-cbc", 16);
    sa.auth = keyed(model::AlgKind::auth, "keyed-md5", 16); // KAME-only: no Linux name
    auto r = backend->add_sa(sa);
    EXPECT_EQ(r.error, ENOSYS);
    EXPECT_NE(r.detail.find("keyed-md5"), std::string::npos);
}

TEST_F(XfrmNetnsSa, GetAndDeleteOfAMissingSaAreEsrch) {
    model::SaKey key;
    key.src.addr = ip("10.0.0.1");
    key.dst.addr = ip("10.0.0.2");
    key.spi = 0x1234;
    int calls = 0;
    EXPECT_EQ(backend->get_sa(key, [&](const model::SaRecord&) { ++calls; }).error, ESRCH);
    EXPECT_EQ(backend->delete_sa(key).error, ESRCH);
    EXPECT_EQ(calls, 0);
}

TEST_F(XfrmNetnsSa, FlushAndDumpOfAnEmptySadSucceed) {
    EXPECT_TRUE(backend->flush_sa(std::nullopt).ok());
    EXPECT_TRUE(backend->flush_sa(model::SaType::ah).ok());
    int calls = 0;
    EXPECT_TRUE(backend->dump_sa(std::nullopt, [&](const model::SaRecord&) { ++calls; }).ok());
    EXPECT_TRUE(backend->dump_sa(model::SaType::esp, [&](const model::SaRecord&) { ++calls; }).ok());
    EXPECT_EQ(calls, 0);
}

} // namespace
} // namespace setkey::xfrm
