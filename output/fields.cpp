#include "output/fields.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "output/mark_format.hpp"
#include "output/protocols.hpp"
#include "output/text_writer.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;
using model::AlgKind;
using model::AlgorithmRef;
using model::Lifetime;
using model::PolicyRecord;
using model::SaRecord;

void hex(JsonWriter& o, const std::vector<uint8_t>& bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * bytes.size());
    for (auto b : bytes) {
        s += kHex[b >> 4];
        s += kHex[b & 0xf];
    }
    o.string(s);
}

// The SA type's name, or its number for one the model does not know.
void put_satype(TextWriter& w, uint8_t raw) {
    auto name = model::satype_name(static_cast<model::SaType>(raw));
    if (name == "unknown") w.dec(raw);
    else w.text(name);
}

bool reported(const AlgorithmRef& ref) {
    return ref.alg || ref.pfkey_id != 0 || !ref.kernel_name.empty() || ref.key.has_value();
}

// The table's name; else the kernel's (XFRM) name; else "#<PF_KEY id>" as -l prints ids.
void algorithm(JsonWriter& o, const AlgorithmRef& ref, AlgKind kind) {
    if (ref.alg) return o.string(ref.alg->name);
    if (ref.pfkey_id != 0)
        if (const auto* alg = model::find_by_pfkey_id(kind, ref.pfkey_id)) return o.string(alg->name);
    if (!ref.kernel_name.empty()) return o.string(ref.kernel_name);
    o.string(fmt::format("#{}", ref.pfkey_id));
}

void key_bits(JsonWriter& o, const AlgorithmRef& ref) {
    if (ref.key_bits != 0) return o.integer(ref.key_bits);
    if (ref.key) return o.integer(ref.key->size() * 8);
    o.null();
}

bool is(const SaRecord& sa, model::SaType t) { return sa.raw_satype == static_cast<uint8_t>(t); }
bool has_enc(const SaRecord& sa) { return is(sa, model::SaType::esp) && !sa.aead && reported(sa.enc); }
bool has_aead(const SaRecord& sa) { return sa.aead && reported(sa.enc); }
bool has_cipher_key(const SaRecord& sa) { return has_enc(sa) || has_aead(sa); }

template <typename T>
void optional_integer(JsonWriter& o, const std::optional<T>& v) {
    if (v) o.integer(*v);
    else o.null();
}

// One lifetime limit block: same members for SAs and policies, null = unlimited.
// `allocations` is PF_KEY's name for the packet limit (see model::Lifetime).
void limit_members(JsonWriter& o, const Lifetime& l) {
    o.begin_object();
    o.key("bytes");
    o.nonzero(l.bytes);
    o.key("packets");
    o.nonzero(l.packets);
    o.key("allocations");
    o.nonzero(l.packets);
    o.key("add_seconds");
    o.nonzero(l.add_time);
    o.key("use_seconds");
    o.nonzero(l.use_time);
    o.end_object();
}

bool unlimited(const std::optional<Lifetime>& lt) {
    return !lt || (lt->bytes == 0 && lt->packets == 0 && lt->add_time == 0 && lt->use_time == 0);
}

// Unlimited blocks (most entries': every policy of a key daemon's) are copied whole by
// compact records through the rows' at_default.
void limits(JsonWriter& o, const std::optional<Lifetime>& lt) { limit_members(o, lt.value_or(Lifetime{})); }

void sec_ctx(JsonWriter& o, const std::optional<model::SecurityContext>& ctx) {
    if (!ctx) return o.null();
    o.begin_object();
    o.key("doi");
    o.integer(ctx->doi);
    o.key("alg");
    o.integer(ctx->alg);
    o.key("ctx");
    o.string(ctx->context);
    o.end_object();
}

void current_time(JsonWriter& o, const std::optional<Lifetime>& cur, uint64_t Lifetime::*member) {
    if (cur) o.nonzero((*cur).*member);
    else o.null();
}

