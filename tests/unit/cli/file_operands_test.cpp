// File operands are files of PF_KEY messages; a text script given as one (a forgotten -f)
// is named as such instead of being decoded as garbage.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/modes.hpp"
#include "cli/options.hpp"
#include "pfkey/codec.hpp"

namespace setkey::cli {
namespace {

class FileOperands : public ::testing::Test {
protected:
    std::string write(const std::string& name, const std::string& bytes) {
        const std::string path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    int run(const Options& o) {
        std::istringstream in;
        return run_files(o, {in, out_, err_});
    }
    std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
                                 ("setkey-operands-" + std::to_string(::getpid()));
    std::ostringstream out_, err_;
    void SetUp() override { std::filesystem::create_directories(dir_); }
    void TearDown() override { std::filesystem::remove_all(dir_); }
};

TEST_F(FileOperands, TextScriptSuggestsMinusF) {
    Options o;
    o.files = {write("ipsec-tools.conf", "#!/usr/sbin/setkey -f\nflush;\nspdflush;\n")};
    EXPECT_EQ(run(o), 1);
    EXPECT_EQ(err_.str(), "setkey: " + o.files[0] + ": a text script, not a file of PF_KEY messages; did you mean -f " +
                              o.files[0] + "?\n");
    EXPECT_EQ(out_.str(), "");
}

TEST_F(FileOperands, SecondScriptAfterMinusFSaysMinusFTakesOne) {
    CommandLine cl = parse_command_line({"-f", "a.conf", write("b.conf", "spdflush;\n")});
    ASSERT_EQ(cl.action, CommandLine::Action::run);
    EXPECT_EQ(run(cl.options), 1);
    const std::string b = cl.options.files[0];
    EXPECT_EQ(err_.str(), "setkey: " + b + ": a text script, not a file of PF_KEY messages; did you mean -f " + b +
                              "? (-f takes one script: 'a.conf' was given to -f)\n");
}

// Read as -f reads: a directory is an error naming it and the next operand is still
// decoded (before, the stream's exception ended the process with SIGABRT).
TEST_F(FileOperands, ADirectoryIsAnErrorAndTheNextOperandIsRead) {
    const pfkey::Bytes msg = pfkey::encode_dump_policies({1, 2});
    Options o;
    o.files = {dir_.string(), write("dump.bin", std::string(msg.begin(), msg.end()))};
    EXPECT_EQ(run(o), 1);
    EXPECT_EQ(err_.str(), "setkey: " + dir_.string() + ": Is a directory\n");
}

TEST_F(FileOperands, PfkeyMessagesAreStillDecoded) {
    const pfkey::Bytes msg = pfkey::encode_dump_policies({1, 2});
    Options o;
    o.files = {write("dump.bin", std::string(msg.begin(), msg.end()))};
    EXPECT_EQ(run(o), 0);
    EXPECT_EQ(err_.str(), "");
}

TEST_F(FileOperands, BinaryThatIsNoMessageIsStillADecodeError) {
    Options o;
    o.files = {write("junk.bin", std::string("\x07\x00\x01\x02", 4))};
    EXPECT_EQ(run(o), 1);
    EXPECT_EQ(err_.str().find("did you mean -f"), std::string::npos) << err_.str();
    EXPECT_NE(err_.str(), "");
}

// A kernel error reply (ESRCH to a GET): 0.8.2's line on stdout in classic output, on
// stderr in the machine formats, whose stdout must stay one JSON/Prometheus stream.
TEST_F(FileOperands, ErrorReplyKeepsMachineOutputClean) {
    pfkey::Bytes reply = pfkey::encode_dump_policies({1, 2});
    reply[2] = ESRCH; // sadb_msg_errno
    Options o;
    o.files = {write("reply.bin", std::string(reply.begin(), reply.end()))};
    EXPECT_EQ(run(o), 0);
    EXPECT_EQ(out_.str(), "No such process.\n");
    for (auto format : {OutputFormat::json, OutputFormat::jsonl, OutputFormat::prometheus}) {
        out_.str("");
        err_.str("");
        o.output = format;
        EXPECT_EQ(run(o), 0);
        EXPECT_EQ(out_.str().find("No such process"), std::string::npos) << out_.str();
        EXPECT_EQ(err_.str(), "setkey: " + o.files[0] + ": message 1: No such process\n");
    }
}

} // namespace
} // namespace setkey::cli
