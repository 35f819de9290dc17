// Reading articles and extracting facts from them: the reader's formats and refusals, sentence
// splitting, and the extractor on articles written for these tests and on the dev corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "graph/names.h"
#include "graph/text.h"
#include "ingest/extract.h"
#include "ingest/gazetteer.h"
#include "ingest/reader.h"
#include "ingest/text_units.h"
#include "tests/testing.h"

namespace pactgraph::ingest {
namespace {

namespace fs = std::filesystem;

TEST(Reader, CorpusHeaderThenBody) {
  Result<Article> a = ParseArticle(
      "Title: Acme and Globex team up\nPublisher: Example Wire\nDate: 2011-03-04\nURL: https://example.org/a\n\n"
      "First paragraph, line one\nline two.\n\nSecond paragraph.\n",
      "a.txt");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->format, "text");
  EXPECT_EQ(a->title, "Acme and Globex team up");
  EXPECT_EQ(a->publisher, "Example Wire");
  EXPECT_EQ(a->date, "2011-03-04");
  EXPECT_EQ(a->url, "https://example.org/a");
  EXPECT_EQ(a->body, "First paragraph, line one line two.\n\nSecond paragraph.");
}

TEST(Reader, PlainTextTakesItsFirstLineAsTitle) {
  Result<Article> a = ParseArticle("Acme ships Widget 2\r\n\r\nAcme said on Monday that Widget 2 ships.\r\n", "b.txt");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->title, "Acme ships Widget 2");
  EXPECT_EQ(a->body, "Acme said on Monday that Widget 2 ships.");
  EXPECT_TRUE(a->date.empty());
}

TEST(Reader, HtmlKeepsTheArticleAndDropsTheRest) {
  const std::string html = R"(<!DOCTYPE html><html><head><title>Site | Acme and Globex</title>
<meta property="og:title" content="Acme and Globex sign a support deal">
<meta property="article:published_time" content="2012-05-06T10:00:00Z">
<meta property="og:site_name" content="Example News">
<script>var x = "Acme will support nothing at all, says this script text.";</script></head>
<body><nav><p>Home and all the other sections of this site are listed here today.</p></nav>
<article><h1>Acme and Globex sign a support deal</h1>
<p>Acme will support Globex Server 2012 on Acme OS, the companies said on Tuesday.</p>
<div class="share"><p>Share this story with all of your friends on every network you use.</p></div>
<p>The agreement runs for three years and covers both companies' customers worldwide.</p></article>
<footer><p>Copyright Example News, all rights reserved, every single one of them.</p></footer></body></html>)";
  Result<Article> a = ParseArticle(html, "page.html");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->format, "html");
  EXPECT_EQ(a->title, "Acme and Globex sign a support deal");
  EXPECT_EQ(a->date, "2012-05-06");
  EXPECT_EQ(a->publisher, "Example News");
  EXPECT_NE(a->body.find("Acme will support Globex Server 2012 on Acme OS"), std::string::npos) << a->body;
  EXPECT_NE(a->body.find("three years"), std::string::npos);
  for (const char* gone : {"script text", "Home and all", "Share this", "Copyright"}) {
    EXPECT_EQ(a->body.find(gone), std::string::npos) << gone << " in: " << a->body;
  }
}

TEST(Reader, RefusesWhatIsNotAnArticle) {
  auto reason = [](std::string_view bytes, const std::string& path, ReadOptions o = {}) {
    Result<Article> a = ParseArticle(bytes, path, o);
    EXPECT_FALSE(a.ok()) << path;
    return a.ok() ? std::string() : a.status().message();
  };
  EXPECT_NE(reason(std::string("PK\x03\x04\0\0binary", 12), "x.txt").find("binary"), std::string::npos);
  EXPECT_NE(reason("Title: t\n\nbad \xff byte here", "x.txt").find("invalid UTF-8 at byte 15"), std::string::npos);
  EXPECT_NE(reason("  \n\n ", "x.txt").find("empty"), std::string::npos);
  ReadOptions small;
  small.max_bytes = 10;
  EXPECT_NE(reason("Title: a long enough text", "x.txt", small).find("larger than 10 bytes"), std::string::npos);
  EXPECT_NE(reason("<html><body><nav>menu</nav><p>Hi.</p></body></html>", "x.html").find("no article text"), std::string::npos);
}

TEST(Reader, FoldersAreWalkedInNameOrder) {
  pactgraph::testing::TempDir dir;
  fs::create_directories(dir.File("a/b"));
  fs::create_directories(dir.File(".hidden"));
  for (const char* f : {"a/b/2.txt", "a/1.html", "z.txt", ".hidden/x.txt", "a/.dot.txt"}) std::ofstream(dir.File(f)) << "x";
  Result<std::vector<std::string>> files = ListArticleFiles({dir.File("a"), dir.File("z.txt")});
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(*files, (std::vector<std::string>{dir.File("a/1.html"), dir.File("a/b/2.txt"), dir.File("z.txt")}));
  EXPECT_EQ(ListArticleFiles({dir.File("nope")}).status().code(), StatusCode::kNotFound);
}

TEST(Sentences, AbbreviationsInitialsAndQuotes) {
  const std::string text =
      "Acme Corp. and Globex Inc. agreed on Monday. Roy S. Smith, of Example Co., said: \"It works.\" "
      "Version 3.5 ships in Jan. 2012 in the U.S. market! Is it late? Yes.\n\nA new paragraph";
  std::vector<Sentence> s = SplitSentences(text);
  std::vector<std::string> got;
  for (const Sentence& x : s) got.push_back(x.text);
  EXPECT_EQ(got, (std::vector<std::string>{"Acme Corp. and Globex Inc. agreed on Monday.",
                                           "Roy S. Smith, of Example Co., said: \"It works.\"",
                                           "Version 3.5 ships in Jan. 2012 in the U.S. market!", "Is it late?", "Yes.",
                                           "A new paragraph"}));
  for (const Sentence& x : s) EXPECT_EQ(text.substr(x.begin, x.end - x.begin), x.text);
}

TEST(Tokens, NamesPossessivesAndQuotes) {
  std::vector<Token> t = Tokenize("Microsoft\u2019s Hyper-V and AT&T's x86 \u201cquote\u201d 3.5");
  std::vector<std::string> text;
  for (const Token& x : t) text.push_back(x.text);
  EXPECT_EQ(text, (std::vector<std::string>{"Microsoft", "\u2019s", "Hyper-V", "and", "AT&T", "'s", "x86", "\u201c", "quote", "\u201d", "3.5"}));
  EXPECT_EQ(t[1].kind, Token::Kind::kPossessive);
  EXPECT_TRUE(t[7].open);
  EXPECT_FALSE(t[9].open);
  EXPECT_EQ(t[10].kind, Token::Kind::kNumber);
}

TEST(Tokens, DashesAndOddCharactersEndWords) {
  std::vector<Token> t = Tokenize("Red Hat\u2013Microsoft deal \u2014 done\u2026 \u00e9t\u00e9 \u2018x\u2019");
  std::vector<std::string> text;
  for (const Token& x : t) text.push_back(x.text);
  EXPECT_EQ(text, (std::vector<std::string>{"Red", "Hat", "\u2013", "Microsoft", "deal", "\u2014", "done", "\u2026", "\u00e9t\u00e9", "\u2018", "x", "\u2019"}));
  // Nothing hangs or throws on text that is all punctuation, quotes or stray bytes of UTF-8.
  for (std::string odd : {std::string("\u201c\u201c\u201d"), std::string("\u2013\u2013 ''' \"\"\" 's 's"), std::string("\xe2\x80"),
                          std::string("\xe2"), std::string("A\xe2\x80\x99s B\xe2\x80\x99")}) {
    Article a;
    a.title = odd;
    a.body = odd + ". " + odd;
    (void)Tokenize(odd);
    EXPECT_TRUE(Extract(a).ok());
  }
}

