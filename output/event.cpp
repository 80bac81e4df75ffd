#include "output/event.hpp"

#include "output/json.hpp"

namespace setkey::output {

using json = nlohmann::ordered_json;

std::string_view event_name(EventKind kind) {
    switch (kind) {
    case EventKind::add: return "add";
    case EventKind::update: return "update";
    case EventKind::remove: return "delete";
    case EventKind::expire_soft: return "expire_soft";
    case EventKind::expire_hard: return "expire_hard";
    case EventKind::acquire: return "acquire";
    case EventKind::flush: return "flush";
    case EventKind::spdadd: return "spdadd";
    case EventKind::spdupdate: return "spdupdate";
    case EventKind::spddelete: return "spddelete";
    case EventKind::spdexpire: return "spdexpire";
    case EventKind::spdflush: return "spdflush";
    case EventKind::lost: return "lost";
    }
    return "unknown";
}

std::string event_json(const Event& e, std::string_view backend, const RecordOptions& options) {
    json line{{"v", kJsonlVersion},
              {"type", "event"},
              {"time", e.time},
              {"backend", backend},
              {"event", event_name(e.kind)}};
    // Only flush says which SA type it covered; null there means all of them. A policy
    // expire says whether it was the hard limit, a policy flush which type it flushed.
    if (e.kind == EventKind::flush)
        line["satype"] = e.satype ? json(std::string(model::satype_name(*e.satype))) : json(nullptr);
    if (e.kind == EventKind::spdexpire) line["hard"] = e.hard;
    if (e.kind == EventKind::spdflush)
        line["ptype"] = e.ptype == 0 ? json("main") : e.ptype == 1 ? json("sub") : json(std::to_string(e.ptype));
    line["sa"] = e.sa ? sa_object(*e.sa, options) : json(nullptr);
    line["sp"] = e.policy ? policy_object(*e.policy, options) : json(nullptr);
    return to_json_text(line);
}

void write_event(std::ostream& out, const Event& e, std::string_view backend,
                 const RecordOptions& options) {
    out << event_json(e, backend, options) << '\n';
    out.flush();
}

} // namespace setkey::output
