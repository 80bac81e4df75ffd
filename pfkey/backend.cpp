#include "pfkey/backend.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

namespace setkey::pfkey {
namespace {

using Clock = std::chrono::steady_clock;

// A second dump while one runs, or a busy socket, answers EBUSY; try again a few times.
constexpr int kBusyRetries = 5;

model::OpResult refuse(std::string detail) { return {EOPNOTSUPP, std::move(detail)}; }

// An encoder found a length PF_KEY cannot say: nothing was sent, the command failed.
model::OpResult unencodable(const EncodeError& e) { return {e.error, std::string("pfkey: ") + e.what()}; }

// Marks, interface ids and the rest of XFRM's policy attributes do not exist in PF_KEY.
// The grammar refuses the options once it knows the backend is PF_KEY (with --backend
// auto and -n it cannot); commands built from records (a restore, a --sync plan) never
// pass the grammar. Either way nothing is installed without what it asked for.
std::optional<model::OpResult> beyond_pfkey(const std::optional<model::Mark>& mark, uint32_t if_id) {
    if (mark) return refuse("pfkey: PF_KEY has no marks (-mark); use --backend xfrm");
    if (if_id != 0) return refuse("pfkey: PF_KEY has no interface ids (-if_id); use --backend xfrm");
    return std::nullopt;
}

std::optional<model::OpResult> beyond_pfkey(const model::SaKey& key) { return beyond_pfkey(key.mark, key.if_id); }

std::optional<model::OpResult> beyond_pfkey(const model::SpdEntry& entry) {
    if (auto refused = beyond_pfkey(entry.xfrm.mark, entry.xfrm.if_id)) return refused;
    if (!entry.xfrm.empty())
        return refuse("pfkey: PF_KEY cannot carry this policy's XFRM attributes (flags, share, type, "
                      "selector ifindex, user or port mask); use --backend xfrm");
    for (const model::IpsecRequest& r : entry.policy.requests)
        if (r.spi != 0 || r.share != 0)
            return refuse("pfkey: PF_KEY cannot carry a template's SPI or share; use --backend xfrm");
    return std::nullopt;
}

// What Linux af_key cannot install, said before sending anything.
std::optional<model::OpResult> beyond_pfkey(const model::AddSa& sa) {
    if (auto refused = beyond_pfkey(sa.key)) return refused;
    if (sa.xfrm.output_mark)
        return refuse("pfkey: PF_KEY has no output marks (-output_mark); use --backend xfrm");
    for (const auto* k : {sa.enc ? &*sa.enc : nullptr, sa.auth ? &*sa.auth : nullptr}) {
        if (!k || !k->alg) continue;
        if (k->alg->kind == model::AlgKind::aead)
            return refuse(fmt::format("pfkey: {} is an AEAD algorithm, which Linux PF_KEY cannot "
                                      "install; use --backend xfrm",
                                      k->alg->name));
        if (k->alg->pfkey_id < 0)
            return refuse(fmt::format("pfkey: {} has no PF_KEY algorithm id; use --backend xfrm",
                                      k->alg->name));
    }
    if (sa.esn)
        return refuse("pfkey: extended sequence numbers cannot be set over PF_KEY; use --backend xfrm");
    if (sa.replay > 255)
        return refuse(fmt::format("pfkey: replay window {} does not fit PF_KEY's 8-bit field; use "
                                  "--backend xfrm",
                                  sa.replay));
    return std::nullopt;
}

// af_key refuses an SA with only one of LIFETIME_HARD/LIFETIME_SOFT (EINVAL), and reads a
// 0 limit as "unlimited". So a lone -lh/-bh gets an all-zero soft lifetime (and vice
// versa): the SA installs with exactly the limits the user gave.
model::AddSa with_both_lifetimes(model::AddSa sa) {
    if (sa.hard.empty() && !sa.soft.empty()) sa.hard.add_seconds = 0;
    if (sa.soft.empty() && !sa.hard.empty()) sa.soft.add_seconds = 0;
    return sa;
}

const SupportedAlg* find_supported(const std::vector<SupportedAlg>& list, int id) {
    for (const auto& a : list)
        if (a.id == id) return &a;
    return nullptr;
}

} // namespace

PfkeyBackend::PfkeyBackend(std::unique_ptr<Transport> transport, PfkeyOptions options)
    : transport_(std::move(transport)), options_(std::move(options)),
      pid_(options_.pid.value_or(static_cast<uint32_t>(::getpid()))) {
    if (!options_.register_at_open) return;
    const model::OpResult r = register_socket();
    if (!r.ok())
        throw OpenError(r.error, fmt::format("pfkey: SADB_REGISTER failed: {}{}", std::strerror(r.error),
                                             r.detail.empty() ? "" : " (" + r.detail + ")"));
}

model::OpResult PfkeyBackend::register_socket() {
    model::OpResult r = exchange(encode_register(model::SaType::unspec, next_id()), Replies::one,
                                 [this](const Decoded& m) {
                                     if (m.supported) supported_ = *m.supported;
                                 });
    registered_ = r.ok();
    return r;
}

const Supported& PfkeyBackend::supported() {
    if (!registered_) register_socket(); // on failure the lists stay empty: nothing is listed
    return supported_;
}

RequestId PfkeyBackend::next_id() { return {pid_, ++seq_}; }

model::OpResult PfkeyBackend::exchange(const Bytes& request, Replies kind, const ReplySink& on_reply) {
    const Header sent = decode_header(request);
    const auto patience = std::chrono::milliseconds(options_.reply_timeout_ms);
    auto pause = std::chrono::milliseconds(10);
    for (int attempt = 0;; ++attempt) {
        if (options_.trace) options_.trace(request, true);
        if (int e = transport_->send(request); e != 0) return {e, "pfkey: send failed"};

        model::OpResult outcome;
        bool retry = false;
        auto deadline = Clock::now() + patience;
        for (bool done = false; !done;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            int error = 0;
            // Checked here too, so a steady stream of other sockets' messages cannot
            // keep us waiting for a reply that was dropped.
            auto got = left.count() > 0 ? transport_->receive(static_cast<int>(left.count()), error)
                                        : std::nullopt;
            if (!got)
                return {ETIMEDOUT, fmt::format("pfkey: no reply from the kernel for {} ms",
                                               options_.reply_timeout_ms)};
            if (error == ENOBUFS) continue; // a broadcast was dropped; ours may still come
            if (error != 0) return {error, "pfkey: receive failed"};
            if (got->size() < kHeaderSize) continue;
            const Header h = decode_header(*got);
            // Ours: our pid, and the request's seq; dump messages are numbered 1, 2, ...
            // with 0 last, so a dump is recognised by its type instead. Anything else
            // (other sockets' broadcasts, the second FLUSH reply) is skipped.
            if (h.pid != pid_) continue;
            if (options_.trace) options_.trace(*got, false);
            if (kind == Replies::one ? h.seq != sent.seq : h.type != sent.type) continue;
            deadline = Clock::now() + patience;

            if (h.errno_ != 0) {
                done = true;
                if (h.errno_ == EBUSY && attempt < kBusyRetries)
                    retry = true;
                else if (!(kind == Replies::dump && h.errno_ == ENOENT))
                    outcome = {h.errno_, {}};
                continue;
            }
            try {
                Decoded m = decode_message(*got);
                if (outcome.ok()) on_reply(m);
            } catch (const DecodeError& e) {
                // Keep reading a dump to its end so no stale part of it is left queued.
                if (outcome.ok()) outcome = {EBADMSG, std::string("pfkey: malformed reply: ") + e.what()};
            }
            done = kind == Replies::one || h.seq == 0;
        }
        if (!retry) return outcome;
        std::this_thread::sleep_for(pause);
        pause *= 2;
    }
}

model::OpResult PfkeyBackend::add_sa(const model::AddSa& sa) {
    if (auto refused = beyond_pfkey(sa)) return *refused;
    try {
        return exchange(encode_add_sa(with_both_lifetimes(sa), next_id()), Replies::one, [](const Decoded&) {});
    } catch (const EncodeError& e) {
        return unencodable(e);
    }
}

model::OpResult PfkeyBackend::get_sa(const model::SaKey& key, const model::SaSink& out) {
    if (auto refused = beyond_pfkey(key)) return *refused;
    return exchange(encode_get_sa(key, next_id()), Replies::one, [&](const Decoded& m) {
        if (!m.sa) return;
        // The reply echoes our request's seq; 0.8.2 always sent 0, so `get` printed
        // sadb_seq=0. Report it that way so outputs stay comparable.
        model::SaRecord r = *m.sa;
        r.msg.seq = 0;
        out(r);
    });
}

model::OpResult PfkeyBackend::delete_sa(const model::SaKey& key) {
    if (auto refused = beyond_pfkey(key)) return *refused;
    return exchange(encode_delete_sa(key, next_id()), Replies::one, [](const Decoded&) {});
}

model::OpResult PfkeyBackend::flush_sa(std::optional<model::SaType> type) {
    return exchange(encode_flush_sa(type, next_id()), Replies::one, [](const Decoded&) {});
}

model::OpResult PfkeyBackend::dump_sa(std::optional<model::SaType> type, const model::SaSink& out) {
    return exchange(encode_dump_sa(type, next_id()), Replies::dump, [&](const Decoded& m) {
        if (m.sa) out(*m.sa);
    });
}

model::OpResult PfkeyBackend::policy(const model::SpdEntry& entry) {
    if (auto refused = beyond_pfkey(entry)) return *refused;
    try {
        return exchange(encode_policy(entry, next_id()), Replies::one, [](const Decoded&) {});
    } catch (const EncodeError& e) {
        return unencodable(e);
    }
}

model::OpResult PfkeyBackend::flush_policies() {
    return exchange(encode_flush_policies(next_id()), Replies::one, [](const Decoded&) {});
}

model::OpResult PfkeyBackend::dump_policies(const model::PolicySink& out) {
    return exchange(encode_dump_policies(next_id()), Replies::dump, [&](const Decoded& m) {
        if (m.policy) out(*m.policy);
    });
}

std::variant<Bytes, model::OpResult> PfkeyBackend::batch_request(const model::Command& command) try {
    return std::visit(
        [&](const auto& c) -> std::variant<Bytes, model::OpResult> {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, model::AddSa>) {
                if (auto refused = beyond_pfkey(c)) return *refused;
                return encode_add_sa(with_both_lifetimes(c), next_id());
            } else if constexpr (std::is_same_v<T, model::DeleteSa>) {
                if (auto refused = beyond_pfkey(c.key)) return *refused;
                return encode_delete_sa(c.key, next_id());
            } else if constexpr (std::is_same_v<T, model::FlushSa>) {
                return encode_flush_sa(c.type, next_id());
            } else if constexpr (std::is_same_v<T, model::SpdEntry>) {
                if (auto refused = beyond_pfkey(c)) return *refused;
                return encode_policy(c, next_id());
            } else if constexpr (std::is_same_v<T, model::FlushSpd>) {
                return encode_flush_policies(next_id());
            } else if constexpr (std::is_same_v<T, model::Exit>) {
                return model::OpResult{};
            } else {
                return model::OpResult{EINVAL, "pfkey: not a status-only request; not pipelined"};
            }
        },
        command);
} catch (const EncodeError& e) {
    return unencodable(e);
}