bool Has(const Extraction& x, const std::string& type, const std::string& s, const std::string& o, const std::string& on = {}) {
  for (const ExtractedRelation& r : x.relations) {
    if (r.type == type && r.subject == s && r.object == o && (on.empty() || (r.qualifiers.count("on") && r.qualifiers.at("on") == on))) {
      return true;
    }
  }
  return false;
}

std::string Dump(const Extraction& x) { return ToJsonl(Article{}, x); }

// An announcement written for this test, in the register of a press release.
TEST(Extract, SupportTitlesProductsAndClaims) {
  Article a;
  a.title = "Acme Systems and Globex Corp. partner on virtualization";
  a.body =
      "Acme Systems and Globex Corp. announced on Tuesday that they have signed an agreement to support each other's "
      "platforms. Acme Systems will validate and support Globex Linux guests on Acme Server 2010 and Acme Cloud.\n\n"
      "Jane Porter, vice president of engineering at Acme Systems, said that customers had asked for the change for years. "
      "\"This gives our customers a choice of platforms they did not have before,\" said Porter.\n\n"
      "Globex's chief executive, Tom Reyes, called it a milestone. Globex's Fabric Manager will run on Acme Cloud.";
  Extraction x = Extract(a).value();
  std::map<std::string, std::string> types;
  for (const ExtractedEntity& e : x.entities) types[e.name] = e.type;
  EXPECT_EQ(types["Acme Systems"], "Company") << Dump(x);
  EXPECT_EQ(types["Globex"], "Company") << Dump(x);  // named without its legal form
  EXPECT_EQ(types["Jane Porter"], "Person") << Dump(x);
  EXPECT_EQ(types["Acme Server 2010"], "Product") << Dump(x);
  EXPECT_TRUE(Has(x, "SUPPORTS", "Acme Systems", "Globex Linux", "Acme Server 2010")) << Dump(x);
  EXPECT_TRUE(Has(x, "SUPPORTS", "Acme Systems", "Globex Linux", "Acme Cloud")) << Dump(x);
  EXPECT_TRUE(Has(x, "VALIDATES", "Acme Systems", "Globex Linux", "Acme Server 2010")) << Dump(x);
  EXPECT_TRUE(Has(x, "PARTNERS_WITH", "Acme Systems", "Globex") || Has(x, "PARTNERS_WITH", "Globex", "Acme Systems")) << Dump(x);
  EXPECT_TRUE(Has(x, "WORKS_FOR", "Jane Porter", "Acme Systems")) << Dump(x);
  EXPECT_TRUE(Has(x, "DEVELOPS", "Acme Systems", "Acme Server 2010")) << Dump(x);
  EXPECT_TRUE(Has(x, "RUNS_ON", "Fabric Manager", "Acme Cloud")) << Dump(x);
  bool quoted = false, reported = false;
  for (const ExtractedClaim& c : x.claims) {
    quoted = quoted || (c.speaker == "Jane Porter" && c.text.find("a choice of platforms") != std::string::npos);
    reported = reported || (c.speaker == "Jane Porter" && c.text.find("customers had asked") != std::string::npos);
  }
  EXPECT_TRUE(quoted) << Dump(x);
  EXPECT_TRUE(reported) << Dump(x);
  // Every fact carries its sentence and the rule that found it.
  for (const ExtractedRelation& r : x.relations) {
    EXPECT_FALSE(r.source.rule.empty());
    EXPECT_FALSE(r.source.evidence.empty());
  }
}

// The shipped gazetteer, loaded once: what `pactgraph extract` and `import` use by default.
const Gazetteer& Shipped() {
  static const Gazetteer* g = [] {
    Result<Gazetteer> loaded = Gazetteer::LoadDirectory(std::string(PG_DATASETS_DIR) + "/gazetteer");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new Gazetteer(loaded.ok() ? std::move(*loaded) : Gazetteer());
  }();
  return *g;
}

// General rules the corpus scores depend on, each on a sentence of its own.
Extraction Of(const std::string& text) {
  Result<Article> a = ParseArticle(text, "t.txt");
  EXPECT_TRUE(a.ok());
  return Extract(*a).value();
}

bool HasRelation(const Extraction& x, const std::string& type, const std::string& s, const std::string& o) {
  return std::any_of(x.relations.begin(), x.relations.end(),
                     [&](const ExtractedRelation& r) {
                       return r.type == type && NormalizeKey(r.subject) == NormalizeKey(s) && NormalizeKey(r.object) == NormalizeKey(o);
                     });
}

bool HasEntity(const Extraction& x, const std::string& name, const std::string& type) {
  return std::any_of(x.entities.begin(), x.entities.end(), [&](const ExtractedEntity& e) { return NormalizeKey(e.name) == NormalizeKey(name) && e.type == type; });
}

TEST(Extract, DatelineAndSuffixes) {
  const Extraction x = Of("Title: Notice\n\nPORTLAND and OSLO -- Fjordsoft, Inc. and Quillware Corp. today announced a partnership.\n");
  EXPECT_FALSE(HasEntity(x, "PORTLAND", "Company") || HasEntity(x, "OSLO", "Company"));
  EXPECT_TRUE(HasRelation(x, "PARTNERS_WITH", "Fjordsoft, Inc.", "Quillware Corp.")) << ToJsonl({}, x);
}

TEST(Extract, ReciprocalProgramsAndMembership) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. today announced an agreement. Each company will join the other's "
      "partner program.\n");
  EXPECT_TRUE(HasRelation(x, "OPERATES", "Fjordsoft Inc.", "Fjordsoft partner program")) << ToJsonl({}, x);
  EXPECT_TRUE(HasRelation(x, "MEMBER_OF", "Fjordsoft Inc.", "Quillware partner program"));
  EXPECT_TRUE(HasRelation(x, "MEMBER_OF", "Quillware Corp.", "Fjordsoft partner program"));
  // The agreement named in the first sentence has both companies as its parties.
  std::set<std::string> parties;
  for (const ExtractedRelation& r : x.relations) {
    if (r.type == "PARTY_TO") parties.insert(NormalizeKey(r.subject));
  }
  EXPECT_EQ(parties, (std::set<std::string>{NormalizeKey("Fjordsoft Inc."), NormalizeKey("Quillware Corp.")}));
}

TEST(Extract, VersionsCoordinatedAndGuestsRun) {
  const Extraction x = Of(
      "Title: Notice\n\nQuillware Corp. will support Fjord Server 2003 and 2008 as guests on Quill OS.\n");
  EXPECT_TRUE(HasEntity(x, "Fjord Server 2008", "Product")) << ToJsonl({}, x);
  EXPECT_TRUE(HasRelation(x, "SUPPORTS", "Quillware Corp.", "Fjord Server 2008"));
  EXPECT_TRUE(HasRelation(x, "RUNS_ON", "Fjord Server 2003", "Quill OS"));
}

TEST(Extract, TitleCaseHeadlineWordsAreNotNames) {
  const Extraction x = Of(
      "Title: Fjordsoft and Quillware Announce Collaboration\n\nFjordsoft Inc. and Quillware Corp. signed a deal on a "
      "collaboration that they will announce widely.\n");
  for (const ExtractedEntity& e : x.entities) EXPECT_EQ(e.name.find("Announce"), std::string::npos) << e.name;
}

