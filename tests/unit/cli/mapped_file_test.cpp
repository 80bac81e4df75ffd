// Script files are mapped read-only; open failures carry the errno for the message.
#include "cli/mapped_file.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

TEST(MappedFile, MapsTheWholeFile) {
    const fs::path p = fs::temp_directory_path() / ("setkey-map-" + std::to_string(::getpid()));
    std::ofstream(p) << "flush;\nspdflush;\n";
    {
        setkey::cli::MappedFile f(p.string());
        EXPECT_EQ(f.error(), 0);
        EXPECT_EQ(f.text(), "flush;\nspdflush;\n");
    }
    fs::remove(p);
}

TEST(MappedFile, EmptyFileIsEmptyText) {
    const fs::path p = fs::temp_directory_path() / ("setkey-empty-" + std::to_string(::getpid()));
    std::ofstream{p};
    setkey::cli::MappedFile f(p.string());
    EXPECT_EQ(f.error(), 0);
    EXPECT_TRUE(f.text().empty());
    fs::remove(p);
}

TEST(MappedFile, MissingFileAndDirectoryReportErrno) {
    EXPECT_EQ(setkey::cli::MappedFile("/nonexistent/setkey.conf").error(), ENOENT);
    EXPECT_EQ(setkey::cli::MappedFile(fs::temp_directory_path().string()).error(), EISDIR);
}

} // namespace
