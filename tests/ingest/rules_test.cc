// Relation rules as data: the shipped file loads against the schema, every rule reads its own
// example, errors in a rule file say where and change nothing, and what a rule reads in a frame
// (doer, thing, slots, marks, status) in each voice.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/extract.h"
#include "ingest/extract/rules.h"
#include "ingest/gazetteer.h"
#include "ingest/parse.h"

namespace pactgraph::ingest {
namespace {

class RulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<SentenceParser>> p = SentenceParser::Create();
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    parser_ = std::move(*p);
  }
  static void TearDownTestSuite() { parser_.reset(); }

  static RuleSet Shipped() {
    Result<RuleSet> r = RuleSet::Shipped(Schema::Default());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : RuleSet();
  }

  // Every match of `rules` in the parsed `sentence`, as "rule: subj -> obj [slot=...]" lines.
  static std::vector<std::string> Read(const RuleSet& rules, const std::string& sentence) {
    const SentenceParse p = parser_->Parse(sentence);
    EXPECT_TRUE(p.parsed()) << sentence;
    std::vector<std::string> out;
    auto text = [&](const std::vector<TextSpan>& spans) {
      std::string s;
      for (const TextSpan& t : spans) s += (s.empty() ? "" : "|") + sentence.substr(t.begin, t.end - t.begin);
      return s;
    };
    for (const Frame& f : FramesOf(p)) {
      for (const RuleMatch& m : rules.Match(f, sentence)) {
        std::string line = m.rule->name + ": " + (m.subject_from_announcers ? "(announcers)" : text(m.subjects)) + " -> " +
                           (m.subjects_pair_up ? "(each other)" : text(m.objects));
        for (const auto& [slot, spans] : m.node_slots) line += " " + slot + "=" + text(spans);
        for (const auto& [slot, value] : m.literal_slots) line += " " + slot + "=" + value;
        out.push_back(line);
      }
    }
    if (out.empty()) out.push_back(FormatParse(p));
    return out;
  }

  static inline std::unique_ptr<SentenceParser> parser_;
};

bool Has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST_F(RulesTest, TheShippedRulesLoadAgainstTheDefaultSchemaAndEachReadsItsOwnExample) {
  const RuleSet rules = Shipped();
  ASSERT_GE(rules.rules().size(), 10u);
  // The examples' names, typed as the golden tests type them.
  Result<Gazetteer> names = Gazetteer::Load({std::string(PG_DATASETS_DIR) + "/../tests/extract/names.jsonl"});
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  ExtractOptions o;
  o.rules = &rules;
  o.parser = parser_.get();
  o.gazetteer = &*names;
  for (const RelationRule& r : rules.rules()) {
    ASSERT_FALSE(r.example.empty()) << r.name << " has no example";
    Article a;
    a.title = "A note";
    a.body = r.example;
    Result<Extraction> x = Extract(a, o);
    ASSERT_TRUE(x.ok()) << x.status().ToString();
    bool found = false;
    for (const ExtractedRelation& rel : x->relations) found = found || (rel.source.rule == r.name && rel.type == r.relation);
    EXPECT_TRUE(found) << r.name << " does not read its example \"" << r.example << "\"; the extractor gave:\n" << ToJsonl(a, *x);
  }
}

TEST_F(RulesTest, AnActiveClauseGivesDoerThingPlatformAndTheGuestMark) {
  EXPECT_TRUE(Has(Read(Shipped(), "Fjordsoft will support Quill OS guests on the Vega hypervisor."),
                  "support: Fjordsoft -> Quill OS guests on=Vega hypervisor as=guest status=planned"))
      << ::testing::PrintToString(Read(Shipped(), "Fjordsoft will support Quill OS guests on the Vega hypervisor."));
}

TEST_F(RulesTest, APassiveReadsItsByPhraseAsTheDoer) {
  const auto read = Read(Shipped(), "Quill OS is supported on Vega by Fjordsoft.");
  EXPECT_TRUE(Has(read, "support: Fjordsoft -> Quill OS on=Vega")) << ::testing::PrintToString(read);
}

TEST_F(RulesTest, AnAgentlessPassiveFallsToTheAnnouncers) {
  const auto read = Read(Shipped(), "Quill OS will be supported on Vega.");
  EXPECT_TRUE(Has(read, "support: (announcers) -> Quill OS on=Vega status=planned")) << ::testing::PrintToString(read);
}

TEST_F(RulesTest, AClauseUnderMayGivesNothing) {
  const RuleSet rules = Shipped();
  const char* s = "Fjordsoft may support Quill OS on Vega.";
  const SentenceParse p = parser_->Parse(s);
  ASSERT_TRUE(p.parsed()) << s;
  for (const Frame& f : FramesOf(p)) EXPECT_TRUE(rules.Match(f, s).empty()) << s;
}

