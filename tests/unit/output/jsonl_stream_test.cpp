// jsonl is a stream: each record is flushed when written, and large dumps go through
// record by record.
#include <sstream>
#include <streambuf>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/json.hpp"

namespace setkey::output {
namespace {

using namespace testing;

// Counts flushes and remembers how many lines were complete at each one.
class CountingBuf : public std::stringbuf {
public:
    std::vector<size_t> lines_at_flush;

protected:
    int sync() override {
        auto s = str();
        lines_at_flush.push_back(static_cast<size_t>(std::count(s.begin(), s.end(), '\n')));
        return 0;
    }
};

TEST(JsonlStream, FlushesAfterEveryRecord) {
    CountingBuf buf;
    std::ostream out(&buf);
    JsonlWriter w(out, {.time = 1, .backend = "xfrm"});
    w.write(small_esp_tunnel());
    w.write(small_spd(1).front());
    w.write(small_ipcomp());
    EXPECT_EQ(buf.lines_at_flush, (std::vector<size_t>{1, 2, 3}));
}

TEST(JsonlStream, TenThousandRecordsEachParseWithSequenceIntact) {
    std::ostringstream out;
    JsonlWriter w(out, {.time = 1, .backend = "pfkey"});
    auto sa = small_esp_tunnel();
    constexpr uint32_t kCount = 10000;
    for (uint32_t i = 0; i < kCount; ++i) {
        sa.spi = 0x10000 + i;
        w.write(sa);
    }
    std::istringstream in(out.str());
    uint32_t n = 0;
    for (std::string line; std::getline(in, line); ++n) {
        auto rec = nlohmann::json::parse(line);
        ASSERT_EQ(rec["v"], 2);
        ASSERT_EQ(rec["type"], "sa");
        ASSERT_EQ(rec["spi"], 0x10000 + n);
    }
    EXPECT_EQ(n, kCount);
}

} // namespace
} // namespace setkey::output
