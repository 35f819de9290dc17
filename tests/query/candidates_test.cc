// Candidates: a fact whose best source's confidence is below the threshold is stored like any
// other, left out of answers unless asked for (WITH CANDIDATES, Limits::candidates), and
// marked when it is in one; a second, surer source lifts it out.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "ingest/jsonl.h"
#include "query/engine.h"
#include "query/format.h"
#include "query/parser.h"
#include "tests/testing.h"

namespace pactgraph::query {
namespace {

using Names = std::set<std::string>;

// Quillfeather makes the Inkwell tablet (surely) and the Nib pen (by a weak rule, 0.3); Nib
// runs on Slate OS, which Driftwood makes (a hand-made fact, no confidence: 1.0).
constexpr const char* kFacts = R"({"kind":"document","key":"quill-2031","title":"Quillfeather ships Inkwell","date":"2031-04-01","text":"Quillfeather ships Inkwell. Nib is shown beside Quillfeather."}
{"kind":"entity","name":"Quillfeather","type":"Company"}
{"kind":"entity","name":"Driftwood","type":"Company"}
{"kind":"entity","name":"Inkwell","type":"Product"}
{"kind":"entity","name":"Nib","type":"Product"}
{"kind":"entity","name":"Slate OS","type":"Product"}
{"kind":"relation","type":"DEVELOPS","subject":"Quillfeather","object":"Inkwell","source":{"doc":"quill-2031","sentence":1,"extractor":"verb-develops","confidence":0.9,"evidence":"Quillfeather ships Inkwell."}}
{"kind":"relation","type":"DEVELOPS","subject":"Quillfeather","object":"Nib","source":{"doc":"quill-2031","sentence":2,"extractor":"gazetteer-maker","confidence":0.3,"evidence":"Nib is shown beside Quillfeather."}}
{"kind":"relation","type":"RUNS_ON","subject":"Nib","object":"Slate OS"}
{"kind":"relation","type":"DEVELOPS","subject":"Driftwood","object":"Slate OS"}
)";

class Candidates : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    Import(kFacts, "quill.facts.jsonl");
  }

  void Import(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    Result<ingest::JsonlImportReport> r = ingest::ImportJsonlStream(*store_, in, name, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  Answer Run(Engine& engine, const std::string& q) {
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    return a.ok() && !a->empty() ? a->front() : Answer{};
  }
  Answer Run(const std::string& q, Limits limits = {}) {
    Engine engine(*store_, limits);
    return Run(engine, q);
  }
  static Names Column(const Answer& a, const std::string& column) {
    Names out;
    for (size_t c = 0; c < a.columns.size(); ++c) {
      if (a.columns[c] != column) continue;
      for (const auto& row : a.rows) out.insert(row[c].ToString());
    }
    return out;
  }
  // The rows marked as resting on a candidate, by the value of `column`.
  static Names Marked(const Answer& a, const std::string& column) {
    Names out;
    for (size_t c = 0; c < a.columns.size(); ++c) {
      if (a.columns[c] != column) continue;
      for (size_t r = 0; r < a.rows.size(); ++r) {
        if (a.candidate.at(r)) out.insert(a.rows[r][c].ToString());
      }
    }
    return out;
  }

  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(Candidates, AQuestionLeavesACandidateOutAndSaysSo) {
  Answer a = Run("WHAT DOES Quillfeather DEVELOP");
  EXPECT_EQ(Column(a, "object"), (Names{"Inkwell"}));
  EXPECT_FALSE(a.with_candidates);
  EXPECT_NE(a.notice.find("1 candidate fact (confidence below 0.5) left out; WITH CANDIDATES shows it"), std::string::npos)
      << a.notice;
}

TEST_F(Candidates, WithCandidatesAnswersWithThemMarkedAndTheirConfidence) {
  Answer a = Run("WHAT DOES Quillfeather DEVELOP WITH CANDIDATES");
  EXPECT_EQ(Column(a, "object"), (Names{"Inkwell", "Nib"}));
  EXPECT_TRUE(a.with_candidates);
  ASSERT_EQ(a.candidate.size(), a.rows.size());
  EXPECT_EQ(Marked(a, "object"), (Names{"Nib"}));
  EXPECT_EQ(a.notice.find("left out"), std::string::npos);
  for (size_t r = 0; r < a.rows.size(); ++r) {
    ASSERT_EQ(a.evidence[r].size(), 1u);
    const Evidence& e = a.evidence[r][0];
    if (a.rows[r][1].ToString() == "Nib") {
      EXPECT_FLOAT_EQ(e.confidence, 0.3f);
      EXPECT_EQ(e.rule, "gazetteer-maker");
      EXPECT_TRUE(e.below_threshold);
      EXPECT_EQ(e.text, "Nib is shown beside Quillfeather.");
      EXPECT_NE(EvidenceLine(e).find("rule gazetteer-maker, confidence 0.3"), std::string::npos) << EvidenceLine(e);
    } else {
      EXPECT_FALSE(e.below_threshold);
      EXPECT_EQ(EvidenceLine(e).find("confidence"), std::string::npos) << EvidenceLine(e);
    }
  }
  // The engine's option asks for them as the clause does.
  Limits with;
  with.candidates = true;
  EXPECT_EQ(Marked(Run("WHAT DOES Quillfeather DEVELOP", with), "object"), (Names{"Nib"}));
}

TEST_F(Candidates, MatchLeavesCandidatesOutOfEveryHop) {
  const std::string q = "MATCH (c:Company)-[:DEVELOPS]->(p:Product) RETURN p.name AS product";
  EXPECT_EQ(Column(Run(q), "product"), (Names{"Inkwell", "Slate OS"}));
  Answer with = Run(q + " WITH CANDIDATES");
  EXPECT_EQ(Column(with, "product"), (Names{"Inkwell", "Nib", "Slate OS"}));
  EXPECT_EQ(Marked(with, "product"), (Names{"Nib"}));
  // A longer pattern does not walk through a candidate either.
  const std::string chain = "MATCH (c:Company)-[:DEVELOPS]->(p)-[:RUNS_ON]->(os) RETURN c.name AS maker";
  EXPECT_TRUE(Run(chain).rows.empty());
  EXPECT_EQ(Column(Run(chain + " WITH CANDIDATES"), "maker"), (Names{"Quillfeather"}));
  const std::string trail = "MATCH (a {name: 'Quillfeather'})-[*1..3]-(b {name: 'Driftwood'}) RETURN b.name AS other";
  EXPECT_TRUE(Run(trail).rows.empty());
  EXPECT_EQ(Column(Run(trail + " WITH CANDIDATES"), "other"), (Names{"Driftwood"}));
}

TEST_F(Candidates, CountsPerEntityFromTheDegreeListCountNoCandidate) {
  // Planned from the graph projection's degree list: it must leave the candidate out too.
  const std::string q = "MATCH (c:Company)-[:DEVELOPS]->(:Product) RETURN c.name AS company, count(*) AS n ORDER BY company";
  Engine engine(*store_);
  Answer a = Run(engine, q);
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_EQ(a.rows[0][0].ToString(), "Driftwood");
  EXPECT_EQ(a.rows[1][0].ToString(), "Quillfeather");
  EXPECT_EQ(a.rows[1][1].number, 1);
  Answer with = Run(engine, q + " WITH CANDIDATES");
  ASSERT_EQ(with.rows.size(), 2u);
  EXPECT_EQ(with.rows[1][1].number, 2);
  // And the same engine, asked again without, has not kept the wider projection.
  EXPECT_EQ(Run(engine, q).rows[1][1].number, 1);
}

TEST_F(Candidates, PathsAndRanksGoAroundCandidates) {
  Engine engine(*store_);
  Answer none = Run(engine, "PATH Quillfeather TO Driftwood");
  EXPECT_TRUE(none.rows.empty());
  Answer path = Run(engine, "PATH Quillfeather TO Driftwood WITH CANDIDATES");
  ASSERT_EQ(path.rows.size(), 3u);
  ASSERT_EQ(path.candidate.size(), 3u);
  EXPECT_TRUE(path.candidate[0]);  // Quillfeather DEVELOPS Nib
  EXPECT_FALSE(path.candidate[1]);
  EXPECT_TRUE(Run(engine, "PATH Quillfeather TO Driftwood").rows.empty());
  Answer rank = Run(engine, "RANK Company BY DEGREE");
  std::map<std::string, std::string> degree;
  for (const auto& row : rank.rows) degree[row[1].ToString()] = row[2].ToString();
  EXPECT_EQ(degree["Quillfeather"], "1");
  Answer rank_all = Run(engine, "RANK Company BY DEGREE WITH CANDIDATES");
  degree.clear();
  for (const auto& row : rank_all.rows) degree[row[1].ToString()] = row[2].ToString();
  EXPECT_EQ(degree["Quillfeather"], "2");
}

TEST_F(Candidates, ASecondSurerSourceLiftsACandidateOut) {
  Engine engine(*store_);
  EXPECT_EQ(Column(Run(engine, "WHAT DOES Quillfeather DEVELOP"), "object"), (Names{"Inkwell"}));
  Import(R"({"kind":"document","key":"quill-review-2031","title":"Nib reviewed","date":"2031-05-01","text":"Quillfeather's Nib writes well."}
{"kind":"relation","type":"DEVELOPS","subject":"Quillfeather","object":"Nib","source":{"doc":"quill-review-2031","sentence":1,"extractor":"possessive-product","confidence":0.7}}
)",
         "review.facts.jsonl");
  Answer a = Run(engine, "WHAT DOES Quillfeather DEVELOP");
  EXPECT_EQ(Column(a, "object"), (Names{"Inkwell", "Nib"}));
  EXPECT_EQ(a.notice.find("left out"), std::string::npos);
  // Both sources are kept: the weak one is still evidence, marked as below the threshold.
  for (size_t r = 0; r < a.rows.size(); ++r) {
    if (a.rows[r][1].ToString() != "Nib") continue;
    ASSERT_EQ(a.evidence[r].size(), 2u);
    int weak = 0;
    for (const Evidence& e : a.evidence[r]) weak += e.below_threshold;
    EXPECT_EQ(weak, 1);
  }
  // The projection the engine keeps is rebuilt: the path now goes through Nib.
  EXPECT_EQ(Run(engine, "PATH Quillfeather TO Driftwood").rows.size(), 3u);
  // The store stays consistent.
  Result<storage::CheckReport> check = store_->Check();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok());
}

