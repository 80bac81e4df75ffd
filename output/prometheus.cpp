#include "output/prometheus.hpp"

#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "output/fields.hpp"
#include "output/mark_format.hpp"

namespace setkey::output {
namespace {

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

// One field's value as compact JSON text ("null", "42", "\"10.0.0.1\"", {...}), written
// by its row of the field table: samples read records by field name, with no tree.
class SaFieldText {
public:
    explicit SaFieldText(std::string_view name) : field_(find_field(sa_fields(), name)) {
        if (!field_) throw std::logic_error("prometheus: no SA field " + std::string(name));
    }
    std::string_view of(const model::SaRecord& sa) {
        text_.clear();
        {
            JsonWriter out(text_);
            field_->write(out, sa);
        }
        return text_;
    }

private:
    const Field<model::SaRecord>* field_;
    std::string text_;
};

// A member of a limits object's text ({"bytes":null,"packets":5,...}): its members are
// numbers or null, so the value ends at the next ',' or '}'.
std::string_view member_text(std::string_view object, std::string_view name) {
    for (size_t at = object.find(name); at != std::string_view::npos; at = object.find(name, at + 1)) {
        const size_t from = at + name.size() + 2; // after `name":`
        if (at == 0 || object[at - 1] != '"' || from > object.size() || object.substr(at + name.size(), 2) != "\":")
            continue;
        return object.substr(from, object.find_first_of(",}", from) - from);
    }
    return "null";
}

// Label values are numeric addresses, numbers and fixed names (esp, tunnel, mature,
// in, ...): none can hold the `\`, `"` or newline that would need escaping, so a
// string's text is what lies between its quotes.
std::string_view label_text(std::string_view json_text) {
    if (json_text.size() >= 2 && json_text.front() == '"') return json_text.substr(1, json_text.size() - 2);
    return json_text;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

} // namespace

std::span<const PrometheusMetric> prometheus_sa_metrics() { return kSaMetrics; }

SaFamilies::SaFamilies() : families_(std::size(kSaMetrics) + 1), readers_(std::make_unique<Readers>()) {}
SaFamilies::~SaFamilies() = default;
SaFamilies::SaFamilies(SaFamilies&&) noexcept = default;
SaFamilies& SaFamilies::operator=(SaFamilies&&) noexcept = default;

// The field text readers of every label, metric and setkey_sa_state, made once
// (limit metrics read the "hard" and "soft" objects: their slot in `metrics` is unused).
struct SaFamilies::Readers {
    std::vector<SaFieldText> labels, metrics;
    SaFieldText hard{"hard"}, soft{"soft"}, state{"state"};
    Readers() {
        for (auto f : kLabelFields) labels.emplace_back(f);
        for (const auto& m : kSaMetrics) metrics.emplace_back(m.limits ? "hard" : m.field);
    }
};

// One sample per field the kernel reported, each into its family's spool. The text is
// put together by appends: through fmt, a dump of SAs spent 60% of its time here.
void SaFamilies::add(const model::SaRecord& sa) {
    auto& r = *readers_;
    std::string labels;
    for (size_t i = 0; i < std::size(kLabelFields); ++i) {
        if (!labels.empty()) labels += ',';
        // spi_hex is exported as "spi": the label name users know.
        labels += kLabelFields[i] == "spi_hex" ? std::string_view("spi") : kLabelFields[i];
        labels += "=\"";
        labels += label_text(r.labels[i].of(sa));
        labels += '"';
    }
    // SAs that differ only by mark (XFRM) are two SAs: the mark and if_id label them
    // apart. Only when set: an empty label value would be the same as none, and
    // unmarked SAs keep the series they always had.
    if (sa.mark) fmt::format_to(std::back_inserter(labels), ",mark=\"{}\"", *sa.mark);
    if (sa.if_id != 0) fmt::format_to(std::back_inserter(labels), ",if_id=\"{}\"", sa.if_id);
    const std::string hard(r.hard.of(sa)), soft(r.soft.of(sa));
    std::string line;
    // name{labels[,label="label_value"]} value
    const auto sample = [&](std::string_view name, std::string_view label, std::string_view label_value,
                            std::string_view value) {
        line += name;
        line += '{';
        line += labels;
        if (!label.empty()) {
            line += ',';
            line += label;
            line += "=\"";
            line += label_value;
            line += '"';
        }
        line += "} ";
        line += value;
        line += '\n';
    };
    for (size_t i = 0; i < std::size(kSaMetrics); ++i) {
        const auto& m = kSaMetrics[i];
        line.clear();
        if (!m.limits) {
            if (const auto v = r.metrics[i].of(sa); v != "null") sample(m.name, {}, {}, v);
        } else {
            for (const auto& [limit, object] :
                 {std::pair{"hard", std::string_view(hard)}, std::pair{"soft", std::string_view(soft)}})
                if (const auto v = member_text(object, m.field); v != "null") sample(m.name, "limit", limit, v);
        }
        families_[i].append(line);
    }
    line.clear();
    sample("setkey_sa_state", "state", label_text(r.state.of(sa)), "1");
    families_.back().append(line);
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
    ++by_dir_[std::string(direction_text(policy))]; // no record tree per policy
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
