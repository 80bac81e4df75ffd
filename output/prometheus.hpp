// Prometheus text exposition for node_exporter's textfile collector: HELP/TYPE per
// family, no timestamps, no key material. Sample values are read from the same
// records JSON prints (output/fields.hpp), by field name.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/record.hpp"

namespace setkey::output {

// One per-SA metric family and the record field it reads. With `limits` set the field
// is read from both the "hard" and "soft" objects, labelled limit="hard"|"soft".
struct PrometheusMetric {
    std::string_view name;
    std::string_view type; // "counter" or "gauge"
    std::string_view help;
    std::string_view field;
    bool limits = false;
};

std::span<const PrometheusMetric> prometheus_sa_metrics();

// Which SAs prometheus_text is given: a SAD dump, or the SAs `get` statements printed
// (per-SA families only: they say nothing about how many SAs the SAD holds).
enum class SaSource { dump, get };

// The families of the tables given, none for a table not dumped (nullopt). SAs: per-SA
// families labelled {src,dst,proto,spi,reqid,mode} (SPI changes on every rekey: a new
// series each time), setkey_sa_state and setkey_sad_entries (0 for an empty SAD).
// Policies: setkey_spd_entries{dir}, with a 0 sample for in, out and fwd when the dump
// has none. A sample whose field is null is left out.
std::string prometheus_text(std::optional<std::span<const model::SaRecord>> sas,
                            std::optional<std::span<const model::PolicyRecord>> policies,
                            SaSource source = SaSource::dump);

} // namespace setkey::output
