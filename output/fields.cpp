#include "output/fields.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include "output/protocols.hpp"

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
void satype_text(std::string& out, uint8_t raw) {
    auto name = model::satype_name(static_cast<model::SaType>(raw));
    if (name == "unknown") fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), raw);
    else out += name;
}

std::string satype_text(uint8_t raw) {
    std::string s;
    satype_text(s, raw);
    return s;
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
void limits(JsonWriter& o, const std::optional<Lifetime>& lt) {
    Lifetime l = lt.value_or(Lifetime{});
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

// Numeric addresses need no escaping; an IPv6 scope's interface name might.
void address_text(JsonWriter& o, std::string_view text, const model::IpAddress& a) {
    if (a.family == model::Family::inet6 && a.scope_id != 0) o.string(text);
    else o.plain(text);
}

void sa_id(JsonWriter& o, const SaRecord& s) {
    std::string id;
    satype_text(id, s.raw_satype);
    fmt::format_to(std::back_inserter(id), FMT_COMPILE("/{}/0x{:08x}"), s.dst.to_string(), s.spi);
    address_text(o, id, s.dst);
}

// clang-format off
const Field<SaRecord> kSaFields[] = {
  {"id", "string", false, sa_id},
  {"proto", "string", false, [](JsonWriter& o, const SaRecord& s) { o.plain(satype_text(s.raw_satype)); }},
  {"src", "string", false, [](JsonWriter& o, const SaRecord& s) { address_text(o, s.src.to_string(), s.src); }},
  {"dst", "string", false, [](JsonWriter& o, const SaRecord& s) { address_text(o, s.dst.to_string(), s.dst); }},
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
  {"flags", "array of string", false, flag_names},
  {"flags_raw", "integer", false, [](JsonWriter& o, const SaRecord& s) { o.integer(s.flags); }},
  {"enc_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_enc(s)) algorithm(o, s.enc, AlgKind::enc); else o.null(); }},
  {"aead_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_aead(s)) algorithm(o, s.enc, AlgKind::aead); else o.null(); }},
  {"auth_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (reported(s.auth)) algorithm(o, s.auth, AlgKind::auth); else o.null(); }},
  {"comp_alg", "string|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (is(s, model::SaType::ipcomp) && reported(s.comp)) algorithm(o, s.comp, AlgKind::comp); else o.null(); }},
  {"enc_key_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (has_cipher_key(s)) key_bits(o, s.enc); else o.null(); }},
  {"auth_key_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (reported(s.auth)) key_bits(o, s.auth); else o.null(); }},
  {"icv_bits", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       o.nonzero(s.aead ? s.enc.icv_bits : s.auth.icv_bits); }},
  {"encap", "object|null", false, encap},
  {"bytes", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (s.current) o.integer(s.current->bytes); else o.null(); }},
  {"packets", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       if (s.current) o.integer(s.current->packets); else o.null(); }},
  {"allocations", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { // PF_KEY's name for packets
       if (s.current) o.integer(s.current->packets); else o.null(); }},
  {"add_time", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { current_time(o, s.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { current_time(o, s.current, &Lifetime::use_time); }},
  {"hard", "object", false, [](JsonWriter& o, const SaRecord& s) { limits(o, s.hard); }},
  {"soft", "object", false, [](JsonWriter& o, const SaRecord& s) { limits(o, s.soft); }},
  {"replay_errors", "integer|null", false, [](JsonWriter& o, const SaRecord& s) { optional_integer(o, s.replay_errors); }},
  {"integrity_failures", "integer|null", false, [](JsonWriter& o, const SaRecord& s) {
       optional_integer(o, s.integrity_failures); }},
  {"sec_ctx", "object|null", false, [](JsonWriter& o, const SaRecord& s) { sec_ctx(o, s.ctx); }},
  {"enc_key", "string|null", true, [](JsonWriter& o, const SaRecord& s) {
       if (has_cipher_key(s) && s.enc.key) hex(o, *s.enc.key); else o.null(); }},
  {"auth_key", "string|null", true, [](JsonWriter& o, const SaRecord& s) {
       if (s.auth.key) hex(o, *s.auth.key); else o.null(); }},
};
// clang-format on

void selector_text(JsonWriter& o, const model::Selector& sel) {
    std::string s = sel.addr.to_string();
    fmt::format_to(std::back_inserter(s), FMT_COMPILE("/{}"), sel.prefixlen);
    address_text(o, s, sel.addr);
}

void ipsec_proto_text(JsonWriter& o, uint8_t proto) {
    switch (proto) {
    case model::kProtoEsp: return o.plain("esp");
    case model::kProtoAh: return o.plain("ah");
    case model::kProtoIpcomp: return o.plain("ipcomp");
    }
    o.string(std::to_string(proto));
}

void endpoint(JsonWriter& o, const std::optional<model::Endpoint>& e) {
    if (e) address_text(o, e->addr.to_string(), e->addr);
    else o.null();
}

void endpoint_port(JsonWriter& o, const std::optional<model::Endpoint>& e) {
    if (e && e->port) o.nonzero(*e->port);
    else o.null();
}

void templates(JsonWriter& o, const PolicyRecord& p) {
    o.begin_array();
    for (const auto& r : p.requests) {
        o.begin_object();
        o.key("proto");
        ipsec_proto_text(o, r.proto);
        o.key("mode");
        o.plain(model::mode_name(r.mode));
        o.key("src");
        endpoint(o, r.src);
        o.key("dst");
        endpoint(o, r.dst);
        o.key("src_port");
        endpoint_port(o, r.src);
        o.key("dst_port");
        endpoint_port(o, r.dst);
        o.key("level");
        o.plain(model::level_name(r.level));
        o.key("reqid");
        o.integer(r.reqid);
        o.end_object();
    }
    o.end_array();
}

void policy_id(JsonWriter& o, const PolicyRecord& p) {
    std::string id(direction_text(p));
    fmt::format_to(std::back_inserter(id), FMT_COMPILE("/{}"), p.id);
    o.plain(id);
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
  {"src_port", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) o.nonzero(p.src.port); else o.null(); }},
  {"dst_port", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) {
       if (p.has_selector) o.nonzero(p.dst.port); else o.null(); }},
  {"upperspec", "string", false, upperspec},
  {"per_socket", "boolean", false, [](JsonWriter& o, const PolicyRecord& p) { o.boolean(p.per_socket()); }},
  {"templates", "array of object", false, templates},
  {"add_time", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { current_time(o, p.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](JsonWriter& o, const PolicyRecord& p) { current_time(o, p.current, &Lifetime::use_time); }},
  {"hard", "object", false, [](JsonWriter& o, const PolicyRecord& p) { limits(o, p.hard); }},
  {"soft", "object", false, [](JsonWriter& o, const PolicyRecord& p) { limits(o, p.soft); }},
  {"sec_ctx", "object|null", false, [](JsonWriter& o, const PolicyRecord& p) { sec_ctx(o, p.ctx); }},
  {"tag", "string|null", false, [](JsonWriter& o, const PolicyRecord& p) { if (p.tag) o.string(*p.tag); else o.null(); }},
};
// clang-format on

template <typename Record>
void members(JsonWriter& out, std::span<const Field<Record>> fields, const Record& r, const RecordOptions& options) {
    for (const auto& f : fields) {
        if (f.secret && !options.show_keys) continue;
        out.key(f.name);
        f.write(out, r);
    }
}

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
