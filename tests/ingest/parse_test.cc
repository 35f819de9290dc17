// The parse stage on press-release sentences written for these tests: who does what to what, with
// which prepositions, in which voice, negated or not, under which modal; and the fallbacks.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "ingest/parse.h"

namespace pactgraph::ingest {
namespace {

class ParseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<SentenceParser>> p = SentenceParser::Create();
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    parser_ = std::move(*p);
  }
  static void TearDownTestSuite() { parser_.reset(); }

  // Parses `sentence`, which must parse.
  static SentenceParse MustParse(std::string_view sentence) {
    SentenceParse p = parser_->Parse(sentence);
    EXPECT_TRUE(p.parsed()) << sentence << ": " << FallbackName(p.fallback) << " " << p.why;
    return p;
  }

  static inline std::unique_ptr<SentenceParser> parser_;  // loaded once for the suite
};

std::vector<std::string> Texts(const std::vector<Phrase>& phrases) {
  std::vector<std::string> texts;
  for (const Phrase& p : phrases) texts.push_back(p.text);
  return texts;
}

// The clause (not nominal) of verb `lemma`; fails the test when there is none.
const Clause& VerbClause(const SentenceParse& p, std::string_view lemma, bool nominal = false) {
  for (const Clause& c : p.clauses) {
    if (c.lemma == lemma && c.nominal == nominal) return c;
  }
  ADD_FAILURE() << "no clause of \"" << lemma << "\" in:\n" << FormatParse(p);
  static const Clause kNone;
  return kNone;
}

// The objects of the clause's preposition `prep` (attached to its verb, unless to_object).
std::vector<std::string> Prep(const Clause& c, std::string_view prep, bool to_object = false) {
  for (const Attachment& a : c.attachments) {
    if (a.prep == prep && a.to_object == to_object) return Texts(a.objects);
  }
  return {};
}

using Names = std::vector<std::string>;

TEST_F(ParseTest, ActiveClausePrintsAsOneGoldenLine) {
  SentenceParse p = MustParse("Fjordsoft will support Quill Enterprise Linux guests on Lumen Server Hyper-V.");
  EXPECT_EQ(FormatParse(p),
            "clause: subj=\"Fjordsoft\" verb=support(active, modal=will) obj=\"Quill Enterprise Linux guests\" "
            "on=\"Lumen Server Hyper-V\"\n"
            "nominal: noun=guests on=\"Lumen Server Hyper-V\"\n");
}

TEST_F(ParseTest, ActiveSupportTakesOnAndAs) {
  SentenceParse p = MustParse("Acme Corp supports Quill OS as a guest on Lumen Cloud.");
  const Clause& c = VerbClause(p, "support");
  EXPECT_EQ(Texts(c.subjects), Names{"Acme Corp"});
  EXPECT_FALSE(c.passive);
  EXPECT_FALSE(c.negated);
  EXPECT_EQ(c.modality, "");
  EXPECT_EQ(Texts(c.objects), Names{"Quill OS"});
  EXPECT_EQ(Prep(c, "as"), Names{"guest"});
  EXPECT_EQ(Prep(c, "on"), Names{"Lumen Cloud"});
}

TEST_F(ParseTest, PassiveHasTheAgentAsItsByAttachment) {
  SentenceParse p = MustParse("Lumen DB is supported on Quill OS by Acme.");
  const Clause& c = VerbClause(p, "support");
  EXPECT_TRUE(c.passive);
  EXPECT_EQ(Texts(c.subjects), Names{"Lumen DB"});
  EXPECT_TRUE(c.objects.empty());
  EXPECT_EQ(Prep(c, "on"), Names{"Quill OS"});
  EXPECT_EQ(Prep(c, "by"), Names{"Acme"});
}

TEST_F(ParseTest, NegatedPassiveUnderAModal) {
  SentenceParse p = MustParse("Quill OS will not be supported by Fjordsoft.");
  EXPECT_EQ(FormatParse(p), "clause: subj=\"Quill OS\" verb=support(passive, negated, modal=will) by=\"Fjordsoft\"\n");
}

TEST_F(ParseTest, NoLongerNegates) {
  SentenceParse p = MustParse("Acme will no longer support Quill OS.");
  const Clause& c = VerbClause(p, "support");
  EXPECT_TRUE(c.negated);
  EXPECT_EQ(c.modality, "will");
  EXPECT_EQ(Texts(c.objects), Names{"Quill OS"});
}

TEST_F(ParseTest, DoesNotAndDoesntNegate) {
  for (const char* s : {"Fjordsoft does not support Lumen DB.", "Fjordsoft doesn't support Lumen DB on older hardware."}) {
    SentenceParse p = MustParse(s);
    const Clause& c = VerbClause(p, "support");
    EXPECT_TRUE(c.negated) << s;
    EXPECT_EQ(c.modality, "") << s;  // "do" is no modal
    EXPECT_EQ(Texts(c.subjects), Names{"Fjordsoft"}) << s;
    EXPECT_EQ(Texts(c.objects), Names{"Lumen DB"}) << s;
  }
}

