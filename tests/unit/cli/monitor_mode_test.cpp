// -x over a scripted PF_KEY transport: PROMISC is sent, wrapped messages are unwrapped,
// timestamps follow -x / -xx, -H adds hex dumps, a receive error ends the loop.
#include <gtest/gtest.h>

#include <cerrno>
#include <deque>
#include <sstream>
#include <vector>

#include "cli/modes.hpp"
#include "support/refusing_stream.hpp"
#include "support/scripted_transport.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"

namespace setkey {
namespace {

using test::ScriptedTransport;

// A PROMISC header wrapping `inner`, as af_key delivers broadcasts to -x listeners.
std::vector<uint8_t> wrapped(const std::vector<uint8_t>& inner) {
    std::vector<uint8_t> m = pfkey::encode_promisc({1, 0});
    const size_t words = (m.size() + inner.size()) / 8;
    m[4] = static_cast<uint8_t>(words);
    m[5] = static_cast<uint8_t>(words >> 8);
    m.insert(m.end(), inner.begin(), inner.end());
    return m;
}

struct MonitorMode : ::testing::Test {
    ScriptedTransport transport;
    std::istringstream in;
    std::ostringstream out, err;
    cli::Options options;
    MonitorMode() {
        options.mode = cli::Mode::monitor;
        options.monitor_level = 2;
    }
    int run() {
        return cli::run_monitor(options, {in, out, err}, transport,
                                [] { return timespec{1795682401, 123456000}; });
    }
};

TEST_F(MonitorMode, SendsPromiscAndStopsOnReceiveError) {
    EXPECT_EQ(run(), 2);
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(transport.sent[0][1], static_cast<uint8_t>(pfkey::MsgType::promisc));
    EXPECT_EQ(err.str(), "setkey: recv: Bad file descriptor\n");
}

TEST_F(MonitorMode, StopsWithFourAtTheFirstMessageItCannotWrite) {
    for (int i = 0; i < 3; ++i) transport.incoming.push_back(wrapped(pfkey::encode_flush_policies({1, 0})));
    testing::RefusingStream refusing;
    EXPECT_EQ(cli::run_monitor(options, {in, refusing.out, err}, transport,
                               [] { return timespec{1795682401, 0}; }),
              4);
    EXPECT_EQ(transport.incoming.size(), 2u) << "it went on receiving";
}

TEST_F(MonitorMode, OwnPromiscEchoPrintsOnlyTheTimestamp) {
    transport.incoming.push_back(pfkey::encode_promisc({1, 0}));
    run();
    EXPECT_EQ(out.str(), "1795682401.123456 \n");
}

TEST_F(MonitorMode, WrappedMessagesAreUnwrappedAndDecoded) {
    const pfkey::Bytes flush = pfkey::encode_flush_policies({4242, 0});
    transport.incoming.push_back(wrapped(flush));
    transport.incoming.push_back(flush);
    run();
    const std::string one = "1795682401.123456 \n" + pfkey::kdebug_text(flush) + "\n";
    EXPECT_EQ(out.str(), one + one);
}

TEST_F(MonitorMode, HexdumpComesBetweenTimestampAndDecode) {
    options.hexdump = true;
    const pfkey::Bytes flush = pfkey::encode_flush_policies({4242, 0});
    transport.incoming.push_back(flush);
    run();
    const std::string expected = "1795682401.123456 \n" + pfkey::hexdump_text(flush) +
                                 pfkey::kdebug_text(flush) + "\n";
    EXPECT_NE(out.str().find(expected), std::string::npos) << out.str();
    EXPECT_EQ(out.str().rfind("00000000: 02 0b", 0), 0u) << "the PROMISC request is dumped first";
}

TEST_F(MonitorMode, SingleXPrintsLocalTime) {
    options.monitor_level = 1;
    transport.incoming.push_back(pfkey::encode_promisc({1, 0}));
    run();
    ASSERT_EQ(out.str().size(), std::string("HH:MM:SS.123456 \n").size()) << out.str();
    EXPECT_EQ(out.str().substr(8), ".123456 \n");
}

} // namespace
} // namespace setkey
