// The alert rules of packaging/setkey-metrics.rules.yml (also in the man page's
// "Metrics for Prometheus") are valid (`promtool check rules`), name only metrics the Prometheus printer
// emits, and fire on that printer's real output (`promtool test rules`, with input
// series made from prometheus_text): an SA 5 minutes from its hard add lifetime or past
// 90% of its hard byte limit, and a SAD or SPD dumped empty. Skipped without promtool.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/machine_records.hpp"
#include "output/prometheus.hpp"

namespace setkey::output {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using namespace testing;

const std::string kRules = std::string(SETKEY_SOURCE_DIR) + "/packaging/setkey-metrics.rules.yml";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// promtool's exit status 0, with its output in `why`.
bool promtool(const std::string& args, std::string& why) {
    const std::string cmd = "promtool " + args + " 2>&1";
    why.clear();
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return false;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) why.append(buf, n);
    const int status = pclose(p);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Each sample of an exposition as a constant promtool input series (90 minutes).
json input_series(const std::string& exposition) {
    json series = json::array();
    std::istringstream in(exposition);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        series.push_back(json{{"series", line.substr(0, space)}, {"values", line.substr(space + 1) + "x90"}});
    }
    return series;
}

struct MetricsRules : ::testing::Test {
    fs::path dir = fs::temp_directory_path() / ("setkey-rules-" + std::to_string(::getpid()));
    void SetUp() override {
        if (std::system("command -v promtool >/dev/null 2>&1") != 0)
            GTEST_SKIP() << "promtool not installed (apt-get install prometheus)";
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    // Runs `promtool test rules` on one test case (YAML accepts this JSON).
    void expect_rule_test(const json& input, const json& alert_tests) {
        const json file{{"rule_files", json::array({kRules})},
                        {"evaluation_interval", "1m"},
                        {"tests", json::array({json{{"interval", "1m"},
                                                    {"input_series", input},
                                                    {"alert_rule_test", alert_tests}}})}};
        const fs::path path = dir / "test.yml";
        std::ofstream(path) << file.dump(2);
        std::string why;
        EXPECT_TRUE(promtool("test rules '" + path.string() + "'", why)) << why << file.dump(2);
    }
};

TEST_F(MetricsRules, PromtoolAcceptsTheRules) {
    std::string why;
    EXPECT_TRUE(promtool("check rules '" + kRules + "'", why)) << why;
}

TEST_F(MetricsRules, EveryMetricNamedIsOneThePrinterEmits) {
    const auto sad = machine_sad();
    const auto spd = small_spd(319);
    const std::string text = prometheus_text(std::span<const model::SaRecord>(sad),
                                             std::span<const model::PolicyRecord>(spd));
    std::set<std::string> emitted;
    const std::regex type_line("^# TYPE (setkey_[a-z_]+) ");
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (std::smatch m; std::regex_search(line, m, type_line)) emitted.insert(m[1]);
    const std::string rules = slurp(kRules);
    const std::regex name("setkey_[a-z_]+");
    int named = 0;
    for (auto it = std::sregex_iterator(rules.begin(), rules.end(), name); it != std::sregex_iterator(); ++it) {
        if (it->str() == "setkey_metrics") continue; // the file's own name in a comment
        EXPECT_TRUE(emitted.count(it->str())) << it->str() << " is not a metric the printer emits";
        ++named;
    }
    EXPECT_GE(named, 7);
}

// The man page's example is the rules file without its comments.
TEST(MetricsRulesInTheManPage, AreTheShippedRules) {
    std::string expected;
    std::istringstream rules(slurp(kRules));
    for (std::string line; std::getline(rules, line);)
        if (line.find_first_not_of(' ') == std::string::npos || line[line.find_first_not_of(' ')] != '#')
            expected += line + "\n";
    const std::string man = slurp(std::string(SETKEY_SOURCE_DIR) + "/man/setkey.8");
    const std::string start = ".Bd -literal\ngroups:\n";
    const auto begin = man.find(start);
    ASSERT_NE(begin, std::string::npos) << "no rules block in man/setkey.8";
    const auto body = begin + start.size() - std::string("groups:\n").size();
    const auto end = man.find(".Ed\n", body);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(man.substr(body, end - body), expected);
}

// Labels and summary of SetkeySaNearHardLifetime for an SA.
json near_expiry_alert(const std::string& proto, const std::string& spi, const std::string& mode,
                       const std::string& reqid) {
    return json{{"exp_labels",
                 {{"severity", "warning"}, {"src", "10.0.0.1"}, {"dst", "10.0.0.2"}, {"proto", proto},
                  {"spi", spi}, {"reqid", reqid}, {"mode", mode}}},
                {"exp_annotations",
                 {{"summary", "IPsec SA " + proto + " " + spi + " 10.0.0.1 -> 10.0.0.2 is close to its hard lifetime"}}}};
}

TEST_F(MetricsRules, AnSaCloseToItsHardAddLifetime) {
    // Added at t=100 with a hard lifetime of 3600 s: it expires at t=3700.
    auto sa = linux_sa(model::SaType::esp, "10.0.0.1", "10.0.0.2", 0x1001, model::Mode::tunnel, 100);
    sa.hard->add_time = 3600;
    sa.soft->add_time = 3000;
    const std::vector<model::SaRecord> sad{sa};
    expect_rule_test(input_series(prometheus_text(std::span<const model::SaRecord>(sad), std::nullopt)),
                     json::array({json{{"eval_time", "50m"}, {"alertname", "SetkeySaNearHardLifetime"},
                                       {"exp_alerts", json::array()}},
                                  json{{"eval_time", "58m"}, {"alertname", "SetkeySaNearHardLifetime"},
                                       {"exp_alerts", json::array({near_expiry_alert("esp", "0x00001001", "tunnel", "0")})}}}));
}

TEST_F(MetricsRules, AnSaPastNinetyPercentOfItsHardByteLimit) {
    auto sa = small_ah_with_lifetimes(); // hard 100000 bytes
    sa.current->bytes = 95000;
    auto fresh = small_ah_with_lifetimes();
    fresh.spi = 0x1005;
    fresh.current->bytes = 1500;
    const std::vector<model::SaRecord> sad{sa, fresh};
    expect_rule_test(input_series(prometheus_text(std::span<const model::SaRecord>(sad), std::nullopt)),
                     json::array({json{{"eval_time", "1m"}, {"alertname", "SetkeySaNearHardLifetime"},
                                       {"exp_alerts", json::array({near_expiry_alert("ah", "0x00001003", "transport", "0")})}}}));
}

TEST_F(MetricsRules, ATableDumpedEmpty) {
    const std::vector<model::SaRecord> no_sas;
    const std::vector<model::PolicyRecord> no_policies;
    const json empty = input_series(prometheus_text(std::span<const model::SaRecord>(no_sas),
                                                    std::span<const model::PolicyRecord>(no_policies)));
    const auto alert = [](const std::string& table, const std::string& summary) {
        return json{{"exp_labels", {{"severity", "critical"}, {"table", table}}},
                    {"exp_annotations", {{"summary", "The IPsec " + table + " of " + summary + " is empty"}}}};
    };
    // No instance label in a unit test: the template renders it empty.
    expect_rule_test(empty, json::array({json{{"eval_time", "3m"}, {"alertname", "SetkeyTableEmpty"},
                                              {"exp_alerts", json::array()}},
                                         json{{"eval_time", "6m"}, {"alertname", "SetkeyTableEmpty"},
                                              {"exp_alerts", json::array({alert("sad", ""), alert("spd", "")})}}}));

    const auto sad = machine_sad();
    const auto spd = small_spd(319);
    expect_rule_test(input_series(prometheus_text(std::span<const model::SaRecord>(sad),
                                                  std::span<const model::PolicyRecord>(spd))),
                     json::array({json{{"eval_time", "10m"}, {"alertname", "SetkeyTableEmpty"},
                                       {"exp_alerts", json::array()}}}));
}

} // namespace
} // namespace setkey::output
