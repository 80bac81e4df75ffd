// Property: every message the PF_KEY encoders build (requests and the -x notifications)
// says its own lengths right. Built from every corpus statement and from generated
// extremes (tests/support/wire_commands.hpp), each message is walked: sadb_msg_len, every
// sadb_ext_len, the ipsecrequests of X_POLICY, key bits, context length and sockaddrs
// against the bytes that follow (issue 8 item 1).
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <set>

#include "model/linux_rules.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/event_encode.hpp"
#include "pfkey/wire.hpp"
#include "support/wire_commands.hpp"

namespace setkey::pfkey {
namespace {

using wire::align8;
using wire::load;

constexpr RequestId kId{4242, 7};

size_t sockaddr_size(std::span<const uint8_t> b) {
    if (b.size() < 2) return 0;
    const auto family = load<uint16_t>(b, 0);
    return family == AF_INET ? 16 : family == AF_INET6 ? 28 : 0;
}

// What is wrong with the extension's variable part, or "".
std::string extension_problem(uint16_t type, std::span<const uint8_t> e) {
    const size_t len = e.size();
    auto fixed = [&](size_t want) { return len == want ? "" : "is " + std::to_string(len) + " bytes, not " + std::to_string(want); };
    switch (static_cast<ExtType>(type)) {
    case ExtType::sa:
    case ExtType::x_sa2:
    case ExtType::spirange: return fixed(16);
    case ExtType::lifetime_current:
    case ExtType::lifetime_hard:
    case ExtType::lifetime_soft: return fixed(32);
    case ExtType::x_nat_t_type:
    case ExtType::x_nat_t_sport:
    case ExtType::x_nat_t_dport:
    case ExtType::proposal: return fixed(8); // acquire: no combinations (event_encode.hpp)
    case ExtType::address_src:
    case ExtType::address_dst:
    case ExtType::address_proxy:
    case ExtType::x_nat_t_oa: {
        const size_t sa = sockaddr_size(e.subspan(8));
        return sa && align8(8 + sa) == len ? "" : "sockaddr does not fill the extension";
    }
    case ExtType::key_auth:
    case ExtType::key_encrypt: {
        const size_t bits = load<uint16_t>(e, 4);
        return align8(8 + (bits + 7) / 8) == len ? "" : std::to_string(bits) + " key bits in " + std::to_string(len) + " bytes";
    }
    case ExtType::x_sec_ctx: {
        const size_t ctx = load<uint16_t>(e, 6);
        if (align8(8 + ctx) != len) return std::to_string(ctx) + " context bytes in " + std::to_string(len);
        return ctx > 0 && e[8 + ctx - 1] == 0 ? "" : "context without its NUL";
    }
    case ExtType::x_policy: {
        size_t off = 16;
        while (off < len) {
            if (len - off < 16) return "stray bytes after the ipsecrequests";
            const size_t r = load<uint16_t>(e, off);
            if (r < 16 || r % 8 != 0 || r > len - off) return "ipsecrequest length " + std::to_string(r);
            if (r > 16) {
                const size_t s = sockaddr_size(e.subspan(off + 16));
                const size_t d = s ? sockaddr_size(e.subspan(off + 16 + s)) : 0;
                if (!d || align8(16 + s + d) != r) return "tunnel endpoints do not fill the ipsecrequest";
            }
            off += r;
        }
        return "";
    }
    default: return "extension type " + std::to_string(type) + " that this walk does not know";
    }
}

// What is wrong with one message's lengths, or "".
std::string length_problem(std::span<const uint8_t> m) {
    if (m.size() < kHeaderSize || m.size() % 8 != 0) return "message of " + std::to_string(m.size()) + " bytes";
    if (m[0] != kVersion) return "version " + std::to_string(m[0]);
    if (size_t{load<uint16_t>(m, 4)} * 8 != m.size())
        return "sadb_msg_len says " + std::to_string(load<uint16_t>(m, 4) * 8) + " bytes of " + std::to_string(m.size());
    for (size_t off = kHeaderSize; off < m.size();) {
        if (m.size() - off < 8) return "stray bytes after the last extension";
        const size_t len = size_t{load<uint16_t>(m, off)} * 8;
        const uint16_t type = load<uint16_t>(m, off + 2);
        if (len < 8 || len > m.size() - off)
            return "extension " + std::to_string(type) + " says " + std::to_string(len) + " bytes, " +
                   std::to_string(m.size() - off) + " left";
        if (auto why = extension_problem(type, m.subspan(off, len)); !why.empty())
            return "extension " + std::to_string(type) + ": " + why;
        off += len;
    }
    return "";
}

// Does setkey build messages of type `t`? No default: -Wswitch names a new MsgType here.
bool built(MsgType t) {
    switch (t) {
    case MsgType::getspi:
    case MsgType::update:
    case MsgType::add:
    case MsgType::del:
    case MsgType::get:
    case MsgType::acquire:
    case MsgType::register_:
    case MsgType::expire:
    case MsgType::flush:
    case MsgType::dump:
    case MsgType::promisc:
    case MsgType::spdupdate:
    case MsgType::spdadd:
    case MsgType::spddelete:
    case MsgType::spddump:
    case MsgType::spdflush:
    case MsgType::spdexpire: return true;
    case MsgType::pchange: // neither requested nor shown for XFRM events
    case MsgType::spdget:
    case MsgType::spdacquire:
    case MsgType::spdsetidx:
    case MsgType::spddelete2: return false;
    }
    return false;
}

// The notifications -x builds for an SA: every type and layout, with and without proxy.
void sa_notifications(const model::SaRecord& sa, std::vector<Bytes>& out) {
    const SaProxy proxy{sa.dst, static_cast<uint8_t>(sa.dst.full_prefix()), 6};
    for (auto p : {std::optional<SaProxy>{}, std::optional<SaProxy>{proxy}}) {
        for (MsgType t : {MsgType::add, MsgType::update, MsgType::del})
            out.push_back(encode_sa_notify(t, sa, kSaChangeLayout, p, kId));
        out.push_back(encode_sa_notify(MsgType::expire, sa, kSoftExpireLayout, p, kId));
        out.push_back(encode_sa_notify(MsgType::expire, sa, kHardExpireLayout, p, kId));
    }
}

void policy_notifications(const model::PolicyRecord& p, std::vector<Bytes>& out) {
    for (MsgType t : {MsgType::spdadd, MsgType::spdupdate, MsgType::spddelete, MsgType::spdexpire})
        out.push_back(encode_policy_notify(t, p, kId));
    out.push_back(encode_acquire_notify(model::SaType::esp, p.src.addr, p.dst.addr, p, kId));
}

// Every message the codec builds for one command: its request(s), and the
// notifications of the records the kernel would report for it. No generic case: a new
// model::Command alternative does not compile here until it is walked.
void messages_for(const model::Command& command, std::vector<Bytes>& out) {
    std::visit(
        [&]<typename T>(const T& c) {
            if constexpr (std::is_same_v<T, model::AddSa>) {
                model::AddSa sa = c;
                sa.replay = std::min<uint32_t>(sa.replay, 255); // the backend refuses more first
                const Bytes add = encode_add_sa(sa, kId);
                out.push_back(add);
                out.push_back(encode_get_sa(sa.key, kId));
                out.push_back(encode_delete_sa(sa.key, kId));
                if (auto record = decode_message(add).sa) sa_notifications(*record, out);
            } else if constexpr (std::is_same_v<T, model::GetSa>) {
                out.push_back(encode_get_sa(c.key, kId));
            } else if constexpr (std::is_same_v<T, model::DeleteSa>) {
                out.push_back(encode_delete_sa(c.key, kId));
            } else if constexpr (std::is_same_v<T, model::DeleteAllSa>) {
                out.push_back(encode_dump_sa(c.proto.type, kId)); // then one delete per SA found
            } else if constexpr (std::is_same_v<T, model::FlushSa>) {
                out.push_back(encode_flush_sa(c.type, kId));
                out.push_back(encode_flush_notify(MsgType::flush, static_cast<uint8_t>(c.type.value_or(model::SaType::unspec)), kId));
            } else if constexpr (std::is_same_v<T, model::DumpSa>) {
                out.push_back(encode_dump_sa(c.type, kId));
            } else if constexpr (std::is_same_v<T, model::SpdEntry>) {
                out.push_back(encode_policy(c, kId));
                if (auto p = decode_message(out.back()).policy) policy_notifications(*p, out);
                if (auto fwd = model::fwd_companion(c)) out.push_back(encode_policy(*fwd, kId));
            } else if constexpr (std::is_same_v<T, model::SpdTagged>) {
                // No message: neither Linux backend has tagged policies.
            } else if constexpr (std::is_same_v<T, model::FlushSpd>) {
                out.push_back(encode_flush_policies(kId));
                out.push_back(encode_flush_notify(MsgType::spdflush, 0, kId));
            } else if constexpr (std::is_same_v<T, model::DumpSpd>) {
                out.push_back(encode_dump_policies(kId));
            } else if constexpr (std::is_same_v<T, model::Exit>) {
                // No message.
            } else {
                static_assert(sizeof(T) == 0, "a model::Command the length walk does not know");
            }
        },
        command);
}

// Messages not tied to a command: the -x setup requests.
std::vector<Bytes> setup_messages() {
    std::vector<Bytes> out;
    for (auto t : {model::SaType::unspec, model::SaType::ah, model::SaType::esp, model::SaType::ipcomp})
        out.push_back(encode_register(t, kId));
    out.push_back(encode_promisc(kId));
    return out;
}

// Walks every message; returns the message types seen.
std::set<uint8_t> walk(const std::vector<model::Command>& commands) {
    std::vector<Bytes> messages = setup_messages();
    for (const auto& c : commands) messages_for(c, messages);
    return test::check_messages(messages, length_problem, [](const Bytes& m) { return m[1]; });
}

TEST(EncodedLength, GeneratedExtremesOfEveryMessageTypeSayTheirLengths) {
    const auto commands = test::extreme_commands();
    ASSERT_GT(commands.size(), 30u);
    const std::set<uint8_t> types = walk(commands);
    for (int t = 1; t <= static_cast<int>(MsgType::spddelete2); ++t) {
        if (built(static_cast<MsgType>(t))) {
            EXPECT_TRUE(types.count(static_cast<uint8_t>(t))) << "no message of type " << t;
        }
    }
}

TEST(EncodedLength, EveryCorpusStatementSaysItsLengths) {
    test::with_corpus_commands([](const auto& commands) { walk(commands); });
}

// The walk itself catches a wrong length.
TEST(EncodedLength, TheWalkSeesAWrappedLength) {
    Bytes m = encode_policy(std::get<model::SpdEntry>(test::parse_commands(
                                "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;",
                                "t")[0]),
                            kId);
    ASSERT_EQ(length_problem(m), "");
    m[16] -= 9; // X_POLICY's sadb_ext_len, as if it had wrapped
    EXPECT_NE(length_problem(m), "");
}

} // namespace
} // namespace setkey::pfkey