// sadb_sa_flags bits Linux reports, plus XFRM's ESN; flags_raw keeps every bit.
void flag_names(JsonWriter& o, const SaRecord& sa) {
    o.begin_array();
    if (sa.flags & 0x80000000u) o.string("noecn");
    if (sa.flags & 0x40000000u) o.string("decap_dscp");
    if (sa.flags & 0x20000000u) o.string("nopmtudisc");
    if (sa.esn) o.string("esn");
    o.end_array();
}

void encap(JsonWriter& o, const SaRecord& sa) {
    if (sa.natt_type == 0) return o.null();
    o.begin_object();
    o.key("type");
    // UDP_ENCAP_ESPINUDP_NON_IKE = 1, UDP_ENCAP_ESPINUDP = 2
    if (sa.natt_type == 2) o.string("espinudp");
    else if (sa.natt_type == 1) o.string("espinudp-nonike");
    else o.string(std::to_string(sa.natt_type));
    o.key("sport");
    o.integer(sa.natt_sport);
    o.key("dport");
    o.integer(sa.natt_dport);
    o.key("oa");
    if (sa.natt_oa) o.string(sa.natt_oa->to_string());
    else o.null();
    o.end_object();
}

// Numeric addresses need no escaping; an IPv6 scope's interface name might. Written
// on the stack, with "/prefix" when given: a dump writes several per record.
void address_text(JsonWriter& o, const model::IpAddress& a, std::optional<unsigned> prefix = std::nullopt) {
    char buf[model::IpAddress::kMaxText + 4];
    char* end = a.write_text(buf);
    if (prefix) {
        *end++ = '/';
        end = std::to_chars(end, buf + sizeof buf, *prefix).ptr;
    }
    const std::string_view text(buf, static_cast<size_t>(end - buf));
    if (a.family == model::Family::inet6 && a.scope_id != 0) o.string(text);
    else o.plain(text);
}

// A string value (an id, a name) built in a reused buffer: a string per record was an
// allocation per record. Written as a checked string: an IPv6 scope in an id (the
// dst's, or a larval SA's src) names an interface, which may hold quotes.
template <class Build>
void built_string(JsonWriter& o, Build&& build) {
    thread_local std::string scratch;
    scratch.clear();
    {
        TextWriter w(scratch, 64); // short: room for one address and some numbers
        build(w);
    }
    o.string(scratch);
}

// "/mark=0x5/0xff", the compact form of output/mark_format.hpp.
void put_mark_suffix(TextWriter& w, const model::Mark& m) {
    w.text("/mark=");
    w.advance(fmt::format_to(w.raw(32), FMT_COMPILE("{}"), m));
}

// The kernel's SA key: (dst, proto, SPI) and the mark, which lets two SAs share the
// rest (xfrm_state_lookup). Unmarked SAs keep the id they always had.
void sa_id(JsonWriter& o, const SaRecord& s) {
    built_string(o, [&](TextWriter& w) {
        put_satype(w, s.raw_satype);
        w.ch('/');
        put_address(w, s.dst);
        w.text("/0x");
        w.hex08(s.spi);
        // A larval SA has no SPI yet: the kernel keeps those apart by source and reqid.
        if (s.spi == 0) {
            w.text("/src=");
            put_address(w, s.src);
            w.text("/reqid=");
            w.dec(s.reqid);
        }
        if (s.mark) put_mark_suffix(w, *s.mark);
    });
}

void mark(JsonWriter& o, const std::optional<model::Mark>& m) {
    if (!m) return o.null();
    o.begin_object();
    o.key("value");
    o.integer(m->value);
    o.key("mask");
    o.integer(m->mask);
    o.end_object();
}

// Names for the set bits of `bits` from a table indexed by bit number; bits without a
// name are left to the raw field beside.
template <size_t N>
void bit_names(JsonWriter& o, uint32_t bits, const std::string_view (&names)[N]) {
    o.begin_array();
    for (size_t i = 0; i < N; ++i)
        if (bits & (1u << i)) o.plain(names[i]);
    o.end_array();
}

