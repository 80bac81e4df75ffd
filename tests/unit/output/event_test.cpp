// -x -o jsonl lines: the event envelope, the record in the dump schema, keys hidden
// unless asked, flush's satype, and one flushed line per event.
#include <gtest/gtest.h>

#include <sstream>

#include "support/machine_records.hpp"
#include "output/event.hpp"
#include "output/fields.hpp"

namespace setkey::output {
namespace {

using json = nlohmann::ordered_json;

json parse(const std::string& line) { return json::parse(line); }

TEST(EventJson, EnvelopeThenRecordInTheDumpSchema) {
    const auto sa = testing::machine_sad().front();
    Event e{EventKind::add, 1795682401.123456, std::nullopt, sa, std::nullopt};
    const json j = parse(event_json(e, "xfrm", {}));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"v", "type", "time", "backend", "event", "sa", "sp"}));
    EXPECT_EQ(j["v"], 2);
    EXPECT_EQ(j["type"], "event");
    EXPECT_DOUBLE_EQ(j["time"].get<double>(), 1795682401.123456);
    EXPECT_EQ(j["backend"], "xfrm");
    EXPECT_EQ(j["event"], "add");
    EXPECT_EQ(j["sa"], sa_object(sa, {}));
    EXPECT_TRUE(j["sp"].is_null());
}

TEST(EventJson, KeysOnlyWithShowKeys) {
    const auto sa = testing::machine_sad().front();
    Event e{EventKind::remove, 1, std::nullopt, sa, std::nullopt};
    EXPECT_FALSE(parse(event_json(e, "pfkey", {})).at("sa").contains("enc_key"));
    const json shown = parse(event_json(e, "pfkey", {.show_keys = true}));
    EXPECT_TRUE(shown["sa"]["enc_key"].is_string());
    EXPECT_EQ(shown["event"], "delete");
}

TEST(EventJson, FlushNamesTheSatypeOrNullForAll) {
    Event esp{EventKind::flush, 1, model::SaType::esp, std::nullopt, std::nullopt};
    EXPECT_EQ(parse(event_json(esp, "xfrm", {}))["satype"], "esp");
    Event all{EventKind::flush, 1, std::nullopt, std::nullopt, std::nullopt};
    const json j = parse(event_json(all, "xfrm", {}));
    ASSERT_TRUE(j.contains("satype"));
    EXPECT_TRUE(j["satype"].is_null());
    Event spd{EventKind::spdflush, 1, std::nullopt, std::nullopt, std::nullopt};
    EXPECT_FALSE(parse(event_json(spd, "xfrm", {})).contains("satype"));
}

TEST(EventJson, PolicyEventsCarryThePolicyRecord) {
    const auto p = testing::full_policy();
    Event e{EventKind::spddelete, 1, std::nullopt, std::nullopt, p};
    const json j = parse(event_json(e, "xfrm", {}));
    EXPECT_EQ(j["event"], "spddelete");
    EXPECT_EQ(j["sp"], policy_object(p, {}));
}

TEST(EventJson, EveryKindHasItsDocumentedName) {
    const std::vector<std::pair<EventKind, std::string>> names{
        {EventKind::add, "add"}, {EventKind::update, "update"}, {EventKind::remove, "delete"},
        {EventKind::expire_soft, "expire_soft"}, {EventKind::expire_hard, "expire_hard"},
        {EventKind::acquire, "acquire"}, {EventKind::flush, "flush"}, {EventKind::spdadd, "spdadd"},
        {EventKind::spdupdate, "spdupdate"}, {EventKind::spddelete, "spddelete"},
        {EventKind::spdexpire, "spdexpire"}, {EventKind::spdflush, "spdflush"}};
    for (const auto& [kind, name] : names) EXPECT_EQ(event_name(kind), name);
}

// A stream that counts flushes: every event must reach the reader at once.
struct CountingBuf : std::stringbuf {
    int syncs = 0;
    int sync() override {
        ++syncs;
        return std::stringbuf::sync();
    }
};

TEST(EventJson, WriteEventEndsTheLineAndFlushes) {
    CountingBuf buf;
    std::ostream out(&buf);
    Event e{EventKind::spdflush, 1, std::nullopt, std::nullopt, std::nullopt};
    write_event(out, e, "xfrm", {});
    write_event(out, e, "xfrm", {});
    EXPECT_EQ(buf.syncs, 2);
    const std::string text = buf.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
    EXPECT_EQ(text.back(), '\n');
}

} // namespace
} // namespace setkey::output
