#include "grammar/builder.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "grammar/address_text.hpp"
#include "grammar/numbers.hpp"
#include "grammar/resolution_cache.hpp"
#include "grammar/semantic_error.hpp"
#include "grammar/suggest.hpp"
#include "model/wire_limits.hpp"

namespace setkey::grammar {
namespace {

using model::Family;

constexpr uint8_t kIcmp = 1, kIcmp6 = 58, kGre = 47, kMh = 135;
constexpr std::string_view kSelector = "a policy selector";
constexpr uint32_t kPolicyReqidMax = 32767; // setkey(8): unique:N takes 1 to 32767

// token.l reserves these in every context, so they can never be host or protocol names.
constexpr std::string_view kReserved[] = {
    "add", "delete", "deleteall", "get", "flush", "dump", "exit", "quit", "bye", "spdadd",
    "spdupdate", "spddelete", "spddump", "spdflush", "tagged", "ah", "esp", "ah-old",
    "esp-old", "esp-udp", "ipcomp", "tcp", "oui", "deflate", "lzs", "transport", "tunnel",
    "random-pad", "seq-pad", "zero-pad", "nocyclic-seq", "any", "update", "getspi"};

bool reserved(std::string_view w) {
    return std::find(std::begin(kReserved), std::end(kReserved), w) != std::end(kReserved);
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view unquote(std::string_view q) { return q.substr(1, q.size() - 2); }

const char* family_name(Family f) { return f == Family::inet ? "IPv4" : "IPv6"; }

std::string_view kind_word(model::AlgKind k) {
    switch (k) {
    case model::AlgKind::enc:
    case model::AlgKind::aead: return "encryption";
    case model::AlgKind::auth: return "authentication";
    case model::AlgKind::comp: return "compression";
    }
    return "";
}

std::string_view kind_option(model::AlgKind k) {
    switch (k) {
    case model::AlgKind::enc:
    case model::AlgKind::aead: return "-E";
    case model::AlgKind::auth: return "-A";
    case model::AlgKind::comp: return "-C";
    }
    return "";
}

} // namespace

Builder::Builder(std::string_view text, const ParseOptions& options, const StatementSink* sink,
                 ParseResult& result)
    : lines_(text, options.first_line, options.first_line_prefix), text_end_(text.data() + text.size()),
      options_(options), sink_(sink), result_(result) {}

bool Builder::is_sa_command() const {
    return cmd_ == Cmd::add || cmd_ == Cmd::update || cmd_ == Cmd::getspi || cmd_ == Cmd::get ||
           cmd_ == Cmd::del || cmd_ == Cmd::deleteall;
}

void Builder::warn(const char* at, std::string message) {
    Diagnostic d;
    d.file = options_.filename;
    lines_.place(d, at);
    d.message = std::move(message);
    d.warning = true;
    result_.warnings.push_back(std::move(d));
}

// ---- statement frame ----------------------------------------------------------------

void Builder::begin(Cmd cmd, const char* at) {
    cmd_ = cmd;
    begin_ = at;
    family_.reset();
    numeric_only_ = false;
    src_addrs_.clear();
    dst_addrs_.clear();
    src_port_.reset();
    dst_port_.reset();
    src_prefix_.reset();
    dst_prefix_.reset();
    proto_ = {};
    proto_type_.reset();
    mode_at_ = hard_seconds_at_ = hard_bytes_at_ = nullptr;
    pending_alg_ = nullptr;
    tag_.clear();
    tagged_ = false;
    // Reset only the accumulator this command uses: this runs once per statement.
    switch (cmd) {
    case Cmd::add:
    case Cmd::update:
    case Cmd::getspi:
    case Cmd::get:
    case Cmd::del:
    case Cmd::deleteall:
        sa_ = {};
        sa_.kind = cmd == Cmd::update ? model::AddSa::Kind::update
                   : cmd == Cmd::getspi ? model::AddSa::Kind::getspi
                                        : model::AddSa::Kind::add;
        break;
    case Cmd::spdadd:
    case Cmd::spdupdate:
    case Cmd::spddelete:
        spd_ = {};
        spd_.kind = cmd == Cmd::spdadd      ? model::SpdEntry::Kind::add
                    : cmd == Cmd::spdupdate ? model::SpdEntry::Kind::update
                                            : model::SpdEntry::Kind::remove;
        break;
    default: break;
    }
}

void Builder::emit(model::Command&& command) {
    model::Statement st{std::move(command), begin_pos_, end_line_};
    if (sink_) {
        if (!(*sink_)(std::move(st))) throw stop_parsing{};
    } else {
        result_.statements.push_back(std::move(st));
    }
}

void Builder::finish(const char* semicolon) {
    // In text order, so the line index only ever scans forward.
    auto b = lines_.at(begin_);
    begin_pos_ = {b.line, b.column};
    end_line_ = lines_.at(semicolon).line;
    switch (cmd_) {
    case Cmd::add:
    case Cmd::update:
    case Cmd::getspi:
    case Cmd::get:
    case Cmd::del:
    case Cmd::deleteall: finish_sa(semicolon); break;
    case Cmd::spdadd:
    case Cmd::spdupdate:
    case Cmd::spddelete: finish_spd(semicolon); break;
    case Cmd::flush: emit(model::FlushSa{proto_type_}); break;
    case Cmd::dump: emit(model::DumpSa{proto_type_}); break;
    case Cmd::spdflush: emit(model::FlushSpd{}); break;
    case Cmd::spddump: emit(model::DumpSpd{}); break;
    case Cmd::exit:
        emit(model::Exit{});
        throw stop_parsing{}; // setkey ignores whatever follows exit
    }
}

void Builder::finish_sa(const char* semicolon) {
    model::SaKey key;
    key.proto = proto_;
    key.spi = sa_.key.spi;
    key.mode = sa_.key.mode;
    key.reqid = sa_.key.reqid;
    if (cmd_ == Cmd::deleteall) {
        emit(model::DeleteAllSa{src_addrs_.front(), dst_addrs_.front(), proto_});
        return;
    }
    if (cmd_ == Cmd::get || cmd_ == Cmd::del) {
        if (mode_at_ && key.mode != model::Mode::any)
            warn(mode_at_, "-m is obsolete for get and delete (the mode is still sent)");
        key.src = {src_addrs_.front(), src_port_};
        key.dst = {dst_addrs_.front(), dst_port_};
        if (cmd_ == Cmd::get) emit(model::GetSa{key});
        else emit(model::DeleteSa{key});
        return;
    }
    // add, update, getspi: the algorithms the protocol needs.
    if (cmd_ != Cmd::getspi) {
        const char* what = nullptr;
        if (proto_.type == model::SaType::esp && !sa_.enc)
            what = "an ESP SA needs an encryption algorithm: -E ALGORITHM KEY";
        else if (proto_.type == model::SaType::ah && !sa_.auth)
            what = "an AH SA needs an authentication algorithm: -A ALGORITHM KEY";
        else if (proto_.type == model::SaType::ipcomp && !sa_.comp)
            what = "an IPComp SA needs a compression algorithm: -C ALGORITHM";
        if (what) throw semantic_error(what, semicolon);
    }
    // Not an error (the kernel takes it), but the soft expiry can then never fire.
    if (sa_.soft.add_seconds && sa_.hard.add_seconds && *sa_.soft.add_seconds > *sa_.hard.add_seconds)
        warn(hard_seconds_at_, fmt::format("the soft lifetime ({} s) is longer than the hard one ({} s), so it never fires",
                                           *sa_.soft.add_seconds, *sa_.hard.add_seconds));
    if (sa_.soft.bytes && sa_.hard.bytes && *sa_.soft.bytes > *sa_.hard.bytes)
        warn(hard_bytes_at_, fmt::format("the soft byte limit ({}) is larger than the hard one ({}), so it never fires",
                                         *sa_.soft.bytes, *sa_.hard.bytes));
    sa_.flags |= proto_.old ? model::kSaFlagOld : 0u;
    // Every source x destination pair of the same family is its own SA, as in setkey.
    sa_.key.proto = proto_;
    if (src_addrs_.size() == 1 && dst_addrs_.size() == 1 && src_addrs_[0].family == dst_addrs_[0].family) {
        sa_.key.src = {src_addrs_[0], src_port_};
        sa_.key.dst = {dst_addrs_[0], dst_port_};
        emit(std::move(sa_)); // the common case: no copy of the keys
        return;
    }
    bool any_pair = false;
    for (const auto& s : src_addrs_)
        for (const auto& d : dst_addrs_) {
            if (s.family != d.family) continue;
            any_pair = true;
            model::AddSa add = sa_;
            add.key.src = {s, src_port_};
            add.key.dst = {d, dst_port_};
            emit(std::move(add));
        }
    if (!any_pair)
        throw semantic_error("source and destination have no address family in common", dst_at_);
}

void Builder::finish_spd(const char* semicolon) {
    if (!spd_.policy.action && cmd_ != Cmd::spddelete)
        throw semantic_error(fmt::format("{} needs a policy action after the direction "
                                         "(discard, none, ipsec, entrust or bypass)",
                                         cmd_ == Cmd::spdadd ? "spdadd" : "spdupdate"),
                             semicolon);
    if (tagged_) {
        emit(model::SpdTagged{cmd_ == Cmd::spdupdate, tag_, spd_.policy});
        return;
    }
    emit(std::move(spd_));
}

// ---- addresses ------------------------------------------------------------------------

void Builder::address_flags(std::string_view token) {
    // Each letter applies in order, so the last of 4/6 wins (as parse.y does).
    for (char c : token.substr(1)) {
        if (c == '4') family_ = Family::inet;
        else if (c == '6') family_ = Family::inet6;
        else numeric_only_ = true;
    }
}

void Builder::host(Side side, std::string_view token) {
    auto& list = side == Side::src ? src_addrs_ : dst_addrs_;
    if (side == Side::dst) dst_at_ = token.data();
    const char* at = token.data();
    // `host_name` or `@HOST@` placeholders: name the character, as setkey's lexer did.
    if (const char* next = token.data() + token.size(); next < text_end_ && (*next == '_' || *next == '@'))
        throw semantic_error(fmt::format("the address '{}' ends at '{}'", token, *next), next);
    if (auto a = parse_numeric_address(token)) {
        if (family_ && a->family != *family_)
            throw semantic_error(fmt::format("'{}' is an {} address, but -{} asks for {}", token,
                                             family_name(a->family), *family_ == Family::inet ? '4' : '6',
                                             family_name(*family_)), at);
        if (!is_sa_command()) warn_dropped_scope(token, kSelector);
        list.push_back(*a);
    } else {
        if (auto problem = numeric_address_problem(token)) throw semantic_error(*problem, at);
        if (reserved(token))
            throw semantic_error(fmt::format("'{}' is a reserved word, not an address", token), at);
        if (all_digits(token))
            throw semantic_error(fmt::format("'{}' is not an address", token), at);
        if (numeric_only_)
            throw semantic_error(fmt::format("'{}' is not a numeric address (-n forbids name lookups)", token), at);
        if (!options_.resolve_names)
            throw semantic_error(fmt::format("'{}' is not a numeric address (name resolution is off)", token), at);
        Resolved r = resolve_host(options_.names, token, family_);
        if (r.addresses.empty()) throw semantic_error(fmt::format("'{}': {}", token, r.error), at);
        bool many_allowed = cmd_ == Cmd::add || cmd_ == Cmd::update || cmd_ == Cmd::getspi;
        if (!many_allowed && r.addresses.size() > 1)
            throw semantic_error(fmt::format("multiple address specified: '{}' resolves to {} addresses; "
                                             "use a numeric address or -4/-6", token, r.addresses.size()), at);
        list = std::move(r.addresses);
    }
    if (side == Side::dst && !(cmd_ == Cmd::add || cmd_ == Cmd::update || cmd_ == Cmd::getspi) &&
        src_addrs_.front().family != dst_addrs_.front().family)
        throw semantic_error(fmt::format("the source is an {} address but the destination is {}",
                                         family_name(src_addrs_.front().family),
                                         family_name(dst_addrs_.front().family)), at);
}

void Builder::warn_dropped_scope(std::string_view token, std::string_view where) {
    // Neither PF_KEY nor XFRM carries a scope in selectors or templates: it would be lost.
    auto pct = token.find('%');
    if (pct == std::string_view::npos) return;
    const bool selector = where == kSelector;
    warn(token.data(), fmt::format("'{}': the kernel keeps no scope in {}; {} is dropped{}{}{}", token, where,
                                   token.substr(pct), selector ? " and the policy matches " : "",
                                   selector ? token.substr(0, pct) : "", selector ? " on every interface" : ""));
}

void Builder::port_any(Side side) { port_slot(side) = model::kAnyPort; }

void Builder::port_number(Side side, std::string_view digits) {
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("port {} is out of range (0 to 65535)", digits), digits.data());
    port_slot(side) = uint16_t(*v);
}

void Builder::port_service(Side side, std::string_view name) {
    auto p = lookup_udp_service(options_.names, name);
    if (!p) throw semantic_error(fmt::format("unknown service '{}'", name), name.data());
    port_slot(side) = *p;
}

void Builder::prefix(Side side, std::string_view digits) {
    const auto& a = side == Side::src ? src_addrs_.front() : dst_addrs_.front();
    auto v = parse_decimal(digits, 255);
    if (!v || *v > a.full_prefix())
        throw semantic_error(fmt::format("prefix length {} is out of range for an {} address (0 to {})",
                                         digits, family_name(a.family), a.full_prefix()), digits.data());
    (side == Side::src ? src_prefix_ : dst_prefix_) = uint8_t(*v);
}

// ---- SA identity ------------------------------------------------------------------------

void Builder::protocol(model::SaType type, bool old, bool udp, const char* at) {
    if (type == model::SaType::tcp)
        throw semantic_error("the tcp SA type (TCP-MD5 signatures) is not supported by Linux; "
                             "Linux sets TCP-MD5 keys per socket (TCP_MD5SIG)", at);
    proto_.type = type;
    proto_.old = old;
    proto_.udp_encap = udp;
    proto_type_ = type;
}

void Builder::unknown_protocol(std::string_view word) {
    throw semantic_error(unknown_word_message("protocol", word, {"esp", "ah", "esp-old", "ah-old", "ipcomp", "esp-udp"}),
                         word.data());
}

void Builder::natt_oa(std::string_view token) {
    auto a = parse_numeric_address(token);
    if (!a)
        throw semantic_error(numeric_address_problem(token).value_or(
                                 fmt::format("'{}' is not a numeric NAT-T original address", token)),
                             token.data());
    proto_.natt_oa = *a;
}

void Builder::spi(std::string_view token, bool hex) {
    auto v = hex ? parse_hex(token, 0xffffffffu) : parse_decimal(token, 0xffffffffu);
    if (!v)
        throw semantic_error(hex ? "SPI too big: an SPI has 32 bits (at most 0xffffffff)"
                                 : "SPI out of range: an SPI has 32 bits (at most 4294967295)",
                             token.data());
    sa_.key.spi = uint32_t(*v);
}

// ---- SA extensions ------------------------------------------------------------------------

void Builder::mode(model::Mode m, const char* at) {
    sa_.key.mode = m;
    mode_at_ = at;
}

void Builder::unknown_mode(std::string_view word) {
    throw semantic_error(unknown_word_message("mode", word, {"transport", "tunnel", "any"}), word.data());
}

void Builder::reqid(std::string_view digits) {
    auto v = parse_decimal(digits, 0xffffffffu);
    if (!v) throw semantic_error(fmt::format("reqid {} is out of range (at most 4294967295)", digits), digits.data());
    sa_.key.reqid = uint32_t(*v);
}

void Builder::replay(std::string_view digits) {
    if (proto_.old)
        throw semantic_error("replay prevention (-r) cannot be used with ah-old or esp-old", digits.data());
    // The value is kept as written; each backend knows its kernel's limit.
    auto v = parse_decimal(digits, 0xffffffffu);
    if (!v) throw semantic_error(fmt::format("replay window {} is out of range", digits), digits.data());
    sa_.replay = uint32_t(*v);
}

void Builder::pad_flag(uint32_t set, uint32_t clear) {
    sa_.flags = (sa_.flags | set) & ~clear;
}

// Extended sequence numbers (RFC 4303): our extension; only XFRM can install them.
void Builder::esn(const char* at) {
    if (proto_.type != model::SaType::esp || proto_.old)
        throw semantic_error("-f esn (extended sequence numbers) needs esp or esp-udp", at);
    sa_.esn = true;
}

void Builder::unknown_flag(std::string_view word) {
    throw semantic_error(unknown_word_message("-f flag", word, {"zero-pad", "random-pad", "seq-pad", "nocyclic-seq", "esn"}),
                         word.data());
}

void Builder::lifetime(bool hard, bool bytes, std::string_view digits) {
    auto v = parse_decimal(digits, UINT64_MAX);
    if (!v) throw semantic_error(fmt::format("lifetime {} is out of range", digits), digits.data());
    auto& limit = hard ? sa_.hard : sa_.soft;
    (bytes ? limit.bytes : limit.add_seconds) = *v;
    if (hard) (bytes ? hard_bytes_at_ : hard_seconds_at_) = digits.data();
}

void Builder::ctx_doi(std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error("security context DOI is out of range (0 to 255)", digits.data());
    (is_sa_command() ? sa_.ctx : spd_.ctx).emplace().doi = uint8_t(*v);
}

void Builder::ctx_alg(std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error("security context algorithm is out of range (0 to 255)", digits.data());
    (is_sa_command() ? sa_.ctx : spd_.ctx)->alg = uint8_t(*v);
}

void Builder::ctx_string(std::string_view quoted) {
    const std::string_view text = unquote(quoted);
    if (text.size() > model::limits::kMaxSecCtxText)
        throw semantic_error(fmt::format("security context of {} bytes is too long: the kernel takes at most {}",
                                         text.size(), model::limits::kMaxSecCtxText),
                             quoted.data());
    (is_sa_command() ? sa_.ctx : spd_.ctx)->context = std::string(text);
}

void Builder::esp_frag(std::string_view digits) {
    if (!proto_.udp_encap)
        throw semantic_error("-esp_frag (ESP fragment size) is only valid for esp-udp (NAT-T)", digits.data());
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("ESP fragment size {} is out of range (0 to 65535)", digits), digits.data());
    sa_.esp_frag = uint16_t(*v);
}

