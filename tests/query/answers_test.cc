// The engine's API over the bundled releases' gold facts (datasets/gold): limits, prepared
// statements, and two plans that must agree. What each statement form answers is checked by the
// golden files in tests/golden/, which run the same statements through `pactgraph query`.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "ingest/jsonl.h"
#include "query/card.h"
#include "query/engine.h"
#include "query/format.h"
#include "tests/testing.h"

namespace pactgraph::query {
namespace {

namespace fs = std::filesystem;
using Names = std::set<std::string>;

class Answers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new pactgraph::testing::TempDir();
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_->File("db"), so)).value().release();
    std::set<std::string> files;
    for (const auto& f : fs::directory_iterator(std::string(PG_DATASETS_DIR) + "/gold")) {
      if (f.path().string().ends_with(".facts.jsonl")) files.insert(f.path().string());
    }
    for (const std::string& f : files) {
      ingest::JsonlImportOptions io;
      io.session.sync = false;
      ASSERT_TRUE(ingest::ImportJsonlFile(*store_, f, io).ok()) << f;
    }
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
    store_ = nullptr;
    dir_ = nullptr;
  }
  // The answer to one query; every row must carry evidence.
  static Answer Ask(const std::string& q) {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    if (!a.ok() || a->empty()) return {};
    for (size_t r = 0; r < a->front().rows.size(); ++r) {
      EXPECT_FALSE(a->front().evidence[r].empty()) << q << ": row " << r << " has no evidence";
    }
    return a->front();
  }
  // The distinct values of one column.
  static Names Column(const std::string& q, const std::string& column) {
    Answer a = Ask(q);
    Names out;
    for (size_t c = 0; c < a.columns.size(); ++c) {
      if (a.columns[c] != column) continue;
      for (const auto& row : a.rows) out.insert(row[c].ToString());
    }
    return out;
  }
  static Status ErrorOf(const std::string& q) {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run(q);
    return a.ok() ? Status::OK() : a.status();
  }

  static pactgraph::testing::TempDir* dir_;
  static storage::Store* store_;
};
pactgraph::testing::TempDir* Answers::dir_ = nullptr;
storage::Store* Answers::store_ = nullptr;

TEST_F(Answers, RowLimitStopsAQuery) {
  Engine engine(*store_, Limits{2, 30, 12, 5});
  Result<std::vector<Answer>> a = engine.Run("WHO WORKS FOR Microsoft");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->front().rows.size(), 2u);
  EXPECT_NE(a->front().notice.find("row limit"), std::string::npos);
}

TEST_F(Answers, CountsPerEntityFromTheDegreeListAgreeWithMatching) {
  // The same counts by the degree list (no WHERE) and by matching every relation (a WHERE that
  // keeps every row turns the degree plan off), in the same order, each row with evidence.
  for (const char* order : {"ORDER BY k DESC, id", "ORDER BY k DESC, n", "ORDER BY n"}) {
    const std::string by_degree = std::string("MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.name AS n, id(c) AS id, count(*) AS k ") + order;
    const std::string by_match = std::string("MATCH (c:Company)-[:SUPPORTS]->(:Product) WHERE c.id > 0 RETURN c.name AS n, id(c) AS id, count(*) AS k ") + order;
    Answer a = Ask(by_degree), b = Ask(by_match);
    ASSERT_GE(a.rows.size(), 3u) << order;
    ASSERT_EQ(a.rows.size(), b.rows.size()) << order;
    for (size_t i = 0; i < a.rows.size(); ++i) {
      EXPECT_EQ(a.rows[i][0].text, b.rows[i][0].text) << order << " row " << i;
      EXPECT_EQ(a.rows[i][2].number, b.rows[i][2].number) << order << " row " << i;
    }
  }
  Answer top = Ask("MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.name, count(*) AS k ORDER BY k DESC LIMIT 1");
  ASSERT_EQ(top.rows.size(), 1u);
  EXPECT_EQ(top.rows[0][0].text, "Oracle");  // Oracle supports ten products on other platforms
  EXPECT_NE(Ask("EXPLAIN MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.name, count(*) AS k ORDER BY k DESC").plan.find("CountByDegree c: SUPPORTS out"),
            std::string::npos);
  // Grouped by the object end, with a label the schema does not imply (checked per entity).
  Answer by_object = Ask("MATCH (:Company)-[:SUPPORTS]->(p:Product) RETURN p.name, count(*) AS k ORDER BY k DESC, p.name LIMIT 3");
  Answer matched = Ask("MATCH (:Company)-[:SUPPORTS]->(p:Product) WHERE p.id > 0 RETURN p.name, count(*) AS k ORDER BY k DESC, p.name LIMIT 3");
  ASSERT_EQ(by_object.rows.size(), matched.rows.size());
  for (size_t i = 0; i < by_object.rows.size(); ++i) EXPECT_EQ(by_object.rows[i][0].text, matched.rows[i][0].text);
}

