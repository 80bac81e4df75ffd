#include "grammar/parse_state.hpp"

#include "grammar/semantic_error.hpp"
#include "grammar/validate.hpp"

namespace setkey::grammar {

ParseContext::ParseContext(std::string_view text, const ParseOptions& options, const StatementSink* sink,
                           ParseResult& result)
    : lines_(text, options.first_line, options.first_line_prefix), text_end_(text.data() + text.size()),
      options_(options), sink_(sink), result_(result) {}

void ParseContext::warn(const char* at, std::string message) {
    Diagnostic d;
    d.file = options_.filename;
    lines_.place(d, at);
    d.message = shown_message(std::move(message));
    d.warning = true;
    result_.warnings.push_back(std::move(d));
}

void ParseContext::xfrm_only(const char* at, std::string message) {
    switch (options_.kernel) {
    case KernelInterface::xfrm: return;
    case KernelInterface::pfkey: throw semantic_error(message, at);
    case KernelInterface::unknown: break;
    }
    if (result_.pfkey_error) return;
    Diagnostic d;
    d.file = options_.filename;
    lines_.place(d, at);
    d.message = std::move(message);
    result_.pfkey_error = std::move(d);
}

void ParseContext::frame(const char* begin, const char* semicolon) {
    // In text order, so the line index only ever scans forward.
    auto b = lines_.at(begin);
    begin_pos_ = {b.line, b.column};
    end_line_ = lines_.at(semicolon).line;
}

void ParseContext::send(model::Statement&& st) {
    if (sink_) {
        if (!(*sink_)(std::move(st))) throw stop_parsing{};
    } else {
        result_.statements.push_back(std::move(st));
    }
}

void ParseState::start(Cmd cmd, const char* at) {
    // The new draft takes over the address lists' memory (emptied): large scripts then
    // allocate no address list per statement.
    std::vector<model::IpAddress> src, dst;
    if (Endpoints* old = endpoints_if()) src = std::move(old->src), dst = std::move(old->dst);
    start_draft(draft, cmd);
    if (Endpoints* fresh = endpoints_if()) {
        src.clear();
        dst.clear();
        fresh->src = std::move(src);
        fresh->dst = std::move(dst);
    }
    begin = at;
}

void ParseState::finish(const char* semicolon) {
    ctx.frame(begin, semicolon);
    if (auto* sa = std::get_if<SaDraft>(&draft)) validate_sa(std::move(*sa), ctx, semicolon);
    else if (auto* spd = std::get_if<SpdDraft>(&draft)) validate_spd(std::move(*spd), ctx, semicolon);
    else validate_request(request(), ctx);
}

} // namespace setkey::grammar