void PfkeyBackend::run_window(std::span<const model::Command> commands, size_t first, size_t last,
                              std::vector<model::OpResult>& results) {
    // Sent requests by seq: seqs are consecutive within a window, so an offset finds them.
    struct Pending {
        size_t index;
        bool answered;
    };
    std::vector<Pending> pending;
    std::vector<Bytes> requests; // kept for an EBUSY resend
    uint32_t first_seq = 0;
    size_t open = 0;
    for (size_t i = first; i < last; ++i) {
        auto request = batch_request(commands[i]);
        if (auto* r = std::get_if<model::OpResult>(&request)) {
            results[i] = std::move(*r);
            continue;
        }
        Bytes& bytes = std::get<Bytes>(request);
        const uint32_t seq = seq_; // batch_request took it with next_id()
        if (pending.empty()) first_seq = seq;
        pending.resize(seq - first_seq + 1, Pending{0, true});
        if (options_.trace) options_.trace(bytes, true);
        if (int e = transport_->send(bytes); e != 0) {
            results[i] = {e, "pfkey: send failed"};
            continue;
        }
        pending[seq - first_seq] = {i, false};
        requests.resize(pending.size());
        requests[seq - first_seq] = std::move(bytes);
        ++open;
    }

    const auto patience = std::chrono::milliseconds(options_.reply_timeout_ms);
    auto deadline = Clock::now() + patience;
    std::vector<size_t> busy;
    while (open > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        int error = 0;
        auto got = left.count() > 0 ? transport_->receive(static_cast<int>(left.count()), error)
                                    : std::nullopt;
        if (!got) {
            for (const Pending& p : pending)
                if (!p.answered)
                    results[p.index] = {ETIMEDOUT, fmt::format("pfkey: no reply from the kernel for {} ms",
                                                               options_.reply_timeout_ms)};
            return;
        }
        if (error == ENOBUFS) continue; // a broadcast was dropped; ours may still come
        if (error != 0) {
            for (const Pending& p : pending)
                if (!p.answered) results[p.index] = {error, "pfkey: receive failed"};
            return;
        }
        if (got->size() < kHeaderSize) continue;
        const Header h = decode_header(*got);
        if (h.pid != pid_) continue;
        if (options_.trace) options_.trace(*got, false);
        // Not ours, or already answered (the second FLUSH reply): skip.
        if (h.seq < first_seq || h.seq - first_seq >= pending.size()) continue;
        Pending& p = pending[h.seq - first_seq];
        if (p.answered) continue;
        p.answered = true;
        --open;
        deadline = Clock::now() + patience;
        if (h.errno_ == EBUSY) {
            busy.push_back(h.seq - first_seq);
        } else if (h.errno_ != 0) {
            results[p.index] = {h.errno_, {}};
        } else {
            // Nothing of a status-only reply is used: check its framing (header and
            // extension lengths, as decode_message() does first) without building records.
            try {
                (void)split_extensions(*got);
            } catch (const DecodeError& e) {
                results[p.index] = {EBADMSG, std::string("pfkey: malformed reply: ") + e.what()};
            }
        }
    }
    // Rare (af_key says EBUSY for dumps): resend alone, with the single path's retries.
    for (size_t k : busy) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        results[pending[k].index] = exchange(requests[k], Replies::one, [](const Decoded&) {});
    }
}

void PfkeyBackend::apply_batch(std::span<const model::Command> commands, const model::BatchCallback& done) {
    const size_t window = std::max<size_t>(1, options_.pipeline_window);
    std::vector<model::OpResult> results(commands.size());
    for (size_t first = 0; first < commands.size(); first += window) {
        const size_t last = std::min(commands.size(), first + window);
        run_window(commands, first, last, results);
        for (size_t i = first; i < last; ++i) done(i, results[i]);
    }
}

bool PfkeyBackend::kernel_supports(const model::Algorithm& alg, unsigned key_bits) {
    const Supported& kernel = supported();
    const std::vector<SupportedAlg>* list = alg.kind == model::AlgKind::auth  ? &kernel.auth
                                            : alg.kind == model::AlgKind::enc ? &kernel.enc
                                                                              : nullptr;
    if (!list || alg.pfkey_id < 0) return false;
    const SupportedAlg* s = find_supported(*list, alg.pfkey_id);
    return s && key_bits >= s->min_bits && key_bits <= s->max_bits;
}

std::unique_ptr<PfkeyBackend> open_pfkey_backend(const PfkeyOptions& options) {
    return std::make_unique<PfkeyBackend>(std::make_unique<Socket>(), options);
}

} // namespace setkey::pfkey
