// --sync and --diff against a kernel that keeps what it is sent (the host kernel has no
// ESP/AH, so SAs are tested here): the second sync sends nothing, --diff's exit status
// follows the tables, --atomic rolls a refused sync back.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>

#include "mode_fixture.hpp"
#include "model/sync_identity.hpp"
#include "support/kernel_records.hpp"

namespace setkey {
namespace {

// Holds SAs and policies as a kernel would (newest first) and counts what changes them.
struct StatefulKernel final : model::Backend {
    std::vector<model::SaRecord> sas;
    std::vector<model::PolicyRecord> spd;
    std::vector<std::string> changes; // "add_sa", "delete_sa", "spdadd", ...
    std::optional<uint32_t> refuse_spi; // add_sa of this SPI fails with EINVAL
    uint32_t next_id = 1;

    std::string_view name() const override { return "fake"; }
    model::OpResult add_sa(const model::AddSa& sa) override {
        changes.push_back("add_sa");
        if (refuse_spi == sa.key.spi) return {EINVAL, ""};
        const auto id = model::sa_identity(sa.key);
        if (std::any_of(sas.begin(), sas.end(), [&](const auto& r) { return model::sa_identity(r) == id; }))
            return {EEXIST, ""};
        sas.insert(sas.begin(), model::testing::kernel_sa(sa));
        return {};
    }
    model::OpResult get_sa(const model::SaKey&, const model::SaSink&) override { return {}; }
    model::OpResult delete_sa(const model::SaKey& key) override {
        changes.push_back("delete_sa");
        const auto id = model::sa_identity(key);
        const auto n = std::erase_if(sas, [&](const auto& r) { return model::sa_identity(r) == id; });
        return n ? model::OpResult{} : model::OpResult{ESRCH, ""};
    }
    model::OpResult flush_sa(std::optional<model::SaType>) override {
        changes.push_back("flush_sa");
        sas.clear();
        return {};
    }
    model::OpResult dump_sa(std::optional<model::SaType>, const model::SaSink& out) override {
        for (const auto& r : sas) out(r);
        return {};
    }
    model::OpResult policy(const model::SpdEntry& e) override {
        changes.push_back(e.kind == model::SpdEntry::Kind::add      ? "spdadd"
                          : e.kind == model::SpdEntry::Kind::update ? "spdupdate"
                                                                    : "spddelete");
        const auto id = model::policy_identity(e);
        auto same = [&](const auto& r) { return model::policy_identity(r) == id; };
        const auto it = std::find_if(spd.begin(), spd.end(), same);
        if (e.kind == model::SpdEntry::Kind::remove) {
            if (it == spd.end()) return {ENOENT, ""};
            spd.erase(it);
            return {};
        }
        if (it != spd.end() && e.kind == model::SpdEntry::Kind::add) return {EEXIST, ""};
        model::PolicyRecord r = model::testing::kernel_policy(e, next_id++);
        if (it != spd.end()) *it = r;
        else spd.insert(spd.begin(), r);
        return {};
    }
    model::OpResult flush_policies() override {
        changes.push_back("spdflush");
        spd.clear();
        return {};
    }
    model::OpResult dump_policies(const model::PolicySink& out) override {
        for (const auto& r : spd) out(r);
        return {};
    }
};

constexpr const char* kGateway =
    "flush;\n"
    "spdflush;\n"
    "add 192.0.2.1 192.0.2.2 esp 0x201 -m tunnel -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n"
    "add 192.0.2.2 192.0.2.1 esp 0x202 -m tunnel -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n"
    "spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n"
    "spdadd 10.2.0.0/16 10.1.0.0/16 any -P in ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;\n";

struct SyncMode : testing::ModeTest {
    StatefulKernel state;

