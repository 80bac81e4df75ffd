#include "output/classic.hpp"

#include <array>
#include <cstdlib>
#include <ctime>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

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

template <size_t N>
std::string table_name(const std::string_view (&table)[N], unsigned value) {
    if (value < N) return std::string(table[value]);
    return std::to_string(value);
}

// Format strings are compiled (FMT_COMPILE): parsing them at run time was a third of
// the time a large dump spends printing.
template <typename Format, typename... Args>
void put(std::string& out, const Format& f, Args&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
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
    for (size_t i = 0; i < n; ++i) {
        if (i != 0 && i % 32 == 0) out += '\n';
        if (i % 4 == 0) out += ' ';
        out += kHex[key[i] >> 4];
        out += kHex[key[i] & 0xf];
    }
}

std::string sa_address(const model::IpAddress& addr, uint16_t port, bool with_ports) {
    if (with_ports) return fmt::format(FMT_COMPILE("{}[{}]"), addr.to_string(), port);
    return addr.to_string();
}

// Selector suffix: "/plen" unless full length, then "[port]"/"[any]" except for
// protocols whose "ports" are type/code or a key.
std::string prefix_port(const model::Selector& sel, uint8_t upper) {
    std::string s;
    if (sel.prefixlen != sel.addr.full_prefix()) s = fmt::format(FMT_COMPILE("/{}"), sel.prefixlen);
    switch (upper) {
    case 1: case 58: case 135: case 47: break; // icmp, ipv6-icmp, mobility header, gre
    default: s += sel.port == 0 ? std::string("[any]") : fmt::format(FMT_COMPILE("[{}]"), sel.port);
    }
    return s;
}