TEST(Extract, WhatTheDealCovers) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. signed an agreement. Two areas are at the center of the agreement: "
      "storage replication and directory synchronization. Customers will receive coordinated technical support. The agreement "
      "does not include any patent rights, other than the usual testing fees.\n");
  const std::string j = ToJsonl({}, x);
  for (const char* t : {"storage replication", "directory synchronization", "coordinated technical support", "testing fees"}) {
    EXPECT_TRUE(std::any_of(x.relations.begin(), x.relations.end(),
                            [&](const ExtractedRelation& r) { return r.type == "INCLUDES" && r.object == t; }))
        << t << "\n" << j;
  }
  EXPECT_TRUE(std::any_of(x.relations.begin(), x.relations.end(),
                          [&](const ExtractedRelation& r) { return r.type == "EXCLUDES" && r.object == "patent rights"; }));
}

// The terms a test article's deal includes, lower-cased as the scorer compares them.
std::set<std::string> IncludedTerms(const Extraction& x) {
  std::set<std::string> out;
  for (const ExtractedRelation& r : x.relations) {
    if (r.type == "INCLUDES") out.insert(AsciiLower(r.object));
  }
  return out;
}

TEST(Extract, ASettlementIncludesWhatItResolvesAndWhatEachPartyUndertakesUnderItsTerms) {
  const Extraction x = Of(
      "Title: Fjordsoft and Quillware settle\n\nFjordsoft Inc. and Quillware Corp. today announced a settlement agreement "
      "that resolves every dispute between the two companies, including their licensing disputes and their trademark "
      "disputes.\n\nUnder the terms of the settlement:\n- Quillware will make a $40 million payment to Fjordsoft.\n"
      "- Fjordsoft and Quillware will give up all claims that the other broke their earlier contract.\n"
      "- Quillware agrees to follow a defined set of interface disclosure rules.\n"
      "- Fjordsoft will drop all pending litigation against Quillware, and will withdraw every complaint it has filed.\n");
  const std::set<std::string> terms = IncludedTerms(x);
  const std::string j = ToJsonl({}, x);
  for (const char* t : {"licensing disputes", "trademark disputes", "$40 million payment", "interface disclosure rules",
                        "pending litigation", "complaint"}) {
    EXPECT_TRUE(terms.count(t)) << t << "\n" << j;
  }
  // A noun cut short by its clause ("all claims that ...") is not the term, nor is the summary
  // the examples after "including" spell out.
  EXPECT_FALSE(terms.count("claims")) << j;
  EXPECT_FALSE(terms.count("dispute")) << j;
}

TEST(Extract, WhatAPartnershipCoversAndWhatEachPartyGivesOrPays) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. signed a partnership. The partnership covered storage, backup, "
      "search and analytics: Fjordsoft's engine would power search across Quillware's devices and services, and Quill "
      "Maps would be integrated with Fjord Search. Quillware, in turn, would contribute hardware design and field support. "
      "The definitive agreement has Quillware paying Fjordsoft a royalty for Quill OS while Fjordsoft makes marketing "
      "support payments to Quillware.\n");
  const std::set<std::string> terms = IncludedTerms(x);
  const std::string j = ToJsonl({}, x);
  for (const char* t : {"storage", "backup", "search", "analytics", "hardware design", "field support", "royalty",
                        "marketing support payments"}) {
    EXPECT_TRUE(terms.count(t)) << t << "\n" << j;
  }
  // What follows the colon is a list of clauses, not of terms.
  EXPECT_FALSE(terms.count("services")) << j;
}

TEST(Extract, ALicenceToTheOthersPortfolioAndThePatentsItCovers) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. have signed a patent agreement. The agreement gives each "
      "company a licence to the other's patent portfolio. It covers existing patents as well as patents filed over the "
      "next five years, spanning many lines of business. The agreement includes unified identity and access management "
      "and a collaborative support model.\n");
  const std::set<std::string> terms = IncludedTerms(x);
  const std::string j = ToJsonl({}, x);
  for (const char* t : {"patent portfolio", "existing patents", "patents filed over the next five years",
                        "unified identity and access management", "collaborative support model"}) {
    EXPECT_TRUE(terms.count(t)) << t << "\n" << j;
  }
  EXPECT_FALSE(terms.count("licence")) << j;
  EXPECT_FALSE(terms.count("lines of business")) << j;
}

TEST(Extract, MakersAndPeople) {
  const Extraction x = Of(
      "Title: Notice\n\nQuill OS is the operating system that Quillware Corp. ships. Fjordsoft's Dana Whitlock, chief "
      "technology officer, spoke. Fjord Cloud, developed by Fjordsoft Inc., runs on Quill OS.\n");
  const std::string j = ToJsonl({}, x);
  EXPECT_TRUE(HasRelation(x, "DEVELOPS", "Quillware Corp.", "Quill OS")) << j;
  EXPECT_TRUE(HasRelation(x, "WORKS_FOR", "Dana Whitlock", "Fjordsoft Inc.") || HasRelation(x, "WORKS_FOR", "Dana Whitlock", "Fjordsoft")) << j;
  EXPECT_TRUE(HasRelation(x, "DEVELOPS", "Fjordsoft Inc.", "Fjord Cloud") || HasRelation(x, "DEVELOPS", "Fjordsoft", "Fjord Cloud")) << j;
  EXPECT_TRUE(HasRelation(x, "RUNS_ON", "Fjord Cloud", "Quill OS")) << j;
}


}  // namespace
}  // namespace pactgraph::ingest

namespace pactgraph::ingest {
namespace {

// Names the graph already has are recognised with their type: a name the rules alone take for a
// company is a person when the graph says so.
TEST(Extract, NamesTheGraphKnows) {
  Result<Article> a = ParseArticle("Title: Notice\n\nZorblax Quendar said that the agreement is good news for customers everywhere.\n", "t.txt");
  ASSERT_TRUE(a.ok());
  auto type_of = [](const Extraction& x) {
    for (const ExtractedEntity& e : x.entities) {
      if (e.name == "Zorblax Quendar") return e.type;
    }
    return std::string("(none)");
  };
  EXPECT_NE(type_of(Extract(*a).value()), "Person");
  ExtractOptions o;
  o.lookup = [](const std::string& n) { return n == "Zorblax Quendar" ? std::string("Person") : std::string(); };
  const Extraction x = Extract(*a, o).value();
  EXPECT_EQ(type_of(x), "Person");
  ASSERT_EQ(x.claims.size(), 1u);
  EXPECT_EQ(x.claims[0].speaker, "Zorblax Quendar");
}


}  // namespace
}  // namespace pactgraph::ingest

