// Command-line parsing: every flag, getopt-style combinations, last-mode-wins and errors.
#include "cli/options.hpp"

#include <gtest/gtest.h>

using setkey::cli::BackendChoice;
using setkey::cli::CommandLine;
using setkey::cli::Mode;
using setkey::cli::OutputFormat;
using setkey::cli::parse_command_line;

namespace {

CommandLine parse(std::vector<std::string> args) { return parse_command_line(args); }

setkey::cli::Options run(std::vector<std::string> args) {
    CommandLine cl = parse(args);
    EXPECT_EQ(cl.action, CommandLine::Action::run) << cl.error;
    return cl.options;
}

TEST(Options, NoArgumentsIsAUsageError) {
    CommandLine cl = parse({});
    EXPECT_EQ(cl.action, CommandLine::Action::usage_error);
    EXPECT_FALSE(cl.error.empty());
}

TEST(Options, ModifiersWithoutModeAreAUsageError) {
    EXPECT_EQ(parse({"-P"}).action, CommandLine::Action::usage_error);
    EXPECT_EQ(parse({"-nv"}).action, CommandLine::Action::usage_error);
}

TEST(Options, EachModeFlag) {
    EXPECT_EQ(run({"-c"}).mode, Mode::commands);
    EXPECT_EQ(run({"-D"}).mode, Mode::dump);
    EXPECT_EQ(run({"-F"}).mode, Mode::flush);
    EXPECT_EQ(run({"-x"}).mode, Mode::monitor);
    auto f = run({"-f", "a.conf"});
    EXPECT_EQ(f.mode, Mode::script);
    EXPECT_EQ(f.script, "a.conf");
}

TEST(Options, SyncAndDiffGoWithScriptsAndCommands) {
    EXPECT_TRUE(run({"--sync", "-f", "a.conf"}).sync);
    EXPECT_TRUE(run({"-c", "--atomic", "--sync"}).sync);
    const auto diff = run({"--diff", "-o", "json", "-f", "a.conf"});
    EXPECT_TRUE(diff.diff);
    EXPECT_EQ(diff.mode, setkey::cli::Mode::script);
}

TEST(Options, LongModeNames) {
    EXPECT_EQ(run({"--commands"}).mode, Mode::commands);
    EXPECT_EQ(run({"--dump"}).mode, Mode::dump);
    EXPECT_EQ(run({"--flush"}).mode, Mode::flush);
    EXPECT_EQ(run({"--monitor"}).mode, Mode::monitor);
    EXPECT_EQ(run({"--file", "x"}).script, "x");
    EXPECT_EQ(run({"--file=y"}).script, "y");
}

TEST(Options, FileArgumentSpellings) {
    EXPECT_EQ(run({"-f", "-"}).script, "-");
    EXPECT_EQ(run({"-f-"}).script, "-");
    EXPECT_EQ(run({"-ffoo.conf"}).script, "foo.conf");
    auto o = run({"-nvf", "foo.conf"});
    EXPECT_EQ(o.mode, Mode::script);
    EXPECT_EQ(o.script, "foo.conf");
    EXPECT_TRUE(o.dry_run);
    EXPECT_TRUE(o.verbose);
}

TEST(Options, LastModeWinsLikeGetopt) {
    EXPECT_EQ(run({"-DF"}).mode, Mode::flush);
    EXPECT_EQ(run({"-FD"}).mode, Mode::dump);
    EXPECT_EQ(run({"-D", "-c"}).mode, Mode::commands);
    EXPECT_EQ(run({"-f", "a", "-D"}).mode, Mode::dump);
    auto o = run({"-D", "-f", "a"});
    EXPECT_EQ(o.mode, Mode::script);
    EXPECT_EQ(o.script, "a");
    EXPECT_EQ(run({"-x", "-D"}).mode, Mode::dump);
    EXPECT_EQ(run({"--dump", "--flush"}).mode, Mode::flush);
}

TEST(Options, CombinedShortFlags) {
    auto dp = run({"-DP"});
    EXPECT_EQ(dp.mode, Mode::dump);
    EXPECT_TRUE(dp.policy);
    auto fp = run({"-FP"});
    EXPECT_EQ(fp.mode, Mode::flush);
    EXPECT_TRUE(fp.policy);
    auto dpa = run({"-DPa"});
    EXPECT_TRUE(dpa.policy);
    EXPECT_TRUE(dpa.all);
    auto sep = run({"-D", "-P"});
    EXPECT_TRUE(sep.policy);
    EXPECT_TRUE(run({"-D", "--policy"}).policy);
}

TEST(Options, EveryModifier) {
    auto o = run({"-D", "-a", "-l", "-n", "-v", "-H", "-p", "-P"});
    EXPECT_TRUE(o.all);
    EXPECT_TRUE(o.loop);
    EXPECT_TRUE(o.dry_run);
    EXPECT_TRUE(o.verbose);
    EXPECT_TRUE(o.hexdump);
    EXPECT_TRUE(o.ports);
    EXPECT_TRUE(o.policy);
    auto l = run({"--dump", "--all", "--loop", "--dry-run", "--verbose", "--hexdump", "--ports",
                  "--policy", "--show-keys", "--compat-exit"});
    EXPECT_TRUE(l.all && l.loop && l.dry_run && l.verbose && l.hexdump && l.ports && l.policy);
    EXPECT_TRUE(l.show_keys);
    EXPECT_TRUE(l.compat_exit);
}

TEST(Options, DefaultsAreClassicRfcAuto) {
    auto o = run({"-D"});
    EXPECT_TRUE(o.fwd_companion);
    EXPECT_EQ(o.backend, BackendChoice::automatic);
    EXPECT_EQ(o.output, OutputFormat::classic);
    EXPECT_FALSE(o.show_keys || o.compat_exit || o.dry_run || o.policy);
    EXPECT_EQ(o.monitor_level, 0);
}

TEST(Options, RfcAndKernelModeLastOneWins) {
    EXPECT_FALSE(run({"-k", "-c"}).fwd_companion);
    EXPECT_TRUE(run({"-k", "-r", "-c"}).fwd_companion);
    EXPECT_FALSE(run({"-rk", "-c"}).fwd_companion);
    EXPECT_FALSE(run({"--kernel", "-c"}).fwd_companion);
    EXPECT_TRUE(run({"--kernel", "--rfc", "-c"}).fwd_companion);
}

TEST(Options, MonitorCountsX) {
    EXPECT_EQ(run({"-x"}).monitor_level, 1);
    EXPECT_EQ(run({"-xx"}).monitor_level, 2);
    EXPECT_EQ(run({"-x", "-x"}).monitor_level, 2);
    auto h = run({"-Hx"});
    EXPECT_TRUE(h.hexdump);
    EXPECT_EQ(h.mode, Mode::monitor);
}

TEST(Options, FileOperandsWinOverModeFlags) {
    auto o = run({"-D", "foo", "bar"});
    EXPECT_EQ(o.mode, Mode::files);
    EXPECT_EQ(o.files, (std::vector<std::string>{"foo", "bar"}));
    EXPECT_EQ(run({"msgs.bin"}).mode, Mode::files);
}

TEST(Options, BackendChoice) {
    EXPECT_EQ(run({"-D", "--backend", "pfkey"}).backend, BackendChoice::pfkey);
    EXPECT_EQ(run({"-D", "--backend=xfrm"}).backend, BackendChoice::xfrm);
    EXPECT_EQ(run({"-D", "--backend", "auto"}).backend, BackendChoice::automatic);
    EXPECT_EQ(run({"-D", "--backend", "XFRM"}).backend, BackendChoice::xfrm);
    CommandLine bad = parse({"-D", "--backend", "netlink"});
    EXPECT_EQ(bad.action, CommandLine::Action::usage_error);
    EXPECT_EQ(bad.error, "--backend: 'netlink' is not one of auto, pfkey, xfrm");
    // The enum's numbers are not names.
    EXPECT_EQ(parse({"-D", "--backend", "1"}).action, CommandLine::Action::usage_error);
}

TEST(Options, OutputFormat) {
    EXPECT_EQ(run({"-D", "-o", "json"}).output, OutputFormat::json);
    EXPECT_EQ(run({"-D", "-ojsonl"}).output, OutputFormat::jsonl);
    EXPECT_EQ(run({"-D", "--output=prometheus"}).output, OutputFormat::prometheus);
    EXPECT_EQ(run({"-DP", "-o", "script"}).output, OutputFormat::script);
    EXPECT_EQ(run({"-D", "--output", "classic"}).output, OutputFormat::classic);
    EXPECT_EQ(run({"-D", "-o", "JSON"}).output, OutputFormat::json);
    CommandLine bad = parse({"-D", "-o", "yaml"});
    EXPECT_EQ(bad.action, CommandLine::Action::usage_error);
    EXPECT_EQ(bad.error, "--output: 'yaml' is not one of classic, json, jsonl, prometheus, script");
    EXPECT_EQ(parse({"-D", "-o", "0"}).action, CommandLine::Action::usage_error);
}

TEST(Options, HelpAndVersion) {
    EXPECT_EQ(parse({"-h"}).action, CommandLine::Action::help);
    EXPECT_EQ(parse({"-?"}).action, CommandLine::Action::help);
    EXPECT_EQ(parse({"--help"}).action, CommandLine::Action::help);
    EXPECT_EQ(parse({"-D", "-h"}).action, CommandLine::Action::help);
    EXPECT_EQ(parse({"-V"}).action, CommandLine::Action::version);
    EXPECT_EQ(parse({"--version"}).action, CommandLine::Action::version);
}

TEST(Options, UnknownFlagsAndMissingValuesAreUsageErrors) {
    EXPECT_EQ(parse({"-Dz"}).action, CommandLine::Action::usage_error);
    EXPECT_EQ(parse({"-d"}).action, CommandLine::Action::usage_error); // getopt knew it, setkey never did
    EXPECT_EQ(parse({"--bogus"}).action, CommandLine::Action::usage_error);
    EXPECT_EQ(parse({"-f"}).action, CommandLine::Action::usage_error);
    EXPECT_EQ(parse({"-D", "--backend"}).action, CommandLine::Action::usage_error);
}

TEST(Options, FlagsTakeNoValue) {
    EXPECT_EQ(parse({"--dump=false"}).action, CommandLine::Action::usage_error);
    EXPECT_EQ(parse({"-D", "--policy=0"}).action, CommandLine::Action::usage_error);
}

TEST(Options, TwoScriptsAreAUsageErrorNotTheLastOneSilently) {
    for (auto args : {std::vector<std::string>{"-f", "a.conf", "-f", "b.conf"}, {"-fa.conf", "--file=b.conf"},
                      {"-D", "-f", "a.conf", "-c", "-f", "b.conf"}}) {
        CommandLine cl = parse(args);
        EXPECT_EQ(cl.action, CommandLine::Action::usage_error);
        EXPECT_EQ(cl.error, "-f given more than once ('a.conf', then 'b.conf'): a run loads one script");
    }
}

// Every usage error the parser can give, in setkey's words (CLI11's own texts such as
// "At Most 1 required but received 2" or "was given a disallowed flag override" never show).
TEST(Options, EveryUsageErrorIsWordedBySetkey) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"-P"}, "no mode given: use -c, -f FILE, -D, -F, -x or a file operand"},
        {{"-f"}, "-f needs a value (FILE)"},
        {{"--file"}, "-f needs a value (FILE)"},
        {{"-D", "--backend"}, "--backend needs a value (auto|pfkey|xfrm)"},
        {{"-D", "-o"}, "-o needs a value (classic|json|jsonl|prometheus|script)"},
        {{"-Do"}, "-o needs a value (classic|json|jsonl|prometheus|script)"},
        {{"-D", "--backend", "netlink"}, "--backend: 'netlink' is not one of auto, pfkey, xfrm"},
        {{"-D", "-o", "yaml"}, "--output: 'yaml' is not one of classic, json, jsonl, prometheus, script"},
        {{"-D", "--backend", "xfrm", "--backend", "pfkey"}, "--backend given more than once"},
        {{"-D", "-o", "json", "-o", "jsonl"}, "-o given more than once"},
        {{"-f", "a", "-f", "b"}, "-f given more than once ('a', then 'b'): a run loads one script"},
        {{"--help=1"}, "--help takes no value"},
        {{"--dump=1"}, "--dump takes no value"},
        {{"--dump=true"}, "--dump takes no value"},
        {{"--version=true"}, "--version takes no value"},
        {{"-D", "--policy=0"}, "--policy takes no value"},
        {{"--monitor=2"}, "--monitor takes no value"},
        {{"-f", "a", "--atomic=1"}, "--atomic takes no value"},
        {{"-Z"}, "unknown option '-Z'"},
        {{"-Dq"}, "unknown option '-q'"},
        {{"--nosuch"}, "unknown option '--nosuch'"},
        {{"-D=yes"}, "unknown option '-=yes'"},
        {{"-D", "--atomic"}, "--atomic needs -f or -c"},
        {{"-D", "--sync"}, "--sync needs -f or -c"},
        {{"-DP", "--diff"}, "--diff needs -f or -c"},
        {{"-f", "a", "--sync", "--diff"}, "--sync and --diff exclude each other"},
        {{"-f", "a", "--diff", "--atomic"}, "--diff sends nothing: --atomic has nothing to roll back"},
        {{"-n", "-f", "a", "--diff"},
         "--diff compares the script with the kernel, which -n does not read (--diff alone changes nothing)"},
        {{"-f", "a", "--diff", "-o", "jsonl"}, "--diff prints its plan as text or, with -o json, as one document"},
        {{"-c", "--diff", "-o", "script"}, "--diff prints its plan as text or, with -o json, as one document"},
        {{"-n", "-x"}, "-x watches the kernel, and -n opens no socket"},
        {{"-D", "-l", "-o", "json"}, "-D -l repeats the short listing, which has no -o form (-DP -l and -D without -l have)"},
        {{"-f", ""}, "-f needs a file name"},
    };
    for (const auto& [args, error] : cases) {
        CommandLine cl = parse(args);
        EXPECT_EQ(cl.action, CommandLine::Action::usage_error) << args.front();
        EXPECT_EQ(cl.error, error) << args.front();
    }
}

TEST(Options, UsageListsOneSynopsisPerMode) {
    std::string u = setkey::cli::usage_text();
    for (const char* m : {"file ...", "-c", "-f filename", "-D", "-F", "-x", "-V"})
        EXPECT_NE(u.find(m), std::string::npos) << m;
    EXPECT_EQ(u.rfind("usage: setkey", 0), 0u);
}

TEST(Options, HelpStartsWithTheSynopsisAndListsLongOptions) {
    std::string h = setkey::cli::help_text();
    EXPECT_NE(h.find("usage: setkey"), std::string::npos);
    for (const char* n : {"--dump", "--backend", "--output", "--compat-exit", "--show-keys"})
        EXPECT_NE(h.find(n), std::string::npos) << n;
}

TEST(Options, OptionNamesCoverShortAndLongForms) {
    auto names = setkey::cli::option_names();
    for (const char* n : {"-D", "--dump", "-?", "-o", "--backend", "-x", "--monitor"})
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

} // namespace
