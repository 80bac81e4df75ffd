// XFRM-only script options and the interface the load goes to: over --backend pfkey
// the check pass refuses them before anything opens; over --backend auto the choice
// is made when the backend opens, and a PF_KEY choice refuses them then, still before
// anything is sent. deleteall -mark picks the SAs it deletes by their mark.
#include <gtest/gtest.h>

#include "mode_fixture.hpp"

namespace setkey {
namespace {

using testing::ModeTest;

constexpr const char* kMarked =
    "flush;\n"
    "add 192.0.2.1 192.0.2.2 esp 0x201 -E null;\n"
    "add 192.0.2.1 192.0.2.2 esp 0x202 -mark 0x5/0xff -if_id 7 -E null;\n"
    "spdadd 10.1.0.0/16 10.2.0.0/16 any -mark 0x5/0xff -P out none;\n";

cli::Options script_options(const std::string& file, cli::BackendChoice backend) {
    cli::Options o;
    o.mode = cli::Mode::script;
    o.script = file;
    o.backend = backend;
    return o;
}

std::string refusal(const std::string& file) {
    return "setkey: " + file + ":3:35: -mark needs the XFRM backend: PF_KEY has no marks; use --backend xfrm\n"
           "add 192.0.2.1 192.0.2.2 esp 0x202 -mark 0x5/0xff -if_id 7 -E null;\n"
           "                                  ^\n";
}

struct XfrmOnly : ModeTest {};

TEST_F(XfrmOnly, PfkeyRefusesBeforeOpening) {
    const auto file = write("marked.conf", kMarked);
    EXPECT_EQ(cli::run_script(script_options(file, cli::BackendChoice::pfkey), io(), opener()), 1);
    EXPECT_EQ(opened, 0);
    EXPECT_TRUE(kernel.calls.empty());
    EXPECT_EQ(err.str(), refusal(file));
}

TEST_F(XfrmOnly, AutoRefusesOnceItOpenedPfkeyAndSendsNothing) {
    kernel.backend_name = "pfkey";
    const auto file = write("marked.conf", kMarked);
    EXPECT_EQ(cli::run_script(script_options(file, cli::BackendChoice::automatic), io(), opener()), 1);
    EXPECT_EQ(opened, 1);
    EXPECT_TRUE(kernel.calls.empty()); // not even the flush of line 1
    EXPECT_EQ(err.str(), refusal(file));
}

TEST_F(XfrmOnly, AutoOverXfrmAppliesTheMarks) {
    const auto file = write("marked.conf", kMarked);
    EXPECT_EQ(cli::run_script(script_options(file, cli::BackendChoice::automatic), io(), opener()), 0) << err.str();
    ASSERT_EQ(kernel.added.size(), 2u);
    EXPECT_FALSE(kernel.added[0].key.mark);
    EXPECT_EQ(kernel.added[1].key.mark, (model::Mark{5, 0xff}));
    EXPECT_EQ(kernel.added[1].key.if_id, 7u);
    ASSERT_EQ(kernel.policies.size(), 1u);
    EXPECT_EQ(kernel.policies[0].xfrm.mark, (model::Mark{5, 0xff}));
}

TEST_F(XfrmOnly, DryRunChecksAgainstTheNamedBackendOnly) {
    const auto file = write("marked.conf", kMarked);
    auto o = script_options(file, cli::BackendChoice::automatic);
    o.dry_run = true;
    EXPECT_EQ(cli::run_script(o, io(), opener()), 0) << err.str(); // auto may pick XFRM
    o.backend = cli::BackendChoice::pfkey;
    EXPECT_EQ(cli::run_script(o, io(), opener()), 1);
    EXPECT_EQ(err.str(), refusal(file));
    EXPECT_EQ(opened, 0);
}

TEST_F(XfrmOnly, CommandModeChecksAgainstTheOpenBackendAndGoesOn) {
    kernel.backend_name = "pfkey";
    in.str("flush;\nadd 192.0.2.1 192.0.2.2 esp 0x201 -r 300 -E null;\nspdflush;\n");
    cli::Options o;
    o.mode = cli::Mode::commands;
    EXPECT_EQ(cli::run_commands(o, io(), opener()), 1);
    EXPECT_EQ(kernel.calls, (std::vector<std::string>{"flush_sa", "flush_policies"}));
    EXPECT_EQ(err.str(), "setkey: -:2:38: -r 300 needs the XFRM backend: PF_KEY's replay window has 8 bits (at "
                         "most 255); use --backend xfrm\n"
                         "add 192.0.2.1 192.0.2.2 esp 0x201 -r 300 -E null;\n"
                         "                                     ^\n");
}

TEST_F(XfrmOnly, SyncOverAutoRefusesOnceItOpenedPfkey) {
    kernel.backend_name = "pfkey";
    auto o = script_options(write("marked.conf", kMarked), cli::BackendChoice::automatic);
    o.sync = true;
    EXPECT_EQ(cli::run_sync(o, io(), opener()), 1);
    EXPECT_TRUE(kernel.calls.empty()); // not even the dumps
}

model::SaRecord record(uint32_t spi, std::optional<model::Mark> mark, const char* dst = "192.0.2.2") {
    model::SaRecord r;
    r.satype = model::SaType::esp;
    r.src = *model::IpAddress::parse("192.0.2.1");
    r.dst = *model::IpAddress::parse(dst);
    r.spi = spi;
    r.mark = mark;
    return r;
}

TEST_F(XfrmOnly, DeleteallWithAMarkTakesOnlyTheSasWithThatMark) {
    kernel.sas = {record(1, std::nullopt), record(2, model::Mark{5, 0xff}), record(3, model::Mark{5, 0xffffffffu}),
                  record(4, model::Mark{6, 0xff}), record(5, model::Mark{5, 0xff}, "192.0.2.3")};
    const auto file = write("da.conf", "deleteall 192.0.2.1 192.0.2.2 esp -mark 5/0xff;\n");
    EXPECT_EQ(cli::run_script(script_options(file, cli::BackendChoice::xfrm), io(), opener()), 0) << err.str();
    ASSERT_EQ(kernel.deleted.size(), 1u);
    EXPECT_EQ(kernel.deleted[0].spi, 2u);
}

TEST_F(XfrmOnly, DeleteallWithoutAMarkTakesMarkedSasToo) {
    kernel.sas = {record(1, std::nullopt), record(2, model::Mark{5, 0xff}), record(4, model::Mark{6, 0xff})};
    const auto file = write("da.conf", "deleteall 192.0.2.1 192.0.2.2 esp;\n");
    EXPECT_EQ(cli::run_script(script_options(file, cli::BackendChoice::xfrm), io(), opener()), 0) << err.str();
    EXPECT_EQ(kernel.deleted.size(), 3u);
}

} // namespace
} // namespace setkey