std::string upper_spec(uint8_t upper, uint16_t sport, uint16_t dport) {
    std::string s = ip_protocol_name(upper).value_or(std::to_string(upper));
    if (sport == 0 && dport == 0) return s;
    switch (upper) {
    case 1: case 58: case 135: s += fmt::format(FMT_COMPILE(" {},{}"), sport, dport); break;
    case 47: s += fmt::format(FMT_COMPILE(" {}"), (uint32_t{sport} << 16) + dport); break;
    default: break;
    }
    return s;
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

// One ipsecrequest: proto/mode/src-dst/level[:reqid|#reqid]. False, with the error
// text in `out`, when a value has no name (0.8.2 then prints `Policy:[error]`).
bool request_text(const model::IpsecRequest& req, bool with_ports, std::string& out) {
    std::string_view proto;
    switch (req.proto) {
    case model::kProtoEsp: proto = "esp"; break;
    case model::kProtoAh: proto = "ah"; break;
    case model::kProtoIpcomp: proto = "ipcomp"; break;
    default: out = kErrProto; return false;
    }
    auto mode = static_cast<unsigned>(req.mode);
    if (mode >= std::size(kModeNames)) {
        out = kErrMode;
        return false;
    }
    std::string endpoints;
    if (req.src && req.dst) {
        auto one = [&](const model::Endpoint& e) {
            return with_ports ? fmt::format(FMT_COMPILE("{}[{}]"), e.addr.to_string(), e.port.value_or(0))
                              : e.addr.to_string();
        };
        endpoints = one(*req.src) + "-" + one(*req.dst);
    }
    auto level = static_cast<unsigned>(req.level);
    if (level > static_cast<unsigned>(model::Level::unique)) {
        out = kErrLevel;
        return false;
    }
    out = fmt::format(FMT_COMPILE("{}/{}/{}/{}"), proto, kModeNames[mode], endpoints,
                      model::level_name(req.level));
    if (req.reqid != 0)
        out += fmt::format(FMT_COMPILE("{}{}"), req.reqid > model::kManualReqidMax ? '#' : ':', req.reqid);
    return true;
}

// The policy body after the selector line: "dir [prio] action" plus one line per
// request, or the error text when 0.8.2 could not render it.
bool policy_text(const model::PolicyRecord& p, bool with_ports, std::string& out) {
    if (p.raw_dir >= std::size(kDirNames)) {
        out = kErrDir;
        return false;
    }
    if (p.raw_action >= std::size(kActionNames)) {
        out = kErrPolicy;
        return false;
    }
    out = kDirNames[p.raw_dir];
    if (auto prio = priority_text(p.priority); !prio.empty()) out += " " + prio;
    out += " ";
    out += kActionNames[p.raw_action];
    if (p.raw_action != static_cast<uint16_t>(model::Action::ipsec)) return true;
    for (const auto& req : p.requests) {
        std::string r;
        if (!request_text(req, with_ports, r)) {
            out = r;
            return false;
        }
        out += "\n\t" + r;
    }
    return true;
}

void put_sec_ctx(std::string& out, const model::SecurityContext& ctx) {
    put(out, FMT_COMPILE("\tsecurity context doi: {}\n"), ctx.doi);
    put(out, FMT_COMPILE("\tsecurity context algorithm: {}\n"), ctx.alg);
    // The kernel's length counts the trailing NUL the model strips.
    put(out, FMT_COMPILE("\tsecurity context length: {}\n"), ctx.context.size() + 1);
    put(out, FMT_COMPILE("\tsecurity context: {}\n"), ctx.context);
}

void put_sa_lifetimes(std::string& out, const model::SaRecord& sa, int64_t now) {
    const Lifetime& cur = *sa.current;
    const Lifetime none{};
    const Lifetime& hard = sa.hard ? *sa.hard : none;
    const Lifetime& soft = sa.soft ? *sa.soft : none;
    // 0.8.2 subtracts in unsigned arithmetic, so a future add time wraps.
    uint64_t diff = cur.add_time == 0 ? 0 : static_cast<uint64_t>(now) - cur.add_time;
    put(out, FMT_COMPILE("\tcreated: {}\tcurrent: {}\n"), classic_time(cur.add_time),
        classic_time(static_cast<uint64_t>(now)));
    put(out, FMT_COMPILE("\tdiff: {}(s)\thard: {}(s)\tsoft: {}(s)\n"), diff, hard.add_time, soft.add_time);
    put(out, FMT_COMPILE("\tlast: {}\thard: {}(s)\tsoft: {}(s)\n"), classic_time(cur.use_time), hard.use_time,
        soft.use_time);
    // Bytes go through a double (%.0f) in 0.8.2.
    put(out, FMT_COMPILE("\tcurrent: {:.0f}(bytes)\thard: {:.0f}(bytes)\tsoft: {:.0f}(bytes)\n"),
        static_cast<double>(cur.bytes), static_cast<double>(hard.bytes),
        static_cast<double>(soft.bytes));
    put(out, FMT_COMPILE("\tallocated: {}\thard: {}\tsoft: {}\n"), cur.packets, hard.packets,
        soft.packets);
}

} // namespace

std::string classic_time(uint64_t epoch_seconds) {
    if (epoch_seconds == 0) return std::string(20, ' ');
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
    for (const Entry& e : cache)
        if (e.seconds == epoch_seconds) return e.text;
    auto t = static_cast<time_t>(epoch_seconds);
    tm local{};
    if (localtime_r(&t, &local) == nullptr) return std::string(20, '?');
    // ctime's layout after the weekday, cut to 20 characters as 0.8.2 copies it.
    std::string s = fmt::format(FMT_COMPILE("{} {:2} {:02}:{:02}:{:02} {}\n"), kMonths[local.tm_mon],
                                local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                                int64_t{local.tm_year} + 1900);
    s.resize(20, ' ');
    cache[next_slot] = {epoch_seconds, s};
    next_slot = (next_slot + 1) % cache.size();
    return s;
}

