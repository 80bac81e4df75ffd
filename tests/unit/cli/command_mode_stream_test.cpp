// -c reads stdin as it comes: a statement runs as soon as its ';' has arrived (not
// when a newline follows), errors show the statement's true source line, and a stdin
// that cannot be read is an error.
#include <gtest/gtest.h>

#include <unistd.h>

#include <iostream>
#include <streambuf>
#include <vector>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

using testing::ModeTest;
using testing::commands_options;

// Stdin that arrives in pieces, like a pipe written by someone typing: before each
// piece is handed out, `before_piece` is called (the test looks at the kernel there).
class PiecesBuf : public std::streambuf {
public:
    PiecesBuf(std::vector<std::string> pieces, std::function<void()> before_piece)
        : pieces_(std::move(pieces)), before_piece_(std::move(before_piece)) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (next_ == pieces_.size()) return traits_type::eof();
        before_piece_();
        std::string& p = pieces_[next_++];
        setg(p.data(), p.data(), p.data() + p.size());
        return traits_type::to_int_type(*gptr());
    }

private:
    std::vector<std::string> pieces_;
    size_t next_ = 0;
    std::function<void()> before_piece_;
};

struct CommandStream : ModeTest {};

TEST_F(CommandStream, AStatementRunsWhenItsSemicolonArrivesBeforeTheNewline) {
    std::vector<size_t> applied_before_piece;
    PiecesBuf buf({"spdadd 10.0.0.1 10.0.0.2 any -P out none;",
                   " spdadd 10.0.0.3 10.0.0.4 any -P out none;", "\n"},
                  [&] { applied_before_piece.push_back(kernel.policies.size()); });
    std::istream pieces(&buf);
    EXPECT_EQ(cli::run_commands(commands_options(), {pieces, out, err}, opener()), 0) << err.str();
    EXPECT_EQ(applied_before_piece, (std::vector<size_t>{0, 1, 2}));
    EXPECT_EQ(kernel.policies.size(), 2u);
}

TEST_F(CommandStream, AnErrorShowsTheRealLineWithTheStatementsBeforeIt) {
    in.str("flush; spdflush;\tbogus;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 1);
    EXPECT_NE(err.str().find("setkey: -:1:18: unknown command 'bogus'"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("\nflush; spdflush;\tbogus;\n                \t^\n"), std::string::npos) << err.str();
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies"}));
}

// Thousands of statements on one line: each runs, and an error at the end of the
// line is shown in a window, caret under it.
TEST_F(CommandStream, ManyStatementsOnOneLine) {
    std::string line;
    for (int i = 0; i < 4000; ++i)
        line += "spdadd 10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) +
                " 10.1.0.1 any -P out none; ";
    in.str(line + "bogus;\n");
    EXPECT_EQ(cli::run_commands(commands_options(), io(), opener()), 1);
    EXPECT_EQ(kernel.policies.size(), 4000u);
    EXPECT_LT(err.str().size(), 500u) << err.str().substr(0, 300);
    EXPECT_NE(err.str().find("-P out none; bogus;\n"), std::string::npos) << err.str().substr(0, 300);
}

// Input with no ';' in sight (`setkey -c </dev/zero`) is no script: past 16 MiB the run
// stops with a message instead of holding ever more of it (before, all of it was read
// into memory, without limit).
TEST_F(CommandStream, AStatementWithoutEndIsCutOffAt16MiB) {
    class Zeros : public std::streambuf {
    public:
        size_t served = 0;
    protected:
        int_type underflow() override {
            if (served >= (size_t(40) << 20)) return traits_type::eof();
            served += block_.size();
            setg(block_.data(), block_.data(), block_.data() + block_.size());
            return traits_type::to_int_type(block_[0]);
        }
    private:
        std::string block_ = std::string(64 * 1024, '\0');
    } zeros;
    std::istream endless(&zeros);
    EXPECT_EQ(cli::run_commands(commands_options(), {endless, out, err}, opener()), 1);
    EXPECT_EQ(err.str(), "setkey: -: more than 16 MiB without the ';' that ends a statement: not a setkey script; "
                         "the rest of standard input is not read\n");
    EXPECT_LE(zeros.served, (size_t(16) << 20) + 64 * 1024 * 2);
    EXPECT_TRUE(kernel.calls.empty());
}

TEST_F(CommandStream, AClosedStdinIsAnError) {
    const int saved = ::dup(STDIN_FILENO);
    ::close(STDIN_FILENO);
    auto o = commands_options();
    o.dry_run = true;
    const int rc = cli::run_commands(o, {std::cin, out, err}, opener());
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    std::cin.clear();
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(err.str(), "setkey: -: Bad file descriptor\n");
}

} // namespace
} // namespace setkey
