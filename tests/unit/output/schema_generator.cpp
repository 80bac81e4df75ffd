#include "schema_generator.hpp"

#include <stdexcept>

#include "output/event.hpp"
#include "output/fields.hpp"
#include "output/json.hpp"

namespace setkey::output::schema {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kDraft = "https://json-schema.org/draft/2020-12/schema";
const json kBackends = json::array({"pfkey", "xfrm"});

// clang-format off
constexpr Member kLimits[] = {
    {"bytes", "integer|null"}, {"packets", "integer|null"}, {"allocations", "integer|null"},
    {"add_seconds", "integer|null"}, {"use_seconds", "integer|null"},
};
constexpr Member kEncap[] = {
    {"type", "string"}, {"sport", "integer"}, {"dport", "integer"}, {"oa", "string|null"},
};
constexpr Member kSecCtx[] = {{"doi", "integer"}, {"alg", "integer"}, {"ctx", "string"}};
constexpr Member kMark[] = {{"value", "integer"}, {"mask", "integer"}};
constexpr Member kSaSelector[] = {
    {"src", "string|null"}, {"dst", "string|null"}, {"src_port", "integer|null"}, {"dst_port", "integer|null"},
    {"upperspec", "string"}, {"ifindex", "integer|null"}, {"user", "integer|null"},
};
constexpr Member kReplayState[] = {
    {"esn", "boolean"}, {"seq", "integer"}, {"oseq", "integer"}, {"seq_hi", "integer|null"},
    {"oseq_hi", "integer|null"}, {"window", "integer|null"}, {"bitmap", "string"},
};
constexpr Member kOffload[] = {{"ifindex", "integer"}, {"flags", "integer"}};
constexpr Member kRawAttribute[] = {{"type", "integer"}, {"payload", "string"}};
constexpr Member kTemplate[] = {
    {"proto", "string"}, {"mode", "string"}, {"src", "string|null"}, {"dst", "string|null"},
    {"src_port", "integer|null"}, {"dst_port", "integer|null"}, {"level", "string"}, {"reqid", "integer"},
    {"spi", "integer"}, {"share", "string"},
};
// clang-format on

// Which $defs entry describes the object a field holds.
std::string_view object_def(std::string_view field) {
    if (field == "hard" || field == "soft") return "limits";
    if (field == "encap") return "encap";
    if (field == "sec_ctx") return "sec_ctx";
    if (field == "templates") return "template";
    if (field == "mark" || field == "output_mark") return "mark";
    if (field == "selector") return "sa_selector";
    if (field == "replay_state") return "replay_state";
    if (field == "offload") return "offload";
    if (field == "unknown_attributes") return "raw_attribute";
    throw std::invalid_argument("schema_generator: no nested definition for object field '" +
                                std::string(field) + "'");
}

json ref(std::string_view def) { return json{{"$ref", "#/$defs/" + std::string(def)}}; }

// The schema of one value from the type notation of output::Field ("integer|null",
// "array of object", ...). An unknown notation throws: the generator must learn it.
json value_schema(std::string_view field, std::string_view type) {
    constexpr std::string_view kNull = "|null";
    const bool nullable = type.ends_with(kNull);
    if (nullable) type.remove_suffix(kNull.size());
    json s;
    bool scalar = false;
    if (type == "string" || type == "integer" || type == "boolean" || type == "number") {
        s = json{{"type", type}};
        scalar = true;
    } else if (type == "array of string") {
        s = json{{"type", "array"}, {"items", {{"type", "string"}}}};
    } else if (type == "array of object") {
        s = json{{"type", "array"}, {"items", ref(object_def(field))}};
    } else if (type == "object") {
        s = ref(object_def(field));
    } else {
        throw std::invalid_argument("schema_generator: unknown type '" + std::string(type) + "' of '" +
                                    std::string(field) + "'");
    }
    if (!nullable) return s;
    if (scalar) return json{{"type", json::array({type, "null"})}};
    return json{{"anyOf", json::array({s, json{{"type", "null"}}})}};
}

struct Property {
    std::string_view name;
    json schema;
    bool optional = false; // keys (only with --show-keys); an event's satype (only in flush)
};

// A closed object: every other property required, nothing else allowed; optional
// properties come together or not at all (enc_key and auth_key).
json closed_object(std::string_view title, const std::vector<Property>& props) {
    json properties = json::object(), required = json::array(), optional = json::array();
    for (const auto& p : props) {
        properties[std::string(p.name)] = p.schema;
        (p.optional ? optional : required).push_back(p.name);
    }
    json o{{"title", title}, {"type", "object"}, {"properties", properties}, {"required", required},
           {"additionalProperties", false}};
    if (optional.size() > 1) {
        json together = json::object();
        for (const auto& s : optional) {
            json others = json::array();
            for (const auto& t : optional)
                if (t != s) others.push_back(t);
            together[s.get<std::string>()] = others;
        }
        o["dependentRequired"] = together;
    }
    return o;
}

std::vector<Property> members(std::span<const Member> list) {
    std::vector<Property> out;
    for (const auto& m : list) out.push_back({m.name, value_schema(m.name, m.type)});
    return out;
}

template <typename Record>
std::vector<Property> record_properties(std::span<const Field<Record>> fields) {
    std::vector<Property> out;
    for (const auto& f : fields) out.push_back({f.name, value_schema(f.name, f.type), f.secret});
    return out;
}

json nested_defs() {
    return json{{"limits", closed_object("lifetime limits (hard, soft)", members(kLimits))},
                {"encap", closed_object("NAT-T encapsulation", members(kEncap))},
                {"sec_ctx", closed_object("security context", members(kSecCtx))},
                {"template", closed_object("policy template", members(kTemplate))},
                {"mark", closed_object("XFRM mark (mark, output_mark)", members(kMark))},
                {"sa_selector", closed_object("SA selector (XFRM)", members(kSaSelector))},
                {"replay_state", closed_object("replay state (XFRM)", members(kReplayState))},
                {"offload", closed_object("hardware offload (XFRM)", members(kOffload))},
                {"raw_attribute", closed_object("attribute setkey does not know (XFRM)", members(kRawAttribute))}};
}

// The SA and policy records and their nested objects.
json record_defs() {
    json defs{{"sa", closed_object("SA record", record_properties(sa_fields()))},
              {"policy", closed_object("policy record", record_properties(policy_fields()))}};
    defs.update(nested_defs());
    return defs;
}

json root(std::string_view id, std::string_view title, std::string_view description) {
    return json{{"$schema", kDraft},
                {"$id", "urn:setkey:schema:" + std::string(id)},
                {"title", title},
                {"description", std::string(description) +
                                    " Generated from output/fields.cpp by tests/unit/output/schema_generator.cpp; "
                                    "do not edit."}};
}

std::vector<Property> line_envelope(std::string_view type) {
    return {{"v", json{{"const", kJsonlVersion}}},
            {"type", json{{"const", type}}},
            {"time", json{{"type", "integer"}}}};
}

json event_names() {
    json names = json::array();
    for (int k = static_cast<int>(EventKind::add); k <= static_cast<int>(EventKind::lost); ++k)
        names.push_back(event_name(static_cast<EventKind>(k)));
    return names;
}

} // namespace

