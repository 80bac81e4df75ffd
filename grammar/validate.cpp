#include "grammar/validate.hpp"

#include <fmt/format.h>

#include "grammar/keywords.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/semantic_error.hpp"

namespace setkey::grammar {
namespace {

inline constexpr std::string_view kNoText = "";
constexpr auto& kActionList = list_message<kNoText, kActions, Joiner::last_or, kNoText>;

// The algorithm an add, update needs for its protocol, or nullptr.
const char* missing_algorithm(const model::AddSa& sa) {
    switch (sa.key.proto.type) {
    case model::SaType::esp: return sa.enc ? nullptr : "an ESP SA needs an encryption algorithm: -E ALGORITHM KEY";
    case model::SaType::ah: return sa.auth ? nullptr : "an AH SA needs an authentication algorithm: -A ALGORITHM KEY";
    case model::SaType::ipcomp: return sa.comp ? nullptr : "an IPComp SA needs a compression algorithm: -C ALGORITHM";
    default: return nullptr;
    }
}

// Not errors (the kernel takes them), but the soft expiry can then never fire.
void warn_unreachable_soft_limits(const SaDraft& d, ParseContext& ctx) {
    const model::AddSa& sa = d.sa;
    if (sa.soft.add_seconds && sa.hard.add_seconds && *sa.soft.add_seconds > *sa.hard.add_seconds)
        ctx.warn(d.hard_seconds_at, fmt::format("the soft lifetime ({} s) is longer than the hard one ({} s), so it never fires",
                                                *sa.soft.add_seconds, *sa.hard.add_seconds));
    if (sa.soft.bytes && sa.hard.bytes && *sa.soft.bytes > *sa.hard.bytes)
        ctx.warn(d.hard_bytes_at, fmt::format("the soft byte limit ({}) is larger than the hard one ({}), so it never fires",
                                              *sa.soft.bytes, *sa.hard.bytes));
}

void emit_sa_key(SaDraft& d, ParseContext& ctx) {
    model::SaKey key = d.sa.key;
    key.src = {d.ends.src.front(), d.ends.src_port};
    key.dst = {d.ends.dst.front(), d.ends.dst_port};
    if (d.mode_at && key.mode != model::Mode::any)
        ctx.warn(d.mode_at, "-m is obsolete for get and delete (the mode is still sent)");
    if (d.cmd == Cmd::get) ctx.emit(model::GetSa{key});
    else ctx.emit(model::DeleteSa{key});
}

// Every source x destination pair of the same family is its own SA, as in setkey.
void emit_sa_pairs(SaDraft& d, ParseContext& ctx) {
    model::AddSa& sa = d.sa;
    const Endpoints& e = d.ends;
    if (e.src.size() == 1 && e.dst.size() == 1 && e.src[0].family == e.dst[0].family) {
        sa.key.src = {e.src[0], e.src_port};
        sa.key.dst = {e.dst[0], e.dst_port};
        ctx.emit(std::move(sa)); // the common case: no copy of the keys
        return;
    }
    bool any_pair = false;
    for (const auto& s : e.src)
        for (const auto& t : e.dst) {
            if (s.family != t.family) continue;
            any_pair = true;
            model::AddSa add = sa;
            add.key.src = {s, e.src_port};
            add.key.dst = {t, e.dst_port};
            ctx.emit(std::move(add));
        }
    if (!any_pair) throw semantic_error("source and destination have no address family in common", e.dst_at);
}

} // namespace

void validate_sa(SaDraft&& d, ParseContext& ctx, const char* semicolon) {
    switch (d.cmd) {
    case Cmd::deleteall:
        ctx.emit(model::DeleteAllSa{d.ends.src.front(), d.ends.dst.front(), d.sa.key.proto, d.sa.key.mark});
        return;
    case Cmd::get:
    case Cmd::del: emit_sa_key(d, ctx); return;
    case Cmd::add:
    case Cmd::update:
        if (const char* what = missing_algorithm(d.sa)) throw semantic_error(what, semicolon);
        // The kernel refuses an ESN SA whose replay window is 0 (EINVAL).
        if (d.sa.esn && d.sa.replay == 0)
            throw semantic_error("-f esn needs a replay window: the kernel refuses extended sequence numbers "
                                 "without one; add -r N (e.g. -r 64)",
                                 d.esn_at);
        break;
    default: break; // getspi names no algorithm
    }
    warn_unreachable_soft_limits(d, ctx);
    d.sa.flags |= d.sa.key.proto.old ? model::kSaFlagOld : 0u;
    emit_sa_pairs(d, ctx);
}

void validate_spd(SpdDraft&& d, ParseContext& ctx, const char* semicolon) {
    if (!d.spd.policy.action && d.cmd != Cmd::spddelete)
        throw semantic_error(fmt::format("{} needs a policy action after the direction ({})",
                                         command_word(d.cmd), kActionList.data()),
                             semicolon);
    if (d.tag) {
        ctx.emit(model::SpdTagged{d.cmd == Cmd::spdupdate, std::move(*d.tag), d.spd.policy});
        return;
    }
    ctx.emit(std::move(d.spd));
}

void validate_request(const RequestDraft& d, ParseContext& ctx) {
    switch (d.cmd) {
    case Cmd::flush: ctx.emit(model::FlushSa{d.proto}); break;
    case Cmd::dump: ctx.emit(model::DumpSa{d.proto}); break;
    case Cmd::spdflush: ctx.emit(model::FlushSpd{}); break;
    case Cmd::spddump: ctx.emit(model::DumpSpd{}); break;
    default:
        ctx.emit(model::Exit{});
        throw stop_parsing{}; // setkey ignores whatever follows exit
    }
}

} // namespace setkey::grammar
