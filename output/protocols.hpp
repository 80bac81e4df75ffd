// IP protocol names as the system database (/etc/protocols) spells them. The classic
// SP dump and the machine formats name the upper-layer protocol through this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace setkey::output {

// getprotobynumber's name ("tcp", Debian's "ipv6-icmp"), or nullopt when the
// database has no entry (255, "any", has none on Linux).
std::optional<std::string> ip_protocol_name(uint8_t proto);

} // namespace setkey::output
