#include "cli/load_session.hpp"

#include <iostream>

#include "cli/printers.hpp"

namespace setkey::cli {
namespace {

// The terminal test is about fd 2, so it only applies when writing to it.
bool smart_stderr(const Streams& io) { return &io.err == &std::cerr && stderr_is_smart_terminal(); }

} // namespace

LoadSession::LoadSession(const Options& options, Streams io, LoadKind kind)
    : options_(options), io_(io), kind_(std::move(kind)),
      progress_(io.err, kind_.live_line && smart_stderr(io), smart_stderr(io) || options.verbose),
      out_(progress_.output(io.out)) {
    if (kind_.catch_signals) guard_.emplace();
}

bool LoadSession::take_snapshot(const BackendOpener& snapshot_opener) {
    std::string error;
    const bool over_pfkey = backend_->name() == "pfkey";
    if (over_pfkey) {
        // PF_KEY's dumps lack marks, ICV lengths, ... and it cannot add AEAD SAs:
        // XFRM sees and restores the same tables without loss.
        std::string ignored;
        snapshot_backend_ = (snapshot_opener ? snapshot_opener : snapshot_backend_opener())(ignored);
    }
    if (!snapshot_.take(rollback_backend(), error)) {
        io_.err << "setkey: --atomic: " << error << "; nothing applied\n";
        return false;
    }
    if (over_pfkey && !snapshot_backend_) {
        if (auto entry = pfkey_cannot_restore(snapshot_)) {
            io_.err << "setkey: --atomic: PF_KEY cannot restore " << *entry
                    << " and XFRM (xfrm_user) is not available; nothing applied\n";
            return false;
        }
    }
    return true;
}

bool LoadSession::open(const BackendOpener& opener, const BackendOpener& snapshot_opener) {
    std::string error;
    backend_ = opener(error);
    if (!backend_) {
        io_.err << "setkey: " << error << '\n';
        return false;
    }
    if (options_.atomic && !take_snapshot(snapshot_opener)) return false;
    printer_ = make_printer({options_.output, options_.ports, options_.show_keys, backend_->name(), options_.fwd_companion},
                            out_);
    const bool batches = kind_.batches && backend_->pipelines();
    executor_.emplace(*backend_, *printer_,
                      ExecutorSettings{.fwd_companion = options_.fwd_companion,
                                       .show_dead = options_.all,
                                       .compat_exit = options_.compat_exit,
                                       .compat_line_prefix = kind_.compat_line_prefix,
                                       .stop_on_failure = options_.atomic,
                                       .batch_window = batches ? kBatchWindow : 1},
                      out_, progress_.messages());
    return true;
}

bool LoadSession::run(const model::Statement& statement) {
    if (InterruptGuard::signal_received()) return false;
    const bool go_on = executor_->run(statement, kind_.source) == Executor::Next::go_on;
    progress_.update(++statements_, executor_->failures());
    return go_on;
}

void LoadSession::finish_sending() {
    executor_->finish();
    printer_->finish();
}

std::optional<int> LoadSession::conclude(bool load_failed, std::string_view own_summary) {
    if (const int sig = InterruptGuard::signal_received())
        return report_interrupt(sig, kind_.source, options_.atomic, statements_, failures(),
                                progress_, snapshot_, rollback_backend());
    if (options_.atomic && (failures() > 0 || load_failed)) {
        roll_back_load(snapshot_, rollback_backend(), progress_, statements_, failures());
        return 2;
    }
    progress_.finish(statements_, failures(), 0, own_summary);
    return std::nullopt;
}

} // namespace setkey::cli