namespace pactgraph::ingest {
namespace {

// The gazetteer types a name no cue stands next to, after the graph's names and before the
// words around it; the entity keeps the article's form and gets the gazetteer's name as an alias.
TEST(Extract, NamesTheGazetteerKnowsNeedNoCue) {
  Result<Article> a = ParseArticle(
      "Title: Notes from the lab\n\nCustomers of Samsung asked for it, according to the notes. "
      "The team also tried it with Nutanix AHV last week.\n", "t.txt");
  ASSERT_TRUE(a.ok());
  auto find = [](const Extraction& x, const std::string& name) -> const ExtractedEntity* {
    for (const ExtractedEntity& e : x.entities) {
      if (e.name == name) return &e;
    }
    return nullptr;
  };
  const Extraction plain = Extract(*a).value();
  EXPECT_EQ(find(plain, "Samsung"), nullptr);
  EXPECT_EQ(find(plain, "Nutanix AHV"), nullptr);

  ExtractOptions o;
  o.gazetteer = &Shipped();
  const Extraction x = Extract(*a, o).value();
  const ExtractedEntity* samsung = find(x, "Samsung");
  ASSERT_NE(samsung, nullptr);
  EXPECT_EQ(samsung->type, "Company");
  EXPECT_EQ(samsung->aliases, std::vector<std::string>{"Samsung Electronics"});
  ASSERT_NE(find(x, "Nutanix AHV"), nullptr);
  EXPECT_EQ(find(x, "Nutanix AHV")->type, "Product");

  // The graph's own entity of a name outweighs the gazetteer.
  o.lookup = [](const std::string& n) { return n == "Samsung" ? std::string("Organization") : std::string(); };
  const Extraction y = Extract(*a, o).value();
  ASSERT_NE(find(y, "Samsung"), nullptr);
  EXPECT_EQ(find(y, "Samsung")->type, "Organization");
}

// A user's file extends the shipped gazetteer; its maker gives a DEVELOPS only where the
// article names the maker beside the product.
TEST(Extract, AUserGazetteerExtendsTheShippedOne) {
  pactgraph::testing::TempDir dir;
  std::ofstream(dir.File("mine.jsonl"))
      << "{\"name\": \"Fjordsoft Systems\", \"type\": \"Company\", \"aliases\": [\"Fjordsoft\"]}\n"
         "{\"name\": \"Glimmerbase\", \"type\": \"Product\", \"kind\": \"database\", \"maker\": \"Fjordsoft Systems\"}\n";
  Result<Gazetteer> g = Gazetteer::Load({std::string(PG_DATASETS_DIR) + "/gazetteer", dir.File("mine.jsonl")});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ExtractOptions o;
  o.gazetteer = &*g;

  Result<Article> a = ParseArticle("Title: Notice\n\nFjordsoft said on Tuesday that Glimmerbase now runs on Windows Azure.\n", "t.txt");
  ASSERT_TRUE(a.ok());
  const Extraction x = Extract(*a, o).value();
  std::set<std::string> typed, facts;
  for (const ExtractedEntity& e : x.entities) typed.insert(e.name + ":" + e.type);
  for (const ExtractedRelation& r : x.relations) facts.insert(r.type + " " + r.subject + " " + r.object);
  EXPECT_TRUE(typed.count("Fjordsoft:Company"));
  EXPECT_TRUE(typed.count("Glimmerbase:Product"));
  EXPECT_TRUE(typed.count("Windows Azure:Product"));  // the shipped one still types
  EXPECT_TRUE(facts.count("DEVELOPS Fjordsoft Glimmerbase"));
  EXPECT_TRUE(facts.count("RUNS_ON Glimmerbase Windows Azure"));

  Result<Article> b = ParseArticle("Title: Notice\n\nGlimmerbase now runs on Windows Azure.\n", "t.txt");
  ASSERT_TRUE(b.ok());
  const Extraction y = Extract(*b, o).value();
  for (const ExtractedRelation& r : y.relations) EXPECT_NE(r.type, "DEVELOPS");
}

// A heading on a line of its own is a paragraph of its own: a dated timeline's "Friday, April
// 10" is not the start of the sentence below it, and neither is "By Jane Roe".
TEST(Reader, AHeadingLineIsItsOwnParagraph) {
  Result<Article> a = ParseArticle(
      "Title: A timeline\n\nFriday, April 10\nThe two companies announce their collaboration.\n"
      "It was a long day, and\nThe Fjordsoft team stayed late.\n",
      "t.txt");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body,
            "Friday, April 10\n\nThe two companies announce their collaboration. It was a long day, and The Fjordsoft team "
            "stayed late.");
}

Extraction WithGazetteer(const std::string& text, const std::string& extra = {}) {
  pactgraph::testing::TempDir dir;
  std::ofstream(dir.File("mine.jsonl")) << extra;
  Result<Gazetteer> g = Gazetteer::Load({std::string(PG_DATASETS_DIR) + "/gazetteer", dir.File("mine.jsonl")});
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  ExtractOptions o;
  o.gazetteer = &*g;
  Result<Article> a = ParseArticle(text, "t.txt");
  EXPECT_TRUE(a.ok());
  return Extract(*a, o).value();
}

bool AnyEntityHas(const Extraction& x, const std::string& word) {
  return std::any_of(x.entities.begin(), x.entities.end(), [&](const ExtractedEntity& e) { return e.name.find(word) != std::string::npos; });
}

// Datelines with a date ("OSLO, Jan 27 -"), a date in a sentence, and a sentence's first word
// that the article otherwise writes in lower case are not names.
TEST(Extract, DatesAndSentenceWordsAreNotNames) {
  const Extraction x = Of(
      "Title: Notice\n\nOSLO, Jan 27 - Fjordsoft Inc. and Quillware Corp. signed a patent agreement.\n\n"
      "Later, Quillware Corp. will ship Quill OS 2 for laptops. The deal was signed on Jan 26 and takes effect later.\n");
  EXPECT_FALSE(AnyEntityHas(x, "Jan")) << ToJsonl({}, x);
  EXPECT_FALSE(AnyEntityHas(x, "Later")) << ToJsonl({}, x);
  EXPECT_FALSE(AnyEntityHas(x, "OSLO")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Quill OS 2", "Product")) << ToJsonl({}, x);
}

// What an apposition is: its head noun, not a noun of the modifier after it; a kind of thing
// right before a name; a place or a place's adjective is neither company nor product.
TEST(Extract, AppositionsKindsAndPlaces) {
  const Extraction x = Of(
      "Title: Notice\n\nNorland makes Glimmerpad, an app developed by the Bergen company Quillbyte, available today. "
      "Glimmerdesk, the digital arm of Norland's health ministry, will use it. "
      "An outage at Fjordsoft's North American instances left some customers without service.\n");
  EXPECT_TRUE(HasEntity(x, "Glimmerpad", "Product")) << ToJsonl({}, x);
  EXPECT_FALSE(HasEntity(x, "Glimmerpad", "Company")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Quillbyte", "Company")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Glimmerdesk", "Organization")) << ToJsonl({}, x);
  EXPECT_FALSE(AnyEntityHas(x, "North American")) << ToJsonl({}, x);
}

// Names the gazetteer knows set boundaries: "for <a known company>" ends a product's name, "New"
// inside a sentence starts one, and a capitalised "One" or "Update" belongs to it. A name that
// extends a known company's or product's name is that line's product, and the company named
// inside a product's name is an entity of the article.
TEST(Extract, KnownNamesSetBoundariesAndTypes) {
  const std::string mine =
      "{\"name\": \"Fjordsoft\", \"type\": \"Company\"}\n"
      "{\"name\": \"Quillware\", \"type\": \"Company\"}\n"
      "{\"name\": \"Fjordsoft Assistant\", \"type\": \"Product\", \"maker\": \"Fjordsoft\"}\n"
      "{\"name\": \"Glimmerbase\", \"type\": \"Product\"}\n"
      "{\"name\": \"New Bergen Herald\", \"type\": \"Organization\", \"kind\": \"publication\"}\n";
  const Extraction x = WithGazetteer(
      "Title: Notice\n\nQuillware built the Nordic Tablet Pro for Fjordsoft in 2011, as first reported by the New Bergen "
      "Herald. Quillware also ships Quill Business One and Quill 10 Anniversary Update. Customers can ask Fjordsoft "
      "Assistant for help, and QuillwareIQ and Glimmerbase Replication run on Quill OS.\n",
      mine);
  EXPECT_TRUE(HasEntity(x, "Nordic Tablet Pro", "Product")) << ToJsonl({}, x);
  EXPECT_FALSE(AnyEntityHas(x, "Pro for")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "New Bergen Herald", "Organization")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Quill Business One", "Product")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Quill 10 Anniversary Update", "Product")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Fjordsoft", "Company")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "QuillwareIQ", "Product")) << ToJsonl({}, x);
  EXPECT_TRUE(HasEntity(x, "Glimmerbase Replication", "Product")) << ToJsonl({}, x);

