// The sync target's index from entry identities to places (an entry's position in
// script order): one flat array of {hash, place} slots probed linearly, instead of a
// hash node per entry. The identities stay with their entries; `same(place)` says
// whether the entry at a place has the identity looked for, so a lookup reads one slot
// and then the entry, which the caller reads next anyway. A sync indexes every entry
// of a script and looks up every entry of both kernel tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace setkey::model {

class IdentityIndex {
public:
    using Place = uint32_t; // a script of 4 billion entries does not fit in memory first

    // Room for `entries` without growing.
    void reserve(size_t entries) {
        if (const size_t capacity = capacity_for(2 * entries); capacity > slots_.size()) rehash(capacity);
    }

    // The place indexed for an identity of hash `hash`, if any.
    template <class Same>
    std::optional<Place> find(size_t hash, Same same) const {
        if (const Slot* s = locate(hash, same)) return s->place;
        return std::nullopt;
    }

    // Indexes `place` for the identity of hash `hash`; returns the place it had, if any.
    template <class Same>
    std::optional<Place> put(size_t hash, Place place, Same same) {
        // Full (erased slots count): room for as many again, without the erased ones.
        if (2 * (used_ + 1) > slots_.size()) rehash(capacity_for(4 * (live_ + 1)));
        const uint32_t tag = fold(hash);
        Slot* reuse = nullptr; // the first erased slot on the way: the new entry goes there
        for (size_t i = tag & mask();; i = (i + 1) & mask()) {
            Slot& s = slots_[i];
            if (s.place == kEmpty) {
                if (!reuse) {
                    reuse = &s;
                    ++used_;
                }
                *reuse = {tag, place};
                ++live_;
                return std::nullopt;
            }
            if (s.place == kErased) {
                if (!reuse) reuse = &s;
            } else if (s.tag == tag && same(s.place)) {
                const Place old = s.place;
                s.place = place;
                return old;
            }
        }
    }

    // Unindexes the identity of hash `hash`; returns the place it had, if any.
    template <class Same>
    std::optional<Place> erase(size_t hash, Same same) {
        Slot* s = const_cast<Slot*>(locate(hash, same));
        if (!s) return std::nullopt;
        const Place old = s->place;
        s->place = kErased;
        --live_;
        return old;
    }

    // Unindexes every place for which `pred(place)` holds.
    template <class Pred>
    void erase_if(Pred pred) {
        for (Slot& s : slots_)
            if (s.place < kErased && pred(s.place)) {
                s.place = kErased;
                --live_;
            }
    }

    void clear() {
        for (Slot& s : slots_) s = {};
        live_ = used_ = 0;
    }

    size_t size() const { return live_; }

private:
    static constexpr Place kEmpty = UINT32_MAX, kErased = UINT32_MAX - 1;
    static constexpr size_t kMinCapacity = 16;
    struct Slot {
        uint32_t tag = 0; // the hash, folded
        Place place = kEmpty;
    };

    static size_t capacity_for(size_t slots) {
        size_t capacity = kMinCapacity;
        while (capacity < slots) capacity *= 2;
        return capacity;
    }
    static uint32_t fold(size_t hash) { return static_cast<uint32_t>(hash ^ (uint64_t{hash} >> 32)); }
    size_t mask() const { return slots_.size() - 1; }

    template <class Same>
    const Slot* locate(size_t hash, Same same) const {
        if (slots_.empty()) return nullptr;
        const uint32_t tag = fold(hash);
        for (size_t i = tag & mask();; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.place == kEmpty) return nullptr;
            if (s.place != kErased && s.tag == tag && same(s.place)) return &s;
        }
    }

    // A power-of-two `capacity`, at least twice the entries; erased slots are dropped.
    void rehash(size_t capacity) {
        std::vector<Slot> old(capacity);
        old.swap(slots_);
        used_ = live_;
        for (const Slot& s : old) {
            if (s.place >= kErased) continue;
            size_t i = s.tag & mask();
            while (slots_[i].place != kEmpty) i = (i + 1) & mask();
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_; // at most half of them used (erased ones count)
    size_t live_ = 0, used_ = 0;
};

} // namespace setkey::model
