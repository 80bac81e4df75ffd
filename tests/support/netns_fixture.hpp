// Real-kernel tests: each test runs in a fresh network namespace (unshare(CLONE_NEWNET)
// as root), so its XFRM tables start empty and nothing leaks to the host.
#pragma once

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "xfrm/backend.hpp"

namespace setkey::xfrm::testing {

class NetnsTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root to create a network namespace";
        if (unshare(CLONE_NEWNET) != 0)
            GTEST_SKIP() << "unshare(CLONE_NEWNET) failed: " << std::strerror(errno);
        try {
            backend = open_xfrm_backend();
        } catch (const std::system_error& e) {
            GTEST_SKIP() << "XFRM netlink unavailable: " << e.what();
        }
    }

    std::vector<model::PolicyRecord> policies() {
        std::vector<model::PolicyRecord> out;
        auto r = backend->dump_policies([&](const model::PolicyRecord& p) { out.push_back(p); });
        EXPECT_TRUE(r.ok()) << r.error << " " << r.detail;
        return out;
    }

    std::unique_ptr<XfrmBackend> backend;
};

} // namespace setkey::xfrm::testing
