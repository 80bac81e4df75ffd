#include "output/classic.hpp"

#include <array>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <type_traits>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "output/mark_format.hpp"
#include "output/protocols.hpp"

namespace setkey::output {
namespace {

using model::AlgKind;
using model::AlgorithmRef;
using model::Lifetime;

// Display tables of 0.8.2's dump code, indexed by the raw kernel value; anything past
// the end prints as a number. Algorithm names are not here: they come from the table.
constexpr std::string_view kSatypeNames[] = {"unspec", "unknown", "ah",   "esp",
                                             "unknown", "rsvp",   "ospfv2", "ripv2",
                                             "mip",    "ipcomp", "policy", "tcp"};
constexpr std::string_view kModeNames[] = {"any", "transport", "tunnel"};
constexpr std::string_view kStateNames[] = {"larval", "mature", "dying", "dead"};
constexpr std::string_view kDirNames[] = {"any", "in", "out", "fwd", "in(socket)", "out(socket)"};
constexpr std::string_view kActionNames[] = {"discard", "none", "ipsec", "entrust", "bypass"};
constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// libipsec's error texts, shown as `Policy:[...]` when a policy cannot be rendered
// (the "direciton" typo is 0.8.2's).
constexpr std::string_view kErrDir = "Invalid direciton";
constexpr std::string_view kErrPolicy = "Invalid security policy";
constexpr std::string_view kErrProto = "Invalid ipsec protocol";
constexpr std::string_view kErrMode = "Invalid ipsec mode";
constexpr std::string_view kErrLevel = "Invalid ipsec level";

// Priority bases (PRIORITY_HIGH/DEFAULT/LOW) and the split points between them.
constexpr int64_t kPrioHigh = 0x40000000, kPrioDefault = 0x80000000, kPrioLow = 0xC0000000;

// classic_time's text, appended from its cache without a copy per call.
void put_time(std::string& out, uint64_t epoch_seconds);

// Format strings are compiled (FMT_COMPILE): parsing them at run time was a third of
// the time a large dump spends printing.
template <typename Format, typename... Args>
void put(std::string& out, const Format& f, const Args&... args) {
    fmt::format_to(std::back_inserter(out), f, args...);
}

// put() for formats of short literal text and integers only, whose text is bounded: it
// is written to the stack through a pointer and appended once (through a back_inserter
// fmt checks the string's capacity for every piece, which cost more than the numbers).
template <typename Format, typename... Ints>
void put_ints(std::string& out, const Format& f, Ints... ints) {
    static_assert((std::is_integral_v<Ints> && ...), "put_ints takes integers only");
    static_assert(sizeof...(Ints) <= 6, "the buffer holds six numbers and their text");
    char buf[256];
    const char* end = fmt::format_to(buf, f, ints...);
    out.append(buf, static_cast<size_t>(end - buf));
}

// A table's name for the value, or the value as a number past the table's end.
template <size_t N>
void put_name(std::string& out, const std::string_view (&table)[N], unsigned value) {
    if (value < N) out += table[value];
    else put_ints(out, FMT_COMPILE("{}"), value);
}

// What printf's %.0f makes of the double an unsigned counter converts to (0.8.2 prints
// byte counts so), without formatting a floating point number: the double is an
// integer, exact in uint64_t below 2^64; only 2^64 itself (a counter near the top
// rounds up to it) does not fit.
void put_counter_as_double(std::string& out, uint64_t value) {
    const double d = static_cast<double>(value);
    if (d >= 18446744073709551616.0) out += "18446744073709551616";
    else put_ints(out, FMT_COMPILE("{}"), static_cast<uint64_t>(d));
}

// Name of the algorithm an SA reports; 0 is SADB_*ALG_NONE ("none"), an id the
// table does not know prints as its number.
std::string algorithm_name(const AlgorithmRef& ref, AlgKind kind) {
    if (ref.alg) return std::string(ref.alg->name);
    if (ref.pfkey_id != 0) {
        if (const auto* alg = model::find_by_pfkey_id(kind, ref.pfkey_id))
            return std::string(alg->name);
        return std::to_string(ref.pfkey_id);
    }
    if (!ref.kernel_name.empty()) return ref.kernel_name; // XFRM name unknown to the table
    return "none";
}

// Key bytes as groups of 4 preceded by a space; a bare newline after every 32 bytes.
void put_key(std::string& out, const AlgorithmRef& ref) {
    const auto& key = *ref.key;
    size_t n = key.size();
    if (ref.key_bits != 0 && ref.key_bits / 8u < n) n = ref.key_bits / 8u;
    static constexpr char kHex[] = "0123456789abcdef";
    // At most 2 + 1/4 + 1/32 characters per byte: sized once, written through a pointer.
    const size_t start = out.size();
    out.resize(start + n * 2 + n / 4 + n / 32 + 2);
    char* p = out.data() + start;
    for (size_t i = 0; i < n; ++i) {
        if (i != 0 && i % 32 == 0) *p++ = '\n';
        if (i % 4 == 0) *p++ = ' ';
        *p++ = kHex[key[i] >> 4];
        *p++ = kHex[key[i] & 0xf];
    }
    out.resize(static_cast<size_t>(p - out.data()));
}

std::string sa_address(const model::IpAddress& addr, uint16_t port, bool with_ports) {
    if (with_ports) return fmt::format(FMT_COMPILE("{}[{}]"), addr.to_string(), port);
    return addr.to_string();
}

// Selector suffix: "/plen" unless full length, then "[port]"/"[any]" except for
// protocols whose "ports" are type/code or a key.
void put_prefix_port(std::string& out, const model::Selector& sel, uint8_t upper) {
    if (sel.prefixlen != sel.addr.full_prefix()) put_ints(out, FMT_COMPILE("/{}"), sel.prefixlen);
    switch (upper) {
    case 1: case 58: case 135: case 47: break; // icmp, ipv6-icmp, mobility header, gre
    default:
        if (sel.port == 0) out += "[any]";
        else put_ints(out, FMT_COMPILE("[{}]"), sel.port);
    }
}

void put_upper_spec(std::string& out, uint8_t upper, uint16_t sport, uint16_t dport) {
    if (auto name = ip_protocol_name(upper)) out += *name;
    else put_ints(out, FMT_COMPILE("{}"), upper);
    if (sport == 0 && dport == 0) return;
    switch (upper) {
    case 1: case 58: case 135: put_ints(out, FMT_COMPILE(" {},{}"), sport, dport); break;
    case 47: put_ints(out, FMT_COMPILE(" {}"), (uint32_t{sport} << 16) + dport); break;
    default: break;
    }
}

// "prio high|def|low[ +|- n]", with the offset's sign flipped so the text reads back
// as the spdadd input did; empty for priority 0.
std::string priority_text(uint32_t priority) {
    if (priority == 0) return "";
    // The nearest base: below 0x60000000 high, below 0xA0000000 def, else low.
    const bool high = priority < kPrioDefault / 4 * 3;
    const bool def = !high && priority < kPrioDefault / 4 * 5;
    const int64_t base = high ? kPrioHigh : def ? kPrioDefault : kPrioLow;
    const std::string_view name = high ? "prio high" : def ? "prio def" : "prio low";
    const int64_t offset = base - int64_t{priority};
    if (offset == 0) return std::string(name);
    return fmt::format(FMT_COMPILE("{} {} {}"), name, offset < 0 ? '-' : '+', offset < 0 ? -offset : offset);
}

// Why 0.8.2 could not render the policy (it then prints `Policy:[error]`), checked
// in its order: direction, action, then each request's protocol, mode and level.
std::optional<std::string_view> policy_error(const model::PolicyRecord& p) {
    if (p.raw_dir >= std::size(kDirNames)) return kErrDir;
    if (p.raw_action >= std::size(kActionNames)) return kErrPolicy;
    if (p.raw_action != static_cast<uint16_t>(model::Action::ipsec)) return std::nullopt;
    for (const auto& req : p.requests) {
        if (req.proto != model::kProtoEsp && req.proto != model::kProtoAh && req.proto != model::kProtoIpcomp)
            return kErrProto;
        if (static_cast<unsigned>(req.mode) >= std::size(kModeNames)) return kErrMode;
        if (static_cast<unsigned>(req.level) > static_cast<unsigned>(model::Level::unique)) return kErrLevel;
    }
    return std::nullopt;
}

// One ipsecrequest (checked by policy_error): proto/mode/src-dst/level[:reqid|#reqid].
void put_request(std::string& out, const model::IpsecRequest& req, bool with_ports) {
    out += req.proto == model::kProtoEsp ? "esp/" : req.proto == model::kProtoAh ? "ah/" : "ipcomp/";
    out += kModeNames[static_cast<unsigned>(req.mode)];
    out += '/';
    if (req.src && req.dst) {
        auto one = [&](const model::Endpoint& e) {
            out += e.addr.to_string();
            if (with_ports) put_ints(out, FMT_COMPILE("[{}]"), e.port.value_or(0));
        };
        one(*req.src);
        out += '-';
        one(*req.dst);
    }
    out += '/';
    out += model::level_name(req.level);
    if (req.reqid != 0) put_ints(out, FMT_COMPILE("{}{}"), req.reqid > model::kManualReqidMax ? '#' : ':', req.reqid);
}

// The policy body after the selector line (checked by policy_error): "dir [prio]
// action" plus one line per request.
void put_policy_body(std::string& out, const model::PolicyRecord& p, bool with_ports) {
    out += kDirNames[p.raw_dir];
    if (auto prio = priority_text(p.priority); !prio.empty()) {
        out += ' ';
        out += prio;
    }
    out += ' ';
    out += kActionNames[p.raw_action];
    if (p.raw_action != static_cast<uint16_t>(model::Action::ipsec)) return;
    for (const auto& req : p.requests) {
        out += "\n\t";
        put_request(out, req, with_ports);
    }
}

void put_sec_ctx(std::string& out, const model::SecurityContext& ctx) {
    put(out, FMT_COMPILE("\tsecurity context doi: {}\n"), ctx.doi);
    put(out, FMT_COMPILE("\tsecurity context algorithm: {}\n"), ctx.alg);
    // The kernel's length counts the trailing NUL the model strips.
    put(out, FMT_COMPILE("\tsecurity context length: {}\n"), ctx.context.size() + 1);
    put(out, FMT_COMPILE("\tsecurity context: {}\n"), ctx.context);
}

// The XFRM line ("\tmark=0x00000005/0x000000ff if_id=7(0x00000007) output_mark=..."):
// the attributes the script options -mark, -if_id and -output_mark set, only those
// present, and no line at all for state made without them (ipsec-tools' dumps have
// none), so entries the kernel keeps apart by mark never print alike.
void put_xfrm_line(std::string& out, const std::optional<model::Mark>& mark, uint32_t if_id,
                   const std::optional<model::Mark>& output_mark) {
    if (!mark && if_id == 0 && !output_mark) return;
    char sep = '\t';
    const auto word = [&](auto&&... text) {
        out += sep;
        put(out, text...);
        sep = ' ';
    };
    if (mark) word(FMT_COMPILE("mark={:w}"), *mark);
    if (if_id != 0) word(FMT_COMPILE("if_id={}(0x{:08x})"), if_id, if_id);
    if (output_mark) word(FMT_COMPILE("output_mark={:w}"), *output_mark);
    out += '\n';
}

void put_sa_lifetimes(std::string& out, const model::SaRecord& sa, int64_t now) {
    const Lifetime& cur = *sa.current;
    const Lifetime none{};
    const Lifetime& hard = sa.hard ? *sa.hard : none;
    const Lifetime& soft = sa.soft ? *sa.soft : none;
    // 0.8.2 subtracts in unsigned arithmetic, so a future add time wraps.
    uint64_t diff = cur.add_time == 0 ? 0 : static_cast<uint64_t>(now) - cur.add_time;
    out += "\tcreated: ";
    put_time(out, cur.add_time);
    out += "\tcurrent: ";
    put_time(out, static_cast<uint64_t>(now));
    out += '\n';
    put_ints(out, FMT_COMPILE("\tdiff: {}(s)\thard: {}(s)\tsoft: {}(s)\n"), diff, hard.add_time, soft.add_time);
    out += "\tlast: ";
    put_time(out, cur.use_time);
    put_ints(out, FMT_COMPILE("\thard: {}(s)\tsoft: {}(s)\n"), hard.use_time, soft.use_time);
    // Bytes go through a double (%.0f) in 0.8.2.
    out += "\tcurrent: ";
    put_counter_as_double(out, cur.bytes);
    out += "(bytes)\thard: ";
    put_counter_as_double(out, hard.bytes);
    out += "(bytes)\tsoft: ";
    put_counter_as_double(out, soft.bytes);
    out += "(bytes)\n";
    put_ints(out, FMT_COMPILE("\tallocated: {}\thard: {}\tsoft: {}\n"), cur.packets, hard.packets,
        soft.packets);
}

} // namespace

std::string classic_time(uint64_t epoch_seconds) {
    std::string s;
    put_time(s, epoch_seconds);
    return s;
}

namespace {
void put_time(std::string& out, uint64_t epoch_seconds) {
    if (epoch_seconds == 0) {
        out.append(20, ' ');
        return;
    }
    // A dump converts the same few seconds over and over (every entry's "current" and
    // the add times of a bulk load, in turn): remember the last few conversions. Keyed
    // on TZ too, which a test (or the caller of a long -x session) may change.
    struct Entry {
        uint64_t seconds = 0;
        std::string text;
    };
    thread_local std::array<Entry, 4> cache;
    thread_local size_t next_slot = 0;
    thread_local std::string cached_tz;
    const char* tz_env = std::getenv("TZ");
    const std::string_view tz = tz_env ? tz_env : "";
    if (tz != cached_tz) {
        cache = {};
        cached_tz = tz;
    }
    for (const Entry& e : cache) {
        if (e.seconds == epoch_seconds) {
            out.append(e.text);
            return;
        }
    }
    auto t = static_cast<time_t>(epoch_seconds);
    tm local{};
    if (localtime_r(&t, &local) == nullptr) {
        out.append(20, '?');
        return;
    }
    // ctime's layout after the weekday, cut to 20 characters as 0.8.2 copies it.
    std::string s = fmt::format(FMT_COMPILE("{} {:2} {:02}:{:02}:{:02} {}\n"), kMonths[local.tm_mon],
                                local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                                int64_t{local.tm_year} + 1900);
    s.resize(20, ' ');
    out += s;
    cache[next_slot] = {epoch_seconds, std::move(s)};
    next_slot = (next_slot + 1) % cache.size();
}
} // namespace

std::string xfrm_line(const model::SaRecord& sa) {
    std::string out;
    put_xfrm_line(out, sa.mark, sa.if_id, sa.xfrm.output_mark);
    return out;
}

std::string xfrm_line(const model::PolicyRecord& policy) {
    std::string out;
    put_xfrm_line(out, policy.xfrm.mark, policy.xfrm.if_id, std::nullopt);
    return out;
}

std::string format_sa(const model::SaRecord& sa, const ClassicOptions& options) {
    std::string out;
    out.reserve(640); // a typical entry with keys and lifetimes: no regrowth
    append_sa(out, sa, options);
    return out;
}

void append_sa(std::string& out, const model::SaRecord& sa, const ClassicOptions& options) {
    const bool natt = sa.natt_type != 0;
    out += sa_address(sa.src, sa.src_port, options.with_ports);
    if (natt) put_ints(out, FMT_COMPILE("[{}]"), sa.natt_sport);
    out += ' ';
    out += sa_address(sa.dst, sa.dst_port, options.with_ports);
    if (natt) put_ints(out, FMT_COMPILE("[{}]"), sa.natt_dport);
    out += ' ';
    if (!sa.has_sa) {
        out.append("no SA extension.\n");
        return;
    }
    if (!sa.has_sa2) {
        out.append("no SA2 extension.\n");
        return;
    }
    out += "\n\t";

    const bool esp = sa.raw_satype == static_cast<uint8_t>(model::SaType::esp);
    const bool ipcomp = sa.raw_satype == static_cast<uint8_t>(model::SaType::ipcomp);
    if (natt && esp) {
        out += "esp-udp ";
    } else {
        if (natt) out += "natt+";
        put_name(out, kSatypeNames, sa.raw_satype);
        out += ' ';
    }
    out += "mode=";
    put_name(out, kModeNames, static_cast<unsigned>(sa.mode));
    out += ' ';
    put_ints(out, FMT_COMPILE("spi={}(0x{:08x}) reqid={}(0x{:08x})\n"), sa.spi, sa.spi, sa.reqid, sa.reqid);
    if (natt && sa.natt_oa) put(out, FMT_COMPILE("\tNAT OA={}\n"), sa.natt_oa->to_string());

    if (ipcomp) {
        // No newline here in 0.8.2: the seq line continues this one.
        out += "\tC: ";
        out += algorithm_name(sa.comp, AlgKind::comp);
        out += ' ';
    } else if (esp && sa.enc.key) {
        out += "\tE: ";
        out += algorithm_name(sa.enc, AlgKind::enc);
        out += ' ';
        put_key(out, sa.enc);
        out += '\n';
    }
    if (sa.auth.key) {
        out += "\tA: ";
        out += algorithm_name(sa.auth, AlgKind::auth);
        out += ' ';
        put_key(out, sa.auth);
        out += '\n';
    }
    put_ints(out, FMT_COMPILE("\tseq=0x{:08x} replay={} flags=0x{:08x} state="), sa.sa2_sequence, sa.replay,
             sa.flags);
    put_name(out, kStateNames, sa.state);
    out += " \n";
    put_xfrm_line(out, sa.mark, sa.if_id, sa.xfrm.output_mark);
    if (sa.current) put_sa_lifetimes(out, sa, options.now);
    if (sa.ctx) put_sec_ctx(out, *sa.ctx);
    put_ints(out, FMT_COMPILE("\tsadb_seq={} pid={} refcnt={}\n"), sa.msg.seq, sa.msg.pid, sa.msg.reserved);
}

std::string format_policy(const model::PolicyRecord& p, const ClassicOptions& options) {
    std::string out;
    out.reserve(320);
    append_policy(out, p, options);
    return out;
}

void append_policy(std::string& out, const model::PolicyRecord& p, const ClassicOptions& options) {
    if (p.per_socket()) {
        out += "(per-socket policy) ";
    } else if (p.has_selector) {
        out += p.src.addr.to_string();
        put_prefix_port(out, p.src, p.upper);
        out += ' ';
        out += p.dst.addr.to_string();
        put_prefix_port(out, p.dst, p.upper);
        out += ' ';
        put_upper_spec(out, p.upper, p.src.port, p.dst.port);
    } else if (p.tag) {
        put(out, FMT_COMPILE("tagged \"{}\" "), *p.tag);
    } else {
        out += "(no selector, probably per-socket policy) ";
    }
    if (const auto error = policy_error(p)) {
        put(out, FMT_COMPILE("\n\tPolicy:[{}]\n"), *error);
    } else {
        out += "\n\t";
        put_policy_body(out, p, options.with_ports);
        out += '\n';
    }
    put_xfrm_line(out, p.xfrm.mark, p.xfrm.if_id, std::nullopt);
    if (p.current) {
        out += "\tcreated: ";
        put_time(out, p.current->add_time);
        out += "  lastused: ";
        put_time(out, p.current->use_time);
        out += '\n';
    }
    if (p.hard)
        put_ints(out, FMT_COMPILE("\tlifetime: {}(s) validtime: {}(s)\n"), p.hard->add_time, p.hard->use_time);
    if (p.ctx) put_sec_ctx(out, *p.ctx);
    put_ints(out, FMT_COMPILE("\tspid={} seq={} pid={}\n"), p.id, p.msg.seq, p.msg.pid);
    put_ints(out, FMT_COMPILE("\trefcnt={}\n"), p.msg.reserved);
}

std::string_view empty_sad_text() { return "No SAD entries.\n"; }
std::string_view empty_spd_text() { return "No SPD entries.\n"; }

bool shown_in_dump(const model::SaRecord& sa, bool show_all) {
    return show_all || !sa.has_sa || sa.state != static_cast<uint8_t>(model::SaState::dead);
}

} // namespace setkey::output
