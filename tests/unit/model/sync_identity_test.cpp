// same_sa compares a script's add with a dumped SA field by field, without copying key
// bytes. Its definition is simpler: the add and the dump's re-add (readd_sa), each as
// the kernel keeps it, are equal. These tests hold the fast comparison to that
// definition over every field either side has.
#include "model/sync_identity.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "model/record_commands.hpp"
#include "support/kernel_records.hpp"

namespace setkey::model {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

LifetimeLimit kept(LifetimeLimit l) {
    for (std::optional<uint64_t>* bound : {&l.add_seconds, &l.bytes, &l.packets, &l.use_seconds})
        if (*bound == 0u) bound->reset();
    return l;
}

// The definition: what the kernel keeps of an add, so a script's and a re-add's compare
// as wholes.
AddSa kept(AddSa sa) {
    sa.kind = AddSa::Kind::add;
    if (sa.key.mode == Mode::any) sa.key.mode = Mode::transport;
    if (!sa.key.proto.udp_encap) sa.key.src.port = sa.key.dst.port = std::nullopt;
    if (sa.key.mark && sa.key.mark->value == 0 && sa.key.mark->mask == 0) sa.key.mark.reset();
    sa.key.proto.old = false; // Linux keeps no SADB_X_EXT_OLD
    sa.flags = 0;
    sa.esp_frag.reset();
    sa.hard = kept(sa.hard);
    sa.soft = kept(sa.soft);
    for (std::optional<KeyedAlgorithm>* k : {&sa.enc, &sa.auth}) {
        if (*k && (*k)->alg && (*k)->icv_bits == 0) (*k)->icv_bits = (*k)->alg->icv_bits;
        if (*k && (*k)->alg && !(*k)->alg->takes_key) (*k)->key.clear(); // unused
    }
    sa.xfrm = SaAttrs{.output_mark = sa.xfrm.output_mark};
    return sa;
}

bool defined_same(const AddSa& desired, const SaRecord& kernel) {
    std::string why;
    std::optional<AddSa> have = readd_sa(kernel, why);
    return have && kept(desired) == kept(std::move(*have));
}

// A tunnel SA with something in every field a script can say.
AddSa full_add() {
    AddSa a;
    a.key.src.addr = ip("192.0.2.1");
    a.key.dst.addr = ip("192.0.2.2");
    a.key.spi = 0x1001;
    a.key.mode = Mode::tunnel;
    a.key.reqid = 7;
    a.key.mark = Mark{5, 0xff};
    a.key.if_id = 3;
    a.replay = 32;
    a.hard.add_seconds = 3600;
    a.soft.bytes = 1000000;
    a.ctx = SecurityContext{1, 1, "system_u:object_r:ipsec_spd_t:s0"};
    a.enc = KeyedAlgorithm{find_algorithm(AlgKind::enc, "aes-cbc"), std::vector<uint8_t>(16, 0xab)};
    a.auth = KeyedAlgorithm{find_algorithm(AlgKind::auth, "hmac-sha256"), std::vector<uint8_t>(32, 0xcd)};
    a.esn = true;
    a.xfrm.output_mark = Mark{9, 0xffff};
    return a;
}

struct Case {
    const char* what;
    std::function<void(AddSa&, SaRecord&)> change;
};

const Case kCases[] = {
    {"nothing", [](AddSa&, SaRecord&) {}},
    // The key.
    {"source", [](AddSa&, SaRecord& k) { k.src = ip("192.0.2.9"); }},
    {"destination", [](AddSa&, SaRecord& k) { k.dst = ip("192.0.2.9"); }},
    {"spi", [](AddSa&, SaRecord& k) { k.spi = 0x1002; }},
    {"sa type", [](AddSa&, SaRecord& k) { k.satype = SaType::ah; }},
    {"mode", [](AddSa&, SaRecord& k) { k.mode = Mode::transport; }},
    {"mode any, dumped as transport",
     [](AddSa& d, SaRecord& k) {
         d.key.mode = Mode::any;
         k.mode = Mode::transport;
     }},
    {"reqid", [](AddSa&, SaRecord& k) { k.reqid = 8; }},
    {"if_id", [](AddSa&, SaRecord& k) { k.if_id = 4; }},
    {"mark value", [](AddSa&, SaRecord& k) { k.mark = Mark{6, 0xff}; }},
    {"no mark", [](AddSa&, SaRecord& k) { k.mark.reset(); }},
    {"mark 0/0, dumped as none",
     [](AddSa& d, SaRecord& k) {
         d.key.mark = Mark{0, 0};
         k.mark.reset();
     }},
    {"esp-old", [](AddSa&, SaRecord& k) { k.flags |= kSaFlagOld; }},
    {"esp-old in the script, dumped without", [](AddSa& d, SaRecord&) { d.key.proto.old = true; }},
    {"padding flags", [](AddSa&, SaRecord& k) { k.flags |= 0x2; }},
    {"flags of the script", [](AddSa& d, SaRecord&) { d.flags = 0; }},
    {"kind update", [](AddSa& d, SaRecord&) { d.kind = AddSa::Kind::update; }},
    {"esp_frag", [](AddSa& d, SaRecord&) { d.esp_frag = 1400; }},
    {"nat-t", [](AddSa&, SaRecord& k) {
         k.natt_type = 2;
         k.natt_sport = k.natt_dport = 4500;
     }},
    {"nat-t both",
     [](AddSa& d, SaRecord& k) {
         d.key.proto.udp_encap = true;
         d.key.src.port = d.key.dst.port = 4500;
         k.natt_type = 2;
         k.natt_sport = k.natt_dport = 4500;
     }},
    {"nat-t port",
     [](AddSa& d, SaRecord& k) {
         d.key.proto.udp_encap = true;
         d.key.src.port = d.key.dst.port = 4500;
         k.natt_type = 2;
         k.natt_sport = 4500;
         k.natt_dport = 4501;
     }},
    {"ports without nat-t", [](AddSa& d, SaRecord&) { d.key.src.port = 500; }},
    {"original address", [](AddSa&, SaRecord& k) { k.natt_oa = ip("10.0.0.1"); }},
    // The rest of the configuration.
    {"replay window", [](AddSa&, SaRecord& k) { k.replay = 64; }},
    {"hard limit", [](AddSa&, SaRecord& k) { k.hard->add_time = 60; }},
    {"no hard limit", [](AddSa&, SaRecord& k) { k.hard.reset(); }},
    {"a bound of 0 is none",
     [](AddSa& d, SaRecord& k) {
         d.soft.packets = 0;
         k.soft->packets = 0;
     }},
    {"packets limit", [](AddSa&, SaRecord& k) { k.soft->packets = 10; }},
    {"use limit", [](AddSa&, SaRecord& k) { k.hard->use_time = 10; }},
    {"context", [](AddSa&, SaRecord& k) { k.ctx->context = "other"; }},
    {"no context", [](AddSa&, SaRecord& k) { k.ctx.reset(); }},
    {"esn", [](AddSa&, SaRecord& k) { k.esn = false; }},
    {"output mark", [](AddSa&, SaRecord& k) { k.xfrm.output_mark.reset(); }},
    {"xfrm state flags", [](AddSa&, SaRecord& k) { k.xfrm.flags = 4; }},
    {"xfrm tfc padding", [](AddSa&, SaRecord& k) { k.xfrm.tfcpad = 100; }},
    {"xfrm state of the script", [](AddSa& d, SaRecord&) { d.xfrm.extra_flags = 1; }},
    {"counters and state",
     [](AddSa&, SaRecord& k) {
         k.current = Lifetime{.packets = 1};
         k.state = 2;
         k.replay_errors = 3;
         k.xfrm.replay.reset();
     }},
    // Algorithms and keys.
    {"encryption key", [](AddSa&, SaRecord& k) { (*k.enc.key)[3] ^= 1; }},
    {"encryption key length", [](AddSa&, SaRecord& k) { k.enc.key->push_back(0); }},
    {"encryption algorithm", [](AddSa&, SaRecord& k) { k.enc.alg = find_algorithm(AlgKind::enc, "3des-cbc"); }},
    {"encryption unknown to setkey",
     [](AddSa&, SaRecord& k) {
         k.enc.alg = nullptr;
         k.enc.kernel_name = "cbc(serpent)";
     }},
    {"encryption key not dumped", [](AddSa&, SaRecord& k) { k.enc.key.reset(); }},
    {"encryption none on both",
     [](AddSa& d, SaRecord& k) {
         d.enc.reset();
         k.enc = AlgorithmRef{};
     }},
    {"encryption none in the script", [](AddSa& d, SaRecord&) { d.enc.reset(); }},
    {"null encryption with a key in the kernel",
     [](AddSa& d, SaRecord& k) {
         d.enc = KeyedAlgorithm{find_algorithm(AlgKind::enc, "null"), {}};
         k.enc = AlgorithmRef{.alg = d.enc->alg, .key = std::vector<uint8_t>(16, 1), .key_bits = 128};
     }},
    {"authentication key", [](AddSa&, SaRecord& k) { k.auth.key->back() ^= 1; }},
    {"authentication icv", [](AddSa&, SaRecord& k) { k.auth.icv_bits = 96; }},
    {"icv 0 is the table's",
     [](AddSa& d, SaRecord& k) {
         d.auth->icv_bits = 0;
         k.auth.icv_bits = d.auth->alg->icv_bits;
     }},
    {"icv the script names",
     [](AddSa& d, SaRecord& k) {
         d.auth->icv_bits = 96;
         k.auth.icv_bits = 96;
     }},
    {"authentication unknown by pfkey id",
     [](AddSa&, SaRecord& k) {
         k.auth.alg = nullptr;
         k.auth.pfkey_id = 250;
     }},
    {"aead, no authentication",
     [](AddSa& d, SaRecord& k) {
         d.auth.reset();
         k.aead = true;
     }},
    {"aead with an authentication in the script", [](AddSa&, SaRecord& k) { k.aead = true; }},
    {"ipcomp",
     [](AddSa& d, SaRecord& k) {
         d.key.proto.type = k.satype = SaType::ipcomp;
         d.comp = k.comp.alg = find_algorithm(AlgKind::comp, "deflate");
     }},
    {"ipcomp unknown to setkey",
     [](AddSa& d, SaRecord& k) {
         d.key.proto.type = k.satype = SaType::ipcomp;
         d.comp = find_algorithm(AlgKind::comp, "deflate");
         k.comp.alg = nullptr;
     }},
    {"compression outside ipcomp", [](AddSa&, SaRecord& k) { k.comp.alg = find_algorithm(AlgKind::comp, "deflate"); }},
};

TEST(SameSa, AgreesWithTheKeptFormsOfAddAndReAdd) {
    size_t equal = 0;
    for (const Case& c : kCases) {
        AddSa desired = full_add();
        SaRecord kernel = testing::kernel_sa(desired);
        kernel.hard = Lifetime{.add_time = 3600};
        kernel.soft = Lifetime{.bytes = 1000000};
        c.change(desired, kernel);
        const bool defined = defined_same(desired, kernel);
        EXPECT_EQ(same_sa(desired, kernel), defined) << c.what;
        equal += defined;
    }
    // Both answers occur: the cases above change compared and ignored fields alike.
    EXPECT_GT(equal, 10u);
    EXPECT_LT(equal, std::size(kCases) - 20);
}

// A script's esp-old SA is the plain SA Linux makes of it: a second --sync of the
// same script must not replace it. Fails before 2026-12-07's fix (found by
// fuzz_pfkey_script).
TEST(SameSa, AnEspOldAddEqualsTheSaLinuxMadeOfIt) {
    AddSa desired = full_add();
    desired.key.proto.old = true;
    desired.flags |= kSaFlagOld;
    AddSa plain = desired;
    plain.key.proto.old = false;
    plain.flags &= ~kSaFlagOld; // af_key and XFRM dump no SADB_X_EXT_OLD
    SaRecord kernel = testing::kernel_sa(plain);
    kernel.hard = Lifetime{.add_time = 3600};
    kernel.soft = Lifetime{.bytes = 1000000};
    EXPECT_TRUE(same_sa(desired, kernel));
}

TEST(SameSa, TheUnchangedAddEqualsItsDump) {
    const AddSa desired = full_add();
    SaRecord kernel = testing::kernel_sa(desired);
    kernel.hard = Lifetime{.add_time = 3600};
    kernel.soft = Lifetime{.bytes = 1000000};
    EXPECT_TRUE(same_sa(desired, kernel));
    (*kernel.enc.key)[0] ^= 1;
    EXPECT_FALSE(same_sa(desired, kernel));
}

// A script may name a transport template's endpoints; XFRM keeps them, af_key neither
// takes nor reports them. The dump without them is the same policy, with others it is
// not (before, every XFRM --diff of such a script said it changed: the decoder dropped
// them).
TEST(SamePolicy, ATransportTemplatesEndpointsCountWhereTheKernelKeepsThem) {
    PolicyRecord kernel;
    kernel.src = Selector{*IpAddress::parse("10.44.0.1"), 32, kAnyPort};
    kernel.dst = Selector{*IpAddress::parse("10.45.0.1"), 32, kAnyPort};
    kernel.action = Action::ipsec;
    IpsecRequest t;
    t.mode = Mode::transport;
    t.level = Level::unique;
    t.reqid = 12;
    t.src = Endpoint{*IpAddress::parse("10.44.0.1"), std::nullopt};
    t.dst = Endpoint{*IpAddress::parse("10.45.0.1"), std::nullopt};
    kernel.requests = {t};
    const SpdEntry script = policy_entry(kernel, SpdEntry::Kind::add);
    EXPECT_TRUE(same_policy(script, kernel));
    PolicyRecord pfkey = kernel;
    pfkey.requests[0].src.reset();
    pfkey.requests[0].dst.reset();
    EXPECT_TRUE(same_policy(script, pfkey));
    PolicyRecord other = kernel;
    other.requests[0].dst->addr = *IpAddress::parse("10.9.9.9");
    EXPECT_FALSE(same_policy(script, other));
    SpdEntry tunnel = script;
    tunnel.policy.requests[0].mode = Mode::tunnel;
    PolicyRecord tunnel_without = pfkey;
    tunnel_without.requests[0].mode = Mode::tunnel;
    EXPECT_FALSE(same_policy(tunnel, tunnel_without));
}

} // namespace
} // namespace setkey::model
