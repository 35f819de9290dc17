// The text extractor's workings, shared by its phases (one .cc each, in this folder; the order
// they run in is Extractor::Run, in extract.cc). For the extractor only: the rest of the program
// calls Extract and ToJsonl (ingest/extract.h).
//
// An Extractor reads one article, once: Run() splits it into units (the title, then each
// sentence of the body), finds the names in them (mentions), gathers the mentions into entities
// and types them, then reads relations, programs, deal terms and claims off the sentences, and
// hands back what it found. Not safe to share between threads; each call of Extract has its own.
#ifndef PACTGRAPH_INGEST_INTERNAL_EXTRACTOR_H_
#define PACTGRAPH_INGEST_INTERNAL_EXTRACTOR_H_

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/names.h"
#include "graph/status.h"
#include "graph/text.h"
#include "ingest/extract.h"
#include "ingest/extract/lexicon.h"
#include "ingest/extract/rules.h"
#include "ingest/gazetteer.h"
#include "ingest/reader.h"
#include "ingest/text_units.h"

namespace pactgraph::ingest::extract {

inline std::string Lower(std::string_view s) { return AsciiLower(s); }

// A name as one sentence writes it.
struct Mention {
  size_t unit = 0;             // 0: the title; i: body sentence i
  size_t tb = 0, te = 0;       // tokens [tb, te)
  std::string text;
  int entity = -1;
  size_t since = 0;       // the number of merges when `entity` was set (see Extractor::Relabel)
  bool suffixed = false;  // ends in a corporate suffix: "Red Hat, Inc.", "Acme Corp."
  bool refers = false;    // a word that refers back to the entity ("it", "the company"; coref.cc)
  bool possessive = false;  // ... as a possessive pronoun ("its", "their")
  bool pair = false;        // ... one of a pair over the same words ("the two companies")
};

// The title or one sentence of the body, with its tokens and the names found in it.
struct Unit {
  std::string text;
  uint32_t begin = 0, end = 0;  // in the body (the title: 0, 0)
  std::vector<Token> toks;
  std::vector<int> mention_at;  // token -> mention index starting or covering it, or -1
  std::vector<size_t> mentions; // indexes into Extractor::mentions_
};

// What the mentions of one name (and its other forms) refer to.
struct Entity {
  std::string name;
  std::map<std::string, double> votes;
  std::set<std::string> aliases;
  std::string type;  // decided
  bool keep = false;
  const GazetteerEntry* known = nullptr;  // the gazetteer's entry for the name, when it has one
  bool event = false;  // named as an event ("the Ignite conference"): neither company nor product
};

inline bool IsWord(const Token& t) { return t.kind == Token::Kind::kWord; }

inline bool AllCaps(const std::string& s) {
  bool letter = false;
  for (char c : s) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    letter = letter || std::isalpha(static_cast<unsigned char>(c));
  }
  return letter;
}

class Extractor {
 public:
  // `a` and `o` must outlive the Extractor.
  Extractor(const Article& a, const ExtractOptions& o) : a_(a), o_(o) {}

  // The facts of the article, or kResourceExhausted when the time bound ran out. Call once.
  Result<Extraction> Run();

 private:
  // extract.cc: the time bound.
  bool OutOfTime();
  Status Stopped() const;

  // mentions.cc: units, and the names in them.
  bool ReadUnits();
  void NoteCase();
  bool NameToken(const Unit& u, size_t i, bool inside) const;
  static bool IsTitleToken(const std::string& l);
  size_t DatelineEnd(const Unit& u) const;
  static bool CorporateSuffix(const std::string& t);
  static bool IsPluralAcronym(const std::string& t);
  static bool Shouted(const Unit& u);
  void FindShoutedMentions(size_t ui, const std::unordered_map<std::string, std::string>& article_names);
  bool Known(const std::string& name) const;
  bool KnownAsWritten(const std::string& name) const;
  bool TwoKnownNames(const Unit& u, size_t b, size_t e) const;
  bool KnownCompanyAt(const Unit& u, size_t at) const;
  void FindMentions(size_t ui);
  void AddMention(size_t ui, size_t b, size_t e);
  std::string SpanText(const Unit& u, size_t b, size_t e) const;

  // entities.cc: mentions into entities; merges; the names of companies.
  int EntityFor(const std::string& name);
  void Alias(int e, const std::string& alias);
  void Cluster();
  int Root(int e);
  void Merge(int from, int into);
  void Relabel();
  static bool LooksLikePerson(const std::string& name);
  void Surnames();
  void IndexCompany(int c);
  int CompanyPrefixOf(const std::string& name);
  std::string ShortName(int c) const;
  std::vector<std::string> CompanyNames(int c) const;
  bool TailOfAnotherMaker(int tail, int maker);
  std::string OwnerBefore(const Mention& m) const;
  bool AuxiliaryOfJointAction(const Unit& u, size_t v) const;
  static bool VersionOf(const std::string& var, const std::string& base);
  static bool AcronymOf(const std::string& acronym, const std::string& name);

