// The built binary with the XFRM-only script options: -n accepts them unless the
// backend named is PF_KEY, which refuses each at its option (exit 1, nothing sent,
// nothing opened).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_setkey.hpp"

namespace setkey::e2e {
namespace {

namespace fs = std::filesystem;

struct Script {
    fs::path path;
    explicit Script(const std::string& text)
        : path(fs::temp_directory_path() / (std::to_string(::getpid()) + "-xfrm-options.conf")) {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~Script() { fs::remove(path); }
};

constexpr const char* kRouteBased =
    "add 198.51.100.1 198.51.100.2 esp 0x201 -m tunnel -mark 0x5/0xff -if_id 7 -output_mark 9\n"
    "    -r 1024 -f esn -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0f10111213;\n"
    "spdadd 0.0.0.0/0 0.0.0.0/0 any -mark 0x5/0xff -if_id 7 -P out ipsec\n"
    "    esp/tunnel/198.51.100.1-198.51.100.2/require;\n"
    "get 198.51.100.1 198.51.100.2 esp 0x201 -mark 0x5/0xff;\n"
    "delete 198.51.100.1 198.51.100.2 esp 0x201 -mark 0x5/0xff;\n"
    "deleteall 198.51.100.1 198.51.100.2 esp -mark 0x5/0xff;\n"
    "spddelete 0.0.0.0/0 0.0.0.0/0 any -mark 0x5/0xff -if_id 7 -P out;\n";

TEST(XfrmOptions, DryRunAcceptsThemForXfrmAndAuto) {
    const Script s(kRouteBased);
    for (const char* backend : {"xfrm", "auto"}) {
        const Outcome o = run_setkey({"-n", "--backend", backend, "-f", s.path.string()});
        EXPECT_EQ(o.status, 0) << backend << ": " << o.err;
        EXPECT_EQ(o.out, "");
        EXPECT_EQ(o.err, "");
    }
}

TEST(XfrmOptions, PfkeyRefusesTheFirstAtItsOption) {
    const Script s(kRouteBased);
    const std::string expected = "setkey: " + s.path.string() +
                                 ":1:51: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
                                 "add 198.51.100.1 198.51.100.2 esp 0x201 -m tunnel -mark 0x5/0xff -if_id 7 "
                                 "-output_mark 9\n"
                                 "                                                  ^\n";
    const Outcome dry = run_setkey({"-n", "--backend", "pfkey", "-f", s.path.string()});
    EXPECT_EQ(dry.status, 1);
    EXPECT_EQ(dry.out, "");
    EXPECT_EQ(dry.err, expected);
    // Without -n too: refused before PF_KEY is opened (absent on most hosts, which would
    // otherwise be exit 2 and a backend message).
    const Outcome load = run_setkey({"--backend", "pfkey", "-f", s.path.string()});
    EXPECT_EQ(load.status, 1);
    EXPECT_EQ(load.err, expected);
}

TEST(XfrmOptions, PfkeyRefusesAWideReplayWindowAndEsnInCommandMode) {
    const Outcome o = run_setkey({"-n", "--backend", "pfkey", "-c"},
                                 "add 192.0.2.1 192.0.2.2 esp 1 -r 255 -E null;\n"
                                 "add 192.0.2.1 192.0.2.2 esp 2 -r 256 -E null;\n"
                                 "add 192.0.2.1 192.0.2.2 esp 3 -r 64 -f esn -E null;\n");
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err, "setkey: -:2:34: -r 256 needs the XFRM backend: PF_KEY's replay window has 8 bits (at most "
                     "255); use --backend xfrm\n"
                     "add 192.0.2.1 192.0.2.2 esp 2 -r 256 -E null;\n"
                     "                                 ^\n"
                     "setkey: -:3:40: -f esn needs the XFRM backend: PF_KEY has no extended sequence numbers; use "
                     "--backend xfrm\n"
                     "add 192.0.2.1 192.0.2.2 esp 3 -r 64 -f esn -E null;\n"
                     "                                       ^\n");
}

TEST(XfrmOptions, MisuseIsAnErrorOnEveryBackend) {
    const Outcome o = run_setkey({"-n", "-c"}, "delete 192.0.2.1 192.0.2.2 esp 1 -if_id 7;\n"
                                               "add 192.0.2.1 192.0.2.2 esp 1 -mark 5/ -E null;\n");
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err, "setkey: -:1:41: -if_id plays no part in finding an SA: the kernel finds it by destination, SPI, "
                     "protocol and mark, so delete takes -mark alone\n"
                     "delete 192.0.2.1 192.0.2.2 esp 1 -if_id 7;\n"
                     "                                        ^\n"
                     "setkey: -:2:39: expected a mask after '/' (decimal or 0x hex)\n"
                     "add 192.0.2.1 192.0.2.2 esp 1 -mark 5/ -E null;\n"
                     "                                      ^\n");
}

} // namespace
} // namespace setkey::e2e
