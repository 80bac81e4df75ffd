#include "cli/pipeline.hpp"

#include "pfkey/backend.hpp"
#include "xfrm/backend.hpp"

namespace setkey::cli {
namespace {

class XfrmPipeline final : public Pipeline {
public:
    explicit XfrmPipeline(xfrm::XfrmBackend& backend) : backend_(backend) {}
    void apply(std::span<const model::Command> commands,
               const std::function<void(size_t, const model::OpResult&)>& done) override {
        backend_.apply_batch(commands, done);
    }

private:
    xfrm::XfrmBackend& backend_;
};

class PfkeyPipeline final : public Pipeline {
public:
    explicit PfkeyPipeline(pfkey::PfkeyBackend& backend) : backend_(backend) {}
    void apply(std::span<const model::Command> commands,
               const std::function<void(size_t, const model::OpResult&)>& done) override {
        backend_.apply_batch(commands, done);
    }

private:
    pfkey::PfkeyBackend& backend_;
};

} // namespace

std::unique_ptr<Pipeline> pipeline_for(model::Backend& backend) {
    if (auto* x = dynamic_cast<xfrm::XfrmBackend*>(&backend)) return std::make_unique<XfrmPipeline>(*x);
    if (auto* p = dynamic_cast<pfkey::PfkeyBackend*>(&backend)) return std::make_unique<PfkeyPipeline>(*p);
    return nullptr;
}

} // namespace setkey::cli
