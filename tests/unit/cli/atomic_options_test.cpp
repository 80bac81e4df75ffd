// --atomic is accepted with the two loading modes and refused elsewhere, where it could
// only be ignored.
#include <gtest/gtest.h>

#include "cli/options.hpp"

namespace setkey {
namespace {

using cli::CommandLine;
using cli::parse_command_line;

TEST(AtomicOption, WithFileOrCommands) {
    auto f = parse_command_line({"--atomic", "-f", "x.conf"});
    EXPECT_EQ(f.action, CommandLine::Action::run);
    EXPECT_TRUE(f.options.atomic);
    auto c = parse_command_line({"-c", "--atomic"});
    EXPECT_EQ(c.action, CommandLine::Action::run);
    EXPECT_TRUE(c.options.atomic);
    EXPECT_FALSE(parse_command_line({"-f", "x.conf"}).options.atomic);
}

TEST(AtomicOption, RefusedWithOtherModes) {
    for (auto args : std::vector<std::vector<std::string>>{
             {"--atomic", "-D"}, {"--atomic", "-FP"}, {"--atomic", "-x"}, {"--atomic", "dump.bin"}}) {
        const auto r = parse_command_line(args);
        EXPECT_EQ(r.action, CommandLine::Action::usage_error) << args[1];
        EXPECT_EQ(r.error, "--atomic needs -f or -c");
    }
}

} // namespace
} // namespace setkey
