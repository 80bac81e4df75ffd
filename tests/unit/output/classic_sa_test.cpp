// SA dump cases the corpus has no real output for, built from 0.8.2's documented
// layout (reference §3.1).
#include <cstdio>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "output/classic.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;
using model::Mode;

class ClassicSa : public UtcTest {};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

TEST_F(ClassicSa, DyingAndDeadStatesAreNamed) {
    auto sa = small_esp_tunnel();
    sa.state = static_cast<uint8_t>(model::SaState::dying);
    EXPECT_NE(format_sa(sa, {.now = kSmallAdded}).find("state=dying \n"), std::string::npos);
    sa.state = static_cast<uint8_t>(model::SaState::dead);
    EXPECT_NE(format_sa(sa, {.now = kSmallAdded}).find("state=dead \n"), std::string::npos);
    sa.state = 7; // past 0.8.2's table: printed as a number
    EXPECT_NE(format_sa(sa, {.now = kSmallAdded}).find("state=7 \n"), std::string::npos);
}

TEST_F(ClassicSa, DumpsHideDeadSasUnlessAll) {
    auto sa = small_esp_tunnel();
    EXPECT_TRUE(shown_in_dump(sa, false));
    sa.state = static_cast<uint8_t>(model::SaState::dying);
    EXPECT_TRUE(shown_in_dump(sa, false));
    sa.state = static_cast<uint8_t>(model::SaState::dead);
    EXPECT_FALSE(shown_in_dump(sa, false));
    EXPECT_TRUE(shown_in_dump(sa, true));
    sa.has_sa = false; // no state to judge: 0.8.2 prints it
    EXPECT_TRUE(shown_in_dump(sa, false));
}

TEST_F(ClassicSa, LifetimeLimitsAndCountersArePrinted) {
    auto sa = small_ah_with_lifetimes();
    sa.hard->packets = 9;
    sa.current->bytes = 1234;
    sa.current->packets = 3;
    sa.current->use_time = kSmallAdded + 5;
    auto lines = lines_of(format_sa(sa, {.now = kSmallAdded + 100}));
    ASSERT_EQ(lines.size(), 11u);
    EXPECT_EQ(lines[0], "10.0.0.1 10.0.0.2 ");
    EXPECT_EQ(lines[1], "\tah mode=transport spi=4099(0x00001003) reqid=0(0x00000000)");
    EXPECT_EQ(lines[2], "\tA: hmac-sha512  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff");
    EXPECT_EQ(lines[3], " 00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff");
    EXPECT_EQ(lines[5], "\tcreated: Nov 27 05:24:35 2026\tcurrent: Nov 27 05:26:15 2026");
    EXPECT_EQ(lines[6], "\tdiff: 100(s)\thard: 3600(s)\tsoft: 3000(s)");
    EXPECT_EQ(lines[7], "\tlast: Nov 27 05:24:40 2026\thard: 0(s)\tsoft: 0(s)");
    EXPECT_EQ(lines[8], "\tcurrent: 1234(bytes)\thard: 100000(bytes)\tsoft: 80000(bytes)");
    EXPECT_EQ(lines[9], "\tallocated: 3\thard: 9\tsoft: 0");
}

// 0.8.2 prints byte counts with printf("%.0f", (double)n): above 2^53 the double's
// rounding shows, and a counter near the top prints as 2^64.
TEST_F(ClassicSa, ByteCountersPrintAsPrintfPrintsTheirDouble) {
    for (uint64_t bytes : {uint64_t{0}, uint64_t{1} << 53, (uint64_t{1} << 53) + 1, uint64_t{12345678901234567890u},
                           (uint64_t{1} << 63) + 1025, ~uint64_t{0} - 1024, ~uint64_t{0}}) {
        auto sa = small_ah_with_lifetimes();
        sa.current->bytes = bytes;
        sa.hard->bytes = ~uint64_t{0};
        char want[128];
        std::snprintf(want, sizeof want, "\tcurrent: %.0f(bytes)\thard: %.0f(bytes)\tsoft: 80000(bytes)",
                      static_cast<double>(bytes), static_cast<double>(~uint64_t{0}));
        EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded}))[8], want) << bytes;
    }
}

TEST_F(ClassicSa, KeyOfFortyBytesContinuesOnASecondLine) {
    auto sa = small_esp_tunnel();
    sa.auth = alg(model::AlgKind::auth, 3, small_key(40));
    auto lines = lines_of(format_sa(sa, {.now = kSmallAdded}));
    EXPECT_EQ(lines[3], "\tA: hmac-sha1  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb ccddeeff");
    EXPECT_EQ(lines[4], " 00112233 44556677");
    EXPECT_EQ(lines[5].rfind("\tseq=", 0), 0u);
}

TEST_F(ClassicSa, KeyBitsLimitThePrintedBytes) {
    auto sa = small_esp_tunnel();
    sa.enc.key_bits = 64; // the extension is padded to 64 bits; only key_bits count
    EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded}))[2], "\tE: aes-cbc  00112233 44556677");
}

TEST_F(ClassicSa, AlgorithmsUnknownToTheTablePrintTheirNumber) {
    auto sa = small_esp_tunnel();
    sa.enc.alg = nullptr;
    sa.enc.pfkey_id = 4; // rc5-cbc: not an algorithm this tool knows
    sa.auth = model::AlgorithmRef{};
    sa.auth.key = small_key(16);
    auto lines = lines_of(format_sa(sa, {.now = kSmallAdded}));
    EXPECT_EQ(lines[2], "\tE: 4  00112233 44556677 8899aabb ccddeeff");
    EXPECT_EQ(lines[3], "\tA: none  00112233 44556677 8899aabb ccddeeff");
    // The model's id is an int: a negative one (no decoder makes it) prints signed.
    sa.enc.pfkey_id = -5;
    EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded}))[2], "\tE: -5  00112233 44556677 8899aabb ccddeeff");
}

