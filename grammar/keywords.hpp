// The keyword tables of the script language, one per role. Each drives its PEGTL
// alternatives (rules.hpp), its "expected ..." text (errors.hpp) and its did-you-mean
// candidates. The order of a table is the order users see in those lists.
#pragma once

#include <cstdint>
#include <string_view>

#include "grammar/drafts.hpp"
#include "grammar/keyword_table.hpp"
#include "model/algorithm.hpp"
#include "model/ipsec.hpp"

namespace setkey::grammar {

inline constexpr Keyword<Cmd> kCommands[] = {
    {"add", Cmd::add},           {"update", Cmd::update},       {"getspi", Cmd::getspi},
    {"get", Cmd::get},           {"delete", Cmd::del},          {"deleteall", Cmd::deleteall},
    {"flush", Cmd::flush},       {"dump", Cmd::dump},           {"spdadd", Cmd::spdadd},
    {"spdupdate", Cmd::spdupdate}, {"spddelete", Cmd::spddelete}, {"spdflush", Cmd::spdflush},
    {"spddump", Cmd::spddump},   {"exit", Cmd::exit},           {"quit", Cmd::exit},
    {"bye", Cmd::exit},
};
// The first spelling of a command, for messages ("spdadd needs ...").
constexpr std::string_view command_word(Cmd cmd) {
    for (const auto& k : kCommands)
        if (k.value == cmd) return k.word;
    return {};
}

// esp-old/ah-old are RFC 1827/1826 SAs, esp-udp is NAT-T (type 2).
enum class SaVariant : uint8_t { plain, old, udp_encap };
struct SaProtocolWord {
    model::SaType type;
    SaVariant variant;
};
inline constexpr Keyword<SaProtocolWord> kSaProtocols[] = {
    {"esp", {model::SaType::esp, SaVariant::plain}},
    {"ah", {model::SaType::ah, SaVariant::plain}},
    {"esp-old", {model::SaType::esp, SaVariant::old}},
    {"ah-old", {model::SaType::ah, SaVariant::old}},
    {"ipcomp", {model::SaType::ipcomp, SaVariant::plain}},
    {"esp-udp", {model::SaType::esp, SaVariant::udp_encap}},
    // Parsed so that the refusal can say why (Linux has no TCP-MD5 SAs).
    {"tcp", {model::SaType::tcp, SaVariant::plain}, Listing::hidden},
};
inline constexpr std::size_t kEspUdpRow = 5;
static_assert(kSaProtocols[kEspUdpRow].value.variant == SaVariant::udp_encap);

inline constexpr Keyword<model::Mode> kSaModes[] = {
    {"transport", model::Mode::transport}, {"tunnel", model::Mode::tunnel}, {"any", model::Mode::any}};

// -f: what each word does to the SA (sa_options.cpp), and for an XFRM-only word what
// PF_KEY lacks (over PF_KEY the word is then an error).
using SaFlagEffect = void (*)(SaDraft&, const char* at);
void set_zero_pad(SaDraft&, const char*);
void set_random_pad(SaDraft&, const char*);
void set_seq_pad(SaDraft&, const char*);
void clear_cyclic_seq(SaDraft&, const char*);
void set_esn(SaDraft&, const char*);
struct SaFlag {
    SaFlagEffect effect;
    const char* beyond_pfkey = nullptr;
};
inline constexpr Keyword<SaFlag> kSaFlags[] = {
    {"zero-pad", {set_zero_pad}},       {"random-pad", {set_random_pad}}, {"seq-pad", {set_seq_pad}},
    {"nocyclic-seq", {clear_cyclic_seq}}, {"esn", {set_esn, "PF_KEY has no extended sequence numbers"}},
};

// -E, -A, -C: the option that names each kind of algorithm. The names themselves are
// model's one algorithm table (model/algorithm.cpp).
struct AlgorithmRole {
    model::AlgKind kind;
    std::string_view what;      // "encryption"
    std::string_view article;   // "an"
    std::string_view protocols; // where the option is allowed, for the mismatch message
};
inline constexpr Keyword<AlgorithmRole> kAlgorithmOptions[] = {
    {"-E", {model::AlgKind::enc, "encryption", "an", "esp SAs"}},
    {"-A", {model::AlgKind::auth, "authentication", "an", "esp and ah SAs"}},
    {"-C", {model::AlgKind::comp, "compression", "a", "ipcomp SAs"}},
};
inline constexpr std::size_t kEncRow = 0, kAuthRow = 1, kCompRow = 2;
// AEAD algorithms are named with -E.
constexpr const Keyword<AlgorithmRole>& algorithm_option(model::AlgKind kind) {
    for (const auto& r : kAlgorithmOptions)
        if (r.value.kind == kind) return r;
    return kAlgorithmOptions[kEncRow];
}

// Selector upper-layer protocols that are reserved words; others are numbers or names.
inline constexpr Keyword<uint8_t> kUpperWords[] = {{"any", model::kProtoAny}, {"tcp", 6}};

inline constexpr Keyword<model::Direction> kDirections[] = {
    {"in", model::Direction::in}, {"out", model::Direction::out}, {"fwd", model::Direction::fwd}};

// libipsec: lower values sort first.
inline constexpr Keyword<uint32_t> kPriorityBases[] = {
    {"low", 0xc0000000u}, {"def", model::kPriorityDefault}, {"high", 0x40000000u}};

inline constexpr Keyword<model::Action> kActions[] = {
    {"discard", model::Action::discard}, {"none", model::Action::none}, {"ipsec", model::Action::ipsec},
    {"entrust", model::Action::entrust}, {"bypass", model::Action::bypass}};

inline constexpr Keyword<uint8_t> kRequestProtocols[] = {
    {"esp", model::kProtoEsp}, {"ah", model::kProtoAh}, {"ipcomp", model::kProtoIpcomp}};

inline constexpr Keyword<model::Mode> kRequestModes[] = {
    {"transport", model::Mode::transport}, {"tunnel", model::Mode::tunnel}};

inline constexpr Keyword<model::Level> kLevels[] = {
    {"default", model::Level::default_}, {"use", model::Level::use}, {"require", model::Level::require},
    {"unique", model::Level::unique}};

} // namespace setkey::grammar
