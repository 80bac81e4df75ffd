// The one definition of what a machine-readable SA or policy record contains. JSON,
// JSONL and Prometheus all write records through these tables, so they cannot disagree
// on a field's name, type or unit. docs/json-schema.md documents every field; a test
// checks the two match.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/record.hpp"
#include "output/json_writer.hpp"

namespace setkey::output {

struct RecordOptions {
    bool show_keys = false; // add enc_key/auth_key; off by default because dumps get shipped
};

template <typename Record>
struct Field {
    std::string_view name;  // snake_case JSON key
    std::string_view type;  // as documented: "integer", "string|null", "object", ...
    bool secret;            // key material: present only with show_keys
    void (*write)(JsonWriter&, const Record&); // writes the field's one JSON value
    // True when `write` would write what it writes for a bare `Record{}` (null, [],
    // "any", ...): a compact record then copies that member's text, made once, and a
    // run of such members is one copy. Most entries of a large table leave most fields
    // at their defaults. Optional; never on a secret field.
    bool (*at_default)(const Record&) = nullptr;
};

// Fields in output order. Every record carries every non-secret field (null when the
// kernel did not report it), so consumers always see the same key set.
std::span<const Field<model::SaRecord>> sa_fields();
std::span<const Field<model::PolicyRecord>> policy_fields();

// The record's members, in table order, into the object `out` has open: records are
// streamed straight from the table, no tree per record.
void write_members(JsonWriter& out, const model::SaRecord& sa, const RecordOptions& options);
void write_members(JsonWriter& out, const model::PolicyRecord& policy, const RecordOptions& options);
// The record as one object: {members}.
template <typename Record>
void write_record(JsonWriter& out, const Record& record, const RecordOptions& options) {
    out.begin_object();
    write_members(out, record, options);
    out.end_object();
}

// The row named `name`, or nullptr.
template <typename Record>
const Field<Record>* find_field(std::span<const Field<Record>> fields, std::string_view name) {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

// The record as a tree, read back from its text (tests, schema checks; not the dumps).
nlohmann::ordered_json sa_object(const model::SaRecord& sa, const RecordOptions& options);
nlohmann::ordered_json policy_object(const model::PolicyRecord& policy, const RecordOptions& options);

// A policy's direction as the records name it ("in", "out", "fwd", ...).
std::string_view direction_text(const model::PolicyRecord& policy);

} // namespace setkey::output
