// Commands for the encoded-length property tests of both codecs (tests/unit/pfkey and
// tests/unit/xfrm): every statement of the corpus scripts, and generated extremes, the
// largest values the grammar accepts (six IPv6 tunnel templates with ports, the longest
// security context, the longest key of every algorithm, IPv6 everywhere).
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "grammar/parse.hpp"
#include "model/algorithm.hpp"
#include "model/command.hpp"
#include "model/wire_limits.hpp"

namespace setkey::test {

inline std::vector<model::Command> parse_commands(std::string_view text, const std::string& name) {
    grammar::ParseOptions o;
    o.filename = name;
    o.resolve_names = false;
    grammar::ParseResult r = grammar::parse_script(text, o);
    std::vector<model::Command> out;
    if (r.error) return out; // the invalid/ folder and names that need DNS
    for (auto& st : r.statements) out.push_back(std::move(st.command));
    return out;
}

// Every statement of every corpus script that parses without DNS; empty when the
// corpus is absent (the caller skips).
inline std::vector<model::Command> corpus_commands() {
    namespace fs = std::filesystem;
    std::vector<model::Command> out;
    const fs::path root = SETKEY_CORPUS_DIR;
    if (!fs::is_directory(root / "scripts")) return out;
    for (const char* dir : {"scripts", "quirks"}) {
        if (!fs::is_directory(root / dir)) continue;
        for (const auto& entry : fs::directory_iterator(root / dir)) {
            std::ifstream f(entry.path(), std::ios::binary);
            std::stringstream text;
            text << f.rdbuf();
            for (auto& c : parse_commands(text.str(), entry.path().string())) out.push_back(std::move(c));
        }
    }
    return out;
}

// Checks every message with `problem` (what is wrong with its lengths, or ""), failing
// the test for each bad one (the first ten said), and returns the types (`type_of`) seen.
template <class Message, class Problem, class TypeOf>
auto check_messages(const std::vector<Message>& messages, Problem&& problem, TypeOf&& type_of) {
    std::set<decltype(type_of(messages.front()))> types;
    size_t bad = 0;
    for (const Message& m : messages) {
        types.insert(type_of(m));
        if (auto why = problem(m); !why.empty() && ++bad <= 10)
            ADD_FAILURE() << "type " << +type_of(m) << " message of " << m.size() << " bytes: " << why;
    }
    EXPECT_EQ(bad, 0u) << "of " << messages.size() << " messages";
    return types;
}

// Hands the corpus statements to `use`; skips the calling test when there is no corpus.
template <class Use> void with_corpus_commands(Use&& use) {
    const auto commands = corpus_commands();
    if (commands.empty()) GTEST_SKIP() << "no corpus at " SETKEY_CORPUS_DIR " (../shared/corpus)";
    EXPECT_GT(commands.size(), 500u);
    use(commands);
}

inline std::string hex_key(size_t bits) {
    std::string s = "0x";
    for (size_t i = 0; i < bits / 8; ++i) s += "a5";
    return s;
}

// The longest key `alg` takes.
inline size_t longest_key_bits(const model::Algorithm& alg) {
    size_t bits = alg.max_bits;
    for (uint16_t b : alg.key_bits) bits = std::max<size_t>(bits, b);
    return bits;
}

// The largest statements the grammar accepts, as script text.
inline std::string extreme_script() {
    const std::string ctx = "-ctx 1 1 \"" + std::string(model::limits::kMaxSecCtxText, 'c') + "\"";
    const std::string a = "2001:db8:ffff:ffff:ffff:ffff:ffff:fff1", b = "2001:db8:ffff:ffff:ffff:ffff:ffff:fff2";
    const std::string lifetimes = " -lh 4294967295 -ls 4294967295 -bh 18446744073709551615 -bs 18446744073709551615 ";
    std::string s;
    uint32_t spi = 0x1000;
    for (const model::Algorithm& alg : model::all_algorithms()) {
        if (!alg.linux_kernel || alg.kind == model::AlgKind::comp) continue;
        if (alg.needs_old) continue; // des-32iv: esp-old only, below
        const std::string key = alg.takes_key ? " " + hex_key(longest_key_bits(alg)) : "";
        const std::string spec = alg.kind == model::AlgKind::auth ? "-A " : "-E ";
        const std::string proto = alg.kind == model::AlgKind::auth ? "ah" : "esp";
        s += "add " + a + " " + b + " " + proto + " " + std::to_string(spi++) + " -m tunnel -u 16383 -r 255" +
             lifetimes + ctx + " " + spec + std::string(alg.name) + key + ";\n";
    }
    // ESP with both the longest cipher and the longest MAC, over NAT-T with an original address.
    s += "add " + a + " [65535] " + b + " [65535] esp-udp " + a + " 0xffffffff -m tunnel -u 16383" + lifetimes + ctx +
         " -E aes-cbc " + hex_key(256) + " -A hmac-sha512 " + hex_key(512) + ";\n";
    s += "add " + a + " " + b + " esp-old 0x2000 -E des-32iv " + hex_key(64) + ";\n";
    s += "update " + a + " " + b + " esp 0x3000" + lifetimes + ctx + " -E aes-ctr " + hex_key(288) +
         " -A hmac-sha384 " + hex_key(384) + ";\n";
    s += "getspi " + a + " " + b + " esp 0x4000 -m tunnel -u 16383 " + ctx + ";\n";
    s += "add " + a + " " + b + " ipcomp 0xffff -m tunnel -C deflate;\n";
    s += "get " + a + " [65535] " + b + " [65535] esp 0xffffffff;\n";
    s += "delete " + a + " " + b + " ah 0xffffffff;\n";
    s += "deleteall " + a + " " + b + " esp;\n";
    s += "flush; flush esp; dump; dump ah; spdflush; spddump;\n";
    // Six templates (XFRM_MAX_DEPTH), IPv6 tunnel endpoints with ports, mixed protocols.
    std::string requests;
    const char* protos[] = {"esp", "ah", "ipcomp", "esp", "ah", "esp"};
    for (int i = 0; i < 6; ++i)
        requests += std::string(" ") + protos[i] + "/tunnel/" + a + "[65535]-" + b + "[65535]/unique:" +
                    std::to_string(32767 - i);
    const std::string selector = a + "/128[65535] " + b + "/128[65535] 6 ";
    for (const char* cmd : {"spdadd", "spdupdate"})
        for (const char* dir : {"in", "out", "fwd"})
            s += std::string(cmd) + " " + selector + ctx + " -P " + dir + " prio -2147483647 ipsec" + requests + ";\n";
    s += "spdadd " + selector + ctx + " -P out discard;\n";
    s += "spddelete " + selector + ctx + " -P in;\n";
    s += "spddelete " + selector + "-P out ipsec" + requests + ";\n";
    return s;
}

inline std::vector<model::Command> extreme_commands() {
    const std::string text = extreme_script();
    grammar::ParseOptions o;
    o.filename = "extremes";
    o.resolve_names = false;
    grammar::ParseResult r = grammar::parse_script(text, o);
    EXPECT_FALSE(r.error) << r.error->render().substr(0, 400);
    std::vector<model::Command> out;
    for (auto& st : r.statements) out.push_back(std::move(st.command));
    return out;
}

} // namespace setkey::test
