#include "storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "graph/fingerprint.h"
#include "storage/import_session.h"
#include "storage/internal/keys.h"
#include "tests/testing.h"

namespace pactgraph::storage {
namespace {

using pactgraph::testing::Dump;
using pactgraph::testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = OpenStore(dir_.File("db")); }

  static std::unique_ptr<Store> OpenStore(const std::string& path, bool read_only = false) {
    StoreOptions o;
    o.create_if_missing = !read_only;
    o.read_only = read_only;
    Result<std::unique_ptr<Store>> s = Store::Open(path, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::unique_ptr<ImportSession> Begin(ImportOptions o = {}) {
    o.sync = false;
    Result<std::unique_ptr<ImportSession>> s = store_->BeginImport(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }

  // Imports the small Red Hat / Microsoft graph with one document as its source.
  // Returns the first failure, so that a test with an injected failure can expect it.
  static Status ImportSample(ImportSession& s, const std::string& doc_key) {
    DocumentId doc = *s.ResolveDocument(doc_key);
    EntityId ms = s.DeclareEntity({"Company", "Microsoft Corp.", {}, {}})->id;
    EntityId rh = s.DeclareEntity({"Company", "Red Hat", {"Red Hat Inc"}, {}})->id;
    EntityId rhel = s.DeclareEntity({"Product", "Red Hat Enterprise Linux", {"RHEL"}, {}})->id;
    EntityId hv = s.DeclareEntity({"Product", "Hyper-V Server 2008", {}, {}})->id;
    Provenance p;
    p.document = doc;
    p.sentence = 3;
    p.evidence = "Microsoft will validate and support";
    PG_RETURN_IF_ERROR(s.AddRelation({"SUPPORTS", ms, rhel, {{"on", hv, ""}, {"as", 0, "guest"}}, {}}, {p}).status());
    PG_RETURN_IF_ERROR(s.AddRelation({"PARTNERS_WITH", rh, ms, {}, {}}, {p}).status());
    return s.AddRelation({"DEVELOPS", rh, rhel, {}, {}}, {p}).status();
  }

  EntityId Only(std::string_view name) {
    Snapshot snap = store_->GetSnapshot();
    Result<std::vector<NameMatch>> m = store_->FindByName(snap, name);
    EXPECT_TRUE(m.ok());
    EXPECT_EQ(m->size(), 1u) << name;
    return m->empty() ? 0 : m->front().id;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, NewDatabaseIsEmptyAndConsistent) {
  Snapshot snap = store_->GetSnapshot();
  Result<StoreStats> st = store_->Stats(snap);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->entities, 0u);
  EXPECT_EQ(st->relations, 0u);
  EXPECT_TRUE(store_->Check()->ok());
}

TEST_F(StoreTest, NamesAndAliasesResolveThroughTheIndex) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  ASSERT_TRUE(s->Commit().ok());
  EXPECT_EQ(Only("RHEL"), Only("red hat enterprise linux"));
  EXPECT_EQ(Only("Microsoft"), Only("MICROSOFT CORPORATION"));
  Snapshot snap = store_->GetSnapshot();
  Result<Entity> e = store_->GetEntity(snap, Only("rhel"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "Red Hat Enterprise Linux");
  EXPECT_EQ(e->type, "Product");
  EXPECT_EQ(e->aliases, std::vector<std::string>{"RHEL"});
  EXPECT_TRUE(store_->FindByName(snap, "Hyper V Server 2009")->empty());
}

TEST_F(StoreTest, AdjacencyIndexFindsRelationsBothWaysAndByType) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  ASSERT_TRUE(s->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  std::vector<std::string> into_rhel;
  RelationCursor c = store_->Incoming(snap, Only("RHEL"));
  for (; c.Valid(); c.Next()) into_rhel.push_back(c.relation().type);
  ASSERT_TRUE(c.status().ok());
  EXPECT_EQ(into_rhel, (std::vector<std::string>{"SUPPORTS", "DEVELOPS"}));
  RelationCursor sup = store_->Outgoing(snap, Only("Microsoft"), "SUPPORTS");
  ASSERT_TRUE(sup.Valid());
  EXPECT_EQ(sup.relation().object, Only("RHEL"));
  ASSERT_NE(sup.relation().Find("on"), nullptr);
  EXPECT_EQ(sup.relation().Find("on")->node, Only("Hyper-V Server 2008"));
  EXPECT_EQ(sup.relation().Find("as")->literal, "guest");
  sup.Next();
  EXPECT_FALSE(sup.Valid());
  EXPECT_FALSE(store_->Outgoing(snap, Only("Microsoft"), "NO_SUCH_TYPE").status().ok());
}

TEST_F(StoreTest, QualifierIndexFindsRelationsOnAPlatform) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  ASSERT_TRUE(s->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  Result<std::vector<RelationId>> on = store_->ByQualifier(snap, Only("Hyper-V Server 2008"), "on");
  ASSERT_TRUE(on.ok());
  ASSERT_EQ(on->size(), 1u);
  EXPECT_EQ(store_->GetRelation(snap, on->front())->type, "SUPPORTS");
  EXPECT_TRUE(store_->ByQualifier(snap, Only("RHEL"), "on")->empty());
}

TEST_F(StoreTest, SameFactFromTwoDocumentsIsOneRelationWithTwoSources) {
  auto s1 = Begin();
  ASSERT_TRUE(ImportSample(*s1, "doc-1").ok());
  ASSERT_TRUE(s1->Commit().ok());
  auto s2 = Begin();
  ASSERT_TRUE(ImportSample(*s2, "doc-2").ok());
  EXPECT_EQ(s2->counts().relations_new, 0u);
  EXPECT_EQ(s2->counts().relations_merged, 3u);
  EXPECT_EQ(s2->counts().entities_new, 0u);
  ASSERT_TRUE(s2->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  EXPECT_EQ(store_->Stats(snap)->relations, 3u);
  RelationCursor c = store_->Outgoing(snap, Only("Microsoft"), "SUPPORTS");
  ASSERT_TRUE(c.Valid());
  Result<std::vector<Provenance>> prov = store_->GetProvenance(snap, c.relation().id);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 2u);
  EXPECT_EQ(store_->GetDocument(snap, (*prov)[0].document)->key, "doc-1");
  EXPECT_EQ(store_->GetDocument(snap, (*prov)[1].document)->key, "doc-2");
  EXPECT_EQ((*prov)[1].evidence, "Microsoft will validate and support");
  EXPECT_TRUE(store_->Check()->ok());
}

// The record cache (decoded entities, relations and sources kept for point reads) never shows a
// record as it was before a commit: reads after the commit see the new alias and the new source
// ("Red Hat Inc" is the name with its company suffix, not an alias of its own),
// a snapshot taken before it still sees the old ones, on the bulk (ingested files) path too.
TEST_F(StoreTest, CachedRecordsFollowEveryCommit) {
  for (uint32_t bulk : {200000u, 1u}) {
    SCOPED_TRACE(bulk == 1 ? "ingested files" : "write batch");
    store_.reset();
    std::filesystem::remove_all(dir_.File("db"));
    store_ = OpenStore(dir_.File("db"));
    auto s1 = Begin();
    ASSERT_TRUE(ImportSample(*s1, "doc-1").ok());
    ASSERT_TRUE(s1->Commit().ok());
    const EntityId rh = Only("Red Hat");
    std::optional<Snapshot> before(store_->GetSnapshot());
    RelationId supports = 0;
    {
      RelationCursor c = store_->Outgoing(*before, Only("Microsoft"), "SUPPORTS");
      ASSERT_TRUE(c.Valid());
      supports = c.relation().id;
    }
    // Read twice: the second read comes from the cache.
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(store_->GetEntity(*before, rh)->aliases.empty());
      EXPECT_EQ(store_->GetProvenance(*before, supports)->size(), 1u);
      EXPECT_TRUE(store_->FindByName(*before, "RHT")->empty());
    }

    ImportOptions o;
    o.bulk_entries = bulk;
    auto s2 = Begin(o);
    ASSERT_TRUE(s2->DeclareEntity({"Company", "Red Hat", {"RHT"}, {}}).ok());
    ASSERT_TRUE(ImportSample(*s2, "doc-2").ok());
    ASSERT_TRUE(s2->Commit().ok());

    std::optional<Snapshot> after(store_->GetSnapshot());
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(store_->GetEntity(*after, rh)->aliases, std::vector<std::string>{"RHT"});
      EXPECT_EQ(store_->FindByName(*after, "RHT")->size(), 1u);
      EXPECT_TRUE(store_->FindByName(*before, "RHT")->empty());
      EXPECT_EQ(store_->GetProvenance(*after, supports)->size(), 2u);
      EXPECT_TRUE(store_->GetEntity(*before, rh)->aliases.empty());
      EXPECT_EQ(store_->GetProvenance(*before, supports)->size(), 1u);
    }

    // With no snapshot held while it commits, an ingestion need not take a new sequence
    // number (RocksDB gives one only for overlaps or held snapshots): the reader after the
    // commit still sees the new source.
    before.reset();
    after.reset();
    {
      Snapshot now = store_->GetSnapshot();
      EXPECT_EQ(store_->GetProvenance(now, supports)->size(), 2u);
    }
    auto s3 = Begin(o);
    ASSERT_TRUE(ImportSample(*s3, "doc-3").ok());
    ASSERT_TRUE(s3->Commit().ok());
    EXPECT_EQ(store_->GetProvenance(store_->GetSnapshot(), supports)->size(), 3u);
  }
}

// Index ranges read through the cache (the first 64 keys of a range are kept; a longer one
// goes on in the store from there) list what the store holds: the same neighbours in the same
// order on every read, the whole of a range of 100, and a new relation once it is committed.
// A relation cursor reads its range the same way: the same relations in the same order whether
// the head of its range was cached or not, and nothing (without an error) for an empty range.
TEST_F(StoreTest, CachedIndexRangesListWhatTheStoreHolds) {
  auto add = [&](int from, int to) {
    auto s = Begin();
    DocumentId doc = *s->ResolveDocument("doc-" + std::to_string(from));
    EntityId rh = s->DeclareEntity({"Company", "Red Hat", {}, {}})->id;
    Provenance p;
    p.document = doc;
    p.sentence = 1;
    for (int i = from; i < to; ++i) {
      EntityId prod = s->DeclareEntity({"Product", "Product " + std::to_string(i), {}, {}})->id;
      ASSERT_TRUE(s->AddRelation({"DEVELOPS", rh, prod, {}, {}}, {p}).ok());
    }
    ASSERT_TRUE(s->Commit().ok());
  };
  auto neighbours = [&](const Snapshot& snap, EntityId id) {
    std::vector<RelationId> out;
    EXPECT_TRUE(store_->ForEachNeighbour(snap, id, true, "DEVELOPS", [&](const Store::Neighbour& n) {
      out.push_back(n.relation);
      return true;
    }).ok());
    return out;
  };
  // How many DEVELOPS relations `id` has one way, counted up to `cap`.
  auto count_adjacent = [&](const Snapshot& snap, EntityId id, bool outgoing, uint64_t cap) {
    Result<Store::Shortest> r = store_->ShortestRange(snap, {{{id}, "", outgoing, "DEVELOPS"}}, cap);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->length : 0;
  };
  auto by_cursor = [&](const Snapshot& snap, EntityId id) {
    std::vector<RelationId> out;
    RelationCursor c = store_->Outgoing(snap, id, "DEVELOPS");
    for (; c.Valid(); c.Next()) {
      EXPECT_EQ(c.relation().subject, id);
      out.push_back(c.relation().id);
    }
    EXPECT_TRUE(c.status().ok()) << c.status().ToString();
    return out;
  };
  add(0, 100);
  const EntityId rh = Only("Red Hat");
  {
    // The cursor first, while nothing of the range is cached, then after it is.
    Snapshot snap = store_->GetSnapshot();
    const std::vector<RelationId> cursor_first = by_cursor(snap, rh);
    ASSERT_EQ(cursor_first.size(), 100u);
    EXPECT_EQ(by_cursor(snap, rh), cursor_first);
    EXPECT_EQ(neighbours(snap, rh), cursor_first);
    RelationCursor none = store_->Incoming(snap, rh, "DEVELOPS");
    EXPECT_FALSE(none.Valid());
    EXPECT_TRUE(none.status().ok());
  }
  add(100, 100);  // an empty import: a new snapshot, an empty cache
  {
    Snapshot snap = store_->GetSnapshot();
    const std::vector<RelationId> first = neighbours(snap, rh);
    ASSERT_EQ(first.size(), 100u);
    EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(neighbours(snap, rh), first);
      EXPECT_EQ(count_adjacent(snap, rh, true, 1000), 100u);
      EXPECT_EQ(count_adjacent(snap, rh, true, 10), 10u);
    }
    // A product's one incoming relation: a whole (short) range.
    const EntityId p7 = Only("Product 7");
    EXPECT_EQ(count_adjacent(snap, p7, false, 1000), 1u);
    EXPECT_EQ(count_adjacent(snap, p7, false, 1000), 1u);
  }
  add(100, 101);
  Snapshot after = store_->GetSnapshot();
  EXPECT_EQ(count_adjacent(after, rh, true, 1000), 101u);
  EXPECT_EQ(neighbours(after, rh).size(), 101u);
  EXPECT_EQ(by_cursor(after, rh), neighbours(after, rh));
}

