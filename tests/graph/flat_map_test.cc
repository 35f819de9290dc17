// The import's flat tables against the standard library's map: the same random insertions,
// lookups and erasures must leave both holding the same entries.
#include "graph/flat_map.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "storage/internal/fact_table.h"

namespace pactgraph {
namespace {

TEST(FlatU64MapTest, AgreesWithUnorderedMapUnderRandomWork) {
  FlatU64Map map;
  std::unordered_map<uint64_t, uint64_t> want;
  std::mt19937_64 rng(7);
  for (int step = 0; step < 200000; ++step) {
    // Small keys collide often; consecutive ids and the all-ones key are the awkward cases.
    uint64_t key = rng() % 5000;
    if (step % 97 == 0) key = ~uint64_t{0};
    switch (rng() % 4) {
      case 0:
      case 1: {
        const auto [value, inserted] = map.TryEmplace(key, step);
        const auto [it, want_inserted] = want.try_emplace(key, step);
        ASSERT_EQ(inserted, want_inserted) << "key " << key << " at step " << step;
        ASSERT_EQ(*value, it->second);
        break;
      }
      case 2:
        map.Erase(key);
        want.erase(key);
        break;
      default: {
        const uint64_t* got = map.Find(key);
        auto it = want.find(key);
        ASSERT_EQ(got != nullptr, it != want.end()) << "key " << key << " at step " << step;
        if (got) {
          ASSERT_EQ(*got, it->second);
        }
      }
    }
    ASSERT_EQ(map.size(), want.size());
  }
  for (const auto& [key, value] : want) {
    const uint64_t* got = map.Find(key);
    ASSERT_NE(got, nullptr) << key;
    EXPECT_EQ(*got, value);
  }
  map.Clear();
  EXPECT_EQ(map.size(), 0u);
  EXPECT_EQ(map.Find(1), nullptr);
}

TEST(FlatU64MapTest, HoldsAMillionConsecutiveIds) {
  FlatU64Map map;
  for (uint64_t i = 0; i < 1000000; ++i) map.Set(i, i * 3);
  EXPECT_EQ(map.size(), 1000000u);
  for (uint64_t i = 0; i < 1000000; i += 997) ASSERT_EQ(*map.Find(i), i * 3);
  EXPECT_EQ(map.Find(1000000), nullptr);
  // 16 bytes a slot, at most four slots for every three entries, rounded up to a power of two.
  EXPECT_LE(map.bytes(), 2u * 1000000 * 16 * 4 / 3);
}

TEST(FactTableTest, ShortAndLongKeysAgreeWithUnorderedMapUnderRandomWork) {
  storage::FactTable table;
  std::unordered_map<std::string, RelationId> want;
  std::mt19937_64 rng(11);
  auto key_of = [&](uint64_t n) {
    // Keys of 1 to 40 bytes, with zero bytes inside, so that inline and arena keys both occur
    // and keys differing only in length or in a padding byte must stay apart.
    std::string key(1 + n % 40, '\0');
    for (size_t i = 0; i < key.size(); i += 3) key[i] = static_cast<char>('a' + (n >> (i % 16)) % 26);
    return key;
  };
  for (int step = 0; step < 100000; ++step) {
    const std::string key = key_of(rng() % 3000);
    if (rng() % 3 == 0) {
      table.Erase(key);
      want.erase(key);
    } else {
      const auto [slot, inserted] = table.TryEmplace(key);
      const auto [it, want_inserted] = want.try_emplace(key, 0);
      ASSERT_EQ(inserted, want_inserted) << "step " << step;
      ASSERT_EQ(table.id(slot), it->second) << "step " << step;
      if (inserted) {
        table.set_id(slot, static_cast<RelationId>(step + 1));
        it->second = static_cast<RelationId>(step + 1);
      }
    }
    ASSERT_EQ(table.size(), want.size());
  }
  for (const auto& [key, id] : want) {
    const auto [slot, inserted] = table.TryEmplace(key);
    ASSERT_FALSE(inserted);
    EXPECT_EQ(table.id(slot), id);
  }
}

}  // namespace
}  // namespace pactgraph