TEST_F(ParseTest, PlansToAndMayAreModalities) {
  SentenceParse plans = MustParse("Acme plans to support Quill OS as a guest.");
  EXPECT_EQ(VerbClause(plans, "support").modality, "plan to");
  EXPECT_EQ(Prep(VerbClause(plans, "support"), "as"), Names{"guest"});
  SentenceParse may = MustParse("Fjordsoft may integrate Lumen DB with Quill OS.");
  const Clause& c = VerbClause(may, "integrate");
  EXPECT_EQ(c.modality, "may");
  EXPECT_EQ(Prep(c, "with"), Names{"Quill OS"});
}

TEST_F(ParseTest, ExpectedToIsAModalityOfAnActiveVerb) {
  SentenceParse p = MustParse("Acme is expected to certify Lumen DB on Quill OS, said Jane Roe.");
  const Clause& certify = VerbClause(p, "certify");
  EXPECT_EQ(certify.modality, "expect to");
  EXPECT_FALSE(certify.passive);
  EXPECT_EQ(Texts(certify.subjects), Names{"Acme"});
  EXPECT_EQ(Prep(certify, "on"), Names{"Quill OS"});
  EXPECT_EQ(Texts(VerbClause(p, "say").subjects), Names{"Jane Roe"});  // the inverted subject
}

TEST_F(ParseTest, CoordinatedSubjectsAndObjectsAreListedOneByOne) {
  SentenceParse p = MustParse("Acme and Fjordsoft will support Lumen DB, Quill OS and Vega on Azure.");
  const Clause& c = VerbClause(p, "support");
  EXPECT_EQ(Texts(c.subjects), (Names{"Acme", "Fjordsoft"}));
  EXPECT_EQ(Texts(c.objects), (Names{"Lumen DB", "Quill OS", "Vega"}));
  EXPECT_EQ(Prep(c, "on"), Names{"Azure"});
}

TEST_F(ParseTest, CoordinatedVerbsShareSubjectAndObject) {
  SentenceParse p = MustParse("Acme develops and sells Lumen DB.");
  EXPECT_EQ(FormatParse(p),
            "clause: subj=\"Acme\" verb=develop(active) obj=\"Lumen DB\"\n"
            "clause: subj=\"Acme\" verb=sell(active) obj=\"Lumen DB\"\n");
}

TEST_F(ParseTest, AppositionGivesNameAndDescription) {
  SentenceParse p = MustParse("Jane Roe, chief executive of Acme Corp, said the partnership helps customers.");
  ASSERT_EQ(p.appositions.size(), 1u);
  EXPECT_EQ(p.appositions[0].name.text, "Jane Roe");
  EXPECT_EQ(p.appositions[0].description.text, "chief executive of Acme Corp");
  EXPECT_EQ(Texts(VerbClause(p, "say").subjects), Names{"Jane Roe"});
  const Clause& helps = VerbClause(p, "help");
  EXPECT_EQ(Texts(helps.subjects), Names{"partnership"});
  EXPECT_EQ(Texts(helps.objects), Names{"customers"});
}

TEST_F(ParseTest, NominalSupportHasItsPrepositionsAndPossessor) {
  SentenceParse p = MustParse("Acme's support for Lumen DB on Quill OS begins in May.");
  const Clause& n = VerbClause(p, "support", /*nominal=*/true);
  EXPECT_EQ(Texts(n.subjects), Names{"Acme"});
  EXPECT_EQ(Prep(n, "for"), Names{"Lumen DB"});
  EXPECT_EQ(Prep(n, "on", /*to_object=*/true), Names{"Quill OS"});  // link-grammar hangs it on "Lumen DB"
  SentenceParse announced = MustParse("Acme announced support for Lumen DB on Quill OS.");
  EXPECT_EQ(Texts(VerbClause(announced, "announce").objects), Names{"support"});
  EXPECT_EQ(Prep(VerbClause(announced, "support", true), "for"), Names{"Lumen DB"});
}

TEST_F(ParseTest, RelativePronounStandsForItsAntecedent) {
  SentenceParse p = MustParse("Fjordsoft, which makes Quill OS, has validated Lumen DB.");
  EXPECT_EQ(Texts(VerbClause(p, "make").subjects), Names{"Fjordsoft"});
  const Clause& validate = VerbClause(p, "validate");
  EXPECT_EQ(Texts(validate.subjects), Names{"Fjordsoft"});
  EXPECT_EQ(validate.modality, "");  // "has" is tense, not modality
  EXPECT_EQ(Texts(validate.objects), Names{"Lumen DB"});
}

TEST_F(ParseTest, NameRunWithAndIsCutAndMarked) {
  SentenceParse p = MustParse("Acme supports Windows Server 2008 and Lumen DB 5.2 on the new Quill OS platform.");
  const Clause& c = VerbClause(p, "support");
  EXPECT_EQ(Texts(c.objects), (Names{"Windows Server 2008", "Lumen DB 5.2"}));
  for (const Phrase& o : c.objects) EXPECT_TRUE(o.split_from_name) << o.text;
  EXPECT_EQ(Prep(c, "on"), Names{"new Quill OS platform"});
}

