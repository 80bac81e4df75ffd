// Whether the running kernel keeps -ctx security contexts, read from securityfs' LSM
// list or, when securityfs is not mounted, from the filesystems the kernel registered.
#include "cli/kernel_interface.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using setkey::cli::kernel_keeps_security_contexts;

struct SecurityContexts : ::testing::Test {
    fs::path root;
    void SetUp() override {
        root = fs::temp_directory_path() / ("setkey-lsm-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(root / "proc");
        fs::create_directories(root / "sys/kernel/security");
    }
    void TearDown() override { fs::remove_all(root); }
    void write(const fs::path& file, const std::string& text) { std::ofstream(root / file) << text; }
    std::optional<bool> keeps() const {
        return kernel_keeps_security_contexts((root / "proc").string(), (root / "sys").string());
    }
};

TEST_F(SecurityContexts, TheLsmListDecides) {
    write("sys/kernel/security/lsm", "lockdown,capability,selinux,bpf");
    write("proc/filesystems", "nodev\tsysfs\n");
    EXPECT_EQ(keeps(), true);
    write("sys/kernel/security/lsm", "lockdown,capability,landlock,yama,apparmor\n");
    EXPECT_EQ(keeps(), false);
    write("sys/kernel/security/lsm", "selinuxx,capability");
    EXPECT_EQ(keeps(), false) << "a name is matched whole";
}

TEST_F(SecurityContexts, WithoutSecurityfsSelinuxfsDecides) {
    write("proc/filesystems", "nodev\tsysfs\nnodev\tselinuxfs\n\text4\n");
    EXPECT_EQ(keeps(), true);
    write("proc/filesystems", "nodev\tsysfs\nnodev\tsecurityfs\n\text4\n");
    EXPECT_EQ(keeps(), false);
}

TEST_F(SecurityContexts, NothingReadableIsUnknown) {
    EXPECT_EQ(keeps(), std::nullopt);
}

} // namespace