TEST_F(Answers, PreparedStatementsTakeParameters) {
  Engine engine(*store_);
  Result<Prepared> who = engine.Prepare("WHO SUPPORTS $x ON EXACTLY $y");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->parameters, (std::vector<std::string>{"x", "y"}));
  // By name, then the same statement again with other values.
  Result<std::vector<Answer>> a = engine.Run(*who, {{"x", Value::Text("RHEL")}, {"y", Value::Text("Hyper-V Server 2008")}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Names companies;
  for (const auto& row : a->front().rows) companies.insert(row[0].text);
  EXPECT_EQ(companies, (Names{"Microsoft"}));
  EXPECT_FALSE(a->front().evidence.at(0).empty());
  a = engine.Run(*who, {{"x", Value::Text("Windows Server 2008")}, {"y", Value::Text("RHEL")}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  companies.clear();
  for (const auto& row : a->front().rows) companies.insert(row[0].text);
  EXPECT_TRUE(companies.count("Red Hat")) << a->front().rows.size();
  // A MATCH with a parameter in a property map and in WHERE; an id for an entity.
  Result<std::vector<Answer>> novell = engine.Run("MATCH (n {name: $n}) RETURN id(n) AS id", {{"n", Value::Text("Novell")}});
  ASSERT_TRUE(novell.ok() && novell->front().rows.size() == 1) << novell.status().ToString();
  const int64_t id = novell->front().rows[0][0].number;
  a = engine.Run("MATCH (n {id: $a})-[:PARTNERS_WITH]-(m) WHERE m.id <> $a RETURN m.name", {{"a", Value::Int(id)}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  companies.clear();
  for (const auto& row : a->front().rows) companies.insert(row[0].text);
  EXPECT_TRUE(companies.count("Microsoft")) << a->front().rows.size();
  a = engine.Run("SHOW $x", {{"x", Value::Int(id)}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_NE(a->front().title.find("Novell"), std::string::npos) << a->front().title;
  // A parameter without a value is an error that names it and where it is.
  Status s = engine.Run(*who, {{"x", Value::Text("RHEL")}}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "parameter $y has no value");
  EXPECT_EQ(s.location().line, 1u);
  EXPECT_EQ(s.location().column, 28u);
  EXPECT_EQ(s.location().length, 2u);  // the span of "$y"
  s = engine.Run(*who, {{"x", Value::Int(-3)}, {"y", Value::Text("RHEL")}}).status();
  EXPECT_NE(s.message().find("not an entity id"), std::string::npos) << s.message();
}

TEST_F(Answers, ProfileCountsTheRowsOfEachOperator) {
  Answer p = Ask("PROFILE WHO WORKS FOR Microsoft");
  EXPECT_NE(p.plan.find("rows 6"), std::string::npos) << p.plan;
}

// AS OF over the sample data, whose documents carry dates: Microsoft's 2009 support of RHEL on
// Hyper-V is there in 2010; the 2015 support on Azure is not.
TEST(AsOf, OnlyRelationsStatedByThen) {
  pactgraph::testing::TempDir dir;
  storage::StoreOptions so;
  so.create_if_missing = true;
  auto store = std::move(storage::Store::Open(dir.File("db"), so)).value();
  for (const char* f : {"rhel-hyperv.facts.jsonl", "cloud-alliances.facts.jsonl"}) {
    ASSERT_TRUE(ingest::ImportJsonlFile(*store, std::string(PG_DATASETS_DIR) + "/" + f, {}).ok());
  }
  Engine engine(*store);
  auto on = [&](const std::string& q) {
    Names out;
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    if (a.ok()) {
      for (const auto& row : a->front().rows) out.insert(row[2].ToString());
    }
    return out;
  };
  const Names all = on("WHO SUPPORTS RHEL");
  const Names in2010 = on("WHO SUPPORTS RHEL AS OF 2010-01-01");
  EXPECT_TRUE(all.count("Microsoft Azure"));
  EXPECT_FALSE(in2010.count("Microsoft Azure"));
  EXPECT_TRUE(in2010.count("Hyper-V Server 2008"));
  EXPECT_TRUE(on("WHO SUPPORTS RHEL AS OF 2000-01-01").empty());
}

// Two copies of one story (another key and URL, the same words) and a facts line of its own
// words: the evidence is the whole sentence with the words' span, each document once per row.
class EvidenceOfAStory : public ::testing::Test {
 protected:
  static constexpr const char* kText = "Red Hat and Microsoft made a pact. Microsoft will support RHEL on Hyper-V.";
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    const std::string text = kText;
    const size_t b = text.find("Microsoft will"), e = text.size();
    auto doc = [&](const std::string& key, const std::string& url) {
      return R"({"kind":"document","key":")" + key + R"(","title":"A pact","publisher":"Example Wire","url":")" + url +
             R"(","text":")" + text + "\"}\n";
    };
    auto fact = [&](const std::string& key) {
      return R"({"kind":"relation","type":"SUPPORTS","subject":"Microsoft","object":"RHEL","qualifiers":{"on":"Hyper-V"},)"
             R"("evidence":"Microsoft will support RHEL","source":{"doc":")" + key + R"(","sentence":2,"span":[)" +
             std::to_string(b) + "," + std::to_string(e) + "]}}\n";
    };
    const std::string entities = R"({"kind":"entity","name":"Microsoft","type":"Company"}
{"kind":"entity","name":"RHEL","type":"Product"}
{"kind":"entity","name":"Hyper-V","type":"Product"}
)";
    for (const std::string& lines : {entities + doc("https://a.example/pact", "https://a.example/pact") + fact("https://a.example/pact"),
                                     doc("https://b.example/pact", "https://b.example/pact") + fact("https://b.example/pact")}) {
      std::istringstream in(lines);
      Result<ingest::JsonlImportReport> r = ingest::ImportJsonlStream(*store_, in, "facts", {});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  Answer Ask(const std::string& q) {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->front() : Answer{};
  }
  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(EvidenceOfAStory, EvidenceIsTheWholeSentenceWithTheSpanOfTheStatedWords) {
  Answer a = Ask("WHO SUPPORTS RHEL");
  ASSERT_EQ(a.rows.size(), 1u);
  ASSERT_EQ(a.evidence[0].size(), 1u);  // the second copy is the same document
  const Evidence& e = a.evidence[0][0];
  EXPECT_EQ(e.text, "Microsoft will support RHEL on Hyper-V.");
  EXPECT_EQ(e.text.substr(e.span_begin, e.span_end - e.span_begin), "Microsoft will support RHEL");
  EXPECT_EQ(e.publisher, "Example Wire");
  EXPECT_EQ(e.url, "https://a.example/pact");
  EXPECT_NE(e.document_id, 0u);
  EXPECT_EQ(EvidenceLine(e), "A pact, sentence 2: \"\xc2\xbbMicrosoft will support RHEL\xc2\xab on Hyper-V.\"");
}

TEST_F(EvidenceOfAStory, JsonEvidenceCarriesTheDocumentIdPublisherUrlAndSpan) {
  Answer a = Ask("WHO SUPPORTS RHEL");
  std::ostringstream out;
  FormatOptions o;
  o.format = Format::kJson;
  Write(a, o, out);
  const std::string json = out.str();
  EXPECT_NE(json.find("\"document_id\":" + std::to_string(a.evidence[0][0].document_id)), std::string::npos) << json;
  EXPECT_NE(json.find("\"publisher\":\"Example Wire\",\"url\":\"https://a.example/pact\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"text\":\"Microsoft will support RHEL on Hyper-V.\",\"span\":[0,27]"), std::string::npos) << json;
}

TEST_F(EvidenceOfAStory, ATableInATerminalMarksTheWordsInBoldAndUnderlined) {
  Answer a = Ask("WHO SUPPORTS RHEL");
  std::ostringstream plain, colour;
  FormatOptions o;
  Write(a, o, plain);
  o.color = true;
  Write(a, o, colour);
  EXPECT_NE(plain.str().find("\"\xc2\xbbMicrosoft will support RHEL\xc2\xab on Hyper-V.\""), std::string::npos) << plain.str();
  EXPECT_NE(colour.str().find("\"\x1b[1;4mMicrosoft will support RHEL\x1b[0m on Hyper-V.\""), std::string::npos) << colour.str();
}


// One support told by three documents from two publishers (the first carried twice), the last
// saying it ended: what the page shows of its corroboration and of each source.
class ASupportToldThreeTimes : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    auto doc = [](const std::string& key, const std::string& publisher, const std::string& date, const std::string& text) {
      return R"({"kind":"document","key":")" + key + R"(","title":"T )" + key + R"(","publisher":")" + publisher +
             R"(","date":")" + date + R"(","text":")" + text + "\"}\n";
    };
    // The stated words at the start of a one-sentence text `size` bytes long.
    auto fact = [](const std::string& key, const std::string& status, const std::string& words, size_t size) {
      return R"({"kind":"relation","type":"SUPPORTS","subject":"Microsoft","object":"RHEL","qualifiers":{"status":")" + status +
             R"("},"evidence":")" + words + R"(","source":{"doc":")" + key + R"(","sentence":1,"span":[0,)" +
             std::to_string(size) + "]}}\n";
    };
    const std::string told = "Microsoft supports RHEL.", heard = "Microsoft supports RHEL, says a partner.",
                      ended = "Microsoft ended support for RHEL.";
    std::string lines = R"({"kind":"entity","name":"Microsoft","type":"Company"}
{"kind":"entity","name":"RHEL","type":"Product"}
)";
    lines += doc("a", "Example Wire", "2020-01-01", told) + fact("a", "active", "Microsoft supports RHEL", told.size());
    lines += doc("a-copy", "Example Wire", "2020-01-01", told) + fact("a-copy", "active", "Microsoft supports RHEL", told.size());
    lines += doc("b", "Other News", "2020-06-01", heard) + fact("b", "active", "Microsoft supports RHEL", heard.size());
    lines += doc("c", "Example Wire", "2021-01-01", ended) + fact("c", "ended", "Microsoft ended support for RHEL", ended.size());
    std::istringstream in(lines);
    Result<ingest::JsonlImportReport> r = ingest::ImportJsonlStream(*store_, in, "facts", {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ASupportToldThreeTimes, ItsCardCountsDocumentsAndPublishersAndSaysItIsDisputed) {
  const storage::Snapshot snap = store_->GetSnapshot();
  Result<std::vector<storage::NameMatch>> ms = store_->FindByName(snap, "Microsoft");
  ASSERT_TRUE(ms.ok() && ms->size() == 1);
  Result<EntityCard> card = BuildEntityCard(*store_, snap, ms->front().id, {});
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  ASSERT_EQ(card->outgoing.relations.size(), 1u);
  const CardRelation& r = card->outgoing.relations[0];
  EXPECT_EQ(r.documents, 3);  // the copy is the same document
  EXPECT_EQ(r.publishers, 2);
  EXPECT_TRUE(r.disputed);
  std::multiset<std::string> statuses;
  for (const CardSource& s : r.sources) statuses.insert(s.status + " " + s.publisher);
  EXPECT_EQ(statuses, (std::multiset<std::string>{"active Example Wire", "active Other News", "ended Example Wire"}));
}

TEST_F(ASupportToldThreeTimes, ATimelinesRowsCarryTheirSourceForJsonButNotTwiceInATable) {
  Engine engine(*store_);
  Result<std::vector<Answer>> a = engine.Run("TIMELINE Microsoft");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const Answer& t = a->front();
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_TRUE(t.evidence_in_columns);
  ASSERT_EQ(t.evidence[2].size(), 1u);
  const Evidence& e = t.evidence[2][0];
  EXPECT_EQ(e.publisher, "Example Wire");
  EXPECT_EQ(e.date, "2021-01-01");
  EXPECT_EQ(e.text, "Microsoft ended support for RHEL.");
  EXPECT_EQ(e.text.substr(e.span_begin, e.span_end - e.span_begin), "Microsoft ended support for RHEL");
  std::ostringstream table, json;
  FormatOptions o;
  Write(t, o, table);
  EXPECT_EQ(table.str().find("source:"), std::string::npos) << table.str();
  o.format = Format::kJson;
  Write(t, o, json);
  EXPECT_NE(json.str().find("\"publisher\":\"Example Wire\""), std::string::npos) << json.str();
}

}  // namespace
}  // namespace pactgraph::query

namespace pactgraph::query {
namespace {

// Long and deep expressions over the sample data (Microsoft, Oracle and Red Hat are its
// companies), through the engine as a user runs them.
class LongExpressions : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    ASSERT_TRUE(ingest::ImportJsonlFile(*store_, std::string(PG_DATASETS_DIR) + "/cloud-alliances.facts.jsonl", {}).ok());
  }
  Result<Answer> Run(const std::string& q) {
    Engine engine(*store_);
    PG_ASSIGN_OR_RETURN(std::vector<Answer> a, engine.Run(q));
    return a.front();
  }
  static std::vector<std::string> Column(const Answer& a, size_t c) {
    std::vector<std::string> out;
    for (const auto& row : a.rows) out.push_back(row[c].ToString());
    return out;
  }
  // `n` terms joined by `op`; the last one is `last`, the others `term`.
  static std::string Chain(const std::string& term, const std::string& op, int n, const std::string& last) {
    std::string s;
    for (int i = 1; i < n; ++i) s += term + " " + op + " ";
    return s + last;
  }

  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(LongExpressions, EightThousandTermsOfOrAndXorAnswer) {
  using V = std::vector<std::string>;
  const std::string head = "MATCH (c:Company) WHERE ";
  const std::string tail = " RETURN c.name ORDER BY c.name";
  Result<Answer> a = Run(head + Chain("c.name = 'nobody'", "OR", 8000, "c.name = 'Oracle'") + tail);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(Column(*a, 0), (V{"Oracle"}));
  a = Run(head + Chain("c.name <> 'nobody'", "AND", 8000, "c.name <> 'Oracle'") + tail);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(Column(*a, 0), (V{"Microsoft", "Red Hat"}));
  // An odd number of true terms is true; an even number false.
  a = Run(head + Chain("c.name = 'Oracle'", "XOR", 7999, "c.name = 'Oracle'") + tail);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(Column(*a, 0), (V{"Oracle"}));
  a = Run(head + Chain("c.name = 'Oracle'", "XOR", 8000, "c.name = 'Oracle'") + tail);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->rows.empty());
  // In RETURN and in ORDER BY.
  a = Run("MATCH (c:Company) RETURN c.name, " + Chain("c.name = 'nobody'", "OR", 8000, "c.name = 'Red Hat'") +
          " AS t ORDER BY c.name");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(Column(*a, 1), (V{"false", "false", "true"}));
  a = Run("MATCH (c:Company) RETURN c.name ORDER BY " + Chain("c.name <> 'nobody'", "AND", 8000, "c.name <> 'Microsoft'") +
          ", c.name DESC");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(Column(*a, 0), (V{"Microsoft", "Red Hat", "Oracle"}));  // false before true
}

TEST_F(LongExpressions, EightThousandTermsNestedToTheLeftAreAPositionedError) {
  for (const std::string& q : {"MATCH (c:Company) WHERE " + Chain("c.name", "=", 8000, "c.name") + " RETURN c.name",
                               "MATCH (c:Company) RETURN " + Chain("1", "=", 8000, "1"),
                               "MATCH (c:Company) RETURN c.name ORDER BY " + Chain("c.name", "=", 8000, "c.name")}) {
    Result<Answer> a = Run(q);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(a.status().location().line, 1u);
    EXPECT_GT(a.status().location().column, 20u);
    EXPECT_NE(a.status().message().find("nested too deeply"), std::string::npos) << a.status().message().substr(0, 200);
  }
}

}  // namespace
}  // namespace pactgraph::query

namespace pactgraph::query {
namespace {

// Queries that would hold more than their memory budget: 2,000 companies with names long
// enough to live on the heap, each partner of the next three.
class MemoryBudgetTest : public ::testing::Test {
 protected:
  static constexpr int kCompanies = 2000;
  void SetUp() override {
    std::string facts = "{\"kind\":\"document\",\"key\":\"d\",\"type\":\"article\",\"title\":\"t\",\"date\":\"2010-01-01\"}\n";
    for (int i = 0; i < kCompanies; ++i) {
      facts += "{\"kind\":\"entity\",\"name\":\"" + Name(i) + "\",\"type\":\"Company\"}\n";
    }
    for (int i = 0; i < kCompanies; ++i) {
      for (int k = 1; k <= 3; ++k) {
        facts += "{\"kind\":\"relation\",\"type\":\"PARTNERS_WITH\",\"subject\":\"" + Name(i) + "\",\"object\":\"" +
                 Name((i + k) % kCompanies) + "\",\"source\":{\"doc\":\"d\",\"sentence\":1}}\n";
      }
    }
    pactgraph::testing::WriteFile(dir_.File("f.jsonl"), facts);
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    ingest::JsonlImportOptions io;
    io.session.sync = false;
    ASSERT_TRUE(ingest::ImportJsonlFile(*store_, dir_.File("f.jsonl"), io).ok());
  }
  static std::string Name(int i) { return "Company number " + std::to_string(10000 + i) + " of the memory budget test"; }

  Result<Answer> Run(const std::string& q, uint64_t memory, uint64_t max_rows = 1000) {
    Limits limits;
    limits.max_memory_bytes = memory;
    limits.max_rows = max_rows;
    Engine engine(*store_, limits);
    PG_ASSIGN_OR_RETURN(std::vector<Answer> a, engine.Run(q));
    return a.front();
  }
  static std::string Keys(int n) {
    std::string keys;
    for (int i = 0; i < n; ++i) keys += (i ? ", " : "") + std::string("c.name");
    return keys;
  }

  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(MemoryBudgetTest, OrderByManyKeysPastTheBudgetIsResourceExhausted) {
  Result<Answer> a = Run("MATCH (c:Company) RETURN c.name ORDER BY " + Keys(100), 1 << 20);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(a.status().message(),
            "the query needs more than 1 MB of memory for the rows ORDER BY sorts; narrow it or raise --max-query-memory");
  // The same under the default budget answers.
  a = Run("MATCH (c:Company) RETURN c.name ORDER BY " + Keys(100) + " LIMIT 2", Limits().max_memory_bytes);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->rows.size(), 2u);
  EXPECT_EQ(a->rows[0][0].ToString(), Name(0));
  EXPECT_EQ(a->rows[1][0].ToString(), Name(1));
}

TEST_F(MemoryBudgetTest, ACrossProductPastTheBudgetIsResourceExhaustedWhereverItAccumulates) {
  const struct {
    std::string query;
    std::string what;
  } cases[] = {
      {"MATCH (a:Company), (b:Company) RETURN a.name, b.name ORDER BY b.name, a.name", "the rows ORDER BY sorts"},
      {"MATCH (a:Company), (b:Company) RETURN DISTINCT a.name, b.name SKIP 9000000", "the rows DISTINCT has seen"},
      {"MATCH (a:Company), (b:Company) RETURN a.name, b.name, count(*)", "the groups count() counts"},
      {"MATCH (a:Company), (b:Company) RETURN a.name, count(DISTINCT b.name)", "the distinct values count(DISTINCT ...) counts"},
      {"MATCH (a:Company {name: '" + Name(0) + "'})-[:PARTNERS_WITH*1..7]-(b) RETURN b.name",
       "the paths the pattern has still to walk"},
      {"MATCH (a:Company), (b:Company) RETURN a.name, b.name", "the rows of its answer"},
  };
  for (const auto& c : cases) {
    Result<Answer> a = Run(c.query, 1 << 20, 1'000'000'000);
    ASSERT_FALSE(a.ok()) << c.query;
    EXPECT_EQ(a.status().code(), StatusCode::kResourceExhausted) << c.query;
    EXPECT_EQ(a.status().message(), "the query needs more than 1 MB of memory for " + c.what +
                                        "; narrow it or raise --max-query-memory")
        << c.query;
  }
}

TEST_F(MemoryBudgetTest, OrdinaryQueriesAnswerUnderTheDefaultBudget) {
  for (const std::string& q : {std::string("MATCH (c:Company) RETURN c.name ORDER BY c.name DESC LIMIT 3"),
                               std::string("MATCH (a:Company)-[:PARTNERS_WITH]-(b) RETURN a.name, count(*) ORDER BY a.name LIMIT 3"),
                               "MATCH (a:Company {name: '" + Name(0) + "'})-[:PARTNERS_WITH*1..3]-(b) RETURN DISTINCT b.name",
                               "SHOW '" + Name(5) + "'"}) {
    Result<Answer> a = Run(q, Limits().max_memory_bytes);
    ASSERT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    EXPECT_FALSE(a->rows.empty()) << q;
  }
}

// A question reads its relations as the answer asks for them (as MATCH's pattern walk does for
// the questions it plans): a LIMIT over an entity with thousands of relations neither holds
// them all at once nor waits for them.
TEST(QuestionsOverAHub, AQuestionWithALimitHoldsOnlyTheRelationsItReturns) {
  pactgraph::testing::TempDir dir;
  constexpr int kProducts = 3000;
  std::string facts = "{\"kind\":\"document\",\"key\":\"d\",\"type\":\"article\",\"title\":\"t\",\"date\":\"2010-01-01\"}\n";
  facts += "{\"kind\":\"entity\",\"name\":\"The Hub\",\"type\":\"Product\"}\n";
  for (int i = 0; i < kProducts; ++i) {
    const std::string name = "Product number " + std::to_string(10000 + i);
    facts += "{\"kind\":\"entity\",\"name\":\"" + name + "\",\"type\":\"Product\"}\n";
    facts += "{\"kind\":\"relation\",\"type\":\"RUNS_ON\",\"subject\":\"" + name +
             "\",\"object\":\"The Hub\",\"source\":{\"doc\":\"d\",\"sentence\":1}}\n";
  }
  pactgraph::testing::WriteFile(dir.File("f.jsonl"), facts);
  storage::StoreOptions so;
  so.create_if_missing = true;
  auto store = std::move(storage::Store::Open(dir.File("db"), so)).value();
  ingest::JsonlImportOptions io;
  io.session.sync = false;
  ASSERT_TRUE(ingest::ImportJsonlFile(*store, dir.File("f.jsonl"), io).ok());
  // 3,000 relations held at once need several hundred KB; the first two, a few.
  Limits limits;
  limits.max_memory_bytes = 128 << 10;
  Engine engine(*store, limits);
  for (const char* q : {"WHAT RUNS ON \"The Hub\" LIMIT 2", "WHAT RUNS ON \"The Hub\" AS OF 2011-01-01 LIMIT 2"}) {
    Result<std::vector<Answer>> a = engine.Run(q);
    ASSERT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    ASSERT_EQ(a->front().rows.size(), 2u) << q;
    EXPECT_EQ(a->front().rows[0][1].ToString(), "The Hub");
  }
  // Without the LIMIT the answer itself is past the budget, and says so.
  Result<std::vector<Answer>> all = engine.Run("WHAT RUNS ON \"The Hub\"");
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace pactgraph::query
