// The gazetteer: the shipped files under datasets/gazetteer load cleanly and are large enough,
// names meet through their normalised keys (aliases, corporate suffixes), and user files are
// refused with FILE:LINE when malformed, or extend and correct the shipped entries.
#include "ingest/gazetteer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "tests/testing.h"

namespace pactgraph::ingest {
namespace {

const std::string kShipped = std::string(PG_DATASETS_DIR) + "/gazetteer";

// The shipped files, loaded once for the tests that only read them (empty if they fail to load,
// which the first test reports).
const Gazetteer& Shipped() {
  static const Gazetteer shipped = [] {
    Result<Gazetteer> g = Gazetteer::LoadDirectory(kShipped);
    return g.ok() ? std::move(g).value() : Gazetteer();
  }();
  return shipped;
}

TEST(Gazetteer, ShippedFilesLoadWithoutErrorsAndHoldAtLeastTwoThousandEntries) {
  Result<Gazetteer> g = Gazetteer::LoadDirectory(kShipped);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_GE(g->size(), 2000u);
  std::map<std::string, size_t> per_type;
  for (const GazetteerEntry& e : g->entries()) ++per_type[GazetteerTypeName(e.type)];
  for (const auto& [type, n] : per_type) std::cout << type << ": " << n << "\n";
  std::cout << g->size() << " entries, " << g->MemoryBytes() << " bytes ("
            << g->MemoryBytes() / std::max<size_t>(g->size(), 1) << " per entry)\n";
  // Every type the gazetteer holds is present, and nothing else is.
  EXPECT_EQ(per_type.size(), 4u);
  EXPECT_GE(per_type["Company"], 500u);
  EXPECT_GE(per_type["Product"], 1000u);
}

TEST(Gazetteer, EveryShippedEntryHasASchemaTypeANameAndASource) {
  const std::set<std::string> schema = {"Company", "Organization", "Product", "Program"};
  for (const GazetteerEntry& e : Shipped().entries()) {
    EXPECT_TRUE(schema.count(GazetteerTypeName(e.type))) << e.source;
    EXPECT_FALSE(e.name.empty()) << e.source;
    EXPECT_NE(e.source.find(".jsonl:"), std::string::npos) << e.name;
  }
}

TEST(Gazetteer, ShippedFilesGiveNoNameTwoTypesAndNoAliasTwoOwners) {
  const Gazetteer& g = Shipped();
  for (const std::string& c : g.conflicts()) ADD_FAILURE() << c;
  EXPECT_EQ(g.conflict_count(), 0u);
  EXPECT_EQ(g.merged_count(), 0u);
}

TEST(Gazetteer, AnAliasFindsItsCanonicalEntry) {
  const Gazetteer& g = Shipped();
  const GazetteerEntry* rhel = g.Find("RHEL");
  ASSERT_NE(rhel, nullptr);
  EXPECT_EQ(rhel->name, "Red Hat Enterprise Linux");
  EXPECT_EQ(rhel->type, GazetteerType::kProduct);
  EXPECT_EQ(rhel->maker, "Red Hat");

  const GazetteerEntry* azure = g.Find("Windows Azure");  // a former name
  ASSERT_NE(azure, nullptr);
  EXPECT_EQ(azure->name, "Microsoft Azure");

  const GazetteerEntry* postgres = g.Find("postgres");
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->name, "PostgreSQL");
  EXPECT_EQ(postgres->kind, "database");

