// The hint after a failed open fits the situation: --backend xfrm is suggested only when
// XFRM would open, never right after it failed (automatic mode, or as non-root).
#include "cli/backend_open.hpp"

#include <gtest/gtest.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace setkey::cli {
namespace {

TEST(BackendOpen, NoAfKeyMessageSuggestsXfrmOnlyWhenItWouldOpen) {
    EXPECT_EQ(pfkey_missing_message(true), "pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key` or --backend xfrm");
    EXPECT_EQ(pfkey_missing_message(false), "pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key`");
}

std::string open_error(BackendChoice choice) {
    std::string error;
    auto backend = kernel_backend_opener({.choice = choice})(error);
    return backend ? std::string() : error;
}

// Runs the three opens as an unprivileged user (nobody, when the tests run as root) and
// returns "xfrm-error\nauto-error\npfkey-error".
std::string errors_as_nobody() {
    int fds[2];
    if (pipe(fds) != 0) return "pipe failed";
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0))
            _exit(2);
        const std::string out = open_error(BackendChoice::xfrm) + "\n" + open_error(BackendChoice::automatic) + "\n" +
                                open_error(BackendChoice::pfkey);
        _exit(write(fds[1], out.data(), out.size()) == ssize_t(out.size()) ? 0 : 3);
    }
    close(fds[1]);
    std::string out;
    char buf[512];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "child failed";
}

TEST(BackendOpen, UnprivilegedFailureNeverSuggestsTheBackendThatJustFailed) {
    const std::string all = errors_as_nobody();
    ASSERT_NE(all, "child failed");
    const size_t a = all.find('\n'), b = all.find('\n', a + 1);
    ASSERT_NE(b, std::string::npos) << all;
    const std::string xfrm = all.substr(0, a), automatic = all.substr(a + 1, b - a - 1), pfkey = all.substr(b + 1);
    if (xfrm.empty()) GTEST_SKIP() << "XFRM opens for an unprivileged user here";
    EXPECT_EQ(automatic.find("--backend xfrm"), std::string::npos) << automatic;
    EXPECT_EQ(pfkey.find("--backend xfrm"), std::string::npos) << pfkey;
}

} // namespace
} // namespace setkey::cli
