#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "graph/fingerprint.h"
#include "graph/names.h"
#include "ingest/jsonl.h"
#include "storage/import_session.h"
#include "storage/internal/keys.h"
#include "storage/store.h"
#include "tests/testing.h"

namespace pactgraph::storage {
namespace {

using pactgraph::testing::TempDir;
using pactgraph::testing::WriteFile;

constexpr const char* kFacts = R"({"kind":"entity","name":"Microsoft","type":"Company"}
{"kind":"entity","name":"Red Hat Enterprise Linux","type":"Product","aliases":["RHEL"]}
{"kind":"entity","name":"Hyper-V","type":"Product"}
{"kind":"relation","type":"SUPPORTS","subject":"Microsoft","object":"RHEL","qualifiers":{"on":"Hyper-V"}}
)";

// Opens the database behind the store's back, to break it on purpose.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* n : kCfNames) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    EXPECT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles_, &db).ok());
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  void Delete(Cf cf, const std::string& key) { ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), handles_[int(cf)], key).ok()); }
  void Put(Cf cf, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), handles_[int(cf)], key, value).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("f.jsonl"), kFacts);
    StoreOptions o;
    o.create_if_missing = true;
    auto store = Store::Open(dir_.File("db"), o);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(ingest::ImportJsonlFile(**store, dir_.File("f.jsonl"), {}).ok());
    ASSERT_TRUE((*store)->Check()->ok());
    Snapshot snap = (*store)->GetSnapshot();
    (*store)->ForEachRelation(snap, [&](const Relation& r) {
      relation_ = r;
      return false;
    }).IgnoreError();
  }

  CheckReport Check() {
    StoreOptions o;
    o.read_only = true;
    auto store = Store::Open(dir_.File("db"), o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    Result<CheckReport> r = (*store)->Check();
    EXPECT_TRUE(r.ok());
    return *r;
  }

  // Imports one article document of `text` at a URL; its id (0 when the import failed).
  DocumentId StoreOneStory(const std::string& text) {
    auto store = Store::Open(dir_.File("db"), StoreOptions{});
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return 0;
    auto s = (*store)->BeginImport({});
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return 0;
    Document d;
    d.key = "https://example.com/story";
    d.kind = "article";
    d.text = text;
    Result<DocumentId> id = (*s)->UpsertDocument(d);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE((*s)->Commit().ok());
    EXPECT_TRUE((*store)->Check()->ok());
    return id.ok() ? *id : 0;
  }

  static bool Mentions(const CheckReport& r, const std::string& words) {
    for (const std::string& p : r.problems) {
      if (p.find(words) != std::string::npos) return true;
    }
    return false;
  }

  TempDir dir_;
  Relation relation_;
};

TEST_F(CheckTest, FindsAMissingAdjacencyEntry) {
  {
    RawDb raw(dir_.File("db"));
    raw.Delete(Cf::kAdj, AdjKey(relation_.object, Dir::kIn, Schema::Default().FindRelationType("SUPPORTS")->id,
                                relation_.subject, relation_.id));
  }
  CheckReport r = Check();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Mentions(r, "SUPPORTS has no incoming adjacency entry")) << r.problems.front();
}

TEST_F(CheckTest, FindsAnIndexEntryWithoutItsRecord) {
  {
    RawDb raw(dir_.File("db"));
    raw.Put(Cf::kAdj, AdjKey(1, Dir::kOut, 5, 2, 999), "");
    raw.Put(Cf::kNames, NameKey("ghost", 77), std::string(1, 1));
  }
  CheckReport r = Check();
  EXPECT_TRUE(Mentions(r, "points at missing relation #999"));
  EXPECT_TRUE(Mentions(r, "name index entry \"ghost\" points at missing entity #77"));
}

TEST_F(CheckTest, FindsAMissingNameAndQualifierEntry) {
  const EntityId on = relation_.Find("on")->node;
  {
    RawDb raw(dir_.File("db"));
    raw.Delete(Cf::kNames, NameKey("rhel", relation_.object));
    raw.Delete(Cf::kQual, QualKey(on, Schema::Default().FindSlot("on")->id,
                                  Schema::Default().FindRelationType("SUPPORTS")->id, relation_.id));
  }
  CheckReport r = Check();
  EXPECT_TRUE(Mentions(r, "name \"RHEL\" is missing from the name index"));
  EXPECT_TRUE(Mentions(r, "has no qualifier index entry for on"));
}

TEST_F(CheckTest, FindsACorruptRecord) {
  {
    RawDb raw(dir_.File("db"));
    raw.Put(Cf::kEdges, IdKey(relation_.id), "\x01\x05");
  }
  CheckReport r = Check();
  EXPECT_TRUE(Mentions(r, "truncated record"));
}

TEST_F(CheckTest, FindsAFingerprintEntryThatDoesNotMatchItsDocument) {
  const DocumentId doc = StoreOneStory("Microsoft will support RHEL on Hyper-V.");
  ASSERT_NE(doc, 0u);
  {
    RawDb raw(dir_.File("db"));
    raw.Delete(Cf::kDocIndex, DocFingerprintKey(TextFingerprint("Microsoft will support RHEL on Hyper-V.")));
    raw.Put(Cf::kDocIndex, DocFingerprintKey(TextFingerprint("Another text.")), IdKey(doc));
  }
  CheckReport r = Check();
  EXPECT_TRUE(Mentions(r, "is missing from the fingerprint index"));
  EXPECT_TRUE(Mentions(r, "fingerprint index entry for document #" + std::to_string(doc) + " does not match its text"));
}

TEST_F(CheckTest, AFormatOneStoreGetsItsFingerprintsWhenOpenedForWriting) {
  const std::string text = "Microsoft will support RHEL on Hyper-V.";
  ASSERT_NE(StoreOneStory(text), 0u);
  {
    // What a version-1 pactgraph wrote: no fingerprint entries.
    RawDb raw(dir_.File("db"));
    raw.Delete(Cf::kDocIndex, DocFingerprintKey(TextFingerprint(text)));
    raw.Put(Cf::kMeta, std::string(kMetaFormatVersion), "1");
  }
  {
    StoreOptions o;
    o.read_only = true;
    auto store = Store::Open(dir_.File("db"), o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->format_version(), 1u);
    EXPECT_TRUE((*store)->Check()->ok());  // readable as it is; nothing to find yet
  }
  {
    StoreOptions o;
    auto store = Store::Open(dir_.File("db"), o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->format_version(), 2u);
  }
  StoreOptions o;
  o.read_only = true;
  auto store = Store::Open(dir_.File("db"), o);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->format_version(), 2u);
  EXPECT_TRUE((*store)->FindDocumentByFingerprint((*store)->GetSnapshot(), TextFingerprint(text))->has_value());
  EXPECT_TRUE(Check().ok());
}

}  // namespace
}  // namespace pactgraph::storage
