// The built binary: usage and exit codes, -n on example and corpus scripts, parse
// errors with a caret and nothing applied, -c line numbers, file operands.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "run_setkey.hpp"
#include "stored_dump.hpp"
#include "support/corpus.hpp"

namespace setkey::e2e {
namespace {

namespace fs = std::filesystem;

const std::string kSource = SETKEY_SOURCE_DIR;
const std::string kCorpus = setkey::test::corpus_dir();

struct TempFile {
    fs::path path;
    TempFile(const std::string& name, const std::string& bytes)
        : path(fs::temp_directory_path() / (std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path, std::ios::binary) << bytes;
    }
    ~TempFile() { fs::remove(path); }
};

TEST(Usage, NoArgumentsPrintsTheSynopsisAndExitsOne) {
    const Outcome o = run_setkey({});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err.rfind("usage: setkey", 0), 0u) << o.err;
}

TEST(Usage, HelpGoesToStdoutAndExitsZero) {
    for (const char* flag : {"--help", "-h", "-?"}) {
        const Outcome o = run_setkey({flag});
        EXPECT_EQ(o.status, 0) << flag;
        EXPECT_NE(o.out.find("usage: setkey"), std::string::npos) << flag;
        EXPECT_NE(o.out.find("--backend"), std::string::npos) << flag;
        EXPECT_EQ(o.err, "");
    }
}

TEST(Usage, VersionExitsZero) {
    const Outcome o = run_setkey({"-V"});
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out.rfind("setkey ", 0), 0u) << o.out;
}

TEST(Usage, UnknownFlagIsAShortMessageAndExitOne) {
    const Outcome o = run_setkey({"-Dz"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err,
              "setkey: unknown option '-z'\n"
              "Try 'setkey --help' for more information.\n");
}

TEST(Usage, ScriptGivenWithoutMinusFAsksForIt) {
    const std::string script = std::string(SETKEY_SOURCE_DIR) + "/examples/racoon-tunnel.conf";
    const Outcome o = run_setkey({script});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "setkey: " + script + ": a text script, not a file of PF_KEY messages; did you mean -f " + script +
                         "?\n");
}

TEST(Usage, TwoScriptsAreAUsageError) {
    const Outcome o = run_setkey({"-n", "-f", "a.conf", "-f", "b.conf"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err,
              "setkey: -f given more than once ('a.conf', then 'b.conf'): a run loads one script\n"
              "Try 'setkey --help' for more information.\n");
}

TEST(Usage, BadOutputFormatExitsOne) {
    const Outcome o = run_setkey({"-D", "-o", "yaml"});
    EXPECT_EQ(o.status, 1);
    EXPECT_NE(o.err.find("yaml"), std::string::npos) << o.err;
}

TEST(Script, ExampleParsesInDryRun) {
    const Outcome o = run_setkey({"-n", "-f", kSource + "/examples/racoon-tunnel.conf"});
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, "");
}

TEST(Script, UnreadableFileExitsOne) {
    const Outcome o = run_setkey({"-n", "-f", "/nonexistent/setkey.conf"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err, "setkey: /nonexistent/setkey.conf: No such file or directory\n");
}

TEST(Script, ParseErrorShowsTheCaretAndAppliesNothing) {
    // Only read-only statements before the error, and PF_KEY (absent on most hosts):
    // had anything been sent we would see a dump or a backend error with status 2.
    TempFile script("bad.conf",
                    "spddump;\n"
                    "dump esp;\n"
                    "add 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbd 0x00;\n");
    const Outcome o = run_setkey({"--backend", "pfkey", "-f", script.path.string()});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.out, "");
    const std::string first = "setkey: " + script.path.string() + ":3:38: ";
    ASSERT_EQ(o.err.rfind(first, 0), 0u) << o.err;
    EXPECT_NE(o.err.find("\nadd 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbd 0x00;\n"
                         "                                     ^"),
              std::string::npos)
        << o.err;
}

TEST(Script, StdinScriptWithDash) {
    const Outcome o = run_setkey({"-n", "-f", "-"}, "flush;\nspdflush;\n");
    EXPECT_EQ(o.status, 0) << o.err;
}

TEST(Commands, ErrorsCarryTrueLineNumbersAndDoNotStopTheSession) {
    const Outcome o = run_setkey({"-n", "-c"}, "flush;\n\nbogus;\nspdflush;\nnonsense;\n");
    EXPECT_EQ(o.status, 1);
    EXPECT_NE(o.err.find("setkey: -:3:1: "), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("setkey: -:5:1: "), std::string::npos) << o.err;
}

TEST(Commands, CleanInputExitsZero) {
    const Outcome o = run_setkey({"-n", "-c"}, "flush;\nspdflush; exit;\nbogus\n");
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.err, "");
}

// Every real-world script ipsec-tools 0.8.2 accepted with `-n -f` is accepted here too,
// and every one of invalid/ is rejected (nothing applied, exit 1).
TEST(Corpus, DryRunVerdictsMatch082) {
    SETKEY_REQUIRE_CORPUS();
    std::ifstream in(kCorpus + "/expected/results.json");
    ASSERT_TRUE(in) << "no corpus at " << kCorpus;
    const nlohmann::json results = nlohmann::json::parse(in);
    int checked = 0;
    for (const auto& [name, result] : results.items()) {
        const bool real_script = name.rfind("scripts/", 0) == 0;
        const bool invalid = name.rfind("invalid/", 0) == 0;
        const int expected = result["n_f"]["rc"].get<int>();
        if (!(real_script && expected == 0) && !(invalid && expected == 1)) continue;
        const Outcome o = run_setkey({"-n", "-f", kCorpus + "/" + name});
        EXPECT_EQ(o.status, expected) << name << "\n" << o.err;
        ++checked;
    }
    EXPECT_GT(checked, 50);
}

TEST(FileOperands, StoredDumpReplyIsPrintedWithoutASocket) {
    TempFile file("dump.bin", stored_dump_reply());
    const Outcome o = run_setkey({file.path.string()});
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_NE(o.out.find("192.0.2.1 192.0.2.2"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("spi=4660(0x00001234)"), std::string::npos) << o.out;
}

TEST(FileOperands, TruncatedFileExitsOne) {
    TempFile file("short.bin", std::string("\x02\x0a\x00", 3));
    const Outcome o = run_setkey({file.path.string()});
    EXPECT_EQ(o.status, 1);
    EXPECT_NE(o.err.find(file.path.string()), std::string::npos) << o.err;
}

TEST(FileOperands, MissingFileExitsOne) {
    const Outcome o = run_setkey({"/nonexistent/msgs.bin"});
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err, "setkey: /nonexistent/msgs.bin: No such file or directory\n");
}

} // namespace
} // namespace setkey::e2e
