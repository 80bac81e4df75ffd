// Backends that can pipeline simple requests (XFRM sends many per write and collects
// the ACKs) let -f loads go faster. The executor queues what needs no answer but a
// status and hands it over in bounded windows, so memory stays independent of the
// script's size.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>

#include "model/backend.hpp"
#include "model/command.hpp"

namespace setkey::cli {

class Pipeline {
public:
    virtual ~Pipeline() = default;
    // Applies `commands` in order (only AddSa, DeleteSa, FlushSa, SpdEntry, FlushSpd)
    // and calls `done` once per command, in index order.
    virtual void apply(std::span<const model::Command> commands,
                       const std::function<void(size_t, const model::OpResult&)>& done) = 0;
};

// The XFRM or PF_KEY backend's batch API (apply_batch) as a Pipeline; nullptr for others.
std::unique_ptr<Pipeline> pipeline_for(model::Backend& backend);

} // namespace setkey::cli
