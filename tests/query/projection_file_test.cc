// The projection kept in a file beside the store: saved by the first whole-graph statement,
// taken by the next engine only while the store is as it was saved from, refused when damaged,
// and compared with the store by check.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <tuple>

#include <unistd.h>

#include "graph/projection.h"
#include "ingest/jsonl.h"
#include "query/engine.h"
#include "query/internal/statement.h"
#include "tests/testing.h"

namespace pactgraph::query {
namespace {

using pactgraph::testing::TempDir;
using pactgraph::testing::WriteFile;

constexpr const char* kFacts = R"({"kind":"entity","name":"Microsoft","type":"Company"}
{"kind":"entity","name":"Novell","type":"Company"}
{"kind":"entity","name":"Red Hat","type":"Company"}
{"kind":"relation","type":"PARTNERS_WITH","subject":"Microsoft","object":"Novell"}
{"kind":"relation","type":"PARTNERS_WITH","subject":"Red Hat","object":"Microsoft"}
)";

constexpr const char* kMoreFacts = R"({"kind":"entity","name":"SUSE","type":"Company"}
{"kind":"relation","type":"PARTNERS_WITH","subject":"SUSE","object":"Novell"}
)";

class ProjectionFile : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    Import(kFacts, "facts.jsonl");
  }
  void Import(const char* text, const std::string& name) {
    WriteFile(dir_.File(name), text);
    ASSERT_TRUE(ingest::ImportJsonlFile(*store_, dir_.File(name), {}).ok());
  }
  // The rows of PATH Novell TO "Red Hat", asked of a new engine (nothing kept in memory).
  size_t PathSteps() {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run("PATH Novell TO \"Red Hat\"");
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->front().rows.size() : 99;
  }
  std::vector<std::string> Problems() {
    storage::CheckReport report;
    EXPECT_TRUE(Engine(*store_).CheckDerivedFiles(&report).ok());
    return report.problems;
  }
  std::string Path() const { return DerivedFilePath(*store_, kProjectionFileName); }
  GraphProjection::FileStamp Present() const {
    return {store_->LatestSequence(), static_cast<float>(Limits{}.min_confidence)};
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ProjectionFile, TheFirstWholeGraphStatementSavesItAndCheckAgrees) {
  EXPECT_FALSE(std::filesystem::exists(Path()));
  EXPECT_EQ(PathSteps(), 2u);
  ASSERT_TRUE(std::filesystem::exists(Path()));
  Result<GraphProjection::FileStamp> stamp = GraphProjection::ReadStamp(Path());
  ASSERT_TRUE(stamp.ok()) << stamp.status().ToString();
  EXPECT_EQ(stamp->sequence, store_->LatestSequence());
  EXPECT_TRUE(Problems().empty());
  // Taken by the next engine: the same answer.
  EXPECT_EQ(PathSteps(), 2u);
}

TEST_F(ProjectionFile, AFileOfThePresentStateIsTakenAndCheckFindsWhereItDisagrees) {
  ASSERT_EQ(PathSteps(), 2u);
  // A file claiming the store's present state but holding no relations at all: the engine
  // takes it (so no path is found), and check says it disagrees with the store.
  GraphProjection empty(10, {});
  ASSERT_TRUE(empty.Save(Path(), Present()).ok());
  EXPECT_EQ(PathSteps(), 0u);
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("disagrees with the store"), std::string::npos) << problems[0];
  // Once the store moves on, the file is stale: never taken, replaced by the next build.
  Import(kMoreFacts, "more.jsonl");
  EXPECT_TRUE(Problems().empty());
  EXPECT_EQ(PathSteps(), 2u);
  EXPECT_EQ(GraphProjection::ReadStamp(Path())->sequence, store_->LatestSequence());
  EXPECT_TRUE(Problems().empty());
}

TEST_F(ProjectionFile, ADamagedFileIsRefusedReportedAndReplaced) {
  ASSERT_EQ(PathSteps(), 2u);
  const auto size = std::filesystem::file_size(Path());
  {
    std::fstream f(Path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 3));
    f.put('\x5a');
  }
  Result<std::unique_ptr<GraphProjection>> loaded = GraphProjection::Load(Path(), Present());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("checksum"), std::string::npos) << problems[0];
  // The engine builds from the store instead, answers right and writes a good file.
  EXPECT_EQ(PathSteps(), 2u);
  EXPECT_TRUE(Problems().empty());
}

