// PF_KEY v2 (RFC 2367 + KAME/Linux extensions) codec. Pure: model commands in,
// request bytes out; reply bytes in, model records out. No sockets here, so recorded
// messages, the golden tests and the fuzzer drive exactly the code the backend runs.
#pragma once

#include <linux/pfkeyv2.h>

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/command.hpp"
#include "model/record.hpp"

namespace setkey::pfkey {

using Bytes = std::vector<uint8_t>;

// Message types (sadb_msg_type) setkey sends or prints, by the kernel's names.
enum class MsgType : uint8_t {
    getspi = SADB_GETSPI, update = SADB_UPDATE, add = SADB_ADD, del = SADB_DELETE, get = SADB_GET,
    acquire = SADB_ACQUIRE, register_ = SADB_REGISTER, expire = SADB_EXPIRE, flush = SADB_FLUSH,
    dump = SADB_DUMP, promisc = SADB_X_PROMISC, pchange = SADB_X_PCHANGE, spdupdate = SADB_X_SPDUPDATE,
    spdadd = SADB_X_SPDADD, spddelete = SADB_X_SPDDELETE, spdget = SADB_X_SPDGET,
    spdacquire = SADB_X_SPDACQUIRE, spddump = SADB_X_SPDDUMP, spdflush = SADB_X_SPDFLUSH,
    spdsetidx = SADB_X_SPDSETIDX, spdexpire = SADB_X_SPDEXPIRE, spddelete2 = SADB_X_SPDDELETE2,
};

// Extension types (sadb_ext_type).
enum class ExtType : uint16_t {
    sa = SADB_EXT_SA, lifetime_current = SADB_EXT_LIFETIME_CURRENT,
    lifetime_hard = SADB_EXT_LIFETIME_HARD, lifetime_soft = SADB_EXT_LIFETIME_SOFT,
    address_src = SADB_EXT_ADDRESS_SRC, address_dst = SADB_EXT_ADDRESS_DST,
    address_proxy = SADB_EXT_ADDRESS_PROXY, key_auth = SADB_EXT_KEY_AUTH,
    key_encrypt = SADB_EXT_KEY_ENCRYPT, identity_src = SADB_EXT_IDENTITY_SRC,
    identity_dst = SADB_EXT_IDENTITY_DST, sensitivity = SADB_EXT_SENSITIVITY,
    proposal = SADB_EXT_PROPOSAL, supported_auth = SADB_EXT_SUPPORTED_AUTH,
    supported_encrypt = SADB_EXT_SUPPORTED_ENCRYPT, spirange = SADB_EXT_SPIRANGE,
    x_kmprivate = SADB_X_EXT_KMPRIVATE, x_policy = SADB_X_EXT_POLICY, x_sa2 = SADB_X_EXT_SA2,
    x_nat_t_type = SADB_X_EXT_NAT_T_TYPE, x_nat_t_sport = SADB_X_EXT_NAT_T_SPORT,
    x_nat_t_dport = SADB_X_EXT_NAT_T_DPORT, x_nat_t_oa = SADB_X_EXT_NAT_T_OA,
    x_sec_ctx = SADB_X_EXT_SEC_CTX, x_kmaddress = SADB_X_EXT_KMADDRESS, x_filter = SADB_X_EXT_FILTER,
};

inline constexpr uint8_t kVersion = PF_KEY_V2;
inline constexpr size_t kHeaderSize = sizeof(sadb_msg);

// Who is asking: sadb_msg_pid and sadb_msg_seq of a request.
struct RequestId {
    uint32_t pid = 0;
    uint32_t seq = 0;
};

// A length PF_KEY cannot say: a message or extension beyond 65535 8-byte words, a key
// beyond 65535 bits, a context beyond 65535 bytes (model/wire_limits.hpp). Encoders
// throw it instead of wrapping a length field; nothing is sent. The grammar refuses
// such scripts first, so only commands made elsewhere reach it.
struct EncodeError : std::runtime_error {
    int error; // the errno the backend reports: EMSGSIZE for every PF_KEY limit
    EncodeError(int err, const std::string& what) : std::runtime_error(what), error(err) {}
};

// --- Encoders: one request message each, laid out as ipsec-tools 0.8.2 builds it ---
// encode_add_sa and encode_policy throw EncodeError; the others have fixed sizes.

// add / update / getspi. Extension order: KEY_ENCRYPT, KEY_AUTH, LIFETIME_HARD,
// LIFETIME_SOFT, X_SEC_CTX, SA, X_SA2, [X_NAT_T_TYPE, X_NAT_T_OA], ADDRESS_SRC,
// ADDRESS_DST, [X_NAT_T_SPORT, X_NAT_T_DPORT], [SPIRANGE for getspi].
// `replay` must fit sadb_sa_replay (u8); the backend rejects larger windows first
// (with a hint), the encoder throws EncodeError for them.
Bytes encode_add_sa(const model::AddSa& sa, RequestId id);
// get / delete: SA, X_SA2, ADDRESS_SRC, ADDRESS_DST.
Bytes encode_get_sa(const model::SaKey& key, RequestId id);
Bytes encode_delete_sa(const model::SaKey& key, RequestId id);
Bytes encode_dump_sa(std::optional<model::SaType> type, RequestId id);
Bytes encode_flush_sa(std::optional<model::SaType> type, RequestId id);
// spdadd / spdupdate / spddelete: X_POLICY (+ ipsecrequests), ADDRESS_SRC,
// ADDRESS_DST, [X_SEC_CTX]. The caller adds the RFC-mode fwd companion.
Bytes encode_policy(const model::SpdEntry& entry, RequestId id);
Bytes encode_flush_policies(RequestId id);
Bytes encode_dump_policies(RequestId id);
Bytes encode_register(model::SaType type, RequestId id);
Bytes encode_promisc(RequestId id); // satype 1: "on"

// --- Decoder ---

struct DecodeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Header {
    uint8_t version = 0;
    uint8_t type = 0;
    uint8_t errno_ = 0;
    uint8_t satype = 0;
    uint16_t len = 0; // in 8-byte units, as on the wire
    uint16_t reserved = 0;
    uint32_t seq = 0;
    uint32_t pid = 0;
};

// One entry of a SUPPORTED_AUTH / SUPPORTED_ENCRYPT list (SADB_REGISTER reply).
struct SupportedAlg {
    uint8_t id = 0;
    uint8_t ivlen = 0;
    uint16_t min_bits = 0;
    uint16_t max_bits = 0;
    friend bool operator==(const SupportedAlg&, const SupportedAlg&) = default;
};

struct Supported {
    std::vector<SupportedAlg> auth, enc;
};

struct Decoded {
    Header header;
    std::optional<model::SaRecord> sa;         // SA or address extensions, and no X_POLICY
    std::optional<model::PolicyRecord> policy; // X_POLICY present
    std::optional<Supported> supported;        // SUPPORTED_AUTH/ENCRYPT present
};

// Reads the fixed header only; throws DecodeError when fewer than 16 bytes.
Header decode_header(std::span<const uint8_t> bytes);

// Decodes one whole message. Checks the header length against the buffer, every
// extension length, every sockaddr and ipsecrequest length; skips extension types it
// does not know. Throws DecodeError with a one-line reason on malformed input.
Decoded decode_message(std::span<const uint8_t> bytes);

// A raw extension as found on the wire: its type and all of its bytes (header included).
struct RawExtension {
    uint16_t type = 0;
    std::span<const uint8_t> bytes;
};
// The extensions of a message whose lengths have been checked; throws DecodeError.
std::vector<RawExtension> split_extensions(std::span<const uint8_t> message);

// Splits a byte stream holding messages back to back (file operands). Stops at the
// first piece that is not a whole message and says why in `error`.
struct SplitResult {
    std::vector<std::span<const uint8_t>> messages;
    std::string error; // empty when the whole stream was consumed
};
SplitResult split_messages(std::span<const uint8_t> stream);

} // namespace setkey::pfkey
