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

inline constexpr std::string_view kDumpSchema = "setkey.dump/1";
inline constexpr int kJsonlVersion = 1;

struct MachineOptions {
    RecordOptions record;
    int64_t time = 0;          // when the dump was taken, epoch seconds (injected for tests)
    std::string_view backend;  // "pfkey" or "xfrm"
    bool pretty = false;       // json only: indent by 2 instead of one line
};

// {"schema":"setkey.dump/1","time":...,"backend":...,"sa":[...],"sp":[...]} plus a
// newline. A table that was not dumped (nullopt) is null, an empty one is [].
std::string json_document(std::optional<std::span<const model::SaRecord>> sas,
                          std::optional<std::span<const model::PolicyRecord>> policies,
                          const MachineOptions& options);

// One line per record, {"v":1,"type":"sa"|"sp","time":...,<record fields>}, flushed
// as soon as it is written so a reader sees each record when the kernel sent it.
class JsonlWriter {
public:
    JsonlWriter(std::ostream& out, const MachineOptions& options);
    void write(const model::SaRecord& sa);
    void write(const model::PolicyRecord& policy);

private:
    void emit(std::string_view type, const nlohmann::ordered_json& record);
    std::ostream& out_;
    MachineOptions options_;
};

// Serialises without throwing on invalid UTF-8 (security contexts are kernel bytes):
// bad sequences become U+FFFD.
std::string to_json_text(const nlohmann::ordered_json& value, bool pretty = false);

} // namespace setkey::output
