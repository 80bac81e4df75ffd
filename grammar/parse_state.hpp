// The parser's state: the context every check may need (options, warnings, where
// statements go) and the draft of the statement being read.
#pragma once

#include <string>
#include <variant>

#include "grammar/drafts.hpp"
#include "grammar/line_index.hpp"
#include "grammar/parse.hpp"

namespace setkey::grammar {

class ParseContext {
public:
    ParseContext(std::string_view text, const ParseOptions& options, const StatementSink* sink, ParseResult& result);

    const ParseOptions& options() const { return options_; }
    const char* text_end() const { return text_end_; }
    void warn(const char* at, std::string message);
    // Something only XFRM can say, at `at`: an error when the statements go to PF_KEY;
    // while the interface is unknown, the first one is kept (ParseResult::pfkey_error).
    void xfrm_only(const char* at, std::string message);

    // Statement frame: the first token and the ';', then the commands it produces.
    void frame(const char* begin, const char* semicolon);
    // Throws stop_parsing when the sink asks to stop. The command is made where the
    // statement holds it: an AddSa is moved once on its way to the sink, not twice.
    template <class C> void emit(C&& command) {
        send(model::Statement{model::Command(std::forward<C>(command)), begin_pos_, end_line_});
    }

private:
    void send(model::Statement&& statement);

    LineIndex lines_;
    const char* text_end_;
    const ParseOptions& options_;
    const StatementSink* sink_;
    ParseResult& result_;
    model::SourcePos begin_pos_;
    unsigned end_line_ = 0;
};

struct ParseState {
    ParseState(std::string_view text, const ParseOptions& options, const StatementSink* sink, ParseResult& result)
        : ctx(text, options, sink, result) {}

    ParseContext ctx;
    Draft draft;
    const char* begin = nullptr;

    void start(Cmd cmd, const char* at);
    void finish(const char* semicolon); // the family's validator, then emit

    SaDraft& sa() { return std::get<SaDraft>(draft); }
    SpdDraft& spd() { return std::get<SpdDraft>(draft); }
    RequestDraft& request() { return std::get<RequestDraft>(draft); }
    Endpoints& endpoints() { return sa_if() ? sa_if()->ends : spd().ends; }
    Endpoints* endpoints_if() {
        if (SaDraft* sa = sa_if()) return &sa->ends;
        SpdDraft* spd = std::get_if<SpdDraft>(&draft);
        return spd ? &spd->ends : nullptr;
    }
    SaDraft* sa_if() { return std::get_if<SaDraft>(&draft); }
    // -ctx belongs to an SA or to a policy selector.
    std::optional<model::SecurityContext>& security_context() { return sa_if() ? sa_if()->sa.ctx : spd().spd.ctx; }
    // -mark and -if_id belong to an SA (its key) or to a policy.
    std::optional<model::Mark>& mark() { return sa_if() ? sa_if()->sa.key.mark : spd().spd.xfrm.mark; }
    uint32_t& if_id() { return sa_if() ? sa_if()->sa.key.if_id : spd().spd.xfrm.if_id; }
};

} // namespace setkey::grammar
