// Real -o prometheus output through Prometheus's own checker (`promtool check
// metrics`, Debian's prometheus package): a -D and a -DP textfile side by side (as
// node_exporter's textfile collector merges them), and a script dumping twice. Skipped
// with a message where promtool is not installed.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "mode_fixture.hpp"
#include "support/table_fake.hpp"

namespace setkey {
namespace {

struct Promtool : testing::ModeTest {
    testing::TableFake table;
    void SetUp() override {
        ModeTest::SetUp();
        if (std::system("command -v promtool >/dev/null 2>&1") != 0)
            GTEST_SKIP() << "promtool not installed (apt-get install prometheus)";
        cli::Options o;
        o.mode = cli::Mode::script;
        o.script = write("load.conf",
                         "add 192.0.2.1 192.0.2.2 esp 0x301 -E null;\n"
                         "add 192.0.2.2 192.0.2.1 esp 0x302 -E null;\n"
                         "spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/transport//require;\n");
        ASSERT_EQ(cli::run_script(o, io(), opener_of(table)), 0) << err.str();
    }
    static cli::BackendOpener opener_of(testing::TableFake& t) {
        return [&t](std::string&) -> std::unique_ptr<model::Backend> {
            return std::make_unique<testing::BorrowedBackend>(t);
        };
    }
    std::string dump(bool policies) {
        out.str("");
        cli::Options o;
        o.mode = cli::Mode::dump;
        o.policy = policies;
        o.output = cli::OutputFormat::prometheus;
        EXPECT_EQ(cli::run_table(o, io(), opener_of(table)), 0) << err.str();
        return out.str();
    }
    // promtool's verdict on `text`, with its complaints in `why`.
    bool promtool_accepts(const std::string& text, std::string& why) {
        const auto in = dir / "metrics.prom", log = dir / "promtool.log";
        std::ofstream(in) << text;
        const std::string cmd = "promtool check metrics < '" + in.string() + "' > '" + log.string() + "' 2>&1";
        const int status = std::system(cmd.c_str());
        std::ifstream l(log);
        why.assign(std::istreambuf_iterator<char>(l), {});
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
};

TEST_F(Promtool, SadAndSpdTextfilesSideBySide) {
    std::string why;
    const std::string sad = dump(false), spd = dump(true);
    EXPECT_TRUE(promtool_accepts(sad, why)) << why << sad;
    EXPECT_TRUE(promtool_accepts(spd, why)) << why << spd;
    EXPECT_TRUE(promtool_accepts(sad + spd, why)) << why << sad + spd;
}

TEST_F(Promtool, AScriptThatDumpsTwice) {
    cli::Options o;
    o.mode = cli::Mode::script;
    o.output = cli::OutputFormat::prometheus;
    o.script = write("twice.conf", "dump;\nspddump;\nspdadd 10.0.3.0/24 10.0.4.0/24 any -P in none;\n"
                                   "dump;\nspddump;\n");
    out.str("");
    ASSERT_EQ(cli::run_script(o, io(), opener_of(table)), 0) << err.str();
    std::string why;
    EXPECT_TRUE(promtool_accepts(out.str(), why)) << why << out.str();
}

} // namespace
} // namespace setkey
