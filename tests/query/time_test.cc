// Disagreement and corroboration over facts written for the tests: two publishers wording one
// qualifier differently ("guest", "Guests", "a guest operating system") agree, and only a really
// different value ("host") is a dispute; WHO and WHAT rows carry how many documents and
// publishers state them, and ORDER BY SOURCES puts the best corroborated first.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "ingest/jsonl.h"
#include "query/card.h"
#include "query/engine.h"
#include "query/internal/planner.h"
#include "tests/testing.h"

namespace pactgraph::query {
namespace {

using Words = std::vector<std::string>;

TEST(QualifierWords, AreLowerCaseWordsWithoutPunctuationPluralsOrALeadingArticle) {
  EXPECT_EQ(QualifierWords("Guests,"), Words({"guest"}));
  EXPECT_EQ(QualifierWords("  a Guest-OS  "), Words({"guest", "os"}));
  EXPECT_EQ(QualifierWords("the host of the show"), Words({"host", "of", "the", "show"}));
  EXPECT_EQ(QualifierWords("Partner Companies"), Words({"partner", "company"}));
  // Words that only look plural, and numbers, stay as they are.
  EXPECT_EQ(QualifierWords("status class analysis"), Words({"status", "class", "analysis"}));
  EXPECT_EQ(QualifierWords("version 8.1, 2,000 seats"), Words({"version", "8.1", "2,000", "seat"}));
  EXPECT_EQ(QualifierWords("-- ."), Words());
}

TEST(SameQualifier, CaseSpacingPunctuationAndPluralsAreTheSameValue) {
  EXPECT_TRUE(SameQualifier("guest", "Guest"));
  EXPECT_TRUE(SameQualifier("guest", "guests"));
  EXPECT_TRUE(SameQualifier("guest", "a guest."));
  EXPECT_TRUE(SameQualifier("Chief Technology Officer", "chief  technology-officer"));
}

TEST(SameQualifier, ALongerFormOfTheSameWordsIsTheSameValue) {
  EXPECT_TRUE(SameQualifier("guest", "guest operating system"));
  EXPECT_TRUE(SameQualifier("Vice President of Engineering", "vice president"));
}

TEST(SameQualifier, OtherWordsOrAnotherNumberAreADifferentValue) {
  EXPECT_FALSE(SameQualifier("guest", "host"));
  EXPECT_FALSE(SameQualifier("Vice President", "Senior Vice President"));
  EXPECT_FALSE(SameQualifier("version 8", "version 8.1"));
  EXPECT_FALSE(SameQualifier("version 8", "version 8 SP1"));
  EXPECT_FALSE(SameQualifier("2019", "2019-04"));
  EXPECT_FALSE(SameQualifier("--", "-"));
  EXPECT_TRUE(SameQualifier("--", "--"));
}

// One dated document from one publisher stating that `subject` supports Widget OS on Box as
// `as`, in a sentence of its own (and a line of its own, so that two documents never share a
// text and are never taken for copies of one story).
std::string Release(const std::string& key, const std::string& publisher, const std::string& date, const std::string& subject,
                    const std::string& as) {
  const std::string sentence = subject + " supports Widget OS as " + as + " on Box.";
  return R"({"kind":"document","key":")" + key + R"(","title":"Widget OS news","publisher":")" + publisher + R"(","date":")" + date +
         R"(","text":")" + sentence + " Posted by " + publisher + " on " + date + R"(."}
{"kind":"entity","name":")" + subject + R"(","type":"Company"}
{"kind":"entity","name":"Widget OS","type":"Product"}
{"kind":"entity","name":"Box","type":"Product"}
{"kind":"relation","type":"SUPPORTS","subject":")" + subject + R"(","object":"Widget OS","qualifiers":{"on":"Box","as":")" + as +
         R"("},"source":{"doc":")" + key + R"(","sentence":1,"evidence":")" + sentence + R"("}}
)";
}