std::span<const Member> limit_members() { return kLimits; }
std::span<const Member> encap_members() { return kEncap; }
std::span<const Member> sec_ctx_members() { return kSecCtx; }
std::span<const Member> template_members() { return kTemplate; }
std::span<const Member> mark_members() { return kMark; }
std::span<const Member> sa_selector_members() { return kSaSelector; }
std::span<const Member> replay_state_members() { return kReplayState; }
std::span<const Member> offload_members() { return kOffload; }
std::span<const Member> raw_attribute_members() { return kRawAttribute; }

std::vector<std::string> dump_keys() { return {"schema", "time", "backend", "sa", "sp"}; }
std::vector<std::string> line_keys() { return {"v", "type", "time"}; }
std::vector<std::string> event_keys(std::string_view own) {
    std::vector<std::string> keys{"v", "type", "time", "backend", "event"};
    if (!own.empty()) keys.emplace_back(own);
    keys.insert(keys.end(), {"sa", "sp"});
    return keys;
}

json dump_schema() {
    json s = root("dump.v2", "setkey -o json document",
                  "One document of `setkey -D|-DP -o json` (docs/json-schema.md).");
    const auto table = [](std::string_view def) {
        return json{{"anyOf", json::array({json{{"type", "array"}, {"items", ref(def)}}, json{{"type", "null"}}})}};
    };
    json doc = closed_object("dump document", {{"schema", json{{"const", kDumpSchema}}},
                                               {"time", json{{"type", "integer"}}},
                                               {"backend", json{{"enum", kBackends}}},
                                               {"sa", table("sa")},
                                               {"sp", table("policy")}});
    doc.erase("title");
    s.update(doc);
    s["$defs"] = record_defs();
    return s;
}