// ShortestRange reads an adjacency range and qualifier index ranges in step and names the one
// that ends first, with its length: past the 64 keys the cache keeps, the first listed of two
// that end together, the cap when none ends, and nothing for a condition that matches nothing.
TEST_F(StoreTest, ShortestRangeNamesTheListThatEndsFirst) {
  auto s = Begin();
  DocumentId doc = *s->ResolveDocument("doc-1");
  Provenance p;
  p.document = doc;
  p.sentence = 1;
  const EntityId acme = s->DeclareEntity({"Company", "Acme", {}, {}})->id;
  const EntityId linux_os = s->DeclareEntity({"Product", "Linux", {}, {}})->id;
  const EntityId bsd = s->DeclareEntity({"Product", "BSD", {}, {}})->id;
  EntityId first_product = 0;
  for (int i = 0; i < 73; ++i) {
    const EntityId prod = s->DeclareEntity({"Product", "Tool " + std::to_string(i), {}, {}})->id;
    if (i == 0) first_product = prod;
    ASSERT_TRUE(s->AddRelation({"SUPPORTS", acme, prod, {{"on", i < 70 ? linux_os : bsd, ""}}, {}}, {p}).ok());
  }
  ASSERT_TRUE(s->Commit().ok());
  using Side = Store::RangeSide;
  const Side acme_out{{acme}, "", true, "SUPPORTS"};             // 73 relations
  const Side on_linux{{linux_os}, "on", true, "SUPPORTS"};       // 70
  const Side on_both{{linux_os, bsd}, "on", true, "SUPPORTS"};   // 73
  const Side tool_in{{first_product}, "", false, "SUPPORTS"};    // 1
  const Side on_nothing{{}, "on", true, "SUPPORTS"};             // 0
  for (int pass = 0; pass < 2; ++pass) {  // the second reads the heads from the cache
    SCOPED_TRACE(pass);
    Snapshot snap = store_->GetSnapshot();
    Result<Store::Shortest> r = store_->ShortestRange(snap, {acme_out, on_linux}, 1000);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->side, 1);
    EXPECT_EQ(r->length, 70u);
    r = store_->ShortestRange(snap, {on_linux, tool_in}, 1000);
    EXPECT_EQ(r->side, 1);
    EXPECT_EQ(r->length, 1u);
    r = store_->ShortestRange(snap, {acme_out, on_both}, 1000);
    EXPECT_EQ(r->side, 0);
    EXPECT_EQ(r->length, 73u);
    r = store_->ShortestRange(snap, {on_both, acme_out}, 1000);
    EXPECT_EQ(r->side, 0);
    r = store_->ShortestRange(snap, {acme_out, on_linux}, 10);
    EXPECT_EQ(r->side, -1);
    EXPECT_EQ(r->length, 10u);
    r = store_->ShortestRange(snap, {acme_out, on_nothing}, 1000);
    EXPECT_EQ(r->side, 1);
    EXPECT_EQ(r->length, 0u);
  }
  Snapshot snap = store_->GetSnapshot();
  EXPECT_FALSE(store_->ShortestRange(snap, {{{acme, bsd}, "", true, "SUPPORTS"}}, 10).ok());
  EXPECT_FALSE(store_->ShortestRange(snap, {{{acme}, "", true, "NO_SUCH_TYPE"}}, 10).ok());
}

