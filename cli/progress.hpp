// Progress of a -f/-c load on stderr: one overprinted line (\r + ESC[K), at most
// ten updates a second, only when stderr is a smart terminal; then a one-line summary
// (on a terminal, or everywhere with -v). Pipes and logs see nothing new unless asked.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>

namespace setkey::cli {

// isatty(2) and TERM is set and not "dumb".
bool stderr_is_smart_terminal();

class Progress {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    // `live`: draw the progress line; `summary`: print the summary at the end.
    Progress(std::ostream& err, bool live, bool summary, Clock clock = {});

    // After each statement: totals so far.
    void update(unsigned statements, unsigned failed);
    // Clears the live line and prints "setkey: applied N, failed M, rolled back K".
    void finish(unsigned statements, unsigned failed, unsigned rolled_back);

private:
    std::ostream& err_;
    bool live_, summary_;
    Clock clock_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

} // namespace setkey::cli
