#include "grammar/sa_checks.hpp"

#include <fmt/format.h>

#include "grammar/address_text.hpp"
#include "grammar/numbers.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/semantic_error.hpp"
#include "model/wire_limits.hpp"

namespace setkey::grammar {

model::SaProtocol sa_protocol(const SaProtocolWord& word, const char* at) {
    if (word.type == model::SaType::tcp)
        throw semantic_error("the tcp SA type (TCP-MD5 signatures) is not supported by Linux; "
                             "Linux sets TCP-MD5 keys per socket (TCP_MD5SIG)", at);
    model::SaProtocol p;
    p.type = word.type;
    p.old = word.variant == SaVariant::old;
    p.udp_encap = word.variant == SaVariant::udp_encap;
    return p;
}

model::IpAddress natt_original_address(std::string_view token) {
    auto a = parse_numeric_address(token);
    if (!a)
        throw semantic_error(numeric_address_problem(token).value_or(
                                 fmt::format("'{}' is not a numeric NAT-T original address", token)),
                             token.data());
    return *a;
}

void take_spi(SaDraft& d, std::string_view token, SpiBase base) {
    const bool hex = base == SpiBase::hex;
    auto v = hex ? parse_hex(token, 0xffffffffu) : parse_decimal(token, 0xffffffffu);
    if (!v)
        throw semantic_error(hex ? "SPI too big: an SPI has 32 bits (at most 0xffffffff)"
                                 : "SPI out of range: an SPI has 32 bits (at most 4294967295)",
                             token.data());
    d.sa.key.spi = uint32_t(*v);
}

namespace {

// Why `name` is no algorithm of `kind`: another kind's name, a typo, or unknown.
[[noreturn]] void unknown_algorithm(model::AlgKind kind, std::string_view name) {
    using model::AlgKind;
    const char* at = name.data();
    if (name == "tcp-md5") throw semantic_error("tcp-md5 (TCP-MD5 signatures) is not supported by Linux", at);
    std::string msg = fmt::format("unknown {} algorithm '{}'", algorithm_option(kind).value.what, name);
    for (const auto& [option, other, listing] : kAlgorithmOptions)
        if (other.kind != kind && model::find_algorithm(other.kind, name))
            throw semantic_error(msg + fmt::format("; '{}' is {} {} algorithm: write it after {}", name, other.article,
                                                   other.what, option), at);
    auto hints = model::suggest_algorithms(kind, name);
    if (!hints.empty()) msg += fmt::format("; did you mean '{}'?", hints.front());
    throw semantic_error(msg, at);
}

bool option_suits(model::AlgKind kind, model::SaType type) {
    using model::SaType;
    switch (kind) {
    case model::AlgKind::enc:
    case model::AlgKind::aead: return type == SaType::esp;
    case model::AlgKind::auth: return type == SaType::esp || type == SaType::ah;
    case model::AlgKind::comp: return type == SaType::ipcomp;
    }
    return false;
}

} // namespace

void take_algorithm(SaDraft& d, ParseContext& ctx, model::AlgKind kind, std::string_view name) {
    const char* at = name.data();
    const model::SaProtocol& proto = d.sa.key.proto;
    // The option must suit the protocol: ESP takes -E [-A], AH -A, IPComp -C.
    if (const auto& option = algorithm_option(kind); !option_suits(kind, proto.type))
        throw semantic_error(fmt::format("{} ({}) is only for {}", option.word, option.value.what, option.value.protocols), at);

    const model::Algorithm* alg = model::find_algorithm(kind, name);
    if (!alg) unknown_algorithm(kind, name);
    if (!alg->linux_kernel)
        throw semantic_error(fmt::format("{} is not supported by Linux (the kernel has no such algorithm)", alg->name), at);
    if (alg->needs_old && !proto.old)
        throw semantic_error(fmt::format("{} can only be used with esp-old", alg->name), at);
    if (alg->forbids_old && proto.old)
        throw semantic_error(fmt::format("{} cannot be used with esp-old", alg->name), at);
    if (kind == model::AlgKind::auth && d.sa.enc && d.sa.enc->alg->kind == model::AlgKind::aead)
        throw semantic_error(fmt::format("{} is an AEAD algorithm that authenticates by itself; "
                                         "-A cannot be combined with it", d.sa.enc->alg->name), at);
    if (alg->obsolete) ctx.warn(at, fmt::format("obsolete algorithm '{}'; use 'null'", alg->name));
    // Said while the script is checked, as -mark or -f esn are: over PF_KEY a load would
    // otherwise stop at this SA with the statements before it applied.
    if (alg->kind == model::AlgKind::aead)
        ctx.xfrm_only(at, fmt::format("{} needs the XFRM backend: it is an AEAD algorithm, which Linux PF_KEY "
                                      "cannot install; use --backend xfrm",
                                      alg->name));
    else if (alg->pfkey_id < 0)
        ctx.xfrm_only(at, fmt::format("{} needs the XFRM backend: PF_KEY has no id for it; use --backend xfrm",
                                      alg->name));
    d.sa.flags |= alg->sa_flags;
    if (kind == model::AlgKind::comp) d.sa.comp = alg;
    else (kind == model::AlgKind::auth ? d.auth : d.enc) = AlgorithmChoice{alg, name};
}

void take_key(SaDraft& d, model::AlgKind kind, std::optional<std::vector<uint8_t>> bytes, const char* at) {
    const AlgorithmChoice& choice = kind == model::AlgKind::auth ? d.auth : d.enc;
    const model::Algorithm& alg = *choice.alg;
    if (!bytes) {
        if (alg.takes_key)
            throw semantic_error(fmt::format("{} needs a key: 0x followed by hex digits, or a \"quoted string\"",
                                             choice.spelling), at);
        bytes.emplace();
    } else {
        if (!alg.takes_key) throw semantic_error(fmt::format("{} takes no key", choice.spelling), at);
        // Counted in size_t: a key of 2^29 bytes must not pass as a 0-bit one.
        const size_t bits = bytes->size() * 8;
        if (bits > model::limits::kKeyBitsMax || !model::key_length_ok(alg, unsigned(bits)))
            throw semantic_error(fmt::format("invalid key length for {}: {} bits given, it takes {}",
                                             choice.spelling, bits, model::key_sizes_text(alg)), at);
    }
    (kind == model::AlgKind::auth ? d.sa.auth : d.sa.enc) = model::KeyedAlgorithm{&alg, std::move(*bytes)};
}

} // namespace setkey::grammar
