// The ipsec-tools corpus: what 0.8.2 accepted must parse, what it rejected must be
// rejected with a position, except for the dialect extensions we accept on purpose.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "grammar_test_support.hpp"

namespace setkey::grammar::test {
namespace {

namespace fs = std::filesystem;

// Scripts 0.8.2 on Linux rejects but we accept: AEAD names (aes-gcm-16, aes-gmac,
// chacha20-poly1305) and NetBSD's update/getspi. See docs/compatibility.md.
const std::set<std::string> kDialectExtensions = {
    "scripts/freebsd-tunnel-aes-gcm-128-v4-ipsecA.conf",
    "scripts/freebsd-tunnel-aes-gcm-128-v4-ipsecB.conf",
    "scripts/freebsd-tunnel-aes-gcm-128-v6-ipsecA.conf",
    "scripts/freebsd-tunnel-aes-gcm-256-v4-ipsecA.conf",
    "scripts/freebsd-tunnel-aes-gcm-256-v4-ipsecB.conf",
    "scripts/freebsd-tunnel-aes-gcm-256-v6-ipsecA.conf",
    "scripts/freebsd-tunnel-chacha20-poly1305-v4-ipsecA.conf",
    "scripts/freebsd-tunnel-chacha20-poly1305-v4-ipsecB.conf",
    "scripts/freebsd-tunnel-chacha20-poly1305-v6-ipsecA.conf",
    "scripts/gh-bsdrp-gre-ipsec-openvpn-vm2.conf",
    "scripts/gh-libreswan-flush-on-startup-pfkeyv2-setkey-in.conf",
    "scripts/netbsd-esp-keys-valid-aesgcm16.conf",
    "scripts/netbsd-esp-keys-valid-aesgmac.conf",
    "scripts/netbsd-misc-getspi-update-ah-hmacsha512.conf",
    "scripts/netbsd-misc-getspi-update-esp-null.conf",
    "scripts/netbsd-misc-getspi-update-esp-rijndaelcbc.conf",
    "scripts/netbsd-misc-update-sa-ah-hmacsha512.conf",
    "scripts/netbsd-misc-update-sa-esp-null.conf",
    "scripts/netbsd-misc-update-sa-esp-rijndaelcbc.conf",
    "scripts/netbsd-transport-ipv4-esp-aesgcm16.conf",
    "scripts/netbsd-transport-ipv4-esp-aesgmac.conf",
    "scripts/netbsd-transport-ipv6-esp-aesgcm16.conf",
    "scripts/netbsd-transport-ipv6-esp-aesgmac.conf",
};

std::vector<std::string> files_in(const std::string& folder) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(corpus(folder)))
        if (e.path().extension() == ".conf") out.push_back(folder + "/" + e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Corpus, EveryScriptThatIpsecToolsAcceptedParses) {
    SETKEY_REQUIRE_CORPUS();
    auto v = verdicts();
    int checked = 0;
    for (const auto& file : files_in("scripts")) {
        ASSERT_TRUE(v.count(file)) << file << " has no verdict";
        if (v[file] != "ok") continue;
        auto r = parse(read_file(corpus(file)), file);
        EXPECT_FALSE(r.error) << r.error->render();
        ++checked;
    }
    EXPECT_GT(checked, 100);
}

TEST(Corpus, ScriptsIpsecToolsRejectedAreRejectedOrDeliberateExtensions) {
    SETKEY_REQUIRE_CORPUS();
    auto v = verdicts();
    std::set<std::string> accepted_though_rejected;
    for (const auto& file : files_in("scripts")) {
        if (v[file] == "ok") continue;
        auto r = parse(read_file(corpus(file)), file);
        if (r.ok()) {
            accepted_though_rejected.insert(file);
        } else {
            EXPECT_GT(r.error->line, 0u) << file;
            EXPECT_GT(r.error->column, 0u) << file;
        }
    }
    EXPECT_EQ(accepted_though_rejected, kDialectExtensions);
}

TEST(Corpus, InvalidScriptsAreRejectedWithAPosition) {
    SETKEY_REQUIRE_CORPUS();
    auto files = files_in("invalid");
    ASSERT_FALSE(files.empty());
    for (const auto& file : files) {
        auto r = parse(read_file(corpus(file)), file);
        ASSERT_TRUE(r.error) << file << " was accepted";
        EXPECT_TRUE(r.statements.empty());
        EXPECT_GE(r.error->line, 2u) << file; // line 1 is the "# INVALID:" comment
        EXPECT_FALSE(r.error->source_line.empty()) << file;
    }
}

TEST(Corpus, InvalidKeyLengthsNameTheAlgorithmAndItsSizes) {
    SETKEY_REQUIRE_CORPUS();
    auto r = parse(read_file(corpus("invalid/netbsd-ah-keys-invalid-hmacsha256-248.conf")));
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->message, "invalid key length for hmac-sha256: 248 bits given, it takes 256 bits");
}

// Our decision for every quirk file: reject keys inside the kernel's advertised range
// that the cipher does not actually take (the kernel would refuse them at SADB_ADD).
TEST(Corpus, QuirksAreRejectedWithAClearKeyLengthMessage) {
    SETKEY_REQUIRE_CORPUS();
    auto files = files_in("quirks");
    ASSERT_EQ(files.size(), 12u);
    for (const auto& file : files) {
        auto r = parse(read_file(corpus(file)), file);
        ASSERT_TRUE(r.error) << file;
        EXPECT_EQ(r.error->line, 2u);
        EXPECT_NE(r.error->message.find("invalid key length for "), std::string::npos) << r.error->message;
        EXPECT_NE(r.error->message.find(" bits given, it takes "), std::string::npos) << r.error->message;
    }
    auto ctr = parse(read_file(corpus("quirks/netbsd-esp-keys-invalid-aesctr-168.conf")));
    EXPECT_EQ(ctr.error->message, "invalid key length for aes-ctr: 168 bits given, it takes 160, 224 or 288 bits");
}

TEST(Corpus, TcpMd5IsRejectedAsUnsupportedByLinux) {
    SETKEY_REQUIRE_CORPUS();
    auto r = parse(read_file(corpus("invalid/tcp-md5-on-linux.conf")));
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("not supported by Linux"), std::string::npos);
    EXPECT_EQ(r.error->column, 27u); // at "tcp"
}

TEST(Corpus, TemplatePlaceholdersAreReportedAtTheUnderscore) {
    SETKEY_REQUIRE_CORPUS();
    auto r = parse(read_file(corpus("invalid/gh-brudel-engsec-lab03-template.conf")));
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->line, 5u);
    EXPECT_EQ(r.error->column, 14u);
    EXPECT_EQ(r.error->message, "the address 'IPSNET' ends at '_'; '_' cannot appear in a script outside quotes");
}

TEST(Corpus, NoAcceptedScriptNeedsNameResolution) {
    SETKEY_REQUIRE_CORPUS();
    // Every `ok` script parses with resolve_names=false (checked above); the one script
    // with host names fails only because of them.
    auto r = parse(read_file(corpus("scripts/man-it-setkey8-examples.conf")));
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("name resolution is off"), std::string::npos);
}

} // namespace
} // namespace setkey::grammar::test