class Disputes : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
  }
  void Import(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    Result<ingest::JsonlImportReport> r = ingest::ImportJsonlStream(*store_, in, name, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  Answer Run(const std::string& q) {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    return a.ok() && !a->empty() ? a->front() : Answer{};
  }
  // The value of `column` in row `r`, "" when the answer has no such column.
  static std::string Cell(const Answer& a, size_t r, const std::string& column) {
    for (size_t c = 0; c < a.columns.size(); ++c) {
      if (a.columns[c] == column && r < a.rows.size()) return a.rows[r][c].ToString();
    }
    return "";
  }

  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(Disputes, PublishersWordingOneQualifierDifferentlyDoNotDisagree) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(Release("beta-1", "Beta News", "2030-02-10", "Acme", "Guests"), "beta-1.facts.jsonl");
  Import(Release("gamma-1", "Gamma Post", "2030-03-10", "Acme", "a guest operating system"), "gamma-1.facts.jsonl");
  EXPECT_EQ(Run("CONFLICTS ABOUT \"Widget OS\"").rows.size(), 0u);
  const Answer who = Run("WHO SUPPORTS \"Widget OS\"");
  ASSERT_EQ(who.rows.size(), 1u);
  EXPECT_EQ(Cell(who, 0, "disputed"), "");
  // The timeline tells "Guests" as the same fact restated, and the longer form as stated, not
  // as a contradiction.
  const Answer timeline = Run("TIMELINE \"Widget OS\"");
  ASSERT_EQ(timeline.rows.size(), 3u);
  EXPECT_EQ(Cell(timeline, 0, "step"), "stated");
  EXPECT_EQ(Cell(timeline, 1, "step"), "restated");
  EXPECT_EQ(Cell(timeline, 2, "step"), "stated");
}

TEST_F(Disputes, AReallyDifferentQualifierFromAnotherPublisherIsADispute) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(Release("beta-1", "Beta News", "2030-02-10", "Acme", "Guests"), "beta-1.facts.jsonl");
  Import(Release("delta-1", "Delta Daily", "2030-04-10", "Acme", "host"), "delta-1.facts.jsonl");
  const Answer conflicts = Run("CONFLICTS ABOUT \"Widget OS\"");
  ASSERT_EQ(conflicts.rows.size(), 1u);
  EXPECT_EQ(Cell(conflicts, 0, "conflict"), "qualifier");
  EXPECT_EQ(Cell(conflicts, 0, "fact"), "Acme SUPPORTS Widget OS (on Box, as host)");
  const Answer who = Run("WHO SUPPORTS \"Widget OS\"");
  ASSERT_EQ(who.rows.size(), 1u);
  EXPECT_EQ(Cell(who, 0, "disputed"),
            "active as guest (Alpha Wire, 2030-01-10); active as Guests (Beta News, 2030-02-10); active as host (Delta Daily, 2030-04-10)");
  // SHOW marks it the same way.
  const Answer card = Run("SHOW Acme");
  ASSERT_EQ(card.rows.size(), 1u);
  EXPECT_EQ(Cell(card, 0, "disputed"), Cell(who, 0, "disputed"));
}

// "guest" is another wording of "guest VM" and of "guest container", which are not one another's:
// whichever is told first, two publishers disagree, and WHO, SHOW and CONFLICTS all say so.
TEST_F(Disputes, ADisputeDoesNotDependOnTheOrderTheSourcesWereTold) {
  for (const bool guest_first : {true, false}) {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_.reset();
    store_ = std::move(storage::Store::Open(dir_.File(guest_first ? "guest-first" : "guest-last"), so)).value();
    const std::vector<std::string> told =
        guest_first ? std::vector<std::string>{"guest", "guest VM", "guest container"} : std::vector<std::string>{"guest container", "guest VM", "guest"};
    Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", told[0]), "alpha-1.facts.jsonl");
    Import(Release("beta-1", "Beta News", "2030-02-10", "Acme", told[1]), "beta-1.facts.jsonl");
    Import(Release("gamma-1", "Gamma Post", "2030-03-10", "Acme", told[2]), "gamma-1.facts.jsonl");
    const Answer conflicts = Run("CONFLICTS ABOUT \"Widget OS\"");
    ASSERT_EQ(conflicts.rows.size(), 1u) << "guest first: " << guest_first;
    EXPECT_EQ(Cell(conflicts, 0, "conflict"), "qualifier");
    const Answer who = Run("WHO SUPPORTS \"Widget OS\"");
    ASSERT_EQ(who.rows.size(), 1u);
    EXPECT_NE(Cell(who, 0, "disputed"), "") << "guest first: " << guest_first;
    EXPECT_EQ(Cell(Run("SHOW Acme"), 0, "disputed"), Cell(who, 0, "disputed"));
  }
}

