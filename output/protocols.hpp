// IP protocol names as the system database (/etc/protocols) spells them. The classic
// SP dump and the machine formats name the upper-layer protocol through this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace setkey::output {

// getprotobynumber's name ("tcp", Debian's "ipv6-icmp"), or nullopt when the
// database has no entry (255, "any", has none on Linux). The text is kept for the
// rest of the run.
std::optional<std::string_view> ip_protocol_name(uint8_t proto);

} // namespace setkey::output
