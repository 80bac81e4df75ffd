// The external ipsec-tools corpus (SETKEY_CORPUS_DIR, configured in tests/CMakeLists.txt).
// A clone without it must still pass: tests that read it start with
// SETKEY_REQUIRE_CORPUS(), which skips them with one message naming the path.
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace setkey::test {

inline std::string corpus_dir() { return SETKEY_CORPUS_DIR; }

inline std::string corpus_path(const std::string& relative) { return corpus_dir() + "/" + relative; }

inline bool corpus_present() { return std::filesystem::is_directory(corpus_dir()); }

// The same words as tests/lib/corpus.sh prints for the shell steps.
inline std::string corpus_skip_message() {
    return "skipped: no ipsec-tools corpus at " + corpus_dir() + " (set SETKEY_CORPUS_DIR)";
}

} // namespace setkey::test

#define SETKEY_REQUIRE_CORPUS()                                                         \
    do {                                                                                \
        if (!::setkey::test::corpus_present()) GTEST_SKIP() << ::setkey::test::corpus_skip_message(); \
    } while (0)
