#include "output/fields.hpp"

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

// 0 means "none/unlimited/never" in kernel lifetimes: null in the machine formats.
json nonzero(uint64_t v) { return v == 0 ? json(nullptr) : json(v); }

json hex(const std::vector<uint8_t>& bytes) {
    std::string s;
    for (auto b : bytes) s += fmt::format("{:02x}", b);
    return s;
}

std::string satype_text(uint8_t raw) {
    auto name = model::satype_name(static_cast<model::SaType>(raw));
    return name == "unknown" ? std::to_string(raw) : std::string(name);
}

bool reported(const AlgorithmRef& ref) {
    return ref.alg || ref.pfkey_id != 0 || !ref.kernel_name.empty() || ref.key.has_value();
}

// The table's name; else the kernel's (XFRM) name; else "#<PF_KEY id>" as -l prints ids.
json algorithm(const AlgorithmRef& ref, AlgKind kind) {
    if (ref.alg) return std::string(ref.alg->name);
    if (ref.pfkey_id != 0)
        if (const auto* alg = model::find_by_pfkey_id(kind, ref.pfkey_id)) return std::string(alg->name);
    if (!ref.kernel_name.empty()) return ref.kernel_name;
    return fmt::format("#{}", ref.pfkey_id);
}

json key_bits(const AlgorithmRef& ref) {
    if (ref.key_bits != 0) return ref.key_bits;
    if (ref.key) return ref.key->size() * 8;
    return nullptr;
}

bool is(const SaRecord& sa, model::SaType t) { return sa.raw_satype == static_cast<uint8_t>(t); }
bool has_enc(const SaRecord& sa) { return is(sa, model::SaType::esp) && !sa.aead && reported(sa.enc); }
bool has_aead(const SaRecord& sa) { return sa.aead && reported(sa.enc); }
bool has_cipher_key(const SaRecord& sa) { return has_enc(sa) || has_aead(sa); }

// One lifetime limit block: same members for SAs and policies, null = unlimited.
// `allocations` is PF_KEY's name for the packet limit (see model::Lifetime).
json limits(const std::optional<Lifetime>& lt) {
    Lifetime l = lt.value_or(Lifetime{});
    return json{{"bytes", nonzero(l.bytes)},
                {"packets", nonzero(l.packets)},
                {"allocations", nonzero(l.packets)},
                {"add_seconds", nonzero(l.add_time)},
                {"use_seconds", nonzero(l.use_time)}};
}

json sec_ctx(const std::optional<model::SecurityContext>& ctx) {
    if (!ctx) return nullptr;
    return json{{"doi", ctx->doi}, {"alg", ctx->alg}, {"ctx", ctx->context}};
}

json current_time(const std::optional<Lifetime>& cur, uint64_t Lifetime::*member) {
    return cur ? nonzero((*cur).*member) : json(nullptr);
}

// sadb_sa_flags bits Linux reports, plus XFRM's ESN; flags_raw keeps every bit.
json flag_names(const SaRecord& sa) {
    json names = json::array();
    if (sa.flags & 0x80000000u) names.push_back("noecn");
    if (sa.flags & 0x40000000u) names.push_back("decap_dscp");
    if (sa.flags & 0x20000000u) names.push_back("nopmtudisc");
    if (sa.esn) names.push_back("esn");
    return names;
}

json encap(const SaRecord& sa) {
    if (sa.natt_type == 0) return nullptr;
    // UDP_ENCAP_ESPINUDP_NON_IKE = 1, UDP_ENCAP_ESPINUDP = 2
    json type = sa.natt_type == 2 ? json("espinudp")
              : sa.natt_type == 1 ? json("espinudp-nonike")
                                  : json(std::to_string(sa.natt_type));
    return json{{"type", type},
                {"sport", sa.natt_sport},
                {"dport", sa.natt_dport},
                {"oa", sa.natt_oa ? json(sa.natt_oa->to_string()) : json(nullptr)}};
}

