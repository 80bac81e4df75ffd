// Protocol-level enums shared by commands and kernel records. Values are the
// RFC 2367 / KAME numbers, so the PF_KEY codec can use them as they are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/address.hpp"

namespace setkey::model {

// sadb_msg_satype values.
enum class SaType : uint8_t { unspec = 0, ah = 2, esp = 3, ipcomp = 9, tcp = 11 };

// sadb_x_sa2_mode / ipsecrequest mode.
enum class Mode : uint8_t { any = 0, transport = 1, tunnel = 2, beet = 3 };

// Policy direction (IPSEC_DIR_*).
enum class Direction : uint8_t { any = 0, in = 1, out = 2, fwd = 3, invalid = 4 };

// Policy action (IPSEC_POLICY_*).
enum class Action : uint16_t { discard = 0, none = 1, ipsec = 2, entrust = 3, bypass = 4 };

// ipsecrequest level (IPSEC_LEVEL_*).
enum class Level : uint8_t { default_ = 0, use = 1, require = 2, unique = 3 };

// IP protocol numbers used in ipsecrequests.
inline constexpr uint8_t kProtoEsp = 50, kProtoAh = 51, kProtoIpcomp = 108;
// "esp", "ah" or "ipcomp": what a request can name; nullopt for the others a kernel
// template may hold (Mobile IPv6's routing and destination-options headers).
constexpr std::optional<std::string_view> request_protocol_name(uint8_t proto) {
    switch (proto) {
    case kProtoEsp: return "esp";
    case kProtoAh: return "ah";
    case kProtoIpcomp: return "ipcomp";
    }
    return std::nullopt;
}
inline constexpr uint8_t kProtoAny = 255; // "any" upper-layer protocol
inline constexpr uint32_t kPriorityDefault = 0x80000000u;
inline constexpr uint32_t kManualReqidMax = 0x3fff; // reqids above are kernel-generated
inline constexpr uint32_t kScriptReqidMax = 32767;  // unique:N's largest N (setkey(8))
// NAT-T encapsulation types (UDP_ENCAP_*): esp-udp makes ESPINUDP.
inline constexpr uint16_t kNattNonIke = 1;   // UDP_ENCAP_ESPINUDP_NON_IKE
inline constexpr uint16_t kNattEspInUdp = 2; // UDP_ENCAP_ESPINUDP

// sadb_sa_flags bits setkey sets.
inline constexpr uint32_t kSaFlagOld = 0x01, kSaFlagCyclicSeq = 0x40;
inline constexpr uint32_t kSaFlagRandomPad = 0x100, kSaFlagZeroPad = 0x200;
inline constexpr uint32_t kSaFlagRawCpi = 0x80;

std::string_view satype_name(SaType t);   // "esp", "ah", "ipcomp", ...
std::string_view mode_name(Mode m);       // "any", "transport", "tunnel", "beet"
std::string_view direction_name(Direction d);
std::string_view action_name(Action a);
std::string_view level_name(Level l);

// SELinux security context (-ctx DOI ALG "string").
struct SecurityContext {
    uint8_t doi = 0;
    uint8_t alg = 0;
    std::string context; // without the trailing NUL the kernel carries
    friend bool operator==(const SecurityContext&, const SecurityContext&) = default;
};

// One IPsec request of a policy: proto/mode/src-dst/level[:reqid].
struct IpsecRequest {
    uint8_t proto = kProtoEsp; // kProtoEsp, kProtoAh or kProtoIpcomp
    Mode mode = Mode::transport;
    Level level = Level::default_;
    uint32_t reqid = 0;
    std::optional<Endpoint> src, dst; // tunnel endpoints; none in transport mode
    uint32_t spi = 0; // XFRM only: the one SA the template takes (IKE daemons pin it); 0 = any
    uint8_t share = 0; // XFRM only: XFRM_SHARE_* (0 = any); af_key neither sets nor reports it
    friend bool operator==(const IpsecRequest&, const IpsecRequest&) = default;
};

// The `-P ...` policy text.
struct Policy {
    Direction dir = Direction::out;
    uint32_t priority = kPriorityDefault;
    std::optional<Action> action; // spddelete may give only a direction
    std::vector<IpsecRequest> requests;
    friend bool operator==(const Policy&, const Policy&) = default;
};

} // namespace setkey::model