// The card (GET /entities) and the graph's edges say "disputed" as WHO and SHOW do: of two
// publishers' qualifiers too, not only of a status.
TEST_F(Disputes, ACardsDisputedFlagIsWhosOfAQualifierToo) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(Release("beta-1", "Beta News", "2030-02-10", "Acme", "Guests"), "beta-1.facts.jsonl");
  Import(Release("bolt-1", "Alpha Wire", "2030-01-11", "Bolt", "guest"), "bolt-1.facts.jsonl");
  Import(Release("delta-1", "Delta Daily", "2030-04-10", "Acme", "host"), "delta-1.facts.jsonl");
  const storage::Snapshot snap = store_->GetSnapshot();
  Result<std::vector<storage::NameMatch>> found = store_->FindByName(snap, "Widget OS");
  ASSERT_TRUE(found.ok() && !found->empty());
  Result<EntityCard> card = BuildEntityCard(*store_, snap, found->front().id, {});
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  std::map<std::string, std::tuple<bool, int64_t, int64_t>> seen;
  for (const CardRelation& r : card->incoming.relations) seen[r.subject.name] = {r.disputed, r.documents, r.publishers};
  EXPECT_EQ(seen["Acme"], std::make_tuple(true, int64_t{3}, int64_t{3}));
  EXPECT_EQ(seen["Bolt"], std::make_tuple(false, int64_t{1}, int64_t{1}));
  const Answer who = Run("WHO SUPPORTS \"Widget OS\"");
  ASSERT_EQ(who.rows.size(), 2u);
  EXPECT_NE(Cell(who, 0, "disputed"), "");
  EXPECT_EQ(Cell(who, 1, "disputed"), "");
}

TEST_F(Disputes, OrderBySourcesPutsTheBestCorroboratedFactFirstAndKeepsTheOrderOfTies) {
  // Acme's support is told once, Bolt's by three documents from two publishers; Crux's once.
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(Release("alpha-2", "Alpha Wire", "2030-01-11", "Bolt", "guest"), "alpha-2.facts.jsonl");
  Import(Release("alpha-3", "Alpha Wire", "2030-01-12", "Crux", "guest"), "alpha-3.facts.jsonl");
  Import(Release("beta-2", "Beta News", "2030-02-11", "Bolt", "guest"), "beta-2.facts.jsonl");
  Import(Release("alpha-4", "Alpha Wire", "2030-03-11", "Bolt", "guest"), "alpha-4.facts.jsonl");
  const Answer plain = Run("WHO SUPPORTS \"Widget OS\"");
  ASSERT_EQ(plain.rows.size(), 3u);
  EXPECT_EQ(Cell(plain, 0, "subject"), "Acme");
  EXPECT_EQ(Cell(plain, 1, "subject"), "Bolt");
  EXPECT_EQ(Cell(plain, 2, "subject"), "Crux");
  // Every WHO row carries its corroboration, asked for or not.
  ASSERT_EQ(plain.sources.size(), 3u);
  EXPECT_EQ(plain.sources[1], 3);
  EXPECT_EQ(plain.publishers[1], 2);
  const Answer ordered = Run("WHO SUPPORTS \"Widget OS\" ORDER BY SOURCES");
  ASSERT_EQ(ordered.rows.size(), 3u);
  EXPECT_EQ(Cell(ordered, 0, "subject"), "Bolt");
  EXPECT_EQ(Cell(ordered, 0, "sources"), "3");
  EXPECT_EQ(Cell(ordered, 0, "publishers"), "2");
  EXPECT_EQ(Cell(ordered, 1, "subject"), "Acme");
  EXPECT_EQ(Cell(ordered, 2, "subject"), "Crux");
  EXPECT_EQ(Cell(Run("WHO SUPPORTS \"Widget OS\" ORDER BY SOURCES LIMIT 1"), 0, "subject"), "Bolt");
}

}  // namespace
// A later document from another publisher in which Acme denies the support `Release` states, in
// one sentence with Acme's claim, and a second sentence with another claim of Acme's about Box.
std::string DenialWithClaims() {
  return R"({"kind":"document","key":"beta-9","title":"Widget OS news","publisher":"Beta News","date":"2030-05-01","text":"Acme does not support Widget OS as guest on Box, Acme said. Acme likes Box."}
{"kind":"relation","type":"SUPPORTS","subject":"Acme","object":"Widget OS","qualifiers":{"on":"Box","as":"guest","status":"denied"},"source":{"doc":"beta-9","sentence":1,"evidence":"Acme does not support Widget OS as guest on Box"}}
{"kind":"claim","speaker":"Acme","text":"Acme does not support Widget OS as guest on Box","about":["Widget OS","Box"],"source":{"doc":"beta-9","sentence":1}}
{"kind":"claim","speaker":"Acme","text":"Acme likes Box","about":["Box"],"source":{"doc":"beta-9","sentence":2}}
)";
}

