// model::Backend over XFRM netlink (libmnl), with pipelined batches for loads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <vector>

#include "model/backend.hpp"
#include "xfrm/codec.hpp"
#include "xfrm/socket.hpp"

namespace setkey::xfrm {

struct XfrmOptions {
    // Called with every netlink message sent (sent = true) and received (-v).
    std::function<void(std::span<const uint8_t> message, bool sent)> trace;
    // Socket receive buffer in bytes: room for the ACKs of one pipelined batch write.
    // Tests shrink it to provoke ENOBUFS.
    int receive_buffer = 4 * 1024 * 1024;
};

class XfrmBackend final : public model::Backend {
public:
    // Opens the socket and checks access (GETSPDINFO). Throws std::system_error with a
    // clear message, e.g. when CAP_NET_ADMIN is missing in this network namespace.
    explicit XfrmBackend(XfrmOptions options);

    std::string_view name() const override { return "xfrm"; }

    model::OpResult add_sa(const model::AddSa& sa) override;
    model::OpResult get_sa(const model::SaKey& key, const model::SaSink& out) override;
    model::OpResult delete_sa(const model::SaKey& key) override;
    model::OpResult flush_sa(std::optional<model::SaType> type) override;
    model::OpResult dump_sa(std::optional<model::SaType> type, const model::SaSink& out) override;

    model::OpResult policy(const model::SpdEntry& entry) override;
    model::OpResult flush_policies() override;
    model::OpResult dump_policies(const model::PolicySink& out) override;

    // One policy by selector and direction (XFRM_MSG_GETPOLICY); ENOENT when absent.
    model::OpResult get_policy(const model::SpdEntry& entry, const model::PolicySink& out);

    // model::Backend::apply_batch, pipelined: sends many requests (each with its own
    // netlink seq) per write and collects their ACKs. Tagged policies get EINVAL as
    // on Linux PF_KEY.
    void apply_batch(std::span<const model::Command> commands,
                     const model::BatchCallback& done) override;
    bool pipelines() const override { return true; }

private:
    // The reply is the sink's to take (a dump moves its record out: no copy per entry).
    // `more`: another reply to the same request follows it in its datagram.
    using ReplySink = std::function<void(size_t slot, Decoded&, bool more)>;

    uint32_t next_seq();
    // Sends `wire` (messages with sequence numbers `seqs`) and waits for each one's final
    // answer (ACK, error or NLMSG_DONE). Other replies go to `on_reply` with their slot.
    std::vector<model::OpResult> exchange(std::span<const uint8_t> wire,
                                          std::span<const uint32_t> seqs, bool dump,
                                          const ReplySink& on_reply);
    model::OpResult single(const std::vector<uint8_t>& msg, bool dump, const ReplySink& on_reply);
    // After the kernel dropped messages for us: collects what is still queued, then
    // waits for a barrier request's ACK; answers still missing then were lost.
    void settle_after_overrun(std::vector<std::optional<model::OpResult>>& results,
                              std::span<const uint32_t> seqs);
    // `unique` templates without a reqid get one above 0x3fff that no policy uses, as
    // af_key generates them.
    model::OpResult reqids_in_use(std::set<uint32_t>& used);
    void assign_reqids(model::SpdEntry& entry, std::set<uint32_t>& used);

    XfrmOptions options_;
    Socket socket_;
    uint32_t seq_ = 0;
    uint32_t pid_ = 0;
    uint32_t last_reqid_ = model::kManualReqidMax;
};

std::unique_ptr<XfrmBackend> open_xfrm_backend(const XfrmOptions& options = {});

} // namespace setkey::xfrm