// ---- algorithms ------------------------------------------------------------------------------

void Builder::algorithm(model::AlgKind kind, std::string_view name) {
    const char* at = name.data();
    using model::AlgKind;
    using model::SaType;
    // The option must suit the protocol: ESP takes -E [-A], AH -A, IPComp -C.
    const char* mismatch = nullptr;
    if (kind == AlgKind::enc && proto_.type != SaType::esp)
        mismatch = "-E (encryption) is only for esp SAs";
    else if (kind == AlgKind::auth && proto_.type != SaType::esp && proto_.type != SaType::ah)
        mismatch = "-A (authentication) is only for esp and ah SAs";
    else if (kind == AlgKind::comp && proto_.type != SaType::ipcomp)
        mismatch = "-C (compression) is only for ipcomp SAs";
    if (mismatch) throw semantic_error(mismatch, at);

    const model::Algorithm* alg = model::find_algorithm(kind, name);
    if (!alg) {
        if (name == "tcp-md5")
            throw semantic_error("tcp-md5 (TCP-MD5 signatures) is not supported by Linux", at);
        std::string msg = fmt::format("unknown {} algorithm '{}'", kind_word(kind), name);
        for (AlgKind other : {AlgKind::enc, AlgKind::auth, AlgKind::comp})
            if (other != kind && model::find_algorithm(other, name))
                throw semantic_error(msg + fmt::format("; '{}' is {} {} algorithm: write it after {}", name,
                                                       other == AlgKind::comp ? "a" : "an", kind_word(other),
                                                       kind_option(other)), at);
        auto hints = model::suggest_algorithms(kind, name);
        if (!hints.empty()) msg += fmt::format("; did you mean '{}'?", hints.front());
        throw semantic_error(msg, at);
    }
    if (!alg->linux_kernel)
        throw semantic_error(fmt::format("{} is not supported by Linux (the kernel has no such algorithm)", alg->name), at);
    if (alg->needs_old && !proto_.old)
        throw semantic_error(fmt::format("{} can only be used with esp-old", alg->name), at);
    if (alg->forbids_old && proto_.old)
        throw semantic_error(fmt::format("{} cannot be used with esp-old", alg->name), at);
    if (kind == AlgKind::auth && sa_.enc && sa_.enc->alg->kind == AlgKind::aead)
        throw semantic_error(fmt::format("{} is an AEAD algorithm that authenticates by itself; "
                                         "-A cannot be combined with it", sa_.enc->alg->name), at);
    if (alg->obsolete) warn(at, fmt::format("obsolete algorithm '{}'; use 'null'", alg->name));
    sa_.flags |= alg->sa_flags;
    pending_alg_ = alg;
    pending_alg_spelling_ = name;
    if (kind == AlgKind::comp) sa_.comp = alg;
}

