#include "model/backend.hpp"

#include <cerrno>
#include <type_traits>

namespace setkey::model {

bool is_batchable(const Command& command) {
    return std::holds_alternative<AddSa>(command) || std::holds_alternative<DeleteSa>(command) ||
           std::holds_alternative<FlushSa>(command) || std::holds_alternative<SpdEntry>(command) ||
           std::holds_alternative<FlushSpd>(command);
}

void Backend::apply_batch(std::span<const Command> commands, const BatchCallback& done) {
    for (size_t i = 0; i < commands.size(); ++i) {
        const OpResult result = std::visit(
            [&](const auto& c) -> OpResult {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, AddSa>) return add_sa(c);
                else if constexpr (std::is_same_v<T, DeleteSa>) return delete_sa(c.key);
                else if constexpr (std::is_same_v<T, FlushSa>) return flush_sa(c.type);
                else if constexpr (std::is_same_v<T, SpdEntry>) return policy(c);
                else if constexpr (std::is_same_v<T, FlushSpd>) return flush_policies();
                else if constexpr (std::is_same_v<T, Exit>) return {};
                else return {EINVAL, "not a status-only request; not batched"};
            },
            commands[i]);
        done(i, result);
    }
}

} // namespace setkey::model
