#include "model/identity_index.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <vector>

namespace setkey::model {
namespace {

using Place = IdentityIndex::Place;

// Entries as the sync target keeps them: the identity lives at its place. `hash` is
// made weak on purpose (a few values), so probing, collisions and erased slots are
// what the tests go through.
struct Table {
    std::vector<std::optional<int>> places;
    IdentityIndex index;
    static size_t hash(int id) { return static_cast<size_t>(id % 5) * 0x9e3779b97f4a7c15ull; }
    auto same(int id) const {
        return [this, id](Place p) { return places[p] == id; };
    }
    void put(int id) {
        if (auto old = index.put(hash(id), static_cast<Place>(places.size()), same(id))) places[*old].reset();
        places.emplace_back(id);
    }
    bool erase(int id) {
        auto old = index.erase(hash(id), same(id));
        if (old) places[*old].reset();
        return old.has_value();
    }
    std::optional<int> find(int id) const {
        auto p = index.find(hash(id), same(id));
        if (!p) return std::nullopt;
        return places[*p];
    }
};

TEST(IdentityIndex, FindsWhatWasPutAndForgetsWhatWasErased) {
    Table t;
    EXPECT_EQ(t.find(7), std::nullopt); // an empty index
    for (int id : {7, 12, 17, 3}) t.put(id); // 7, 12 and 17 share a hash
    EXPECT_EQ(t.index.size(), 4u);
    EXPECT_EQ(t.find(12), 12);
    EXPECT_EQ(t.find(22), std::nullopt); // the same hash, not there
    EXPECT_TRUE(t.erase(12));
    EXPECT_FALSE(t.erase(12));
    EXPECT_EQ(t.find(12), std::nullopt);
    EXPECT_EQ(t.find(17), 17); // found past the erased slot
    EXPECT_EQ(t.index.size(), 3u);
}

TEST(IdentityIndex, PutAgainMovesTheEntryToItsNewPlace) {
    Table t;
    t.put(4);
    t.put(9);
    t.put(4); // the last statement naming an entry decides its place
    EXPECT_EQ(t.index.size(), 2u);
    EXPECT_EQ(t.index.find(Table::hash(4), t.same(4)), Place{2});
    EXPECT_FALSE(t.places[0].has_value());
}

TEST(IdentityIndex, EraseIfAndClear) {
    Table t;
    for (int id = 0; id < 40; ++id) t.put(id);
    t.index.erase_if([&](Place p) {
        if (*t.places[p] % 2 == 0) return false;
        t.places[p].reset();
        return true;
    });
    EXPECT_EQ(t.index.size(), 20u);
    EXPECT_EQ(t.find(3), std::nullopt);
    EXPECT_EQ(t.find(38), 38);
    t.index.clear();
    t.places.clear();
    EXPECT_EQ(t.index.size(), 0u);
    EXPECT_EQ(t.find(38), std::nullopt);
    t.put(38);
    EXPECT_EQ(t.find(38), 38);
}

// Random puts and erases (few hashes, so long probe runs, many erased slots and
// growth past the reservation) agree with std::map at every step.
TEST(IdentityIndex, AgreesWithAMapOverRandomChanges) {
    Table t;
    t.index.reserve(8);
    std::map<int, Place> reference;
    std::mt19937 random(12345);
    for (int step = 0; step < 20000; ++step) {
        const int id = static_cast<int>(random() % 300);
        if (random() % 3 == 0) {
            EXPECT_EQ(t.erase(id), reference.erase(id) == 1) << "step " << step;
        } else {
            reference[id] = static_cast<Place>(t.places.size());
            t.put(id);
        }
        const int probe = static_cast<int>(random() % 300);
        const auto it = reference.find(probe);
        const auto found = t.index.find(Table::hash(probe), t.same(probe));
        ASSERT_EQ(found, it == reference.end() ? std::nullopt : std::optional<Place>(it->second)) << "step " << step;
        ASSERT_EQ(t.index.size(), reference.size());
    }
}

} // namespace
} // namespace setkey::model
