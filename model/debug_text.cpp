#include "model/debug_text.hpp"

#include <fmt/format.h>

namespace setkey::model {
namespace {

template<class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template<class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

std::string hex(const std::vector<uint8_t>& bytes) {
    std::string s;
    for (uint8_t b : bytes) s += fmt::format("{:02x}", b);
    return s;
}

std::string endpoint(const Endpoint& e) {
    std::string s = e.addr.to_string();
    if (e.port) s += fmt::format("[{}]", *e.port);
    return s;
}

std::string protocol(const SaProtocol& p) {
    std::string s(satype_name(p.type));
    if (p.old) s += "-old";
    if (p.udp_encap) s += "-udp";
    if (p.natt_oa) s += " oa=" + p.natt_oa->to_string();
    return s;
}

std::string lifetime(const LifetimeLimit& l) {
    return fmt::format("{}s/{}B", l.add_seconds ? std::to_string(*l.add_seconds) : "-",
                       l.bytes ? std::to_string(*l.bytes) : "-");
}

std::string ctx(const std::optional<SecurityContext>& c) {
    return c ? fmt::format(" ctx={}/{}/\"{}\"", c->doi, c->alg, c->context) : "";
}

std::string sa_key(const SaKey& k) {
    return fmt::format("src={} dst={} proto={} spi={:#x} mode={} reqid={}", endpoint(k.src), endpoint(k.dst),
                       protocol(k.proto), k.spi, mode_name(k.mode), k.reqid);
}

std::string selector(const Selector& s) {
    return fmt::format("{}/{}[{}]", s.addr.to_string(), s.prefixlen, s.port);
}

std::string policy(const Policy& p) {
    std::string s = fmt::format("dir={} prio={:#010x}", direction_name(p.dir), p.priority);
    if (p.action) s += fmt::format(" action={}", action_name(*p.action));
    for (const auto& r : p.requests) {
        std::string_view proto = r.proto == kProtoEsp ? "esp" : r.proto == kProtoAh ? "ah" : "ipcomp";
        s += fmt::format(" {}/{}/", proto, mode_name(r.mode));
        if (r.src) s += endpoint(*r.src);
        if (r.src || r.dst) s += "-";
        if (r.dst) s += endpoint(*r.dst);
        s += fmt::format("/{}", level_name(r.level));
        if (r.reqid) s += fmt::format(":{}", r.reqid);
    }
    return s;
}

} // namespace

std::string debug_text(const Command& command) {
    return std::visit(
        overloaded{
            [](const AddSa& a) {
                std::string s = fmt::format("{} {} replay={} flags={:#x} hard={} soft={}", command_name(Command{a}),
                                            sa_key(a.key), a.replay, a.flags, lifetime(a.hard), lifetime(a.soft));
                s += ctx(a.ctx);
                if (a.enc) s += fmt::format(" E={}:{}", a.enc->alg->name, hex(a.enc->key));
                if (a.auth) s += fmt::format(" A={}:{}", a.auth->alg->name, hex(a.auth->key));
                if (a.comp) s += fmt::format(" C={}", a.comp->name);
                if (a.esp_frag) s += fmt::format(" esp_frag={}", *a.esp_frag);
                return s;
            },
            [](const GetSa& g) { return "get " + sa_key(g.key); },
            [](const DeleteSa& d) { return "delete " + sa_key(d.key); },
            [](const DeleteAllSa& d) {
                return fmt::format("deleteall src={} dst={} proto={}", d.src.to_string(), d.dst.to_string(),
                                   protocol(d.proto));
            },
            [](const FlushSa& f) { return fmt::format("flush {}", f.type ? satype_name(*f.type) : "all"); },
            [](const DumpSa& d) { return fmt::format("dump {}", d.type ? satype_name(*d.type) : "all"); },
            [](const SpdEntry& e) {
                std::string s = fmt::format("{} src={} dst={} upper={}{}", command_name(Command{e}), selector(e.src),
                                            selector(e.dst), e.upper, e.has_misc ? " misc" : "");
                return s + ctx(e.ctx) + " " + policy(e.policy);
            },
            [](const SpdTagged& t) {
                return fmt::format("{} tagged=\"{}\" {}", t.update ? "spdupdate" : "spdadd", t.tag, policy(t.policy));
            },
            [](const FlushSpd&) { return std::string("spdflush"); },
            [](const DumpSpd&) { return std::string("spddump"); },
            [](const Exit&) { return std::string("exit"); },
        },
        command);
}

std::string debug_text(const Statement& statement) {
    return fmt::format("L{}:{}-{} {}", statement.begin.line, statement.begin.column, statement.end_line,
                       debug_text(statement.command));
}

} // namespace setkey::model
