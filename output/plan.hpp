// --diff's output: a sync plan (model/sync_plan.hpp) as lines or as one JSON document.
// Entries are written in script syntax (output/script.hpp), keys hidden unless asked.
#pragma once

#include <string>

#include "model/sync_plan.hpp"
#include "output/script.hpp"

namespace setkey::output {

// One line per change, SAs then policies: `+ ` an entry the kernel lacks, `~ ` one it
// holds otherwise (the script's version), `- ` one it holds and the script drops (the
// kernel's version). Nothing when the kernel matches.
std::string plan_text(const model::SyncPlan& plan, const ScriptOptions& options);

// {"changes": [{"change": "add"|"replace"|"delete", "table": "sad"|"spd", "line": N,
//   "statement": "..."}], "added": N, "replaced": N, "deleted": N, "unchanged": N}
std::string plan_json(const model::SyncPlan& plan, const ScriptOptions& options);

} // namespace setkey::output
