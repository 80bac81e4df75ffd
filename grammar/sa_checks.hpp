// Checks of an SA statement's tokens (protocol, SPI, algorithms and keys), each
// storing into the SaDraft. A failed check throws semantic_error at its token.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "grammar/drafts.hpp"
#include "grammar/keywords.hpp"

namespace setkey::grammar {

class ParseContext;

// esp, ah, ... as a protocol; throws for the ones Linux cannot install (tcp).
model::SaProtocol sa_protocol(const SaProtocolWord& word, const char* at);
// esp-udp's original address; flush and dump check it too, and drop it.
model::IpAddress natt_original_address(std::string_view token);

enum class SpiBase : uint8_t { decimal, hex };
void take_spi(SaDraft& d, std::string_view token, SpiBase base);

// -E/-A/-C NAME: the algorithm must suit the protocol and Linux.
void take_algorithm(SaDraft& d, ParseContext& ctx, model::AlgKind kind, std::string_view name);
// The key after -E or -A NAME (`kind`: enc or auth); no key at all is `bytes` = nullopt.
void take_key(SaDraft& d, model::AlgKind kind, std::optional<std::vector<uint8_t>> bytes, const char* at);

} // namespace setkey::grammar
