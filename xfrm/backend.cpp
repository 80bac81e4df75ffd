#include "xfrm/backend.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <system_error>

#include <fmt/format.h>

namespace setkey::xfrm {
namespace {

// A batch write stays well below the default socket send buffer, and its ACKs well
// below the receive buffer Socket asks for.
constexpr size_t kBatchBytes = 64 * 1024;
constexpr size_t kBatchMessages = 256;

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

model::OpResult lost_answer() {
    return {ENOBUFS, "the kernel's answer was lost (receive buffer overrun); "
                     "the request may or may not have been applied"};
}

bool needs_generated_reqid(const model::SpdEntry& e) {
    if (e.kind == model::SpdEntry::Kind::remove) return false;
    return std::any_of(e.policy.requests.begin(), e.policy.requests.end(), [](const auto& r) {
        return r.level == model::Level::unique && r.reqid == 0;
    });
}

// Numbers dump entries as af_key does: 1, 2, ..., N-1, then 0 for the last one. A
// record another one follows in its datagram is numbered and handed on where it was
// decoded; only the last of a datagram waits (moved) for what comes next.
template <class Record> class DumpNumbering {
public:
    DumpNumbering(uint32_t pid, const std::function<void(const Record&)>& out)
        : pid_(pid), out_(out) {}
    // `more`: another record of the dump follows `r` in its datagram.
    void add(Record&& r, bool more) {
        if (held_) {
            emit(*held_, ++count_);
            held_.reset();
        }
        if (more) emit(r, ++count_);
        else held_.emplace(std::move(r));
    }
    void finish() {
        if (held_) emit(*held_, 0);
        held_.reset();
    }

private:
    void emit(Record& r, uint32_t seq) {
        r.msg.seq = seq;
        r.msg.pid = pid_;
        out_(r);
    }
    uint32_t pid_;
    const std::function<void(const Record&)>& out_;
    std::optional<Record> held_;
    uint32_t count_ = 0;
};

} // namespace

XfrmBackend::XfrmBackend(XfrmOptions options)
    : options_(std::move(options)), socket_(options_.receive_buffer),
      pid_(static_cast<uint32_t>(getpid())) {
    auto r = single(encode_spd_info_request(next_seq()), false, nullptr);
    if (r.error == EPERM || r.error == EACCES)
        throw std::system_error(r.error, std::generic_category(),
                                "XFRM netlink needs CAP_NET_ADMIN in this network namespace");
    if (!r.ok())
        throw std::system_error(r.error, std::generic_category(), "XFRM netlink does not answer");
}

std::unique_ptr<XfrmBackend> open_xfrm_backend(const XfrmOptions& options) {
    return std::make_unique<XfrmBackend>(options);
}

uint32_t XfrmBackend::next_seq() {
    if (++seq_ == 0) ++seq_; // 0 is what unsolicited messages carry
    return seq_;
}

std::vector<model::OpResult> XfrmBackend::exchange(std::span<const uint8_t> wire,
                                                   std::span<const uint32_t> seqs, bool dump,
                                                   const ReplySink& on_reply) {
    std::vector<std::optional<model::OpResult>> results(seqs.size());
    auto finish = [&] {
        std::vector<model::OpResult> out;
        for (auto& r : results) out.push_back(r ? std::move(*r) : lost_answer());
        return out;
    };
    if (options_.trace)
        for (auto m : split_messages(wire)) options_.trace(m, true);
    if (int e = socket_.send(wire)) {
        for (auto& r : results) r = model::OpResult{e, "sending to the kernel failed"};
        return finish();
    }
    size_t open = seqs.size();
    auto slot_of = [&](uint32_t seq) -> std::optional<size_t> {
        auto it = std::find(seqs.begin(), seqs.end(), seq);
        if (it == seqs.end()) return std::nullopt;
        return static_cast<size_t>(it - seqs.begin());
    };
    while (open > 0) {
        int error = 0;
        auto datagram = socket_.receive(error);
        if (error == ENOBUFS && !dump) {
            // ACKs were dropped; a barrier tells which requests will never be answered.
            settle_after_overrun(results, seqs);
            return finish();
        }
        if (error == ENOBUFS) continue; // dump data is paced by the kernel, never dropped
        if (error) {
            for (auto& r : results)
                if (!r) r = model::OpResult{error, "receiving from the kernel failed"};
            return finish();
        }
        try {
            const auto messages = split_messages(datagram);
            for (size_t k = 0; k < messages.size(); ++k) {
                const auto m = messages[k];
                if (options_.trace) options_.trace(m, false);
                auto d = decode_message(m);
                auto slot = slot_of(d.header.seq);
                if (!slot || results[*slot]) continue; // stale or unsolicited
                if (auto* ack = std::get_if<Ack>(&d.body)) {
                    results[*slot] = model::OpResult{ack->error, ack->message};
                    --open;
                } else if (auto* done = std::get_if<Done>(&d.body)) {
                    results[*slot] = model::OpResult{done->error, {}};
                    --open;
                } else if (on_reply) {
                    on_reply(*slot, d, k + 1 < messages.size() && reply_follows(d.header, messages[k + 1]));
                }
            }
        } catch (const DecodeError& e) {
            for (auto& r : results)
                if (!r) r = model::OpResult{EBADMSG, fmt::format("malformed kernel reply: {}", e.what())};
            return finish();
        }
    }
    return finish();
}

void XfrmBackend::settle_after_overrun(std::vector<std::optional<model::OpResult>>& results,
                                       std::span<const uint32_t> seqs) {
    // Records the ACKs in `datagram`; says whether the barrier's own ACK was among them.
    auto take = [&](std::span<const uint8_t> datagram, uint32_t barrier) {
        bool barrier_seen = false;
        for (auto m : split_messages(datagram)) {
            if (options_.trace) options_.trace(m, false);
            auto d = decode_message(m);
            auto* ack = std::get_if<Ack>(&d.body);
            if (d.header.seq == barrier) {
                barrier_seen = barrier_seen || ack;
                continue;
            }
            auto it = std::find(seqs.begin(), seqs.end(), d.header.seq);
            if (it == seqs.end() || !ack) continue;
            auto& slot = results[static_cast<size_t>(it - seqs.begin())];
            if (!slot) slot = model::OpResult{ack->error, ack->message};
        }
        return barrier_seen;
    };
    try {
        for (;;) {
            // Empty the queue first, or the barrier's ACK could be dropped as well.
            for (;;) {
                int error = 0;
                auto datagram = socket_.receive(error, false);
                if (error == ENOBUFS) continue;
                if (error == EAGAIN || error == EWOULDBLOCK) break;
                if (error) return;
                take(datagram, 0);
            }
            // The kernel handles a socket's requests in order: once the barrier's ACK
            // is in, every earlier ACK still missing was dropped.
            uint32_t barrier = next_seq();
            auto msg = encode_spd_info_request(barrier);
            if (options_.trace) options_.trace(msg, true);
            if (socket_.send(msg)) return;
            for (;;) {
                int error = 0;
                auto datagram = socket_.receive(error);
                if (error == ENOBUFS) break; // dropped again: drain and send a new barrier
                if (error) return;
                if (take(datagram, barrier)) return;
            }
        }
    } catch (const DecodeError&) {
        return; // the caller reports what is still missing as lost
    }
}

model::OpResult XfrmBackend::single(const std::vector<uint8_t>& msg, bool dump,
                                    const ReplySink& on_reply) {
    uint32_t seq = decode_message(msg).header.seq;
    return exchange(msg, std::span<const uint32_t>(&seq, 1), dump, on_reply).front();
}

model::OpResult XfrmBackend::add_sa(const model::AddSa& sa) {
    try {
        return single(encode_add_sa(sa, next_seq()), false, nullptr);
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::get_sa(const model::SaKey& key, const model::SaSink& out) {
    try {
        return single(encode_get_sa(key, next_seq()), false, [&](size_t, const Decoded& d, bool) {
            if (auto* sa = std::get_if<model::SaRecord>(&d.body)) {
                auto r = *sa;
                r.msg = {0, pid_, 0}; // a GET reply carries the request's seq, which is 0
                out(r);
            }
        });
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::delete_sa(const model::SaKey& key) {
    try {
        return single(encode_delete_sa(key, next_seq()), false, nullptr);
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::flush_sa(std::optional<model::SaType> type) {
    try {
        return single(encode_flush_sa(type, next_seq()), false, nullptr);
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::dump_sa(std::optional<model::SaType> type, const model::SaSink& out) {
    try {
        DumpNumbering<model::SaRecord> numbering(pid_, out);
        auto r = single(encode_dump_sa(type, next_seq()), true, [&](size_t, Decoded& d, bool more) {
            // Filtered, the record that follows may be one the filter drops.
            auto* sa = std::get_if<model::SaRecord>(&d.body);
            if (sa && (!type || sa->satype == *type)) numbering.add(std::move(*sa), more && !type);
        });
        if (r.ok()) numbering.finish();
        return r;
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::reqids_in_use(std::set<uint32_t>& used) {
    return dump_policies([&](const model::PolicyRecord& p) {
        for (const auto& q : p.requests) used.insert(q.reqid);
    });
}

void XfrmBackend::assign_reqids(model::SpdEntry& entry, std::set<uint32_t>& used) {
    for (auto& q : entry.policy.requests) {
        if (q.level != model::Level::unique || q.reqid != 0) continue;
        do {
            if (++last_reqid_ == 0) last_reqid_ = model::kManualReqidMax + 1;
        } while (used.count(last_reqid_));
        q.reqid = last_reqid_;
        used.insert(last_reqid_);
    }
}

model::OpResult XfrmBackend::policy(const model::SpdEntry& entry) {
    try {
        if (!needs_generated_reqid(entry)) return single(encode_policy(entry, next_seq()), false, nullptr);
        std::set<uint32_t> used;
        if (auto r = reqids_in_use(used); !r.ok()) return r;
        auto copy = entry;
        assign_reqids(copy, used);
        return single(encode_policy(copy, next_seq()), false, nullptr);
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::get_policy(const model::SpdEntry& entry, const model::PolicySink& out) {
    try {
        return single(encode_get_policy(entry, next_seq()), false, [&](size_t, const Decoded& d, bool) {
            if (auto* p = std::get_if<model::PolicyRecord>(&d.body)) {
                auto r = *p;
                r.msg.seq = 0;
                r.msg.pid = pid_;
                out(r);
            }
        });
    } catch (const EncodeError& e) {
        return {e.error, e.what()};
    }
}

model::OpResult XfrmBackend::flush_policies() {
    return single(encode_flush_policies(next_seq()), false, nullptr);
}

model::OpResult XfrmBackend::dump_policies(const model::PolicySink& out) {
    DumpNumbering<model::PolicyRecord> numbering(pid_, out);
    auto r = single(encode_dump_policies(next_seq()), true, [&](size_t, Decoded& d, bool more) {
        if (auto* p = std::get_if<model::PolicyRecord>(&d.body)) numbering.add(std::move(*p), more);
    });
    if (r.ok()) numbering.finish();
    return r;
}

void XfrmBackend::apply_batch(std::span<const model::Command> commands, const model::BatchCallback& done) {
    std::vector<std::optional<model::OpResult>> results(commands.size());
    size_t reported = 0;
    auto report = [&] {
        for (; reported < results.size() && results[reported]; ++reported)
            done(reported, *results[reported]);
    };

    std::optional<std::set<uint32_t>> used_reqids; // for `unique` without a reqid
    std::vector<uint8_t> wire;
    std::vector<uint32_t> seqs;
    std::vector<size_t> indices;
    auto flush = [&] {
        if (seqs.empty()) return;
        auto answers = exchange(wire, seqs, false, nullptr);
        for (size_t i = 0; i < answers.size(); ++i) results[indices[i]] = std::move(answers[i]);
        wire.clear();
        seqs.clear();
        indices.clear();
        report();
    };

    for (size_t i = 0; i < commands.size(); ++i) {
        std::optional<Message> msg;
        uint32_t seq = next_seq();
        try {
            std::visit(
                overloaded{
                    [&](const model::AddSa& a) { msg = encode_add_sa(a, seq); },
                    [&](const model::DeleteSa& d) { msg = encode_delete_sa(d.key, seq); },
                    [&](const model::FlushSa& f) { msg = encode_flush_sa(f.type, seq); },
                    [&](const model::FlushSpd&) { msg = encode_flush_policies(seq); },
                    [&](const model::SpdEntry& e) {
                        if (used_reqids)
                            for (const auto& q : e.policy.requests) used_reqids->insert(q.reqid);
                        if (!needs_generated_reqid(e)) {
                            msg = encode_policy(e, seq);
                            return;
                        }
                        if (!used_reqids) {
                            // One dump of the SPD as it is after the earlier lines; later
                            // lines' reqids are added as they go by.
                            flush();
                            used_reqids.emplace();
                            if (auto r = reqids_in_use(*used_reqids); !r.ok()) {
                                used_reqids.reset();
                                results[i] = r;
                                return;
                            }
                        }
                        auto copy = e;
                        assign_reqids(copy, *used_reqids);
                        msg = encode_policy(copy, seq);
                    },
                    [&](const model::Exit&) { results[i] = model::OpResult{}; },
                    [&](const model::SpdTagged&) {
                        results[i] = model::OpResult{EINVAL, "tagged policies do not exist on Linux"};
                    },
                    [&](const auto& other) {
                        results[i] = model::OpResult{
                            EINVAL, fmt::format("{} returns data and cannot be pipelined",
                                                model::command_name(model::Command{other}))};
                    },
                },
                commands[i]);
        } catch (const EncodeError& e) {
            results[i] = model::OpResult{e.error, e.what()};
        }
        if (msg) {
            wire.insert(wire.end(), msg->begin(), msg->end());
            seqs.push_back(seq);
            indices.push_back(i);
            if (wire.size() >= kBatchBytes || seqs.size() >= kBatchMessages) flush();
        } else if (seqs.empty()) {
            report();
        }
    }
    flush();
    report();
}

} // namespace setkey::xfrm
