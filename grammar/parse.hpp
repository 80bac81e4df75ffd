// Entry points of the script parser. The whole input is parsed and validated
// before anything is returned, so callers apply all of a script or none of it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/command.hpp"

namespace setkey::grammar {

struct Diagnostic {
    std::string file;        // as given by the caller ("-" for stdin)
    unsigned line = 0;       // 1-based
    unsigned column = 0;     // 1-based
    std::string message;     // "expected ';'", "unknown algorithm 'aes-cbd'; did you mean 'aes-cbc'?"
    std::string source_line; // the line, or ~80 columns of it around the error ("..." marks cuts)
    unsigned caret = 0;      // 1-based position of the caret in source_line (0: at `column`)
    bool warning = false;

    // "setkey: FILE:LINE:COL: message\n<source line>\n<caret>\n" (warnings say "warning: ").
    std::string render() const;
};

class ResolutionCache;

// The kernel interface the statements go to. Over PF_KEY, what only XFRM can say
// (-mark, -if_id, -output_mark, -f esn, a -r window above 255) is an error at the
// option; `unknown` (--backend auto before it opened, -n) lets it through and keeps
// the first such error in ParseResult::pfkey_error for the caller to raise once it knows.
enum class KernelInterface : uint8_t { unknown, xfrm, pfkey };

struct ParseOptions {
    std::string filename = "-";
    unsigned first_line = 1;   // -c mode parses chunks; positions stay true
    // -c: the text of the first line before the chunk (earlier statements of that
    // line). It counts in columns and is shown in errors; it is not parsed.
    std::string_view first_line_prefix;
    // When set, each host, service and protocol name is looked up once and the answer
    // reused: a load's check pass and apply pass then see the same addresses.
    ResolutionCache* names = nullptr;
    // Resolve host names with DNS (getaddrinfo) where numeric parsing fails; `-n`
    // in a command's own flags forces numeric. Tests switch it off for determinism.
    bool resolve_names = true;
    KernelInterface kernel = KernelInterface::unknown;
    // The running kernel installs an entry's -ctx security context without keeping it
    // (no SELinux): each -ctx is warned about (cli/kernel_interface.hpp).
    bool contexts_dropped = false;
};

struct ParseResult {
    std::vector<model::Statement> statements; // empty when `error` is set
    std::vector<Diagnostic> warnings;
    std::optional<Diagnostic> error;
    // KernelInterface::unknown: the error the first XFRM-only option would be over PF_KEY.
    std::optional<Diagnostic> pfkey_error;
    bool ok() const { return !error.has_value(); }
};

ParseResult parse_script(std::string_view text, const ParseOptions& options);

// Streaming form: each statement goes to `sink` as soon as it is parsed and checked,
// and ParseResult::statements stays empty. Lets `-n` and two-pass loads (validate the
// whole file, then parse again and apply) run in memory independent of script size.
// `sink` may return false to stop early (e.g. after `exit;`).
using StatementSink = std::function<bool(model::Statement&&)>;
ParseResult parse_script(std::string_view text, const ParseOptions& options,
                         const StatementSink& sink);

} // namespace setkey::grammar
