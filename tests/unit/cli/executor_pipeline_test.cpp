// With a batch window (-f on a backend that pipelines), status-only requests are queued
// in bounded windows, keep script order around everything else, and failures still
// name their lines.
#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

#include "cli/executor.hpp"
#include "support/fake_backend.hpp"

namespace setkey {
namespace {

using cli::Executor;

// A backend whose apply_batch records each window it gets and answers from `results`
// (success when empty); it logs into the fake's call list too, so order against direct
// calls is visible. Everything else goes to the fake.
struct FakePipeline final : testing::BorrowedBackend {
    explicit FakePipeline(testing::FakeBackend& log) : BorrowedBackend(log), log(log) {}
    testing::FakeBackend& log;
    std::vector<size_t> windows;
    std::vector<model::Command> seen;
    std::deque<model::OpResult> results;
    bool pipelines() const override { return true; }
    void apply_batch(std::span<const model::Command> commands,
                     const model::BatchCallback& done) override {
        windows.push_back(commands.size());
        log.calls.push_back("batch");
        for (size_t i = 0; i < commands.size(); ++i) {
            seen.push_back(commands[i]);
            model::OpResult r;
            if (!results.empty()) {
                r = results.front();
                results.pop_front();
            }
            done(i, r);
        }
    }
};

model::Statement at(model::Command c, unsigned line) { return {std::move(c), {line, 1}, line}; }

model::SpdEntry in_policy() {
    model::SpdEntry e;
    e.policy.dir = model::Direction::in;
    e.policy.action = model::Action::ipsec;
    e.policy.requests.emplace_back();
    return e;
}

struct ExecutorPipeline : ::testing::Test {
    testing::FakeBackend backend;
    testing::RecordingPrinter printer;
    FakePipeline pipeline{backend};
    std::ostringstream out, err;
    Executor make(cli::ExecutorSettings s = {}, size_t window = 256) {
        s.batch_window = window;
        return Executor(pipeline, printer, s, out, err);
    }
};

TEST_F(ExecutorPipeline, StatusOnlyRequestsAreQueuedUntilFinish) {
    Executor ex = make();
    ex.run(at(model::FlushSa{}, 1), "s.conf");
    ex.run(at(model::AddSa{}, 2), "s.conf");
    EXPECT_TRUE(backend.calls.empty());
    ex.finish();
    EXPECT_EQ(pipeline.windows, (std::vector<size_t>{2}));
    EXPECT_TRUE(backend.added.empty()) << "nothing went through the one-by-one calls";
}

TEST_F(ExecutorPipeline, FwdCompanionIsQueuedRightAfterItsPolicy) {
    Executor ex = make();
    ex.run(at(in_policy(), 1), "s.conf");
    ex.finish();
    ASSERT_EQ(pipeline.seen.size(), 2u);
    EXPECT_EQ(std::get<model::SpdEntry>(pipeline.seen[1]).policy.dir, model::Direction::fwd);
}

TEST_F(ExecutorPipeline, KernelModeQueuesNoCompanion) {
    Executor ex = make({.fwd_companion = false});
    ex.run(at(in_policy(), 1), "s.conf");
    ex.finish();
    EXPECT_EQ(pipeline.seen.size(), 1u);
}

TEST_F(ExecutorPipeline, OtherCommandsDrainTheQueueFirst) {
    Executor ex = make();
    ex.run(at(model::AddSa{}, 1), "s.conf");
    ex.run(at(model::DumpSa{}, 2), "s.conf");
    ex.run(at(model::AddSa{}, 3), "s.conf");
    ex.finish();
    EXPECT_EQ(backend.calls, (std::vector<std::string>{"batch", "dump_sa", "batch"}));
}

TEST_F(ExecutorPipeline, WindowsAreBounded) {
    Executor ex = make({}, 3);
    for (unsigned line = 1; line <= 7; ++line) ex.run(at(model::AddSa{}, line), "s.conf");
    ex.finish();
    EXPECT_EQ(pipeline.windows, (std::vector<size_t>{3, 3, 1}));
}

TEST_F(ExecutorPipeline, FailuresNameTheirOwnLines) {
    pipeline.results = {{}, {EEXIST, ""}, {}, {EINVAL, ""}};
    Executor ex = make();
    ex.run(at(model::AddSa{}, 1), "s.conf");
    ex.run(at(model::AddSa{}, 2), "s.conf");
    ex.run(at(in_policy(), 4), "s.conf");
    ex.finish();
    EXPECT_EQ(err.str(),
              "setkey: s.conf:2: add failed: SA already exists\n"
              "setkey: s.conf:4: spdadd (fwd copy) failed: Invalid argument\n");
    EXPECT_EQ(ex.exit_status(), 2);
}

TEST_F(ExecutorPipeline, ExitDrainsTheQueue) {
    Executor ex = make();
    ex.run(at(model::AddSa{}, 1), "s.conf");
    EXPECT_EQ(ex.run(at(model::Exit{}, 2), "s.conf"), Executor::Next::stop);
    EXPECT_EQ(pipeline.windows, (std::vector<size_t>{1}));
}

TEST_F(ExecutorPipeline, DeleteallGoesThroughDumpAndDelete) {
    Executor ex = make();
    ex.run(at(model::DeleteAllSa{}, 1), "s.conf");
    EXPECT_EQ(backend.calls, (std::vector<std::string>{"dump_sa"}));
    EXPECT_TRUE(pipeline.windows.empty());
}

} // namespace
} // namespace setkey
