// A script with -E/-A keys that group or others can read gets one warning line naming
// it and `chmod 600`; private scripts and scripts without keys get none.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

constexpr const char* kWithKey =
    "add 192.0.2.1 192.0.2.2 esp 0x201 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n";
constexpr const char* kNoKey = "spdadd 10.0.0.0/8 10.1.0.0/16 any -P out none;\n";

struct KeyFile : testing::ModeTest {
    int run(const std::string& text, mode_t mode, bool dry_run = false) {
        const std::string file = write("s.conf", text);
        ::chmod(file.c_str(), mode);
        path = file;
        cli::Options o;
        o.mode = cli::Mode::script;
        o.script = file;
        o.dry_run = dry_run;
        return cli::run_script(o, io(), opener());
    }
    std::string path;
};

TEST_F(KeyFile, WorldReadableKeysWarnOnce) {
    EXPECT_EQ(run(kWithKey, 0644), 0);
    EXPECT_EQ(err.str(), "setkey: warning: " + path +
                             " holds key material and is readable by group or others; chmod 600 " +
                             path + "\n");
}

TEST_F(KeyFile, GroupReadableWarns) {
    EXPECT_EQ(run(kWithKey, 0640), 0);
    EXPECT_NE(err.str().find("chmod 600"), std::string::npos);
}

// -n checks syntax (often of examples straight from a checkout); the warning is about
// loading keys into the kernel from a file others can read.
TEST_F(KeyFile, DryRunDoesNotWarn) {
    EXPECT_EQ(run(kWithKey, 0644, true), 0);
    EXPECT_EQ(err.str(), "");
}

TEST_F(KeyFile, PrivateFileIsQuiet) {
    EXPECT_EQ(run(kWithKey, 0600), 0);
    EXPECT_EQ(err.str(), "");
}

TEST_F(KeyFile, NoKeysNoWarning) {
    EXPECT_EQ(run(kNoKey, 0644), 0);
    EXPECT_EQ(err.str(), "");
}

TEST_F(KeyFile, StdinIsNotAFile) {
    in.str(kWithKey);
    cli::Options o;
    o.mode = cli::Mode::script;
    o.script = "-";
    EXPECT_EQ(cli::run_script(o, io(), opener()), 0);
    EXPECT_EQ(err.str(), "");
}

} // namespace
} // namespace setkey
