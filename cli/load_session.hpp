// What -f and -c share once statements are to be sent: the signal guard, the backend,
// the --atomic snapshot, the progress line, the printer and the executor, and how a
// load ends (interrupted, rolled back, or its summary). The modes only feed it
// statements.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/atomic.hpp"
#include "cli/executor.hpp"
#include "cli/interrupt.hpp"
#include "cli/modes.hpp"
#include "cli/progress.hpp"
#include "cli/record_printer.hpp"
#include "model/backend.hpp"

namespace setkey::cli {

// How one mode's load differs from the other's.
struct LoadKind {
    std::string source;         // names the statements in messages: FILE, or "-"
    bool live_line = true;      // may draw the progress line (-c: not when typed at a terminal)
    bool catch_signals = true;  // a signal stops the load between statements (interrupt.hpp)
    bool compat_line_prefix = true; // --compat-exit's "The result of line N: " (-c: no)
    bool batches = false;       // status-only requests go to the backend in windows (-f)
};

class LoadSession {
public:
    // Installs the signal guard (per `kind`) and sets up the progress line; nothing
    // is opened yet.
    LoadSession(const Options& options, Streams io, LoadKind kind);
    LoadSession(const LoadSession&) = delete;
    LoadSession& operator=(const LoadSession&) = delete;

    // Opens the backend, then, with --atomic, snapshots its tables. False after saying
    // why on stderr: the load ends with exit 2 and nothing applied.
    // Over PF_KEY, the snapshot and a rollback go through `snapshot_opener`'s backend
    // (XFRM, default snapshot_backend_opener()) when it opens; when it does not and the
    // tables hold what PF_KEY cannot re-create, --atomic is refused here.
    bool open(const BackendOpener& opener, const BackendOpener& snapshot_opener = {});

    // Where the load writes: output for in-script dumps, messages for refusals,
    // warnings and parse errors (both keep the progress line out of the way).
    std::ostream& out() { return out_; }
    std::ostream& messages() { return progress_.messages(); }

    // Runs one statement (unless a signal came) and updates the progress line. False
    // when the load stops: a signal, `exit`, or --atomic's first refusal.
    bool run(const model::Statement& statement);
    // Sends what is still queued, even after a signal, and ends the printer's output.
    void finish_sending();

    // Ends the load once finish_sending() ran: after a signal, its report (and
    // --atomic's rollback), 128 + the signal; with --atomic and a refusal or
    // `load_failed`, the rollback, 2; else the summary (`own_summary` when the mode
    // gives one) and nullopt (the mode decides).
    std::optional<int> conclude(bool load_failed, std::string_view own_summary = {});

    // The open backend, for what a mode reads before it sends (--sync's dumps).
    model::Backend& backend() { return *backend_; }

    unsigned statements() const { return statements_; }
    unsigned failures() const { return executor_ ? executor_->failures() : 0; }
    int exit_status() const { return executor_ ? executor_->exit_status() : 0; }

    // Executor windows on a backend that pipelines (model::Backend::pipelines).
    static constexpr size_t kBatchWindow = 256;

private:
    bool take_snapshot(const BackendOpener& snapshot_opener);

    const Options& options_;
    Streams io_;
    LoadKind kind_;
    std::optional<InterruptGuard> guard_;
    Progress progress_;
    std::ostream& out_;
    std::unique_ptr<model::Backend> backend_;
    std::unique_ptr<model::Backend> snapshot_backend_; // --atomic over PF_KEY: XFRM
    model::Backend& rollback_backend() { return snapshot_backend_ ? *snapshot_backend_ : *backend_; }
    Snapshot snapshot_;
    std::unique_ptr<RecordPrinter> printer_;
    std::optional<Executor> executor_;
    unsigned statements_ = 0;
};

} // namespace setkey::cli
