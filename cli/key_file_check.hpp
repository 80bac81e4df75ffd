// Scripts with -E/-A keys should be private to their owner: a warning, not an error,
// since 0.8.2 loaded them without a word.
#pragma once

#include <ostream>
#include <string>

#include "model/command.hpp"

namespace setkey::cli {

// True when the statement carries key bytes (-E or -A with a non-empty key).
bool has_key_material(const model::Statement& statement);
// True when `path` is readable by its group or by others.
bool readable_by_others(const std::string& path);
// The one warning line for `path`.
void warn_key_file(std::ostream& err, const std::string& path);

} // namespace setkey::cli