    cli::BackendOpener stateful() {
        return [this](std::string&) -> std::unique_ptr<model::Backend> {
            ++opened;
            return std::make_unique<testing::BorrowedBackend>(state);
        };
    }
    int run(const std::string& script, void (*adjust)(cli::Options&)) {
        cli::Options o;
        o.mode = cli::Mode::script;
        o.script = write("gateway.conf", script);
        adjust(o);
        out.str("");
        err.str("");
        return cli::run_sync(o, io(), stateful());
    }
    int sync(const std::string& script) {
        return run(script, [](cli::Options& o) {
            o.sync = true;
            o.verbose = true; // the summary line
        });
    }
    int diff(const std::string& script) {
        return run(script, [](cli::Options& o) { o.diff = true; });
    }
};

TEST_F(SyncMode, TheSecondSyncOfTheSameFileSendsNothing) {
    EXPECT_EQ(sync(kGateway), 0) << err.str();
    EXPECT_EQ(state.changes, (std::vector<std::string>{"add_sa", "add_sa", "spdadd", "spdadd", "spdadd"}));
    EXPECT_NE(err.str().find("setkey: sync: 5 added, 0 replaced, 0 deleted, 0 unchanged\n"), std::string::npos)
        << err.str();
    const auto before = state.sas;
    state.changes.clear();
    EXPECT_EQ(sync(kGateway), 0) << err.str();
    EXPECT_EQ(state.changes, std::vector<std::string>{});
    EXPECT_NE(err.str().find("setkey: sync: 0 added, 0 replaced, 0 deleted, 5 unchanged\n"), std::string::npos)
        << err.str();
    EXPECT_EQ(err.str().find("setkey: applied"), std::string::npos) << err.str(); // one summary, the sync's
    EXPECT_TRUE(state.sas == before); // counters and creation times untouched
}

TEST_F(SyncMode, DiffExitsZeroWhenTheKernelMatchesAndThreeWithTheChange) {
    ASSERT_EQ(sync(kGateway), 0);
    EXPECT_EQ(diff(kGateway), 0);
    EXPECT_EQ(out.str(), "");
    state.sas.erase(state.sas.begin()); // someone deleted 0x202
    state.changes.clear();
    EXPECT_EQ(diff(kGateway), 3);
    EXPECT_EQ(out.str(), "+ add 192.0.2.2 192.0.2.1 esp 0x202 -m tunnel -E aes-cbc hidden-key;\n");
    EXPECT_EQ(state.changes, std::vector<std::string>{}); // --diff sends nothing
}

TEST_F(SyncMode, AChangedKeyReplacesOnlyThatSa) {
    ASSERT_EQ(sync(kGateway), 0);
    std::string edited = kGateway;
    edited.replace(edited.find("0x000102030405060708090a0b0c0d0e0f;\nspdadd"), 34,
                   "0xffeeddccbbaa99887766554433221100");
    EXPECT_EQ(diff(edited), 3);
    EXPECT_EQ(out.str(), "~ add 192.0.2.2 192.0.2.1 esp 0x202 -m tunnel -E aes-cbc hidden-key;\n");
    state.changes.clear();
    EXPECT_EQ(sync(edited), 0) << err.str();
    EXPECT_EQ(state.changes, (std::vector<std::string>{"delete_sa", "add_sa"}));
    EXPECT_NE(err.str().find("setkey: sync: 0 added, 1 replaced, 0 deleted, 4 unchanged\n"), std::string::npos)
        << err.str();
    EXPECT_EQ(diff(edited), 0);
}

TEST_F(SyncMode, AtomicRollsBackARefusedSync) {
    ASSERT_EQ(sync(kGateway), 0);
    const auto sas = state.sas;
    const auto spd = state.spd;
    state.refuse_spi = 0x203;
    const std::string more = std::string(kGateway) +
                             "add 192.0.2.1 192.0.2.3 esp 0x203 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n"
                             "spdadd 10.1.0.0/16 10.3.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.3/require;\n";
    const int status = run(more, [](cli::Options& o) {
        o.sync = true;
        o.atomic = true;
    });
    EXPECT_EQ(status, 2);
    EXPECT_NE(err.str().find("gateway.conf:7: add failed"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("--atomic: rolled back"), std::string::npos) << err.str();
    EXPECT_EQ(state.sas.size(), sas.size());
    EXPECT_EQ(state.spd.size(), spd.size());
}

// Without --atomic a refused request stays refused: the summary says how many failed
// and that its counts are the plan's (before, it counted the refused add as added).
TEST_F(SyncMode, TheSummaryOfASyncWithRefusalsSaysSo) {
    ASSERT_EQ(sync(kGateway), 0);
    state.refuse_spi = 0x203;
    const std::string more = std::string(kGateway) +
                             "add 192.0.2.1 192.0.2.3 esp 0x203 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f;\n"
                             "spdadd 10.1.0.0/16 10.3.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.3/require;\n";
    EXPECT_EQ(sync(more), 2);
    EXPECT_NE(err.str().find("gateway.conf:7: add failed"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("setkey: sync: 1 of 2 requests failed; the plan was 2 added, 0 replaced, 0 deleted, "
                             "5 unchanged\n"),
              std::string::npos)
        << err.str();
    EXPECT_EQ(err.str().find("setkey: sync: 2 added"), std::string::npos) << err.str();
}

TEST_F(SyncMode, DiffWithJsonIsOnePlanDocument) {
    EXPECT_EQ(run(kGateway, [](cli::Options& o) {
                  o.diff = true;
                  o.output = cli::OutputFormat::json;
                  o.show_keys = true;
              }),
              3);
    EXPECT_NE(out.str().find("\"change\": \"add\""), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("0x000102030405060708090a0b0c0d0e0f"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("\"added\": 5"), std::string::npos) << out.str();
}

TEST_F(SyncMode, StatementsASyncCannotCompareAreRefusedBeforeAnythingIsSent) {
    EXPECT_EQ(sync("getspi 192.0.2.1 192.0.2.2 esp 0x300;\n"), 1);
    EXPECT_EQ(opened, 0);
    EXPECT_NE(err.str().find("gateway.conf:1: --sync cannot take this statement: getspi"), std::string::npos)
        << err.str();
}

} // namespace
} // namespace setkey
