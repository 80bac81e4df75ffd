// Command-line options: argv in, an Options value out. Pure (no I/O, no sockets) so
// every flag, combination and error can be unit-tested.
#pragma once

#include <string>
#include <vector>

namespace setkey::cli {

// What the program does. As with setkey's getopt loop, the last of -c, -f, -D, -F
// and -x decides; file operands win over all of them.
enum class Mode { none, files, commands, script, dump, flush, monitor };

enum class BackendChoice { automatic, pfkey, xfrm };
enum class OutputFormat { classic, json, jsonl, prometheus, script };

struct Options {
    Mode mode = Mode::none;
    std::string script;             // -f FILE; "-" reads stdin
    std::vector<std::string> files; // operands: files of stored PF_KEY messages
    bool policy = false;            // -P: -D/-F act on the SPD
    bool all = false;               // -a: also show dead SAs
    bool loop = false;              // -l: repeat -D every second, short format
    bool dry_run = false;           // -n: parse and validate only
    bool verbose = false;           // -v: decode every PF_KEY message sent/received
    int monitor_level = 0;          // -x count: 1 local time, 2 (-xx) epoch time
    bool hexdump = false;           // -H
    bool ports = false;             // -p
    bool fwd_companion = true;      // -r (default) / -k, last one wins
    BackendChoice backend = BackendChoice::automatic;
    OutputFormat output = OutputFormat::classic;
    bool show_keys = false;         // print key bytes in dumps
    bool compat_exit = false;       // 0.8.2 result lines and exit status
    bool atomic = false;            // -f/-c: stop at the first refusal and roll the tables back
    bool sync = false;              // --sync: -f/-c send only what makes the kernel match the script
    bool diff = false;              // --diff: -f/-c print that plan and send nothing
};

struct CommandLine {
    enum class Action { run, help, version, usage_error };
    Action action = Action::run;
    Options options;
    std::string error; // for usage_error: one line, without the "setkey: " prefix
};

// `args` excludes argv[0].
CommandLine parse_command_line(const std::vector<std::string>& args);

// The synopsis, one line per mode.
std::string usage_text();
// Synopsis followed by the list of options.
std::string help_text();
// Every option name the parser accepts ("-D", "--dump", ...), for documentation checks.
std::vector<std::string> option_names();

} // namespace setkey::cli
