// `-x -o jsonl`: one JSON object per kernel event, the same on both backends:
// {"v":2,"type":"event","time":<epoch float>,"backend":"xfrm"|"pfkey","event":"add",
//  "satype":..., "sa":{SA record}|null, "sp":{policy record}|null}
// Records are built by output/fields.hpp, so they match `-D -o jsonl` field for field.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "model/record.hpp"
#include "output/fields.hpp"

namespace setkey::output {

enum class EventKind {
    add, update, remove, expire_soft, expire_hard, acquire, flush,
    spdadd, spdupdate, spddelete, spdexpire, spdflush,
    lost, // not the kernel's: it dropped events for this reader (XFRM's ENOBUFS)
};

// "add", "update", "delete", "expire_soft", ..., "spdflush", "lost".
std::string_view event_name(EventKind kind);

struct Event {
    EventKind kind = EventKind::add;
    double time = 0;                          // epoch seconds with microseconds
    std::optional<model::SaType> satype;      // flush: the flushed SA type (nullopt: all)
    std::optional<model::SaRecord> sa;
    std::optional<model::PolicyRecord> policy;
    bool hard = false;                        // spdexpire: the hard limit (the policy goes)
    uint8_t ptype = 0;                        // spdflush: the policy type flushed (0 main, 1 sub)
};

// The line, without the newline.
std::string event_json(const Event& event, std::string_view backend, const RecordOptions& options);

// Writes the line and flushes, so a reader sees each event when the kernel sent it.
void write_event(std::ostream& out, const Event& event, std::string_view backend,
                 const RecordOptions& options);

} // namespace setkey::output
