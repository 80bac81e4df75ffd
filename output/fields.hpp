// The one definition of what a machine-readable SA or policy record contains. JSON,
// JSONL and Prometheus all build records through these tables, so they cannot disagree
// on a field's name, type or unit. docs/json-schema.md documents every field; a test
// checks the two match.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/record.hpp"

namespace setkey::output {

struct RecordOptions {
    bool show_keys = false; // add enc_key/auth_key; off by default because dumps get shipped
};

template <typename Record>
struct Field {
    std::string_view name;  // snake_case JSON key
    std::string_view type;  // as documented: "integer", "string|null", "object", ...
    bool secret;            // key material: present only with show_keys
    nlohmann::ordered_json (*value)(const Record&);
};

// Fields in output order. Every record carries every non-secret field (null when the
// kernel did not report it), so consumers always see the same key set.
std::span<const Field<model::SaRecord>> sa_fields();
std::span<const Field<model::PolicyRecord>> policy_fields();

nlohmann::ordered_json sa_object(const model::SaRecord& sa, const RecordOptions& options);
// A policy's direction as the records name it ("in", "out", "fwd", ...).
std::string direction_text(const model::PolicyRecord& policy);

nlohmann::ordered_json policy_object(const model::PolicyRecord& policy, const RecordOptions& options);

} // namespace setkey::output
