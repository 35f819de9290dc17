#include "bench/generator.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/jsonl.h"
#include "tests/testing.h"

namespace pactgraph::bench {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Generator, SameSeedSameBytesOtherSeedOtherGraph) {
  testing::TempDir dir;
  ASSERT_TRUE(GenerateFile({0.05, 42}, dir.File("a.jsonl")).ok());
  ASSERT_TRUE(GenerateFile({0.05, 42}, dir.File("b.jsonl")).ok());
  ASSERT_TRUE(GenerateFile({0.05, 43}, dir.File("c.jsonl")).ok());
  const std::string a = Slurp(dir.File("a.jsonl"));
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, Slurp(dir.File("b.jsonl")));
  EXPECT_NE(a, Slurp(dir.File("c.jsonl")));
}

TEST(Generator, ShapeScalesWithTheScaleFactor) {
  testing::TempDir dir;
  Result<GeneratedCounts> small = GenerateFile({0.1, 42}, dir.File("s.jsonl"));
  Result<GeneratedCounts> big = GenerateFile({0.2, 42}, dir.File("b.jsonl"));
  ASSERT_TRUE(small.ok() && big.ok());
  EXPECT_EQ(small->entities_by_type.at("Company"), 100u);
  EXPECT_EQ(small->entities_by_type.at("Person"), 500u);
  EXPECT_EQ(small->entities_by_type.at("Claim"), 1500u);
  EXPECT_EQ(small->entities_by_type.at("Term"), 30u);
  // About 48,000 entities and 235,000 relations per scale factor.
  EXPECT_NEAR(static_cast<double>(small->entities), 4800, 300);
  EXPECT_NEAR(static_cast<double>(small->relations), 23500, 1500);
  EXPECT_NEAR(static_cast<double>(big->relations) / static_cast<double>(small->relations), 2.0, 0.1);
  // RUNS_ON is about half of the relations; SUPPORTS 10-30 per company.
  EXPECT_NEAR(static_cast<double>(small->relations_by_type.at("RUNS_ON")) / static_cast<double>(small->relations), 0.5, 0.1);
  EXPECT_GE(small->relations_by_type.at("SUPPORTS"), 1000u);
  EXPECT_LE(small->relations_by_type.at("SUPPORTS"), 3000u);
}

TEST(Generator, BadScaleFactorIsRefused) {
  testing::TempDir dir;
  EXPECT_EQ(GenerateFile({0, 42}, dir.File("x.jsonl")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateFile({1, 42}, dir.File("no/such/dir/x.jsonl")).status().code(), StatusCode::kIoError);
}

// Every generated line is accepted by the importer as it is, and the store is consistent.
TEST(Generator, GraphImportsAndChecks) {
  testing::TempDir dir;
  Result<GeneratedCounts> c = GenerateFile({0.05, 42}, dir.File("g.jsonl"));
  ASSERT_TRUE(c.ok());
  storage::StoreOptions so;
  so.create_if_missing = true;
  auto store = std::move(storage::Store::Open(dir.File("db"), so)).value();
  ingest::JsonlImportOptions io;
  io.session.sync = false;
  Result<ingest::JsonlImportReport> r = ingest::ImportJsonlFile(*store, dir.File("g.jsonl"), io);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.entities_new, c->entities);
  // A few PARTNERS_WITH pairs are drawn twice (or both ways) and merge into one relation.
  EXPECT_LE(r->counts.relations_new, c->relations);
  EXPECT_GE(r->counts.relations_new + 20, c->relations);
  EXPECT_EQ(r->counts.relations_new + r->counts.relations_merged, c->relations);
  Result<storage::CheckReport> check = store->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok());
}

// A bulk import that spills sorted runs to disk and merges them stores exactly what one that
// keeps everything in memory stores.
TEST(Generator, SpilledImportStoresTheSameAsInMemory) {
  testing::TempDir dir;
  ASSERT_TRUE(GenerateFile({0.02, 7}, dir.File("g.jsonl")).ok());
  std::vector<std::string> dumps;
  for (size_t spill : {size_t{0}, size_t{64} << 10}) {
    storage::StoreOptions so;
    so.create_if_missing = true;
    const std::string db = dir.File("db" + std::to_string(spill));
    auto store = std::move(storage::Store::Open(db, so)).value();
    ingest::JsonlImportOptions io;
    io.session.sync = false;
    io.session.spill_bytes = spill;
    Result<ingest::JsonlImportReport> r = ingest::ImportJsonlFile(*store, dir.File("g.jsonl"), io);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(store->Check()->ok());
    EXPECT_FALSE(std::filesystem::exists(db + "/ingest.tmp"));
    dumps.push_back(testing::Dump(*store));
  }
  EXPECT_GT(dumps[0].size(), 100000u);
  EXPECT_EQ(dumps[0], dumps[1]);
}

}  // namespace
}  // namespace pactgraph::bench