// XFRM_STATE_* (linux/xfrm.h), bit 0 first.
constexpr std::string_view kStateFlags[] = {"noecn", "decap_dscp", "nopmtudisc", "wildrecv",
                                            "icmp",  "af_unspec",  "align4",     "esn"};
// XFRM_SA_XFLAG_*.
constexpr std::string_view kExtraFlags[] = {"dont_encap_dscp", "oseq_may_wrap"};
// XFRM_POLICY_LOCALOK, XFRM_POLICY_ICMP.
constexpr std::string_view kPolicyFlags[] = {"localok", "icmp"};

void optional_address(JsonWriter& o, const std::optional<model::IpAddress>& a) {
    if (a) address_text(o, *a);
    else o.null();
}

// A port of a selector: null when its mask matches any port.
void masked_port(JsonWriter& o, uint16_t port, uint16_t mask) {
    if (mask == 0) o.null();
    else o.integer(port);
}

// An interface index (signed in the kernel's structs); 0 is "any interface".
void nonzero_index(JsonWriter& o, int32_t ifindex) {
    if (ifindex == 0) o.null();
    else o.integer(ifindex);
}

void upper_text(JsonWriter& o, uint8_t proto) {
    if (proto == 0) return o.plain("any");
    if (auto name = ip_protocol_name(proto)) return o.string(*name);
    o.string(std::to_string(proto));
}

// A selector that lets every packet through: what the kernel holds for an SA added
// without one (af_key and setkey's XFRM encoder set only the family), shown as none.
bool matches_all(const model::SaSelector& sel) {
    return sel.src_prefixlen == 0 && sel.dst_prefixlen == 0 && sel.src_port_mask == 0 &&
           sel.dst_port_mask == 0 && sel.proto == 0 && sel.ifindex == 0 && sel.user == 0;
}

void sa_selector(JsonWriter& o, const model::SaSelector& sel) {
    if (sel.empty() || matches_all(sel)) return o.null();
    const auto prefix = [&](const model::IpAddress& a, uint8_t len) {
        if (sel.family == 0) return o.null();
        address_text(o, a, len);
    };
    o.begin_object();
    o.key("src");
    prefix(sel.src, sel.src_prefixlen);
    o.key("dst");
    prefix(sel.dst, sel.dst_prefixlen);
    o.key("src_port");
    masked_port(o, sel.src_port, sel.src_port_mask);
    o.key("dst_port");
    masked_port(o, sel.dst_port, sel.dst_port_mask);
    o.key("upperspec");
    upper_text(o, sel.proto);
    o.key("ifindex");
    nonzero_index(o, sel.ifindex);
    o.key("user");
    o.nonzero(sel.user);
    o.end_object();
}

void words_hex(JsonWriter& o, const std::vector<uint32_t>& words) {
    std::string s;
    for (auto w : words) fmt::format_to(std::back_inserter(s), FMT_COMPILE("{:08x}"), w);
    o.plain(s);
}

void replay_state(JsonWriter& o, const std::optional<model::ReplayState>& r) {
    if (!r) return o.null();
    o.begin_object();
    o.key("esn");
    o.boolean(r->esn_format);
    o.key("seq");
    o.integer(r->seq);
    o.key("oseq");
    o.integer(r->oseq);
    o.key("seq_hi");
    if (r->esn_format) o.integer(r->seq_hi); else o.null();
    o.key("oseq_hi");
    if (r->esn_format) o.integer(r->oseq_hi); else o.null();
    o.key("window");
    if (r->esn_format) o.integer(r->window); else o.null();
    o.key("bitmap");
    words_hex(o, r->bitmap);
    o.end_object();
}

void offload(JsonWriter& o, const std::optional<model::Offload>& off) {
    if (!off) return o.null();
    o.begin_object();
    o.key("ifindex");
    o.integer(off->ifindex);
    o.key("flags");
    o.integer(off->flags);
    o.end_object();
}

void unknown_attributes(JsonWriter& o, const std::vector<model::RawAttribute>& attrs) {
    o.begin_array();
    for (const auto& a : attrs) {
        o.begin_object();
        o.key("type");
        o.integer(a.type);
        o.key("payload");
        hex(o, a.payload);
        o.end_object();
    }
    o.end_array();
}

