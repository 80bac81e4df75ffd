// The checked stdout: a failed write or flush keeps its errno (ENOSPC on a full disk,
// EPIPE from a reader gone while SIGPIPE is ignored, EBADF on a closed descriptor), no
// write is tried after it, the run says so once and exits 4, and closed standard
// descriptors are held so no socket can take their place.
#include "cli/checked_output.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <sstream>
#include <string>

namespace setkey {
namespace {

// More than any stdio buffer, so the writes themselves reach the file.
const std::string kBig(256 * 1024, 'x');

TEST(CheckedOutput, AFullDeviceIsEnospcFromTheFirstFlush) {
    std::FILE* full = std::fopen("/dev/full", "w");
    ASSERT_NE(full, nullptr);
    cli::CheckedOutput out(full);
    out.stream() << "No SAD entries.\n";
    EXPECT_TRUE(out.stream().good()) << "still in stdio's buffer";
    out.stream().flush();
    EXPECT_TRUE(out.stream().bad());
    EXPECT_EQ(out.error(), ENOSPC);
    EXPECT_EQ(out.close(), ENOSPC);
    std::fclose(full);
}

TEST(CheckedOutput, EveryStreamOverItFailsAfterTheFirstFailure) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ::close(fds[0]); // nobody reads
    const auto old = std::signal(SIGPIPE, SIG_IGN);
    std::FILE* pipe = ::fdopen(fds[1], "w");
    cli::CheckedOutput out(pipe);
    out.stream() << kBig;
    EXPECT_EQ(out.error(), EPIPE);
    // A stream over the same buffer that does not know of the failure (as the progress
    // line's stream in -f): its writes are refused without a system call.
    std::ostream other(out.stream().rdbuf());
    other << kBig << std::flush;
    EXPECT_TRUE(other.bad());
    EXPECT_EQ(out.close(), EPIPE);
    std::signal(SIGPIPE, old);
    std::fclose(pipe);
}

TEST(CheckedOutput, AClosedDescriptorIsEbadf) {
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    cli::CheckedOutput out(file);
    ::close(fileno(file));
    out.stream() << "x" << std::flush;
    EXPECT_EQ(out.error(), EBADF);
    std::fclose(file);
}

TEST(CheckedOutput, EverythingWrittenClosesCleanly) {
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    const int copy = ::dup(fileno(file));
    cli::CheckedOutput out(file);
    out.stream() << kBig << "end\n";
    EXPECT_EQ(out.close(), 0);
    EXPECT_EQ(::lseek(copy, 0, SEEK_END), static_cast<off_t>(kBig.size() + 4));
    EXPECT_EQ(::fcntl(fileno(file), F_GETFD), -1) << "close() closed the descriptor";
    ::close(copy);
    std::fclose(file);
}

TEST(CheckedOutput, AnUncheckedStdioWriteThatFailedStillCounts) {
    std::FILE* full = std::fopen("/dev/full", "w");
    ASSERT_NE(full, nullptr);
    cli::CheckedOutput out(full);
    std::fputs(kBig.c_str(), full); // the -v trace writes like this
    EXPECT_NE(out.close(), 0);
    std::fclose(full);
}

// `err << "setkey: " << path << ": " << strerror(errno)` flushes the tied stdout
// between reading nothing and reading errno: the flush must leave errno alone.
TEST(CheckedOutput, WritesAndFlushesKeepTheCallersErrno) {
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    cli::CheckedOutput out(file);
    errno = ENOENT;
    out.stream() << "x" << std::flush;
    EXPECT_EQ(errno, ENOENT);
    std::FILE* full = std::fopen("/dev/full", "w");
    cli::CheckedOutput failing(full);
    errno = ENOENT;
    failing.stream() << "x" << std::flush;
    EXPECT_EQ(failing.error(), ENOSPC);
    EXPECT_EQ(errno, ENOENT);
    std::fclose(full);
    std::fclose(file);
}

TEST(OutputStatus, AWriteErrorIsSaidOnceAndTurnsSuccessIntoFour) {
    std::ostringstream err;
    EXPECT_EQ(cli::status_after_output(0, ENOSPC, err), cli::kExitWriteError);
    EXPECT_EQ(err.str(), "setkey: write error: No space left on device\n");
}

// 3 says the changes were printed: they were not.
TEST(OutputStatus, ADiffThatCouldNotBePrintedIsAWriteError) {
    std::ostringstream err;
    EXPECT_EQ(cli::status_after_output(cli::kExitDiffers, ENOSPC, err), cli::kExitWriteError);
    EXPECT_EQ(err.str(), "setkey: write error: No space left on device\n");
    EXPECT_EQ(cli::status_after_output(cli::kExitDiffers, 0, err), cli::kExitDiffers);
}

TEST(OutputStatus, RefusalsSignalsAndUsageErrorsKeepTheirStatus) {
    for (int status : {1, 2, 130}) {
        std::ostringstream err;
        EXPECT_EQ(cli::status_after_output(status, EPIPE, err), status);
        EXPECT_EQ(err.str(), "setkey: write error: Broken pipe\n");
    }
}

TEST(OutputStatus, NoErrorNoMessage) {
    std::ostringstream err;
    EXPECT_EQ(cli::status_after_output(0, 0, err), 0);
    EXPECT_EQ(cli::status_after_output(2, 0, err), 2);
    EXPECT_EQ(err.str(), "");
}

// In a child: fd 1 closed, then held; the next descriptor opened is not 1, and writing
// to 1 still fails as on a closed descriptor.
TEST(StandardDescriptors, AClosedStdoutIsHeldAndStillRefusesWrites) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(STDOUT_FILENO);
        cli::hold_standard_descriptors();
        const int next = ::open("/dev/null", O_RDONLY);
        if (next == STDOUT_FILENO) ::_exit(10);
        if (::write(STDOUT_FILENO, "x", 1) != -1 || errno != EBADF) ::_exit(11);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: a new descriptor took fd 1; 11: writing did not fail";
}

} // namespace
} // namespace setkey
