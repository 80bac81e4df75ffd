#include "output/classic.hpp"

#include <array>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "output/mark_format.hpp"
#include "output/text_writer.hpp"
#include "output/protocols.hpp"

namespace setkey::output {
namespace {

using model::AlgKind;
using model::AlgorithmRef;
using model::Lifetime;
using Hex08 = TextWriter::Hex08;

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

// A time as classic_time has it, from its cache of recent conversions. `tz` is the TZ
// variable as the caller read it (a dump's printer: once per run; else once per entry).
void put_time(TextWriter& w, uint64_t epoch_seconds, const char* tz);

// A table's name for the value, or the value as a number past the table's end.
template <size_t N>
void put_name(TextWriter& w, const std::string_view (&table)[N], unsigned value) {
    if (value < N) w.text(table[value]);
    else w.dec(value);
}

// What printf's %.0f makes of the double an unsigned counter converts to (0.8.2 prints
// byte counts so), without formatting a floating point number: the double is an
// integer, exact in uint64_t below 2^64; only 2^64 itself (a counter near the top
// rounds up to it) does not fit.
void put_counter_as_double(TextWriter& w, uint64_t value) {
    const double d = static_cast<double>(value);
    if (d >= 18446744073709551616.0) w.text("18446744073709551616");
    else w.dec(static_cast<uint64_t>(d));
}

// "N(0x%08x)", as spi= and reqid= print.
void put_dec_hex(TextWriter& w, uint32_t v) { w.put(v, "(0x", Hex08{v}, ')'); }

// Name of the algorithm an SA reports; 0 is SADB_*ALG_NONE ("none"), an id the
// table does not know prints as its number.
void put_algorithm_name(TextWriter& w, const AlgorithmRef& ref, AlgKind kind) {
    if (ref.alg) return w.text(ref.alg->name);
    if (ref.pfkey_id != 0) {
        if (const auto* alg = model::find_by_pfkey_id(kind, ref.pfkey_id)) return w.text(alg->name);
        if (ref.pfkey_id < 0) w.ch('-'); // no decoder makes one; printed as to_string did
        return w.dec(static_cast<uint64_t>(ref.pfkey_id < 0 ? -int64_t{ref.pfkey_id} : ref.pfkey_id));
    }
    if (!ref.kernel_name.empty()) return w.text(ref.kernel_name); // XFRM name unknown to the table
    w.text("none");
}

// Key bytes as groups of 4 preceded by a space; a bare newline after every 32 bytes.
void put_key(TextWriter& w, const AlgorithmRef& ref) {
    const auto& key = *ref.key;
    size_t n = key.size();
    if (ref.key_bits != 0 && ref.key_bits / 8u < n) n = ref.key_bits / 8u;
    // At most 2 + 1/4 + 1/32 characters per byte, written through the pointer.
    char* p = w.raw(n * 2 + n / 4 + n / 32 + 2);
    const uint8_t* k = key.data(); // local: the char stores below may alias the vector
    for (size_t i = 0; i < n; ++i) {
        if (i % 4 == 0) {
            if (i != 0 && i % 32 == 0) *p++ = '\n';
            *p++ = ' ';
        }
        *p++ = TextWriter::kHexDigits[k[i] >> 4];
        *p++ = TextWriter::kHexDigits[k[i] & 0xf];
    }
    w.advance(p);
}

void put_sa_address(TextWriter& w, const model::IpAddress& addr, uint16_t port, bool with_ports) {
    put_address(w, addr);
    if (with_ports) w.put('[', port, ']');
}

// Selector suffix: "/plen" unless full length, then "[port]"/"[any]" except for
// protocols whose "ports" are type/code or a key.
void put_prefix_port(TextWriter& w, const model::Selector& sel, uint8_t upper) {
    if (sel.prefixlen != sel.addr.full_prefix()) w.put('/', sel.prefixlen);
    switch (upper) {
    case 1: case 58: case 135: case 47: break; // icmp, ipv6-icmp, mobility header, gre
    default:
        if (sel.port == 0) w.text("[any]");
        else w.put('[', sel.port, ']');
    }
}

void put_upper_spec(TextWriter& w, uint8_t upper, uint16_t sport, uint16_t dport) {
    if (auto name = ip_protocol_name(upper)) w.text(*name);
    else w.dec(upper);
    if (sport == 0 && dport == 0) return;
    switch (upper) {
    case 1: case 58: case 135: w.put(' ', sport, ',', dport); break;
    case 47: w.put(' ', (uint32_t{sport} << 16) + dport); break;
    default: break;
    }
}

// " prio high|def|low[ +|- n]", with the offset's sign flipped so the text reads back
// as the spdadd input did; nothing for priority 0.
void put_priority(TextWriter& w, uint32_t priority) {
    if (priority == 0) return;
    // The nearest base: below 0x60000000 high, below 0xA0000000 def, else low.
    const bool high = priority < kPrioDefault / 4 * 3;
    const bool def = !high && priority < kPrioDefault / 4 * 5;
    const int64_t base = high ? kPrioHigh : def ? kPrioDefault : kPrioLow;
    w.text(high ? " prio high" : def ? " prio def" : " prio low");
    const int64_t offset = base - int64_t{priority};
    if (offset == 0) return;
    w.text(offset < 0 ? " - " : " + ");
    w.dec(static_cast<uint64_t>(offset < 0 ? -offset : offset));
}

// Why 0.8.2 could not render the policy (it then prints `Policy:[error]`), checked
// in its order: direction, action, then each request's protocol, mode and level.
std::optional<std::string_view> policy_error(const model::PolicyRecord& p) {
    if (p.raw_dir >= std::size(kDirNames)) return kErrDir;
    if (p.raw_action >= std::size(kActionNames)) return kErrPolicy;
    if (p.raw_action != static_cast<uint16_t>(model::Action::ipsec)) return std::nullopt;
    for (const auto& req : p.requests) {
        if (!model::request_protocol_name(req.proto)) return kErrProto;
        if (static_cast<unsigned>(req.mode) >= std::size(kModeNames)) return kErrMode;
        if (static_cast<unsigned>(req.level) > static_cast<unsigned>(model::Level::unique)) return kErrLevel;
    }
    return std::nullopt;
}

// One ipsecrequest (checked by policy_error): proto/mode/src-dst/level[:reqid|#reqid].
void put_request(TextWriter& w, const model::IpsecRequest& req, bool with_ports) {
    w.put(*model::request_protocol_name(req.proto), '/');
    w.put(kModeNames[static_cast<unsigned>(req.mode)], '/');
    // Transport endpoints as af_key reports them, and so ipsec-tools prints them on
    // Linux: never (XFRM keeps them; the machine formats and scripts show them).
    if (req.src && req.dst && req.mode != model::Mode::transport) {
        auto one = [&](const model::Endpoint& e) {
            put_address(w, e.addr);
            if (with_ports) w.put('[', e.port.value_or(0), ']');
        };
        one(*req.src);
        w.ch('-');
        one(*req.dst);
    }
    w.put('/', model::level_name(req.level));
    if (req.reqid != 0) w.put(req.reqid > model::kManualReqidMax ? '#' : ':', req.reqid);
}

// The policy body after the selector line (checked by policy_error): "dir [prio]
// action" plus one line per request.
void put_policy_body(TextWriter& w, const model::PolicyRecord& p, bool with_ports) {
    w.text(kDirNames[p.raw_dir]);
    put_priority(w, p.priority);
    w.ch(' ');
    w.text(kActionNames[p.raw_action]);
    if (p.raw_action != static_cast<uint16_t>(model::Action::ipsec)) return;
    for (const auto& req : p.requests) {
        w.text("\n\t");
        put_request(w, req, with_ports);
    }
}

void put_sec_ctx(TextWriter& w, const model::SecurityContext& ctx) {
    // The kernel's length counts the trailing NUL the model strips.
    w.put("\tsecurity context doi: ", ctx.doi, "\n\tsecurity context algorithm: ", ctx.alg,
          "\n\tsecurity context length: ", ctx.context.size() + 1, "\n\tsecurity context: ",
          std::string_view(ctx.context), '\n');
}

// "0x00000005/0x000000ff": output/mark_format.hpp's {:w} form, the one every text dump uses.
void put_wide_mark(TextWriter& w, const model::Mark& m) {
    w.advance(fmt::format_to(w.raw(32), FMT_COMPILE("{:w}"), m));
}

// The XFRM line ("\tmark=0x00000005/0x000000ff if_id=7(0x00000007) output_mark=..."):
// the attributes the script options -mark, -if_id and -output_mark set, only those
// present, and no line at all for state made without them (ipsec-tools' dumps have
// none), so entries the kernel keeps apart by mark never print alike.
void put_xfrm_line(TextWriter& w, const std::optional<model::Mark>& mark, uint32_t if_id,
                   const std::optional<model::Mark>& output_mark) {
    if (!mark && if_id == 0 && !output_mark) return;
    char sep = '\t';
    if (mark) {
        w.put(sep, "mark=");
        put_wide_mark(w, *mark);
        sep = ' ';
    }
    if (if_id != 0) {
        w.put(sep, "if_id=");
        put_dec_hex(w, if_id);
        sep = ' ';
    }
    if (output_mark) {
        w.put(sep, "output_mark=");
        put_wide_mark(w, *output_mark);
    }
    w.ch('\n');
}

void put_sa_lifetimes(TextWriter& w, const model::SaRecord& sa, int64_t now, const char* tz) {
    const Lifetime& cur = *sa.current;
    const Lifetime none{};
    const Lifetime& hard = sa.hard ? *sa.hard : none;
    const Lifetime& soft = sa.soft ? *sa.soft : none;
    // 0.8.2 subtracts in unsigned arithmetic, so a future add time wraps.
    uint64_t diff = cur.add_time == 0 ? 0 : static_cast<uint64_t>(now) - cur.add_time;
    w.text("\tcreated: ");
    put_time(w, cur.add_time, tz);
    w.text("\tcurrent: ");
    put_time(w, static_cast<uint64_t>(now), tz);
    w.put("\n\tdiff: ", diff, "(s)\thard: ", hard.add_time, "(s)\tsoft: ", soft.add_time, "(s)\n\tlast: ");
    put_time(w, cur.use_time, tz);
    w.put("\thard: ", hard.use_time, "(s)\tsoft: ", soft.use_time, "(s)\n");
    // Bytes go through a double (%.0f) in 0.8.2.
    const std::pair<std::string_view, uint64_t> bytes[] = {
        {"\tcurrent: ", cur.bytes}, {"(bytes)\thard: ", hard.bytes}, {"(bytes)\tsoft: ", soft.bytes}};
    for (const auto& [label, value] : bytes) {
        w.text(label);
        put_counter_as_double(w, value);
    }
    w.put("(bytes)\n\tallocated: ", cur.packets, "\thard: ", hard.packets, "\tsoft: ", soft.packets, '\n');
}

} // namespace

std::string classic_time(uint64_t epoch_seconds) {
    std::string s;
    {
        TextWriter w(s);
        put_time(w, epoch_seconds, std::getenv("TZ"));
    }
    return s;
}

namespace {
void put_time(TextWriter& w, uint64_t epoch_seconds, const char* tz_env) {
    if (epoch_seconds == 0) return w.repeat(20, ' ');
    // A dump converts the same few seconds over and over (every entry's "current" and
    // the add times of a bulk load, in turn): remember the last few conversions. Keyed
    // on TZ too, which a test (or the caller of a long -x session) may change.
    struct Entry {
        uint64_t seconds = 0;
        std::array<char, 20> text{};
    };
    thread_local std::array<Entry, 4> cache;
    thread_local size_t next_slot = 0;
    thread_local std::string cached_tz;
    const std::string_view tz = tz_env ? tz_env : "";
    if (tz != cached_tz) {
        cache = {};
        cached_tz = tz;
    }
    for (const Entry& e : cache) {
        if (e.seconds == epoch_seconds) return w.text(std::string_view(e.text.data(), e.text.size()));
    }
    auto t = static_cast<time_t>(epoch_seconds);
    tm local{};
    if (localtime_r(&t, &local) == nullptr) return w.repeat(20, '?');
    // ctime's layout after the weekday, cut to 20 characters as 0.8.2 copies it.
    std::string s = fmt::format(FMT_COMPILE("{} {:2} {:02}:{:02}:{:02} {}\n"), kMonths[local.tm_mon],
                                local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
                                int64_t{local.tm_year} + 1900);
    s.resize(20, ' ');
    Entry& slot = cache[next_slot];
    slot.seconds = epoch_seconds;
    std::copy(s.begin(), s.end(), slot.text.begin());
    next_slot = (next_slot + 1) % cache.size();
    w.text(s);
}
} // namespace

std::string xfrm_line(const model::SaRecord& sa) {
    std::string out;
    {
        TextWriter w(out);
        put_xfrm_line(w, sa.mark, sa.if_id, sa.xfrm.output_mark);
    }
    return out;
}

std::string xfrm_line(const model::PolicyRecord& policy) {
    std::string out;
    {
        TextWriter w(out);
        put_xfrm_line(w, policy.xfrm.mark, policy.xfrm.if_id, std::nullopt);
    }
    return out;
}

std::string format_sa(const model::SaRecord& sa, const ClassicOptions& options) {
    std::string out;
    append_sa(out, sa, options);
    return out;
}

void append_sa(std::string& out, const model::SaRecord& sa, const ClassicOptions& options) {
    TextWriter w(out);
    const bool natt = sa.natt_type != 0;
    put_sa_address(w, sa.src, sa.src_port, options.with_ports);
    if (natt) w.put('[', sa.natt_sport, ']');
    w.ch(' ');
    put_sa_address(w, sa.dst, sa.dst_port, options.with_ports);
    if (natt) w.put('[', sa.natt_dport, ']');
    w.ch(' ');
    if (!sa.has_sa) return w.text("no SA extension.\n");
    if (!sa.has_sa2) return w.text("no SA2 extension.\n");
    w.text("\n\t");

    const bool esp = sa.raw_satype == static_cast<uint8_t>(model::SaType::esp);
    const bool ipcomp = sa.raw_satype == static_cast<uint8_t>(model::SaType::ipcomp);
    if (natt && esp) {
        w.text("esp-udp ");
    } else {
        if (natt) w.text("natt+");
        put_name(w, kSatypeNames, sa.raw_satype);
        w.ch(' ');
    }
    w.text("mode=");
    put_name(w, kModeNames, static_cast<unsigned>(sa.mode));
    w.text(" spi=");
    put_dec_hex(w, sa.spi);
    w.text(" reqid=");
    put_dec_hex(w, sa.reqid);
    w.ch('\n');
    if (natt && sa.natt_oa) {
        w.text("\tNAT OA=");
        put_address(w, *sa.natt_oa);
        w.ch('\n');
    }

    const auto algorithm = [&](std::string_view label, const AlgorithmRef& ref, AlgKind kind, bool key) {
        w.text(label);
        put_algorithm_name(w, ref, kind);
        w.ch(' ');
        if (!key) return;
        put_key(w, ref);
        w.ch('\n');
    };
    // No newline after IPComp's line in 0.8.2: the seq line continues it.
    if (ipcomp) algorithm("\tC: ", sa.comp, AlgKind::comp, false);
    else if (esp && sa.enc.key) algorithm("\tE: ", sa.enc, AlgKind::enc, true);
    if (sa.auth.key) algorithm("\tA: ", sa.auth, AlgKind::auth, true);
    w.put("\tseq=0x", Hex08{sa.sa2_sequence}, " replay=", sa.replay, " flags=0x", Hex08{sa.flags}, " state=");
    put_name(w, kStateNames, sa.state);
    w.text(" \n");
    put_xfrm_line(w, sa.mark, sa.if_id, sa.xfrm.output_mark);
    if (sa.current) put_sa_lifetimes(w, sa, options.now, options.tz ? *options.tz : std::getenv("TZ"));
    if (sa.ctx) put_sec_ctx(w, *sa.ctx);
    w.put("\tsadb_seq=", sa.msg.seq, " pid=", sa.msg.pid, " refcnt=", sa.msg.reserved, '\n');
}

std::string format_policy(const model::PolicyRecord& p, const ClassicOptions& options) {
    std::string out;
    append_policy(out, p, options);
    return out;
}

void append_policy(std::string& out, const model::PolicyRecord& p, const ClassicOptions& options) {
    TextWriter w(out);
    if (p.per_socket()) {
        w.text("(per-socket policy) ");
    } else if (p.has_selector) {
        put_address(w, p.src.addr);
        put_prefix_port(w, p.src, p.upper);
        w.ch(' ');
        put_address(w, p.dst.addr);
        put_prefix_port(w, p.dst, p.upper);
        w.ch(' ');
        put_upper_spec(w, p.upper, p.src.port, p.dst.port);
    } else if (p.tag) {
        w.put("tagged \"", std::string_view(*p.tag), "\" ");
    } else {
        w.text("(no selector, probably per-socket policy) ");
    }
    if (const auto error = policy_error(p)) {
        w.put("\n\tPolicy:[", *error, "]\n");
    } else {
        w.text("\n\t");
        put_policy_body(w, p, options.with_ports);
        w.ch('\n');
    }
    put_xfrm_line(w, p.xfrm.mark, p.xfrm.if_id, std::nullopt);
    if (p.current) {
        const char* tz = options.tz ? *options.tz : std::getenv("TZ");
        w.text("\tcreated: ");
        put_time(w, p.current->add_time, tz);
        w.text("  lastused: ");
        put_time(w, p.current->use_time, tz);
        w.ch('\n');
    }
    if (p.hard) w.put("\tlifetime: ", p.hard->add_time, "(s) validtime: ", p.hard->use_time, "(s)\n");
    if (p.ctx) put_sec_ctx(w, *p.ctx);
    w.put("\tspid=", p.id, " seq=", p.msg.seq, " pid=", p.msg.pid, "\n\trefcnt=", p.msg.reserved, '\n');
}

std::string_view empty_sad_text() { return "No SAD entries.\n"; }
std::string_view empty_spd_text() { return "No SPD entries.\n"; }

bool shown_in_dump(const model::SaRecord& sa, bool show_all) {
    return show_all || !sa.has_sa || sa.state != static_cast<uint8_t>(model::SaState::dead);
}

} // namespace setkey::output
