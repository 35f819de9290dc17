#include "storage/internal/record_cache.h"

#include <gtest/gtest.h>

namespace pactgraph::storage {
namespace {

Entity Named(EntityId id, const std::string& name) {
  Entity e;
  e.id = id;
  e.type = "Company";
  e.name = name;
  return e;
}

TEST(RecordCacheTest, HoldsRecordsForOneSequenceNumberOnly) {
  RecordCache cache(1 << 20);
  cache.Add(7, Named(1, "Red Hat"));
  Entity e;
  ASSERT_TRUE(cache.Find(7, EntityId{1}, &e));
  EXPECT_EQ(e.name, "Red Hat");
  EXPECT_FALSE(cache.Find(7, EntityId{2}, &e));
  // A reader at an older snapshot neither uses nor fills it.
  EXPECT_FALSE(cache.Find(6, EntityId{1}, &e));
  cache.Add(6, Named(3, "Oracle"));
  EXPECT_FALSE(cache.Find(7, EntityId{3}, &e));
  // A newer number (a commit happened) empties it.
  EXPECT_FALSE(cache.Find(8, EntityId{1}, &e));
  EXPECT_FALSE(cache.Find(7, EntityId{1}, &e));
  EXPECT_EQ(cache.count(), 0u);
}

TEST(RecordCacheTest, KindsAreKeptApart) {
  RecordCache cache(1 << 20);
  cache.Add(1, Named(5, "Microsoft"));
  Relation r;
  r.id = 5;
  r.type = "SUPPORTS";
  cache.Add(1, r);
  Provenance p;
  p.document = 9;
  p.evidence = "Microsoft will validate and support Red Hat Enterprise Linux guests";
  cache.AddSources(1, 5, {p});
  Entity e;
  Relation got;
  std::vector<Provenance> sources;
  ASSERT_TRUE(cache.Find(1, EntityId{5}, &e));
  ASSERT_TRUE(cache.Find(1, RelationId{5}, &got));
  ASSERT_TRUE(cache.FindSources(1, 5, &sources));
  EXPECT_EQ(e.name, "Microsoft");
  EXPECT_EQ(got.type, "SUPPORTS");
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].document, 9u);
}

// A record added shared is found as the same object, not a copy, and also by copy; a newer
// sequence number drops it from the cache while a reader that holds it keeps it whole.
TEST(RecordCacheTest, SharedRecordsAreTheCachedCopyItself) {
  RecordCache cache(1 << 20);
  auto rh = std::make_shared<const Entity>(Named(4, "Red Hat"));
  cache.Add(3, rh);
  std::shared_ptr<const Entity> found;
  ASSERT_TRUE(cache.Find(3, EntityId{4}, &found));
  EXPECT_EQ(found.get(), rh.get());
  Entity copy;
  ASSERT_TRUE(cache.Find(3, EntityId{4}, &copy));
  EXPECT_EQ(copy.name, "Red Hat");
  EXPECT_FALSE(cache.Find(4, EntityId{4}, &found));
  EXPECT_EQ(cache.count(), 0u);
  EXPECT_EQ(rh->name, "Red Hat");
}

TEST(RecordCacheTest, StaysWithinItsBoundAndKeepsWhatIsUsed) {
  const size_t bound = 64 << 10;
  RecordCache cache(bound);
  const size_t each = RecordCache::Bytes(Named(1, "Company number 1"));
  const EntityId hot = 1;
  for (EntityId id = 1; id <= 20000; ++id) {
    cache.Add(1, Named(id, "Company number " + std::to_string(id)));
    Entity e;
    EXPECT_TRUE(cache.Find(1, hot, &e)) << "the entity read all along was dropped at " << id;
    EXPECT_LE(cache.bytes(), bound + each);
  }
  EXPECT_LT(cache.count(), 20000u);
  EXPECT_GT(cache.count(), bound / each / 4);

  RecordCache none(0);
  none.Add(1, Named(1, "Red Hat"));
  Entity e;
  EXPECT_FALSE(none.Find(1, EntityId{1}, &e));
}

}  // namespace
}  // namespace pactgraph::storage
