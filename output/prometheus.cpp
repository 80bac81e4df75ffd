#include "output/prometheus.hpp"

#include <iterator>
#include <map>
#include <sstream>

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

} // namespace

std::span<const PrometheusMetric> prometheus_sa_metrics() { return kSaMetrics; }

SaFamilies::SaFamilies() : families_(std::size(kSaMetrics) + 1) {}

// One sample per field the kernel reported, each into its family's spool.
void SaFamilies::add(const model::SaRecord& sa) {
    const json record = sa_object(sa, RecordOptions{.show_keys = false});
    const std::string labels = sa_labels(record);
    std::string line;
    for (size_t i = 0; i < std::size(kSaMetrics); ++i) {
        const auto& m = kSaMetrics[i];
        const std::string field(m.field);
        line.clear();
        auto o = std::back_inserter(line);
        if (!m.limits) {
            if (const auto& v = record[field]; !v.is_null())
                fmt::format_to(o, "{}{{{}}} {}\n", m.name, labels, v.dump());
        } else {
            for (const char* limit : {"hard", "soft"})
                if (const auto& v = record[limit][field]; !v.is_null())
                    fmt::format_to(o, "{}{{{},limit=\"{}\"}} {}\n", m.name, labels, limit, v.dump());
        }
        families_[i].append(line);
    }
    families_.back().append(
        fmt::format("setkey_sa_state{{{},state=\"{}\"}} 1\n", labels, label_text(record["state"])));
    ++count_;
}

void SaFamilies::write_to(std::ostream& out, SaSource source) const {
    std::string head;
    for (size_t i = 0; i < std::size(kSaMetrics); ++i) {
        head.clear();
        header(head, kSaMetrics[i].name, kSaMetrics[i].type, kSaMetrics[i].help);
        out << head;
        families_[i].write_to(out);
    }
    head.clear();
    header(head, "setkey_sa_state", "gauge", "SA state (larval, mature, dying, dead); always 1.");
    out << head;
    families_.back().write_to(out);
    if (source == SaSource::dump) {
        head.clear();
        header(head, "setkey_sad_entries", "gauge", "SAs in the dump.");
        out << head << "setkey_sad_entries " << count_ << '\n';
    }
}

void SaFamilies::clear() {
    for (auto& f : families_) f.clear();
    count_ = 0;
}

void SpdCounts::add(const model::PolicyRecord& policy) {
    ++by_dir_[direction_text(policy)]; // no record tree per policy
}

// Every direction a rule can test for (`sum(...) < N`) has a sample, 0 when empty.
void SpdCounts::write_to(std::ostream& out) const {
    std::string text;
    header(text, "setkey_spd_entries", "gauge", "Policies in the dump, by direction.");
    for (const auto& [dir, n] : by_dir_)
        fmt::format_to(std::back_inserter(text), "setkey_spd_entries{{dir=\"{}\"}} {}\n", dir, n);
    out << text;
}

void SpdCounts::clear() { by_dir_ = {{"in", 0}, {"out", 0}, {"fwd", 0}}; }

std::string prometheus_text(std::optional<std::span<const model::SaRecord>> sas,
                            std::optional<std::span<const model::PolicyRecord>> policies,
                            SaSource source) {
    std::ostringstream out;
    if (sas) {
        SaFamilies families;
        for (const auto& sa : *sas) families.add(sa);
        families.write_to(out, source);
    }
    if (policies) {
        SpdCounts counts;
        for (const auto& p : *policies) counts.add(p);
        counts.write_to(out);
    }
    return out.str();
}

} // namespace setkey::output
