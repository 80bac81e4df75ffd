// Progress of a -f/-c load on stderr: one overprinted line (\r + ESC[K), at most
// ten updates a second, only when stderr is a smart terminal; then a one-line summary
// (on a terminal, or everywhere with -v). Pipes and logs see nothing new unless asked.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string_view>

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
    // Clears the live line and prints "setkey: applied N, failed M, rolled back K", or
    // `own_summary` instead when the mode says what it did in its own terms (--sync).
    void finish(unsigned statements, unsigned failed, unsigned rolled_back, std::string_view own_summary = {});

    // The streams to write to during the load, for messages (refusals, warnings) and for
    // output (in-script dumps): the first write after a draw clears the live line, so
    // nothing runs on from it. Without a live line they are err and `out` themselves.
    std::ostream& messages() { return live_ ? messages_ : err_; }
    std::ostream& output(std::ostream& out);

private:
    // Unbuffered: clears the line, then forwards each write to `target` and flushes it,
    // so text and redraws reach the terminal in the order they were made.
    class ClearingBuf : public std::streambuf {
    public:
        ClearingBuf(Progress& p, std::streambuf* target) : p_(p), target_(target) {}

    protected:
        int_type overflow(int_type c) override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;
        int sync() override { return target_->pubsync(); }

    private:
        Progress& p_;
        std::streambuf* target_;
    };

    void clear_line();

    std::ostream& err_;
    bool live_, summary_;
    Clock clock_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
    ClearingBuf messages_buf_{*this, err_.rdbuf()};
    std::ostream messages_{&messages_buf_};
    std::optional<ClearingBuf> output_buf_;
    std::ostream output_{nullptr};
};

} // namespace setkey::cli