// A negated clause states a denial, never the fact: its match carries status=denied.
TEST_F(RulesTest, ANegatedClauseGivesADenial) {
  const RuleSet rules = Shipped();
  const char* s = "Fjordsoft will not support Quill OS on Vega.";
  const SentenceParse p = parser_->Parse(s);
  ASSERT_TRUE(p.parsed()) << s;
  size_t matches = 0;
  for (const Frame& f : FramesOf(p)) {
    for (const RuleMatch& m : rules.Match(f, s)) {
      ++matches;
      EXPECT_EQ(m.literal_slots.count("status") ? m.literal_slots.at("status") : "", "denied") << m.rule->name;
    }
  }
  EXPECT_GT(matches, 0u);
}

TEST_F(RulesTest, ASubjectListPairsUpForARuleOfOnePlace) {
  const auto read = Read(Shipped(), "Fjordsoft and Brightwave Labs teamed up in March.");
  EXPECT_TRUE(Has(read, "partner-together: Fjordsoft|Brightwave Labs -> (each other)")) << ::testing::PrintToString(read);
}

TEST_F(RulesTest, ANounReadsItsPossessorAndPrepositions) {
  const auto read = Read(Shipped(), "Fjordsoft's acquisition of Brightwave Labs closed in May.");
  EXPECT_TRUE(Has(read, "acquire: Fjordsoft -> Brightwave Labs")) << ::testing::PrintToString(read);
}

TEST_F(RulesTest, ErrorsInARuleFileSayFileLineAndWhy) {
  const Schema schema = Schema::Default();
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"rule a\n  relation INTEGRATES_WITH\n  verbs integrate\n", "mine.rules:2: unknown relation type \"INTEGRATES_WITH\""},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  slot title on\n", "mine.rules:4: SUPPORTS has no qualifier slot \"title\""},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  subject subject : Product\n", "mine.rules:4: SUPPORTS does not take a Product as its subject"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  colour blue\n", "mine.rules:4: unknown key \"colour\""},
      {"rule a\n  relation SUPPORTS\n", "mine.rules:1: rule \"a\" has neither verbs nor nouns"},
      {"rule a\n  relation SUPPORTS\n  verbs support\nrule a\n", "mine.rules:4: rule \"a\" is defined twice"},
      {"  verbs support\n", "mine.rules:1: \"verbs\" before the first \"rule NAME\" line"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  confidence 1.5\n", "mine.rules:4: a confidence is a number above 0 and at most 1"},
      {"rule a\n  relation SUPPORTS\n  relation RUNS_ON\n", "mine.rules:3: \"relation\" is given twice"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  subject subjet : Company\n", "mine.rules:4: \"subjet\": a role comes from subject, object or a preposition"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  slot on onn\n", "mine.rules:4: \"onn\" is not a preposition the extractor reads"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  mark on vega=Vega\n", "mine.rules:4: \"on\" holds a name, not a value"},
      {"rule a\n  relation SUPPORTS\n  verbs support ship support\n", "mine.rules:3: \"support\" is listed twice"},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  unless\n", "mine.rules:4: an unless line is \"unless PREPOSITION...\""},
      {"rule a\n  relation SUPPORTS\n  verbs support\n  unless On\n", "mine.rules:4: \"On\" is not a preposition in lower case"},
  };
  for (const Case& c : cases) {
    Result<RuleSet> r = RuleSet::Parse(c.text, "mine.rules", schema);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
  }
}

TEST_F(RulesTest, AByteOrderMarkCrlfAndAHashInAnExampleAreRead) {
  Result<RuleSet> r = RuleSet::Parse("\xEF\xBB\xBFrule a\r\n  relation SUPPORTS\r\n  verbs support\r\n  example Acme supports C# tools.\r\n",
                                     "mine.rules", Schema::Default());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rules().size(), 1u);
  EXPECT_EQ(r->rules()[0].example, "Acme supports C# tools.");
}

TEST_F(RulesTest, ARelationTypeAddedToTheSchemaCanBeRuledOnAndAUserRuleReplacesAShippedOne) {
  const Schema base = Schema::Default();
  Result<Schema> schema = Schema::FromJson(
      R"({"relation_types":[{"name":"INTEGRATES_WITH","subject":["Product"],"object":["Product"],"symmetric":true,"verb":"integrates with"}]})",
      &base);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  Result<RuleSet> shipped = RuleSet::Shipped(*schema);
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  RuleSet rules = std::move(*shipped);
  Result<RuleSet> mine = RuleSet::Parse("rule interoperate\n  relation INTEGRATES_WITH\n  verbs integrate\n  subject subject object : Product\n  object with : Product\n",
                                        "mine.rules", *schema);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  rules.Extend(*mine);
  const auto read = Read(rules, "Quill OS will be integrated with Lumen DB.");
  EXPECT_TRUE(Has(read, "interoperate: Quill OS -> Lumen DB status=planned")) << ::testing::PrintToString(read);
  const auto mine_rule = std::find_if(rules.rules().begin(), rules.rules().end(), [](const RelationRule& r) { return r.name == "interoperate"; });
  ASSERT_NE(mine_rule, rules.rules().end());
  EXPECT_EQ(mine_rule->relation, "INTEGRATES_WITH");
  EXPECT_TRUE(mine_rule->symmetric);
  EXPECT_EQ(std::count_if(rules.rules().begin(), rules.rules().end(), [](const RelationRule& r) { return r.name == "interoperate"; }), 1);
}

}  // namespace
}  // namespace pactgraph::ingest
