#include "cli/executor.hpp"

#include <cerrno>
#include <cstring>
#include <type_traits>
#include <vector>

#include "model/linux_rules.hpp"
#include "model/record_commands.hpp"

namespace setkey::cli {
namespace {

template <class T>
bool holds(const model::Command& c) {
    return std::holds_alternative<T>(c);
}

bool is_sa_lookup(const model::Command& c) {
    return holds<model::GetSa>(c) || holds<model::DeleteSa>(c) || holds<model::DeleteAllSa>(c);
}

bool is_policy_change(const model::Command& c) {
    return holds<model::SpdEntry>(c) || holds<model::SpdTagged>(c);
}

} // namespace

std::string failure_reason(const model::Command& command, const model::OpResult& result) {
    std::string reason;
    // Linux answers ESRCH (0.8.2 printed "No such process") where BSD answers ENOENT.
    if ((result.error == ESRCH || result.error == ENOENT) && is_sa_lookup(command))
        reason = "no such SA";
    else if ((result.error == ESRCH || result.error == ENOENT) && is_policy_change(command))
        reason = "no such policy";
    else if (result.error == EEXIST && holds<model::AddSa>(command))
        reason = "SA already exists";
    else if (result.error == EEXIST && is_policy_change(command))
        reason = "policy already exists";
    else
        reason = std::strerror(result.error);
    if (!result.detail.empty()) reason += " (" + result.detail + ")";
    return reason;
}

std::string compat_failure_reason(const model::Command& command, const model::OpResult& result) {
    if (result.error == ENOENT) {
        if (holds<model::DumpSa>(command)) return "No SAD entries";
        if (holds<model::DumpSpd>(command)) return "No SPD entries";
        return "No entry";
    }
    return std::strerror(result.error);
}

Executor::Executor(model::Backend& backend, RecordPrinter& printer, ExecutorSettings settings,
                   std::ostream& out, std::ostream& err)
    : backend_(backend), printer_(printer), settings_(settings), out_(out), err_(err) {}

int Executor::exit_status() const { return failures_ > 0 && !settings_.compat_exit ? 2 : 0; }

void Executor::enqueue(const model::Statement& statement, std::string_view file) {
    const model::Command& c = statement.command;
    const std::string name(model::command_name(c));
    queue_.push_back(c);
    queued_.push_back({std::string(file), statement.end_line, name});
    if (const auto* entry = std::get_if<model::SpdEntry>(&c); entry && settings_.fwd_companion) {
        if (auto fwd = model::fwd_companion(*entry)) {
            queue_.push_back(std::move(*fwd));
            queued_.push_back({std::string(file), statement.end_line, name + " (fwd copy)"});
        }
    }
    if (queue_.size() >= settings_.batch_window) finish();
}

void Executor::finish() {
    if (queue_.empty()) return;
    backend_.apply_batch(queue_, [&](size_t i, const model::OpResult& result) {
        check({queue_[i], queued_[i].end_line, queued_[i].file}, queued_[i].name, result);
    });
    queue_.clear();
    queued_.clear();
}

Executor::Next Executor::run(const model::Statement& statement, std::string_view file) {
    // With stop_on_failure, a refusal found in a drained window stops the run too.
    const auto failed = [&] { return settings_.stop_on_failure && failures_ > 0; };
    if (model::is_batchable(statement.command)) {
        enqueue(statement, file);
        return failed() ? Next::stop : Next::go_on;
    }
    finish(); // keep script order: queued requests go before this one
    if (failed()) return Next::stop;
    const Context ctx{statement.command, statement.end_line, file};
    const std::string_view name = model::command_name(statement.command);
    const Next next = std::visit(
        [&](const auto& cmd) -> Next {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, model::GetSa>) {
                check(ctx, name,
                      backend_.get_sa(cmd.key, [&](const model::SaRecord& r) { printer_.sa(r); }));
            } else if constexpr (std::is_same_v<T, model::DeleteAllSa>) {
                delete_all(ctx, cmd);
            } else if constexpr (std::is_same_v<T, model::DumpSa>) {
                dump_sa(ctx, cmd);
            } else if constexpr (std::is_same_v<T, model::SpdTagged>) {
                // PF tags exist only on BSD kernels; neither Linux interface carries them.
                check(ctx, name, model::OpResult{EOPNOTSUPP, "tagged policies need a BSD kernel"});
            } else if constexpr (std::is_same_v<T, model::DumpSpd>) {
                dump_policies(ctx);
            } else if constexpr (std::is_same_v<T, model::Exit>) {
                return Next::stop;
            }
            // The batchable commands went through enqueue() above.
            return Next::go_on;
        },
        statement.command);
    return failed() ? Next::stop : next;
}

void Executor::delete_all(const Context& ctx, const model::DeleteAllSa& cmd) {
    // Linux wants an SPI in every delete, so collect the SAs between exactly these two
    // addresses first and delete them one by one.
    std::vector<model::SaKey> victims;
    const model::OpResult dumped =
        backend_.dump_sa(cmd.proto.type, [&](const model::SaRecord& r) {
            if (model::deleteall_takes(cmd, r)) victims.push_back(model::delete_key(r));
        });
    if (!dumped.ok()) {
        check(ctx, "deleteall", dumped);
        return;
    }
    for (const model::SaKey& key : victims) check(ctx, "deleteall", backend_.delete_sa(key));
}

void Executor::dump_sa(const Context& ctx, const model::DumpSa& cmd) {
    unsigned shown = 0;
    printer_.dump_starts(false);
    const model::OpResult result = backend_.dump_sa(cmd.type, [&](const model::SaRecord& r) {
        if (r.state == static_cast<uint8_t>(model::SaState::dead) && !settings_.show_dead) return;
        printer_.sa(r);
        ++shown;
    });
    check(ctx, "dump", result);
    if (result.ok()) printer_.dumped(false);
    if (result.ok() && shown == 0) say_empty(ctx, "No SAD entries");
}

void Executor::dump_policies(const Context& ctx) {
    unsigned shown = 0;
    printer_.dump_starts(true);
    const model::OpResult result = backend_.dump_policies([&](const model::PolicyRecord& r) {
        printer_.policy(r);
        ++shown;
    });
    check(ctx, "spddump", result);
    if (result.ok()) printer_.dumped(true);
    if (result.ok() && shown == 0) say_empty(ctx, "No SPD entries");
}

void Executor::say_empty(const Context& ctx, std::string_view text) {
    if (!printer_.reports_empty_dumps()) return;
    if (settings_.compat_exit && settings_.compat_line_prefix && ctx.end_line > 0)
        out_ << "The result of line " << ctx.end_line << ": ";
    out_ << text << ".\n";
}

void Executor::check(const Context& ctx, std::string_view command, const model::OpResult& result) {
    if (result.ok()) return;
    ++failures_;
    const model::Command& cmd = ctx.command;
    if (settings_.compat_exit) {
        if (settings_.compat_line_prefix)
            out_ << "The result of line " << ctx.end_line << ": ";
        out_ << compat_failure_reason(cmd, result) << ".\n";
        return;
    }
    err_ << "setkey: ";
    if (!ctx.file.empty()) err_ << ctx.file << ':' << ctx.end_line << ": ";
    err_ << command << " failed: " << failure_reason(cmd, result) << '\n';
}

} // namespace setkey::cli