std::string format_sa(const model::SaRecord& sa, const ClassicOptions& options) {
    std::string out;
    out.reserve(640); // a typical entry with keys and lifetimes: no regrowth
    const bool natt = sa.natt_type != 0;
    out += sa_address(sa.src, sa.src_port, options.with_ports);
    if (natt) put(out, FMT_COMPILE("[{}]"), sa.natt_sport);
    out += ' ';
    out += sa_address(sa.dst, sa.dst_port, options.with_ports);
    if (natt) put(out, FMT_COMPILE("[{}]"), sa.natt_dport);
    out += ' ';
    if (!sa.has_sa) return out + "no SA extension.\n";
    if (!sa.has_sa2) return out + "no SA2 extension.\n";
    out += "\n\t";

    const bool esp = sa.raw_satype == static_cast<uint8_t>(model::SaType::esp);
    const bool ipcomp = sa.raw_satype == static_cast<uint8_t>(model::SaType::ipcomp);
    if (natt && esp) {
        out += "esp-udp ";
    } else {
        if (natt) out += "natt+";
        out += table_name(kSatypeNames, sa.raw_satype) + " ";
    }
    put(out, FMT_COMPILE("mode={} "), table_name(kModeNames, static_cast<unsigned>(sa.mode)));
    put(out, FMT_COMPILE("spi={}(0x{:08x}) reqid={}(0x{:08x})\n"), sa.spi, sa.spi, sa.reqid, sa.reqid);
    if (natt && sa.natt_oa) put(out, FMT_COMPILE("\tNAT OA={}\n"), sa.natt_oa->to_string());

    if (ipcomp) {
        // No newline here in 0.8.2: the seq line continues this one.
        put(out, FMT_COMPILE("\tC: {} "), algorithm_name(sa.comp, AlgKind::comp));
    } else if (esp && sa.enc.key) {
        put(out, FMT_COMPILE("\tE: {} "), algorithm_name(sa.enc, AlgKind::enc));
        put_key(out, sa.enc);
        out += '\n';
    }
    if (sa.auth.key) {
        put(out, FMT_COMPILE("\tA: {} "), algorithm_name(sa.auth, AlgKind::auth));
        put_key(out, sa.auth);
        out += '\n';
    }
    put(out, FMT_COMPILE("\tseq=0x{:08x} replay={} flags=0x{:08x} state={} \n"), sa.sa2_sequence, sa.replay,
        sa.flags, table_name(kStateNames, sa.state));
    if (sa.current) put_sa_lifetimes(out, sa, options.now);
    if (sa.ctx) put_sec_ctx(out, *sa.ctx);
    put(out, FMT_COMPILE("\tsadb_seq={} pid={} refcnt={}\n"), sa.msg.seq, sa.msg.pid, sa.msg.reserved);
    return out;
}

std::string format_policy(const model::PolicyRecord& p, const ClassicOptions& options) {
    std::string out;
    out.reserve(320);
    if (p.per_socket()) {
        out += "(per-socket policy) ";
    } else if (p.has_selector) {
        put(out, FMT_COMPILE("{}{} {}{} {}"), p.src.addr.to_string(), prefix_port(p.src, p.upper),
            p.dst.addr.to_string(), prefix_port(p.dst, p.upper),
            upper_spec(p.upper, p.src.port, p.dst.port));
    } else if (p.tag) {
        put(out, FMT_COMPILE("tagged \"{}\" "), *p.tag);
    } else {
        out += "(no selector, probably per-socket policy) ";
    }
    std::string body;
    if (policy_text(p, options.with_ports, body))
        put(out, FMT_COMPILE("\n\t{}\n"), body);
    else
        put(out, FMT_COMPILE("\n\tPolicy:[{}]\n"), body);

    if (p.current)
        put(out, FMT_COMPILE("\tcreated: {}  lastused: {}\n"), classic_time(p.current->add_time),
            classic_time(p.current->use_time));
    if (p.hard)
        put(out, FMT_COMPILE("\tlifetime: {}(s) validtime: {}(s)\n"), p.hard->add_time, p.hard->use_time);
    if (p.ctx) put_sec_ctx(out, *p.ctx);
    put(out, FMT_COMPILE("\tspid={} seq={} pid={}\n"), p.id, p.msg.seq, p.msg.pid);
    put(out, FMT_COMPILE("\trefcnt={}\n"), p.msg.reserved);
    return out;
}

std::string_view empty_sad_text() { return "No SAD entries.\n"; }
std::string_view empty_spd_text() { return "No SPD entries.\n"; }

bool shown_in_dump(const model::SaRecord& sa, bool show_all) {
    return show_all || !sa.has_sa || sa.state != static_cast<uint8_t>(model::SaState::dead);
}

} // namespace setkey::output
