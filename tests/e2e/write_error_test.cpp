// The built binary with a stdout that cannot take its output: /dev/full, a closed
// descriptor, a pipe whose reader is gone while SIGPIPE is ignored (systemd's default).
// The modes that need no kernel must exit 4 and say `setkey: write error: <reason>`
// once; tests/kernel/write-error/host.sh does the same for dumps and -x.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "run_setkey.hpp"
#include "stored_dump.hpp"

namespace setkey::e2e {
namespace {

namespace fs = std::filesystem;

enum class Sink { dev_full, closed, broken_pipe };

const char* name(Sink s) {
    return s == Sink::dev_full ? "/dev/full" : s == Sink::closed ? "closed stdout" : "broken pipe";
}

// Runs setkey with stdout set up as `sink`, stderr captured.
Outcome run_into(Sink sink, const std::vector<std::string>& args) {
    const fs::path err = fs::temp_directory_path() / ("setkey-we-" + std::to_string(::getpid()));
    int pipe_fds[2] = {-1, -1};
    if (sink == Sink::broken_pipe) {
        if (::pipe(pipe_fds) != 0) return {};
        ::close(pipe_fds[0]); // the reader is gone before setkey writes
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        if (!std::freopen(err.c_str(), "w", stderr)) ::_exit(127);
        switch (sink) {
        case Sink::dev_full:
            if (!std::freopen("/dev/full", "w", stdout)) ::_exit(127);
            break;
        case Sink::closed:
            ::close(STDOUT_FILENO);
            break;
        case Sink::broken_pipe:
            ::dup2(pipe_fds[1], STDOUT_FILENO);
            ::close(pipe_fds[1]);
            std::signal(SIGPIPE, SIG_IGN); // an ignored signal stays ignored across exec
            break;
        }
        std::vector<char*> argv{const_cast<char*>(SETKEY_BINARY)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const char* env[] = {"TZ=UTC", "LC_ALL=C", nullptr};
        ::execve(SETKEY_BINARY, argv.data(), const_cast<char**>(env));
        ::_exit(127);
    }
    if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
    int wstatus = 0;
    ::waitpid(child, &wstatus, 0);
    Outcome o;
    o.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    o.err = slurp(err);
    fs::remove(err);
    return o;
}

const char* reason(Sink s) {
    return s == Sink::dev_full ? "No space left on device"
           : s == Sink::closed ? "Bad file descriptor"
                               : "Broken pipe";
}

void expect_write_error(const std::vector<std::string>& args) {
    for (Sink sink : {Sink::dev_full, Sink::closed, Sink::broken_pipe}) {
        const Outcome o = run_into(sink, args);
        EXPECT_EQ(o.status, 4) << args[0] << " into " << name(sink) << ": " << o.err;
        EXPECT_EQ(o.err, std::string("setkey: write error: ") + reason(sink) + "\n")
            << args[0] << " into " << name(sink);
    }
}

TEST(WriteError, VersionAndHelp) {
    expect_write_error({"-V"});
    expect_write_error({"--help"});
}

TEST(WriteError, StoredMessagesPrintedFromAFileOperand) {
    const fs::path file = fs::temp_directory_path() / (std::to_string(::getpid()) + "-we.bin");
    std::ofstream(file, std::ios::binary) << stored_dump_reply();
    expect_write_error({file.string()});
    fs::remove(file);
}

// Nothing to print is no error, whatever stdout is.
TEST(WriteError, NothingWrittenIsNoError) {
    for (Sink sink : {Sink::dev_full, Sink::closed, Sink::broken_pipe}) {
        const Outcome o = run_into(sink, {"-n", "-f", SETKEY_SOURCE_DIR "/examples/racoon-tunnel.conf"});
        EXPECT_EQ(o.status, 0) << name(sink) << ": " << o.err;
        EXPECT_EQ(o.err, "") << name(sink);
    }
}

// A usage error keeps its status 1 and its message; it writes nothing to stdout.
TEST(WriteError, UsageErrorsKeepTheirStatus) {
    const Outcome o = run_into(Sink::dev_full, {"--no-such-flag"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err.find("write error"), std::string::npos) << o.err;
}

} // namespace
} // namespace setkey::e2e
