// The facts an import session has added, keyed by their `facts` key (keys.h: type, subject,
// object, node qualifiers), for deduplication while the session's writes are not yet in the store.
// A bulk load holds millions, so the table is one flat array of 32-byte slots: a key of up to
// 24 bytes (a relation without node qualifiers is 18) is kept in the slot itself, a longer one
// in an arena the slot points at. Keys are compared whole: no two facts are ever taken for one.
#ifndef PACTGRAPH_STORAGE_INTERNAL_FACT_TABLE_H_
#define PACTGRAPH_STORAGE_INTERNAL_FACT_TABLE_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/flat_map.h"
#include "graph/model.h"

namespace pactgraph::storage {

class FactTable {
 public:
  // The slot of `key`, inserted with relation id 0 if absent (the bool says so). The slot number
  // holds until the next insertion.
  std::pair<size_t, bool> TryEmplace(std::string_view key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    Slot probe = Make(key, false);
    const uint64_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.len() == 0) {
        if (probe.len() == kLong) probe = Make(key, true);  // now copy the long key into the arena
        s = probe;
        ++size_;
        return {i, true};
      }
      if (Same(s, probe, key)) return {i, false};
    }
  }

  // Takes `key` out (an insertion whose store lookup failed).
  void Erase(std::string_view key) {
    if (slots_.empty()) return;
    const Slot probe = Make(key, false);
    size_t i = Hash(key) & mask_;
    while (!Same(slots_[i], probe, key)) {
      if (slots_[i].len() == 0) return;
      i = (i + 1) & mask_;
    }
    for (size_t j = (i + 1) & mask_; slots_[j].len() != 0; j = (j + 1) & mask_) {
      const size_t home = SlotHash(slots_[j]) & mask_;
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

  RelationId id(size_t slot) const { return slots_[slot].meta & kIdMask; }
  void set_id(size_t slot, RelationId id) { slots_[slot].meta = (slots_[slot].meta & ~kIdMask) | (id & kIdMask); }

  size_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot) + arena_bytes_; }

 private:
  static constexpr size_t kInline = 24;
  static constexpr uint64_t kLong = 0xFF;  // `len` of a key kept in the arena
  static constexpr uint64_t kIdMask = (uint64_t{1} << 56) - 1;  // relation ids stay below 2^56
  struct Slot {
    // An inline key: its bytes, zero-padded. A long one: w[0] its address in the arena, w[1] its
    // hash, w[2] its length.
    uint64_t w[3] = {0, 0, 0};
    uint64_t meta = 0;  // the key's length (0: an empty slot; no fact key is empty) << 56 | id
    uint64_t len() const { return meta >> 56; }
  };
  static_assert(sizeof(Slot) == 32, "a slot is four words");

  static uint64_t HashWords(const uint64_t* w, size_t n, uint64_t len) {
    uint64_t h = len * 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; ++i) h = MixBits(h ^ w[i]) + i;
    return h;
  }
  static uint64_t Hash(std::string_view key) {
    if (key.size() <= kInline) {
      uint64_t w[3] = {0, 0, 0};
      std::memcpy(w, key.data(), key.size());
      return HashWords(w, 3, key.size());
    }
    uint64_t h = key.size() * 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0, k = 0; i < key.size(); i += 8, ++k) {
      uint64_t w = 0;
      std::memcpy(&w, key.data() + i, std::min<size_t>(8, key.size() - i));
      h = MixBits(h ^ w) + k;
    }
    return h;
  }
  static uint64_t SlotHash(const Slot& s) { return s.len() == kLong ? s.w[1] : HashWords(s.w, 3, s.len()); }

  // The slot `key` would fill; a long key is copied into the arena only when `store`.
  Slot Make(std::string_view key, bool store) {
    Slot s;
    if (key.size() <= kInline) {
      std::memcpy(s.w, key.data(), key.size());
      s.meta = uint64_t{key.size()} << 56;
      return s;
    }
    s.meta = kLong << 56;
    s.w[1] = Hash(key);
    s.w[2] = key.size();
    if (store) {
      auto copy = std::make_unique<char[]>(key.size());
      std::memcpy(copy.get(), key.data(), key.size());
      s.w[0] = reinterpret_cast<uintptr_t>(copy.get());
      arena_.push_back(std::move(copy));
      arena_bytes_ += key.size() + sizeof(void*);
    }
    return s;
  }
  static bool Same(const Slot& s, const Slot& probe, std::string_view key) {
    if (s.len() != probe.len()) return false;
    if (s.len() != kLong) return s.w[0] == probe.w[0] && s.w[1] == probe.w[1] && s.w[2] == probe.w[2];
    return s.w[1] == probe.w[1] && s.w[2] == key.size() &&
           std::memcmp(reinterpret_cast<const char*>(s.w[0]), key.data(), key.size()) == 0;
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const size_t n = old.empty() ? 4096 : old.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.len() == 0) continue;
      size_t i = SlotHash(s) & mask_;
      while (slots_[i].len() != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::vector<std::unique_ptr<char[]>> arena_;  // the long keys
  size_t arena_bytes_ = 0;
};

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_INTERNAL_FACT_TABLE_H_