  const GazetteerEntry* cncf = g.Find("CNCF");
  ASSERT_NE(cncf, nullptr);
  EXPECT_EQ(cncf->type, GazetteerType::kOrganization);
}

TEST(Gazetteer, ASuffixedOrPunctuatedCompanyNameFindsTheCompany) {
  const Gazetteer& g = Shipped();
  for (const char* name : {"Oracle Corporation", "Oracle Corp.", "ORACLE"}) {
    const GazetteerEntry* e = g.Find(name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_EQ(e->name, "Oracle") << name;
    EXPECT_EQ(e->type, GazetteerType::kCompany) << name;
  }
  for (const char* name : {"Red Hat, Inc.", "red hat"}) {
    const GazetteerEntry* e = g.Find(name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_EQ(e->name, "Red Hat") << name;
  }
  EXPECT_EQ(g.Find("Windows Server 2019")->type, GazetteerType::kProduct);
  EXPECT_EQ(g.Find("Ubuntu 22.04 LTS")->maker, "Canonical");
  EXPECT_EQ(g.Find("AWS Partner Network")->type, GazetteerType::kProgram);
  EXPECT_EQ(g.Find("No Such Company Anywhere"), nullptr);
  EXPECT_EQ(g.Find("--"), nullptr);
}

TEST(Gazetteer, AMalformedUserFileIsRefusedWithFileAndLine) {
  testing::TempDir dir;
  const std::string good = R"({"name":"Acme Widgets","type":"Company"})";
  const std::map<std::string, std::string> cases = {
      {"{\"name\":\"Acme\",\"type\":\"Company\"", "malformed JSON"},
      {R"({"name":"Acme","type":"Person"})", "not kept in a gazetteer"},
      {R"({"name":"Acme","type":"Widget"})", "unknown type \"Widget\""},
      {R"({"name":"Acme","type":"Company","alias":["A"]})", "unknown field \"alias\""},
      {R"({"type":"Company"})", "needs a \"name\""},
      {R"({"name":"Acme"})", "needs a \"type\""},
      {R"({"name":"!!!","type":"Company"})", "no letters or digits"},
      {R"({"name":"Acme","type":"Company","aliases":"A"})", "array of strings"},
      {R"(["Acme","Company"])", "JSON object"},
      {"{\"name\":\"Acme\xff\",\"type\":\"Company\"}", "invalid UTF-8"},
  };
  for (const auto& [line, reason] : cases) {
    const std::string path = dir.File("mine.jsonl");
    testing::WriteFile(path, "# my own names\n" + good + "\n" + line + "\n");
    Result<Gazetteer> g = Gazetteer::Load({path});
    ASSERT_FALSE(g.ok()) << line;
    EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument) << line;
    EXPECT_NE(g.status().ToString().find(path + ":3:"), std::string::npos) << g.status().ToString();
    EXPECT_NE(g.status().message().find(reason), std::string::npos) << g.status().ToString();
  }
}

TEST(Gazetteer, AFileThatFailsLeavesTheGazetteerAsItWas) {
  testing::TempDir dir;
  Result<Gazetteer> g = Gazetteer::LoadDirectory(kShipped);
  ASSERT_TRUE(g.ok());
  const size_t before = g->size();
  testing::WriteFile(dir.File("bad.jsonl"), R"({"name":"Acme Widgets","type":"Company"})"
                                            "\n{broken\n");
  EXPECT_FALSE(g->AddFile(dir.File("bad.jsonl")).ok());
  EXPECT_EQ(g->size(), before);
  EXPECT_EQ(g->Find("Acme Widgets"), nullptr);
}

TEST(Gazetteer, UserFilesExtendAndCorrectTheShippedOnes) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("ours.jsonl"),
                     "\n# products of our own, and one more name for a shipped company\n"
                     R"({"name":"Acme Widget Server","type":"Product","maker":"Acme","aliases":["AWS-X"]})"
                     "\n"
                     R"({"name":"Oracle Corp.","type":"Company","kind":"database vendor","aliases":["Big Red"]})"
                     "\n");
  Result<Gazetteer> g = Gazetteer::Load({kShipped, dir.File("ours.jsonl")});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->size(), Shipped().size() + 1);
  const GazetteerEntry* widget = g->Find("aws-x");
  ASSERT_NE(widget, nullptr);
  EXPECT_EQ(widget->name, "Acme Widget Server");
  const GazetteerEntry* oracle = g->Find("Big Red");
  ASSERT_NE(oracle, nullptr);
  EXPECT_EQ(oracle->name, "Oracle");  // merged into the shipped entry, whose name stays
  EXPECT_EQ(oracle->kind, "database vendor");
  EXPECT_EQ(g->merged_count(), 1u);
  EXPECT_EQ(g->conflict_count(), 0u);
}

TEST(Gazetteer, ANameGivenTwoTypesIsMergedAndReportedWithBothPlaces) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.jsonl"), R"({"name":"Zenith","type":"Company","aliases":["ZNT"]})"
                                          "\n");
  testing::WriteFile(dir.File("b.jsonl"), R"({"name":"Zenith Inc.","type":"Product"})"
                                          "\n"
                                          R"({"name":"Zenith Cloud","type":"Product","aliases":["ZNT"]})"
                                          "\n");
  Result<Gazetteer> g = Gazetteer::LoadDirectory(dir.path());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->size(), 2u);
  EXPECT_EQ(g->Find("Zenith")->type, GazetteerType::kProduct);  // the later file wins
  EXPECT_EQ(g->Find("ZNT")->name, "Zenith");                     // the first owner keeps an alias
  ASSERT_EQ(g->conflict_count(), 2u);
  EXPECT_NE(g->conflicts()[0].find(dir.File("b.jsonl") + ":1"), std::string::npos) << g->conflicts()[0];
  EXPECT_NE(g->conflicts()[0].find(dir.File("a.jsonl") + ":1"), std::string::npos) << g->conflicts()[0];
  EXPECT_NE(g->conflicts()[1].find("alias \"ZNT\""), std::string::npos) << g->conflicts()[1];
}

TEST(Gazetteer, AFileOverTheBoundIsRefusedBeforeItIsRead) {
  GazetteerOptions options;
  options.max_file_bytes = 1000;
  Result<Gazetteer> g = Gazetteer::LoadDirectory(kShipped, options);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(g.status().message().find("larger than 1,000 bytes"), std::string::npos) << g.status().ToString();

  Result<Gazetteer> missing = Gazetteer::Load({kShipped + "/no-such-file.jsonl"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pactgraph::ingest