  // types.cc: what each entity is.
  std::string LowerAt(const Unit& u, long i) const;
  void Vote();
  bool IsTitleBefore(const Unit& u, size_t at) const;
  void Decide();

  // canonical_names.cc: names settled once the types are known.
  void MakerProducts();
  void CompanyTails();
  void ShortCanonicalNames();
  void GazetteerNames();

  // clauses.cc: who acts, on what; which sentences state and which speculate.
  static std::vector<int> Distinct(const std::vector<const Mention*>& ms);
  std::vector<const Mention*> Of(const Unit& u, const std::string& type) const;
  bool HedgedAt(size_t ui, size_t tb, size_t te);
  static std::vector<std::pair<size_t, size_t>> HedgedClauses(const Unit& u);
  bool Planned(const Unit& u) const;
  std::vector<int> ProductsFrom(const Unit& u, size_t from, size_t limit, const std::set<std::string>& stops) const;
  std::vector<int> ActorsBefore(const Unit& u, size_t at) const;
  std::vector<int> CompaniesBefore(const Unit& u, size_t at) const;
  std::vector<int> JointGroup(const Unit& u) const;
  std::vector<int> CompaniesNotPossessors(const Unit& u) const;
  std::pair<int, int> JointActors(const Unit& u) const;
  static bool AbbreviationPeriod(const Unit& u, size_t k);
  std::vector<int> ProductsBeforeVerb(const Unit& u, size_t k) const;
  std::vector<int> Announcers(const Unit& u) const;

  // relations.cc: the relations a sentence states besides its verbs' (possessives,
  // appositions, titles, partnership cues).
  void Relations(size_t ui);
  // Whom a title names: the company (-1 when none), where the title ends, where the company's name ends.
  struct Employer {
    int company = -1;
    size_t title_end = 0;
    size_t end = 0;
  };
  Employer EmployerAt(const Unit& u, size_t from, size_t limit);
  void PersonApposition(size_t ui, const Mention& m);
  void Career(size_t ui, int person, size_t at, size_t tb);
  size_t CareerVerbEnd(const Unit& u, size_t k, bool* ended) const;

  // coref.cc: the words that refer back to a name, given mentions of its entity.
  void Coreference();
  void Refer(size_t ui, size_t b, size_t e, const std::vector<int>& entities, bool possessive);
  bool SubjectAt(const Unit& u, size_t b, size_t e) const;
  bool NameAfter(const Unit& u, size_t k) const;
  bool OpensClause(const Unit& u, size_t k) const;
  bool InPrepositionalPhrase(const Unit& u, const Mention& m) const;
  int ObjectAntecedent(size_t ui, size_t at) const;
  int ProductAntecedent(size_t ui, size_t at, const std::vector<std::string>& words) const;
  int Antecedent(size_t ui, size_t at, bool products, const std::set<std::string>& kinds, bool reach_back) const;
  std::pair<int, int> PairBefore(size_t ui, size_t at) const;