// What a compact record copies instead of writing, made once per table: each field's
// key with its comma, `,"name":`, and for the fields with `at_default` their whole
// member as a bare record has it, one after the other in table order, so the members
// of consecutive fields at their defaults are one piece of `defaults`.
template <typename Record>
struct CompactTexts {
    std::vector<std::string> keys;
    std::string defaults;
    std::vector<size_t> start; // field i's member is defaults[start[i], start[i+1])

    explicit CompactTexts(std::span<const Field<Record>> fields) {
        const Record bare{};
        for (const auto& f : fields) {
            keys.push_back(fmt::format(",\"{}\":", f.name));
            start.push_back(defaults.size());
            if (!f.at_default) continue;
            if (f.secret || !f.at_default(bare))
                throw std::logic_error(fmt::format("field {}: at_default must hold for a bare record, never "
                                                   "on a secret field", f.name));
            std::string member;
            {
                JsonWriter w(member, false, 0, 64);
                w.begin_object();
                w.key(f.name);
                f.write(w, bare);
                w.end_object();
            }
            defaults += ',';
            defaults.append(member, 1, member.size() - 2); // without the braces
        }
        start.push_back(defaults.size());
    }
};

template <typename Record>
void members(JsonWriter& out, std::span<const Field<Record>> fields, const Record& r, const RecordOptions& options) {
    if (out.pretty()) {
        for (const auto& f : fields) {
            if (f.secret && !options.show_keys) continue;
            out.key(f.name);
            f.write(out, r);
        }
        return;
    }
    static const CompactTexts<Record> texts(fields); // `fields` is the record's one table
    const size_t n = fields.size();
    for (size_t i = 0; i < n;) {
        const auto& f = fields[i];
        if (f.at_default && f.at_default(r)) {
            size_t end = i + 1;
            while (end < n && fields[end].at_default && fields[end].at_default(r)) ++end;
            out.compact_members(std::string_view(texts.defaults).substr(texts.start[i], texts.start[end] - texts.start[i]));
            i = end;
            continue;
        }
        if (!f.secret || options.show_keys) {
            out.compact_members(texts.keys[i]);
            f.write(out, r);
        }
        ++i;
    }
}

