// Golden request bytes: every corpus script that ipsec-tools 0.8.2 ran with -H
// (expected/requests-H/<dir>__<file>.txt) is parsed, each statement encoded as 0.8.2
// sends it, and the messages compared in order with 0.8.2's (pid 4242, seq 0).
#include <gtest/gtest.h>

#include <filesystem>

#include "grammar/parse.hpp"
#include "support/hexdump_file.hpp"
#include "model/linux_rules.hpp"
#include "pfkey/codec.hpp"
#include "pfkey/kdebug.hpp"
#include "support/corpus.hpp"

namespace setkey::pfkey {
namespace {

namespace fs = std::filesystem;
using test::Bytes;

constexpr RequestId k0822{4242, 0};

struct Case {
    std::string hex_file;
    std::string script; // path of the script the dump was made from
    bool quirk;
};

std::vector<Case> cases() {
    std::vector<Case> out;
    const fs::path corpus = setkey::test::corpus_dir();
    for (const auto& entry : fs::directory_iterator(corpus / "expected" / "requests-H")) {
        std::string name = entry.path().filename().string();
        auto sep = name.find("__");
        std::string dir = name.substr(0, sep);
        std::string file = name.substr(sep + 2, name.size() - sep - 2 - 4); // drop ".txt"
        out.push_back({entry.path().string(), (corpus / dir / file).string(), dir == "quirks"});
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.hex_file < b.hex_file; });
    return out;
}

// The requests 0.8.2 sends for one statement in RFC mode (the Linux default).
void requests_for(const model::Command& c, std::vector<Bytes>& out) {
    std::visit(
        [&](const auto& cmd) {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, model::AddSa>) {
                out.push_back(encode_add_sa(cmd, k0822));
            } else if constexpr (std::is_same_v<T, model::GetSa>) {
                out.push_back(encode_get_sa(cmd.key, k0822));
            } else if constexpr (std::is_same_v<T, model::DeleteSa>) {
                out.push_back(encode_delete_sa(cmd.key, k0822));
            } else if constexpr (std::is_same_v<T, model::DeleteAllSa>) {
                // Linux deleteall is a dump, then one delete per SA found; the corpus'
                // stand-in kernel answered every dump with ENOENT, so only the dump went out.
                out.push_back(encode_dump_sa(cmd.proto.type, k0822));
            } else if constexpr (std::is_same_v<T, model::FlushSa>) {
                out.push_back(encode_flush_sa(cmd.type, k0822));
            } else if constexpr (std::is_same_v<T, model::DumpSa>) {
                out.push_back(encode_dump_sa(cmd.type, k0822));
            } else if constexpr (std::is_same_v<T, model::SpdEntry>) {
                out.push_back(encode_policy(cmd, k0822));
                if (auto fwd = model::fwd_companion(cmd)) out.push_back(encode_policy(*fwd, k0822));
            } else if constexpr (std::is_same_v<T, model::FlushSpd>) {
                out.push_back(encode_flush_policies(k0822));
            } else if constexpr (std::is_same_v<T, model::DumpSpd>) {
                out.push_back(encode_dump_policies(k0822));
            } else {
                // SpdTagged and Exit: no corpus file that 0.8.2 ran contains them
                // (asserted below), so there is no 0.8.2 layout to copy.
                ADD_FAILURE() << "statement without a 0.8.2 request layout: " << model::command_name(c);
            }
        },
        c);
}

TEST(CorpusRequests, EveryScriptEncodesExactlyAs082) {
    SETKEY_REQUIRE_CORPUS();
    auto all = cases();
    ASSERT_GT(all.size(), 100u);
    size_t compared = 0, messages = 0, quirks = 0;
    for (const Case& c : all) {
        SCOPED_TRACE(c.script);
        grammar::ParseOptions options;
        options.filename = c.script;
        options.resolve_names = false;
        grammar::ParseResult parsed = grammar::parse_script(test::read_file(c.script), options);
        if (c.quirk) {
            // 0.8.2 accepted these key sizes; we refuse them at parse time on purpose.
            EXPECT_FALSE(parsed.ok()) << "quirk script now parses";
            ++quirks;
            continue;
        }
        ASSERT_TRUE(parsed.ok()) << parsed.error->render();
        std::vector<Bytes> ours;
        for (const auto& s : parsed.statements) {
            if (std::holds_alternative<model::Exit>(s.command)) break;
            requests_for(s.command, ours);
        }
        std::vector<Bytes> theirs = test::messages_of(test::read_hexdump_file(c.hex_file));
        ASSERT_EQ(ours.size(), theirs.size());
        for (size_t i = 0; i < ours.size(); ++i)
            EXPECT_EQ(ours[i], theirs[i]) << "message " << i << "\nours:\n"
                                          << kdebug_text(ours[i]) << hexdump_text(ours[i]) << "0.8.2:\n"
                                          << kdebug_text(theirs[i]) << hexdump_text(theirs[i]);
        messages += ours.size();
        ++compared;
    }
    EXPECT_EQ(compared + quirks, all.size());
    EXPECT_EQ(quirks, 12u);
    RecordProperty("scripts", static_cast<int>(compared));
    RecordProperty("messages", static_cast<int>(messages));
}

} // namespace
} // namespace setkey::pfkey
