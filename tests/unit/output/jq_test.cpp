// The documents parse with jq, the tool people pipe them into (CI installs it).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/json.hpp"

namespace setkey::output {
namespace {

using namespace testing;

bool have_jq() { return std::system("command -v jq >/dev/null 2>&1") == 0; }

// Runs `jq <filter>` over `input` and returns its stdout.
std::string jq(const std::string& filter, const std::string& input) {
    char path[] = "/tmp/setkey-jq-XXXXXX";
    int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    close(fd);
    std::ofstream(path) << input;
    std::string cmd = "jq -c '" + filter + "' " + path + " 2>&1";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        EXPECT_EQ(pclose(p), 0) << out;
    }
    std::remove(path);
    return out;
}

TEST(Jq, ReadsTheJsonDocument) {
    if (!have_jq()) GTEST_SKIP() << "jq not installed";
    auto sad = machine_sad();
    auto spd = small_spd(319);
    auto doc = json_document(std::span<const model::SaRecord>(sad), std::span<const model::PolicyRecord>(spd),
                             {.time = kSmallAdded, .backend = "pfkey"});
    EXPECT_EQ(jq("[.sa[] | select(.encap != null) | .spi_hex]", doc), "[\"0x00001002\"]\n");
    EXPECT_EQ(jq("[.sp[] | .dir] | length", doc), "5\n");
}

TEST(Jq, ReadsJsonlLineByLine) {
    if (!have_jq()) GTEST_SKIP() << "jq not installed";
    std::ostringstream out;
    JsonlWriter w(out, {.time = kSmallAdded, .backend = "pfkey"});
    for (const auto& sa : machine_sad()) w.write(sa);
    for (const auto& p : small_spd(319)) w.write(p);
    EXPECT_EQ(jq("select(.type == \"sa\" and .hard.add_seconds != null) | .id", out.str()),
              "\"ah/10.0.0.2/0x00001003\"\n");
}

} // namespace
} // namespace setkey::output
