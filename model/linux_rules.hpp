// Linux-specific rules setkey applies above the kernel interface, shared by the
// executor and by tests that reproduce ipsec-tools' request stream.
#pragma once

#include <optional>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model {

// In "RFC mode" (the default, `-r`), Linux needs a separate fwd policy for forwarded
// traffic, so every spdadd/spdupdate/spddelete with direction `in` is followed by the
// same request with direction `fwd`. In that copy a first request of level `unique`
// becomes `require` with reqid 0, as ipsec-tools does. nullopt: no companion needed.
std::optional<SpdEntry> fwd_companion(const SpdEntry& entry);

// Linux deletes one SA per request (with its SPI), so deleteall dumps and picks: the SAs
// of its protocol from exactly `src` to `dst`, and with -mark only those whose mark is
// that value and mask (the mark a script's add gave them); without -mark, marked ones
// go too. The same for an SA a script added (--sync's target).
bool deleteall_takes(const DeleteAllSa& cmd, const SaRecord& sa);
bool deleteall_takes(const DeleteAllSa& cmd, const SaKey& sa);

} // namespace setkey::model
