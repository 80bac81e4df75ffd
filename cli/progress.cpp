#include "cli/progress.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace setkey::cli {

bool stderr_is_smart_terminal() {
    if (!isatty(STDERR_FILENO)) return false;
    const char* term = std::getenv("TERM");
    return term && *term && std::strcmp(term, "dumb") != 0;
}

Progress::Progress(std::ostream& err, bool live, bool summary, Clock clock)
    : err_(err), live_(live), summary_(summary), clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

void Progress::update(unsigned statements, unsigned failed) {
    if (!live_) return;
    const auto now = clock_();
    // Throttle: redrawing per statement would cost more than a fast load itself.
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    err_ << "\r\033[Ksetkey: " << statements << (statements == 1 ? " statement" : " statements");
    if (failed) err_ << ", " << failed << " failed";
    err_ << std::flush;
}

void Progress::clear_line() {
    if (drawn_) err_ << "\r\033[K";
    drawn_ = false;
}

void Progress::finish(unsigned statements, unsigned failed, unsigned rolled_back, std::string_view own_summary) {
    clear_line();
    if (summary_ && !own_summary.empty())
        err_ << own_summary;
    else if (summary_)
        err_ << "setkey: applied " << (statements >= failed ? statements - failed : 0)
             << ", failed " << failed << ", rolled back " << rolled_back << '\n';
    err_ << std::flush;
}

std::ostream& Progress::output(std::ostream& out) {
    if (!live_) return out;
    output_buf_.emplace(*this, out.rdbuf());
    output_.rdbuf(&*output_buf_);
    return output_;
}

Progress::ClearingBuf::int_type Progress::ClearingBuf::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    p_.clear_line();
    const int_type r = target_->sputc(traits_type::to_char_type(c));
    target_->pubsync();
    return r;
}

std::streamsize Progress::ClearingBuf::xsputn(const char* s, std::streamsize n) {
    p_.clear_line();
    const std::streamsize r = target_->sputn(s, n);
    target_->pubsync();
    return r;
}

} // namespace setkey::cli
