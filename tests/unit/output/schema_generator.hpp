// JSON Schema (draft 2020-12) documents for the machine formats, generated from the
// field tables of output/fields.cpp, so the committed files in docs/schema/ cannot
// drift from what the printers emit (schema_files_test.cpp compares them).
// Records are closed: every non-secret field is required and no other key is allowed.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace setkey::output::schema {

// A member of a nested object (lifetime limits, encap, sec_ctx, a policy template, the
// XFRM objects).
// fields.cpp builds these inline, so they are listed here and schema_files_test.cpp
// checks the lists against the objects the printers really build.
struct Member {
    std::string_view name;
    std::string_view type; // the notation of output::Field::type
};

std::span<const Member> limit_members();
std::span<const Member> encap_members();
std::span<const Member> sec_ctx_members();
std::span<const Member> template_members();
std::span<const Member> mark_members();          // mark, output_mark
std::span<const Member> sa_selector_members();   // an SA's selector
std::span<const Member> replay_state_members();
std::span<const Member> offload_members();
std::span<const Member> raw_attribute_members(); // each of unknown_attributes

// The envelopes' own keys, in output order (checked against real output too).
std::vector<std::string> dump_keys();       // -o json document
std::vector<std::string> line_keys();       // the keys -o jsonl puts before a record
// -x -o jsonl: the keys of an event line, with the one its kind adds (flush: satype,
// spdexpire: hard, spdflush: ptype; "" for the others).
std::vector<std::string> event_keys(std::string_view own);

struct SchemaFile {
    std::string name; // file name under docs/schema/
    nlohmann::ordered_json body;
};

nlohmann::ordered_json dump_schema();   // dump.schema.json: one -o json document
nlohmann::ordered_json record_schema(); // record.schema.json: one -o jsonl line
nlohmann::ordered_json event_schema();  // event.schema.json: one -x -o jsonl line
std::vector<SchemaFile> schema_files();

// The text written to docs/schema/<name>: indented by 2, with a final newline.
std::string schema_text(const nlohmann::ordered_json& body);

} // namespace setkey::output::schema
