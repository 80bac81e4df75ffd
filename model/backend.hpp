// The one interface both kernel backends (pfkey/, xfrm/) implement. Operations are
// model values in, model records out; wire formats stay inside each backend.
// Linux setkey behaviours that are not the kernel's (in->fwd doubling, deleteall as
// dump + delete) live above this interface, so both backends share them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::model {

// Outcome of one kernel request: 0 or a positive errno the kernel answered with.
struct OpResult {
    int error = 0;
    std::string detail; // extra words for the message, e.g. which extension was refused
    bool ok() const { return error == 0; }
};

using SaSink = std::function<void(const SaRecord&)>;
using PolicySink = std::function<void(const PolicyRecord&)>;
// Result of one command of a batch, by its index in the span given to apply_batch.
using BatchCallback = std::function<void(size_t index, const OpResult& result)>;

// The commands whose answer is only a status, so a load may hand them over in
// batches: add/update/getspi, delete, flush, spdadd/spdupdate/spddelete, spdflush.
// The one list of them; apply_batch refuses the others.
bool is_batchable(const Command& command);

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string_view name() const = 0; // "pfkey" or "xfrm"

    virtual OpResult add_sa(const AddSa& sa) = 0;          // add, update, getspi
    virtual OpResult get_sa(const SaKey& key, const SaSink& out) = 0;
    virtual OpResult delete_sa(const SaKey& key) = 0;
    virtual OpResult flush_sa(std::optional<SaType> type) = 0;
    // Calls `out` once per SA. An empty table is success with no calls (never ENOENT).
    virtual OpResult dump_sa(std::optional<SaType> type, const SaSink& out) = 0;

    virtual OpResult policy(const SpdEntry& entry) = 0;     // spdadd/spdupdate/spddelete
    virtual OpResult flush_policies() = 0;
    virtual OpResult dump_policies(const PolicySink& out) = 0; // empty table: success, no calls

    // Applies `commands` in order and calls `done` once per command, in index order,
    // with exactly the result the matching single method would give. Batchable
    // commands only (is_batchable); Exit is a no-op, anything else gets EINVAL. Every
    // command is sent, whatever an earlier one's answer. The default makes one single
    // call after the other; a backend that can have several requests on their way at
    // once overrides it (and pipelines()).
    virtual void apply_batch(std::span<const Command> commands, const BatchCallback& done);
    // True when apply_batch sends requests before the earlier ones are answered, so
    // handing it many at once is worth the wait for their results.
    virtual bool pipelines() const { return false; }
};

} // namespace setkey::model