void Builder::key(model::AlgKind kind, std::vector<uint8_t> bytes, const char* at) {
    const model::Algorithm& alg = *pending_alg_;
    if (!alg.takes_key)
        throw semantic_error(fmt::format("{} takes no key", pending_alg_spelling_), at);
    // Counted in size_t: a key of 2^29 bytes must not pass as a 0-bit one.
    const size_t bits = bytes.size() * 8;
    if (bits > model::limits::kKeyBitsMax || !model::key_length_ok(alg, unsigned(bits)))
        throw semantic_error(fmt::format("invalid key length for {}: {} bits given, it takes {}",
                                         pending_alg_spelling_, bits, model::key_sizes_text(alg)), at);
    (kind == model::AlgKind::auth ? sa_.auth : sa_.enc) = model::KeyedAlgorithm{&alg, std::move(bytes)};
}

void Builder::key_missing(model::AlgKind kind, const char* at) {
    const model::Algorithm& alg = *pending_alg_;
    if (alg.takes_key)
        throw semantic_error(fmt::format("{} needs a key: 0x followed by hex digits, or a \"quoted string\"",
                                         pending_alg_spelling_), at);
    (kind == model::AlgKind::auth ? sa_.auth : sa_.enc) = model::KeyedAlgorithm{&alg, {}};
}