// clang-format off
const Field<SaRecord> kSaFields[] = {
  {"id", "string", false, sa_id},
  {"proto", "string", false, [](JsonWriter& o, const SaRecord& s) {
       built_string(o, [&](TextWriter& w) { put_satype(w, s.raw_satype); }); }},
  {"src", "string", false, [](JsonWriter& o, const SaRecord& s) { address_text(o, s.src); }},
  {"dst", "string", false, [](JsonWriter& o, const SaRecord& s) { address_text(o, s.dst); }},
  {"family", "string", false, [](JsonWriter& o, const SaRecord& s) {
       o.plain(s.src.family == model::Family::inet ? "inet" : "inet6"); }},
  {"spi", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.spi); }},
  {"spi_hex", "string", false, [](JsonWriter& o, const SaRecord& s) {
       o.plain(fmt::format(FMT_COMPILE("0x{:08x}"), s.spi)); }},
  {"mode", "string", false, [](JsonWriter& o, const SaRecord& s) { o.plain(model::mode_name(s.mode)); }},
  {"reqid", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.reqid); }},
  {"state", "string", false, [](JsonWriter& o, const SaRecord& s) { o.plain(model::sa_state_name(s.state)); }},
  {"replay_window", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.replay); }},
  {"seq", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (s.has_sa2) o.integer(s.sa2_sequence); else o.null(); }},
  {"flags", "array of string", false, flag_names, [](const SaRecord& s) { return (s.flags & 0xe0000000u) == 0 && !s.esn; }},
  {"flags_raw", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.flags); },
       [](const SaRecord& s) { return s.flags == 0; }},
  {"enc_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_enc(s)) algorithm(o, s.enc, AlgKind::enc); else o.null(); }},
  {"aead_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_aead(s)) algorithm(o, s.enc, AlgKind::aead); else o.null(); },
       [](const SaRecord& s) { return !has_aead(s); }},
  {"auth_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (reported(s.auth)) algorithm(o, s.auth, AlgKind::auth); else o.null(); }},
  {"comp_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (is(s, model::SaType::ipcomp) && reported(s.comp)) algorithm(o, s.comp, AlgKind::comp); else o.null(); },
       [](const SaRecord& s) { return !(is(s, model::SaType::ipcomp) && reported(s.comp)); }},
  {"enc_key_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_cipher_key(s)) key_bits(o, s.enc); else o.null(); }},
  {"auth_key_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (reported(s.auth)) key_bits(o, s.auth); else o.null(); }},
  {"icv_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       o.nonzero(s.aead ? s.enc.icv_bits : s.auth.icv_bits); }},
  {"encap", "object|null", false, encap, [](const SaRecord& s) { return s.natt_type == 0; }},
  {"bytes", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (s.current) o.integer(s.current->bytes); else o.null(); }},
  {"packets", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (s.current) o.integer(s.current->packets); else o.null(); }},
  {"allocations", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { // PF_KEY's name for packets
       if (s.current) o.integer(s.current->packets); else o.null(); }},
  {"add_time", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { current_time(o, s.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { current_time(o, s.current, &Lifetime::use_time); },
       [](const SaRecord& s) { return !s.current || s.current->use_time == 0; }},
  {"hard", "object", false, [](JsonWriter& o, const SaRecord& s) { limits(o, s.hard); },
       [](const SaRecord& s) { return unlimited(s.hard); }},
  {"soft", "object", false, [](JsonWriter& o, const SaRecord& s) { limits(o, s.soft); },
       [](const SaRecord& s) { return unlimited(s.soft); }},
  {"replay_errors", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { optional_integer(o, s.replay_errors); }},
  {"integrity_failures", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       optional_integer(o, s.integrity_failures); }},
  {"sec_ctx", "object|null", false, [](JsonWriter& o, const SaRecord& s) { sec_ctx(o, s.ctx); },
       [](const SaRecord& s) { return !s.ctx; }},
  {"enc_key", "string|null", true, [](JsonWriter& o, const SaRecord& s) {
       if (has_cipher_key(s) && s.enc.key) hex(o, *s.enc.key); else o.null(); }},
  {"auth_key", "string|null", true, [](JsonWriter& o, const SaRecord& s) {
       if (s.auth.key) hex(o, *s.auth.key); else o.null(); }},
  // XFRM-only state (model/xfrm_attrs.hpp): appended, so the fields above keep their places.
  {"mark", "object|null", false, [](JsonWriter& o, const SaRecord& s) { mark(o, s.mark); },
       [](const SaRecord& s) { return !s.mark; }},
  {"if_id", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { o.nonzero(s.if_id); },
       [](const SaRecord& s) { return s.if_id == 0; }},
  {"output_mark", "object|null", false, [](JsonWriter& o, const SaRecord& s) { mark(o, s.xfrm.output_mark); },
       [](const SaRecord& s) { return !s.xfrm.output_mark; }},
  {"xfrm_flags", "array of string", false, [](JsonWriter& o, const SaRecord& s) {
       bit_names(o, s.xfrm.flags, kStateFlags); },
       [](const SaRecord& s) { return s.xfrm.flags == 0; }},
  {"extra_flags", "array of string", false, [](JsonWriter& o, const SaRecord& s) {
       bit_names(o, s.xfrm.extra_flags, kExtraFlags); },
       [](const SaRecord& s) { return s.xfrm.extra_flags == 0; }},
  {"extra_flags_raw", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.xfrm.extra_flags); },
       [](const SaRecord& s) { return s.xfrm.extra_flags == 0; }},
  {"selector", "object|null", false, [](JsonWriter& o, const SaRecord& s) { sa_selector(o, s.xfrm.selector); },
       [](const SaRecord& s) { return s.xfrm.selector.empty() || matches_all(s.xfrm.selector); }},
  {"replay_state", "object|null", false, [](JsonWriter& o, const SaRecord& s) { replay_state(o, s.xfrm.replay); }},
  {"offload", "object|null", false, [](JsonWriter& o, const SaRecord& s) { offload(o, s.xfrm.offload); },
       [](const SaRecord& s) { return !s.xfrm.offload; }},
  {"srcaddr", "string|null", false, [](JsonWriter& o, const SaRecord& s) { optional_address(o, s.xfrm.srcaddr); },
       [](const SaRecord& s) { return !s.xfrm.srcaddr; }},
  {"coaddr", "string|null", false, [](JsonWriter& o, const SaRecord& s) { optional_address(o, s.xfrm.coaddr); },
       [](const SaRecord& s) { return !s.xfrm.coaddr; }},
  {"tfcpad", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { o.nonzero(s.xfrm.tfcpad); },
       [](const SaRecord& s) { return s.xfrm.tfcpad == 0; }},
  {"mtimer_thresh", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       optional_integer(o, s.xfrm.mtimer_thresh); },
       [](const SaRecord& s) { return !s.xfrm.mtimer_thresh; }},
  {"unknown_attributes", "array of object", false, [](JsonWriter& o, const SaRecord& s) {
       unknown_attributes(o, s.xfrm.unknown); },
       [](const SaRecord& s) { return s.xfrm.unknown.empty(); }},
};
// clang-format on

