#include "output/script.hpp"

#include <cstdio>
#include <string_view>
#include <vector>

#include "model/record_commands.hpp"
#include "output/mark_format.hpp"

namespace setkey::output {
namespace {

std::string hex(const std::vector<uint8_t>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "0x";
    for (uint8_t b : bytes) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

std::string endpoint(const model::Endpoint& e) {
    std::string s = e.addr.to_string();
    if (e.port) s += "[" + std::to_string(*e.port) + "]";
    return s;
}

std::string protocol(const model::SaProtocol& p) {
    switch (p.type) {
    case model::SaType::esp:
        // NAT-T before old: esp-old has no NAT-T form, and Linux keeps no SADB_X_EXT_OLD.
        if (p.udp_encap) return p.natt_oa ? "esp-udp " + p.natt_oa->to_string() : "esp-udp";
        if (p.old) return "esp-old";
        return "esp";
    case model::SaType::ah: return p.old ? "ah-old" : "ah";
    default: return std::string(model::satype_name(p.type));
    }
}

std::string spi_text(uint32_t spi) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", spi);
    return buf;
}

std::string mark_text(const model::Mark& m) { return fmt::format("{}", m); }

// The XFRM parts of an SA's key: -mark VALUE/MASK (the mask always written, so the
// text does not lean on the parser's default), and for an add -if_id ID. A delete
// names the SA as the kernel finds it, by mark alone: the language refuses -if_id there.
std::string mark_option(const model::SaKey& key) {
    return key.mark ? " -mark " + mark_text(*key.mark) : std::string();
}
std::string key_options(const model::SaKey& key) {
    std::string s = mark_option(key);
    if (key.if_id != 0) s += " -if_id " + std::to_string(key.if_id);
    return s;
}

std::string key_part(const model::SaKey& key) {
    return endpoint(key.src) + " " + endpoint(key.dst) + " " + protocol(key.proto) + " " +
           spi_text(key.spi);
}

std::string context(const model::SecurityContext& ctx) {
    return " -ctx " + std::to_string(ctx.doi) + " " + std::to_string(ctx.alg) + " \"" +
           ctx.context + "\"";
}

std::string keyed(const char* option, const model::KeyedAlgorithm& k, const ScriptOptions& o) {
    std::string s = std::string(" ") + option + " " + std::string(k.alg->name);
    if (k.alg->takes_key) s += " " + (o.show_keys && !k.key.empty() ? hex(k.key) : std::string(kHiddenKey));
    return s;
}

std::string selector(const model::Selector& s) {
    std::string text = s.addr.to_string() + "/" + std::to_string(s.prefixlen);
    if (s.port != model::kAnyPort) text += "[" + std::to_string(s.port) + "]";
    return text;
}

std::string request(const model::IpsecRequest& r) {
    // Only a dumped template can hold another protocol (Mobile IPv6's); written as no
    // protocol word, the parser refuses it (policy_unwritable says so above the statement).
    const auto name = model::request_protocol_name(r.proto);
    std::string s = name ? std::string(*name) : "proto-" + std::to_string(r.proto);
    s += "/" + std::string(model::mode_name(r.mode)) + "/";
    // Dumps report port 0 on tunnel endpoints; the kernel takes it for no port at all.
    auto end = [](model::Endpoint e) {
        if (e.port == 0) e.port.reset();
        return endpoint(e);
    };
    if (r.src && r.dst) s += end(*r.src) + "-" + end(*r.dst);
    s += "/";
    if (r.level == model::Level::unique && r.reqid != 0) s += "unique:" + std::to_string(r.reqid);
    else s += model::level_name(r.level);
    return s;
}

// libipsec's `prio N` is the default priority minus N, `prio -N` plus N.
std::string priority(uint32_t p) {
    if (p == model::kPriorityDefault) return "";
    if (p < model::kPriorityDefault) return " prio " + std::to_string(model::kPriorityDefault - p);
    return " prio -" + std::to_string(p - model::kPriorityDefault);
}

} // namespace

std::string sa_statement(const model::AddSa& sa, const ScriptOptions& options) {
    std::string s = sa.kind == model::AddSa::Kind::update ? "update " : "add ";
    s += key_part(sa.key);
    if (sa.key.mode != model::Mode::any) s += " -m " + std::string(model::mode_name(sa.key.mode));
    if (sa.key.reqid != 0) s += " -u " + std::to_string(sa.key.reqid);
    if (sa.replay != 0) s += " -r " + std::to_string(sa.replay);
    // Linux keeps none of the padding flags; they are written as given, for scripts.
    if (sa.flags & model::kSaFlagZeroPad) s += " -f zero-pad";
    if (sa.flags & model::kSaFlagRandomPad) s += " -f random-pad";
    if (sa.esn) s += " -f esn";
    if (sa.hard.add_seconds) s += " -lh " + std::to_string(*sa.hard.add_seconds);
    if (sa.soft.add_seconds) s += " -ls " + std::to_string(*sa.soft.add_seconds);
    if (sa.hard.bytes) s += " -bh " + std::to_string(*sa.hard.bytes);
    if (sa.soft.bytes) s += " -bs " + std::to_string(*sa.soft.bytes);
    s += key_options(sa.key);
    if (sa.xfrm.output_mark) s += " -output_mark " + mark_text(*sa.xfrm.output_mark);
    if (sa.ctx) s += context(*sa.ctx);
    if (sa.enc && sa.enc->alg) s += keyed("-E", *sa.enc, options);
    if (sa.auth && sa.auth->alg) s += keyed("-A", *sa.auth, options);
    if (sa.comp) {
        s += " -C " + std::string(sa.comp->name);
        if (sa.flags & model::kSaFlagRawCpi) s += " -R";
    }
    return s + ";\n";
}

std::string sa_delete_statement(const model::SaKey& key) {
    return "delete " + key_part(key) + mark_option(key) + ";\n";
}

std::string policy_statement(const model::SpdEntry& e) {
    std::string s;
    switch (e.kind) {
    case model::SpdEntry::Kind::add: s = "spdadd "; break;
    case model::SpdEntry::Kind::update: s = "spdupdate "; break;
    case model::SpdEntry::Kind::remove: s = "spddelete "; break;
    }
    s += selector(e.src) + " " + selector(e.dst) + " ";
    s += e.upper == model::kProtoAny ? "any" : std::to_string(e.upper);
    if (e.ctx) s += context(*e.ctx);
    if (e.xfrm.mark) s += " -mark " + mark_text(*e.xfrm.mark);
    if (e.xfrm.if_id != 0) s += " -if_id " + std::to_string(e.xfrm.if_id);
    // No option makes a sub policy: written as one would be, the parser refuses it
    // (policy_unwritable says so above the statement) rather than loading a main one.
    if (e.xfrm.type != 0) s += " -ptype " + std::string(e.xfrm.type == 1 ? "sub" : std::to_string(e.xfrm.type));
    s += " -P " + std::string(model::direction_name(e.policy.dir)) + priority(e.policy.priority);
    if (e.policy.action) {
        s += ' ';
        s += model::action_name(*e.policy.action);
        for (const model::IpsecRequest& r : e.policy.requests) {
            s += ' ';
            s += request(r);
        }
    }
    return s + ";\n";
}

std::string sa_record_statement(const model::SaRecord& sa, const ScriptOptions& options) {
    model::SaRecord copy = sa;
    // A key the dump did not carry is as good as hidden.
    for (model::AlgorithmRef* ref : {&copy.enc, &copy.auth})
        if (ref->alg && !ref->key && ref->key_bits > 0) ref->key.emplace();
    std::string why;
    if (std::optional<model::AddSa> add = model::readd_sa(copy, why)) {
        if (add->key.mode != model::Mode::beet) return sa_statement(*add, options);
        // XFRM has BEET mode; the script language does not (-m beet is refused).
        return "# setkey cannot write this SA (mode beet, which -m cannot say); the add below does not load\n" +
               sa_statement(*add, options);
    }
    model::AddSa bare;
    bare.key = model::delete_key(sa);
    bare.key.if_id = sa.if_id; // the delete key has the mark; the add names all of it
    bare.xfrm.output_mark = sa.xfrm.output_mark;
    return "# setkey cannot write this SA (" + why + "); the add below does not load\n" +
           sa_statement(bare, options);
}

model::SpdEntry policy_script_entry(const model::PolicyRecord& policy, ReqidSource reqids) {
    model::SpdEntry e = model::policy_entry(policy, model::SpdEntry::Kind::add);
    // Over PF_KEY a reqid above the manual range is one af_key picked for a bare
    // `unique` (it keeps no other): written as that, it is picked again on load. XFRM
    // keeps the numbers IKE daemons choose there, and the SAs' reqids must match them.
    if (reqids == ReqidSource::pfkey)
        for (model::IpsecRequest& r : e.policy.requests)
            if (r.level == model::Level::unique && r.reqid > model::kManualReqidMax) r.reqid = 0;
    return e;
}

std::string policy_unwritable(const model::PolicyRecord& policy, ReqidSource reqids) {
    const auto cannot = [](const std::string& what) {
        return "# setkey cannot write this policy (" + what + "); the spdadd below does not load\n";
    };
    for (const model::IpsecRequest& r : policy.requests) {
        if (!model::request_protocol_name(r.proto))
            return cannot("a template of IP protocol " + std::to_string(r.proto));
        if (r.mode == model::Mode::beet) return cannot("a template in BEET mode, which the policy language cannot say");
        if (reqids == ReqidSource::xfrm && r.level == model::Level::unique && r.reqid > model::kScriptReqidMax)
            return cannot("a template reqid above " + std::to_string(model::kScriptReqidMax) + ", which unique:N cannot say");
    }
    if (policy.xfrm.type != 0) return cannot("a sub policy, which spdadd cannot make");
    return "";
}

std::string policy_record_statement(const model::PolicyRecord& policy, ReqidSource reqids) {
    return policy_unwritable(policy, reqids) + policy_statement(policy_script_entry(policy, reqids));
}

namespace {
constexpr uint8_t kStateEsn = 0x80; // XFRM_STATE_ESN, which -f esn says

// What a script's add installs: a selector that takes every packet of the SA's family.
bool matches_all(const model::SaSelector& s) {
    return s.src_prefixlen == 0 && s.dst_prefixlen == 0 && s.src_port_mask == 0 && s.dst_port_mask == 0 &&
           s.proto == 0 && s.ifindex == 0 && s.user == 0;
}

std::string comment(const std::vector<std::string_view>& what) {
    if (what.empty()) return "";
    std::string s = "# not in the statement below (no script option says it): ";
    for (size_t i = 0; i < what.size(); ++i) {
        if (i) s += ", ";
        s += what[i];
    }
    return s + "\n";
}
} // namespace

std::string unscriptable_comment(const model::SaRecord& sa) {
    const model::SaAttrs& x = sa.xfrm;
    std::vector<std::string_view> what;
    if (!matches_all(x.selector)) what.push_back("its selector");
    if (x.flags & ~kStateEsn) what.push_back("state flags");
    // An add starts at 0: with the same keys, sequence numbers would be used again.
    if (x.replay && (x.replay->seq || x.replay->oseq || x.replay->seq_hi || x.replay->oseq_hi))
        what.push_back("its replay counters (an add starts them at 0)");
    if (x.extra_flags) what.push_back("extra flags");
    if (x.offload) what.push_back("hardware offload");
    if (x.srcaddr || x.coaddr) what.push_back("Mobile IPv6 addresses");
    if (x.tfcpad) what.push_back("TFC padding");
    if (x.mtimer_thresh) what.push_back("a mapping-change threshold");
    if (sa.natt_type != 0 && sa.satype != model::SaType::esp) what.push_back("NAT-T encapsulation (only esp-udp has it)");
    if (sa.natt_type == model::kNattNonIke) what.push_back("espinudp-nonike encapsulation (esp-udp says espinudp)");
    // The name says the table's ICV; Linux PF_KEY makes hmac-sha256 SAs with 96 bits,
    // an IKE daemon may pick others.
    for (const model::AlgorithmRef* a : {&sa.enc, &sa.auth})
        if (a->alg && a->icv_bits != 0 && a->icv_bits != a->alg->icv_bits) {
            what.push_back("an ICV length its algorithm's name does not say");
            break;
        }
    // -lh/-ls and -bh/-bs say seconds since add and bytes; an IKE daemon may also set
    // packet counts and seconds since first use.
    for (const std::optional<model::Lifetime>* l : {&sa.hard, &sa.soft})
        if (*l && ((*l)->packets || (*l)->use_time)) {
            what.push_back("packet or first-use lifetime limits");
            break;
        }
    if (!x.unknown.empty()) what.push_back("attributes setkey does not know");
    return comment(what);
}

std::string unscriptable_comment(const model::PolicyRecord& policy) {
    const model::PolicyAttrs& x = policy.xfrm;
    std::vector<std::string_view> what;
    if (x.flags) what.push_back("policy flags");
    if (x.share) what.push_back("its share");
    if (x.ifindex || x.user) what.push_back("a selector interface or user");
    if (x.src_port_mask || x.dst_port_mask) what.push_back("a selector port mask");
    if (!model::lifetime_limit(policy.hard).empty() || !model::lifetime_limit(policy.soft).empty())
        what.push_back("lifetime limits");
    if (!x.unknown.empty()) what.push_back("attributes setkey does not know");
    for (const model::IpsecRequest& r : policy.requests)
        if (r.spi || r.share) {
            what.push_back("a template's SPI or share");
            break;
        }
    // Only `unique:N` names a reqid; strongSwan gives its optional (use) IPComp
    // templates the reqid of their SA.
    for (const model::IpsecRequest& r : policy.requests)
        if (r.reqid != 0 && r.level != model::Level::unique) {
            what.push_back("a reqid on a template that is not unique");
            break;
        }
    return comment(what);
}

bool scriptable(const model::SaRecord& sa) {
    return sa.state == static_cast<uint8_t>(model::SaState::mature) ||
           sa.state == static_cast<uint8_t>(model::SaState::dying);
}

bool scriptable(const model::PolicyRecord& policy) { return policy.has_selector && !policy.per_socket(); }

} // namespace setkey::output
