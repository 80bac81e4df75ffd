#include "model/algorithm.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

#include <fmt/format.h>

#include "model/edit_distance.hpp"

namespace setkey::model {
namespace {

// Discrete key sizes. Linux SADB_REGISTER only reports ranges, but the ciphers
// below refuse sizes inside those ranges at SADB_ADD time, so we check them here.
constexpr uint16_t kAes[] = {128, 192, 256};
constexpr uint16_t kAesCtr[] = {160, 224, 288};      // key + 32-bit nonce (RFC 3686)
constexpr uint16_t kAesSalted[] = {160, 224, 288};   // key + 32-bit salt (RFC 4106/4543)
constexpr uint16_t kChacha[] = {288};                // 256-bit key + 32-bit salt (RFC 7634)

using K = AlgKind;
constexpr std::span<const uint16_t> any_size{};

// clang-format off
// des-deriv and des-32iv differ from des-cbc only in KAME sadb_sa_flags, which Linux
// ignores: af_key installs plain cbc(des), so XFRM installs the same.
constexpr Algorithm kTable[] = {
  // kind     name              aliases                       pfkey xfrm name                        sizes        min  max  icv pficv linux  it    key    flags           old?  !old  obs   note
  {K::enc,  "des-cbc",          {"", ""},                         2, "cbc(des)",                        any_size,     64,  64,   0,  0, true,  true,  true,  0,              false,false,false, "DES (RFC 2405); weak"},
  {K::enc,  "3des-cbc",         {"", ""},                         3, "cbc(des3_ede)",                   any_size,    192, 192,   0,  0, true,  true,  true,  0,              false,false,false, "Triple DES (RFC 2451)"},
  {K::enc,  "null",             {"", ""},                        11, "ecb(cipher_null)",                any_size,      0,   0,   0,  0, true,  true,  false, 0,              false,false,false, "no encryption (RFC 2410); takes no key"},
  {K::enc,  "simple",           {"", ""},                        11, "ecb(cipher_null)",                any_size,      0,   0,   0,  0, true,  true,  false, 0,              false,false,true,  "obsolete spelling of null"},
  {K::enc,  "blowfish-cbc",     {"", ""},                         7, "cbc(blowfish)",                   any_size,     40, 448,   0,  0, true,  true,  true,  0,              false,false,false, "Blowfish (RFC 2451)"},
  {K::enc,  "cast128-cbc",      {"", ""},                         6, "cbc(cast5)",                      any_size,     40, 128,   0,  0, true,  true,  true,  0,              false,false,false, "CAST-128 (RFC 2451)"},
  {K::enc,  "des-deriv",        {"", ""},                         2, "cbc(des)",                        any_size,     64,  64,   0,  0, true,  true,  true,  kSaFlagDerived, false,true, false, "KAME DES with derived IV; not with esp-old"},
  {K::enc,  "des-32iv",         {"", ""},                         2, "cbc(des)",                        any_size,     64,  64,   0,  0, true,  true,  true,  kSaFlagIv4b,    true, false,false, "KAME DES with 32-bit IV; only with esp-old"},
  {K::enc,  "twofish-cbc",      {"", ""},                       253, "cbc(twofish)",                    kAes,        128, 256,   0,  0, true,  true,  true,  0,              false,false,false, "Twofish"},
  {K::enc,  "aes-cbc",          {"rijndael-cbc", ""},            12, "cbc(aes)",                        kAes,        128, 256,   0,  0, true,  true,  true,  0,              false,false,false, "AES-CBC (RFC 3602)"},
  {K::enc,  "aes-ctr",          {"", ""},                        13, "rfc3686(ctr(aes))",               kAesCtr,     160, 288,   0,  0, true,  true,  true,  0,              false,false,false, "AES-CTR (RFC 3686); key includes the 32-bit nonce"},
  {K::enc,  "camellia-cbc",     {"", ""},                        22, "cbc(camellia)",                   kAes,        128, 256,   0,  0, true,  true,  true,  0,              false,false,false, "Camellia-CBC (RFC 4312)"},
  {K::aead, "aes-gcm-16",       {"", ""},                        20, "rfc4106(gcm(aes))",               kAesSalted,  160, 288, 128,  0, true,  false, true,  0,              false,false,false, "AES-GCM, 128-bit ICV (RFC 4106); key includes the 32-bit salt; XFRM only"},
  {K::aead, "aes-gcm-12",       {"", ""},                        19, "rfc4106(gcm(aes))",               kAesSalted,  160, 288,  96,  0, true,  false, true,  0,              false,false,false, "AES-GCM, 96-bit ICV; XFRM only"},
  {K::aead, "aes-gcm-8",        {"", ""},                        18, "rfc4106(gcm(aes))",               kAesSalted,  160, 288,  64,  0, true,  false, true,  0,              false,false,false, "AES-GCM, 64-bit ICV; XFRM only"},
  {K::aead, "aes-gmac",         {"null-aes-gmac", ""},           23, "rfc4543(gcm(aes))",               kAesSalted,  160, 288, 128,  0, true,  false, true,  0,              false,false,false, "AES-GMAC, authentication only (RFC 4543); XFRM only"},
  {K::aead, "chacha20-poly1305",{"", ""},                        -1, "rfc7539esp(chacha20,poly1305)",   kChacha,     288, 288, 128,  0, true,  false, true,  0,              false,false,false, "ChaCha20-Poly1305 (RFC 7634); key includes the 32-bit salt; XFRM only"},

  {K::auth, "hmac-md5",         {"", ""},                         2, "hmac(md5)",                       any_size,    128, 128,  96, 96, true,  true,  true,  0,              false,false,false, "HMAC-MD5-96 (RFC 2403)"},
  {K::auth, "hmac-sha1",        {"", ""},                         3, "hmac(sha1)",                      any_size,    160, 160,  96, 96, true,  true,  true,  0,              false,false,false, "HMAC-SHA1-96 (RFC 2404)"},
  {K::auth, "keyed-md5",        {"", ""},                       249, "",                                any_size,    128, 128,   0,  0, false, true,  true,  0,              false,false,false, "KAME keyed MD5; not in Linux"},
  {K::auth, "keyed-sha1",       {"", ""},                       250, "",                                any_size,    160, 160,   0,  0, false, true,  true,  0,              false,false,false, "KAME keyed SHA-1; not in Linux"},
  {K::auth, "hmac-sha256",      {"hmac-sha2-256", ""},            5, "hmac(sha256)",                    any_size,    256, 256, 128, 96, true,  true,  true,  0,              false,false,false, "HMAC-SHA-256; 128-bit ICV (RFC 4868) over XFRM, 96 over Linux PF_KEY"},
  {K::auth, "hmac-sha384",      {"hmac-sha2-384", ""},            6, "hmac(sha384)",                    any_size,    384, 384, 192,192, true,  true,  true,  0,              false,false,false, "HMAC-SHA-384-192 (RFC 4868)"},
  {K::auth, "hmac-sha512",      {"hmac-sha2-512", ""},            7, "hmac(sha512)",                    any_size,    512, 512, 256,256, true,  true,  true,  0,              false,false,false, "HMAC-SHA-512-256 (RFC 4868)"},
  {K::auth, "hmac-ripemd160",   {"", ""},                         8, "hmac(rmd160)",                    any_size,    160, 160,  96, 96, true,  true,  true,  0,              false,false,false, "HMAC-RIPEMD-160-96 (RFC 2857)"},
  {K::auth, "aes-xcbc-mac",     {"", ""},                         9, "xcbc(aes)",                       any_size,    128, 128,  96, 96, true,  true,  true,  0,              false,false,false, "AES-XCBC-MAC-96 (RFC 3566)"},
  {K::auth, "null",             {"", ""},                       251, "digest_null",                     any_size,      0,   0,   0,  0, true,  true,  false, 0,              false,false,false, "no authentication; takes no key"},

  {K::comp, "oui",              {"", ""},                         1, "",                                any_size,      0,   0,   0,  0, false, true,  false, 0,              false,false,false, "vendor-specific; not in Linux"},
  {K::comp, "deflate",          {"", ""},                         2, "deflate",                         any_size,      0,   0,   0,  0, true,  true,  false, 0,              false,false,false, "DEFLATE (RFC 2394)"},
  {K::comp, "lzs",              {"", ""},                         3, "lzs",                             any_size,      0,   0,   0,  0, true,  true,  false, 0,              false,false,false, "LZS (RFC 2395)"},
  {K::comp, "lzjh",             {"", ""},                         4, "lzjh",                            any_size,      0,   0,   0,  0, true,  false, false, 0,              false,false,false, "LZJH (RFC 3051)"},
};
// clang-format on

bool same_kind(AlgKind table, AlgKind wanted) {
    // -E names both ciphers and AEADs.
    return table == wanted || (wanted == AlgKind::enc && table == AlgKind::aead) ||
           (wanted == AlgKind::aead && table == AlgKind::enc);
}

// An index by name per kind, made once from kTable: `names(row, add)` calls add() with
// each name a row answers to. The first row with a name keeps it, as a walk would find.
using Index = std::unordered_map<std::string_view, const Algorithm*>;
using KindIndex = std::array<Index, 4>;

template <class Names>
KindIndex index_by_kind(Names names) {
    KindIndex by_kind;
    for (AlgKind wanted : {AlgKind::enc, AlgKind::auth, AlgKind::aead, AlgKind::comp}) {
        Index& i = by_kind[static_cast<size_t>(wanted)];
        for (const auto& a : kTable)
            if (same_kind(a.kind, wanted))
                names(a, [&](std::string_view name) {
                    if (!name.empty()) i.emplace(name, &a);
                });
    }
    return by_kind;
}

const Algorithm* look_up(const KindIndex& index, AlgKind kind, std::string_view name) {
    const Index& i = index[static_cast<size_t>(kind)];
    const auto it = i.find(name);
    return it == i.end() ? nullptr : it->second;
}

} // namespace

std::span<const Algorithm> all_algorithms() { return kTable; }

const Algorithm* find_algorithm(AlgKind kind, std::string_view spelling) {
    // Every SA of a script names its algorithms.
    static const auto index = index_by_kind([](const Algorithm& a, auto add) {
        add(a.name);
        for (auto alias : a.aliases) add(alias);
    });
    return look_up(index, kind, spelling);
}

const Algorithm* find_by_pfkey_id(AlgKind kind, int id) {
    // Every SA of a PF_KEY dump names its algorithms by id (one byte on the wire): a
    // table per kind, made once. The first plain row with an id keeps it (des-cbc, not
    // des-deriv; null, not simple).
    using ById = std::array<const Algorithm*, 256>;
    static const std::array<ById, 4> index = [] {
        std::array<ById, 4> by_kind{};
        for (AlgKind wanted : {AlgKind::enc, AlgKind::auth, AlgKind::aead, AlgKind::comp})
            for (const auto& a : kTable) {
                if (!same_kind(a.kind, wanted) || a.pfkey_id < 0 || a.pfkey_id > 255 || a.sa_flags != 0 || a.obsolete)
                    continue;
                const Algorithm*& slot = by_kind[static_cast<size_t>(wanted)][static_cast<size_t>(a.pfkey_id)];
                if (!slot) slot = &a;
            }
        return by_kind;
    }();
    if (id < 0 || id > 255) return nullptr;
    return index[static_cast<size_t>(kind)][static_cast<size_t>(id)];
}

const Algorithm* find_by_xfrm_name(AlgKind kind, std::string_view xfrm_name) {
    // Every SA of an XFRM dump names its algorithms; an obsolete spelling never answers.
    static const auto index = index_by_kind([](const Algorithm& a, auto add) {
        if (!a.obsolete) add(a.xfrm_name);
    });
    return look_up(index, kind, xfrm_name);
}

std::vector<std::string_view> suggest_algorithms(AlgKind kind, std::string_view spelling) {
    std::vector<std::pair<unsigned, std::string_view>> scored;
    for (const auto& a : kTable) {
        if (!same_kind(a.kind, kind)) continue;
        unsigned d = edit_distance(spelling, a.name);
        for (auto alias : a.aliases)
            if (!alias.empty()) d = std::min(d, edit_distance(spelling, alias));
        if (d <= 3) scored.emplace_back(d, a.name);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string_view> out;
    for (auto& [d, n] : scored) out.push_back(n);
    return out;
}

bool key_length_ok(const Algorithm& alg, unsigned bits) {
    if (!alg.key_bits.empty())
        return std::find(alg.key_bits.begin(), alg.key_bits.end(), bits) != alg.key_bits.end();
    return bits >= alg.min_bits && bits <= alg.max_bits;
}

std::string key_sizes_text(const Algorithm& alg) {
    if (!alg.key_bits.empty()) {
        std::string s;
        for (size_t i = 0; i < alg.key_bits.size(); ++i) {
            if (i) s += (i + 1 == alg.key_bits.size()) ? " or " : ", ";
            s += std::to_string(alg.key_bits[i]);
        }
        return s + " bits";
    }
    if (alg.min_bits == alg.max_bits) return fmt::format("{} bits", alg.min_bits);
    return fmt::format("{} to {} bits", alg.min_bits, alg.max_bits);
}

} // namespace setkey::model