TEST_F(ProjectionFile, ACutFileOrAnotherFileIsRefused) {
  ASSERT_EQ(PathSteps(), 2u);
  std::filesystem::resize_file(Path(), std::filesystem::file_size(Path()) - 16);
  Result<std::unique_ptr<GraphProjection>> cut = GraphProjection::Load(Path(), Present());
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("bytes, not the"), std::string::npos) << cut.status().message();
  WriteFile(Path(), "not a projection at all, but long enough to hold a header of sixty-four bytes");
  Result<std::unique_ptr<GraphProjection>> other = GraphProjection::Load(Path(), Present());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(PathSteps(), 2u);
}

TEST_F(ProjectionFile, EntityTypesAreKeptBesideItAndCheckedTheSameWay) {
  Engine engine(*store_);
  Result<std::vector<Answer>> a = engine.Run("RANK Company BY DEGREE LIMIT 10");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->front().rows.size(), 3u);
  const std::string types_path = DerivedFilePath(*store_, kTypesFileName);
  Result<std::vector<TypeId>> kept = LoadVertexTypes(types_path, store_->LatestSequence());
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_TRUE(Problems().empty());
  // Types that say no entity is anything: taken by the next engine (no company to rank), and
  // check names the first entity where they disagree.
  std::vector<TypeId> none(kept->size(), 0xFFFF);
  ASSERT_TRUE(SaveVertexTypes(types_path, store_->LatestSequence(), none).ok());
  Result<std::vector<Answer>> b = Engine(*store_).Run("RANK Company BY DEGREE LIMIT 10");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->front().rows.size(), 0u);
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("entity types"), std::string::npos) << problems[0];
  // Another state of the store: not taken.
  EXPECT_EQ(LoadVertexTypes(types_path, store_->LatestSequence() + 1).status().code(), StatusCode::kNotFound);
}

TEST_F(ProjectionFile, TheAdjacencyReadInPartsIsTheAdjacencyReadInOne) {
  Import(kMoreFacts, "more.jsonl");
  using Key = std::tuple<EntityId, TypeId, EntityId, RelationId>;
  std::vector<Key> whole;
  const storage::Snapshot snap = store_->GetSnapshot();
  ASSERT_TRUE(store_->ForEachEdgeKey(snap, [&](EntityId s, TypeId t, EntityId o, RelationId r) { whole.emplace_back(s, t, o, r); }).ok());
  ASSERT_EQ(whole.size(), 3u);
  for (size_t parts : {1, 2, 3, 7, 64}) {
    std::vector<std::vector<Key>> lists(parts);
    ASSERT_TRUE(store_->ForEachEdgeKeyInParts(snap, parts, [&](size_t part, EntityId s, TypeId t, EntityId o, RelationId r) {
                        lists[part].emplace_back(s, t, o, r);
                      }).ok());
    std::vector<Key> joined;
    for (const auto& l : lists) joined.insert(joined.end(), l.begin(), l.end());
    EXPECT_EQ(joined, whole) << parts << " parts";
  }
}

TEST(ProjectionFileRoundTrip, TheLoadedGraphIsTheSavedOneEdgeForEdge) {
  TempDir dir;
  std::vector<ProjectedEdge> edges;
  for (EntityId i = 1; i < 500; ++i) edges.push_back({i, static_cast<TypeId>(i % 7), (i * 37) % 500 + 1, 1000 + i});
  GraphProjection g(501, edges);
  // A temporary file left by a writer that died is cleared by the next save; a live one's stays.
  WriteFile(dir.File("p.tmp.999999999.0"), "half a file");
  WriteFile(dir.File("p.tmp." + std::to_string(getpid()) + ".77"), "being written");
  ASSERT_TRUE(g.Save(dir.File("p"), {42, 0.5f}).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.File("p.tmp.999999999.0")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("p.tmp." + std::to_string(getpid()) + ".77")));
  // Another sequence number or floor: not this file's state.
  EXPECT_EQ(GraphProjection::Load(dir.File("p"), {43, 0.5f}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GraphProjection::Load(dir.File("p"), {42, 0.25f}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GraphProjection::Load(dir.File("none"), {42, 0.5f}).status().code(), StatusCode::kNotFound);
  Result<std::unique_ptr<GraphProjection>> back = GraphProjection::Load(dir.File("p"), {42, 0.5f});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ((*back)->DifferenceFrom(g), "");
  EXPECT_EQ((*back)->num_edges(), g.num_edges());
  EXPECT_EQ((*back)->Degree(), g.Degree());
  EXPECT_EQ((*back)->ShortestPath(1, 250, 12, {}).has_value(), g.ShortestPath(1, 250, 12, {}).has_value());
  // And DifferenceFrom does see a difference.
  edges.pop_back();
  GraphProjection fewer(501, edges);
  EXPECT_NE((*back)->DifferenceFrom(fewer), "");
}

}  // namespace
}  // namespace pactgraph::query
