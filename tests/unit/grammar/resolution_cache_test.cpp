// A load resolves each name once: the apply pass gets the answer the check pass got,
// even when the name stops resolving in between. Needs a private /etc/hosts, so the
// check runs in a child in its own mount namespace (root; skipped otherwise).
#include "grammar/resolution_cache.hpp"

#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "grammar/parse.hpp"

namespace setkey::grammar {
namespace {

constexpr std::string_view kScript = "spdadd vanishing.test 10.0.0.2 any -P out none;\n";

bool parses_to(std::string_view text, ResolutionCache* cache, const char* source) {
    ParseOptions o;
    o.names = cache;
    const ParseResult r = parse_script(text, o);
    if (!r.ok() || r.statements.size() != 1) return false;
    const auto& spd = std::get<model::SpdEntry>(r.statements[0].command);
    return spd.src.addr.to_string() == source;
}

TEST(ResolutionCache, TheSecondPassGetsTheFirstAnswerAfterTheNameIsGone) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private /etc/hosts";
    const auto hosts = std::filesystem::temp_directory_path() / ("setkey-hosts-" + std::to_string(::getpid()));
    std::ofstream(hosts) << "127.0.0.1 localhost\n10.99.0.1 vanishing.test\n";
    EXPECT_EXIT(
        {
            if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                ::mount(hosts.c_str(), "/etc/hosts", nullptr, MS_BIND, nullptr) != 0)
                std::exit(2);
            ResolutionCache cache;
            const bool checked = parses_to(kScript, &cache, "10.99.0.1");
            std::ofstream(hosts) << "127.0.0.1 localhost\n"; // same inode: the bind mount sees it
            const bool gone = !parses_to(kScript, nullptr, "10.99.0.1");
            const bool applied = parses_to(kScript, &cache, "10.99.0.1");
            std::exit(checked && gone && applied ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
    std::filesystem::remove(hosts);
}

TEST(ResolutionCache, FamiliesAreSeparateEntries) {
    ResolutionCache cache;
    const Resolved v4 = cache.host("localhost", model::Family::inet);
    ASSERT_FALSE(v4.addresses.empty()) << v4.error;
    EXPECT_EQ(v4.addresses.front().family, model::Family::inet);
    const Resolved v6 = cache.host("localhost", model::Family::inet6);
    for (const auto& a : v6.addresses) EXPECT_EQ(a.family, model::Family::inet6);
}

} // namespace
} // namespace setkey::grammar
