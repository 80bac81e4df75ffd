// Name lookups done once per load. `-f` parses the script twice (check, then apply);
// a name that resolved differently, or stopped resolving, between the passes would
// make the apply pass send something that was never checked. The check pass fills the
// cache and the apply pass reads it. Only names are kept (numeric addresses never go
// to the resolver), so the cache stays small.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "grammar/address_text.hpp"

namespace setkey::grammar {

class ResolutionCache {
public:
    Resolved host(std::string_view name, std::optional<model::Family> family);
    std::optional<uint16_t> udp_service(std::string_view name);
    std::optional<uint8_t> protocol(std::string_view name);

private:
    std::map<std::pair<std::string, int>, Resolved, std::less<>> hosts_;
    std::map<std::string, std::optional<uint16_t>, std::less<>> services_;
    std::map<std::string, std::optional<uint8_t>, std::less<>> protocols_;
};

// The lookups of address_text.hpp through `cache`, or directly when it is null.
Resolved resolve_host(ResolutionCache* cache, std::string_view name, std::optional<model::Family> family);
std::optional<uint16_t> lookup_udp_service(ResolutionCache* cache, std::string_view name);
std::optional<uint8_t> lookup_protocol(ResolutionCache* cache, std::string_view name);

} // namespace setkey::grammar
