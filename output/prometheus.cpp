#include "output/prometheus.hpp"

#include <iterator>
#include <map>

#include <fmt/format.h>

#include "output/fields.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;

// clang-format off
constexpr PrometheusMetric kSaMetrics[] = {
  {"setkey_sa_bytes_total", "counter", "Bytes processed by the SA.", "bytes"},
  {"setkey_sa_packets_total", "counter", "Packets processed by the SA.", "packets"},
  {"setkey_sa_allocations_total", "counter", "Packets processed by the SA, under PF_KEY's name (sadb_lifetime_allocations).", "allocations"},
  {"setkey_sa_add_time_seconds", "gauge", "When the SA was added, Unix time.", "add_time"},
  {"setkey_sa_use_time_seconds", "gauge", "When the SA was first used, Unix time.", "use_time"},
  {"setkey_sa_replay_errors_total", "counter", "Packets dropped by the replay check (XFRM only).", "replay_errors"},
  {"setkey_sa_integrity_failures_total", "counter", "Packets failing the integrity check (XFRM only).", "integrity_failures"},
  {"setkey_sa_lifetime_add_seconds", "gauge", "Lifetime limit in seconds after the SA was added.", "add_seconds", true},
  {"setkey_sa_lifetime_use_seconds", "gauge", "Lifetime limit in seconds after first use.", "use_seconds", true},
  {"setkey_sa_lifetime_bytes", "gauge", "Lifetime limit in bytes.", "bytes", true},
  {"setkey_sa_lifetime_packets", "gauge", "Lifetime limit in packets.", "packets", true},
  {"setkey_sa_lifetime_allocations", "gauge", "Lifetime limit in packets, under PF_KEY's name (sadb_lifetime_allocations).", "allocations", true},
};
// clang-format on

constexpr std::string_view kLabelFields[] = {"src", "dst", "proto", "spi_hex", "reqid", "mode"};

// Label values are numeric addresses, numbers and fixed names (esp, tunnel, mature,
// in, ...): none can hold the `\`, `"` or newline that would need escaping.
std::string label_text(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string sa_labels(const json& rec) {
    std::string s;
    for (auto field : kLabelFields) {
        if (!s.empty()) s += ',';
        // spi_hex is exported as "spi": the label name users know.
        auto label = field == "spi_hex" ? std::string_view("spi") : field;
        s += fmt::format("{}=\"{}\"", label, label_text(rec[std::string(field)]));
    }
    return s;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// One sample per SA and field the kernel reported, family by family.
void sa_families(std::string& out, std::span<const model::SaRecord> sas) {
    std::vector<json> records;
    records.reserve(sas.size());
    for (const auto& sa : sas) records.push_back(sa_object(sa, RecordOptions{.show_keys = false}));
    std::vector<std::string> labels;
    for (const auto& r : records) labels.push_back(sa_labels(r));

    auto o = std::back_inserter(out);
    for (const auto& m : kSaMetrics) {
        header(out, m.name, m.type, m.help);
        for (size_t i = 0; i < records.size(); ++i) {
            const std::string field(m.field);
            if (!m.limits) {
                if (const auto& v = records[i][field]; !v.is_null())
                    fmt::format_to(o, "{}{{{}}} {}\n", m.name, labels[i], v.dump());
                continue;
            }
            for (const char* limit : {"hard", "soft"})
                if (const auto& v = records[i][limit][field]; !v.is_null())
                    fmt::format_to(o, "{}{{{},limit=\"{}\"}} {}\n", m.name, labels[i], limit, v.dump());
        }
    }
    header(out, "setkey_sa_state", "gauge", "SA state (larval, mature, dying, dead); always 1.");
    for (size_t i = 0; i < records.size(); ++i)
        fmt::format_to(o, "setkey_sa_state{{{},state=\"{}\"}} 1\n", labels[i],
                       label_text(records[i]["state"]));
}

// Every direction a rule can test for (`sum(...) < N`) has a sample, 0 when empty.
void spd_family(std::string& out, std::span<const model::PolicyRecord> policies) {
    header(out, "setkey_spd_entries", "gauge", "Policies in the dump, by direction.");
    std::map<std::string, size_t> by_dir{{"in", 0}, {"out", 0}, {"fwd", 0}};
    for (const auto& p : policies) ++by_dir[policy_object(p, {})["dir"].get<std::string>()];
    for (const auto& [dir, n] : by_dir)
        fmt::format_to(std::back_inserter(out), "setkey_spd_entries{{dir=\"{}\"}} {}\n", dir, n);
}

} // namespace

std::span<const PrometheusMetric> prometheus_sa_metrics() { return kSaMetrics; }

std::string prometheus_text(std::optional<std::span<const model::SaRecord>> sas,
                            std::optional<std::span<const model::PolicyRecord>> policies,
                            SaSource source) {
    std::string out;
    if (sas) {
        sa_families(out, *sas);
        if (source == SaSource::dump) {
            header(out, "setkey_sad_entries", "gauge", "SAs in the dump.");
            fmt::format_to(std::back_inserter(out), "setkey_sad_entries {}\n", sas->size());
        }
    }
    if (policies) spd_family(out, *policies);
    return out;
}

} // namespace setkey::output