void Builder::raw_cpi() { sa_.flags |= model::kSaFlagRawCpi; }

// ---- selectors ------------------------------------------------------------------------------------

void Builder::upper_any() { spd_.upper = model::kProtoAny; }

void Builder::upper_number(std::string_view digits) {
    auto v = parse_decimal(digits, 255);
    if (!v) throw semantic_error(fmt::format("upper-layer protocol {} is out of range (0 to 255)", digits), digits.data());
    spd_.upper = uint8_t(*v);
}

void Builder::upper_name(std::string_view name) {
    if (reserved(name)) {
        std::string msg = fmt::format("invalid upper layer protocol '{}': it is a reserved word", name);
        if (auto n = lookup_protocol(options_.names, name)) msg += fmt::format("; write its number, {}", *n);
        throw semantic_error(msg, name.data());
    }
    auto p = lookup_protocol(options_.names, name);
    if (!p) throw semantic_error(fmt::format("invalid upper layer protocol '{}' (not in /etc/protocols)", name), name.data());
    spd_.upper = *p;
}

std::string Builder::any_message_warning(uint8_t upper) {
    const std::string_view name = upper == kIcmp ? "icmp" : upper == kIcmp6 ? "icmp6" : "mh";
    const std::string_view what = upper == kIcmp ? " (echo reply)" : "";
    const std::string_view family = upper == kIcmp ? "ICMP" : upper == kIcmp6 ? "ICMPv6" : "Mobility Header";
    return fmt::format("{} 0,0{} is type 0 code 0, which the kernel reads as any type and code: "
                       "this policy matches every {} message", name, what, family);
}

