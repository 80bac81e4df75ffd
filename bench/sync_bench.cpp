// What `--sync`/`--diff` spend on their own, without a kernel: the tables the kernel
// would hold after `setkey -f KERNEL` are encoded once as XFRM dump messages; each round
// decodes them and plans them against the target TARGET describes (parsed once, as
// sync_mode does). Prints microseconds per kernel entry for building the target and for
// decoding plus planning, and the plan's size.
//   bench_sync KERNEL TARGET [REPEAT]   (e.g. gen-script.py 10000 and its 1%-changed copy)
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/kernel/script_loader.hpp"
#include "bench/script_file.hpp"
#include "model/sync_plan.hpp"
#include "xfrm/codec.hpp"

using namespace setkey;

namespace {

template <class F>
double seconds(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

model::SyncTarget build_target(const std::string& text) {
    model::SyncTarget target(true);
    target.reserve(200000);
    grammar::ParseOptions options;
    options.resolve_names = false;
    std::string why;
    const grammar::ParseResult r = grammar::parse_script(text, options, [&](model::Statement&& s) {
        if (!target.add(std::move(s), why)) throw std::runtime_error(why);
        return true;
    });
    if (r.error) throw std::runtime_error(r.error->render());
    return target;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s KERNEL TARGET [REPEAT]\n", argv[0]);
        return 1;
    }
    char* target_argv[] = {argv[0], argv[2], argc > 3 ? argv[3] : nullptr};
    const auto target_file = bench::script_args(argc > 3 ? 3 : 2, target_argv, 3);
    if (!target_file) return 1;
    std::vector<std::vector<uint8_t>> sa_msgs, sp_msgs;
    uint32_t seq = 0;
    try {
        for (const model::Command& c : bench::load_requests(argv[1])) {
            if (const auto* sa = std::get_if<model::AddSa>(&c)) sa_msgs.push_back(xfrm::encode_add_sa(*sa, ++seq));
            else if (const auto* sp = std::get_if<model::SpdEntry>(&c)) sp_msgs.push_back(xfrm::encode_policy(*sp, ++seq));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    const double entries = double(sa_msgs.size() + sp_msgs.size());
    double best_build = 1e9, best_plan = 1e9;
    size_t changes = 0;
    for (int i = 0; i < target_file->repeat; ++i) {
        std::optional<model::SyncTarget> target;
        best_build = std::min(best_build, seconds([&] { target.emplace(build_target(target_file->text)); }));
        best_plan = std::min(best_plan, seconds([&] {
            model::SyncPlanner planner(*target);
            for (const auto& m : sa_msgs) {
                xfrm::Decoded d = xfrm::decode_message(m);
                if (auto* s = std::get_if<model::SaRecord>(&d.body)) {
                    s->state = static_cast<uint8_t>(model::SaState::mature);
                    planner.kernel_sa(*s);
                }
            }
            for (const auto& m : sp_msgs) {
                xfrm::Decoded d = xfrm::decode_message(m);
                if (auto* p = std::get_if<model::PolicyRecord>(&d.body)) planner.kernel_policy(*p);
            }
            const model::SyncPlan plan = std::move(planner).finish();
            changes = plan.requests().size();
        }));
    }
    std::printf("%zu kernel entries: target (parse + build) %.2f us/entry, decode + plan %.2f us/entry, %zu requests\n",
                sa_msgs.size() + sp_msgs.size(), best_build / entries * 1e6, best_plan / entries * 1e6, changes);
    return 0;
}
