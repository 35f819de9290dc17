#include "storage/internal/records.h"

#include <gtest/gtest.h>

#include "storage/internal/coding.h"
#include "storage/internal/keys.h"

namespace pactgraph::storage {
namespace {

TEST(Coding, VarintRoundTrip) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 1ull << 35, ~0ull}) {
    std::string s;
    PutVarint(s, v);
    Decoder d(s);
    uint64_t back = 0;
    ASSERT_TRUE(d.GetVarint(&back));
    EXPECT_EQ(back, v);
    EXPECT_TRUE(d.done());
  }
}

TEST(Coding, BigEndianKeysSortNumerically) {
  EXPECT_LT(IdKey(255), IdKey(256));
  EXPECT_LT(IdKey(1), IdKey(1ull << 40));
  EXPECT_EQ(GetBig64(IdKey(0x0102030405060708ull).data()), 0x0102030405060708ull);
}

TEST(Keys, AdjacencyKeyRoundTrip) {
  AdjEntry e{};
  ASSERT_TRUE(ParseAdjKey(AdjKey(7, Dir::kIn, 5, 9, 11), &e));
  EXPECT_EQ(e.node, 7u);
  EXPECT_EQ(e.dir, Dir::kIn);
  EXPECT_EQ(e.type, 5u);
  EXPECT_EQ(e.other, 9u);
  EXPECT_EQ(e.relation, 11u);
  EXPECT_FALSE(ParseAdjKey("short", &e));
}

TEST(Keys, NameKeyRoundTrip) {
  std::string_view name;
  EntityId id = 0;
  const std::string key = NameKey("red hat", 42);
  ASSERT_TRUE(ParseNameKey(key, &name, &id));
  EXPECT_EQ(name, "red hat");
  EXPECT_EQ(id, 42u);
}

TEST(Records, EntityRoundTrip) {
  const Schema schema = Schema::Default();
  Entity e{12, "Product", "Red Hat Enterprise Linux", {"RHEL", "Red Hat Linux"}, {{"since", "2002"}}, true};
  Result<Entity> back = DecodeEntity(schema, 12, EncodeEntity(schema, e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, e.name);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->aliases, e.aliases);
  EXPECT_EQ(back->properties, e.properties);
  EXPECT_TRUE(back->type_implied);
}

TEST(Records, RelationRoundTrip) {
  const Schema schema = Schema::Default();
  Relation r;
  r.type = "SUPPORTS";
  r.subject = 1;
  r.object = 2;
  r.qualifiers = {{"on", 3, ""}, {"as", 0, "guest"}, {"status", 0, "planned"}};
  r.properties = {{"note", "x"}};
  Result<Relation> back = DecodeRelation(schema, 9, EncodeRelation(schema, r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, 9u);
  EXPECT_EQ(back->type, "SUPPORTS");
  EXPECT_EQ(back->qualifiers, r.qualifiers);
  EXPECT_EQ(back->properties, r.properties);
}

TEST(Records, ProvenanceAndDocumentRoundTrip) {
  Provenance p;
  p.span_begin = 10;
  p.span_end = 50;
  p.line = 7;
  p.extractor = "rule:supports-on";
  p.confidence = 0.75f;
  p.evidence = "Microsoft will validate and support";
  Result<Provenance> pb = DecodeProvenance(3, 4, EncodeProvenance(p));
  ASSERT_TRUE(pb.ok());
  EXPECT_EQ(pb->document, 3u);
  EXPECT_EQ(pb->sentence, 4u);
  EXPECT_EQ(pb->span_end, 50u);
  EXPECT_FLOAT_EQ(pb->confidence, 0.75f);
  EXPECT_EQ(pb->evidence, p.evidence);

  Document d{0, "k", "article", "Title", "Pub", "2009-02-16", "http://example.org/a", "text", "abc"};
  Result<Document> db = DecodeDocument(5, EncodeDocument(d));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db->date, "2009-02-16");
  EXPECT_EQ(db->text, "text");
}

// A source's literals travel with it; a record written before they were kept reads as stating
// none of its own (its relation's stand for it).
TEST(Records, ProvenanceLiteralsRoundTripAndOldRecordsHaveNone) {
  Provenance p;
  p.evidence = "Kestrel Systems will no longer support Quill OS";
  const std::string old = EncodeProvenance(p);
  Result<Provenance> before = DecodeProvenance(1, 1, old);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->literals.has_value());
  p.literals = std::map<std::string, std::string>{{"as", "guest"}, {"status", "ended"}};
  Result<Provenance> back = DecodeProvenance(1, 1, EncodeProvenance(p));
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->literals.has_value());
  EXPECT_EQ(*back->literals, *p.literals);
  EXPECT_EQ(DecodeProvenance(1, 1, EncodeProvenance(p) + "x").status().code(), StatusCode::kCorruption);
}

// Every truncation of a valid record, and a few flipped bytes, decode to kCorruption, never a crash.
TEST(Records, DamagedBytesAreCorruptionNotACrash) {
  const Schema schema = Schema::Default();
  Relation r{0, "SUPPORTS", 1, 2, {{"on", 3, ""}, {"as", 0, "guest"}}, {}};
  const std::string good = EncodeRelation(schema, r);
  for (size_t n = 0; n < good.size(); ++n) {
    Result<Relation> back = DecodeRelation(schema, 1, good.substr(0, n));
    ASSERT_FALSE(back.ok()) << n;
    EXPECT_EQ(back.status().code(), StatusCode::kCorruption);
  }
  std::string bad = good;
  bad[0] = 99;  // unknown record version
  EXPECT_EQ(DecodeRelation(schema, 1, bad).status().code(), StatusCode::kCorruption);
  bad = good;
  bad[1] = 120;  // unknown relation type id
  EXPECT_EQ(DecodeRelation(schema, 1, bad).status().code(), StatusCode::kCorruption);
  Entity e{1, "Company", "Acme", {"A"}, {}, false};
  const std::string ge = EncodeEntity(schema, e);
  for (size_t n = 0; n < ge.size(); ++n) EXPECT_FALSE(DecodeEntity(schema, 1, ge.substr(0, n)).ok());
}

}  // namespace
}  // namespace pactgraph::storage
