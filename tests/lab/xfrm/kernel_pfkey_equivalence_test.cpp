// The same kernel state read over XFRM and over PF_KEY must print the same classic
// `setkey -D` / `-DP` text: this is what lets the CLI switch backends transparently.
// Needs a kernel with af_key and ESP/AH/IPComp (the qemu lab); skipped elsewhere.
#include <regex>

#include <gtest/gtest.h>

#include "support/kernel_sa_fixture.hpp"
#include "output/classic.hpp"
#include "pfkey/backend.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

constexpr int64_t kNow = 1800000000; // the "current:" instant both texts print

class XfrmPfkeyEquivalence : public KernelSaTest {
protected:
    void SetUp() override {
        KernelSaTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        try {
            pfkey = pfkey::open_pfkey_backend();
        } catch (const std::exception& e) {
            GTEST_SKIP() << "no PF_KEY here: " << e.what();
        }
    }

    static std::string sad_text(model::Backend& b) {
        std::string text;
        auto r = b.dump_sa(std::nullopt, [&](const model::SaRecord& s) {
            text += output::format_sa(s, {false, kNow});
        });
        EXPECT_TRUE(r.ok()) << b.name() << ": " << r.error << " " << r.detail;
        return text;
    }

    static std::string spd_text(model::Backend& b) {
        std::string text;
        auto r = b.dump_policies([&](const model::PolicyRecord& p) {
            text += output::format_policy(p, {false, kNow});
        });
        EXPECT_TRUE(r.ok()) << b.name() << ": " << r.error << " " << r.detail;
        return text;
    }

    std::unique_ptr<model::Backend> pfkey;
};

// XFRM has no policy reference count (the decoder reports an idle policy's 1), and the
// PF_KEY value moves with transient kernel references (1 or 2 for idle policies), so
// the comparison leaves that number out.
std::string without_refcnt(const std::string& text) {
    return std::regex_replace(text, std::regex("\trefcnt=[0-9]+\n"), "\trefcnt=N\n");
}

TEST_F(XfrmPfkeyEquivalence, SasAddedOverXfrmDumpTheSame) {
    for (const auto& s : sample_sas())
        if (s.pfkey_same) add(s.sa);
    auto via_xfrm = sad_text(*backend);
    EXPECT_FALSE(via_xfrm.empty());
    EXPECT_EQ(via_xfrm, sad_text(*pfkey));
}

TEST_F(XfrmPfkeyEquivalence, SasAddedOverPfkeyDumpTheSame) {
    for (const auto& s : sample_sas()) {
        if (!s.pfkey_same) continue;
        auto r = pfkey->add_sa(s.sa);
        ASSERT_TRUE(r.ok()) << s.sa.key.spi << ": " << r.error << " " << r.detail;
    }
    auto via_pfkey = sad_text(*pfkey);
    EXPECT_FALSE(via_pfkey.empty());
    EXPECT_EQ(sad_text(*backend), via_pfkey);
}

std::vector<model::SpdEntry> sample_policies() {
    std::vector<model::SpdEntry> entries{
        spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, Direction::out, Action::ipsec,
            {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", Level::unique, 5)}),
        spd(sel("fd00::", 64, 443), sel("fd01::1", 128), 6, Direction::in, Action::ipsec,
            {transport(model::kProtoAh, Level::require), transport(model::kProtoEsp, Level::use)}),
        spd(sel("::", 0, 135), sel("::", 0), 58, Direction::in, Action::none),
        spd(sel("192.168.0.0", 24, 53), sel("0.0.0.0", 0), 17, Direction::fwd, Action::discard),
        spd(sel("10.5.0.1", 32), sel("10.6.0.1", 32), 6, Direction::out, Action::ipsec,
            {transport(model::kProtoEsp, Level::unique)}), // reqid generated above 0x3fff
    };
    entries[2].has_misc = true;
    entries[3].policy.priority = model::kPriorityDefault - 100;
    return entries;
}

TEST_F(XfrmPfkeyEquivalence, PoliciesAddedOverXfrmDumpTheSame) {
    for (const auto& e : sample_policies()) {
        auto r = backend->policy(e);
        ASSERT_TRUE(r.ok()) << r.error << " " << r.detail;
    }
    auto via_xfrm = spd_text(*backend);
    EXPECT_NE(via_xfrm.find("/unique#16384\n"), std::string::npos) << via_xfrm;
    EXPECT_EQ(without_refcnt(via_xfrm), without_refcnt(spd_text(*pfkey)));
}

TEST_F(XfrmPfkeyEquivalence, PoliciesAddedOverPfkeyDumpTheSame) {
    for (const auto& e : sample_policies()) {
        auto r = pfkey->policy(e);
        ASSERT_TRUE(r.ok()) << r.error << " " << r.detail;
    }
    auto via_pfkey = spd_text(*pfkey);
    EXPECT_FALSE(via_pfkey.empty());
    EXPECT_EQ(without_refcnt(spd_text(*backend)), without_refcnt(via_pfkey));
}

} // namespace
} // namespace setkey::xfrm
