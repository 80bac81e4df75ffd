// decode_message() on real kernel messages (small.out, `setkey -xx -H` inside the VM) and on
// malformed input, plus split_messages for file operands.
#include <gtest/gtest.h>

#include "support/hexdump_file.hpp"
#include "pfkey/codec.hpp"

namespace setkey::pfkey {
namespace {

using test::Bytes;

std::vector<Bytes> kernel_messages() {
    return test::messages_of(test::read_hexdump_text(test::small_xxh()));
}

// The first monitored message matching type/satype/errno and a predicate.
template <typename Pred>
Decoded first(uint8_t type, uint8_t satype, Pred pred) {
    for (const Bytes& b : kernel_messages()) {
        Decoded m = decode_message(b);
        if (m.header.type == type && m.header.satype == satype && pred(m)) return m;
    }
    throw std::runtime_error("no such message in small.out");
}

model::IpAddress ip(const char* t) { return model::IpAddress::parse(t).value(); }

TEST(Decode, EveryMonitoredKernelMessageDecodes) {
    auto msgs = kernel_messages();
    ASSERT_GT(msgs.size(), 40u);
    for (const Bytes& b : msgs) EXPECT_NO_THROW(decode_message(b)) << b.size();
}

TEST(Decode, RegisterReplyListsSupportedAlgorithms) {
    Decoded m = first(7, 0, [](const Decoded& m) { return m.supported.has_value(); });
    ASSERT_EQ(m.supported->auth.size(), 8u);
    ASSERT_EQ(m.supported->enc.size(), 10u);
    EXPECT_EQ(m.supported->auth[0], (SupportedAlg{251, 0, 0, 0}));
    EXPECT_EQ(m.supported->auth[3], (SupportedAlg{5, 0, 256, 256}));
    EXPECT_EQ(m.supported->enc[4], (SupportedAlg{7, 8, 40, 448}));
    EXPECT_EQ(m.supported->enc[9], (SupportedAlg{13, 8, 160, 288}));
    EXPECT_FALSE(m.sa);
    EXPECT_FALSE(m.policy);
}

TEST(Decode, AddNotificationBecomesAnSaRecord) {
    // add 10.0.0.1 10.0.0.2 esp 0x1001 -m tunnel -u 5 -r 32 -E aes-cbc ... -A hmac-sha1 ...
    Decoded m = first(3, 3, [](const Decoded& m) { return m.sa && m.sa->spi == 0x1001 && m.sa->current; });
    const model::SaRecord& r = *m.sa;
    EXPECT_EQ(r.satype, model::SaType::esp);
    EXPECT_EQ(r.src, ip("10.0.0.1"));
    EXPECT_EQ(r.dst, ip("10.0.0.2"));
    EXPECT_EQ(r.src_prefixlen, 32);
    EXPECT_EQ(r.src_proto, 0); // Linux answers 0 where the request said 255
    EXPECT_EQ(r.replay, 32u);
    EXPECT_EQ(r.state, 1);
    ASSERT_TRUE(r.enc.alg);
    EXPECT_EQ(r.enc.alg->name, "aes-cbc");
    ASSERT_TRUE(r.auth.alg);
    EXPECT_EQ(r.auth.alg->name, "hmac-sha1");
    EXPECT_EQ(r.enc.key, test::from_hex("00112233445566778899aabbccddeeff"));
    EXPECT_EQ(r.auth.key_bits, 160);
    EXPECT_EQ(r.auth.key, test::from_hex("00112233445566778899aabbccddeeff00112233"));
    EXPECT_TRUE(r.has_sa2);
    EXPECT_EQ(r.mode, model::Mode::tunnel);
    EXPECT_EQ(r.reqid, 5u);
    ASSERT_TRUE(r.hard && r.soft && r.current);
    EXPECT_EQ(r.current->add_time, 1795757075u);
    EXPECT_EQ(r.natt_type, 0);
}

TEST(Decode, EspUdpCarriesNattPorts) {
    Decoded m = first(3, 3, [](const Decoded& m) { return m.sa && m.sa->spi == 0x1002 && m.sa->current; });
    EXPECT_EQ(m.sa->natt_type, 2);
    EXPECT_EQ(m.sa->natt_sport, 4500);
    EXPECT_EQ(m.sa->natt_dport, 4500);
    ASSERT_TRUE(m.sa->auth.alg);
    EXPECT_EQ(m.sa->auth.alg->name, "hmac-sha256");
}

TEST(Decode, IpcompEncryptFieldIsTheCompressionAlgorithm) {
    Decoded m = first(3, 9, [](const Decoded& m) { return m.sa && m.sa->current; });
    EXPECT_EQ(m.sa->spi, 0x2000u);
    ASSERT_TRUE(m.sa->comp.alg);
    EXPECT_EQ(m.sa->comp.alg->name, "deflate");
    EXPECT_EQ(m.sa->enc.pfkey_id, 0);
}

TEST(Decode, SpdAddReplyBecomesAPolicyRecord) {
    // spdadd 10.1.0.0/16[any] 10.2.0.0/16[any] any -P out prio def + 10 ipsec
    //   esp/tunnel/10.0.0.1-10.0.0.2/unique:5;
    Decoded m = first(14, 0, [](const Decoded& m) { return m.policy && m.policy->id == 1; });
    const model::PolicyRecord& p = *m.policy;
    EXPECT_EQ(p.dir, model::Direction::out);
    EXPECT_EQ(p.action, model::Action::ipsec);
    EXPECT_EQ(p.priority, 0x80000000u - 10);
    EXPECT_EQ(p.src, (model::Selector{ip("10.1.0.0"), 16, 0}));
    EXPECT_EQ(p.dst, (model::Selector{ip("10.2.0.0"), 16, 0}));
    EXPECT_EQ(p.upper, 255);
    ASSERT_EQ(p.requests.size(), 1u);
    EXPECT_EQ(p.requests[0].proto, model::kProtoEsp);
    EXPECT_EQ(p.requests[0].mode, model::Mode::tunnel);
    EXPECT_EQ(p.requests[0].level, model::Level::unique);
    EXPECT_EQ(p.requests[0].reqid, 5u);
    ASSERT_TRUE(p.requests[0].src && p.requests[0].dst);
    EXPECT_EQ(p.requests[0].src->addr, ip("10.0.0.1"));
    EXPECT_EQ(p.requests[0].dst->addr, ip("10.0.0.2"));
    EXPECT_EQ(m.header.reserved, 3); // 0.8.2 prints it as the refcnt
    EXPECT_TRUE(p.current);
}

TEST(Decode, ErrorReplyHasErrnoAndNoRecord) {
    Decoded m = first(5, 2, [](const Decoded& m) { return m.header.errno_ != 0; });
    EXPECT_EQ(m.header.errno_, 3); // ESRCH: Linux's answer to GET of a missing SA
    EXPECT_FALSE(m.sa);
}

// An SA message (8 units) with a type-200 extension between SA and ADDRESS_SRC.
constexpr const char* kSaWithUnknownExtension = "0205 0003 0800 0000 0100 0000 2a00 0000"
                                                "0200 0100 0000 1001 2000 030c 0000 0000"
                                                "0100 c800 dead beef"
                                                "0300 0500 0020 0000 0200 0000 0a00 0001 0000 0000 0000 0000";

TEST(Decode, UnknownExtensionsAreSkipped) {
    Bytes b = test::from_hex(kSaWithUnknownExtension);
    Decoded m = decode_message(b);
    ASSERT_TRUE(m.sa);
    EXPECT_EQ(m.sa->spi, 0x1001u);
    EXPECT_EQ(m.sa->src, ip("10.0.0.1"));
    EXPECT_EQ(m.header.seq, 1u);
    EXPECT_EQ(m.header.pid, 42u);
}

TEST(Decode, AProxyAddressWithTheSelectorsPrefixInTheSasFamilyIsKept) {
    // af_key's ADDRESS_PROXY of an IPv4 SA whose selector is IPv6 /48: AF_INET, prefix 48
    // (3 units more).
    Bytes b = test::from_hex(std::string(kSaWithUnknownExtension) +
                             "0300 0700 ff30 0000 0200 0000 0a01 0000 0000 0000 0000 0000");
    b[4] = 0x0b;
    Decoded m = decode_message(b);
    ASSERT_TRUE(m.sa);
    EXPECT_EQ(m.sa->spi, 0x1001u);
    // The same prefix on ADDRESS_SRC is still refused.
    b[16 + 16 + 8 + 5] = 48;
    EXPECT_THROW(decode_message(b), DecodeError);
}

// `b` with extensions of the given types (8 bytes each: a 4-byte header and 4 bytes of
// payload) put after the message's first extension (or the header when it has none),
// so its own extensions sit on both sides of them; the message length grown to match.
Bytes with_extensions(Bytes b, std::initializer_list<uint16_t> types) {
    Bytes extra;
    for (uint16_t t : types) {
        const uint8_t ext[8] = {1, 0, static_cast<uint8_t>(t), static_cast<uint8_t>(t >> 8), 0xde, 0xad, 0xbe, 0xef};
        extra.insert(extra.end(), std::begin(ext), std::end(ext));
    }
    const size_t first = b.size() > 16 ? size_t{b[16]} * 8 + size_t{b[17]} * 2048 : 0;
    b.insert(b.begin() + static_cast<long>(16 + first), extra.begin(), extra.end());
    const size_t units = b.size() / 8;
    b[4] = static_cast<uint8_t>(units);
    b[5] = static_cast<uint8_t>(units >> 8);
    return b;
}

TEST(Decode, MoreExtensionsThanADumpReplyHasDecodeAlike) {
    // Twenty unknown ones after a real message's first extension: the rest of its own
    // land past the sixteen kept on the stack.
    const std::initializer_list<uint16_t> extra = {200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
                                                   210, 211, 212, 213, 214, 215, 216, 217, 218, 219};
    size_t records = 0;
    for (const Bytes& b : kernel_messages()) {
        const Decoded plain = decode_message(b);
        const Decoded more = decode_message(with_extensions(b, extra));
        EXPECT_EQ(more.sa, plain.sa);
        EXPECT_EQ(more.policy, plain.policy);
        EXPECT_EQ(more.supported.has_value(), plain.supported.has_value());
        records += plain.sa || plain.policy;
    }
    EXPECT_GT(records, 20u);
    // A type seen twice is still an error when the second comes past the first sixteen.
    const Bytes some = kernel_messages().front();
    EXPECT_THROW(decode_message(with_extensions(some, {200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
                                                       210, 211, 212, 213, 214, 215, 216, 205})),
                 DecodeError);
}

void expect_error(const std::string& hex, const std::string& words) {
    try {
        decode_message(test::from_hex(hex));
        ADD_FAILURE() << "accepted " << hex;
    } catch (const DecodeError& e) {
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

TEST(Decode, MalformedInputIsAClearError) {
    expect_error("0203 0000", "shorter than the 16-byte header");
    expect_error("0203 0000 0300 0000 0000 0000 0000 0000", "header says 24 bytes, message has 16");
    expect_error("0103 0000 0200 0000 0000 0000 0000 0000", "version 1");
    expect_error("0203 0000 0300 0000 0000 0000 0000 0000 0000 0100 0000 0000", "length 0");
    expect_error("0203 0000 0300 0000 0000 0000 0000 0000 0200 0100 0000 0000", "overruns");
    // SA extension of 8 bytes.
    expect_error("0203 0000 0300 0000 0000 0000 0000 0000 0100 0100 0000 0000", "SA extension is 8 bytes");
    // ADDRESS_SRC holding an AF_INET6 sockaddr in 16 bytes.
    expect_error("0203 0000 0500 0000 0000 0000 0000 0000 0300 0500 0080 0000 0a00 0000 0000 0000 "
                 "0000 0000 0000 0000",
                 "sockaddr_in6 needs 28 bytes");
    expect_error("0203 0000 0500 0000 0000 0000 0000 0000 0300 0500 0020 0000 0700 0000 0000 0000 "
                 "0000 0000 0000 0000",
                 "unsupported address family 7");
    expect_error("0203 0000 0500 0000 0000 0000 0000 0000 0300 0500 0040 0000 0200 0000 0a00 0001 "
                 "0000 0000 0000 0000",
                 "prefix length 64");
    // KEY_ENCRYPT claiming 128 bits in an 8-byte body.
    expect_error("0203 0000 0400 0000 0000 0000 0000 0000 0200 0900 8000 0000 0000 0000 0000 0000",
                 "128 key bits do not fit");
    // X_POLICY with an ipsecrequest claiming 48 bytes, 16 present.
    expect_error("020e 0000 0600 0000 0000 0000 0000 0000 0400 1200 0200 0200 0000 0000 0000 0080 "
                 "3000 3200 0203 0000 0000 0000 0000 0000",
                 "ipsecrequest length 48");
    // Tunnel request whose destination sockaddr is cut short.
    expect_error("020e 0000 0900 0000 0000 0000 0000 0000 0700 1200 0200 0200 0000 0000 0000 0080 "
                 "2800 3200 0203 0000 0000 0000 0000 0000 0200 0000 0a00 0001 0000 0000 0000 0000 "
                 "0200 0000 0a00 0002",
                 "ipsecrequest destination");
    // The same extension twice.
    expect_error("0203 0000 0600 0000 0000 0000 0000 0000 0200 0100 0000 1001 0000 0000 0000 0000 "
                 "0200 0100 0000 1001 0000 0000 0000 0000",
                 "appears twice");
    // A type no kernel header names (40), twice: refused as well.
    expect_error("0203 0000 0600 0000 0000 0000 0000 0000 0200 2800 0000 0000 0000 0000 0000 0000 "
                 "0200 2800 0000 0000 0000 0000 0000 0000",
                 "extension type 40 appears twice");
}

TEST(Split, BackToBackMessagesAndATruncatedTail) {
    Bytes stream = encode_dump_sa(std::nullopt, {1, 1});
    Bytes second = encode_dump_policies({1, 2});
    stream.insert(stream.end(), second.begin(), second.end());
    SplitResult whole = split_messages(stream);
    ASSERT_EQ(whole.messages.size(), 2u);
    EXPECT_TRUE(whole.error.empty());
    EXPECT_EQ(decode_message(whole.messages[1]).header.type, 18);

    stream.resize(stream.size() - 4);
    SplitResult cut = split_messages(stream);
    EXPECT_EQ(cut.messages.size(), 1u);
    EXPECT_NE(cut.error.find("shorter than a message header"), std::string::npos) << cut.error;

    Bytes zero_len = test::from_hex("0203 0000 0000 0000 0000 0000 0000 0000");
    EXPECT_NE(split_messages(zero_len).error.find("length 0 bytes"), std::string::npos);
    EXPECT_TRUE(split_messages({}).messages.empty());
}

TEST(Decode, EncodedRequestsRoundTrip) {
    model::SpdEntry e;
    e.src = {ip("fd00::"), 64, 80};
    e.dst = {ip("fd01::"), 64, 0};
    e.upper = 6;
    e.policy.dir = model::Direction::in;
    e.policy.action = model::Action::ipsec;
    e.policy.priority = 0x40000000;
    model::IpsecRequest r;
    r.mode = model::Mode::tunnel;
    r.level = model::Level::unique;
    r.reqid = 7;
    r.src = model::Endpoint{ip("fd00::1"), 4500};
    r.dst = model::Endpoint{ip("fd00::2"), 0};
    e.policy.requests = {r};
    e.ctx = model::SecurityContext{1, 2, "ctx"};
    Decoded m = decode_message(encode_policy(e, {9, 3}));
    ASSERT_TRUE(m.policy);
    EXPECT_EQ(m.policy->src, e.src);
    EXPECT_EQ(m.policy->dst, e.dst);
    EXPECT_EQ(m.policy->upper, 6);
    EXPECT_EQ(m.policy->dir, model::Direction::in);
    EXPECT_EQ(m.policy->priority, 0x40000000u);
    ASSERT_EQ(m.policy->requests.size(), 1u);
    EXPECT_EQ(m.policy->requests[0], r);
    EXPECT_EQ(m.policy->ctx, e.ctx);
}

} // namespace
} // namespace setkey::pfkey
