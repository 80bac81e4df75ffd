// Shared by the raw senders: reads a setkey script and returns the kernel requests
// `setkey -f` would send for it (adds and policies, plus the fwd copy of every `in`
// policy, as the executor adds it). Parsing happens before any timing starts.
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "grammar/parse.hpp"
#include "model/command.hpp"
#include "model/linux_rules.hpp"

namespace setkey::bench {

inline std::vector<model::Command> load_requests(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    grammar::ParseOptions options;
    options.filename = path;
    options.resolve_names = false;
    std::vector<model::Command> out;
    const std::string body = text.str();
    grammar::ParseResult r = grammar::parse_script(body, options, [&](model::Statement&& s) {
        if (auto* e = std::get_if<model::SpdEntry>(&s.command)) {
            out.push_back(*e);
            if (auto fwd = model::fwd_companion(*e)) out.push_back(std::move(*fwd));
        } else if (std::holds_alternative<model::AddSa>(s.command)) {
            out.push_back(std::move(s.command));
        } else if (!std::holds_alternative<model::Exit>(s.command)) {
            throw std::runtime_error("raw senders only send add and spdadd statements");
        }
        return true;
    });
    if (r.error) throw std::runtime_error(r.error->render());
    return out;
}

// The raw senders' command line, `NAME SCRIPT [WINDOW]`: the requests and the window, or
// nullopt after printing the usage line or why the script could not be loaded.
struct SenderArgs {
    std::vector<model::Command> commands;
    size_t window = 0;
};
inline std::optional<SenderArgs> sender_args(int argc, char** argv, const char* name, size_t default_window) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s SCRIPT [WINDOW]\n", name);
        return std::nullopt;
    }
    try {
        SenderArgs a;
        a.window = argc > 2 ? std::stoul(argv[2]) : default_window;
        a.commands = load_requests(argv[1]);
        return a;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return std::nullopt;
    }
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace setkey::bench
