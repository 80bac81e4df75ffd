// The one algorithm table. Grammar, validation, both kernel encoders, decoders and
// every printer look algorithms up here; nothing else in the code lists them.
#pragma once

#include <cstdint>
#include <string>
#include <span>
#include <string_view>
#include <vector>

namespace setkey::model {

enum class AlgKind : uint8_t { enc, auth, aead, comp };

// Flags or-ed into sadb_sa_flags by the KAME-only DES variants.
inline constexpr uint32_t kSaFlagIv4b = 0x10;   // des-32iv (esp-old)
inline constexpr uint32_t kSaFlagDerived = 0x20; // des-deriv

struct Algorithm {
    AlgKind kind;
    std::string_view name;             // canonical setkey name, also what dumps print
    std::string_view aliases[2];       // other spellings accepted in scripts ("" = none)
    int pfkey_id;                      // SADB_*ALG_* id, -1 when PF_KEY has none
    std::string_view xfrm_name;        // Linux crypto name for XFRM, "" when none
    std::span<const uint16_t> key_bits; // allowed key sizes in bits; empty = any in [min,max]
    uint16_t min_bits, max_bits;       // kernel-advertised range (Linux SADB_REGISTER)
    uint16_t icv_bits;                 // XFRM ICV/truncation bits (auth, aead); 0 otherwise
    uint16_t pfkey_icv_bits;           // ICV Linux PF_KEY uses (hmac-sha256: 96, not 128)
    bool linux_kernel;                 // Linux implements it (else "Not supported")
    bool in_ipsec_tools;               // ipsec-tools 0.8.2 on Linux accepts the name
    bool takes_key;                    // `-E null`, `-A null`, `-C x` take no key
    uint32_t sa_flags;                 // extra sadb_sa_flags (des-deriv, des-32iv)
    bool needs_old;                    // des-32iv: only with esp-old
    bool forbids_old;                  // des-deriv: not with esp-old
    bool obsolete;                     // `simple`: "WARNING: obsolete algorithm"
    std::string_view note;             // one line for the man page table
};

// Every algorithm, in the order the man page lists them.
std::span<const Algorithm> all_algorithms();

// Look up a script spelling (name or alias) of the given kind. AEAD algorithms are
// found under AlgKind::enc too, since scripts name them with -E.
const Algorithm* find_algorithm(AlgKind kind, std::string_view spelling);

// Reverse lookups used by decoders. PF_KEY ids are per kind; des-deriv and the
// like are never returned (their base entry is).
const Algorithm* find_by_pfkey_id(AlgKind kind, int id);
const Algorithm* find_by_xfrm_name(AlgKind kind, std::string_view xfrm_name);

// Closest known spellings for "did you mean" hints (edit distance <= 3), best first.
std::vector<std::string_view> suggest_algorithms(AlgKind kind, std::string_view spelling);

// Is a key of `bits` acceptable for `alg` (discrete sizes when listed, else the range)?
bool key_length_ok(const Algorithm& alg, unsigned bits);

// Human text for the allowed sizes, e.g. "128, 192 or 256 bits" or "40 to 448 bits".
std::string key_sizes_text(const Algorithm& alg);

} // namespace setkey::model
