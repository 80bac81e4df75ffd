// Runs the built setkey binary with arguments and stdin, capturing stdout, stderr and
// the exit status. The environment is scrubbed (TZ=UTC, LC_ALL=C) for stable text.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace setkey::e2e {

struct Outcome {
    int status = -1; // exit status, or -1 when killed by a signal
    std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline Outcome run_setkey(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("setkey-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path in = dir / "in", out = dir / "out", err = dir / "err";
    std::ofstream(in, std::ios::binary) << stdin_text;

    std::fflush(nullptr); // or the child would write our buffered output again
    const pid_t child = ::fork();
    if (child == 0) {
        if (!std::freopen(in.c_str(), "r", stdin) || !std::freopen(out.c_str(), "w", stdout) ||
            !std::freopen(err.c_str(), "w", stderr))
            ::_exit(127);
        std::vector<char*> argv{const_cast<char*>(SETKEY_BINARY)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const char* env[] = {"TZ=UTC", "LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", nullptr};
        ::execve(SETKEY_BINARY, argv.data(), const_cast<char**>(env));
        ::_exit(127);
    }
    int wstatus = 0;
    ::waitpid(child, &wstatus, 0);
    Outcome o;
    o.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    o.out = slurp(out);
    o.err = slurp(err);
    fs::remove_all(dir);
    return o;
}

} // namespace setkey::e2e
