// The streamed JSON document is byte for byte the document nlohmann would print for
// the same tables held whole, compact and indented, for every mix of empty, missing
// and full tables.
#include <sstream>

#include <gtest/gtest.h>

#include "support/machine_records.hpp"
#include "output/json.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;
using namespace testing;

// What json_document printed before it streamed: one tree, dumped at once.
std::string whole_document(const std::vector<model::SaRecord>* sas,
                           const std::vector<model::PolicyRecord>* sps, const MachineOptions& o) {
    json doc{{"schema", kDumpSchema}, {"time", o.time}, {"backend", o.backend}};
    json sa = nullptr, sp = nullptr;
    if (sas) {
        sa = json::array();
        for (const auto& r : *sas) sa.push_back(sa_object(r, o.record));
    }
    if (sps) {
        sp = json::array();
        for (const auto& r : *sps) sp.push_back(policy_object(r, o.record));
    }
    doc["sa"] = std::move(sa);
    doc["sp"] = std::move(sp);
    return to_json_text(doc, o.pretty) + "\n";
}

TEST(JsonStream, SameBytesAsTheWholeDocument) {
    const auto full_sad = machine_sad();
    const auto full_spd = small_spd(319);
    const std::vector<model::SaRecord> no_sas;
    const std::vector<model::PolicyRecord> no_sps;
    for (bool pretty : {false, true})
        for (auto sas : {&full_sad, &no_sas, static_cast<const std::vector<model::SaRecord>*>(nullptr)})
            for (auto sps : {&full_spd, &no_sps, static_cast<const std::vector<model::PolicyRecord>*>(nullptr)}) {
                MachineOptions o{.time = 1234, .backend = "xfrm", .pretty = pretty};
                std::optional<std::span<const model::SaRecord>> a;
                std::optional<std::span<const model::PolicyRecord>> b;
                if (sas) a = std::span<const model::SaRecord>(*sas);
                if (sps) b = std::span<const model::PolicyRecord>(*sps);
                EXPECT_EQ(json_document(a, b, o), whole_document(sas, sps, o))
                    << "pretty " << pretty << ", sa " << (sas ? sas->size() : -1) << ", sp "
                    << (sps ? sps->size() : -1);
            }
}

TEST(JsonStream, RecordsAreWrittenWhenTheyArrive) {
    std::ostringstream out;
    JsonDocumentWriter doc(out, {.time = 1, .backend = "pfkey"});
    doc.open(JsonDocumentWriter::Table::sa);
    const auto sad = machine_sad();
    doc.write(sad.front());
    EXPECT_NE(out.str().find(sa_object(sad.front(), {})["id"].get<std::string>()), std::string::npos)
        << out.str();
    EXPECT_FALSE(doc.can_take(JsonDocumentWriter::Table::sa)) << "a table is listed once";
    EXPECT_TRUE(doc.can_take(JsonDocumentWriter::Table::sp));
    doc.open(JsonDocumentWriter::Table::sp);
    EXPECT_FALSE(doc.can_take(JsonDocumentWriter::Table::sp));
    doc.end_document();
    EXPECT_FALSE(doc.document_open());
    EXPECT_TRUE(doc.can_take(JsonDocumentWriter::Table::sa)) << "the next document";
    EXPECT_EQ(json::parse(out.str())["sa"].size(), 1u);
}

} // namespace
} // namespace setkey::output