TEST_F(ParseTest, WordsCarryOffsetsPartOfSpeechAndLemma) {
  const std::string s = "Acme supported Lumen DB.";
  SentenceParse p = MustParse(s);
  ASSERT_GE(p.words.size(), 4u);
  for (const ParsedWord& w : p.words) EXPECT_EQ(s.substr(w.begin, w.end - w.begin), w.text);
  EXPECT_EQ(p.words[1].text, "supported");
  EXPECT_EQ(p.words[1].pos, "v-d");
  EXPECT_EQ(p.words[1].lemma, "support");
  EXPECT_TRUE(p.words[0].guessed);  // "Acme" is in no dictionary
  EXPECT_FALSE(p.links.empty());
}

TEST_F(ParseTest, SentenceOverTheWordLimitFallsBack) {
  std::string s = "Acme will support Lumen DB";
  for (int i = 0; i < 30; ++i) s += " and Quill OS " + std::to_string(i);
  s += ".";
  SentenceParse p = parser_->Parse(s);
  EXPECT_FALSE(p.parsed());
  EXPECT_EQ(p.fallback, Fallback::kTooLong);
  EXPECT_EQ(FormatParse(p), "fallback: too long (125 words, more than 60)\n");
  EXPECT_TRUE(p.clauses.empty());
}

TEST_F(ParseTest, WordSaladFallsBackWithoutCompleteLinkage) {
  SentenceParse p = parser_->Parse("the the of of and and xyzzy");
  EXPECT_EQ(p.fallback, Fallback::kNoCompleteLinkage);
  EXPECT_TRUE(p.words.empty());
  EXPECT_EQ(FormatParse(p), "fallback: no complete linkage\n");
}

TEST_F(ParseTest, EmptyAndInvalidTextFallBack) {
  EXPECT_EQ(parser_->Parse("").fallback, Fallback::kEmpty);
  EXPECT_EQ(parser_->Parse(" \n\t").fallback, Fallback::kEmpty);
  EXPECT_EQ(parser_->Parse("Acme \xff supports Lumen DB.").fallback, Fallback::kInvalidText);
  EXPECT_EQ(parser_->Parse(std::string("Acme\0supports Lumen DB.", 23)).fallback, Fallback::kInvalidText);
}

TEST_F(ParseTest, ParsesFromTwoThreadsAgreeWithOneThread) {
  const std::vector<std::string> sentences = {"Acme will no longer support Quill OS.",
                                              "Lumen DB is supported on Quill OS by Acme.",
                                              "Acme and Fjordsoft will support Lumen DB, Quill OS and Vega on Azure."};
  std::vector<std::string> expected;
  for (const std::string& s : sentences) expected.push_back(FormatParse(parser_->Parse(s)));
  std::vector<std::string> got[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (const std::string& s : sentences) got[t].push_back(FormatParse(parser_->Parse(s)));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 2; ++t) {
    ASSERT_EQ(got[t].size(), 5 * sentences.size());
    for (size_t i = 0; i < got[t].size(); ++i) EXPECT_EQ(got[t][i], expected[i % sentences.size()]);
  }
}

TEST(SentenceParser, OptionsOutOfRangeAreRefused) {
  ParseOptions o;
  o.max_words = 0;
  Result<std::unique_ptr<SentenceParser>> p = SentenceParser::Create(o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
}

TEST(LemmatizeVerb, RegularIrregularAndContractedForms) {
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"supports", "support"},   {"supported", "support"},   {"supporting", "support"},
      {"integrates", "integrate"}, {"integrated", "integrate"}, {"integrating", "integrate"},
      {"certified", "certify"},  {"certifies", "certify"},   {"announced", "announce"},
      {"enabled", "enable"},     {"provided", "provide"},    {"included", "include"},
      {"released", "release"},   {"licensed", "license"},    {"acquired", "acquire"},
      {"continued", "continue"}, {"optimized", "optimize"},  {"created", "create"},
      {"combined", "combine"},   {"changed", "change"},      {"stored", "store"},
      {"planned", "plan"},       {"committed", "commit"},    {"running", "run"},
      {"installed", "install"},  {"added", "add"},           {"developed", "develop"},
      {"offered", "offer"},      {"joined", "join"},         {"signed", "sign"},
      {"extended", "extend"},    {"processes", "process"},   {"fixes", "fix"},
      {"agreed", "agree"},       {"agreeing", "agree"},      {"deploying", "deploy"},
      {"proceed", "proceed"},    {"needed", "need"},         {"making", "make"},
      {"using", "use"},          {"focus", "focus"},         {"ran", "run"},
      {"made", "make"},          {"bought", "buy"},          {"sold", "sell"},
      {"doesn't", "do"},         {"won't", "will"},          {"is", "be"},
      {"Supports", "support"},   {"has", "have"},            {"bring", "bring"},
  };
  for (const auto& [form, base] : forms) EXPECT_EQ(LemmatizeVerb(form), base) << form;
}

}  // namespace
}  // namespace pactgraph::ingest
