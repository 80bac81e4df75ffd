// Opening the backend without CAP_NET_ADMIN must fail at open with a message that says
// so, rather than on the first command. A forked child drops root to find out.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "xfrm/backend.hpp"

namespace setkey::xfrm {
namespace {

enum ChildOutcome { kRefusedClearly = 10, kOpened = 11, kOtherError = 12, kCannotDrop = 13 };

TEST(XfrmOpen, WithoutCapNetAdminOpenSaysWhatIsMissing) {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to drop privileges in a child";
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(kCannotDrop);
        try {
            open_xfrm_backend();
            _exit(kOpened);
        } catch (const std::system_error& e) {
            bool clear = e.code().value() == EPERM &&
                         std::string(e.what()).find("CAP_NET_ADMIN") != std::string::npos;
            _exit(clear ? kRefusedClearly : kOtherError);
        }
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == kCannotDrop) GTEST_SKIP() << "cannot switch to uid 65534";
    EXPECT_EQ(WEXITSTATUS(status), kRefusedClearly);
}

} // namespace
} // namespace setkey::xfrm
