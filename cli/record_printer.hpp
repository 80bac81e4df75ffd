// Where the executor sends the SAs and policies that get/dump return. The app picks
// an implementation per output format; tests record what arrives.
#pragma once

#include "model/record.hpp"

namespace setkey::cli {

class RecordPrinter {
public:
    virtual ~RecordPrinter() = default;
    virtual void sa(const model::SaRecord& record) = 0;
    virtual void policy(const model::PolicyRecord& record) = 0;
    // A dump of the SAD (policies = false) or SPD begins: records until dumped() are
    // its own, not `get` results.
    virtual void dump_starts(bool /*policies*/) {}
    // A dump of the SAD (policies = false) or SPD finished, possibly empty: machine
    // formats tell an empty table from one that was not dumped.
    virtual void dumped(bool /*policies*/) {}
    // True for formats that say "No SAD entries." / "No SPD entries." on an empty dump.
    virtual bool reports_empty_dumps() const { return false; }
    // Called once after the last record (closes JSON arrays, flushes metrics).
    virtual void finish() {}
};

} // namespace setkey::cli
