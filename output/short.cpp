#include "output/short.hpp"

#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "output/mark_format.hpp"

namespace setkey::output {
namespace {

// 0.8.2's short-listing tables; values without an entry print as "#<n>".
constexpr std::string_view kSatypes[] = {"", "", "ah", "esp"};
constexpr std::string_view kStates[] = {"L", "M", "D", "d"};
constexpr std::string_view kProtocols[] = {
    "ip",  "icmp", "igmp", "ggp",   "ip4",   "",     "tcp",  "",    "egp", "",    // 0
    "",    "",     "",     "",      "",      "",     "",     "udp", "",    "",    // 10
    "",    "",     "idp",  "",      "",      "",     "",     "",    "",    "tp",  // 20
    "",    "",     "",     "",      "",      "",     "",     "",    "",    "",    // 30
    "",    "ip6",  "",     "rt6",   "frag6", "",     "rsvp", "gre", "",    "",    // 40
    "esp", "ah",   "",     "",      "",      "",     "",     "",    "icmp6", "none", // 50
    "dst6",                                                                      // 60
};

template <size_t N>
std::string name_or_number(const std::string_view (&table)[N], unsigned value) {
    if (value < N && !table[value].empty()) return std::string(table[value]);
    return fmt::format("#{}", value);
}

std::string endpoint(const model::IpAddress& addr, uint8_t proto, uint16_t port) {
    std::string s;
    if (proto != 0) s = name_or_number(kProtocols, proto) + " ";
    s += addr.to_string();
    if (port != 0) s += fmt::format("[{}]", port);
    return s;
}

} // namespace

std::string short_header() { return "time p   s spi      ltime   src -> dst\n"; }

std::string short_line(const model::SaRecord& sa, int64_t now) {
    std::string out;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "{:02}{:02}", (now % 3600) / 60, now % 60);
    fmt::format_to(o, " {:<3}", name_or_number(kSatypes, sa.raw_satype));
    if (sa.has_sa)
        fmt::format_to(o, " {:<1} {:08x}", name_or_number(kStates, sa.state), sa.spi);
    else
        out += "? ?       "; // 0.8.2 drops the leading space here
    if (sa.soft && sa.hard && sa.current) {
        // 0.8.2 keeps both numbers in an unsigned int.
        auto age = static_cast<uint32_t>(
            sa.current->add_time == 0 ? 0 : static_cast<uint64_t>(now) - sa.current->add_time);
        auto hard = static_cast<uint32_t>(sa.hard->add_time);
        out += age >= 1000 ? std::string(" big/") : fmt::format(" {:>3}/", age);
        out += hard >= 1000 ? std::string("big") : fmt::format("{:<3}", hard);
    } else {
        out += " ??\?/???"; // "\?": "??/" would be a trigraph
    }
    fmt::format_to(o, " {} -> {}", endpoint(sa.src, sa.src_proto, sa.src_port),
                   endpoint(sa.dst, sa.dst_proto, sa.dst_port));
    // A marked SA (XFRM) says so, as the classic dump's XFRM line does: two SAs that
    // differ only by mark must not list alike. Unmarked lines stay 0.8.2's.
    if (sa.mark) fmt::format_to(o, " mark={:w}", *sa.mark);
    out += '\n';
    return out;
}

} // namespace setkey::output
