// GraphML, DOT and CSV exports, read back the way other tools read them.
#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "ingest/graph_export.h"
#include "ingest/jsonl.h"
#include "tests/testing.h"

namespace pactgraph::ingest {
namespace {

struct Counts {
  size_t entities = 0, relations = 0;
};

// The sample graphs' entities and relations that an export carries (claims and their SAID and
// ABOUT relations are left out).
Counts Expected(const storage::Store& store) {
  const storage::Snapshot snap = store.GetSnapshot();
  Counts c;
  std::map<EntityId, bool> claim;
  EXPECT_TRUE(store.ForEachEntity(snap, [&](const Entity& e) {
                     claim[e.id] = e.type == "Claim";
                     c.entities += e.type != "Claim";
                     return true;
                   }).ok());
  EXPECT_TRUE(store.ForEachRelation(snap, [&](const Relation& r) {
                     c.relations += !claim[r.subject] && !claim[r.object];
                     return true;
                   }).ok());
  return c;
}

class GraphExport : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    for (const char* f : {"rhel-hyperv.facts.jsonl", "cloud-alliances.facts.jsonl"}) {
      ASSERT_TRUE(ImportJsonlFile(*store_, std::string(PG_DATASETS_DIR) + "/" + f, {}).ok());
    }
  }
  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(GraphExport, GraphMLReadsBackWithTheSameCounts) {
  std::stringstream out;
  ASSERT_TRUE(ExportGraph(*store_, "graphml", out).ok());
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                  boost::property<boost::vertex_name_t, std::string>, boost::property<boost::edge_name_t, std::string>>;
  G g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("name", boost::get(boost::vertex_name, g));
  dp.property("relation", boost::get(boost::edge_name, g));
  boost::read_graphml(out, g, dp);
  const Counts want = Expected(*store_);
  EXPECT_GT(want.entities, 10u);
  EXPECT_EQ(boost::num_vertices(g), want.entities);
  EXPECT_EQ(boost::num_edges(g), want.relations);
  bool supports = false;
  for (auto e : boost::make_iterator_range(boost::edges(g))) supports = supports || boost::get(boost::edge_name, g, e) == "SUPPORTS";
  EXPECT_TRUE(supports);
}

TEST_F(GraphExport, DotAndANeighbourhood) {
  std::stringstream dot;
  ASSERT_TRUE(ExportGraph(*store_, "dot", dot).ok());
  const std::string text = dot.str();
  EXPECT_EQ(text.rfind("digraph G {", 0), 0u);
  EXPECT_NE(text.find("label=\"SUPPORTS\""), std::string::npos);
  GraphExportOptions near;
  near.focus = "RHEL";
  near.depth = 1;
  std::stringstream small;
  ASSERT_TRUE(ExportGraph(*store_, "dot", small, near).ok());
  EXPECT_LT(small.str().size(), text.size());
  EXPECT_NE(small.str().find("Red Hat Enterprise Linux"), std::string::npos);
  near.focus = "Nobody Inc";
  std::stringstream none;
  EXPECT_EQ(ExportGraph(*store_, "dot", none, near).code(), StatusCode::kNotFound);
}

TEST_F(GraphExport, CsvFilesForBulkLoaders) {
  std::map<std::string, std::stringstream> files;
  ASSERT_TRUE(ExportCsv(*store_, [&](const std::string& f) -> std::ostream& { return files[f]; }).ok());
  size_t nodes = 0, edges = 0;
  for (auto& [name, body] : files) {
    std::string header, line;
    std::getline(body, header);
    size_t rows = 0;
    while (std::getline(body, line)) ++rows;
    if (name.rfind("nodes_", 0) == 0) {
      EXPECT_EQ(header, "id:ID,name,aliases,:LABEL") << name;
      nodes += rows;
    } else {
      EXPECT_EQ(header, ":START_ID,:END_ID,:TYPE,relation,qualifiers") << name;
      edges += rows;
    }
  }
  const Counts want = Expected(*store_);
  EXPECT_EQ(nodes, want.entities);
  EXPECT_EQ(edges, want.relations);
  EXPECT_TRUE(files.count("nodes_Company.csv"));
  EXPECT_TRUE(files.count("edges_SUPPORTS_Company_Product.csv"));
}

TEST_F(GraphExport, GraphMLHasAnAttributePerQualifierSlot) {
  std::stringstream out;
  ASSERT_TRUE(ExportGraph(*store_, "graphml", out).ok());
  const std::string text = out.str();
  EXPECT_NE(text.find("attr.name=\"on\""), std::string::npos);
  EXPECT_NE(text.find("attr.name=\"as\""), std::string::npos);
  EXPECT_EQ(text.find("attr.name=\"qualifiers\""), std::string::npos);
  EXPECT_EQ(text.find("on: "), std::string::npos) << "no joined qualifier strings";
}

std::map<std::string, std::string> Files(const std::function<Status(const OpenFile&)>& exporter, Status* status) {
  std::map<std::string, std::stringstream> files;
  *status = exporter([&](const std::string& f) -> std::ostream& { return files[f]; });
  std::map<std::string, std::string> out;
  for (auto& [name, body] : files) out[name] = body.str();
  return out;
}

TEST_F(GraphExport, KuzuFilesComeWithTheirTablesAndLoadStatements) {
  Status st;
  auto files = Files([&](const OpenFile& open) { return ExportKuzu(*store_, open); }, &st);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE(files.count("schema.cypher") && files.count("load.cypher"));
  EXPECT_NE(files["schema.cypher"].find("CREATE NODE TABLE `Company`(id INT64, name STRING, aliases STRING, PRIMARY KEY (id));"),
            std::string::npos);
  EXPECT_NE(files["schema.cypher"].find("`on_name` STRING, `on_id` INT64"), std::string::npos);
  EXPECT_NE(files["load.cypher"].find("COPY `Company` FROM 'Company.csv' (header=true);"), std::string::npos);
  EXPECT_EQ(files["Company.csv"].substr(0, 16), "id,name,aliases\n");
  EXPECT_TRUE(files.count("Claim.csv"));
  EXPECT_TRUE(files.count("SAID_Person_Claim.csv") || files.count("SAID_Company_Claim.csv"));
  EXPECT_TRUE(files.count("Source.csv") && files.count("Document.csv"));
}

TEST_F(GraphExport, Neo4jFilesComeWithTheImportCommand) {
  Status st;
  auto files = Files([&](const OpenFile& open) { return ExportNeo4j(*store_, open); }, &st);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(files["nodes_Company.csv"].substr(0, 43), "id:ID(Entity),name,aliases:string[],:LABEL\n");
  EXPECT_EQ(files["edges_SUPPORTS.csv"].rfind(":START_ID(Entity),:END_ID(Entity),:TYPE,id:long,on,on_id:long,", 0), 0u);
  EXPECT_NE(files["import.sh"].find("neo4j-admin database import full"), std::string::npos);
  EXPECT_NE(files["import.sh"].find("--relationships=edges_SUPPORTS.csv"), std::string::npos);
}

TEST_F(GraphExport, TurtleReifiesEachRelationWithItsQualifiers) {
  std::stringstream out;
  ASSERT_TRUE(ExportTurtle(*store_, out).ok());
  const std::string text = out.str();
  EXPECT_NE(text.find("@prefix pg: <urn:pactgraph:vocab:> ."), std::string::npos);
  EXPECT_NE(text.find("a rdf:Statement ;\n  rdf:subject e:"), std::string::npos);
  EXPECT_NE(text.find("pg:as \"guest\""), std::string::npos);
  EXPECT_NE(text.find("rdfs:label \"Red Hat Enterprise Linux\""), std::string::npos);
}

}  // namespace
}  // namespace pactgraph::ingest
