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

// Per-SA families labelled {src,dst,proto,spi,reqid,mode} (SPI changes on every rekey:
// a new series each time), setkey_sa_state, setkey_sad_entries and, when policies were
// dumped, setkey_spd_entries{dir}. A sample whose field is null is left out.
std::string prometheus_text(std::span<const model::SaRecord> sas,
                            std::optional<std::span<const model::PolicyRecord>> policies);

} // namespace setkey::output
