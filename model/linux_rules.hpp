// Linux-specific rules setkey applies above the kernel interface, shared by the
// executor and by tests that reproduce ipsec-tools' request stream.
#pragma once

#include <optional>

#include "model/command.hpp"

namespace setkey::model {

// In "RFC mode" (the default, `-r`), Linux needs a separate fwd policy for forwarded
// traffic, so every spdadd/spdupdate/spddelete with direction `in` is followed by the
// same request with direction `fwd`. In that copy a first request of level `unique`
// becomes `require` with reqid 0, as ipsec-tools does. nullopt: no companion needed.
std::optional<SpdEntry> fwd_companion(const SpdEntry& entry);

} // namespace setkey::model