void selector_text(JsonWriter& o, const model::Selector& sel) { address_text(o, sel.addr, sel.prefixlen); }

void ipsec_proto_text(JsonWriter& o, uint8_t proto) {
    if (auto name = model::request_protocol_name(proto)) return o.plain(*name);
    o.string(std::to_string(proto));
}

void endpoint(JsonWriter& o, const std::optional<model::Endpoint>& e) {
    if (e) address_text(o, e->addr);
    else o.null();
}

void endpoint_port(JsonWriter& o, const std::optional<model::Endpoint>& e) {
    if (e && e->port) o.nonzero(*e->port);
    else o.null();
}

// XFRM_SHARE_* names as ip prints them.
void share_text(JsonWriter& o, uint8_t share) {
    static constexpr std::string_view kShare[] = {"any", "session", "user", "unique"};
    if (share < std::size(kShare)) return o.plain(kShare[share]);
    o.string(std::to_string(share));
}

// A policy's templates, each an object written from this table (like the records, so
// a tunnel's template copies its default members: esp, no ports, reqid and SPI 0).
using model::IpsecRequest;
// clang-format off
const Field<IpsecRequest> kTemplateFields[] = {
  {"proto", "string", false, [](JsonWriter& o, const IpsecRequest& r) { ipsec_proto_text(o, r.proto); },
       [](const IpsecRequest& r) { return r.proto == model::kProtoEsp; }},
  {"mode", "string", false, [](JsonWriter& o, const IpsecRequest& r) { o.plain(model::mode_name(r.mode)); },
       [](const IpsecRequest& r) { return r.mode == model::Mode::transport; }},
  {"src", "string|null", false, [](JsonWriter& o, const IpsecRequest& r) { endpoint(o, r.src); },
       [](const IpsecRequest& r) { return !r.src; }},
  {"dst", "string|null", false, [](JsonWriter& o, const IpsecRequest& r) { endpoint(o, r.dst); },
       [](const IpsecRequest& r) { return !r.dst; }},
  {"src_port", "integer|null", false, [](JsonWriter& o, const IpsecRequest& r) { endpoint_port(o, r.src); },
       [](const IpsecRequest& r) { return !r.src || !r.src->port || *r.src->port == 0; }},
  {"dst_port", "integer|null", false, [](JsonWriter& o, const IpsecRequest& r) { endpoint_port(o, r.dst); },
       [](const IpsecRequest& r) { return !r.dst || !r.dst->port || *r.dst->port == 0; }},
  {"level", "string", false, [](JsonWriter& o, const IpsecRequest& r) { o.plain(model::level_name(r.level)); },
       [](const IpsecRequest& r) { return r.level == model::Level::default_; }},
  {"reqid", "integer", false, [](JsonWriter& o, const IpsecRequest& r) { o.integer(r.reqid); },
       [](const IpsecRequest& r) { return r.reqid == 0; }},
  {"spi", "integer", false, [](JsonWriter& o, const IpsecRequest& r) { o.integer(r.spi); },
       [](const IpsecRequest& r) { return r.spi == 0; }},
  {"share", "string", false, [](JsonWriter& o, const IpsecRequest& r) { share_text(o, r.share); },
       [](const IpsecRequest& r) { return r.share == 0; }},
};
// clang-format on