void Builder::upper_misc(std::string_view token) {
    const char* at = token.data();
    uint8_t u = spd_.upper;
    if (u == kIcmp || u == kIcmp6 || u == kMh) {
        auto comma = token.find(',');
        std::string_view type = token.substr(0, comma);
        std::string_view code = comma == std::string_view::npos ? std::string_view{} : token.substr(comma + 1);
        auto t = all_digits(type) && !type.empty() ? parse_decimal(type, 255) : std::nullopt;
        auto c = all_digits(code) && !code.empty() ? parse_decimal(code, 255) : std::nullopt;
        if (!t || !c)
            throw semantic_error(fmt::format("expected TYPE,CODE (each 0 to 255) after the upper-layer protocol, got '{}'", token), at);
        // Type and code travel as the selector's ports, where 0 means "any".
        if (*t == 0 && *c == 0) warn(at, any_message_warning(u));
        spd_.src.port = *t;
        spd_.dst.port = *c;
    } else if (u == kGre) {
        auto key = parse_numeric_address(token);
        if (!key || key->family != Family::inet)
            throw semantic_error(fmt::format("a GRE key is written as a dotted quad (a.b.c.d), got '{}'", token), at);
        spd_.src.port = uint16_t(key->bytes[0] << 8 | key->bytes[1]);
        spd_.dst.port = uint16_t(key->bytes[2] << 8 | key->bytes[3]);
    } else {
        throw semantic_error(fmt::format("'{}': a TYPE,CODE or key only follows icmp, icmp6, mh or gre", token), at);
    }
    spd_.has_misc = true;
}