TEST_F(Candidates, TheThresholdIsTheEnginesAndComparedAsTheConfidenceIsStored) {
  Limits low;
  low.min_confidence = 0.3;  // the candidate's own confidence: at the threshold is not below it
  EXPECT_EQ(Column(Run("WHAT DOES Quillfeather DEVELOP", low), "object"), (Names{"Inkwell", "Nib"}));
  Limits none;
  none.min_confidence = 0;
  Answer a = Run("WHAT DOES Quillfeather DEVELOP", none);
  EXPECT_EQ(Column(a, "object"), (Names{"Inkwell", "Nib"}));
  Limits high;
  high.min_confidence = 0.9;  // 0.9 stored as a float is kept at 0.9
  EXPECT_EQ(Column(Run("WHAT DOES Quillfeather DEVELOP", high), "object"), (Names{"Inkwell"}));
  high.min_confidence = 0.95;
  EXPECT_TRUE(Run("WHAT DOES Quillfeather DEVELOP", high).rows.empty());
  // Hand-made facts (no confidence given) are 1.0: never candidates.
  high.min_confidence = 1;
  EXPECT_EQ(Column(Run("WHO DEVELOPS \"Slate OS\"", high), "subject"), (Names{"Driftwood"}));
}

TEST_F(Candidates, AnswersSayWhichRowsAreCandidatesInEveryFormat) {
  Answer a = Run("WHAT DOES Quillfeather DEVELOP WITH CANDIDATES");
  FormatOptions fo;
  fo.timing = false;
  std::ostringstream table;
  Write(a, fo, table);
  EXPECT_NE(table.str().find("candidate"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("1 resting on a candidate below confidence 0.5"), std::string::npos) << table.str();
  fo.format = Format::kJson;
  std::ostringstream json;
  Write(a, fo, json);
  EXPECT_NE(json.str().find("\"candidate\":true"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"confidence\":0.3"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"with_candidates\":true"), std::string::npos) << json.str();
  fo.format = Format::kCsv;
  std::ostringstream csv;
  Write(a, fo, csv);
  EXPECT_NE(csv.str().find(",candidate,evidence"), std::string::npos) << csv.str();
}

// A MATCH over many relations reads every source once (the engine's candidate set) instead of
// relation by relation; the answer must be the same.
TEST_F(Candidates, AMatchOverManyRelationsAgreesWithLookupsOneByOne) {
  std::string facts = "{\"kind\":\"document\",\"key\":\"catalogue-2032\",\"title\":\"Catalogue\"}\n"
                      "{\"kind\":\"entity\",\"name\":\"Copperleaf\",\"type\":\"Company\"}\n";
  constexpr int kProducts = 6000;
  for (int i = 0; i < kProducts; ++i) {
    const std::string p = "Leaf " + std::to_string(i);
    facts += "{\"kind\":\"entity\",\"name\":\"" + p + "\",\"type\":\"Product\"}\n";
    facts += "{\"kind\":\"relation\",\"type\":\"DEVELOPS\",\"subject\":\"Copperleaf\",\"object\":\"" + p +
             "\",\"source\":{\"doc\":\"catalogue-2032\",\"confidence\":" + (i % 3 == 0 ? "0.2" : "0.8") + "}}\n";
  }
  Import(facts, "catalogue.facts.jsonl");
  const std::string q = "MATCH (c {name: 'Copperleaf'})-[r:DEVELOPS]->(p) RETURN p.name AS product, r.id AS id";
  Limits limits;
  limits.max_rows = 100000;
  Engine engine(*store_, limits);
  Answer a = Run(engine, q);
  EXPECT_EQ(a.rows.size(), static_cast<size_t>(kProducts - kProducts / 3));
  Answer with = Run(engine, q + " WITH CANDIDATES");
  ASSERT_EQ(with.rows.size(), static_cast<size_t>(kProducts));
  size_t marked = 0;
  for (size_t r = 0; r < with.rows.size(); ++r) {
    const int i = std::stoi(with.rows[r][0].ToString().substr(5));
    EXPECT_EQ(with.candidate[r], i % 3 == 0) << with.rows[r][0].ToString();
    marked += with.candidate[r];
  }
  EXPECT_EQ(marked, static_cast<size_t>(kProducts / 3));
  // The small facts of the fixture keep their answers beside the many.
  EXPECT_EQ(Column(Run(engine, "WHAT DOES Quillfeather DEVELOP"), "object"), (Names{"Inkwell"}));
}

TEST(CandidatesSyntax, WithCandidatesEndsAStatementInAnyOrderOnce) {
  auto tree = [](std::string_view text) {
    ParseOutcome p = Parse(text, Schema::Default());
    return p.error ? "error: " + p.error->message : ToString(p.statements.at(0));
  };
  EXPECT_EQ(tree("WHAT DOES Quillfeather DEVELOP WITH CANDIDATES"),
            "(question objects DEVELOPS (name \"Quillfeather\")) (with-candidates)");
  EXPECT_EQ(tree("WHO SUPPORTS RHEL WITH CANDIDATES AS OF 2020-01-01 LIMIT 3"),
            "(question subjects SUPPORTS (name \"RHEL\")) (as-of 2020-01-01) (limit 3) (with-candidates)");
  EXPECT_EQ(tree("WHO PARTNERS WITH Red Hat LIMIT 2 with candidates"),
            "(question subjects PARTNERS_WITH (name \"Red Hat\")) (limit 2) (with-candidates)");
  EXPECT_EQ(tree("PATH A TO B WITH CANDIDATES"), "(path (name \"A\") (name \"B\") (max 6)) (with-candidates)");
  EXPECT_NE(tree("MATCH (a)-[r]->(b) RETURN a.name WITH CANDIDATES").find("(with-candidates)"), std::string::npos);
  EXPECT_NE(tree("SHOW Nib WITH CANDIDATES WITH CANDIDATES").find("one WITH CANDIDATES"), std::string::npos);
  // A quoted "candidates" is a name, not the option.
  EXPECT_EQ(tree("WHO INTEROPERATES WITH \"candidates\"").find("with-candidates"), std::string::npos);
}

TEST(CandidatesSyntax, TheThresholdIsANumberFromZeroToOne) {
  EXPECT_DOUBLE_EQ(ParseMinConfidence("0.5").value(), 0.5);
  EXPECT_DOUBLE_EQ(ParseMinConfidence("1").value(), 1.0);
  EXPECT_DOUBLE_EQ(ParseMinConfidence("0").value(), 0.0);
  for (const char* bad : {"", "1.5", "-0.1", "nan", "inf", "half", "0.5x", " 0.5"}) {
    Result<double> r = ParseMinConfidence(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("from 0 to 1"), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace pactgraph::query
