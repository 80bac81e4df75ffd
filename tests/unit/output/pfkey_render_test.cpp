// Cross-layer golden: the kernel's own PF_KEY messages, recorded in hex by 0.8.2's
// `setkey -xx -H` monitor (small.out, section =====XXH, cut into
// tests/golden/pfkey/small-xxh.txt), decoded by pfkey/codec and
// printed by output/classic must give what 0.8.2 printed for the same kernel state.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "output/classic.hpp"
#include "pfkey/codec.hpp"
#include "support/small_records.hpp"

namespace setkey::output {
namespace {

using namespace testing;

// Every message of the monitor section: a timestamp line starts one, `xxxxxxxx: ` lines
// carry its bytes.
std::vector<std::vector<uint8_t>> monitor_messages() {
    const std::string path = std::string(SETKEY_GOLDEN_DIR) + "/pfkey/small-xxh.txt";
    std::ifstream in(path);
    EXPECT_TRUE(in) << "cannot read " << path;
    std::vector<std::vector<uint8_t>> out;
    for (std::string line; std::getline(in, line);) {
        if (line.size() > 10 && line[8] == ':' && line[9] == ' ') {
            std::istringstream hex(line.substr(10));
            for (std::string b; hex >> b;) out.back().push_back(static_cast<uint8_t>(std::stoul(b, nullptr, 16)));
        } else if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) &&
                   line.find('.') != std::string::npos && line.back() == ' ') {
            out.emplace_back();
        }
    }
    return out;
}

std::vector<pfkey::Decoded> decoded(uint8_t type) {
    std::vector<pfkey::Decoded> out;
    for (const auto& bytes : monitor_messages()) {
        if (bytes.size() < pfkey::kHeaderSize || bytes[1] != type || bytes[2] != 0) continue;
        out.push_back(pfkey::decode_message(bytes));
    }
    return out;
}

// The kernel-built copy of an SA (requests from setkey carry no current lifetime).
model::SaRecord kernel_sa(const std::vector<pfkey::Decoded>& msgs, uint32_t spi) {
    for (const auto& m : msgs)
        if (m.sa && m.sa->spi == spi && m.sa->current) return *m.sa;
    ADD_FAILURE() << "no kernel message for spi " << spi;
    return {};
}

class PfkeyRender : public UtcTest {};

TEST_F(PfkeyRender, GetReplyPrintsAsTheScriptGet) {
    auto sa = kernel_sa(decoded(5), 0x1001);
    EXPECT_EQ(format_sa(sa, {.now = kSmallAdded}), read_golden("small-get.txt"));
}

TEST_F(PfkeyRender, AddNotificationsPrintAsTheDumpWithPorts) {
    auto adds = decoded(3);
    const uint32_t order[] = {0x1004, 0x2000, 0x1002, 0x1001}; // the dump's order
    std::string text;
    for (size_t i = 0; i < std::size(order); ++i) {
        auto sa = kernel_sa(adds, order[i]);
        // Same kernel state, different message: take the dump's header fields.
        sa.msg = {static_cast<uint32_t>((i + 1) % std::size(order)), 318, 0};
        text += format_sa(sa, {.with_ports = true, .now = kSmallAdded + 1});
    }
    EXPECT_EQ(text, read_golden("small-D-p-a.txt"));
}

TEST_F(PfkeyRender, SpdaddNotificationsPrintAsThePolicyDumpWithPorts) {
    auto adds = decoded(14);
    const uint32_t order[] = {33, 25, 18, 8, 1};
    std::string text;
    for (size_t i = 0; i < std::size(order); ++i) {
        const model::PolicyRecord* found = nullptr;
        for (const auto& m : adds)
            if (m.policy && m.policy->id == order[i] && m.policy->current) found = &*m.policy;
        ASSERT_TRUE(found) << "no kernel message for spid " << order[i];
        auto p = *found;
        p.msg = {static_cast<uint32_t>((i + 1) % std::size(order)), 319, 1};
        text += format_policy(p, {.with_ports = true});
    }
    EXPECT_EQ(text, read_golden("small-DP-p.txt"));
}

} // namespace
} // namespace setkey::output
