// The one interface both kernel backends (pfkey/, xfrm/) implement. Operations are
// model values in, model records out; wire formats stay inside each backend.
// Linux setkey behaviours that are not the kernel's (in->fwd doubling, deleteall as
// dump + delete) live above this interface, so both backends share them.
#pragma once

#include <functional>
#include <optional>
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
};

} // namespace setkey::model