void templates(JsonWriter& o, const PolicyRecord& p) {
    o.begin_array();
    for (const auto& r : p.requests) {
        o.begin_object();
        members<IpsecRequest>(o, kTemplateFields, r, {});
        o.end_object();
    }
    o.end_array();
}

// The index alone is unique in one kernel; what XFRM's lookup adds (mark, if_id, the
// sub type) is appended when set, as for SAs, so the id also says what sets two such
// policies apart, and an unmarked policy keeps the id it always had.
void policy_id(JsonWriter& o, const PolicyRecord& p) {
    o.plain_built([&](TextWriter& w) { // names and numbers only
        w.text(direction_text(p));
        w.ch('/');
        w.dec(p.id);
        if (p.xfrm.mark) put_mark_suffix(w, *p.xfrm.mark);
        if (p.xfrm.if_id != 0) {
            w.text("/if_id=");
            w.dec(p.xfrm.if_id);
        }
        if (p.xfrm.type == 1) {
            w.text("/sub");
        } else if (p.xfrm.type != 0) {
            w.text("/ptype=");
            w.dec(p.xfrm.type);
        }
    });
}

void upperspec(JsonWriter& o, const PolicyRecord& p) {
    if (p.upper == model::kProtoAny) return o.string("any");
    if (auto name = ip_protocol_name(p.upper)) return o.string(*name);
    o.string(std::to_string(p.upper));
}