void Builder::tag(std::string_view quoted) {
    tagged_ = true;
    tag_ = std::string(unquote(quoted));
}

// ---- policy ---------------------------------------------------------------------------------------

void Builder::direction(model::Direction d) {
    // Selectors are complete once -P is reached; store them now so misc ports survive.
    if (!tagged_) {
        const auto& s = src_addrs_.front();
        const auto& d2 = dst_addrs_.front();
        spd_.src.addr = s;
        spd_.src.prefixlen = src_prefix_.value_or(uint8_t(s.full_prefix()));
        spd_.dst.addr = d2;
        spd_.dst.prefixlen = dst_prefix_.value_or(uint8_t(d2.full_prefix()));
        if (!spd_.has_misc) {
            spd_.src.port = src_port_.value_or(model::kAnyPort);
            spd_.dst.port = dst_port_.value_or(model::kAnyPort);
        }
    }
    spd_.policy.dir = d;
}

void Builder::unknown_direction(std::string_view word) {
    throw semantic_error(unknown_word_message("policy direction", word, {"in", "out", "fwd"}), word.data());
}

void Builder::priority_base(uint32_t base) { spd_.policy.priority = base; }

void Builder::priority_offset(uint32_t base, bool earlier, std::string_view digits) {
    // libipsec: lower values sort first. "BASE + N" moves a policy earlier (N at most
    // 0x40000000), "BASE - N" later (N at most 0x3fffffff).
    uint64_t max = earlier ? 0x40000000u : 0x3fffffffu;
    auto v = parse_decimal(digits, max);
    if (!v)
        throw semantic_error(fmt::format("priority offset {} is out of range (at most {})", digits, max), digits.data());
    spd_.policy.priority = earlier ? base - uint32_t(*v) : base + uint32_t(*v);
}

