// Machine-readable dumps: `json` (one document) and `jsonl` (one record per line,
// streamed). Records come from output/fields.hpp; docs/json-schema.md describes them.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "model/record.hpp"
#include "output/fields.hpp"

namespace setkey::output {

inline constexpr std::string_view kDumpSchema = "setkey.dump/2";
inline constexpr int kJsonlVersion = 2;

struct MachineOptions {
    RecordOptions record;
    int64_t time = 0;          // when the dump was taken, epoch seconds (injected for tests)
    std::string_view backend;  // "pfkey" or "xfrm"
    bool pretty = false;       // json only: indent by 2 instead of one line
};

// Writes {"schema":"setkey.dump/2","time":...,"backend":...,"sa":[...],"sp":[...]}
// plus a newline as the records arrive, holding none of them: a document's memory does
// not grow with the table. The SAD comes before the SPD; a table that was not listed is
// null, an empty one []. The caller decides when a document ends (can_take).
class JsonDocumentWriter {
public:
    enum class Table { sa, sp };
    JsonDocumentWriter(std::ostream& out, const MachineOptions& options);
    // Whether the open document still has room for this table (a table is listed once
    // and the SAD never after the SPD); true when no document is open.
    bool can_take(Table table) const;
    // Starts a document if none is open, dated `time` (epoch seconds) if given.
    void begin_document(std::optional<int64_t> time = std::nullopt);
    // Opens the table (starting a document if none is open); must be can_take.
    void open(Table table);
    void write(const model::SaRecord& sa);      // into the open "sa" list
    void write(const model::PolicyRecord& sp);  // into the open "sp" list
    void close_table();                          // ends the open list, if any
    void end_document();                         // fills unlisted tables with null
    bool document_open() const { return at_ != Place::none; }

private:
    enum class Place { none, header, in_sa, after_sa, in_sp, after_sp };
    void member(std::string_view key); // the separator before a member, and its key
    template <typename Record>
    void record(const Record& r);
    std::ostream& out_;
    MachineOptions options_;
    Place at_ = Place::none;
    bool first_record_ = true;
    std::string text_; // one record's text, reused
};

// One whole document for tables held in memory (tests, small callers): the same bytes
// JsonDocumentWriter gives. A table that was not dumped (nullopt) is null.
std::string json_document(std::optional<std::span<const model::SaRecord>> sas,
                          std::optional<std::span<const model::PolicyRecord>> policies,
                          const MachineOptions& options);

// One line per record, {"v":2,"type":"sa"|"sp","time":...,<record fields>}, flushed
// as soon as it is written so a reader sees each record when the kernel sent it.
class JsonlWriter {
public:
    JsonlWriter(std::ostream& out, const MachineOptions& options);
    void write(const model::SaRecord& sa);
    void write(const model::PolicyRecord& policy);

private:
    template <typename Record>
    void emit(std::string_view type, const Record& record);
    std::ostream& out_;
    MachineOptions options_;
    std::string text_; // one line's text, reused
};

// Serialises without throwing on invalid UTF-8 (security contexts are kernel bytes):
// bad sequences become U+FFFD.
std::string to_json_text(const nlohmann::ordered_json& value, bool pretty = false);

} // namespace setkey::output