  const Extraction y = WithGazetteer("Title: Notice\n\nCustomers can ask Fjordsoft Assistant for help.\n", mine);
  EXPECT_TRUE(HasEntity(y, "Fjordsoft", "Company")) << ToJsonl({}, y);
}

// "users can expect results in the 2nd half of 2009": what is planned gets that time.
TEST(Extract, PlannedFactsGetTheExpectedTime) {
  Result<Article> a = ParseArticle(
      "Title: Notice\nDate: 2009-02-16\n\nQuillware Corp. will support Fjord Server 2008 on Quill OS. Users can expect the "
      "first results in the 2nd half of 2009.\n",
      "t.txt");
  ASSERT_TRUE(a.ok());
  const Extraction x = Extract(*a).value();
  bool found = false;
  for (const ExtractedRelation& r : x.relations) {
    if (r.type != "SUPPORTS") continue;
    found = true;
    EXPECT_EQ(r.qualifiers.count("status") ? r.qualifiers.at("status") : "", "planned");
    EXPECT_EQ(r.qualifiers.count("date") ? r.qualifiers.at("date") : "", "2009-H2");
  }
  EXPECT_TRUE(found) << ToJsonl(*a, x);
}

// What the sentence says the company does, or will do, without a hedge.
const char* const kPlainSupport = "Acme Corp. supports Fjord Server 2008 on Quill OS.";

// Speculation is not a fact: each hedged form of the same statement gives no relation.
TEST(Extract, HedgedStatementsGiveNoRelations) {
  // The unhedged sentence gives the fact, so what the hedges remove is there to remove.
  const Extraction plain = Of(std::string("Title: Notice\n\n") + kPlainSupport + "\n");
  ASSERT_TRUE(HasRelation(plain, "SUPPORTS", "Acme Corp.", "Fjord Server 2008")) << ToJsonl({}, plain);
  for (const char* s : {
           "Acme Corp. may support Fjord Server 2008 on Quill OS.",
           "Acme Corp. might support Fjord Server 2008 on Quill OS.",
           "Acme Corp. could add support for Fjord Server 2008 on Quill OS.",
           "Analysts think Acme Corp. will support Fjord Server 2008 on Quill OS.",
           "Acme Corp. is expected by analysts to support Fjord Server 2008 on Quill OS.",
           "Acme Corp. is rumoured to support Fjord Server 2008 on Quill OS.",
           "Acme Corp. reportedly supports Fjord Server 2008 on Quill OS.",
           "Acme Corp. is said to support Fjord Server 2008 on Quill OS.",
           "There is speculation that Acme Corp. will support Fjord Server 2008 on Quill OS.",
           "If the deal goes through, Acme Corp. would support Fjord Server 2008 on Quill OS.",
           "Will Acme Corp. support Fjord Server 2008 on Quill OS?",
       }) {
    const Extraction x = Of(std::string("Title: Notice\n\n") + s + "\n");
    for (const ExtractedRelation& r : x.relations) {
      EXPECT_NE(r.type, "SUPPORTS") << s << "\n" << ToJsonl({}, x);
      EXPECT_NE(r.type, "RUNS_ON") << s << "\n" << ToJsonl({}, x);
    }
  }
  // The month is not the modal.
  const Extraction may = Of("Title: Notice\n\nOn 20 May 2020 Acme Corp. supports Fjord Server 2008 on Quill OS.\n");
  EXPECT_TRUE(HasRelation(may, "SUPPORTS", "Acme Corp.", "Fjord Server 2008")) << ToJsonl({}, may);
  // A question in the headline is no more a fact than one in the body.
  const Extraction q = Of("Title: Will Acme Corp. support Fjord Server 2008 on Quill OS?\n\nThe companies did not comment.\n");
  for (const ExtractedRelation& r : q.relations) EXPECT_NE(r.type, "SUPPORTS") << ToJsonl({}, q);
}

// The company's own plans are not hedges: they stay facts, marked planned.
TEST(Extract, PlansAreNotHedges) {
  for (const char* s : {"Acme Corp. will support Fjord Server 2008 on Quill OS.",
                        "Acme Corp. plans to support Fjord Server 2008 on Quill OS.",
                        "Acme Corp. intends to support Fjord Server 2008 on Quill OS.",
                        "Acme Corp. expects to support Fjord Server 2008 on Quill OS."}) {
    const Extraction x = Of(std::string("Title: Notice\n\n") + s + "\n");
    bool found = false;
    for (const ExtractedRelation& r : x.relations) {
      if (r.type != "SUPPORTS" || NormalizeKey(r.object) != NormalizeKey("Fjord Server 2008")) continue;
      found = true;
      EXPECT_EQ(r.qualifiers.count("status") ? r.qualifiers.at("status") : "", "planned") << s;
    }
    EXPECT_TRUE(found) << s << "\n" << ToJsonl({}, x);
  }
}

// A hedge a named person voices is kept as that person's claim; the statement is not a fact.
TEST(Extract, HedgesWithASpeakerStayClaims) {
  const Extraction x = Of(
      "Title: Notice\n\nDana Whitlock, chief technology officer of Fjordsoft Inc., said that Acme Corp. may support "
      "Fjord Server 2008 on Quill OS next year.\n");
  const std::string j = ToJsonl({}, x);
  EXPECT_FALSE(HasRelation(x, "SUPPORTS", "Acme Corp.", "Fjord Server 2008")) << j;
  EXPECT_TRUE(std::any_of(x.claims.begin(), x.claims.end(), [](const ExtractedClaim& c) {
    return c.speaker == "Dana Whitlock" && c.text.find("may support") != std::string::npos;
  })) << j;
  // Who she works for is not hedged by what she says.
  EXPECT_TRUE(HasRelation(x, "WORKS_FOR", "Dana Whitlock", "Fjordsoft Inc.")) << j;
}


}  // namespace
}  // namespace pactgraph::ingest