void Builder::priority_plain(bool later, std::string_view digits) {
    // 0.8.2 checks "prio N" and "prio -N" only as 32-bit signed values: N up to 2^31
    // (0x80000000 - 2^31 is 0, the earliest) and -N down to -(2^31 - 1) (0xffffffff).
    uint64_t max = later ? 0x7fffffffu : 0x80000000u;
    auto v = parse_decimal(digits, max);
    if (!v)
        throw semantic_error(later ? fmt::format("priority -{} is out of range (at least -{})", digits, max)
                                   : fmt::format("priority {} is out of range (at most {})", digits, max),
                             digits.data());
    spd_.policy.priority = later ? model::kPriorityDefault + uint32_t(*v) : model::kPriorityDefault - uint32_t(*v);
}

void Builder::action(model::Action a) { spd_.policy.action = a; }

void Builder::unknown_action(std::string_view word) {
    throw semantic_error(unknown_word_message("policy action", word, {"discard", "none", "ipsec", "entrust", "bypass"}),
                         word.data());
}

void Builder::request_begin(uint8_t proto, const char* at) {
    if (spd_.policy.requests.size() == model::limits::kMaxTemplates)
        throw semantic_error(fmt::format("too many ipsec requests: a policy takes at most {} (the kernel's "
                                         "XFRM_MAX_DEPTH)", model::limits::kMaxTemplates),
                             at);
    req_ = {};
    req_.proto = proto;
    req_at_ = at;
}