// `check` compares what the record cache holds with the store: clean after reads that filled
// it, and a copy that differs (put there by the test) is reported by its id.
TEST_F(StoreTest, CheckComparesTheRecordCacheWithTheStore) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  ASSERT_TRUE(s->Commit().ok());
  const EntityId rh = Only("Red Hat");
  const uint64_t before = store_->Check()->records;
  {
    Snapshot snap = store_->GetSnapshot();
    ASSERT_TRUE(store_->GetEntity(snap, rh).ok());
    ASSERT_TRUE(store_->ShortestRange(snap, {{{rh}, "", true, ""}}, 100).ok());
    RelationCursor c = store_->Outgoing(snap, rh, "DEVELOPS");
    ASSERT_TRUE(c.Valid());
    ASSERT_TRUE(store_->GetRelation(snap, c.relation().id).ok());
    ASSERT_TRUE(store_->GetProvenance(snap, c.relation().id).ok());
    ASSERT_EQ(store_->FindByName(snap, "RHEL")->size(), 1u);
    const DocumentId doc = store_->GetProvenance(snap, c.relation().id)->front().document;
    ASSERT_EQ(store_->GetDocument(snap, doc)->key, "doc-1");
  }
  Result<CheckReport> clean = store_->Check();
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok()) << clean->problems.front();
  // The entity, the range, the relation, its sources, the name, the document.
  EXPECT_GE(clean->records, before + 6);

  Entity wrong = *store_->GetEntity(store_->GetSnapshot(), rh);
  wrong.name = "Blue Hat";
  store_->CacheEntityForTesting(wrong);
  Result<CheckReport> caught = store_->Check();
  ASSERT_TRUE(caught.ok());
  ASSERT_EQ(caught->problems.size(), 1u);
  EXPECT_EQ(caught->problems[0], "record cache: entity #" + std::to_string(rh) + " differs from the store");
}

