#include "output/json.hpp"

#include <sstream>

namespace setkey::output {

using json = nlohmann::ordered_json;

std::string to_json_text(const json& value, bool pretty) {
    return value.dump(pretty ? 2 : -1, ' ', false, json::error_handler_t::replace);
}

JsonDocumentWriter::JsonDocumentWriter(std::ostream& out, const MachineOptions& options)
    : out_(out), options_(options) {}

bool JsonDocumentWriter::can_take(Table table) const {
    if (table == Table::sa) return at_ == Place::none || at_ == Place::header;
    return at_ != Place::in_sp && at_ != Place::after_sp;
}

// nlohmann's layout, written piece by piece: members at depth 1, records at depth 2.
void JsonDocumentWriter::member(std::string_view key) {
    out_ << (options_.pretty ? ",\n  " : ",") << '"' << key << (options_.pretty ? "\": " : "\":");
}

void JsonDocumentWriter::begin_document(std::optional<int64_t> time) {
    if (at_ != Place::none) return;
    if (time) options_.time = *time;
    out_ << (options_.pretty ? "{\n  \"schema\": " : "{\"schema\":") << to_json_text(kDumpSchema);
    member("time");
    out_ << options_.time;
    member("backend");
    out_ << to_json_text(options_.backend);
    at_ = Place::header;
}

void JsonDocumentWriter::open(Table table) {
    begin_document();
    close_table();
    if (table == Table::sp && at_ == Place::header) {
        member("sa");
        out_ << "null";
    }
    member(table == Table::sa ? "sa" : "sp");
    out_ << '[';
    at_ = table == Table::sa ? Place::in_sa : Place::in_sp;
    first_record_ = true;
}

void JsonDocumentWriter::record(const json& value) {
    if (!options_.pretty) {
        out_ << (first_record_ ? "" : ",") << to_json_text(value);
    } else {
        std::string text = to_json_text(value, true);
        for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 5) text.insert(at + 1, "    ");
        out_ << (first_record_ ? "\n    " : ",\n    ") << text;
    }
    first_record_ = false;
}

void JsonDocumentWriter::write(const model::SaRecord& sa) { record(sa_object(sa, options_.record)); }

void JsonDocumentWriter::write(const model::PolicyRecord& sp) {
    record(policy_object(sp, options_.record));
}

void JsonDocumentWriter::close_table() {
    if (at_ != Place::in_sa && at_ != Place::in_sp) return;
    out_ << (options_.pretty && !first_record_ ? "\n  ]" : "]");
    at_ = at_ == Place::in_sa ? Place::after_sa : Place::after_sp;
}

void JsonDocumentWriter::end_document() {
    if (at_ == Place::none) return;
    close_table();
    if (at_ == Place::header) {
        member("sa");
        out_ << "null";
    }
    if (at_ != Place::after_sp) {
        member("sp");
        out_ << "null";
    }
    out_ << (options_.pretty ? "\n}\n" : "}\n");
    at_ = Place::none;
}

std::string json_document(std::optional<std::span<const model::SaRecord>> sas,
                          std::optional<std::span<const model::PolicyRecord>> policies,
                          const MachineOptions& options) {
    std::ostringstream out;
    JsonDocumentWriter doc(out, options);
    if (sas) {
        doc.open(JsonDocumentWriter::Table::sa);
        for (const auto& r : *sas) doc.write(r);
    }
    if (policies) {
        doc.open(JsonDocumentWriter::Table::sp);
        for (const auto& r : *policies) doc.write(r);
    }
    doc.begin_document(); // neither table: a document with two nulls
    doc.end_document();
    return out.str();
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