namespace pactgraph::ingest {
namespace {

// A long press release made of sentences written for this test: many companies, products and
// people, "X will support Y on Z", quotations, lists; `distinct` numbers the names so that the
// article names thousands of entities.
std::string LongRelease(size_t bytes, bool distinct = true) {
  const std::vector<std::string> names = {"Acme", "Brightwater", "Cobalt", "Delmare", "Ember", "Fjordline", "Granite", "Harbor"};
  const std::vector<std::string> suffixes = {"Systems", "Software", "Networks", "Corp.", "Inc."};
  const std::vector<std::string> kinds = {"Server", "Cloud", "Studio", "Engine", "Gateway", "Platform"};
  std::string out = "Title: Acme Systems and Brightwater Software announce an interoperability agreement\nDate: 2020-01-01\n\n";
  for (size_t i = 0; out.size() < bytes; ++i) {
    const std::string tag = distinct ? std::to_string(i) : "";
    const std::string a = names[i % names.size()] + tag, b = names[(i * 3 + 1) % names.size()] + tag + "b";
    const std::string ca = a + " " + suffixes[i % suffixes.size()], cb = b + " " + suffixes[(i + 2) % suffixes.size()];
    const std::string p = a + " " + kinds[i % kinds.size()] + " " + std::to_string(2000 + i % 30);
    const std::string q = b + " " + kinds[(i + 3) % kinds.size()];
    switch (i % 6) {
      case 0: out += ca + " and " + cb + " today announced an agreement to make " + p + " and " + q + " interoperable. "; break;
      case 1: out += a + " will support " + q + " on " + p + ", and " + b + " will validate " + p + " as a guest on " + q + ". "; break;
      case 2: out += "\"Customers asked us for this, and we listened to them,\" said Jane Roe" + tag + ", vice president at " + ca + ". "; break;
      case 3: out += "The agreement covers three areas: joint support, shared research and coordinated marketing. "; break;
      case 4: out += a + " joins the " + b + " Partner Program, and " + b + " becomes a member of the " + a + " Certification Program. "; break;
      default: out += "The two companies plan to release " + p + ", " + q + " and " + a + " Studio in the second half of 2010.\n\n"; break;
    }
  }
  return out;
}

Article ArticleOf(const std::string& text) {
  Result<Article> a = ParseArticle(text, "long.txt");
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? *a : Article{};
}

// The extractor's work is linear in the text: a megabyte of press release, or of text shaped to
// make pairwise passes blow up, takes seconds (it took minutes when passes compared every
// entity with every other), well inside the time bound.
TEST(Extract, LongArticlesFinishWellInsideTheTimeBound) {
  const ExtractOptions o;  // the default bound, 20 s
  const Result<Extraction> x = Extract(ArticleOf(LongRelease(1 << 20)), o);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_GT(x->entities.size(), 5000u);
  EXPECT_GT(x->relations.size(), 5000u);
  // One name over and over; one sentence of a megabyte without a period; one capitalised run.
  std::string same, run_on, caps;
  while (same.size() < (1 << 20)) same += "Acme Server runs Acme Server on Acme Cloud, said Acme. ";
  for (size_t i = 0; run_on.size() < (1 << 20); ++i) run_on += "Acme" + std::to_string(i) + " will support Beta" + std::to_string(i) + " on Gamma and ";
  for (size_t i = 0; caps.size() < (1 << 20); ++i) caps += "Word" + std::to_string(i) + " ";
  for (const std::string& body : {same, run_on, caps}) {
    const Result<Extraction> y = Extract(ArticleOf("Title: A long one\n\n" + body + ".\n"), o);
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    for (const Sentence& s : y->sentences) EXPECT_LE(s.text.size(), kMaxSentenceBytes);
  }
}

// Past its time bound an extraction stops and says so, with the size of the article; nothing
// of it is returned.
TEST(Extract, StopsAtTheTimeBoundWithTheReason) {
  ExtractOptions o;
  o.max_seconds = 0.001;
  const Article a = ArticleOf(LongRelease(1 << 20));
  const Result<Extraction> x = Extract(a, o);
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(x.status().message(), "extraction stopped after 0.001 s (" + WithThousands((a.title.size() + a.body.size() + 1023) / 1024) + " KB)");
  // No bound at all: 0.
  o.max_seconds = 0;
  EXPECT_TRUE(Extract(ArticleOf(LongRelease(50000)), o).ok());
}

// A sentence that does not end is cut at a space before kMaxSentenceBytes; a run without spaces
// between two characters, never inside one.
TEST(Sentences, OverlongSentencesAreCutAtASpace) {
  std::string text;
  while (text.size() < 5000) text += "word and w\u00f6rd ";
  text += "end. Next one.";
  const std::vector<Sentence> s = SplitSentences(text);
  ASSERT_GE(s.size(), 4u);
  for (const Sentence& x : s) {
    EXPECT_LE(x.text.size(), kMaxSentenceBytes);
    EXPECT_EQ(text.substr(x.begin, x.end - x.begin), x.text);
    EXPECT_NE(x.text.front(), ' ');
    EXPECT_NE(x.text.back(), ' ');
  }
  EXPECT_EQ(s.back().text, "Next one.");
  std::string solid;
  while (solid.size() < 5000) solid += "\u00e9";
  for (const Sentence& x : SplitSentences(solid)) {
    EXPECT_LE(x.text.size(), kMaxSentenceBytes);
    EXPECT_NE(static_cast<unsigned char>(x.text.front()) & 0xC0, 0x80u);  // starts a character
  }
}


// True if the extraction has a claim by `speaker` whose text holds every one of `parts`.
bool HasClaim(const Extraction& x, const std::string& speaker, const std::vector<std::string>& parts) {
  return std::any_of(x.claims.begin(), x.claims.end(), [&](const ExtractedClaim& c) {
    if (c.speaker != speaker) return false;
    for (const std::string& p : parts) {
      if (c.text.find(p) == std::string::npos) return false;
    }
    return true;
  });
}

// '"...," she said' after a sentence that names her is her quotation.
TEST(ExtractClaims, SheSaidAfterAQuoteIsThePersonNamedLast) {
  const Extraction x = Of(
      "Title: Notice\n\nDana Whitlock, chief executive of Fjordsoft Inc., spoke to reporters on Monday. \"We are very glad to work with Fjordsoft on this "
      "new platform,\" she said.\n");
  EXPECT_TRUE(HasClaim(x, "Dana Whitlock", {"very glad to work"})) << ToJsonl({}, x);
}

// A quotation that runs over several sentences is one claim, with all of them.
TEST(ExtractClaims, AQuotationOverSeveralSentencesIsOneClaim) {
  const Extraction x = Of(
      "Title: Notice\n\nDana Whitlock, chief executive of Fjordsoft Inc., spoke to reporters on Monday. \"Customers asked us for this for years. We "
      "listened to them closely. Now the real work begins in earnest,\" she said.\n");
  EXPECT_TRUE(HasClaim(x, "Dana Whitlock", {"Customers asked", "We listened", "Now the real work"})) << ToJsonl({}, x);
}

// "The companies said ..." is a joint statement: a claim of each party.
TEST(ExtractClaims, WhatTheCompaniesSayIsAClaimOfEach) {
  const Extraction x = Of(
      "Title: Acme and Fjordsoft partner on cloud\n\nAcme Corp. and Fjordsoft Inc. announced a partnership on "
      "Monday. The companies say the joint service will reach customers in Europe later this year.\n");
  const std::string j = ToJsonl({}, x);
  size_t joint = 0;
  for (const ExtractedClaim& c : x.claims) joint += c.text.find("joint service will reach") != std::string::npos;
  EXPECT_EQ(joint, 2u) << j;
}

// "<clause>, according to a statement from X" is X's claim.
TEST(ExtractClaims, AccordingToAfterTheClauseNamesTheSpeaker) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. makes servers. The licence covers existing patents as well as patents filed "
      "over the next ten years, according to a statement from Fjordsoft Inc.\n");
  EXPECT_TRUE(std::any_of(x.claims.begin(), x.claims.end(), [](const ExtractedClaim& c) {
    return c.text.find("covers existing patents") != std::string::npos && c.text.find("according") == std::string::npos;
  })) << ToJsonl({}, x);
}

// "believes that", "told employees that": reported speech; a few words in quotation marks do not
// make the sentence a quotation.
TEST(ExtractClaims, BeliefsAndToldThatAreReportedSpeech) {
  const Extraction x = Of(
      "Title: Notice\n\nDana Whitlock, chief executive of Fjordsoft Inc., believes that the new platform will double the sales of the company. Early in "
      "May Corin Vale told employees that the company stood on a \"burning platform\" and had to change.\n");
  const std::string j = ToJsonl({}, x);
  EXPECT_TRUE(HasClaim(x, "Dana Whitlock", {"the new platform will double"})) << j;
  EXPECT_TRUE(HasClaim(x, "Corin Vale", {"the company stood on"})) << j;
}

// What a jury found is not the claim of a company named elsewhere in the sentence.
TEST(ExtractClaims, AFindingIsNotTheClaimOfACompanyFarBeforeIt) {
  const Extraction x = Of(
      "Title: Notice\n\nAcme Corp. has fought Fjordsoft Inc. in court since 2011; in 2012 a jury found that Acme "
      "Corp. had infringed several Fjordsoft patents.\n");
  EXPECT_TRUE(x.claims.empty()) << ToJsonl({}, x);
}

}  // namespace
}  // namespace pactgraph::ingest

