// Runs parsed statements against a kernel backend. The Linux setkey rules that sit
// above the kernel interface live here so both backends share them: the fwd
// companion of every `in` policy (RFC mode), `deleteall` as dump + filter + delete,
// error reporting and the exit status.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/record_printer.hpp"
#include "model/backend.hpp"
#include "model/command.hpp"

namespace setkey::cli {

struct ExecutorSettings {
    bool fwd_companion = true; // -r (default); -k turns it off
    bool show_dead = false;    // -a: print dead SAs in dumps
    bool compat_exit = false;  // --compat-exit: 0.8.2's "The result of line N: ..." and exit 0
    // 0.8.2 leaves out "The result of line N: " outside scripts (-c, -D, -F).
    bool compat_line_prefix = true;
    bool stop_on_failure = false; // --atomic: nothing after the first refusal is sent
    // Status-only requests (model::is_batchable) handed to Backend::apply_batch at once:
    // -f loads on a backend that pipelines queue up to 256 (memory stays independent
    // of the script's size); 1 sends each as it comes.
    size_t batch_window = 1;
};

class Executor {
public:
    Executor(model::Backend& backend, RecordPrinter& printer, ExecutorSettings settings,
             std::ostream& out, std::ostream& err);

    enum class Next { go_on, stop };
    // Runs one statement; `file` names its script in messages ("" for -D/-F). Kernel
    // refusals are reported and counted; they stop the run only with stop_on_failure.
    // `exit` returns stop. Status-only requests are queued up to batch_window; any
    // other statement, and finish(), sends the queue first, so requests still reach
    // the kernel in script order.
    Next run(const model::Statement& statement, std::string_view file);
    // Sends what is still queued and reports its results.
    void finish();

    unsigned failures() const { return failures_; }
    // 0, or 2 when the kernel refused something (always 0 with compat_exit).
    int exit_status() const;

private:
    struct Queued {
        std::string file;
        unsigned end_line;
        std::string name; // command name for the message ("spdadd (fwd copy)")
    };
    void enqueue(const model::Statement& statement, std::string_view file);

    struct Context {
        const model::Command& command;
        unsigned end_line;
        std::string_view file;
    };
    void check(const Context& ctx, std::string_view command, const model::OpResult& result);
    void delete_all(const Context& ctx, const model::DeleteAllSa& cmd);
    void dump_sa(const Context& ctx, const model::DumpSa& cmd);
    void dump_policies(const Context& ctx);
    void say_empty(const Context& ctx, std::string_view text);

    model::Backend& backend_;
    RecordPrinter& printer_;
    ExecutorSettings settings_;
    std::ostream& out_;
    std::ostream& err_;
    unsigned failures_ = 0;
    std::vector<model::Command> queue_;
    std::vector<Queued> queued_;
};

// Why a request failed, in our words ("no such SA" for ESRCH/ENOENT on get/delete).
std::string failure_reason(const model::Command& command, const model::OpResult& result);
// The same in ipsec-tools 0.8.2's words (strerror, "No entry", "No SAD entries", ...).
std::string compat_failure_reason(const model::Command& command, const model::OpResult& result);

} // namespace setkey::cli
