#include "model/linux_rules.hpp"

namespace setkey::model {

std::optional<SpdEntry> fwd_companion(const SpdEntry& entry) {
    if (entry.policy.dir != Direction::in) return std::nullopt;
    SpdEntry copy = entry;
    copy.policy.dir = Direction::fwd;
    if (!copy.policy.requests.empty() && copy.policy.requests.front().level == Level::unique) {
        copy.policy.requests.front().level = Level::require;
        copy.policy.requests.front().reqid = 0;
    }
    return copy;
}

} // namespace setkey::model
