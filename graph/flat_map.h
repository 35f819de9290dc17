// A map from 64-bit numbers to 64-bit numbers in one flat array, for the large per-import tables
// (file ids to entities, document numbers to documents): 16 bytes a slot, no node per entry, no
// pointer to chase. Open addressing with linear probing; deletion shifts the followers back, so
// no tombstones build up.
#ifndef PACTGRAPH_GRAPH_FLAT_MAP_H_
#define PACTGRAPH_GRAPH_FLAT_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace pactgraph {

// The finaliser of SplitMix64: spreads nearby numbers (consecutive ids) over the whole table.
inline uint64_t MixBits(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class FlatU64Map {
 public:
  // The value stored for `key`, or nullptr.
  uint64_t* Find(uint64_t key) {
    if (key == kEmpty) return has_max_ ? &max_value_ : nullptr;
    if (slots_.empty()) return nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kEmpty) return nullptr;
    }
  }
  const uint64_t* Find(uint64_t key) const { return const_cast<FlatU64Map*>(this)->Find(key); }

  // The value of `key`, inserted as `value` if absent; the bool says whether it was inserted.
  // The pointer holds until the next insertion.
  std::pair<uint64_t*, bool> TryEmplace(uint64_t key, uint64_t value) {
    if (key == kEmpty) {
      const bool inserted = !has_max_;
      if (inserted) {
        has_max_ = true;
        max_value_ = value;
        ++size_;
      }
      return {&max_value_, inserted};
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == key) return {&s.value, false};
      if (s.key == kEmpty) {
        s = {key, value};
        ++size_;
        return {&s.value, true};
      }
    }
  }
  void Set(uint64_t key, uint64_t value) { *TryEmplace(key, value).first = value; }

  void Erase(uint64_t key) {
    if (key == kEmpty) {
      if (has_max_) --size_;
      has_max_ = false;
      return;
    }
    if (slots_.empty()) return;
    size_t i = Home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == kEmpty) return;
      i = (i + 1) & mask_;
    }
    // Move back each follower whose home is not between the hole and itself.
    for (size_t j = (i + 1) & mask_; slots_[j].key != kEmpty; j = (j + 1) & mask_) {
      const size_t home = Home(slots_[j].key);
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].key = kEmpty;
    --size_;
  }

  size_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }
  void Clear() {
    std::vector<Slot>().swap(slots_);
    mask_ = 0;
    size_ = 0;
    has_max_ = false;
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t key = kEmpty;
    uint64_t value = 0;
  };
  size_t Home(uint64_t key) const { return MixBits(key) & mask_; }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const size_t n = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.key == kEmpty) continue;
      size_t i = Home(s.key);
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  bool has_max_ = false;  // the one key that marks an empty slot is kept beside the table
  uint64_t max_value_ = 0;
};

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_FLAT_MAP_H_
