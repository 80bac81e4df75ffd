// Property: every message the XFRM encoder builds says its own lengths right. Built
// from every corpus statement and from generated extremes (tests/support/wire_commands.hpp),
// each message is walked: nlmsg_len, every nlattr (recursively, NLA_F_NESTED ones
// included), and the lengths inside the attributes (algorithm keys, security context,
// templates, replay bitmap) against the bytes that follow (issue 8 item 1).
#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "model/linux_rules.hpp"
#include "support/wire_commands.hpp"
#include "xfrm/codec.hpp"

namespace setkey::xfrm {
namespace {

constexpr uint32_t kSeq = 7;

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

template <class T> T read(std::span<const uint8_t> b) {
    T t{};
    std::memcpy(&t, b.data(), std::min(sizeof t, b.size()));
    return t;
}

// The fixed part after nlmsghdr of each request type; -1 for a type this walk does not
// know (so a new request type fails here until it is walked).
long fixed_size(const nlmsghdr& h) {
    switch (h.nlmsg_type) {
    case XFRM_MSG_NEWSA:
    case XFRM_MSG_UPDSA: return sizeof(xfrm_usersa_info);
    case XFRM_MSG_ALLOCSPI: return sizeof(xfrm_userspi_info);
    case XFRM_MSG_GETSA: return h.nlmsg_flags & NLM_F_DUMP ? sizeof(xfrm_usersa_info) : sizeof(xfrm_usersa_id);
    case XFRM_MSG_DELSA: return sizeof(xfrm_usersa_id);
    case XFRM_MSG_FLUSHSA: return sizeof(xfrm_usersa_flush);
    case XFRM_MSG_NEWPOLICY:
    case XFRM_MSG_UPDPOLICY: return sizeof(xfrm_userpolicy_info);
    case XFRM_MSG_DELPOLICY:
    case XFRM_MSG_GETPOLICY: return sizeof(xfrm_userpolicy_id);
    case XFRM_MSG_FLUSHPOLICY: return 0;
    case XFRM_MSG_GETSPDINFO: return sizeof(uint32_t);
    }
    return -1;
}

template <class Algo> std::string algo_problem(std::span<const uint8_t> p) {
    if (p.size() < sizeof(Algo)) return "shorter than its struct";
    const auto a = read<Algo>(p);
    const size_t want = sizeof(Algo) + (size_t{a.alg_key_len} + 7) / 8;
    return p.size() == want ? "" : std::to_string(a.alg_key_len) + " key bits in " + std::to_string(p.size()) + " bytes";
}

std::string attrs_problem(std::span<const uint8_t> rest);

// What is wrong inside one attribute's payload, or "".
std::string payload_problem(uint16_t type, std::span<const uint8_t> p) {
    auto fixed = [&](size_t want) { return p.size() == want ? "" : std::to_string(p.size()) + " bytes, not " + std::to_string(want); };
    switch (type) {
    case XFRMA_ALG_CRYPT:
    case XFRMA_ALG_COMP: return algo_problem<xfrm_algo>(p);
    case XFRMA_ALG_AUTH_TRUNC: return algo_problem<xfrm_algo_auth>(p);
    case XFRMA_ALG_AEAD: return algo_problem<xfrm_algo_aead>(p);
    case XFRMA_SEC_CTX: {
        if (p.size() < sizeof(xfrm_user_sec_ctx)) return "shorter than xfrm_user_sec_ctx";
        const auto c = read<xfrm_user_sec_ctx>(p);
        if (c.len != p.size() || c.len != sizeof c + c.ctx_len)
            return "len " + std::to_string(c.len) + ", ctx_len " + std::to_string(c.ctx_len) + " in " + std::to_string(p.size());
        return "";
    }
    case XFRMA_TMPL:
        return !p.empty() && p.size() % sizeof(xfrm_user_tmpl) == 0 ? "" : std::to_string(p.size()) + " bytes of templates";
    case XFRMA_REPLAY_ESN_VAL: {
        if (p.size() < sizeof(xfrm_replay_state_esn)) return "shorter than xfrm_replay_state_esn";
        return fixed(sizeof(xfrm_replay_state_esn) + size_t{read<xfrm_replay_state_esn>(p).bmp_len} * 4);
    }
    case XFRMA_SRCADDR: return fixed(sizeof(xfrm_address_t));
    case XFRMA_ENCAP: return fixed(sizeof(xfrm_encap_tmpl));
    case XFRMA_PROTO: return fixed(1);
    }
    return "attribute type " + std::to_string(type) + " that this walk does not know";
}

// Walks attributes back to back; nested ones recursively.
std::string attrs_problem(std::span<const uint8_t> rest) {
    while (!rest.empty()) {
        if (rest.size() < NLA_HDRLEN) return "stray bytes after the last attribute";
        const auto na = read<nlattr>(rest);
        if (na.nla_len < NLA_HDRLEN || na.nla_len > rest.size())
            return "nla_len " + std::to_string(na.nla_len) + " with " + std::to_string(rest.size()) + " bytes left";
        const auto payload = rest.subspan(NLA_HDRLEN, na.nla_len - NLA_HDRLEN);
        const uint16_t type = na.nla_type & NLA_TYPE_MASK;
        const std::string why = na.nla_type & NLA_F_NESTED ? attrs_problem(payload) : payload_problem(type, payload);
        if (!why.empty()) return "attribute " + std::to_string(type) + ": " + why;
        if (align4(na.nla_len) > rest.size()) return "attribute padding beyond the message";
        rest = rest.subspan(align4(na.nla_len));
    }
    return "";
}

std::string length_problem(std::span<const uint8_t> m) {
    if (m.size() < sizeof(nlmsghdr)) return "shorter than nlmsghdr";
    const auto h = read<nlmsghdr>(m);
    if (h.nlmsg_len != m.size()) return "nlmsg_len " + std::to_string(h.nlmsg_len) + " of " + std::to_string(m.size());
    const long fixed = fixed_size(h);
    if (fixed < 0) return "message type " + std::to_string(h.nlmsg_type) + " that this walk does not know";
    const size_t attrs = align4(sizeof(nlmsghdr) + static_cast<size_t>(fixed));
    if (attrs > m.size()) return "shorter than its fixed part";
    return attrs_problem(m.subspan(attrs));
}

// Encodes one message; what XFRM cannot express (EncodeError other than EMSGSIZE)
// is not a message. EMSGSIZE for a statement the grammar accepted is a failure.
template <class F> void add(std::vector<Message>& out, F&& encode) {
    try {
        out.push_back(encode());
    } catch (const EncodeError& e) {
        EXPECT_NE(e.error, EMSGSIZE) << e.what();
    }
}

// Every request the codec builds for one command. No generic case: a new
// model::Command alternative does not compile here until it is walked.
void messages_for(const model::Command& command, std::vector<Message>& out) {
    std::visit(
        [&]<typename T>(const T& c) {
            if constexpr (std::is_same_v<T, model::AddSa>) {
                add(out, [&] { return encode_add_sa(c, kSeq); });
                add(out, [&] { return encode_get_sa(c.key, kSeq); });
                add(out, [&] { return encode_delete_sa(c.key, kSeq); });
            } else if constexpr (std::is_same_v<T, model::GetSa>) {
                add(out, [&] { return encode_get_sa(c.key, kSeq); });
            } else if constexpr (std::is_same_v<T, model::DeleteSa>) {
                add(out, [&] { return encode_delete_sa(c.key, kSeq); });
            } else if constexpr (std::is_same_v<T, model::DeleteAllSa>) {
                add(out, [&] { return encode_dump_sa(c.proto.type, kSeq); }); // then deletes
            } else if constexpr (std::is_same_v<T, model::FlushSa>) {
                add(out, [&] { return encode_flush_sa(c.type, kSeq); });
            } else if constexpr (std::is_same_v<T, model::DumpSa>) {
                add(out, [&] { return encode_dump_sa(c.type, kSeq); });
            } else if constexpr (std::is_same_v<T, model::SpdEntry>) {
                add(out, [&] { return encode_policy(c, kSeq); });
                add(out, [&] { return encode_get_policy(c, kSeq); });
                if (auto fwd = model::fwd_companion(c)) add(out, [&] { return encode_policy(*fwd, kSeq); });
            } else if constexpr (std::is_same_v<T, model::SpdTagged>) {
                // No message: XFRM has no tagged policies.
            } else if constexpr (std::is_same_v<T, model::FlushSpd>) {
                add(out, [&] { return encode_flush_policies(kSeq); });
            } else if constexpr (std::is_same_v<T, model::DumpSpd>) {
                add(out, [&] { return encode_dump_policies(kSeq); });
            } else if constexpr (std::is_same_v<T, model::Exit>) {
                // No message.
            } else {
                static_assert(sizeof(T) == 0, "a model::Command the length walk does not know");
            }
        },
        command);
}

std::set<uint16_t> walk(const std::vector<model::Command>& commands) {
    std::vector<Message> messages{encode_spd_info_request(kSeq)};
    for (const auto& c : commands) messages_for(c, messages);
    return test::check_messages(messages, length_problem,
                                [](const Message& m) { return read<nlmsghdr>(m).nlmsg_type; });
}

TEST(EncodedLength, GeneratedExtremesOfEveryMessageTypeSayTheirLengths) {
    const auto commands = test::extreme_commands();
    ASSERT_GT(commands.size(), 30u);
    const std::set<uint16_t> types = walk(commands);
    for (uint16_t t : {XFRM_MSG_NEWSA, XFRM_MSG_UPDSA, XFRM_MSG_ALLOCSPI, XFRM_MSG_GETSA, XFRM_MSG_DELSA,
                       XFRM_MSG_FLUSHSA, XFRM_MSG_NEWPOLICY, XFRM_MSG_UPDPOLICY, XFRM_MSG_DELPOLICY,
                       XFRM_MSG_GETPOLICY, XFRM_MSG_FLUSHPOLICY, XFRM_MSG_GETSPDINFO})
        EXPECT_TRUE(types.count(t)) << "no message of type " << t;
}

TEST(EncodedLength, EveryCorpusStatementSaysItsLengths) {
    test::with_corpus_commands([](const auto& commands) { walk(commands); });
}

// A window above 32 takes the ESN replay attribute; its bitmap length is walked too.
TEST(EncodedLength, ALargeReplayWindowSaysItsBitmapLength) {
    walk(test::parse_commands("add 10.0.0.1 10.0.0.2 esp 0x1000 -r 4096 -E null;\n"
                              "add 10.0.0.1 10.0.0.2 esp 0x1001 -f esn -E null;\n",
                              "t"));
}

TEST(EncodedLength, TheWalkSeesAWrappedLength) {
    const auto commands = test::parse_commands(
        "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;", "t");
    Message m = encode_policy(std::get<model::SpdEntry>(commands[0]), kSeq);
    ASSERT_EQ(length_problem(m), "");
    const size_t tmpl = align4(sizeof(nlmsghdr) + sizeof(xfrm_userpolicy_info));
    uint16_t wrapped = NLA_HDRLEN + sizeof(xfrm_user_tmpl); // one template of the two
    std::memcpy(m.data() + tmpl, &wrapped, sizeof wrapped);
    EXPECT_NE(length_problem(m), "");
}

} // namespace
} // namespace setkey::xfrm
