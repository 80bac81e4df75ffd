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

namespace {
bool takes(const DeleteAllSa& cmd, const IpAddress& src, const IpAddress& dst, SaType type,
           const std::optional<Mark>& mark) {
    if (src != cmd.src || dst != cmd.dst || type != cmd.proto.type) return false;
    return !cmd.mark || mark == cmd.mark;
}
} // namespace

bool deleteall_takes(const DeleteAllSa& cmd, const SaRecord& sa) {
    return takes(cmd, sa.src, sa.dst, sa.satype, sa.mark);
}

bool deleteall_takes(const DeleteAllSa& cmd, const SaKey& sa) {
    return takes(cmd, sa.src.addr, sa.dst.addr, sa.proto.type, sa.mark);
}

} // namespace setkey::model
