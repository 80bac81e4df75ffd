// Opening the PF_KEY backend where the kernel has no af_key (our build hosts): the
// error must say what is missing and what to do, in one line.
#include <gtest/gtest.h>

#include <linux/pfkeyv2.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "pfkey/backend.hpp"

namespace setkey::pfkey {
namespace {

TEST(PfkeyOpen, MissingAfKeySaysModprobeOrXfrm) {
    int fd = ::socket(PF_KEY, SOCK_RAW, PF_KEY_V2);
    if (fd >= 0) {
        ::close(fd);
        GTEST_SKIP() << "this kernel has PF_KEY";
    }
    ASSERT_EQ(errno, EAFNOSUPPORT);
    try {
        open_pfkey_backend();
        FAIL() << "opened without af_key";
    } catch (const OpenError& e) {
        EXPECT_EQ(e.error, EAFNOSUPPORT);
        EXPECT_STREQ(e.what(),
                     "pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key` or --backend xfrm");
    }
}

} // namespace
} // namespace setkey::pfkey
