// Builds model::Statements from the tokens the grammar's actions hand over, and runs
// the semantic checks (ranges, key lengths, algorithm/protocol combinations, address
// families). A check that fails throws semantic_error pointing at the offending token.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "grammar/line_index.hpp"
#include "grammar/parse.hpp"
#include "model/command.hpp"

namespace setkey::grammar {

enum class Cmd : uint8_t {
    add, update, getspi, get, del, deleteall, flush, dump,
    spdadd, spdupdate, spddelete, spdflush, spddump, exit
};
enum class Side : uint8_t { src, dst };

class Builder {
public:
    Builder(std::string_view text, const ParseOptions& options, const StatementSink* sink,
            ParseResult& result);

    // Statement frame.
    void begin(Cmd cmd, const char* at);
    void finish(const char* semicolon); // validates, then emits (or throws stop_parsing)

    // Addresses, ports, prefixes.
    void address_flags(std::string_view token);
    void host(Side side, std::string_view token);
    void port_any(Side side);
    void port_number(Side side, std::string_view digits);
    void port_service(Side side, std::string_view name);
    void prefix(Side side, std::string_view digits);

    // SA identity.
    void protocol(model::SaType type, bool old, bool udp, const char* at);
    void unknown_protocol(std::string_view word);
    void natt_oa(std::string_view token);
    void spi(std::string_view token, bool hex);

    // SA extensions.
    void mode(model::Mode m, const char* at);
    void unknown_mode(std::string_view word);
    void reqid(std::string_view digits);
    void replay(std::string_view digits);
    void pad_flag(uint32_t set, uint32_t clear);
    void esn(const char* at);
    void unknown_flag(std::string_view word);
    void lifetime(bool hard, bool bytes, std::string_view digits);
    void ctx_doi(std::string_view digits);
    void ctx_alg(std::string_view digits);
    void ctx_string(std::string_view quoted);
    void esp_frag(std::string_view digits);

    // Algorithms and keys.
    void algorithm(model::AlgKind kind, std::string_view name);
    void key(model::AlgKind kind, std::vector<uint8_t> bytes, const char* at);
    void key_missing(model::AlgKind kind, const char* at);
    void raw_cpi();

    // Selectors.
    void upper_any();
    void upper_number(std::string_view digits);
    void upper_name(std::string_view name);
    void upper_misc(std::string_view token);
    void tag(std::string_view quoted);

    // Policy.
    void direction(model::Direction d);
    void unknown_direction(std::string_view word);
    void priority_base(uint32_t base);
    // `earlier`: BASE + N (lower value); else BASE - N.
    void priority_offset(uint32_t base, bool earlier, std::string_view digits);
    // "prio N" (later = false) and "prio -N": 0.8.2's wider, 32-bit signed range.
    void priority_plain(bool later, std::string_view digits);
    uint32_t current_priority() const { return spd_.policy.priority; }
    void action(model::Action a);
    void unknown_action(std::string_view word);
    void request_begin(uint8_t proto, const char* at);
    void request_mode(model::Mode m);
    void unknown_request_mode(std::string_view word);
    void request_endpoint(Side side, std::string_view token);
    void request_port(Side side, std::string_view digits);
    void request_me_any(bool me_any, const char* at);
    void request_level(model::Level level);
    void request_reqid(std::string_view digits);
    void unknown_level(std::string_view word);
    void request_end();

    void unknown_command(std::string_view word);

private:
    bool is_sa_command() const;
    void warn(const char* at, std::string message);
    // A `%scope` the kernel cannot keep in `where` ("a policy selector"): warn at the word.
    void warn_dropped_scope(std::string_view token, std::string_view where);
    // TYPE,CODE 0,0 after icmp, icmp6 or mh: the kernel reads it as "any".
    static std::string any_message_warning(uint8_t upper);
    void emit(model::Command&& command);
    void finish_sa(const char* semicolon);
    void finish_spd(const char* semicolon);
    std::optional<uint16_t>& port_slot(Side side) { return side == Side::src ? src_port_ : dst_port_; }

    LineIndex lines_;
    const char* text_end_;
    const ParseOptions& options_;
    const StatementSink* sink_;
    ParseResult& result_;

    // Current statement.
    Cmd cmd_ = Cmd::exit;
    const char* begin_ = nullptr;
    model::SourcePos begin_pos_;
    unsigned end_line_ = 0;
    std::optional<model::Family> family_;
    bool numeric_only_ = false;
    std::vector<model::IpAddress> src_addrs_, dst_addrs_;
    const char* dst_at_ = nullptr;
    std::optional<uint16_t> src_port_, dst_port_;
    std::optional<uint8_t> src_prefix_, dst_prefix_;
    model::SaProtocol proto_;
    std::optional<model::SaType> proto_type_;
    model::AddSa sa_;
    const char* mode_at_ = nullptr;
    const char* hard_seconds_at_ = nullptr;
    const char* hard_bytes_at_ = nullptr;
    const model::Algorithm* pending_alg_ = nullptr;
    std::string_view pending_alg_spelling_; // as written (rijndael-cbc, not aes-cbc)
    model::SpdEntry spd_;
    std::string tag_;
    bool tagged_ = false;
    model::IpsecRequest req_;
    const char* req_at_ = nullptr;
};

} // namespace setkey::grammar
