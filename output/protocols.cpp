#include "output/protocols.hpp"

#include <netdb.h>

namespace setkey::output {

std::optional<std::string> ip_protocol_name(uint8_t proto) {
    // The reentrant variant: printers may run on more than one thread.
    protoent entry{};
    protoent* found = nullptr;
    char buf[1024];
    if (getprotobynumber_r(proto, &entry, buf, sizeof buf, &found) != 0 || found == nullptr)
        return std::nullopt;
    return std::string(found->p_name);
}

} // namespace setkey::output
