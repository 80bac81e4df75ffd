#include "grammar/resolution_cache.hpp"

namespace setkey::grammar {
namespace {

// The map's entry for `key`, filled by `lookup` the first time.
template<typename Map, typename Key, typename Lookup>
const typename Map::mapped_type& once(Map& map, Key&& key, Lookup&& lookup) {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::forward<Key>(key), lookup()).first;
    return it->second;
}

} // namespace

Resolved ResolutionCache::host(std::string_view name, std::optional<model::Family> family) {
    const int f = family ? int(*family) : -1;
    return once(hosts_, std::pair<std::string, int>(name, f), [&] { return resolve_host(name, family); });
}

std::optional<uint16_t> ResolutionCache::udp_service(std::string_view name) {
    return once(services_, std::string(name), [&] { return lookup_udp_service(name); });
}

std::optional<uint8_t> ResolutionCache::protocol(std::string_view name) {
    return once(protocols_, std::string(name), [&] { return lookup_protocol(name); });
}

Resolved resolve_host(ResolutionCache* cache, std::string_view name, std::optional<model::Family> family) {
    return cache ? cache->host(name, family) : resolve_host(name, family);
}

std::optional<uint16_t> lookup_udp_service(ResolutionCache* cache, std::string_view name) {
    return cache ? cache->udp_service(name) : lookup_udp_service(name);
}

std::optional<uint8_t> lookup_protocol(ResolutionCache* cache, std::string_view name) {
    return cache ? cache->protocol(name) : lookup_protocol(name);
}

} // namespace setkey::grammar