// clang-format off
const Field<SaRecord> kSaFields[] = {
  {"id", "string", false, [](const SaRecord& s) -> json {
       return fmt::format("{}/{}/0x{:08x}", satype_text(s.raw_satype), s.dst.to_string(), s.spi); }},
  {"proto", "string", false, [](const SaRecord& s) -> json { return satype_text(s.raw_satype); }},
  {"src", "string", false, [](const SaRecord& s) -> json { return s.src.to_string(); }},
  {"dst", "string", false, [](const SaRecord& s) -> json { return s.dst.to_string(); }},
  {"family", "string", false, [](const SaRecord& s) -> json {
       return s.src.family == model::Family::inet ? "inet" : "inet6"; }},
  {"spi", "integer", false, [](const SaRecord& s) -> json { return s.spi; }},
  {"spi_hex", "string", false, [](const SaRecord& s) -> json { return fmt::format("0x{:08x}", s.spi); }},
  {"mode", "string", false, [](const SaRecord& s) -> json { return std::string(model::mode_name(s.mode)); }},
  {"reqid", "integer", false, [](const SaRecord& s) -> json { return s.reqid; }},
  {"state", "string", false, [](const SaRecord& s) -> json { return std::string(model::sa_state_name(s.state)); }},
  {"replay_window", "integer", false, [](const SaRecord& s) -> json { return s.replay; }},
  {"seq", "integer|null", false, [](const SaRecord& s) -> json {
       return s.has_sa2 ? json(s.sa2_sequence) : json(nullptr); }},
  {"flags", "array of string", false, [](const SaRecord& s) -> json { return flag_names(s); }},
  {"flags_raw", "integer", false, [](const SaRecord& s) -> json { return s.flags; }},
  {"enc_alg", "string|null", false, [](const SaRecord& s) -> json {
       return has_enc(s) ? algorithm(s.enc, AlgKind::enc) : json(nullptr); }},
  {"aead_alg", "string|null", false, [](const SaRecord& s) -> json {
       return has_aead(s) ? algorithm(s.enc, AlgKind::aead) : json(nullptr); }},
  {"auth_alg", "string|null", false, [](const SaRecord& s) -> json {
       return reported(s.auth) ? algorithm(s.auth, AlgKind::auth) : json(nullptr); }},
  {"comp_alg", "string|null", false, [](const SaRecord& s) -> json {
       return is(s, model::SaType::ipcomp) && reported(s.comp) ? algorithm(s.comp, AlgKind::comp) : json(nullptr); }},
  {"enc_key_bits", "integer|null", false, [](const SaRecord& s) -> json {
       return has_cipher_key(s) ? key_bits(s.enc) : json(nullptr); }},
  {"auth_key_bits", "integer|null", false, [](const SaRecord& s) -> json {
       return reported(s.auth) ? key_bits(s.auth) : json(nullptr); }},
  {"icv_bits", "integer|null", false, [](const SaRecord& s) -> json {
       return nonzero(s.aead ? s.enc.icv_bits : s.auth.icv_bits); }},
  {"encap", "object|null", false, [](const SaRecord& s) -> json { return encap(s); }},
  {"bytes", "integer|null", false, [](const SaRecord& s) -> json {
       return s.current ? json(s.current->bytes) : json(nullptr); }},
  {"packets", "integer|null", false, [](const SaRecord& s) -> json {
       return s.current ? json(s.current->packets) : json(nullptr); }},
  {"allocations", "integer|null", false, [](const SaRecord& s) -> json { // PF_KEY's name for packets
       return s.current ? json(s.current->packets) : json(nullptr); }},
  {"add_time", "integer|null", false, [](const SaRecord& s) -> json { return current_time(s.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](const SaRecord& s) -> json { return current_time(s.current, &Lifetime::use_time); }},
  {"hard", "object", false, [](const SaRecord& s) -> json { return limits(s.hard); }},
  {"soft", "object", false, [](const SaRecord& s) -> json { return limits(s.soft); }},
  {"replay_errors", "integer|null", false, [](const SaRecord& s) -> json {
       return s.replay_errors ? json(*s.replay_errors) : json(nullptr); }},
  {"integrity_failures", "integer|null", false, [](const SaRecord& s) -> json {
       return s.integrity_failures ? json(*s.integrity_failures) : json(nullptr); }},
  {"sec_ctx", "object|null", false, [](const SaRecord& s) -> json { return sec_ctx(s.ctx); }},
  {"enc_key", "string|null", true, [](const SaRecord& s) -> json {
       return has_cipher_key(s) && s.enc.key ? hex(*s.enc.key) : json(nullptr); }},
  {"auth_key", "string|null", true, [](const SaRecord& s) -> json {
       return s.auth.key ? hex(*s.auth.key) : json(nullptr); }},
};
// clang-format on

std::string selector_text(const model::Selector& sel) {
    return fmt::format("{}/{}", sel.addr.to_string(), sel.prefixlen);
}


std::string ipsec_proto_text(uint8_t proto) {
    switch (proto) {
    case model::kProtoEsp: return "esp";
    case model::kProtoAh: return "ah";
    case model::kProtoIpcomp: return "ipcomp";
    }
    return std::to_string(proto);
}

json endpoint(const std::optional<model::Endpoint>& e) {
    return e ? json(e->addr.to_string()) : json(nullptr);
}

json endpoint_port(const std::optional<model::Endpoint>& e) {
    return e && e->port ? nonzero(*e->port) : json(nullptr);
}

json templates(const PolicyRecord& p) {
    json out = json::array();
    for (const auto& r : p.requests)
        out.push_back(json{{"proto", ipsec_proto_text(r.proto)},
                           {"mode", std::string(model::mode_name(r.mode))},
                           {"src", endpoint(r.src)},
                           {"dst", endpoint(r.dst)},
                           {"src_port", endpoint_port(r.src)},
                           {"dst_port", endpoint_port(r.dst)},
                           {"level", std::string(model::level_name(r.level))},
                           {"reqid", r.reqid}});
    return out;
}

// clang-format off
const Field<PolicyRecord> kPolicyFields[] = {
  {"id", "string", false, [](const PolicyRecord& p) -> json { return fmt::format("{}/{}", direction_text(p), p.id); }},
  {"index", "integer", false, [](const PolicyRecord& p) -> json { return p.id; }},
  {"dir", "string", false, [](const PolicyRecord& p) -> json { return direction_text(p); }},
  {"action", "string", false, [](const PolicyRecord& p) -> json { return std::string(model::action_name(p.action)); }},
  {"priority", "integer", false, [](const PolicyRecord& p) -> json { return p.priority; }},
  {"src", "string|null", false, [](const PolicyRecord& p) -> json {
       return p.has_selector ? json(selector_text(p.src)) : json(nullptr); }},
  {"dst", "string|null", false, [](const PolicyRecord& p) -> json {
       return p.has_selector ? json(selector_text(p.dst)) : json(nullptr); }},
  {"src_port", "integer|null", false, [](const PolicyRecord& p) -> json {
       return p.has_selector ? nonzero(p.src.port) : json(nullptr); }},
  {"dst_port", "integer|null", false, [](const PolicyRecord& p) -> json {
       return p.has_selector ? nonzero(p.dst.port) : json(nullptr); }},
  {"upperspec", "string", false, [](const PolicyRecord& p) -> json {
       if (p.upper == model::kProtoAny) return "any";
       return ip_protocol_name(p.upper).value_or(std::to_string(p.upper)); }},
  {"per_socket", "boolean", false, [](const PolicyRecord& p) -> json { return p.per_socket(); }},
  {"templates", "array of object", false, [](const PolicyRecord& p) -> json { return templates(p); }},
  {"add_time", "integer|null", false, [](const PolicyRecord& p) -> json { return current_time(p.current, &Lifetime::add_time); }},
  {"use_time", "integer|null", false, [](const PolicyRecord& p) -> json { return current_time(p.current, &Lifetime::use_time); }},
  {"hard", "object", false, [](const PolicyRecord& p) -> json { return limits(p.hard); }},
  {"soft", "object", false, [](const PolicyRecord& p) -> json { return limits(p.soft); }},
  {"sec_ctx", "object|null", false, [](const PolicyRecord& p) -> json { return sec_ctx(p.ctx); }},
  {"tag", "string|null", false, [](const PolicyRecord& p) -> json { return p.tag ? json(*p.tag) : json(nullptr); }},
};
// clang-format on

template <typename Record>
json build(std::span<const Field<Record>> fields, const Record& r, const RecordOptions& options) {
    json out = json::object();
    for (const auto& f : fields)
        if (!f.secret || options.show_keys) out[std::string(f.name)] = f.value(r);
    return out;
}

} // namespace

std::span<const Field<SaRecord>> sa_fields() { return kSaFields; }
std::span<const Field<PolicyRecord>> policy_fields() { return kPolicyFields; }

json sa_object(const SaRecord& sa, const RecordOptions& options) { return build(sa_fields(), sa, options); }
json policy_object(const PolicyRecord& p, const RecordOptions& options) {
    return build(policy_fields(), p, options);
}

std::string direction_text(const model::PolicyRecord& p) {
    // Linux per-socket policies come back as PF_KEY directions 4 (in) and 5 (out).
    if (p.raw_dir == 4) return "in";
    if (p.raw_dir == 5) return "out";
    return std::string(model::direction_name(p.dir));
}

} // namespace setkey::output