TEST_F(Disputes, AClaimSaidInTheSentenceOfADenialIsOnTheDenialsSide) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(DenialWithClaims(), "beta-9.facts.jsonl");
  const Answer conflicts = Run("CONFLICTS ABOUT \"Widget OS\"");
  ASSERT_EQ(conflicts.rows.size(), 1u);
  EXPECT_EQ(Cell(conflicts, 0, "conflict"), "denied");
  ASSERT_EQ(conflicts.claims.size(), 1u);
  ASSERT_EQ(conflicts.claims[0].size(), 1u);
  EXPECT_EQ(conflicts.claims[0][0].side, "the other");
  EXPECT_EQ(conflicts.claims[0][0].speaker, "Acme");
  EXPECT_EQ(conflicts.claims[0][0].text, "Acme does not support Widget OS as guest on Box");
  EXPECT_EQ(conflicts.claims[0][0].source.publisher, "Beta News");
  EXPECT_EQ(conflicts.claims[0][0].source.sentence, 1u);
}

TEST_F(Disputes, AClaimsCardListsTheFactItContradictsAndAClaimOfAnotherSentenceContradictsNothing) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(DenialWithClaims(), "beta-9.facts.jsonl");
  const Answer card = Run("SHOW \"Acme does not support Widget OS as guest on Box\"");
  std::vector<std::string> contradicts;
  for (size_t r = 0; r < card.rows.size(); ++r) {
    if (Cell(card, r, "relation") == "CONTRADICTS") contradicts.push_back(Cell(card, r, "object") + " | " + Cell(card, r, "qualifiers"));
  }
  EXPECT_EQ(contradicts, std::vector<std::string>({"Acme SUPPORTS Widget OS (on Box, as guest) | status: active, source: Alpha Wire 2030-01-10"}));
  const Answer other = Run("SHOW \"Acme likes Box\"");
  for (size_t r = 0; r < other.rows.size(); ++r) EXPECT_NE(Cell(other, r, "relation"), "CONTRADICTS");
}

TEST_F(Disputes, AnAnswerWithoutALinkedClaimHasNoClaims) {
  Import(Release("alpha-1", "Alpha Wire", "2030-01-10", "Acme", "guest"), "alpha-1.facts.jsonl");
  Import(Release("delta-1", "Delta Daily", "2030-04-10", "Acme", "host"), "delta-1.facts.jsonl");
  // A claim of Acme's about both ends, said in the document's other sentence, not the fact's.
  Import(R"({"kind":"claim","speaker":"Acme","text":"Acme praised Widget OS","about":["Acme","Widget OS"],"source":{"doc":"delta-1","sentence":2}})"
         "\n",
         "delta-1-claim.facts.jsonl");
  ASSERT_FALSE(Run("SHOW \"Acme praised Widget OS\"").rows.empty());
  for (const char* q : {"CONFLICTS", "TIMELINE Acme", "SHOW Acme"}) {
    const Answer a = Run(q);
    ASSERT_FALSE(a.rows.empty()) << q;
    for (const std::vector<LinkedClaim>& row : a.claims) EXPECT_TRUE(row.empty()) << q;
  }
}

}  // namespace pactgraph::query
