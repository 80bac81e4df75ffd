// Scripts are read with read(2), whatever kind of file holds them, and a failed
// read is an error, never an empty script.
#include "cli/file_reader.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using setkey::cli::read_all;
using setkey::cli::read_available;
using setkey::cli::read_file;
using setkey::cli::read_stdin;

constexpr const char* kScript = "spdadd 10.0.0.1 10.0.0.2 any -P out none;\n";

struct FileReader : ::testing::Test {
    fs::path dir;
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("setkey-reader-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
};

// Text larger than one read(2) chunk, so the growth path is taken.
std::string big_text() {
    std::string s;
    while (s.size() < 300 * 1024) s += kScript;
    return s;
}

TEST_F(FileReader, ReadsARegularFileWhole) {
    const auto p = dir / "a.conf";
    const std::string text = big_text();
    std::ofstream(p) << text;
    const auto r = read_file(p.string());
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text, text);
}

TEST_F(FileReader, EmptyFileIsEmptyText) {
    const auto p = dir / "empty.conf";
    std::ofstream{p};
    const auto r = read_file(p.string());
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text, "");
}

TEST_F(FileReader, MissingFileAndDirectoryReportErrno) {
    EXPECT_EQ(read_file((dir / "missing.conf").string()).error, ENOENT);
    EXPECT_EQ(read_file(dir.string()).error, EISDIR);
}

TEST_F(FileReader, ReadsAFifo) {
    const auto p = dir / "fifo";
    ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
    const std::string text = big_text();
    std::thread writer([&] { std::ofstream(p) << text; });
    const auto r = read_file(p.string());
    writer.join();
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text, text);
}

TEST_F(FileReader, ReadsAPipe) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string text = big_text();
    std::thread writer([&] {
        for (size_t done = 0; done < text.size();) {
            const ssize_t n = ::write(fds[1], text.data() + done, std::min<size_t>(1000, text.size() - done));
            if (n <= 0) break;
            done += size_t(n);
        }
        ::close(fds[1]);
    });
    const auto r = read_all(fds[0]);
    writer.join();
    ::close(fds[0]);
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text, text);
}

// /proc files say st_size 0 but have contents.
TEST_F(FileReader, ReadsAProcFile) {
    struct stat st {};
    ASSERT_EQ(::stat("/proc/self/status", &st), 0);
    ASSERT_EQ(st.st_size, 0);
    const auto r = read_file("/proc/self/status");
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text.rfind("Name:", 0), 0u) << r.text;
}

// Any file kind is read, so an endless one must stop somewhere.
TEST_F(FileReader, AnEndlessFileStopsAtTheLimit) {
    const int fd = ::open("/dev/zero", O_RDONLY);
    ASSERT_GE(fd, 0);
    const auto r = read_all(fd, 1000000);
    ::close(fd);
    EXPECT_EQ(r.error, EFBIG);
    EXPECT_LE(r.text.size(), 1000001u);
}

// A regular file over the limit (a sparse 1.1 GiB one costs nothing) is refused before
// any of it is read: no memory spent on a file that will be refused anyway.
TEST_F(FileReader, ARegularFileOverTheLimitIsRefusedUnread) {
    const auto p = dir / "huge.conf";
    std::ofstream{p};
    fs::resize_file(p, 4097);
    const int fd = ::open(p.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    const auto r = read_all(fd, 4096);
    EXPECT_EQ(r.error, EFBIG);
    EXPECT_EQ(r.text.size(), 0u);
    EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 0) << "bytes were read";
    // What is left from where the descriptor stands counts (stdin inside a file).
    ASSERT_EQ(::lseek(fd, 4097 - 10, SEEK_SET), 4097 - 10);
    const auto tail = read_all(fd, 4096);
    EXPECT_EQ(tail.error, 0);
    EXPECT_EQ(tail.text.size(), 10u);
    ::close(fd);
}

TEST_F(FileReader, AFileOfExactlyTheLimitIsRead) {
    const auto p = dir / "limit.conf";
    std::ofstream(p) << std::string(4096, '#');
    const int fd = ::open(p.c_str(), O_RDONLY);
    const auto r = read_all(fd, 4096);
    ::close(fd);
    EXPECT_EQ(r.error, 0);
    EXPECT_EQ(r.text.size(), 4096u);
}

TEST_F(FileReader, ADirectoryOnStdinIsEisdir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    const int saved = ::dup(STDIN_FILENO);
    ::dup2(fd, STDIN_FILENO);
    const auto r = read_stdin(std::cin);
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    ::close(fd);
    EXPECT_EQ(r.error, EISDIR);
}

TEST_F(FileReader, AClosedStdinIsEbadf) {
    const int saved = ::dup(STDIN_FILENO);
    ::close(STDIN_FILENO);
    const auto whole = read_stdin(std::cin);
    const auto piece = read_available(std::cin, 100);
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    EXPECT_EQ(whole.error, EBADF);
    EXPECT_EQ(piece.error, EBADF);
}

TEST_F(FileReader, ReadAvailableTakesWhatTheStreamHoldsThenSaysEnd) {
    std::istringstream in("flush;\nspdflush;\n");
    const auto first = read_available(in, 7);
    EXPECT_EQ(first.text, "flush;\n");
    EXPECT_EQ(read_available(in, 100).text, "spdflush;\n");
    const auto end = read_available(in, 100);
    EXPECT_EQ(end.error, 0);
    EXPECT_EQ(end.text, "");
}

} // namespace