TEST_F(ClassicSa, AlgorithmResolvedOnlyByPfkeyIdIsNamedFromTheTable) {
    auto sa = small_esp_tunnel();
    sa.enc.alg = nullptr; // decoder left the lookup to the printer
    EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded}))[2],
              "\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff");
}

TEST_F(ClassicSa, ModesPast0_8_2sTablePrintAsNumbers) {
    auto sa = small_esp_tunnel();
    sa.mode = Mode::beet;
    EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded}))[1],
              "\tesp mode=3 spi=4097(0x00001001) reqid=5(0x00000005)");
}

TEST_F(ClassicSa, NattOnNonEspGetsPrefixAndOriginalAddress) {
    auto sa = small_ipcomp();
    sa.natt_type = 1;
    sa.natt_sport = 500;
    sa.natt_dport = 4500;
    sa.natt_oa = ip("192.168.1.1");
    auto lines = lines_of(format_sa(sa, {.now = kSmallAdded}));
    EXPECT_EQ(lines[0], "10.0.0.1[500] 10.0.0.2[4500] ");
    EXPECT_EQ(lines[1], "\tnatt+ipcomp mode=transport spi=8192(0x00002000) reqid=0(0x00000000)");
    EXPECT_EQ(lines[2], "\tNAT OA=192.168.1.1");
    EXPECT_EQ(lines[3], "\tC: deflate \tseq=0x00000000 replay=0 flags=0x00000000 state=mature ");
}

TEST_F(ClassicSa, MissingExtensionsStopTheEntry) {
    auto sa = small_esp_tunnel();
    sa.has_sa2 = false;
    EXPECT_EQ(format_sa(sa, {}), "10.0.0.1 10.0.0.2 no SA2 extension.\n");
    sa.has_sa = false;
    EXPECT_EQ(format_sa(sa, {}), "10.0.0.1 10.0.0.2 no SA extension.\n");
}

TEST_F(ClassicSa, NoCurrentLifetimeNoDateBlock) {
    auto sa = small_esp_tunnel();
    sa.current.reset();
    auto lines = lines_of(format_sa(sa, {}));
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_EQ(lines[5], "\tsadb_seq=0 pid=0 refcnt=0");
}

TEST_F(ClassicSa, SecurityContextLines) {
    auto sa = small_esp_tunnel();
    sa.ctx = model::SecurityContext{1, 1, "system_u:object_r:ipsec_spd_t:s0"};
    auto lines = lines_of(format_sa(sa, {.now = kSmallAdded}));
    ASSERT_EQ(lines.size(), 15u);
    EXPECT_EQ(lines[10], "\tsecurity context doi: 1");
    EXPECT_EQ(lines[11], "\tsecurity context algorithm: 1");
    EXPECT_EQ(lines[12], "\tsecurity context length: 33");
    EXPECT_EQ(lines[13], "\tsecurity context: system_u:object_r:ipsec_spd_t:s0");
}

TEST_F(ClassicSa, AddTimeInTheFutureWrapsLike0_8_2) {
    auto sa = small_esp_tunnel();
    EXPECT_EQ(lines_of(format_sa(sa, {.now = kSmallAdded - 1}))[6],
              "\tdiff: 18446744073709551615(s)\thard: 0(s)\tsoft: 0(s)");
}

TEST_F(ClassicSa, TzReadOnceByTheCallerGivesTheSameText) {
    // A dump's printer reads TZ once and passes it: the text must be the one reading
    // it for every entry gives, for each zone in turn (the remembered conversions
    // follow the zone passed).
    const auto sa = small_esp_tunnel();
    for (const char* zone : {"JST-9", "UTC"}) {
        setenv("TZ", zone, 1);
        tzset();
        const std::string per_entry = format_sa(sa, {.now = kSmallAdded + 60});
        EXPECT_EQ(format_sa(sa, {.now = kSmallAdded + 60, .tz = std::getenv("TZ")}), per_entry) << zone;
        EXPECT_NE(per_entry.find(std::string_view(zone) == "UTC" ? "05:24:35" : "14:24:35"), std::string::npos);
    }
}

TEST(ClassicTime, UsesLocalTimeAndPadsTheDay) {
    setenv("TZ", "JST-9", 1); // POSIX form: needs no tzdata
    tzset();
    EXPECT_EQ(classic_time(kSmallAdded), "Nov 27 14:24:35 2026");
    setenv("TZ", "UTC", 1);
    tzset();
    EXPECT_EQ(classic_time(kSmallAdded - 20 * 86400), "Nov  7 05:24:35 2026");
    EXPECT_EQ(classic_time(0), std::string(20, ' '));
}

TEST(ClassicTime, RememberedConversionsFollowTzAndStayRight) {
    // Converted times are cached: several in turn, and the same one after TZ changes.
    setenv("TZ", "UTC", 1);
    tzset();
    for (int round = 0; round < 3; ++round) {
        for (uint64_t d = 0; d < 6; ++d) // more values than the cache holds
            EXPECT_EQ(classic_time(kSmallAdded + d * 3600),
                      fmt::format("Nov 27 {:02}:24:35 2026", 5 + d));
    }
    setenv("TZ", "JST-9", 1);
    tzset();
    EXPECT_EQ(classic_time(kSmallAdded), "Nov 27 14:24:35 2026");
    setenv("TZ", "UTC", 1);
    tzset();
    EXPECT_EQ(classic_time(kSmallAdded), "Nov 27 05:24:35 2026");
}

} // namespace
} // namespace setkey::output
