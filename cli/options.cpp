#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace setkey::cli {
namespace {

constexpr const char* kSynopsis =
    "usage: setkey [-vrk] file ...\n"
    "       setkey [-nvrk] [--backend B] [--compat-exit] [--atomic] -c\n"
    "       setkey [-nvrk] [--backend B] [--compat-exit] [--atomic] -f filename\n"
    "       setkey [-nvrk] [--backend B] [--atomic] --sync -f filename | -c\n"
    "       setkey [-rk] [--backend B] [--show-keys] [-o json] --diff -f filename | -c\n"
    "       setkey [-Palpv] [--backend B] [--show-keys] [-o classic|json|jsonl|prometheus|script] -D\n"
    "       setkey [-Pv] [--backend B] -F\n"
    "       setkey [-H] [--backend B] [-o jsonl] -x | -xx\n"
    "       setkey -V | -h\n";

// CLI11 2.1 has no App::usage(); its formatter builds the usage line, so replace it
// with setkey's one-line-per-mode synopsis.
class SynopsisFormatter : public CLI::Formatter {
public:
    std::string make_usage(const CLI::App*, std::string) const override { return kSynopsis; }
};

// Maps a named value (any case) onto its enum, for CLI11 to store. CLI11's own
// CheckedTransformer would also take the enum's numbers and, on a bad value, print its
// internal map ("Check foo value in {auto->0,...} OR {0,1,2} FAILED"); this one takes
// only the names and says which they are.
template <class Enum>
CLI::Validator named_values(const std::vector<std::pair<std::string, Enum>>& names) {
    std::string list;
    for (const auto& [name, value] : names) list += (list.empty() ? "" : ", ") + name;
    auto check = [names, list](std::string& input) -> std::string {
        std::string lower = input;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (const auto& [name, value] : names) {
            if (name == lower) {
                input = std::to_string(static_cast<int>(value));
                return {};
            }
        }
        return "'" + input + "' is not one of " + list;
    };
    // An empty description keeps the value list out of --help (type_name shows it).
    return CLI::Validator(check, "", "");
}

// What the parse saw besides Options: -V, and every -f (one script per run).
struct Seen {
    bool version = false;
    std::vector<std::string> scripts;
};

// Builds the parser over `o`. Mode flags and -r/-k assign from trigger_on_parse
// callbacks so that, as with getopt, the last one given wins.
std::unique_ptr<CLI::App> make_app(Options& o, Seen& seen) {
    auto app = std::make_unique<CLI::App>(
        "Manage the IPsec SAD and SPD (setkey(8), ipsec-tools 0.8.2 compatible).", "setkey");
    app->formatter(std::make_shared<SynopsisFormatter>());
    app->option_defaults()->disable_flag_override();
    app->set_help_flag("-h,-?,--help", "Print this help and exit");

    auto mode_flag = [&](const char* names, Mode m, const char* help) {
        app->add_flag_function(names, [&o, m](std::int64_t) { o.mode = m; }, help)
            ->trigger_on_parse();
    };
    mode_flag("-c,--commands", Mode::commands, "Read commands from stdin, one statement at a time");
    app->add_option_function<std::string>(
           "-f,--file",
           [&o, &seen](const std::string& f) {
               o.mode = Mode::script;
               o.script = f;
               seen.scripts.push_back(f);
           },
           "Load the script FILE ('-' for stdin)")
        ->type_name("FILE")
        ->trigger_on_parse();
    mode_flag("-D,--dump", Mode::dump, "Dump the SAD (the SPD with -P)");
    mode_flag("-F,--flush", Mode::flush, "Flush the SAD (the SPD with -P)");
    app->add_flag_function(
           "-x,--monitor",
           [&o](std::int64_t n) {
               o.mode = Mode::monitor;
               o.monitor_level += static_cast<int>(n);
           },
           "Monitor SAD/SPD changes (as PF_KEY messages); -xx prints epoch timestamps")
        ->trigger_on_parse();

    app->add_flag("-P,--policy", o.policy, "With -D/-F: act on the SPD");
    app->add_flag("-a,--all", o.all, "With -D: also show dead SAs");
    app->add_flag("-l,--loop", o.loop, "With -D: repeat every second (SAs in the short format)");
    app->add_flag("-n,--dry-run", o.dry_run, "Parse and check the script, send nothing");
    app->add_flag("-v,--verbose", o.verbose, "Decode every PF_KEY message sent and received");
    app->add_flag("-H,--hexdump", o.hexdump, "Hex-dump PF_KEY messages (with -x, and requests)");
    app->add_flag("-p,--ports", o.ports, "Show ports in dumps");
    app->add_flag_function("-r,--rfc", [&o](std::int64_t) { o.fwd_companion = true; },
                           "RFC mode (default): add a fwd policy for every 'in' policy")
        ->trigger_on_parse();
    app->add_flag_function("-k,--kernel", [&o](std::int64_t) { o.fwd_companion = false; },
                           "Kernel mode: no automatic fwd policies")
        ->trigger_on_parse();
    app->add_flag("-V,--version", seen.version, "Print the version and exit");

    app->add_option("--backend", o.backend,
                    "Kernel interface: auto (XFRM when netlink opens, else PF_KEY), pfkey, xfrm")
        ->type_name("auto|pfkey|xfrm")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(named_values<BackendChoice>(
            {{"auto", BackendChoice::automatic}, {"pfkey", BackendChoice::pfkey}, {"xfrm", BackendChoice::xfrm}}));
    app->add_option("-o,--output", o.output,
                    "Dump format (default classic): classic, json, jsonl, prometheus, script (a setkey script that loads back)")
        ->type_name("classic|json|jsonl|prometheus|script")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->transform(named_values<OutputFormat>({{"classic", OutputFormat::classic},
                                                {"json", OutputFormat::json},
                                                {"jsonl", OutputFormat::jsonl},
                                                {"prometheus", OutputFormat::prometheus},
                                                {"script", OutputFormat::script}}));
    app->add_flag("--show-keys", o.show_keys, "Include key material in -o json/jsonl/script and --diff");
    app->add_flag("--compat-exit", o.compat_exit,
                  "Print 'The result of line N' and exit 0 on kernel errors, as 0.8.2 did");
    app->add_flag("--atomic", o.atomic,
                  "With -f/-c: on the first kernel refusal, stop and restore the SAD/SPD as they were");
    app->add_flag("--sync", o.sync,
                  "With -f/-c: send only what makes the SAD/SPD match the script (its flushes set the scope)");
    app->add_flag("--diff", o.diff,
                  "With -f/-c: print what --sync would change, send nothing; exit 3 when the kernel differs");
    app->add_option("file", o.files, "Files of stored PF_KEY messages to print")->type_name("");
    return app;
}

// "-o" or "--backend": how the option is named in messages.
std::string option_label(const CLI::Option& opt) {
    if (!opt.get_snames().empty()) return "-" + opt.get_snames().front();
    return "--" + opt.get_lnames().front();
}

bool takes_no_value(const CLI::Option& opt) { return opt.get_items_expected_max() == 0; }

// `--dump=1`: getopt_long refuses a value for a flag; CLI11 lets "=true" through.
std::optional<std::string> flag_given_a_value(const CLI::App& app, const std::vector<std::string>& args) {
    for (const std::string& arg : args) {
        if (arg == "--") break;
        const size_t eq = arg.find('=');
        if (arg.rfind("--", 0) != 0 || eq == std::string::npos) continue;
        const CLI::Option* opt = app.get_option_no_throw(arg.substr(0, eq));
        if (opt && takes_no_value(*opt)) return arg.substr(0, eq) + " takes no value";
    }
    return std::nullopt;
}

// setkey's words for CLI11's errors. CLI11 names the option at the start of its text
// ("--file: 1 required FILE missing", "dump was given a disallowed flag override").
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e) {
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
        const std::vector<std::string> extra = app.remaining();
        return extra.empty() ? "unknown option" : "unknown option '" + extra.front() + "'";
    }
    const std::string text = e.what();
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        std::string name = text.substr(0, text.find_first_of(": "));
        name.erase(0, name.find_first_not_of('-'));
        const CLI::Option* opt = app.get_option_no_throw("--" + name);
        if (!opt) opt = app.get_option_no_throw("-" + name);
        if (opt && takes_no_value(*opt)) return "--" + opt->get_lnames().front() + " takes no value";
        if (opt) return option_label(*opt) + " needs a value (" + opt->get_type_name() + ")";
    }
    return text; // ValidationError: our own named_values text after the option name
}

} // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine result;
    Seen seen;
    auto app = make_app(result.options, seen);
    auto usage_error = [&result](std::string text) {
        result.action = CommandLine::Action::usage_error;
        result.error = std::move(text);
        return result;
    };
    if (args.empty()) return usage_error("no mode given");
    if (auto problem = flag_given_a_value(*app, args)) return usage_error(*problem);
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 pops from the back
    try {
        app->parse(reversed);
    } catch (const CLI::CallForHelp&) {
        result.action = CommandLine::Action::help;
        return result;
    } catch (const CLI::ParseError& e) {
        return usage_error(parse_error_text(*app, e));
    }
    Options& o = result.options;
    if (seen.scripts.size() > 1)
        return usage_error("-f given more than once ('" + seen.scripts[0] + "', then '" + seen.scripts[1] +
                           "'): a run loads one script");
    for (const char* name : {"--backend", "--output"})
        if (const CLI::Option* opt = app->get_option(name); opt->count() > 1)
            return usage_error(option_label(*opt) + " given more than once");
    if (seen.version) {
        result.action = CommandLine::Action::version;
    } else if (!o.files.empty()) {
        o.mode = Mode::files;
    } else if (o.mode == Mode::none) {
        return usage_error("no mode given: use -c, -f FILE, -D, -F, -x or a file operand");
    } else if (o.mode == Mode::script && o.script.empty()) {
        return usage_error("-f needs a file name");
    }
    if (result.action == CommandLine::Action::run && o.atomic && o.mode != Mode::script &&
        o.mode != Mode::commands) {
        // Only loads change the tables step by step; elsewhere it would promise nothing.
        return usage_error("--atomic needs -f or -c");
    }
    if (result.action == CommandLine::Action::run && (o.sync || o.diff)) {
        const char* name = o.sync ? "--sync" : "--diff";
        if (o.sync && o.diff) return usage_error("--sync and --diff exclude each other");
        if (o.mode != Mode::script && o.mode != Mode::commands) return usage_error(std::string(name) + " needs -f or -c");
        if (o.diff && o.atomic) return usage_error("--diff sends nothing: --atomic has nothing to roll back");
        // Its exit status says whether the kernel matches: it must read the kernel.
        if (o.diff && o.dry_run)
            return usage_error("--diff compares the script with the kernel, which -n does not read "
                               "(--diff alone changes nothing)");
        if (o.diff && o.output != OutputFormat::classic && o.output != OutputFormat::json)
            return usage_error("--diff prints its plan as text or, with -o json, as one document");
    }
    // -D -l is the short listing, which has one form only; -DP -l repeats the -o form.
    if (result.action == CommandLine::Action::run && o.mode == Mode::dump && o.loop && !o.policy &&
        o.output != OutputFormat::classic)
        return usage_error("-D -l repeats the short listing, which has no -o form (-DP -l and -D without -l have)");
    if (result.action == CommandLine::Action::run && o.mode == Mode::monitor && o.dry_run)
        return usage_error("-x watches the kernel, and -n opens no socket");
    return result;
}

std::string usage_text() { return kSynopsis; }

std::string help_text() {
    Options o;
    Seen seen;
    return make_app(o, seen)->help();
}

std::vector<std::string> option_names() {
    Options o;
    Seen seen;
    auto app = make_app(o, seen);
    std::vector<std::string> names;
    for (const CLI::Option* opt : app->get_options()) {
        for (const auto& s : opt->get_snames()) names.push_back("-" + s);
        for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    }
    return names;
}

} // namespace setkey::cli