// clang-format off
const Field<PolicyRecord> kPolicyFields[] = {
  {"id", "string", false, policy_id},
  {"index", "integer", false, [](JsonWriter& o, const PolicyRecord& p) { o.integer(p.id); }},
  {"dir", "string", false, [](JsonWriter& o, const PolicyRecord& p) { o.plain(direction_text(p)); }},
  {"action", "string", false, [](JsonWriter& o, const PolicyRecord& p) { o.plain(model::action_name(p.action)); }},
  {"priority", "integer", false, [](JsonWriter& o, const PolicyRecord& p) { o.integer(p.priority); }},
  {"src", "string|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) selector_text(o, p.src); else o.null(); }},
  {"dst", "string|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) selector_text(o, p.dst); else o.null(); }},
  // A port is null where its mask takes any port: ICMP type 0 (mask 0xffff) is a 0.
  {"src_port", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) masked_port(o, p.src.port, model::port_mask(p.src.port, p.xfrm.src_port_mask));
       else o.null(); },
       [](const PolicyRecord& p) { return !p.has_selector || model::port_mask(p.src.port, p.xfrm.src_port_mask) == 0; }},
  {"dst_port", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) masked_port(o, p.dst.port, model::port_mask(p.dst.port, p.xfrm.dst_port_mask));
       else o.null(); },
       [](const PolicyRecord& p) { return !p.has_selector || model::port_mask(p.dst.port, p.xfrm.dst_port_mask) == 0; }},
  {"upperspec", "string", false, upperspec, [](const PolicyRecord& p) { return p.upper == model::kProtoAny; }},
  {"per_socket", "boolean", false, [](JsonWriter& o, const PolicyRecord& p) { o.boolean(p.per_socket()); },
       [](const PolicyRecord& p) { return !p.per_socket(); }},
  {"templates", "array of object", false, templates},
  {"add_time", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { current_time(o, p.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { current_time(o, p.current, &Lifetime::use_time); },
       [](const PolicyRecord& p) { return !p.current || p.current->use_time == 0; }},
  {"hard", "object", false, [](JsonWriter& o, const PolicyRecord& p) { limits(o, p.hard); },
       [](const PolicyRecord& p) { return unlimited(p.hard); }},
  {"soft", "object", false, [](JsonWriter& o, const PolicyRecord& p) { limits(o, p.soft); },
       [](const PolicyRecord& p) { return unlimited(p.soft); }},
  {"sec_ctx", "object|null", false, [](JsonWriter& o, const PolicyRecord& p) { sec_ctx(o, p.ctx); },
       [](const PolicyRecord& p) { return !p.ctx; }},
  {"tag", "string|null", false, [](JsonWriter& o, const PolicyRecord& p) { if (p.tag) o.string(*p.tag); else o.null(); },
       [](const PolicyRecord& p) { return !p.tag; }},
  // XFRM-only state (model/xfrm_attrs.hpp): appended, so the fields above keep their places.
  {"mark", "object|null", false, [](JsonWriter& o, const PolicyRecord& p) { mark(o, p.xfrm.mark); },
       [](const PolicyRecord& p) { return !p.xfrm.mark; }},
  {"if_id", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { o.nonzero(p.xfrm.if_id); },
       [](const PolicyRecord& p) { return p.xfrm.if_id == 0; }},
  {"flags", "array of string", false, [](JsonWriter& o, const PolicyRecord& p) {
       bit_names(o, p.xfrm.flags, kPolicyFlags); },
       [](const PolicyRecord& p) { return p.xfrm.flags == 0; }},
  {"flags_raw", "integer", false, [](JsonWriter& o, const PolicyRecord& p) { o.integer(p.xfrm.flags); },
       [](const PolicyRecord& p) { return p.xfrm.flags == 0; }},
  {"share", "string", false, [](JsonWriter& o, const PolicyRecord& p) { share_text(o, p.xfrm.share); },
       [](const PolicyRecord& p) { return p.xfrm.share == 0; }},
  {"ptype", "string", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.xfrm.type == 0) o.plain("main");
       else if (p.xfrm.type == 1) o.plain("sub");
       else o.string(std::to_string(p.xfrm.type)); },
       [](const PolicyRecord& p) { return p.xfrm.type == 0; }},
  {"ifindex", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { nonzero_index(o, p.xfrm.ifindex); },
       [](const PolicyRecord& p) { return p.xfrm.ifindex == 0; }},
  {"user", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { o.nonzero(p.xfrm.user); },
       [](const PolicyRecord& p) { return p.xfrm.user == 0; }},
  {"unknown_attributes", "array of object", false, [](JsonWriter& o, const PolicyRecord& p) {
       unknown_attributes(o, p.xfrm.unknown); },
       [](const PolicyRecord& p) { return p.xfrm.unknown.empty(); }},
};
// clang-format on

template <typename Record>
json as_tree(const Record& r, const RecordOptions& options) {
    std::string text;
    {
        JsonWriter out(text);
        write_record(out, r, options);
    }
    return json::parse(text);
}

} // namespace

std::span<const Field<SaRecord>> sa_fields() { return kSaFields; }
std::span<const Field<PolicyRecord>> policy_fields() { return kPolicyFields; }

void write_members(JsonWriter& out, const SaRecord& sa, const RecordOptions& options) {
    members(out, sa_fields(), sa, options);
}
void write_members(JsonWriter& out, const PolicyRecord& p, const RecordOptions& options) {
    members(out, policy_fields(), p, options);
}

json sa_object(const SaRecord& sa, const RecordOptions& options) { return as_tree(sa, options); }
json policy_object(const PolicyRecord& p, const RecordOptions& options) { return as_tree(p, options); }

std::string_view direction_text(const model::PolicyRecord& p) {
    // Linux per-socket policies come back as PF_KEY directions 4 (in) and 5 (out).
    if (p.raw_dir == 4) return "in";
    if (p.raw_dir == 5) return "out";
    return model::direction_name(p.dir);
}

} // namespace setkey::output