// A relation is one fact per subject, type, object and node qualifiers; a later source that says
// the fact ended (or states it as a host, not a guest) is merged into it and keeps its own words.
TEST_F(StoreTest, AMergedSourceKeepsTheLiteralsItStated) {
  auto s = Begin();
  DocumentId d1 = *s->ResolveDocument("doc-1");
  DocumentId d2 = *s->ResolveDocument("doc-2");
  EntityId k = s->DeclareEntity({"Company", "Kestrel Systems", {}, {}})->id;
  EntityId q = s->DeclareEntity({"Product", "Quill OS", {}, {}})->id;
  EntityId v = s->DeclareEntity({"Product", "Vega", {}, {}})->id;
  Provenance p1, p2;
  p1.document = d1;
  p2.document = d2;
  ASSERT_TRUE(s->AddRelation({"SUPPORTS", k, q, {{"on", v, ""}, {"status", 0, "planned"}}, {}}, {p1}).ok());
  Result<AddOutcome> merged = s->AddRelation({"SUPPORTS", k, q, {{"on", v, ""}, {"status", 0, "ended"}}, {}}, {p2});
  ASSERT_TRUE(merged.ok());
  EXPECT_FALSE(merged->created);
  ASSERT_TRUE(s->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  Result<std::vector<Provenance>> prov = store_->GetProvenance(snap, merged->id);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 2u);
  ASSERT_TRUE((*prov)[0].literals.has_value());
  ASSERT_TRUE((*prov)[1].literals.has_value());
  EXPECT_EQ((*prov)[0].literals->at("status"), "planned");
  EXPECT_EQ((*prov)[1].literals->at("status"), "ended");
  EXPECT_EQ(store_->GetRelation(snap, merged->id)->Find("status")->literal, "planned");  // the first's
  EXPECT_TRUE(store_->Check()->ok());
}

