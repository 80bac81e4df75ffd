// Prometheus text exposition for node_exporter's textfile collector: HELP/TYPE per
// family, no timestamps, no key material. Sample values are read from the same
// records JSON prints (output/fields.hpp), by field name, written by their rows of the field table.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/record.hpp"
#include "output/spool.hpp"

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

// The per-SA families of one listing of SAs, rendered as each SA arrives and spooled
// family by family (output/spool.hpp), so no record is held.
class SaFamilies {
public:
    SaFamilies();
    ~SaFamilies();
    SaFamilies(SaFamilies&&) noexcept;
    SaFamilies& operator=(SaFamilies&&) noexcept;
    void add(const model::SaRecord& sa);
    // Every family's HELP/TYPE and samples, then setkey_sad_entries for a dump.
    void write_to(std::ostream& out, SaSource source) const;
    void clear();

private:
    std::vector<Spool> families_; // one per prometheus_sa_metrics() row, then setkey_sa_state
    size_t count_ = 0;
    struct Readers;
    std::unique_ptr<Readers> readers_; // field table rows the samples read
};

// setkey_spd_entries{dir} of one SPD listing.
class SpdCounts {
public:
    SpdCounts() { clear(); }
    void add(const model::PolicyRecord& policy);
    void write_to(std::ostream& out) const;
    void clear();

private:
    std::map<std::string, size_t> by_dir_;
};

// The families of the tables given, none for a table not dumped (nullopt). SAs: per-SA
// families labelled {src,dst,proto,spi,reqid,mode[,mark][,if_id]} (mark and if_id only on
// SAs that have them; SPI changes on every rekey: a new
// series each time), setkey_sa_state and setkey_sad_entries (0 for an empty SAD).
// Policies: setkey_spd_entries{dir}, with a 0 sample for in, out and fwd when the dump
// has none. A sample whose field is null is left out.
std::string prometheus_text(std::optional<std::span<const model::SaRecord>> sas,
                            std::optional<std::span<const model::PolicyRecord>> policies,
                            SaSource source = SaSource::dump);

} // namespace setkey::output
