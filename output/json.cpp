#include "output/json.hpp"

namespace setkey::output {

using json = nlohmann::ordered_json;

std::string to_json_text(const json& value, bool pretty) {
    return value.dump(pretty ? 2 : -1, ' ', false, json::error_handler_t::replace);
}

std::string json_document(std::optional<std::span<const model::SaRecord>> sas,
                          std::optional<std::span<const model::PolicyRecord>> policies,
                          const MachineOptions& options) {
    json doc{{"schema", kDumpSchema}, {"time", options.time}, {"backend", options.backend}};
    json sa = nullptr, sp = nullptr;
    if (sas) {
        sa = json::array();
        for (const auto& r : *sas) sa.push_back(sa_object(r, options.record));
    }
    if (policies) {
        sp = json::array();
        for (const auto& r : *policies) sp.push_back(policy_object(r, options.record));
    }
    doc["sa"] = std::move(sa);
    doc["sp"] = std::move(sp);
    return to_json_text(doc, options.pretty) + "\n";
}

JsonlWriter::JsonlWriter(std::ostream& out, const MachineOptions& options)
    : out_(out), options_(options) {}

void JsonlWriter::write(const model::SaRecord& sa) { emit("sa", sa_object(sa, options_.record)); }

void JsonlWriter::write(const model::PolicyRecord& policy) {
    emit("sp", policy_object(policy, options_.record));
}

void JsonlWriter::emit(std::string_view type, const json& record) {
    json line{{"v", kJsonlVersion}, {"type", type}, {"time", options_.time}};
    for (const auto& [key, value] : record.items()) line[key] = value;
    out_ << to_json_text(line) << '\n';
    out_.flush();
}

} // namespace setkey::output