json record_schema() {
    json s = root("record.v2", "setkey -o jsonl line",
                  "One line of `setkey -D|-DP -o jsonl`: an SA (\"type\":\"sa\") or policy (\"type\":\"sp\") "
                  "record after the line envelope (docs/json-schema.md).");
    s["type"] = "object";
    s["required"] = line_keys();
    s["properties"] = json{{"type", {{"enum", json::array({"sa", "sp"})}}}};
    s["if"] = json{{"properties", {{"type", {{"const", "sa"}}}}}};
    s["then"] = ref("sa_line");
    s["else"] = ref("sp_line");
    auto sa = line_envelope("sa"), sp = line_envelope("sp");
    for (auto& p : record_properties(sa_fields())) sa.push_back(std::move(p));
    for (auto& p : record_properties(policy_fields())) sp.push_back(std::move(p));
    json defs{{"sa_line", closed_object("SA line", sa)}, {"sp_line", closed_object("policy line", sp)}};
    defs.update(nested_defs());
    s["$defs"] = defs;
    return s;
}

json event_schema() {
    json s = root("event.v2", "setkey -x -o jsonl event line",
                  "One line of `setkey -x -o jsonl`: a kernel event with its SA and policy records in the "
                  "dump schema (docs/json-schema.md).");
    const auto nullable_ref = [](std::string_view def) {
        return json{{"anyOf", json::array({ref(def), json{{"type", "null"}}})}};
    };
    json line = closed_object("event line", {{"v", json{{"const", kJsonlVersion}}},
                                             {"type", json{{"const", "event"}}},
                                             {"time", json{{"type", "number"}}},
                                             {"backend", json{{"enum", kBackends}}},
                                             {"event", json{{"enum", event_names()}}},
                                             {"satype", json{{"type", json::array({"string", "null"})}}, true},
                                             {"hard", json{{"type", "boolean"}}, true},
                                             {"ptype", json{{"type", "string"}}, true},
                                             {"sa", nullable_ref("sa")},
                                             {"sp", nullable_ref("policy")}});
    line.erase("title");
    line.erase("dependentRequired"); // each of them belongs to one kind of event
    s.update(line);
    // Only flush events say which SA type they flushed (null: all of them), only policy
    // expires whether the hard limit was reached, only policy flushes which type.
    json kinds = json::array();
    for (const auto& [event, key] : {std::pair{"flush", "satype"}, {"spdexpire", "hard"}, {"spdflush", "ptype"}})
        kinds.push_back(json{{"if", {{"properties", {{"event", {{"const", event}}}}}}},
                             {"then", {{"required", json::array({key})}}},
                             {"else", {{"not", {{"required", json::array({key})}}}}}});
    s["allOf"] = kinds;
    s["$defs"] = record_defs();
    return s;
}

std::vector<SchemaFile> schema_files() {
    return {{"dump.schema.json", dump_schema()},
            {"record.schema.json", record_schema()},
            {"event.schema.json", event_schema()}};
}

std::string schema_text(const json& body) { return body.dump(2) + "\n"; }

} // namespace setkey::output::schema