  // grammar.cc: the relations a sentence's clauses state, as the relation rules read them.
  void GrammarRelations(size_t ui);
  void Apply(size_t ui, const Frame& f, const RuleMatch& m);
  void ApplyDeferred();
  int EmployerOf(int p) const;
  Frame ChunkFrame(const Unit& u, size_t k) const;
  // True when the noun at token `k` is ended by a verb of lexicon/ending_verbs.txt: its object
  // ("dropped support for", "ended its partnership with") or its verb ("the agreement expired").
  bool EndedNoun(const Unit& u, size_t k) const;
  static void Complete(const Frame& chunked, Frame* parsed);
  std::vector<int> EntitiesIn(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const;
  size_t TokenAt(const Unit& u, uint32_t at) const;
  int OrganizationNamed(const std::string& head) const;
  bool SaidBefore(size_t ui, size_t verb);
  std::vector<int> HeadEntitiesIn(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const;
  std::vector<TextSpan> OverOfPhrase(const Unit& u, const std::vector<TextSpan>& spans) const;
  std::vector<int> RelativeAntecedent(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const;

  // deals.cc: the article's deal, its parties and what it covers.
  void DealScope(size_t ui);
  void AddTerm(const std::string& rel, const std::string& term, size_t ui, const std::string& rule, size_t tb, size_t te);
  void DealTerms(size_t ui);
  std::vector<std::string> Terms(const Unit& u, size_t from) const;
  struct TermRun {
    std::vector<std::string> terms;
    size_t end = 0;  // the token after the list
  };
  size_t TermPhrase(const Unit& u, size_t k, size_t* b, size_t* e, bool* cut) const;
  TermRun TermList(const Unit& u, size_t from) const;
  std::string TermText(const Unit& u, size_t b, size_t e) const;
  bool DealSubjectBefore(size_t ui, size_t k) const;
  bool PartySubjectBefore(const Unit& u, size_t k, bool after_undertaking) const;
  size_t UnderDealTerms(size_t ui) const;
  void DealContent(size_t ui);
  void MainPair();
  int AgreementFor(int a, int b);

  // programs.cc: who runs a program and who joins it.
  void Programs();
  int NewEntity(const std::string& name, const std::string& type);
  int NewProgram(const std::string& name);
  void NoteProgram(int p);

  // claims.cc: what people and companies say.
  void Claims(size_t ui);
  int SpeakerOf(size_t ui, size_t qb, size_t qe);
  int LastPerson(size_t ui, size_t before) const;
  void ContextEmployers();
  int CompanyInFocus(size_t ui, size_t before) const;
  int CoSpeaker(const Unit& u, int speaker, size_t qe) const;
  bool JointSubject(const Unit& u, size_t verb) const;
  static bool LongQuote(const Unit& u);
  size_t QuoteEnd(size_t ui, size_t k, uint32_t* to);
  void AddClaim(int speaker, std::string text, size_t ui, const std::string& rule, float conf, size_t tb, size_t te);

  // variants.cc: facts read off the names alone.
  void Variants();
  void GazetteerMaker(int product);
  int MakerInName(int product);

  // finish.cc: the facts' bookkeeping, and the last pass.
  FactSource Source(size_t ui, const std::string& rule, float confidence, size_t tb, size_t te) const;
  void Add(const std::string& type, int subj, int obj, size_t ui, const std::string& rule, float conf, size_t tb, size_t te,
           std::map<std::string, std::string> q = {});
  bool Full(size_t ui);
  void NameFact(const std::string& type, int subj, int obj, const std::string& rule, float confidence);
  std::string TimeOf(const Unit& u) const;
  void PlannedDates();
  void Finish();
  void CompanyShortForms();
  static std::string WithoutTrailingForms(std::string name, bool company_words);
  void BareCompanyNames();
  int SupportedPlatform(int object, const std::map<std::string, std::string>& q) const;
  void RunsWhereSupported();
  static bool StrongType(const Entity& e);

  // Small accessors.
  static std::string Key(const std::string& name) { return NormalizeKey(name); }
  const Token* Tok(const Unit& u, long i) const { return i >= 0 && static_cast<size_t>(i) < u.toks.size() ? &u.toks[i] : nullptr; }
  std::string TypeOf(int ent) const { return ent >= 0 ? ents_[ent].type : std::string(); }
  bool IsCompany(int c) const { return c >= 0 && !ents_[c].name.empty() && ents_[c].keep && ents_[c].type == "Company"; }

  struct Pending {
    ExtractedRelation rel;
    int subj, obj;
  };

  const Article& a_;
  const ExtractOptions& o_;
  Extraction x_;
  std::vector<Unit> units_;
  std::set<std::string> body_lower_;  // words the body writes in lower case (not at a sentence's start)
  std::set<std::string> body_upper_;  // words the body capitalises (not at a sentence's start)
  std::set<std::string> body_pairs_;  // "Windows Phone": two capitalised words side by side in the body
  std::unordered_map<std::string, int> word_count_;  // how often each word is written, as written, in the article
  std::vector<bool> title_case_;      // by unit: a line of the body that repeats the title (NoteCase)
  bool title_in_title_case_ = false;  // the title capitalises most of its words
  std::vector<Mention> mentions_;
  std::vector<Entity> ents_;
  std::map<std::string, int> by_key_;
  struct MergedInto {
    int into = -1;
    size_t at = 0;  // the merge's number (1, 2, ...)
  };
  std::map<int, MergedInto> merged_;
  size_t merges_ = 0;
  std::map<std::pair<int, int>, int> agreements_;
  std::pair<int, int> main_{-1, -1};
  std::vector<int> main_group_;
  struct Deferred {
    size_t unit;
    Frame frame;
    RuleMatch match;
  };
  std::vector<Deferred> deferred_;  // frames whose doer is a person (ApplyDeferred)
  bool applying_deferred_ = false;  // the companies the article is about: the pair, or more
  bool companies_indexed_ = false;
  bool owned_programs_known_ = false;
  std::pair<int, int> owned_program_{-1, -1};  // see NoteProgram
  std::unordered_map<std::string, std::vector<int>> company_by_name_;  // see CompanyPrefixOf
  std::vector<size_t> facts_in_unit_;                                   // see Add
  std::vector<std::vector<std::pair<size_t, size_t>>> hedges_;  // see HedgedAt: each unit's hedged clauses
  std::vector<bool> hedges_known_;
  std::chrono::steady_clock::time_point deadline_;
  uint64_t ticks_ = 0;
  bool stopped_ = false;
  std::set<int> used_;
  std::vector<Pending> pending_;
  int last_speaker_ = -1;
  size_t quoted_until_ = 0;  // units up to this one are inside a quotation begun earlier (Claims)
  const RuleSet* rules_ = nullptr;  // the options' rules, else the shipped ones
  double parse_seconds_ = 0;        // spent parsing this article (see ExtractOptions)
};

// The shipped relation rules against the default schema, loaded once (nullptr if they do not
// load, which their unit test rules out).
const RuleSet* ShippedRules();

}  // namespace pactgraph::ingest::extract

#endif  // PACTGRAPH_INGEST_INTERNAL_EXTRACTOR_H_
