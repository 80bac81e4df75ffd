// Shared by the host benchmarks: the usage check and reading the script FILE (argv[1])
// whole, with the repeat count (argv[2]) they take.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace setkey::bench {

struct ScriptArgs {
    std::string path, text;
    int repeat = 1;
};

// Prints the usage line or the read error and returns nullopt when there is no script.
inline std::optional<ScriptArgs> script_args(int argc, char** argv, int default_repeat) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
        return std::nullopt;
    }
    std::ifstream f(argv[1], std::ios::binary);
    if (!f) {
        std::perror(argv[1]);
        return std::nullopt;
    }
    ScriptArgs a;
    a.path = argv[1];
    a.text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    a.repeat = argc > 2 ? std::atoi(argv[2]) : default_repeat;
    return a;
}

} // namespace setkey::bench