void Builder::request_mode(model::Mode m) { req_.mode = m; }

void Builder::unknown_request_mode(std::string_view word) {
    throw semantic_error(unknown_word_message("ipsec request mode", word, {"transport", "tunnel"}), word.data());
}

void Builder::request_endpoint(Side side, std::string_view token) {
    auto a = parse_numeric_address(token);
    if (!a)
        throw semantic_error(numeric_address_problem(token).value_or(fmt::format(
                                 "'{}' is not a numeric address (policy endpoints are never looked up)", token)),
                             token.data());
    warn_dropped_scope(token, "a tunnel endpoint");
    if (side == Side::dst) {
        if (a->family != req_.src->addr.family)
            throw semantic_error(fmt::format("family mismatch: the tunnel source is {}, the destination {}",
                                             family_name(req_.src->addr.family), family_name(a->family)),
                                 token.data());
        req_.dst = model::Endpoint{*a, std::nullopt};
    } else {
        req_.src = model::Endpoint{*a, std::nullopt};
    }
}

void Builder::request_port(Side side, std::string_view digits) {
    auto v = parse_decimal(digits, 0xffff);
    if (!v) throw semantic_error(fmt::format("port {} is out of range (0 to 65535)", digits), digits.data());
    (side == Side::src ? req_.src : req_.dst)->port = uint16_t(*v);
}

void Builder::request_me_any(bool me_any, const char* at) {
    auto want = me_any ? model::Direction::out : model::Direction::in;
    if (spd_.policy.dir != want)
        throw semantic_error(me_any ? "me-any is only valid in outbound (out) policies"
                                    : "any-me is only valid in inbound (in) policies", at);
}

void Builder::request_level(model::Level level) { req_.level = level; }

void Builder::request_reqid(std::string_view digits) {
    auto v = parse_decimal(digits, kPolicyReqidMax);
    if (!v || *v == 0)
        throw semantic_error(fmt::format("reqid {} is out of range (unique:N takes 1 to {})", digits, kPolicyReqidMax),
                             digits.data());
    if (*v > model::kManualReqidMax)
        warn(digits.data(), fmt::format("reqid {} is above {}: Linux PF_KEY replaces it with a reqid of its "
                                        "own (XFRM keeps it)", *v, model::kManualReqidMax));
    req_.level = model::Level::unique;
    req_.reqid = uint32_t(*v);
}

void Builder::unknown_level(std::string_view word) {
    throw semantic_error(unknown_word_message("ipsec request level", word, {"default", "use", "require", "unique"}),
                         word.data());
}

void Builder::request_end() {
    if (req_.mode == model::Mode::tunnel && (!req_.src || !req_.dst))
        throw semantic_error("tunnel mode needs both endpoints: PROTO/tunnel/SRC-DST/LEVEL", req_at_);
    spd_.policy.requests.push_back(req_);
}

void Builder::unknown_command(std::string_view word) {
    throw semantic_error(unknown_word_message("command", word,
                                              {"add", "update", "getspi", "get", "delete", "deleteall", "flush",
                                               "dump", "spdadd", "spdupdate", "spddelete", "spdflush", "spddump",
                                               "exit", "quit", "bye"}),
                         word.data());
}

} // namespace setkey::grammar