namespace pactgraph::ingest {
namespace {

bool HasClaim(const Extraction& x, const std::string& speaker, const std::string& words) {
  return std::any_of(x.claims.begin(), x.claims.end(), [&](const ExtractedClaim& c) {
    return NormalizeKey(c.speaker) == NormalizeKey(speaker) && c.text.find(words) != std::string::npos;
  });
}

TEST(ExtractCoreference, TheCompanyIsTheCompanyNamedBefore) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. released Lumen DB last year. The company will support Quill OS on the Vega "
      "hypervisor.\n");
  EXPECT_TRUE(HasRelation(x, "SUPPORTS", "Fjordsoft Inc.", "Quill OS")) << ToJsonl({}, x);
  // The description is no name: no entity, no alias.
  for (const ExtractedEntity& e : x.entities) {
    EXPECT_EQ(NormalizeKey(e.name).find("company"), std::string::npos) << e.name;
    for (const std::string& a : e.aliases) EXPECT_EQ(NormalizeKey(a).find("company"), std::string::npos) << a;
  }
}

TEST(ExtractCoreference, ItAndItsAreTheSubjectBefore) {
  const Extraction x = Of(
      "Title: Notice\n\nQuillware Corp. released Lumen DB in May. It will certify Lumen DB on its Quill OS.\n");
  EXPECT_TRUE(HasRelation(x, "VALIDATES", "Quillware Corp.", "Lumen DB")) << ToJsonl({}, x);
  EXPECT_TRUE(HasRelation(x, "DEVELOPS", "Quillware Corp.", "Quill OS")) << ToJsonl({}, x);
}

TEST(ExtractCoreference, TheTwoCompaniesAreThePairOfTheArticle) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. today announced a partnership. The two companies will jointly "
      "certify Lumen DB on Quill OS. The companies said the first certified releases would ship later this year.\n");
  const std::string j = ToJsonl({}, x);
  EXPECT_TRUE(HasRelation(x, "VALIDATES", "Fjordsoft Inc.", "Lumen DB")) << j;
  EXPECT_TRUE(HasRelation(x, "VALIDATES", "Quillware Corp.", "Lumen DB")) << j;
  EXPECT_TRUE(HasClaim(x, "Fjordsoft Inc.", "the first certified releases would ship")) << j;
  EXPECT_TRUE(HasClaim(x, "Quillware Corp.", "the first certified releases would ship")) << j;
}

TEST(ExtractCoreference, ThePactIsTheArticlesAgreement) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. today signed an agreement. Dana Whitlock said that the pact "
      "gives customers of both one support desk for every product.\n");
  const auto claim = std::find_if(x.claims.begin(), x.claims.end(), [](const ExtractedClaim& c) { return c.speaker == "Dana Whitlock"; });
  ASSERT_NE(claim, x.claims.end()) << ToJsonl({}, x);
  EXPECT_TRUE(std::any_of(claim->about.begin(), claim->about.end(), [](const std::string& a) { return a.find("agreement") != std::string::npos; }))
      << ToJsonl({}, x);
}

TEST(ExtractCoreference, AnAmbiguousReferenceGivesNothing) {
  const Extraction x = Of(
      "Title: Notice\n\nFjordsoft Inc. and Quillware Corp. met on Monday. It will support Quill OS on the Vega hypervisor. "
      "The company will also certify Lumen DB.\n");
  for (const ExtractedRelation& r : x.relations) {
    EXPECT_TRUE(r.type != "SUPPORTS" && r.type != "VALIDATES") << ToJsonl({}, x);
  }
}

}  // namespace
}  // namespace pactgraph::ingest

