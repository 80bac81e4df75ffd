#include "output/protocols.hpp"

#include <netdb.h>

#include <array>
#include <mutex>

namespace setkey::output {

namespace {

std::optional<std::string> look_up(uint8_t proto) {
    protoent entry{};
    protoent* found = nullptr;
    char buf[1024];
    if (getprotobynumber_r(proto, &entry, buf, sizeof buf, &found) != 0 || found == nullptr)
        return std::nullopt;
    return std::string(found->p_name);
}

} // namespace

std::optional<std::string_view> ip_protocol_name(uint8_t proto) {
    // Each lookup stats nsswitch.conf and reads /etc/protocols: once per number and run,
    // not once per dumped policy (that was most of a 10,000-policy -DP). Locked, as
    // printers may run on more than one thread.
    static std::mutex mutex;
    static std::array<std::optional<std::optional<std::string>>, 256> cache;
    const std::lock_guard lock(mutex);
    std::optional<std::optional<std::string>>& slot = cache[proto];
    if (!slot) slot = look_up(proto);
    if (!*slot) return std::nullopt;
    return std::string_view(**slot); // a slot is written once: the text stays where it is
}

} // namespace setkey::output
