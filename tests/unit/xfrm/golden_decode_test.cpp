// Recorded kernel messages (tests/golden/xfrm, see its README) decode on any host into
// the records whose classic text was recorded next to them.
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "output/classic.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kNow = 1800000000; // what the recording used

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Message bytes(const fs::path& p) {
    auto s = slurp(p);
    return Message(s.begin(), s.end());
}

class XfrmGolden : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("TZ", "UTC", 1); // the recording's time zone
        tzset();
    }
    fs::path dir = fs::path(SETKEY_GOLDEN_DIR) / "xfrm";
};

TEST_F(XfrmGolden, RecordedDumpEntriesPrintAsRecorded) {
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        auto p = entry.path();
        if (p.extension() != ".nlmsg") continue;
        auto stem = p.stem().string();
        if (stem.rfind("sa-", 0) != 0 && stem.rfind("policy-", 0) != 0) continue;
        SCOPED_TRACE(stem);
        auto d = decode_message(bytes(p));
        std::string text;
        if (auto* sa = std::get_if<model::SaRecord>(&d.body))
            text = output::format_sa(*sa, {false, kNow});
        else if (auto* pol = std::get_if<model::PolicyRecord>(&d.body))
            text = output::format_policy(*pol, {false, kNow});
        EXPECT_EQ(text, slurp(fs::path(p).replace_extension(".txt")));
        ++checked;
    }
    EXPECT_EQ(checked, 13);
}

TEST_F(XfrmGolden, AeadAndEsnEntriesKeepWhatPfkeyCannotShow) {
    auto gcm = decode_message(bytes(dir / "sa-1006.nlmsg"));
    auto& g = std::get<model::SaRecord>(gcm.body);
    EXPECT_TRUE(g.aead);
    EXPECT_EQ(g.enc.alg->name, "aes-gcm-16");
    EXPECT_EQ(g.enc.icv_bits, 128);
    auto esn = decode_message(bytes(dir / "sa-1008.nlmsg"));
    auto& e = std::get<model::SaRecord>(esn.body);
    EXPECT_TRUE(e.esn);
    EXPECT_EQ(e.replay, 128u);
    auto sha256 = decode_message(bytes(dir / "sa-1002.nlmsg"));
    EXPECT_EQ(std::get<model::SaRecord>(sha256.body).auth.icv_bits, 128);
}

TEST_F(XfrmGolden, DoneAndErrorAck) {
    auto done = decode_message(bytes(dir / "done.nlmsg"));
    ASSERT_TRUE(std::holds_alternative<Done>(done.body));
    EXPECT_EQ(std::get<Done>(done.body).error, 0);
    auto ack = decode_message(bytes(dir / "ack-einval-extack.nlmsg"));
    ASSERT_TRUE(std::holds_alternative<Ack>(ack.body));
    EXPECT_EQ(std::get<Ack>(ack.body).error, EINVAL);
    EXPECT_EQ(std::get<Ack>(ack.body).message + "\n", slurp(dir / "ack-einval-extack.txt"));
}

TEST_F(XfrmGolden, EveryTruncationOfARecordedMessageIsRejectedCleanly) {
    for (auto name : {"sa-1005.nlmsg", "policy-8.nlmsg"}) {
        auto m = bytes(dir / name);
        for (size_t n = 0; n < m.size(); ++n) {
            // A shorter buffer with the original length field must always be refused.
            EXPECT_THROW(decode_message(std::span(m).first(n)), DecodeError) << name << " " << n;
        }
    }
}

} // namespace
} // namespace setkey::xfrm