TEST_F(StoreTest, DifferentPlatformIsADifferentFact) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  DocumentId doc = *s->ResolveDocument("doc-1");
  EntityId ws = s->DeclareEntity({"Product", "Windows Server 2008 Hyper-V", {}, {}})->id;
  Provenance p;
  p.document = doc;
  Result<AddOutcome> r = s->AddRelation({"SUPPORTS", *s->ResolveName("Microsoft", {"Company"}),
                                         *s->ResolveName("RHEL", {"Product"}), {{"on", ws, ""}}, {}}, {p});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->created);
}

TEST_F(StoreTest, SymmetricRelationStatedBothWaysIsOneRelation) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  Provenance p;
  p.document = *s->ResolveDocument("doc-9");
  Result<AddOutcome> r = s->AddRelation({"PARTNERS_WITH", *s->ResolveName("Microsoft", {"Company"}),
                                         *s->ResolveName("Red Hat", {"Company"}), {}, {}}, {p});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->created);
}

TEST_F(StoreTest, SchemaViolationsAreRefused) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  Provenance p;
  p.document = *s->ResolveDocument("doc-1");
  const EntityId rhel = *s->ResolveName("RHEL", {"Product"});
  const EntityId ms = *s->ResolveName("Microsoft", {"Company"});
  Result<AddOutcome> wrong = s->AddRelation({"SUPPORTS", rhel, ms, {}, {}}, {p});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(),
            "SUPPORTS needs a subject of type Company, but \"Red Hat Enterprise Linux\" (Product #3) is a Product");
  EXPECT_FALSE(s->AddRelation({"SUPPORTS", ms, rhel, {{"title", 0, "x"}}, {}}, {p}).ok());
  EXPECT_FALSE(s->AddRelation({"SUPPORTS", ms, rhel, {{"on", ms, ""}}, {}}, {p}).ok());
  EXPECT_FALSE(s->AddRelation({"FOUNDS", ms, rhel, {}, {}}, {p}).ok());
  EXPECT_FALSE(s->DeclareEntity({"Vendor", "Acme", {}, {}}).ok());
}