namespace pactgraph::ingest {
namespace {

// People and whom they work for, in the shapes articles introduce them. Fjordsoft Inc. and
// Quillware Corp. are the companies of every text; the people's first names are in no list, so
// only the shape of the sentence says they are people.
Extraction People(const std::string& sentences) {
  return Of("Title: Notice\n\nFjordsoft Inc. and Quillware Corp. announced a partnership on Monday. " + sentences + "\n");
}

bool WorksFor(const Extraction& x, const std::string& person, const std::string& company) {
  return std::any_of(x.relations.begin(), x.relations.end(), [&](const ExtractedRelation& r) {
    return r.type == "WORKS_FOR" && NormalizeKey(r.subject) == NormalizeKey(person) && NormalizeKey(r.object).starts_with(NormalizeKey(company));
  });
}

TEST(ExtractPeople, TitlesJoinedByAndStandBetweenCompanyAndName) {
  const Extraction x = People("Quillware founder and chief executive Zoltan Brisk called it a milestone.");
  EXPECT_TRUE(WorksFor(x, "Zoltan Brisk", "Quillware")) << ToJsonl({}, x);
}

TEST(ExtractPeople, WhoLeadsOrTheHeadOfACompanysUnit) {
  const Extraction x = People(
      "Zoltan Brisk, who leads Quillware's cloud unit, called it a milestone. Corin Vale, the head of Fjordsoft's "
      "devices group, agreed.");
  EXPECT_TRUE(WorksFor(x, "Zoltan Brisk", "Quillware")) << ToJsonl({}, x);
  EXPECT_TRUE(WorksFor(x, "Corin Vale", "Fjordsoft")) << ToJsonl({}, x);
}

// A unit named after its company ("Fjordsoft Cloud Services") is that company's.
TEST(ExtractPeople, ATitleAtAUnitNamedAfterItsCompany) {
  const Extraction x = People("Zoltan Brisk, executive vice president of engineering at Fjordsoft Cloud Services, called it a milestone.");
  EXPECT_TRUE(WorksFor(x, "Zoltan Brisk", "Fjordsoft")) << ToJsonl({}, x);
}

// A former employer is still one the person worked for (the gold marks it ended).
TEST(ExtractPeople, FormerEmployersAndCareers) {
  const Extraction x = People(
      "Zoltan Brisk, a former Globex Networks executive, called it a milestone. Corin Vale became Quillware's president in "
      "2019. Before that Vale had been vice president of sales at Fjordsoft, and before that she was chief operating "
      "officer of Initech Systems.");
  const std::string j = ToJsonl({}, x);
  EXPECT_TRUE(WorksFor(x, "Zoltan Brisk", "Globex Networks")) << j;
  EXPECT_TRUE(HasEntity(x, "Corin Vale", "Person")) << j;
  EXPECT_TRUE(WorksFor(x, "Corin Vale", "Quillware")) << j;
  EXPECT_TRUE(WorksFor(x, "Corin Vale", "Fjordsoft")) << j;
  EXPECT_TRUE(WorksFor(x, "Corin Vale", "Initech Systems")) << j;
}

// "At Acme ..., Jane Roe, president of the Devices Business": the unit is Acme's.
TEST(ExtractPeople, ATitleInASentenceSetAtACompany) {
  const Extraction x = People("At Quillware the work was led by Zoltan Brisk, president of the Devices Business, whose group built the phone.");
  EXPECT_TRUE(WorksFor(x, "Zoltan Brisk", "Quillware")) << ToJsonl({}, x);
}

// A company's possessive after a clause boundary is not the titled person's employer.
TEST(ExtractPeople, APossessiveInALaterClauseIsNoEmployer) {
  const Extraction x = People("The board under chairman Corin Vale replaced him after Initech's phones had eaten into Quillware's business.");
  EXPECT_FALSE(WorksFor(x, "Corin Vale", "Initech")) << ToJsonl({}, x);
}

// '"...," said A, title of X, and B, title of Y': a statement of both.
TEST(ExtractPeople, TwoSpeakersAfterAQuotationBothMadeIt) {
  const Extraction x = People(
      "\"This agreement lets both of us put our full effort into new products,\" said Zoltan Brisk, president and chief executive of "
      "Fjordsoft, and Corin Vale, president of Quillware, in a joint statement.");
  const std::string j = ToJsonl({}, x);
  for (const char* who : {"Zoltan Brisk", "Corin Vale"}) {
    EXPECT_TRUE(std::any_of(x.claims.begin(), x.claims.end(), [&](const ExtractedClaim& c) {
      return c.speaker == who && c.text.find("full effort") != std::string::npos;
    })) << who << "\n" << j;
  }
}

// A surname alone later in the article is the person named in full before, first name listed
// or not.
TEST(ExtractPeople, ASurnameLaterIsThePersonNamedBefore) {
  const Extraction x = People(
      "Zoltan Brisk, chief technology officer of Quillware, called it a milestone. Brisk said that customers had asked for "
      "the change for years.");
  EXPECT_TRUE(std::any_of(x.claims.begin(), x.claims.end(), [](const ExtractedClaim& c) {
    return c.speaker == "Zoltan Brisk" && c.text.find("customers had asked") != std::string::npos;
  })) << ToJsonl({}, x);
}

// A plural acronym is a common noun, alone or after a name, unless the gazetteer writes it so.
TEST(Extract, PluralAcronymsAreNotNames) {
  const Extraction x = Of("Title: Notice\n\nCustomers move their VMs to Quill Cloud, and Windows 10 PCs run the Fjord Agent.\n");
  std::set<std::string> names;
  for (const ExtractedEntity& e : x.entities) names.insert(e.name);
  EXPECT_FALSE(names.count("VMs")) << ToJsonl({}, x);
  EXPECT_FALSE(names.count("Windows 10 PCs")) << ToJsonl({}, x);
  EXPECT_TRUE(names.count("Windows 10")) << ToJsonl({}, x);  // the name before it stays
}

// "Both A and B made it very clear that ...": reported speech, a claim of each.
TEST(Extract, MadeItClearIsReportedSpeechOfEachSpeaker) {
  const Extraction x = Of(
      "Title: Notice\n\nJane Roe, chief executive of Fjordsoft, and Peter Lund, president of Kestrel Systems, spoke on Monday. "
      "Both Jane Roe and Peter Lund made it very clear that this move was driven by customer demand.\n");
  std::set<std::string> speakers;
  for (const ExtractedClaim& c : x.claims) {
    if (c.text.find("driven by customer demand") != std::string::npos) speakers.insert(c.speaker);
  }
  EXPECT_EQ(speakers, (std::set<std::string>{"Jane Roe", "Peter Lund"})) << ToJsonl({}, x);
}

// Legal forms beyond the English ones name a company ("Fjordsoft AS", "Kestrel Oyj"); a
// two-letter one counts only capitalised ("runs as a guest" is no company).
TEST(Extract, NordicAndOtherLegalFormsNameCompanies) {
  const Extraction x = Of(
      "Title: Notice\n\nBrisk Data AS and Quillware Oyj today announced a partnership. Brisk Data will support Quillbase on "
      "Fjord Cloud, where it runs as a guest.\n");
  std::map<std::string, std::string> types;
  for (const ExtractedEntity& e : x.entities) types[e.name] = e.type;
  EXPECT_EQ(types["Brisk Data"], "Company") << ToJsonl({}, x);
  EXPECT_EQ(types["Quillware"], "Company") << ToJsonl({}, x);
  EXPECT_TRUE(Has(x, "PARTNERS_WITH", "Brisk Data", "Quillware") || Has(x, "PARTNERS_WITH", "Quillware", "Brisk Data")) << ToJsonl({}, x);
}

// Versions read off names: after a one-word brand, only a dotted version or a word and a number
// ("Quill 6.0", "Vega Server 2008"), not another product of the brand ("Quill Studio", "Vega
// 365"); after a longer name, not the same product for one platform ("Lumen Desktop 18 for Mac").
TEST(Extract, VersionsReadOffNamesAreVersions) {
  Extraction x = Of("Title: Releases\n\nKestrel Systems shipped the Quill 6.0 operating system and the Quill Studio software "
                    "today. Brightwave Labs released the Vega Server 2008 software and the Vega 365 software. Fjordsoft "
                    "released the Lumen Desktop 18 software and the Lumen Desktop 18 for Mac software. The first Quill software "
                    "and the first Vega software came out in 2001.\n");
  EXPECT_TRUE(HasRelation(x, "VARIANT_OF", "Quill 6.0", "Quill"));
  EXPECT_TRUE(HasRelation(x, "VARIANT_OF", "Vega Server 2008", "Vega"));
  EXPECT_FALSE(HasRelation(x, "VARIANT_OF", "Quill Studio", "Quill"));
  EXPECT_FALSE(HasRelation(x, "VARIANT_OF", "Vega 365", "Vega"));
  EXPECT_FALSE(HasRelation(x, "VARIANT_OF", "Lumen Desktop 18 for Mac", "Lumen Desktop 18"));
}

// A short model code with a digit after a name's first word stays in the name ("Vega Slate x2").
TEST(Extract, ModelCodesStayInNames) {
  Extraction x = Of("Title: Devices\n\nBrightwave Labs shipped the Vega Slate x2 today. Kestrel Systems shipped the Quill Book v4.\n");
  EXPECT_TRUE(HasEntity(x, "Vega Slate x2", "Product"));
  EXPECT_TRUE(HasEntity(x, "Quill Book v4", "Product"));
}

// "Long Name (ACRONYM)" makes the acronym an alias only when its capitals are the long name's
// initials: "... on Tern Cloud (VSTC)" names the whole service, not Tern Cloud.
TEST(Extract, AnAcronymIsAnAliasOfTheNameItAbbreviates) {
  Extraction x = Of("Title: Launch\n\nBrightwave Labs launched Vega Service on Tern Cloud (VSTC) and Kestrel Cloud Services "
                    "(KCS) today, running on Quill OS.\n");
  auto aliases = [&](const std::string& name) {
    for (const ExtractedEntity& e : x.entities) {
      if (e.name == name) return e.aliases;
    }
    return decltype(x.entities[0].aliases){};
  };
  const auto tern = aliases("Tern Cloud");
  EXPECT_EQ(std::count(tern.begin(), tern.end(), "VSTC"), 0);
  const auto kestrel = aliases("Kestrel Cloud Services");
  EXPECT_EQ(std::count(kestrel.begin(), kestrel.end(), "KCS"), 1);
}

// Where and to whom something was said is not what was said: "said in a post on the company's
// blog that ...", "told us the team ...".
TEST(ExtractClaims, WhereAndToWhomAreNotTheClaim) {
  Extraction x = Of("Title: Notes\n\nLaura Vik, chief executive of Fjordsoft, said in a post on the company's blog that the "
                    "new release is ready for production use.\n\nPeter Lund, who leads Kestrel Systems, told us the team was "
                    "thrilled to see the language adopted so widely.\n");
  std::map<std::string, std::string> said;
  for (const ExtractedClaim& c : x.claims) said[c.speaker] = c.text;
  EXPECT_EQ(said["Laura Vik"].rfind("the new release is ready", 0), 0u) << said["Laura Vik"];
  EXPECT_EQ(said["Peter Lund"].rfind("the team was thrilled", 0), 0u) << said["Peter Lund"];
}

// A person named with no cue around the name is known by a given name from many languages.
TEST(ExtractPeople, GivenNamesFromManyLanguages) {
  Extraction x = Of("Title: On stage\n\nIngrid Solheim Dahl made the announcement on stage at Fjordsoft.\n");
  EXPECT_TRUE(HasEntity(x, "Ingrid Solheim Dahl", "Person"));
}

}  // namespace
}  // namespace pactgraph::ingest
