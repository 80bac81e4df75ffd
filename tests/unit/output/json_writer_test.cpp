// JsonWriter must give nlohmann's bytes exactly: records streamed through it replaced
// trees dumped by nlohmann, and goldens, schemas and consumers rely on the old bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "output/json_writer.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;

// Writes `v` through the writer, member by member.
void write(JsonWriter& w, const json& v) {
    switch (v.type()) {
    case json::value_t::object:
        w.begin_object();
        for (const auto& [k, m] : v.items()) {
            w.key(k);
            write(w, m);
        }
        w.end_object();
        break;
    case json::value_t::array:
        w.begin_array();
        for (const auto& e : v) write(w, e);
        w.end_array();
        break;
    case json::value_t::string: w.string(v.get<std::string>()); break;
    case json::value_t::boolean: w.boolean(v.get<bool>()); break;
    case json::value_t::number_unsigned: w.integer(v.get<uint64_t>()); break;
    case json::value_t::number_integer: w.integer(v.get<int64_t>()); break;
    default: w.null(); break;
    }
}

std::string streamed(const json& v, bool pretty, int indent = 0, std::string prefix = {}) {
    std::string out = std::move(prefix);
    {
        JsonWriter w(out, pretty, indent);
        write(w, v);
    }
    return out;
}

const json kSample = json::parse(R"({
  "id": "esp/10.0.0.2/0x00001000", "n": 0, "big": 18446744073709551615, "neg": -5,
  "t": true, "f": false, "none": null, "empty_list": [], "empty_object": {},
  "flags": ["noecn", "esn"], "hard": {"bytes": null, "packets": 7},
  "templates": [{"proto": "esp", "src": null}, {"proto": "ah", "level": "require"}],
  "nested": [[], [{}], [[1, 2], {"a": []}]],
  "escapes": "quote \" backslash \\ tab \t newline \n bell \u0007 e-acute \u00e9"
})");

TEST(JsonWriter, CompactIsNlohmannsDump) {
    EXPECT_EQ(streamed(kSample, false), kSample.dump());
}

TEST(JsonWriter, PrettyIsNlohmannsIndentOfTwo) {
    EXPECT_EQ(streamed(kSample, true), kSample.dump(2));
}

TEST(JsonWriter, IndentShiftsEveryLineAfterTheFirst) {
    std::string want = kSample.dump(2);
    for (size_t at = 0; (at = want.find('\n', at)) != std::string::npos; at += 5) want.insert(at + 1, "    ");
    EXPECT_EQ(streamed(kSample, true, 4), want);
}

TEST(JsonWriter, InvalidUtf8BecomesTheReplacementCharacterAsNlohmannDoes) {
    const std::string bad = "ctx\xff\xfe end";
    std::string out;
    {
        JsonWriter w(out);
        w.string(bad);
    }
    EXPECT_EQ(out, json(bad).dump(-1, ' ', false, json::error_handler_t::replace));
}

TEST(JsonWriter, AppendsAfterWhatTheStringHeldAndLeavesNoSpareBytes) {
    const std::string prefix(300, 'x'); // beyond the writer's first spare room
    const std::string out = streamed(kSample, false, 0, prefix);
    EXPECT_EQ(out, prefix + kSample.dump());
}

// Keys and strings of every length from 0 to 40 (short texts are copied by two
// overlapping loads, longer ones by memcpy): each lands whole, and nothing past it.
TEST(JsonWriter, KeysAndStringsOfEveryLengthAreCopiedWhole) {
    const std::string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO";
    json object = json::object(), array = json::array();
    for (size_t n = 0; n <= 40; ++n) {
        object[letters.substr(0, n) + "_" + std::to_string(n)] = letters.substr(40 - n, n);
        array.push_back(letters.substr(n % 7, n));
    }
    const json v = {{"object", object}, {"array", array}};
    EXPECT_EQ(streamed(v, false), v.dump());
    EXPECT_EQ(streamed(v, true), v.dump(2));
}

} // namespace
} // namespace setkey::output
