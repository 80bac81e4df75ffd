// The raw messages of real SA and policy dumps, as the -v trace hook sees them, must
// decode on their own into exactly the records the backend reported. With
// SETKEY_XFRM_RECORD_DIR set, they are also written there (with their classic text) as
// the golden files under tests/golden/xfrm/ and the fuzzer's seeds.
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/kernel_sa_fixture.hpp"
#include "output/classic.hpp"

namespace setkey::xfrm {
namespace {

using namespace testing;

constexpr int64_t kNow = 1800000000;

class XfrmKernelDumpMessages : public KernelSaTest {
protected:
    // Re-opens the backend with a trace that keeps every received message.
    void trace_replies() {
        XfrmOptions options;
        options.trace = [this](std::span<const uint8_t> m, bool sent) {
            if (!sent) received.emplace_back(m.begin(), m.end());
        };
        backend = open_xfrm_backend(options);
        received.clear();
    }

    void save(const std::string& name, const Message& m, const std::string& text) {
        const char* dir = std::getenv("SETKEY_XFRM_RECORD_DIR");
        if (!dir) return;
        std::ofstream(fmt::format("{}/{}.nlmsg", dir, name), std::ios::binary)
            .write(reinterpret_cast<const char*>(m.data()), static_cast<std::streamsize>(m.size()));
        if (!text.empty()) std::ofstream(fmt::format("{}/{}.txt", dir, name)) << text;
    }

    std::vector<Message> received;
};

TEST_F(XfrmKernelDumpMessages, SaDumpMessagesDecodeAlone) {
    for (const auto& s : sample_sas()) add(s.sa);
    trace_replies();
    auto records = sas();
    std::vector<model::SaRecord> decoded;
    for (const auto& m : received) {
        auto d = decode_message(m);
        if (auto* r = std::get_if<model::SaRecord>(&d.body)) {
            decoded.push_back(*r);
            save(fmt::format("sa-{:04x}", r->spi), m, output::format_sa(*r, {false, kNow}));
        } else if (std::holds_alternative<Done>(d.body)) {
            save("done", m, "");
        }
    }
    ASSERT_EQ(decoded.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) {
        decoded[i].msg = records[i].msg; // numbering is the backend's job
        EXPECT_EQ(decoded[i], records[i]);
    }
}

TEST_F(XfrmKernelDumpMessages, PolicyDumpMessagesDecodeAlone) {
    std::vector<model::SpdEntry> entries{
        spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, model::Direction::out,
            model::Action::ipsec,
            {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", model::Level::unique, 5)}),
        spd(sel("fd00::", 64, 80), sel("fd01::", 64), 6, model::Direction::in, model::Action::ipsec,
            {transport(model::kProtoEsp, model::Level::require),
             transport(model::kProtoAh, model::Level::use)}),
        spd(sel("10.3.0.0", 24), sel("10.4.0.0", 24), model::kProtoAny, model::Direction::fwd,
            model::Action::discard),
    };
    for (const auto& e : entries) ASSERT_TRUE(backend->policy(e).ok());
    trace_replies();
    auto records = policies();
    std::vector<model::PolicyRecord> decoded;
    for (const auto& m : received) {
        auto d = decode_message(m);
        if (auto* r = std::get_if<model::PolicyRecord>(&d.body)) {
            decoded.push_back(*r);
            save(fmt::format("policy-{}", r->id), m, output::format_policy(*r, {false, kNow}));
        }
    }
    ASSERT_EQ(decoded.size(), records.size());
    for (size_t i = 0; i < records.size(); ++i) {
        decoded[i].msg = records[i].msg;
        EXPECT_EQ(decoded[i], records[i]);
    }
}

TEST_F(XfrmKernelDumpMessages, ErrorAckCarriesTheKernelsText) {
    auto e = spd(sel("10.1.0.0", 16), sel("10.2.0.0", 16), model::kProtoAny, model::Direction::out,
                 model::Action::ipsec,
                 {tunnel(model::kProtoEsp, "10.0.0.1", "10.0.0.2", model::Level::use)});
    trace_replies();
    auto r = backend->policy(e);
    ASSERT_EQ(r.error, EINVAL);
    ASSERT_EQ(received.size(), 1u);
    auto d = decode_message(received[0]);
    ASSERT_TRUE(std::holds_alternative<Ack>(d.body));
    EXPECT_EQ(std::get<Ack>(d.body).message, r.detail);
    save("ack-einval-extack", received[0], r.detail + "\n");
}

} // namespace
} // namespace setkey::xfrm