TEST_F(StoreTest, NameMentionedBeforeDeclaredGetsTheDeclaredTypeAndAliases) {
  auto s = Begin();
  const EntityId boycott = *s->ResolveName("Boycott Novell", {"Company", "Organization"});
  EXPECT_EQ(*s->EntityType(boycott), "Company");
  Result<AddOutcome> declared = s->DeclareEntity({"Organization", "Boycott Novell", {"BN"}, {}});
  ASSERT_TRUE(declared.ok());
  EXPECT_EQ(declared->id, boycott);
  EXPECT_FALSE(declared->created);
  ASSERT_TRUE(s->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  Result<Entity> e = store_->GetEntity(snap, boycott);
  EXPECT_EQ(e->type, "Organization");
  EXPECT_FALSE(e->type_implied);
  EXPECT_EQ(Only("BN"), boycott);
  EXPECT_EQ(store_->Stats(snap)->entities_by_type["Company"], 0u);
  EXPECT_EQ(store_->Stats(snap)->entities_by_type["Organization"], 1u);
  EXPECT_TRUE(store_->Check()->ok());
}

TEST_F(StoreTest, SecondImportOfSameContentChangesNothing) {
  auto s1 = Begin();
  DocumentId unit = *s1->BeginUnit({0, "", "facts", "a.jsonl", "", "", "", "", ""});
  ASSERT_TRUE(s1->SealUnit(unit, "abc123").ok());
  ASSERT_TRUE(s1->Commit().ok());
  const std::string before = Dump(*store_);
  auto s2 = Begin();
  unit = *s2->BeginUnit({0, "", "facts", "copy.jsonl", "", "", "", "", ""});
  Status sealed = s2->SealUnit(unit, "abc123");
  EXPECT_EQ(sealed.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(sealed.message().find("a.jsonl"), std::string::npos);
  s2.reset();
  EXPECT_EQ(Dump(*store_), before);
}

// Atomicity: a failure in the middle of an import, or inside its commit, on either commit path,
// leaves every byte of the store as it was.
// How a unit reaches the store: a WriteBatch, SST files ingested in one step, or SST files
// merged from runs spilled to disk during the import.
struct CommitPath {
  uint32_t bulk_entries;
  size_t spill_bytes;
  const char* name;
};

class AtomicityTest : public StoreTest, public ::testing::WithParamInterface<CommitPath> {};

TEST_P(AtomicityTest, FailureMidImportLeavesStoreExactlyAsBefore) {
  auto s0 = Begin();
  ASSERT_TRUE(ImportSample(*s0, "doc-0").ok());
  ASSERT_TRUE(s0->Commit().ok());
  const std::string before = Dump(*store_);

  ImportOptions o;
  o.fail_at_relation = 3;
  o.bulk_entries = GetParam().bulk_entries;
  o.spill_bytes = GetParam().spill_bytes;
  auto s = Begin(o);
  EXPECT_EQ(ImportSample(*s, "doc-1").code(), StatusCode::kAborted);  // its third relation fails
  EXPECT_TRUE(s->DeclareEntity({"Company", "Oracle", {}, {}}).ok());
  s.reset();
  EXPECT_EQ(Dump(*store_), before);

  o.fail_at_relation = 0;
  o.fail_in_commit = true;
  s = Begin(o);
  ASSERT_TRUE(ImportSample(*s, "doc-2").ok());
  EXPECT_EQ(s->Commit().code(), StatusCode::kAborted);
  s.reset();
  EXPECT_EQ(Dump(*store_), before);

  o.fail_in_commit = false;
  s = Begin(o);
  ASSERT_TRUE(ImportSample(*s, "doc-3").ok());
  s->DeclareEntity({"Company", "Oracle", {}, {}}).status().IgnoreError();
  ASSERT_TRUE(s->Commit().ok());
  EXPECT_NE(Dump(*store_), before);
  EXPECT_TRUE(store_->Check()->ok());
}

INSTANTIATE_TEST_SUITE_P(CommitPaths, AtomicityTest,
                         ::testing::Values(CommitPath{200000, 0, "WriteBatch"}, CommitPath{1, 0, "IngestedSstFiles"},
                                           CommitPath{1, 1, "SpilledRuns"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(StoreTest, SecondProcessCanReadWhileWriterHoldsTheDatabase) {
  auto s = Begin();
  ASSERT_TRUE(ImportSample(*s, "doc-1").ok());
  ASSERT_TRUE(s->Commit().ok());
  std::unique_ptr<Store> reader = OpenStore(dir_.File("db"), /*read_only=*/true);
  ASSERT_NE(reader, nullptr);
  Snapshot snap = reader->GetSnapshot();
  EXPECT_EQ(reader->Stats(snap)->relations, 3u);
  EXPECT_EQ(reader->FindByName(snap, "RHEL")->size(), 1u);
  EXPECT_EQ(reader->BeginImport({}).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(StoreTest, SecondWriterIsRefusedWhileTheFirstIsOpen) {
  StoreOptions o;
  Result<std::unique_ptr<Store>> second = Store::Open(dir_.File("db"), o);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("open for writing by another process"), std::string::npos);
}

TEST_F(StoreTest, MissingDatabaseIsNotFoundAndNothingIsCreated) {
  StoreOptions o;
  o.read_only = true;
  const std::string path = dir_.File("nowhere");
  Result<std::unique_ptr<Store>> s = Store::Open(path, o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(StoreTest, NewerFormatVersionIsRefusedNamingBothVersions) {
  store_.reset();
  {
    rocksdb::DBOptions dbo;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* n : kCfNames) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(dbo, dir_.File("db"), cfs, &handles, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[int(Cf::kMeta)], kMetaFormatVersion, "7").ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    delete db;
  }
  Result<std::unique_ptr<Store>> s = Store::Open(dir_.File("db"), StoreOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("format version 7"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("version 2"), std::string::npos) << s.status().message();
}

TEST_F(StoreTest, SchemaExtensionIsStoredAndSurvivesReopen) {
  Schema extra;
  ASSERT_TRUE(extra.AddEntityType({0, "Standard", ""}).ok());
  ASSERT_TRUE(extra.AddEntityType({0, "Company", ""}).ok());
  ASSERT_TRUE(extra.AddRelationType({0, "IMPLEMENTS", {"Company"}, {"Standard"}, {}, false, "implements", ""}).ok());
  ASSERT_TRUE(store_->ExtendSchema(extra).ok());
  store_.reset();
  store_ = OpenStore(dir_.File("db"));
  ASSERT_NE(store_->schema().FindRelationType("IMPLEMENTS"), nullptr);
  auto s = Begin();
  EntityId ms = s->DeclareEntity({"Company", "Microsoft", {}, {}})->id;
  EntityId odf = s->DeclareEntity({"Standard", "OpenDocument", {"ODF"}, {}})->id;
  Provenance p;
  p.document = *s->ResolveDocument("d");
  EXPECT_TRUE(s->AddRelation({"IMPLEMENTS", ms, odf, {}, {}}, {p}).ok());
  EXPECT_TRUE(s->Commit().ok());
}

Document Story(const std::string& key, const std::string& url, const std::string& text) {
  Document d;
  d.key = key;
  d.kind = "article";
  d.title = "Red Hat and Microsoft to validate each other's operating systems";
  d.url = url;
  d.text = text;
  return d;
}

constexpr const char* kStoryText = "Red Hat and Microsoft announced today that they will support each other.\n\n"
                                   "Microsoft will validate and support RHEL as a guest on Hyper-V Server 2008.";

TEST_F(StoreTest, TheSameStoryUnderAnotherKeyIsOneDocumentWithBothLocations) {
  auto s1 = Begin();
  const DocumentId first = *s1->UpsertDocument(Story("text:one", "", kStoryText));
  ASSERT_TRUE(s1->AddLocation(first, "press/one.txt").ok());
  ASSERT_TRUE(s1->Commit().ok());
  // Another URL, the lines wrapped and indented otherwise: the same words.
  std::string rewrapped = kStoryText;
  rewrapped.replace(rewrapped.find(" that they"), 10, "\n   that they");
  auto s2 = Begin();
  Result<DocumentId> second = s2->UpsertDocument(Story("https://example.com/story", "https://example.com/story", rewrapped));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, first);
  EXPECT_EQ(s2->counts().documents_new, 0u);
  EXPECT_EQ(s2->counts().documents_merged, 1u);
  ASSERT_TRUE(s2->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  EXPECT_EQ(store_->Stats(snap)->documents, 1u);
  EXPECT_EQ(*store_->DocumentLocations(snap, first), (std::vector<std::string>{"https://example.com/story", "press/one.txt"}));
  EXPECT_EQ(store_->FindDocumentByKey(snap, "https://example.com/story")->value_or(0), first);
  EXPECT_EQ(store_->FindDocumentByFingerprint(snap, TextFingerprint(rewrapped))->value_or(0), first);
  EXPECT_TRUE(store_->Check()->ok()) << store_->Check()->problems.front();
}

TEST_F(StoreTest, RecordingALocationTwiceChangesNothing) {
  auto s1 = Begin();
  const DocumentId doc = *s1->UpsertDocument(Story("text:one", "", kStoryText));
  ASSERT_TRUE(s1->AddLocation(doc, "one.txt").ok());
  ASSERT_TRUE(s1->Commit().ok());
  std::string before;
  store_->ForEachRecord([&](std::string_view cf, std::string_view k, std::string_view v) {
    if (cf == "docindex" || cf == "docs") before += std::string(k) + "=" + std::string(v) + ";";
  }).IgnoreError();
  auto s2 = Begin();
  ASSERT_TRUE(s2->AddLocation(doc, "one.txt").ok());
  EXPECT_EQ(s2->counts().locations_new, 0u);
  ASSERT_TRUE(s2->Commit().ok());
  std::string after;
  store_->ForEachRecord([&](std::string_view cf, std::string_view k, std::string_view v) {
    if (cf == "docindex" || cf == "docs") after += std::string(k) + "=" + std::string(v) + ";";
  }).IgnoreError();
  EXPECT_EQ(before, after);
}

TEST_F(StoreTest, ANewVersionOfADocumentMovesItsFingerprint) {
  auto s1 = Begin();
  const DocumentId doc = *s1->UpsertDocument(Story("https://example.com/a", "https://example.com/a", kStoryText));
  ASSERT_TRUE(s1->Commit().ok());
  auto s2 = Begin();
  ASSERT_EQ(*s2->UpsertDocument(Story("https://example.com/a", "", "A corrected story.")), doc);
  ASSERT_TRUE(s2->Commit().ok());
  Snapshot snap = store_->GetSnapshot();
  EXPECT_FALSE(store_->FindDocumentByFingerprint(snap, TextFingerprint(kStoryText))->has_value());
  EXPECT_EQ(store_->FindDocumentByFingerprint(snap, TextFingerprint("A corrected story."))->value_or(0), doc);
  EXPECT_TRUE(store_->Check()->ok()) << store_->Check()->problems.front();
}

TEST(Fingerprint, LayoutDoesNotCountButWordsAndCaseDo) {
  EXPECT_EQ(NormalizeBody("  One\n\n two\tthree  "), "One two three");
  EXPECT_EQ(TextFingerprint("One two"), TextFingerprint("One\n  two\n"));
  EXPECT_NE(TextFingerprint("One two"), TextFingerprint("One too"));
  EXPECT_NE(TextFingerprint("One two"), TextFingerprint("one two"));
  EXPECT_EQ(TextFingerprint(" \n "), "");
  EXPECT_EQ(TextFingerprint("abc").substr(0, 3), "fp:");
}

}  // namespace
}  // namespace pactgraph::storage
