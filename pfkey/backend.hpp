// model::Backend over Linux PF_KEY v2 (af_key). Requests are encoded by codec.hpp,
// replies matched to them by sadb_msg_pid and sadb_msg_seq (each request gets its own
// seq), and decoded back into model records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "model/backend.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/socket.hpp"

namespace setkey::pfkey {

struct PfkeyOptions {
    // Called with every message sent (sent = true) and every message received that
    // carries our pid (-v); other processes' broadcasts are not traced.
    std::function<void(std::span<const uint8_t> message, bool sent)> trace;
    // sadb_msg_pid to send; getpid() when unset.
    std::optional<uint32_t> pid;
    // SADB_REGISTER when opening, as 0.8.2 does before a script (-f/-c) and only then:
    // dumps and flushes need no algorithm list, and under -v show no REGISTER exchange.
    // Without it, supported() and kernel_supports() register on first use.
    bool register_at_open = true;
    // Give up on a request when nothing for it arrived for this long. A dump of any size
    // keeps going as long as its messages keep coming.
    int reply_timeout_ms = 15000;
    // apply_batch keeps at most this many requests unanswered. af_key answers each
    // request before send() returns, so the replies of a window sit in our receive
    // buffer (2 MiB, see socket.hpp); 64 replies of a few KiB each fit with room for
    // other sockets' broadcasts.
    size_t pipeline_window = 64;
};

class PfkeyBackend final : public model::Backend {
public:
    // Sends SADB_REGISTER (satype UNSPEC) and keeps the kernel's supported-algorithm
    // lists. Throws OpenError when the kernel refuses or does not answer.
    PfkeyBackend(std::unique_ptr<Transport> transport, PfkeyOptions options);

    std::string_view name() const override { return "pfkey"; }

    // Refuses, without asking the kernel, what Linux PF_KEY cannot express: AEAD
    // ciphers, ESN, replay windows above 255 (EOPNOTSUPP, with a detail naming
    // --backend xfrm). An SA or policy whose lengths PF_KEY cannot say (EncodeError)
    // fails with EMSGSIZE, nothing sent.
    model::OpResult add_sa(const model::AddSa& sa) override;
    model::OpResult get_sa(const model::SaKey& key, const model::SaSink& out) override;
    model::OpResult delete_sa(const model::SaKey& key) override;
    model::OpResult flush_sa(std::optional<model::SaType> type) override;
    model::OpResult dump_sa(std::optional<model::SaType> type, const model::SaSink& out) override;

    model::OpResult policy(const model::SpdEntry& entry) override;
    model::OpResult flush_policies() override;
    model::OpResult dump_policies(const model::PolicySink& out) override;

    // model::Backend::apply_batch, pipelined: sends up to `pipeline_window` requests
    // before reading their replies (matched by pid and seq). A request the kernel
    // answers EBUSY is sent again on its own, with the single path's retries.
    void apply_batch(std::span<const model::Command> commands,
                     const model::BatchCallback& done) override;
    bool pipelines() const override { return true; }

    // What this kernel answered to SADB_REGISTER (sent now if it was not at open).
    const Supported& supported();
    // Does this kernel list `alg` with a key of `key_bits` bits in its advertised range?
    // (Linux does not check HMAC key sizes itself, and lists ranges, not discrete sizes.)
    bool kernel_supports(const model::Algorithm& alg, unsigned key_bits);

private:
    enum class Replies { one, dump };
    using ReplySink = std::function<void(const Decoded&)>;

    // Sends `request` and hands each decoded reply to `on_reply`: the one reply with
    // our pid and the request's seq, or for dumps every message of the dump up to the
    // one with seq 0. An empty dump (ENOENT) is success.
    model::OpResult exchange(const Bytes& request, Replies kind, const ReplySink& on_reply);
    RequestId next_id();
    // SADB_REGISTER with satype UNSPEC; keeps the SUPPORTED lists.
    model::OpResult register_socket();
    // The request for a pipelined command, or the result when nothing is to be sent.
    std::variant<Bytes, model::OpResult> batch_request(const model::Command& command);
    // Sends commands[first, last) and collects their replies into `results`.
    void run_window(std::span<const model::Command> commands, size_t first, size_t last,
                    std::vector<model::OpResult>& results);

    std::unique_ptr<Transport> transport_;
    PfkeyOptions options_;
    uint32_t pid_ = 0;
    uint32_t seq_ = 0;
    Supported supported_;
    bool registered_ = false;
};

// Opens a PF_KEY socket (and registers, per `options`). Throws OpenError with a one-line reason, e.g.
// "pfkey: this kernel has no PF_KEY (af_key); try `modprobe af_key` or --backend xfrm".
std::unique_ptr<PfkeyBackend> open_pfkey_backend(const PfkeyOptions& options = {});

} // namespace setkey::pfkey
