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

// A record at depth 2: nlohmann's pretty layout shifted by four columns.
template <typename Record>
void JsonDocumentWriter::record(const Record& r) {
    text_.clear();
    text_ += first_record_ ? "" : ",";
    if (options_.pretty) text_ += "\n    ";
    {
        JsonWriter writer(text_, options_.pretty, 4);
        write_record(writer, r, options_.record);
    }
    out_ << text_;
    first_record_ = false;
}

void JsonDocumentWriter::write(const model::SaRecord& sa) { record(sa); }
void JsonDocumentWriter::write(const model::PolicyRecord& sp) { record(sp); }

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

void JsonlWriter::write(const model::SaRecord& sa) { emit("sa", sa); }
void JsonlWriter::write(const model::PolicyRecord& policy) { emit("sp", policy); }

template <typename Record>
void JsonlWriter::emit(std::string_view type, const Record& record) {
    text_.clear();
    {
        JsonWriter line(text_);
        line.begin_object();
        line.key("v");
        line.integer(kJsonlVersion);
        line.key("type");
        line.string(type);
        line.key("time");
        line.integer(options_.time);
        write_members(line, record, options_.record);
        line.end_object();
    }
    text_ += '\n';
    out_ << text_;
    out_.flush();
}

} // namespace setkey::output
