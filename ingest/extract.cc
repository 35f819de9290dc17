#include "ingest/extract.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "graph/names.h"
#include "graph/text.h"
#include "ingest/jsonl.h"

namespace pactgraph::ingest {
namespace {

using Words = std::set<std::string>;

// Bounds that keep the work linear in the text; no press release comes near them.
// A capitalised run longer than this is a heading or shouting, not a name.
constexpr size_t kMaxNameTokens = 16;
// Facts one sentence may give: a sentence that coordinates hundreds of names would otherwise
// give every pair of them.
constexpr size_t kMaxFactsPerSentence = 100;
// Lists after a colon read in one sentence.
constexpr size_t kMaxColonLists = 4;
// The weight of the gazetteer's type for a name it knows: more than the cues of a few sentences
// together ("Acme Cloud program" gives 8), less than the graph's own entity of that name (10).
constexpr double kGazetteerVote = 6;

std::string Lower(std::string_view s) { return AsciiLower(s); }

// ------------------------------------------------------------------------------- lexicons

// Capitalised words that start a sentence or a clause but are not names.
const Words& FunctionWords() {
  static const Words k = {
      "a", "an", "the", "this", "that", "these", "those", "it", "its", "in", "on", "at", "for", "from", "to", "of", "by",
      "with", "and", "or", "but", "as", "if", "while", "when", "where", "after", "before", "since", "until", "yes", "no",
      "not", "so", "then", "there", "here", "we", "our", "they", "their", "he", "his", "she", "her", "you", "your", "i",
      "my", "both", "each", "every", "all", "some", "any", "many", "several", "most", "other", "others", "under",
      "according", "technically", "in", "things", "will", "would", "can", "could", "should", "may", "might", "also",
      "however", "meanwhile", "now", "today", "yesterday", "tomorrow", "what", "which", "who", "why", "how", "one", "two",
      "being", "besides", "despite", "instead", "rather", "still", "though", "although", "because", "once", "over",
      "about", "into", "through", "between", "among", "around", "during", "without", "within", "against", "toward",
      "towards", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had", "said", "says",
      "more", "less", "first", "last", "new", "next", "such", "even", "just", "only", "finally", "together", "further",
      "furthermore", "moreover", "additionally", "in", "short", "users", "customers", "copyright", "central", "for",
      "like", "unlike", "under", "upon", "via", "per", "read", "see", "note", "update", "updated", "editor's",
      "analysts", "critics", "observers", "will", "let", "let's", "here's", "there's", "it's", "that's"};
  return k;
}

const Words& Months() {
  static const Words k = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                          "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return k;
}

const Words& CompanySuffixes() {
  static const Words k = {"inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "sa",
                          "technologies", "technology", "systems", "software", "networks", "labs", "laboratories", "group",
                          "holdings", "communications", "computing", "solutions", "microsystems", "enterprises",
                          "international", "partners", "ventures", "industries", "electronics", "semiconductor"};
  return k;
}

const Words& OrganizationWords() {
  static const Words k = {"association", "foundation", "consortium", "institute", "council", "agency", "commission", "forum",
                          "committee", "organization", "organisation", "university", "department", "ministry", "court",
                          "union", "board", "society", "federation", "office", "authority", "bureau", "project"};
  return k;
}

const Words& ProgramWords() {
  static const Words k = {"program", "programme", "programs", "certification", "initiative", "network"};
  return k;
}

// Words that make a name a product: platforms, editions, kinds of software.
const Words& ProductWords() {
  static const Words k = {"server", "servers", "desktop", "cloud", "hypervisor", "database", "db",
                          "studio", "edition", "platform", "suite", "os", "unix", "virtualization", "virtualisation",
                          "enterprise", "workstation", "client", "manager", "center", "centre", "cluster", "sql",
                          "runtime", "framework", "store", "services", "service", "app", "apps", "office", "mobile",
                          "phone", "tablet", "appliance", "engine", "toolkit", "sdk", "api", "browser",
                          "directory", "storage", "container", "containers", "kernel", "firmware", "chip",
                          "processor", "professional", "standard", "datacenter", "express", "premium", "ultimate",
                          "home", "basic", "web", "online", "gateway", "portal", "analytics", "distribution", "machine"};
  return k;
}

const Words& FirstNames() {
  static const Words k = {
      "aaron", "adam", "alan", "albert", "alex", "alexander", "alice", "amy", "andrew", "andy", "angela", "ann", "anna", "anne",
      "anthony", "arthur", "barbara", "ben", "benjamin", "bill", "bob", "brad", "brandon", "brian", "bruce", "carl", "carol",
      "catherine", "charles", "charlie", "chris", "christian", "christine", "christopher", "craig", "dan", "daniel", "darren",
      "dave", "david", "dean", "deborah", "dennis", "diane", "donald", "doug", "douglas", "ed", "edward", "elizabeth", "emily",
      "eric", "erik", "frank", "fred", "gary", "george", "gerald", "greg", "gregory", "harry", "helen", "henry", "ian", "jack",
      "james", "jamie", "jane", "janet", "jason", "jay", "jean", "jeff", "jeffrey", "jennifer", "jeremy", "jerry", "jessica",
      "jim", "joe", "john", "jon", "jonathan", "jose", "joseph", "josh", "julie", "justin", "karen", "kate", "keith", "kelly",
      "ken", "kenneth", "kevin", "kim", "kurt", "larry", "laura", "lee", "linda", "lisa", "marc", "marco", "margaret", "maria",
      "mark", "martin", "mary", "matt", "matthew", "michael", "michelle", "mike", "nancy", "nat", "nathan", "neil", "nick",
      "nicholas", "pat", "patrick", "paul", "peter", "phil", "philip", "rachel", "ralph", "ray", "rebecca", "richard", "rick",
      "rob", "robert", "roger", "ron", "ronald", "roy", "russ", "ryan", "sam", "samuel", "sandra", "sarah", "scott",
      "sean", "sharon", "simon", "stephen", "steve", "steven", "stuart", "susan", "ted", "terry", "thomas", "tim", "timothy",
      "todd", "tom", "tony", "victor", "walter", "wayne", "william", "jim", "jonathan", "sanjay", "rajesh", "raj", "amit",
      "hans", "klaus", "pierre", "jean-paul", "yuki", "hiroshi", "li", "wei", "ming", "olga", "ivan", "sergey", "ahmed",
      "mohammed", "carlos", "juan", "luis", "miguel", "ana", "sofia", "paula", "gil", "jim", "lars", "jan", "nils", "sven"};
  return k;
}

// Head words of job titles.
const Words& TitleWords() {
  static const Words k = {"president", "vice", "ceo", "cto", "cfo", "coo", "cio", "chief", "officer", "manager", "director",
                          "head", "chairman", "chairwoman", "chair", "founder", "co-founder", "editor", "analyst",
                          "spokesman", "spokeswoman", "spokesperson", "executive", "engineer", "architect", "evangelist",
                          "vp", "svp", "evp", "gm", "lead", "leader", "principal", "fellow", "counsel", "secretary",
                          "partner", "strategist", "owner", "researcher", "general"};
  return k;
}

const Words& SpeechVerbs() {
  static const Words k = {"said", "says", "wrote", "writes", "added", "adds", "noted", "notes", "explained", "remarked",
                          "stated", "commented", "told", "argued", "claimed", "insisted", "observed", "announced"};
  return k;
}

// Words that say the company is acting: the mention before them is a company or a person.
const Words& ActorVerbs() {
  static const Words k = {"announced", "announces", "agreed", "agrees", "signed", "signs", "partnered", "partners", "teamed",
                          "joined", "joins", "acquired", "acquires", "bought", "buys", "plans", "planned", "released",
                          "releases", "offers", "offered", "ships", "shipped", "sells", "sold", "provides", "provided",
                          "develops", "developed", "pays", "paid", "will", "has", "had", "have", "is", "was", "are", "were",
                          "made", "makes", "launched", "launches", "unveiled", "unveils", "supports", "supported",
                          "validates", "validated", "certified", "certifies", "licenses", "licensed", "settled", "settles",
                          "inked", "struck", "reached", "entered", "hopes", "wants", "intends", "expects", "introduced",
                          "moved", "worked", "works", "would", "can", "could", "did", "does", "listened", "decided"};
  return k;
}

const Words& PartnerCues() {
  static const Words k = {"partner", "partners", "partnered", "partnering", "partnership", "alliance", "allies", "ally",
                          "teamed", "team", "collaborate", "collaboration", "collaborating", "cooperation", "cooperate",
                          "agreement", "agreements", "deal", "pact", "accord", "settlement", "signed", "inked", "struck",
                          "together", "forces", "joint"};
  return k;
}

const Words& DealNouns() {
  static const Words k = {"agreement", "agreements", "deal", "pact", "accord", "settlement", "alliance", "contract", "partnership"};
  return k;
}

// --------------------------------------------------------------------------------- mentions

struct Mention {
  size_t unit = 0;             // 0: the title; i: body sentence i
  size_t tb = 0, te = 0;       // tokens [tb, te)
  std::string text;
  int entity = -1;
  size_t since = 0;       // the number of merges when `entity` was set (see Extractor::Relabel)
  bool suffixed = false;  // ends in a corporate suffix: "Red Hat, Inc.", "Acme Corp."
};

struct Unit {
  std::string text;
  uint32_t begin = 0, end = 0;  // in the body (the title: 0, 0)
  std::vector<Token> toks;
  std::vector<int> mention_at;  // token -> mention index starting or covering it, or -1
  std::vector<size_t> mentions; // indexes into Extractor::mentions_
};

struct Entity {
  std::string name;
  std::map<std::string, double> votes;
  std::set<std::string> aliases;
  std::string type;  // decided
  bool keep = false;
  const GazetteerEntry* known = nullptr;  // the gazetteer's entry for the name, when it has one
};

bool IsWord(const Token& t) { return t.kind == Token::Kind::kWord; }

bool AllCaps(const std::string& s) {
  bool letter = false;
  for (char c : s) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    letter = letter || std::isalpha(static_cast<unsigned char>(c));
  }
  return letter;
}

// The shipped relation rules against the default schema, loaded once (nullptr if they do not
// load, which their unit test rules out).
const RuleSet* ShippedRules() {
  static const Result<RuleSet> rules = RuleSet::Shipped(Schema::Default());
  return rules.ok() ? &*rules : nullptr;
}

class Extractor {
 public:
  Extractor(const Article& a, const ExtractOptions& o) : a_(a), o_(o) {}

  Result<Extraction> Run() {
    if (o_.max_seconds > 0) {
      deadline_ = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(o_.max_seconds));
    }
    x_.sentences = SplitSentences(a_.body);
    Unit title;
    title.text = a_.title.substr(0, CutPoint(a_.title, kMaxSentenceBytes));
    title.toks = Tokenize(title.text, 0);
    units_.push_back(std::move(title));
    for (const Sentence& s : x_.sentences) {
      if (OutOfTime()) return Stopped();
      Unit u;
      u.text = s.text;
      u.begin = s.begin;
      u.end = s.end;
      u.toks = Tokenize(s.text, s.begin);
      units_.push_back(std::move(u));
    }
    for (size_t i = 1; i < units_.size(); ++i) {
      for (size_t k = 1; k < units_[i].toks.size(); ++k) {
        const Token& t = units_[i].toks[k];
        if (IsWord(t) && !t.capitalized && std::islower(static_cast<unsigned char>(t.text[0]))) body_lower_.insert(t.text);
        if (IsWord(t) && t.capitalized) body_upper_.insert(t.text);
      }
    }
    {
      // A headline in title case: most of its words capitalised, small words included.
      size_t words = 0, caps = 0;
      for (const Token& t : units_[0].toks) {
        if (!IsWord(t) || t.text.size() < 4) continue;
        ++words;
        caps += t.capitalized ? 1 : 0;
      }
      title_case_ = words >= 3 && caps * 10 >= words * 8;
    }
    for (size_t i = 0; i < units_.size() && !OutOfTime(); ++i) FindMentions(i);
    // Each pass checks the time between its units of work and stops when it has run out.
    for (void (Extractor::*pass)() : {&Extractor::Cluster, &Extractor::Vote, &Extractor::Decide, &Extractor::MakerProducts,
                                      &Extractor::ShortCanonicalNames, &Extractor::CompanyTails, &Extractor::GazetteerNames,
                                      &Extractor::MainPair}) {
      if (OutOfTime()) return Stopped();
      (this->*pass)();
    }
    rules_ = o_.rules ? o_.rules : ShippedRules();
    if (!rules_) return Status::FailedPrecondition("the shipped relation rules do not load");
    for (size_t i = 0; i < units_.size() && !OutOfTime(); ++i) {
      GrammarRelations(i);
      Relations(i);
    }
    if (!OutOfTime()) Programs();
    for (size_t i = 1; i < units_.size() && !OutOfTime(); ++i) DealTerms(i);
    for (size_t i = 1; i < units_.size() && !OutOfTime(); ++i) Claims(i);
    if (!OutOfTime()) Variants();
    if (!OutOfTime()) Finish();
    if (stopped_) return Stopped();
    return std::move(x_);
  }

 private:
  // ------------------------------------------------------------------------ the time bound

  // True once the time bound has run out. Cheap: the clock is read every 64th call.
  bool OutOfTime() {
    if (stopped_) return true;
    if (o_.max_seconds <= 0 || (++ticks_ & 63) != 0) return false;
    stopped_ = std::chrono::steady_clock::now() >= deadline_;
    return stopped_;
  }

  Status Stopped() const {
    std::ostringstream seconds;
    seconds << o_.max_seconds;
    const uint64_t kb = (a_.title.size() + a_.body.size() + 1023) / 1024;
    return Status::ResourceExhausted("extraction stopped after " + seconds.str() + " s (" + WithThousands(kb) + " KB)");
  }

  // ------------------------------------------------------------------------ finding names

  bool NameToken(const Unit& u, size_t i, bool inside) const {
    const Token& t = u.toks[i];
    // A headline in title case capitalises every word: there, a word the body writes in lower
    // case ("Announce", "Collaboration", "Team Up") is not part of a name.
    if (&u == &units_[0] && t.capitalized && !AllCaps(t.text) &&
        (body_lower_.count(Lower(t.text)) || (title_case_ && !body_upper_.count(t.text)))) {
      return false;
    }
    if (t.kind == Token::Kind::kNumber) {
      // A version after a name: Windows Server 2008, Office 365.
      return inside;
    }
    if (!IsWord(t)) return false;
    const std::string l = Lower(t.text);
    if (t.capitalized || (std::isdigit(static_cast<unsigned char>(t.text[0])) && inside)) {
      if (Months().count(l)) return false;
      if (!inside && FunctionWords().count(l) && !AllCaps(t.text)) return false;
      return true;
    }
    // Lower-case words inside names: "x86", editions in lower case are rare; "vSphere", "iPhone".
    if (t.text.size() > 1 && std::islower(static_cast<unsigned char>(t.text[0])) && std::isupper(static_cast<unsigned char>(t.text[1]))) return true;
    return false;
  }

  static bool IsTitleToken(const std::string& l) {
    static const Words k = {"ceo", "cto", "cfo", "coo", "cio", "president", "chairman", "chairwoman", "vice", "chief",
                            "founder", "co-founder", "executive", "vp", "svp", "evp", "spokesman", "spokeswoman", "analyst"};
    return k.count(l) > 0;
  }

  // Press-release datelines ("SAN FRANCISCO, Calif. -- Acme ...", "RALEIGH and REDMOND —"):
  // the words before the dash are places, not names. Returns the token after the dash, or 0.
  size_t DatelineEnd(const Unit& u) const {
    for (size_t k = 0; k < u.toks.size() && k < 12; ++k) {
      const std::string& t = u.toks[k].text;
      if (t == "--" || t == "\u2014" || t == "\u2013" || t == "-") return k > 0 ? k + 1 : 0;
      if (IsWord(u.toks[k]) && !AllCaps(t) && Lower(t) != "and" && !(t.size() <= 6 && t.back() == '.')) return 0;
    }
    return 0;
  }

  static bool CorporateSuffix(const std::string& t) {
    static const Words k = {"inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "se",
                            "co", "co.", "s.a.", "n.v.", "limited", "incorporated"};
    return k.count(Lower(t)) > 0;
  }

  void FindMentions(size_t ui) {
    Unit& u = units_[ui];
    u.mention_at.assign(u.toks.size(), -1);
    size_t i = ui == 1 ? DatelineEnd(u) : 0;
    while (i < u.toks.size()) {
      if (!NameToken(u, i, false)) {
        ++i;
        continue;
      }
      size_t e = i + 1;
      for (;;) {
        if (e < u.toks.size() && NameToken(u, e, true)) {
          // A function word inside a run ends it unless it is capitalised mid-sentence as part of
          // a name ("Server and Tools" is two runs; "Red Hat" one).
          const std::string l = Lower(u.toks[e].text);
          if (FunctionWords().count(l) && !AllCaps(u.toks[e].text) && l != "new") break;
          // A job title between two names ends the first: "Microsoft CEO Steve Ballmer".
          if (IsTitleToken(l) && e > i) break;
          ++e;
          continue;
        }
        // An initial: "Roy S. Schestowitz".
        if (e + 1 < u.toks.size() && u.toks[e].text == "." && u.toks[e - 1].text.size() == 1 &&
            std::isupper(static_cast<unsigned char>(u.toks[e - 1].text[0])) && NameToken(u, e + 1, true)) {
          e += 1;
          continue;
        }
        // "&" joins (AT&T is one token already; "Procter & Gamble").
        if (e + 1 < u.toks.size() && u.toks[e].text == "&" && NameToken(u, e + 1, true)) {
          e += 2;
          continue;
        }
        // "for" inside a product's name: "Windows Subsystem for Linux", "Acme Suite for Retail"
        // (two name words before it, a capitalised one after it).
        if (e + 1 < u.toks.size() && e >= i + 2 && u.toks[e].text == "for" && NameToken(u, e + 1, true) &&
            !FunctionWords().count(Lower(u.toks[e + 1].text)) && u.toks[e + 1].kind == Token::Kind::kWord) {
          e += 2;
          continue;
        }
        // "and" inside the name of a program or a body: "Certified Cloud and Service Provider
        // program", "Server and Tools Business".
        if (e + 1 < u.toks.size() && u.toks[e].text == "and" && NameToken(u, e + 1, true) &&
            !FunctionWords().count(Lower(u.toks[e + 1].text))) {
          size_t f = e + 1;
          while (f < u.toks.size() && NameToken(u, f, true) && !FunctionWords().count(Lower(u.toks[f].text))) ++f;
          const std::string head = f < u.toks.size() ? Lower(u.toks[f].text) : std::string();
          const std::string last = Lower(u.toks[f - 1].text);
          if (ProgramWords().count(head) || ProgramWords().count(last) || OrganizationWords().count(last) || last == "business") {
            e = f;
            continue;
          }
        }
        break;
      }
      // A lower-case "program" after a name is part of it: "the Acme Partner program".
      if (e < u.toks.size() && e > i && (Lower(u.toks[e].text) == "program" || Lower(u.toks[e].text) == "programme") &&
          !u.toks[e].capitalized && !FunctionWords().count(Lower(u.toks[e - 1].text))) {
        ++e;
      }
      // A leading dot glued to the name: ".NET", ".Mac".
      if (i > 0 && u.toks[i - 1].text == "." && u.toks[i - 1].end == u.toks[i].begin &&
          (i == 1 || u.toks[i - 2].end < u.toks[i - 1].begin)) {
        --i;
      }
      // Leading job titles are not part of the name: "CEO Steve Ballmer".
      while (i < e && IsTitleToken(Lower(u.toks[i].text))) ++i;
      // Trailing function words and a lone number are not names.
      while (e > i && IsWord(u.toks[e - 1]) && FunctionWords().count(Lower(u.toks[e - 1].text)) && !AllCaps(u.toks[e - 1].text)) --e;
      if (e > i + kMaxNameTokens) {
        i = e;
        continue;
      }
      if (e > i) {
        AddMention(ui, i, e);
        // "Red Hat, Inc.": the suffix after a comma is part of the company's name.
        if (e + 1 < u.toks.size() && u.toks[e].text == "," && CorporateSuffix(u.toks[e + 1].text)) {
          size_t f = e + 2;
          if (f < u.toks.size() && u.toks[f].text == ".") ++f;
          Mention& m = mentions_.back();
          m.suffixed = true;
          m.text = SpanText(u, i, f);
          for (size_t k = e; k < f; ++k) u.mention_at[k] = static_cast<int>(mentions_.size() - 1);
          m.te = f;
          e = f;
        }
      }
      i = std::max(e, i + 1);
      // "Windows Server 2003 and 2008": a bare version coordinated with a versioned name is a
      // name of its own, the same product line with that version.
      if (e > 0 && e + 1 < u.toks.size() && u.mention_at[e - 1] >= 0 && u.toks[e - 1].kind == Token::Kind::kNumber) {
        const Mention& prev = mentions_[u.mention_at[e - 1]];
        size_t k = e;
        while (k + 1 < u.toks.size() && (u.toks[k].text == "," || Lower(u.toks[k].text) == "and" || Lower(u.toks[k].text) == "or") &&
               u.toks[k + 1].kind == Token::Kind::kNumber && !(k + 2 < u.toks.size() && NameToken(u, k + 2, true) && u.toks[k + 2].kind == Token::Kind::kWord)) {
          const std::string base = SpanText(u, prev.tb, prev.te - 1);
          const size_t num = k + 1;
          AddMention(ui, num, num + 1);
          mentions_.back().text = base + " " + u.toks[num].text;
          k = num + 1;
          if (k < u.toks.size() && u.toks[k].text == "," && k + 1 < u.toks.size() && Lower(u.toks[k + 1].text) == "and") ++k;
        }
        i = std::max(i, k);
      }
    }
  }

  void AddMention(size_t ui, size_t b, size_t e) {
    Unit& u = units_[ui];
    Mention m;
    m.unit = ui;
    m.tb = b;
    m.te = e;
    m.text = SpanText(u, b, e);
    // A corporate suffix after a comma belongs to the name: "Sun Microsystems, Inc."
    const size_t idx = mentions_.size();
    for (size_t k = b; k < e; ++k) u.mention_at[k] = static_cast<int>(idx);
    u.mentions.push_back(idx);
    mentions_.push_back(std::move(m));
  }

  std::string SpanText(const Unit& u, size_t b, size_t e) const {
    if (b >= e) return {};
    const uint32_t base = u.begin;
    const size_t from = u.toks[b].begin - base, to = u.toks[e - 1].end - base;
    return u.text.substr(from, to - from);
  }

  // ------------------------------------------------------------------------ entities

  static std::string Key(const std::string& name) { return NormalizeKey(name); }

  int EntityFor(const std::string& name) {
    const std::string k = Key(name);
    auto it = by_key_.find(k);
    if (it != by_key_.end()) return it->second;
    const int id = static_cast<int>(ents_.size());
    ents_.push_back({name, {}, {}, {}, false});
    by_key_[k] = id;
    return id;
  }

  void Alias(int e, const std::string& alias) {
    if (e < 0 || Key(alias) == Key(ents_[e].name)) return;
    ents_[e].aliases.insert(alias);
    by_key_.emplace(Key(alias), e);
  }

  void Cluster() {
    // Longest names first, so that a short form can join the entity of a longer one.
    std::vector<size_t> order(mentions_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return mentions_[a].te - mentions_[a].tb > mentions_[b].te - mentions_[b].tb;
    });
    // The latest person-like name with a space by (the key of) its last word.
    std::unordered_map<std::string, int> person_by_last;
    for (size_t n = 0; n < order.size(); ++n) {
      if (OutOfTime()) return;
      Mention& m = mentions_[order[n]];
      auto it = by_key_.find(Key(m.text));
      if (it != by_key_.end()) {
        m.entity = it->second;
        continue;
      }
      // A single word that is the last word of a person-like name seen before ("Evans").
      const size_t words = m.te - m.tb;
      if (words == 1) {
        auto p = person_by_last.find(Key(m.text));
        if (p != person_by_last.end()) {
          m.entity = p->second;
          Alias(p->second, m.text);
          continue;
        }
      }
      const size_t before = ents_.size();
      m.entity = EntityFor(m.text);
      if (ents_.size() > before) {
        const std::string& name = ents_[m.entity].name;
        const size_t sp = name.rfind(' ');
        if (sp != std::string::npos && LooksLikePerson(name)) person_by_last[Key(name.substr(sp + 1))] = m.entity;
      }
    }
    // "Long Name (ACRONYM)": the acronym is an alias of the long name.
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      Unit& u = units_[ui];
      for (size_t k = 0; k + 1 < u.mentions.size(); ++k) {
        const Mention& a = mentions_[u.mentions[k]];
        const Mention& b = mentions_[u.mentions[k + 1]];
        if (a.te + 1 == b.tb && b.te < u.toks.size() && u.toks[a.te].text == "(" && u.toks[b.te].text == ")" &&
            b.te - b.tb == 1) {
          Merge(b.entity, a.entity);
        }
        // "ACRONYM (Long Name)"
        if (a.te + 1 == b.tb && b.te < u.toks.size() && u.toks[a.te].text == "(" && u.toks[b.te].text == ")" &&
            a.te - a.tb == 1 && b.te - b.tb > 1 && AllCaps(a.text)) {
          Merge(a.entity, b.entity);
        }
      }
    }
    // A name that is the tail of a longer name of the article ("Optimized Desktop" of "Windows
    // Optimized Desktop") is its short form, when the longer one came first. The names by each of
    // their tails (the words after a space), in entity order; a merged name is cleared, never
    // changed, so the candidates only need to be alive.
    std::unordered_map<std::string, std::vector<int>> by_tail;
    for (size_t f = 0; f < ents_.size(); ++f) {
      const std::string& longer = ents_[f].name;
      for (size_t sp = longer.find(' '); sp != std::string::npos; sp = longer.find(' ', sp + 1)) {
        by_tail[longer.substr(sp + 1)].push_back(static_cast<int>(f));
      }
    }
    for (size_t e = 0; e < ents_.size(); ++e) {
      if (OutOfTime()) return;
      const std::string& n = ents_[e].name;
      if (n.find(' ') == std::string::npos) continue;
      auto it = by_tail.find(n);
      if (it == by_tail.end()) continue;
      for (int f : it->second) {
        if (f == static_cast<int>(e) || ents_[f].name.size() <= n.size() + 1) continue;
        if (Key(ents_[f].name) != Key(n)) {
          Merge(static_cast<int>(e), f);
          break;
        }
      }
    }
    Relabel();
  }

  // The entity `e` was merged into, through every later merge ("path compression" keeps the
  // walks short; only the end of the walk matters).
  int Root(int e) {
    int r = e;
    for (auto it = merged_.find(r); it != merged_.end(); it = merged_.find(r)) r = it->second.into;
    for (auto it = merged_.find(e); it != merged_.end() && it->second.into != r; it = merged_.find(e)) {
      e = it->second.into;
      it->second.into = r;
    }
    return r;
  }

  // Everything known of `from` goes to `into`; mentions follow (at the next Relabel()).
  void Merge(int from, int into) {
    into = Root(into);
    from = Root(from);
    if (from < 0 || into < 0 || from == into) return;
    merged_[from] = {into, ++merges_};
    Alias(into, ents_[from].name);
    for (const std::string& a : ents_[from].aliases) Alias(into, a);
    if (companies_indexed_ && IsCompany(into)) IndexCompany(into);
    ents_[from].name.clear();
  }

  // Moves the mentions of merged entities to the entities they were merged into: a mention
  // follows a merge made after its entity was set (a mention set later to a merged entity's id,
  // through a key that still names it, stays). The same as moving them at each merge, in one
  // pass over the mentions.
  void Relabel() {
    for (Mention& m : mentions_) {
      auto it = merged_.find(m.entity);
      if (it != merged_.end() && it->second.at > m.since) m.entity = Root(m.entity);
      m.since = merges_;
    }
  }

  static bool LooksLikePerson(const std::string& name) {
    std::istringstream in(name);
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    if (w.size() < 2 || w.size() > 4) return false;
    if (!FirstNames().count(Lower(w[0]))) return false;
    for (const std::string& s : w) {
      if (ProductWords().count(Lower(s)) || CompanySuffixes().count(Lower(s))) return false;
      if (std::any_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------ types

  const Token* Tok(const Unit& u, long i) const { return i >= 0 && static_cast<size_t>(i) < u.toks.size() ? &u.toks[i] : nullptr; }
  std::string LowerAt(const Unit& u, long i) const {
    const Token* t = Tok(u, i);
    return t ? Lower(t->text) : std::string();
  }

  void Vote() {
    for (auto& [name, type] : o_.known) {
      auto it = by_key_.find(Key(name));
      if (it != by_key_.end()) ents_[it->second].votes[type] += 10;
    }
    // Evidence of a name's type, strongest first: the graph's own entity of that name, then the
    // gazetteer, then (below) the cues of the sentences.
    static const Words kSchemaTypes = {"Company", "Organization", "Product", "Program", "Person"};
    for (Entity& e : ents_) {
      if (e.name.empty()) continue;
      std::string stored;
      if (o_.lookup) {
        stored = o_.lookup(e.name);
        for (auto a = e.aliases.begin(); stored.empty() && a != e.aliases.end(); ++a) stored = o_.lookup(*a);
        if (!kSchemaTypes.count(stored)) stored.clear();
        if (!stored.empty()) e.votes[stored] += 10;
      }
      if (o_.gazetteer) {
        e.known = o_.gazetteer->Find(e.name);
        for (auto a = e.aliases.begin(); !e.known && a != e.aliases.end(); ++a) e.known = o_.gazetteer->Find(*a);
        if (e.known && stored.empty()) e.votes[GazetteerTypeName(e.known->type)] += kGazetteerVote;
      }
    }
    for (size_t mi = 0; mi < mentions_.size(); ++mi) {
      const Mention& m = mentions_[mi];
      if (OutOfTime()) return;
      if (m.entity < 0) continue;
      Entity& e = ents_[m.entity];
      const Unit& u = units_[m.unit];
      std::vector<std::string> words;
      for (size_t k = m.tb; k < m.te; ++k) words.push_back(Lower(u.toks[k].text));
      const std::string last = words.back();
      bool digits = false;
      for (size_t k = m.tb; k < m.te; ++k) digits = digits || u.toks[k].kind == Token::Kind::kNumber;
      // The words of the name.
      if (CompanySuffixes().count(last) && words.size() > 1) e.votes["Company"] += 3;
      if (m.suffixed || (CorporateSuffix(last) && words.size() > 1)) e.votes["Company"] += 5;
      if (OrganizationWords().count(last) && words.size() > 1) e.votes["Organization"] += 3;
      if (ProgramWords().count(last) && words.size() > 1) e.votes["Program"] += (last == "program" || last == "programme") ? 8 : 3;
      // A single generic word ("Virtualization", "Cloud") is a topic, not a product's name.
      static const Words kGeneric = {"virtualization", "virtualisation", "cloud", "server", "servers", "desktop", "database",
                                     "platform", "storage", "services", "service", "enterprise", "mobile", "web", "online",
                                     "analytics", "client", "engine", "apps", "app", "containers", "container", "kernel",
                                     "professional", "standard", "premium", "home", "basic", "express", "office"};
      const bool generic = words.size() == 1 && kGeneric.count(words[0]);
      for (const std::string& w : words) {
        if (ProductWords().count(w) && !generic) e.votes["Product"] += 1.5;
      }
      if (digits) e.votes["Product"] += 2;
      if (LooksLikePerson(m.text)) e.votes["Person"] += 3;
      if (!a_.publisher.empty() && Key(m.text) == Key(a_.publisher)) e.votes["Organization"] += 5;
      // The words around it.
      std::string next = LowerAt(u, static_cast<long>(m.te));
      std::string next2 = LowerAt(u, static_cast<long>(m.te) + 1);
      {
        // Adverbs between a name and its verb: "Acme today announced", "Acme also plans".
        static const Words kAdverbs = {"today", "also", "jointly", "now", "recently", "formally", "officially", "yesterday"};
        long k = static_cast<long>(m.te);
        while (kAdverbs.count(LowerAt(u, k))) ++k;
        if (k != static_cast<long>(m.te) && ActorVerbs().count(LowerAt(u, k))) e.votes["Company"] += 0.5;
      }
      const std::string prev = LowerAt(u, static_cast<long>(m.tb) - 1);
      const Token* nt = Tok(u, static_cast<long>(m.te));
      if (nt && nt->kind == Token::Kind::kPossessive) {
        // X's <product or title>: a company (or a person, decided by the name).
        e.votes["Company"] += 1;
      }
      if (ActorVerbs().count(next) || (next == "," && SpeechVerbs().count(next2))) e.votes["Company"] += 0.5;
      if (SpeechVerbs().count(next) && m.te - m.tb >= 2 && m.te - m.tb <= 3) e.votes["Person"] += 0.5;
      // What is supported, validated or run, and what it runs on, is software: "support X
      // guests on Y", "run X on Y".
      static const Words kSoftwareVerbs = {"on", "within", "run", "runs", "running", "support", "supports", "supported",
                                           "validate", "validates", "validated", "certify", "certifies", "certified",
                                           "host", "hosts", "hosting"};
      static const Words kSoftwareNouns = {"guest", "guests", "workloads", "instances", "images", "vms", "deployments",
                                           "environments", "environment", "virtual", "operating"};
      if (kSoftwareVerbs.count(prev)) e.votes["Product"] += 1;
      if (prev == "for" && LowerAt(u, static_cast<long>(m.tb) - 2).starts_with("support")) e.votes["Product"] += 1;
      if (kSoftwareNouns.count(next)) e.votes["Product"] += 1;
      if (prev == "at" && IsTitleBefore(u, m.tb)) e.votes["Company"] += 2;
      {
        // A place: "held in Redmond", "based in Raleigh", "headquartered near Munich".
        static const Words kSited = {"held", "based", "headquartered", "located", "hosted", "opened", "opens", "region"};
        if ((prev == "in" || prev == "near" || prev == "at") && kSited.count(LowerAt(u, static_cast<long>(m.tb) - 2))) {
          e.votes["Place"] += 6;
        }
        if (prev == "the" && (next == "region" || next == "area")) e.votes["Place"] += 6;
      }
      if (prev == "of" && IsTitleBefore(u, m.tb)) {
        // "editor of Foo Weekly" (a publication); "chief executive of Acme" (a company).
        const std::string t = LowerAt(u, static_cast<long>(m.tb) - 2);
        if (t == "editor" || t == "publisher" || t == "columnist" || t == "contributor") {
          e.votes["Organization"] += 2.5;
        } else {
          e.votes["Company"] += 1;
        }
      }
      // "making A and B more interoperable", "combine A and B": software.
      if (next == "and" || prev == "and") {
        for (size_t k = m.te; k < u.toks.size() && k < m.te + 6; ++k) {
          const std::string w = Lower(u.toks[k].text);
          if (w == "interoperable" || w == "compatible") e.votes["Product"] += 1;
        }
        const std::string pp = LowerAt(u, static_cast<long>(m.tb) - 1);
        if (pp == "combine" || pp == "combines" || pp == "making" || pp == "make") e.votes["Product"] += 1;
      }
      // "the <Name> program", "<Name> product(s)"
      if (next == "program" || next == "programs" || next == "programme") e.votes["Program"] += 1;
      if (next == "products" || next == "product" || next == "software" || next == "hypervisor" || next == "platform" ||
          next == "technologies" || next == "technology" || next == "images" || next == "apps" || next == "devices" ||
          next == "operating" || next == "edition") {
        e.votes["Product"] += 1.5;
      }
      if (next == "customers" || next == "executives" || next == "officials" || next == "spokesman") e.votes["Company"] += 1;
      if (prev == "'s" || prev == "’s") e.votes["Product"] += 1;
      // Appositions: "the market leader, VMware" (a company); "XenServer, the company's own
      // hypervisor" (a product).
      static const Words kCompanyNouns = {"leader", "rival", "rivals", "competitor", "competitors", "vendor", "vendors", "maker",
                                          "company", "firm", "provider", "giant", "developer", "distributor", "startup", "supplier"};
      static const Words kProductNouns = {"hypervisor", "product", "products", "platform", "software", "system", "database",
                                          "tool", "suite", "service", "application", "browser", "distribution", "offering",
                                          "shell", "component", "subsystem", "library", "framework", "phone", "smartphone",
                                          "tablet", "device", "console", "runtime", "language", "app", "apps"};
      if (prev == ",") {
        for (long k = static_cast<long>(m.tb) - 2; k >= 0 && k >= static_cast<long>(m.tb) - 4; --k) {
          if (kCompanyNouns.count(Lower(u.toks[k].text))) e.votes["Company"] += 2;
        }
      }
      if (next == ",") {
        // The head of the apposition (its last noun of a known kind) says what the name is:
        // "XenServer, the company's own hypervisor", "Hyper-V, Acme's new hypervisor".
        std::string head;
        for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 8; ++k) {
          const std::string w = Lower(u.toks[k].text);
          if (w == "," || w == "." || w == ";") break;
          if (kProductNouns.count(w)) head = "Product";
          if (kCompanyNouns.count(w)) head = "Company";
        }
        if (!head.empty()) e.votes[head] += 2;
      }
      // A definition: "Hyper-V is the hypervisor that ...", "Acme is a software company".
      if ((next == "is" || next == "was" || next == "becomes") && m.tb <= 1) {
        std::string head;
        for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 7; ++k) {
          const std::string w = Lower(u.toks[k].text);
          if (w == "," || w == "." || w == "that" || w == "which" || w == "of" || w == "for" || w == "with") break;
          if (kProductNouns.count(w)) head = "Product";
          if (kCompanyNouns.count(w)) head = "Company";
        }
        if (!head.empty()) e.votes[head] += 2;
      }
      // A name given after its description: "Acme's cloud management platform, Foo, ...".
      if (prev == "," && m.tb >= 2 && kProductNouns.count(LowerAt(u, static_cast<long>(m.tb) - 2)) && next == ",") {
        e.votes["Product"] += 2;
      }
      // Next to a job title: "Acme CEO Jane Roe", "Jane Roe, vice president of ...",
      // "Jane Roe, corporate vice president and deputy general counsel at Acme".
      const bool titled_before = prev.size() && IsTitleToken(prev);
      bool titled_after = false;
      if (next == ",") {
        for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 5; ++k) {
          const std::string w = Lower(u.toks[k].text);
          if (TitleWords().count(w) || w == "leads" || w == "heads" || w == "runs") titled_after = true;
          if (w == "," || w == "of" || w == "at") break;
        }
      }
      if ((titled_before || titled_after) && m.te - m.tb >= 2 && m.te - m.tb <= 4 && !digits) e.votes["Person"] += 2;
      // Coordinated with a capitalised company-like word ("Red Hat and Microsoft").
    }
  }

  // True when the words before token `at` (the "at" of "... at X") include a title word.
  bool IsTitleBefore(const Unit& u, size_t at) const {
    for (long k = static_cast<long>(at) - 2; k >= 0 && k >= static_cast<long>(at) - 8; --k) {
      if (TitleWords().count(Lower(u.toks[k].text))) return true;
      if (u.toks[k].text == "." ) break;
    }
    return false;
  }

  void Decide() {
    static const Words kEvents = {"summit", "conference", "expo", "show", "day", "week", "keynote", "webinar", "event", "awards"};
    for (Entity& e : ents_) {
      if (e.name.empty()) continue;
      const size_t sp = e.name.rfind(' ');
      if (kEvents.count(Lower(sp == std::string::npos ? e.name : e.name.substr(sp + 1)))) continue;
      std::string best;
      double score = 0;
      for (const auto& [t, v] : e.votes) {
        if (v > score) {
          score = v;
          best = t;
        }
      }
      e.type = best;
      // A bare all-capitals word with no evidence is an acronym of something unnamed: skip.
      e.keep = !best.empty() && score >= 1;
    }
    // Coordinated names share a kind: "Apple and IBM", "iPhone and iPad", "A, B and C". A name
    // with no evidence of its own takes the kind of a well-typed partner.
    for (int pass = 0; pass < 2; ++pass) {
      for (const Unit& u : units_) {
        for (size_t k = 0; k + 1 < u.mentions.size(); ++k) {
          const Mention& a = mentions_[u.mentions[k]];
          const Mention& b = mentions_[u.mentions[k + 1]];
          if (a.entity < 0 || b.entity < 0 || a.entity == b.entity) continue;
          std::string between;
          for (size_t j = a.te; j < b.tb; ++j) between += Lower(u.toks[j].text) + " ";
          if (between != "and " && between != ", " && between != ", and " && between != "or ") continue;
          Entity& ea = ents_[a.entity];
          Entity& eb = ents_[b.entity];
          auto strength = [](const Entity& e) {
            double best = 0;
            for (const auto& [t, v] : e.votes) best = std::max(best, v);
            return best;
          };
          auto adopt = [&](Entity& weak, const Entity& strong) {
            if (strength(weak) >= 1 || strength(strong) < 1.5) return;
            if (strong.type != "Company" && strong.type != "Product") return;
            weak.type = strong.type;
            weak.keep = true;
            weak.votes[strong.type] += 1;
          };
          adopt(ea, eb);
          adopt(eb, ea);
        }
      }
    }
  }

  std::string TypeOf(int ent) const { return ent >= 0 ? ents_[ent].type : std::string(); }

  // ------------------------------------------------------------------------ relations

  FactSource Source(size_t ui, const std::string& rule, float confidence, size_t tb, size_t te) const {
    const Unit& u = units_[ui];
    FactSource s;
    s.sentence = static_cast<uint32_t>(ui);
    s.rule = rule;
    s.confidence = confidence;
    if (ui > 0) {
      s.begin = u.begin;
      s.end = u.end;
    }
    tb = std::min(tb, u.toks.size());
    te = std::min(te, u.toks.size());
    s.evidence = tb < te ? SpanText(u, tb, te) : u.text;
    if (s.evidence.size() > 300) s.evidence = s.evidence.substr(0, 300);
    return s;
  }

  void Add(const std::string& type, int subj, int obj, size_t ui, const std::string& rule, float conf, size_t tb, size_t te,
           std::map<std::string, std::string> q = {}) {
    if (subj < 0 || obj < 0 || subj == obj || Full(ui)) return;
    // A hedged sentence asserts nothing. What its noun phrases name stands: who someone works
    // for, whose product it is ("Apple's iOS").
    static const Words kNaming = {"possessive-product", "product-apposition", "described-then-named", "gazetteer-maker"};
    if (type != "WORKS_FOR" && !kNaming.count(rule) && HedgedAt(ui)) return;
    ++facts_in_unit_[ui];
    ExtractedRelation r;
    r.type = type;
    r.subject = ents_[subj].name;
    r.object = ents_[obj].name;
    r.qualifiers = std::move(q);
    r.source = Source(ui, rule, conf, tb, te);
    used_.insert(subj);
    used_.insert(obj);
    pending_.push_back({std::move(r), subj, obj});
  }

  // True when sentence `ui` has given all the facts one sentence may give; the loops over
  // coordinated names stop there.
  bool Full(size_t ui) {
    if (facts_in_unit_.size() != units_.size()) facts_in_unit_.resize(units_.size());
    return facts_in_unit_[ui] >= kMaxFactsPerSentence;
  }

  // The entities of `ms`, each once, in order.
  static std::vector<int> Distinct(const std::vector<const Mention*>& ms) {
    std::vector<int> out;
    std::set<int> seen;
    for (const Mention* m : ms) {
      if (seen.insert(m->entity).second) out.push_back(m->entity);
    }
    return out;
  }

  // Mentions of the unit whose entity has `type`, with their token positions.
  std::vector<const Mention*> Of(const Unit& u, const std::string& type) const {
    std::vector<const Mention*> out;
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.entity >= 0 && ents_[m.entity].keep && ents_[m.entity].type == type) out.push_back(&m);
    }
    return out;
  }

  // True when the sentence speculates instead of stating: a question, a condition ("if the deal
  // goes through"), a modal of possibility ("may", "might", "could"), hearsay ("reportedly", "is
  // rumoured to", "is said to", "speculation") or analysts' opinion ("analysts think", "expected
  // by analysts"). Such a sentence gives no facts; a named speaker's version of it is still a claim.
  // "Would" alone is not a hedge: "Acme said it would support X" reports a plan.
  // Hedged(units_[ui]), worked out once per sentence however many facts it offers.
  bool HedgedAt(size_t ui) {
    if (hedged_.size() != units_.size()) hedged_.assign(units_.size(), -1);
    if (hedged_[ui] < 0) hedged_[ui] = Hedged(units_[ui]) ? 1 : 0;
    return hedged_[ui] == 1;
  }

  static bool Hedged(const Unit& u) {
    static const Words kCues = {"may", "might", "could", "if", "unless", "reportedly", "allegedly", "rumored", "rumoured",
                                "rumor", "rumour", "rumors", "rumours", "speculation", "speculate", "speculated"};
    static const Words kOpinion = {"think", "thinks", "believe", "believes", "expect", "expects", "say", "says",
                                   "said", "predict", "predicts", "speculate", "suggest", "suggests"};
    static const Words kBe = {"is", "are", "was", "were", "be", "been"};
    // A question, unless it only follows a statement's colon ("X and Y sign a deal: truce or hedge?").
    const bool colon = std::any_of(u.toks.begin(), u.toks.end(), [](const Token& t) { return t.text == ":"; });
    for (long k = static_cast<long>(u.toks.size()) - 1; k >= 0 && !colon; --k) {
      if (u.toks[k].kind == Token::Kind::kQuote || u.toks[k].text == ".") continue;
      if (u.toks[k].text == "?") return true;
      break;
    }
    for (size_t k = 0; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      const std::string prev = k > 0 ? Lower(u.toks[k - 1].text) : std::string();
      const std::string next = k + 1 < u.toks.size() ? Lower(u.toks[k + 1].text) : std::string();
      // A modal in a relative clause hedges that clause, not the statement ("a move that could
      // lower the risk", "people who may have been exposed").
      if ((l == "may" || l == "might" || l == "could") && (prev == "that" || prev == "who" || prev == "which")) continue;
      if (l == "may" && u.toks[k].capitalized) continue;  // the month: "20 May 2020"
      if (kCues.count(l)) return true;
      if (l == "said" && kBe.count(prev) && next == "to") return true;
      if (l == "analysts" || l == "analyst" || l == "observers") {
        if (prev == "by" || prev == "to") return true;
        for (size_t j = k + 1; j < std::min(k + 4, u.toks.size()); ++j) {
          if (kOpinion.count(Lower(u.toks[j].text))) return true;
        }
      }
    }
    return false;
  }

  bool Planned(const Unit& u) const {
    for (size_t k = 0; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      if (l == "will" || l == "plans" || l == "plan" || l == "expected" || l == "expect" || l == "expects" || l == "due" || l == "intend" ||
          l == "intends" || l == "upcoming" || l == "later") {
        return true;
      }
    }
    return false;
  }

  // The products in a coordinated list starting at token `from` (up to a word that ends the list).
  std::vector<int> ProductsFrom(const Unit& u, size_t from, size_t limit, const std::set<std::string>& stops) const {
    std::vector<int> out;
    for (size_t k = from; k < std::min(limit, u.toks.size()); ++k) {
      const std::string l = Lower(u.toks[k].text);
      if (stops.count(l) || u.toks[k].text == "." || u.toks[k].text == ";") break;
      const int mi = u.mention_at[k];
      if (mi >= 0 && mentions_[mi].tb == k) {
        const int e = mentions_[mi].entity;
        if (e >= 0 && ents_[e].keep && ents_[e].type == "Product") out.push_back(e);
        k = mentions_[mi].te - 1;
      }
    }
    return out;
  }

  // The companies that act in the clause before token `at`: the nearest company mention(s)
  // before it, coordinated ("Red Hat and Microsoft").
  std::vector<int> ActorsBefore(const Unit& u, size_t at) const {
    std::vector<int> out = CompaniesBefore(u, at);
    if (!out.empty() || main_.first < 0) return out;
    // "the two companies will jointly support ...", "both firms", "the partners": the pair the
    // article is about.
    for (long k = static_cast<long>(at) - 1; k >= 0 && k >= static_cast<long>(at) - 6; --k) {
      const std::string l = Lower(u.toks[k].text);
      if (l == "." || l == ";" || u.mention_at[k] >= 0) break;
      if (l == "companies" || l == "firms" || l == "partners" || l == "vendors") {
        const std::string p = k > 0 ? Lower(u.toks[k - 1].text) : std::string();
        if (p == "two" || p == "both" || p == "the") return {main_.first, main_.second};
      }
    }
    return out;
  }

  std::vector<int> CompaniesBefore(const Unit& u, size_t at) const {
    std::vector<int> out;
    for (long k = static_cast<long>(at) - 1; k >= 0; --k) {
      const int mi = u.mention_at[k];
      if (mi < 0) {
        const std::string l = Lower(u.toks[k].text);
        if (!out.empty() && l != "and" && l != "," && l != "both") break;
        continue;
      }
      const Mention& m = mentions_[mi];
      k = static_cast<long>(m.tb);
      if (m.entity >= 0 && ents_[m.entity].keep && ents_[m.entity].type == "Company") {
        // A possessive ("Microsoft's general manager") is not the actor.
        const Token* nt = Tok(u, static_cast<long>(m.te));
        if (nt && nt->kind == Token::Kind::kPossessive) continue;
        out.push_back(m.entity);
      } else if (!out.empty()) {
        break;
      }
    }
    return out;
  }

  void Relations(size_t ui) {
    const Unit& u = units_[ui];
    const bool planned = Planned(u);
    auto status = [&] { return planned ? std::map<std::string, std::string>{{"status", "planned"}} : std::map<std::string, std::string>{}; };
    std::set<std::string> words;
    for (const Token& t : u.toks) words.insert(Lower(t.text));

    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.entity < 0 || !ents_[m.entity].keep) continue;
      const std::string type = ents_[m.entity].type;
      const Token* nt = Tok(u, static_cast<long>(m.te));
      // C's P [and P2] (products); C's TITLE, P (works for).
      if (type == "Company" && nt && nt->kind == Token::Kind::kPossessive) {
        // Title first: "Microsoft's general manager of virtualization, Mike Neil"
        size_t k = m.te + 1;
        std::string title;
        bool has_title = false;
        while (k < u.toks.size() && u.toks[k].text != "," && u.mention_at[k] < 0 && k < m.te + 12) {
          has_title = has_title || TitleWords().count(Lower(u.toks[k].text));
          ++k;
        }
        // Titles may contain capitalised units: "senior vice present of the Server and Tools Business".
        size_t t_end = k;
        if (has_title) {
          while (t_end < u.toks.size() && u.toks[t_end].text != "," && t_end < m.te + 16) ++t_end;
          if (t_end + 1 < u.toks.size() && u.toks[t_end].text == ",") {
            const int pm = u.mention_at[t_end + 1];
            if (pm >= 0 && TypeOf(mentions_[pm].entity) == "Person") {
              title = SpanText(u, m.te + 1, t_end);
              Add("WORKS_FOR", mentions_[pm].entity, m.entity, ui, "possessive-title-apposition", 0.8f, m.tb, mentions_[pm].te,
                  {{"title", title}});
              continue;
            }
          }
        }
        // "Acme's Jane Roe, EVP of cloud": the person works there.
        if (m.te + 1 < u.toks.size() && u.mention_at[m.te + 1] >= 0 && TypeOf(mentions_[u.mention_at[m.te + 1]].entity) == "Person") {
          const Mention& pm = mentions_[u.mention_at[m.te + 1]];
          std::map<std::string, std::string> q;
          if (pm.te + 1 < u.toks.size() && u.toks[pm.te].text == ",") {
            size_t e = pm.te + 1;
            bool titled = false;
            while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < pm.te + 12) {
              titled = titled || TitleWords().count(Lower(u.toks[e].text));
              ++e;
            }
            if (titled) q["title"] = SpanText(u, pm.te + 1, e);
          }
          Add("WORKS_FOR", pm.entity, m.entity, ui, "company-possessive-person", 0.7f, m.tb, pm.te, q);
          continue;
        }
        for (int p : ProductsFrom(u, m.te + 1, m.te + 12, {"is", "was", "will", "to", "that", "which", "with", "on", "in", "for", "by"})) {
          Add("DEVELOPS", m.entity, p, ui, "possessive-product", 0.7f, m.tb, m.te + 6);
        }
      }
      // C's <adjectives> <noun>, P,: "Acme's cloud management platform, Foo, will ..."
      if (type == "Product" && m.tb >= 3 && u.toks[m.tb - 1].text == "," && nt && nt->text == ",") {
        for (long k = static_cast<long>(m.tb) - 2; k >= 0 && k >= static_cast<long>(m.tb) - 8; --k) {
          const int cm = u.mention_at[k];
          if (cm < 0) continue;
          const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
          if (TypeOf(mentions_[cm].entity) == "Company" && pt && pt->kind == Token::Kind::kPossessive) {
            Add("DEVELOPS", mentions_[cm].entity, m.entity, ui, "described-then-named", 0.6f, mentions_[cm].tb, m.te);
          }
          break;
        }
      }
      // P, C's <noun>: "Hyper-V, Microsoft's new hypervisor"
      if (type == "Product" && nt && nt->text == ",") {
        const int cm = u.mention_at.size() > m.te + 1 ? u.mention_at[m.te + 1] : -1;
        if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company") {
          const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
          if (pt && pt->kind == Token::Kind::kPossessive) {
            Add("DEVELOPS", mentions_[cm].entity, m.entity, ui, "product-apposition", 0.7f, m.tb, mentions_[cm].te + 3);
          }
        }
      }
      // P, TITLE at|of C  /  P, C's TITLE  /  C TITLE P
      if (type == "Person") {
        if (nt && nt->text == ",") {
          size_t k = m.te + 1;
          bool has_title = false;
          while (k < u.toks.size() && k < m.te + 14) {
            const std::string l = Lower(u.toks[k].text);
            has_title = has_title || TitleWords().count(l) || l == "leads" || l == "heads" || l == "runs" || l == "manages";
            if ((l == "at" || l == "of" || l == "for" || l == "with") && has_title) {
              const int cm = u.mention_at.size() > k + 1 ? u.mention_at[k + 1] : -1;
              if (cm >= 0 && (TypeOf(mentions_[cm].entity) == "Company" || TypeOf(mentions_[cm].entity) == "Organization") &&
                  !(l == "of" && Tok(u, static_cast<long>(mentions_[cm].te)) && u.toks[mentions_[cm].te].kind == Token::Kind::kPossessive)) {
                // "of the Server and Tools Business" is part of the title; a company after "at" ends it.
                const std::string title = SpanText(u, m.te + 1, k);
                std::string t = title;
                while (!t.empty() && (t.back() == ',' || t.back() == ' ')) t.pop_back();
                Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "person-title-at", 0.8f, m.tb, mentions_[cm].te, {{"title", t}});
                break;
              }
            }
            if (u.toks[k].text == "." || u.toks[k].text == ";" || u.toks[k].kind == Token::Kind::kQuote) break;
            const int cm = u.mention_at[k];
            if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company" && Tok(u, static_cast<long>(mentions_[cm].te)) &&
                u.toks[mentions_[cm].te].kind == Token::Kind::kPossessive && k == m.te + 1) {
              // P, C's TITLE
              size_t e = mentions_[cm].te + 1;
              while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < mentions_[cm].te + 12) ++e;
              const std::string title = SpanText(u, mentions_[cm].te + 1, e);
              bool ok = false;
              for (size_t j = mentions_[cm].te + 1; j < e; ++j) ok = ok || TitleWords().count(Lower(u.toks[j].text));
              if (ok) Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "person-company-title", 0.8f, m.tb, e, {{"title", title}});
              break;
            }
            ++k;
          }
        }
        // TITLE P ... C's: "CEO Jane Roe used Acme's earnings call".
        if (m.tb >= 1 && IsTitleToken(Lower(u.toks[m.tb - 1].text)) && (m.tb < 2 || u.mention_at[m.tb - 2] < 0)) {
          for (size_t k = m.te; k < u.toks.size() && k < m.te + 8; ++k) {
            const int cm = u.mention_at[k];
            if (u.toks[k].text == "," || u.toks[k].text == ".") break;
            if (cm < 0 || TypeOf(mentions_[cm].entity) != "Company") continue;
            const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
            if (pt && pt->kind == Token::Kind::kPossessive) {
              Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "title-person-company-possessive", 0.5f, m.tb - 1, mentions_[cm].te + 1,
                  {{"title", u.toks[m.tb - 1].text}});
            }
            break;
          }
        }
        // C TITLE P: "Microsoft CEO Steve Ballmer"
        if (m.tb >= 2) {
          long k = static_cast<long>(m.tb) - 1;
          bool has_title = false;
          while (k >= 0 && u.mention_at[k] < 0 && TitleWords().count(Lower(u.toks[k].text)) + (Lower(u.toks[k].text) == "of") > 0) {
            has_title = true;
            --k;
          }
          if (has_title && k >= 0 && u.mention_at[k] >= 0 && TypeOf(mentions_[u.mention_at[k]].entity) == "Company") {
            const Mention& c = mentions_[u.mention_at[k]];
            Add("WORKS_FOR", m.entity, c.entity, ui, "company-title-person", 0.7f, c.tb, m.te, {{"title", SpanText(u, c.te, m.tb)}});
          }
        }
      }
    }

    // Verbs of support, validation, running and interoperation.
    for (size_t k = 0; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      // Verbs and nouns of the relation rules are read in the grammar phase (grammar.inc).
      if ((l == "interoperable" || l == "compatible") && k >= 3) {
        std::vector<int> ps = ProductsBeforeVerb(u, k);
        if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[1], ps[0], ui, "made-interoperable", 0.5f, k >= 6 ? k - 6 : 0, k + 1, status());
      }
      if (l == "between" && (words.count("move") || words.count("migrate") || words.count("interoperability") || words.count("interoperate"))) {
        std::vector<int> ps = ProductsFrom(u, k + 1, k + 20, {"to", "by", "that", "which", "in", "for"});
        if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[0], ps[1], ui, "between-products", 0.5f, k, k + 12, status());
      }
      // DEVELOPS: "X, the container platform from Acme" (the verbs are the rules').
      {
        // "X, the container platform from Acme"
        if (l == "from" && k + 1 < u.toks.size() && u.mention_at[k + 1] >= 0 && TypeOf(mentions_[u.mention_at[k + 1]].entity) == "Company") {
          long j = static_cast<long>(k) - 1;
          while (j >= 0 && u.mention_at[j] < 0 && u.toks[j].text != "," && k - j < 6) --j;
          if (j >= 1 && u.toks[j].text == "," && u.mention_at[j - 1] >= 0 && TypeOf(mentions_[u.mention_at[j - 1]].entity) == "Product") {
            Add("DEVELOPS", mentions_[u.mention_at[k + 1]].entity, mentions_[u.mention_at[j - 1]].entity, ui, "product-from-company", 0.6f,
                mentions_[u.mention_at[j - 1]].tb, k + 2);
          }
        }
      }
    }

    // Two companies acting together are partners.
    if (std::pair<int, int> p = JointActors(u); p.first >= 0) {
      Add("PARTNERS_WITH", p.first, p.second, ui, "joint-actors", 0.6f, 0, u.toks.size());
    }
    // Partnerships and deals: two or more companies in a sentence with a partnership cue.
    bool cue = false, deal = false;
    for (const std::string& w : words) {
      cue = cue || PartnerCues().count(w);
      deal = deal || DealNouns().count(w);
    }
    if (cue) {
      const std::vector<int> companies = Distinct(Of(u, "Company"));
      if (companies.size() >= 2) {
        Add("PARTNERS_WITH", companies[0], companies[1], ui, "partner-cue", 0.5f, 0, u.toks.size());
        static const Words kSigning = {"signed", "sign", "signs", "signing", "inked", "ink", "struck", "strike", "entered", "settled",
                                       "settle", "settles", "reached", "agreed", "agree", "agrees", "concluded", "sealed",
                                       "announced", "announce", "announces", "forged", "formed", "unveiled"};
        bool signing = false;
        for (const std::string& w : words) signing = signing || kSigning.count(w);
        if (deal && signing) {
          const int ag = AgreementFor(companies[0], companies[1]);
          Add("PARTY_TO", companies[0], ag, ui, "deal-parties", 0.5f, 0, u.toks.size());
          Add("PARTY_TO", companies[1], ag, ui, "deal-parties", 0.5f, 0, u.toks.size());
        }
      }
    }

    // What a deal does not include: "the agreements do not include any patent or open source
    // licensing rights, and contain no financial clauses".
    if (!agreements_.empty()) {
      for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
        const std::string l = Lower(u.toks[k].text);
        const std::string l1 = Lower(u.toks[k + 1].text);
        size_t from = 0;
        bool exclude = false, include = false;
        if ((l == "not" || l == "n't") && (l1 == "include" || l1 == "cover" || l1 == "contain")) {
          from = k + 2;
          exclude = true;
        } else if ((l == "contain" || l == "contains" || l == "includes" || l == "include" || l == "provide") && l1 == "no") {
          from = k + 2;
          exclude = true;
        } else if (l == "excludes" || l == "exclude") {
          from = k + 1;
          exclude = true;
        } else if (l == "settlement" && l1 == "of") {
          // "in settlement of antitrust and patent issues"
          from = k + 2;
          include = true;
        } else if ((l == "includes" || l == "covers") && k > 0 && Lower(u.toks[k - 1].text) != "not") {
          from = k + 1;
          include = true;
        }
        if (!exclude && !include) continue;
        // "... no financial clauses, other than the usual certification and testing fees": what
        // the exception names is included.
        if (exclude) {
          for (size_t j = from; j + 2 < u.toks.size(); ++j) {
            if (Lower(u.toks[j].text) == "other" && Lower(u.toks[j + 1].text) == "than") {
              size_t b = j + 2;
              static const Words kUsual = {"the", "usual", "standard", "industry-standard", "normal", "customary", "typical", "any"};
              while (b < u.toks.size() && kUsual.count(Lower(u.toks[b].text))) ++b;
              std::string t;
              size_t n = 0;
              for (size_t q = b; q < u.toks.size() && n < 6; ++q, ++n) {
                const std::string w = Lower(u.toks[q].text);
                if (!IsWord(u.toks[q]) && u.toks[q].kind != Token::Kind::kNumber) break;
                t += (t.empty() ? "" : " ") + w;
              }
              if (!t.empty()) AddTerm("INCLUDES", t, ui, "other-than", j, b + n);
              break;
            }
          }
        }
        for (const std::string& term : Terms(u, from)) {
          const int t = EntityFor(term);
          ents_[t].type = "Term";
          ents_[t].keep = true;
          const int ag = main_.first >= 0 ? AgreementFor(main_.first, main_.second) : agreements_.begin()->second;
          Add(exclude ? "EXCLUDES" : "INCLUDES", ag, t, ui, exclude ? "negated-include" : "includes", 0.5f, k,
              from + 10);
        }
      }
    }
  }

  void AddTerm(const std::string& rel, const std::string& term, size_t ui, const std::string& rule, size_t tb, size_t te) {
    if (main_.first < 0 && agreements_.empty()) return;
    const int ag = main_.first >= 0 ? AgreementFor(main_.first, main_.second) : agreements_.begin()->second;
    const int t = EntityFor(term);
    if (!ents_[t].type.empty() && ents_[t].type != "Term" && ents_[t].keep) return;  // a named thing, not a term
    ents_[t].type = "Term";
    ents_[t].keep = true;
    Add(rel, ag, t, ui, rule, 0.5f, tb, te);
  }

  // What an agreement covers, said in other ways: "three areas are at the center of the
  // agreement: A, B and C"; "coordinated technical support", "a joint research facility",
  // "co-located support teams"; "each will pay royalties".
  void DealTerms(size_t ui) {
    const Unit& u = units_[ui];
    if (main_.first < 0) return;
    static const Words kDeal = {"agreement", "agreements", "deal", "pact", "accord", "settlement", "partnership", "alliance",
                                "arrangement", "collaboration"};
    bool deal = false;
    size_t lists = 0;
    for (size_t k = 0; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      deal = deal || kDeal.count(l);
      if (l == ":" && deal && lists++ < kMaxColonLists) {
        // A list after a colon: split at commas, "and", "or".
        std::vector<std::string> items(1);
        size_t e = k + 1;
        for (; e < u.toks.size(); ++e) {
          const std::string w = Lower(u.toks[e].text);
          if (w == "." || w == ";" || u.toks[e].kind == Token::Kind::kQuote) break;
          if (w == "," || w == "and" || w == "or") {
            if (!items.back().empty()) items.emplace_back();
            continue;
          }
          items.back() += (items.back().empty() ? "" : " ") + w;
        }
        if (items.size() >= 2) {
          for (const std::string& it : items) {
            if (!it.empty() && std::count(it.begin(), it.end(), ' ') < 5) AddTerm("INCLUDES", it, ui, "deal-colon-list", k, e);
          }
        }
      }
    }
    static const Words kJoint = {"joint", "coordinated", "co-located", "colocated", "integrated", "unified", "collaborative", "shared"};
    static const Words kHeads = {"support", "facility", "teams", "team", "research", "development", "marketing", "engineering",
                                 "sales", "lab", "laboratory", "center", "centre", "model", "roadmap", "offering", "offerings"};
    for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
      if (!kJoint.count(Lower(u.toks[k].text))) continue;
      for (size_t e = k + 1; e < u.toks.size() && e <= k + 3; ++e) {
        if (!IsWord(u.toks[e]) || u.toks[e].capitalized) break;
        if (kHeads.count(Lower(u.toks[e].text))) {
          if (e + 1 < u.toks.size() && kHeads.count(Lower(u.toks[e + 1].text))) ++e;  // "support teams"
          std::string t;
          for (size_t q = k; q <= e; ++q) t += (t.empty() ? "" : " ") + Lower(u.toks[q].text);
          AddTerm("INCLUDES", t, ui, "joint-undertaking", k, e + 1);
          break;
        }
      }
    }
    for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      if ((l == "pay" || l == "pays" || l == "receive" || l == "receives" || l == "collect") &&
          (Lower(u.toks[k + 1].text) == "royalties" || Lower(u.toks[k + 1].text) == "fees")) {
        AddTerm("INCLUDES", Lower(u.toks[k + 1].text), ui, "pays-royalties", k, k + 2);
      }
    }
  }

  // Noun phrases after `from` up to a comma or clause end, split at "or"/"and" with the last
  // phrase's head noun shared: "any patent or open source licensing rights" -> patent rights,
  // open source licensing rights.
  std::vector<std::string> Terms(const Unit& u, size_t from) const {
    std::vector<std::vector<std::string>> parts(1);
    for (size_t k = from; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      if (l == "," || l == "." || l == ";" || l == "other" || l == "but" || l == "than" || l == "for" || l == "with" ||
          l == "to" || l == "from" || u.toks[k].kind == Token::Kind::kQuote) {
        break;
      }
      if (l == "any" || l == "no" || l == "the" || l == "a" || l == "an" || l == "additionally") continue;
      if (l == "or" || l == "and") {
        parts.emplace_back();
        continue;
      }
      if (u.mention_at[k] >= 0) {
        // A name ("covers both Linux and Windows") is not a term; the phrase it is in is dropped.
        parts.back().push_back("\x01");
        continue;
      }
      parts.back().push_back(l);
    }
    for (auto& p : parts) {
      if (std::find(p.begin(), p.end(), "\x01") != p.end()) p.clear();
    }
    while (!parts.empty() && parts.back().empty()) parts.pop_back();
    if (parts.empty()) return {};
    std::vector<std::string> out;
    if (parts.back().empty()) return out;
    const std::string head = parts.back().back();
    for (const auto& p : parts) {
      if (p.empty() || p.size() > 5) continue;
      std::string t;
      for (const std::string& w : p) t += (t.empty() ? "" : " ") + w;
      if (p.back() != head) t += " " + head;
      out.push_back(t);
    }
    return out;
  }

  // "the Oracle database", "Acme software", "the Acme virtualization platform": a company's name
  // before a lower-case kind of software names that product ("Oracle database").
  void MakerProducts() {
    static const Words kKinds = {"database", "software", "server", "hypervisor", "middleware", "virtualization", "cloud"};
    for (Unit& u : units_) {
      for (size_t mi : u.mentions) {
        Mention& m = mentions_[mi];
        if (m.entity < 0 || ents_[m.entity].type != "Company" || m.te >= u.toks.size()) continue;
        const Token& t = u.toks[m.te];
        if (!IsWord(t) || t.capitalized || !kKinds.count(t.text)) continue;
        // Not "Acme software engineers" or "Acme cloud customers": the kind ends the phrase.
        const Token* after = Tok(u, static_cast<long>(m.te) + 1);
        if (after && IsWord(*after) && !after->capitalized && !FunctionWords().count(Lower(after->text)) && after->text != "and") continue;
        const std::string name = ShortName(m.entity) + " " + t.text;
        const int p = EntityFor(name);
        ents_[p].type = "Product";
        ents_[p].keep = true;
        ents_[p].votes["Product"] += 2;
        m.entity = p;
        m.since = merges_;
        m.text = name;
        u.mention_at[m.te] = static_cast<int>(mi);
        ++m.te;
      }
    }
  }

  // "Microsoft Azure" and, later, "Azure": the name without its maker's name is a short form.
  void CompanyTails() {
    for (size_t e = 0; e < ents_.size(); ++e) {
      if (ents_[e].name.empty() || !ents_[e].keep || ents_[e].type != "Product") continue;
      const int maker = CompanyPrefixOf(ents_[e].name);
      if (maker < 0) continue;
      for (const std::string& n : CompanyNames(maker)) {
        if (!ents_[e].name.starts_with(n + " ")) continue;
        auto it = by_key_.find(Key(ents_[e].name.substr(n.size() + 1)));
        if (it == by_key_.end() || it->second == static_cast<int>(e)) break;
        const std::string t = ents_[it->second].type;
        if (t == "Company" || t == "Person" || t == "Organization" || t == "Program") break;
        Merge(it->second, static_cast<int>(e));
        ents_[e].keep = true;
        break;
      }
    }
    Relabel();
  }

  // "Microsoft Windows Server" beside "Windows Server": the maker's name in front is not part of
  // the product's name; the short form is the canonical one.
  void ShortCanonicalNames() {
    for (Entity& e : ents_) {
      if (e.name.empty() || !e.keep || e.type != "Product") continue;
      for (const std::string& alias : e.aliases) {
        if (e.name.size() <= alias.size() + 1 || !e.name.ends_with(" " + alias)) continue;
        const std::string maker = e.name.substr(0, e.name.size() - alias.size() - 1);
        auto it = by_key_.find(Key(maker));
        if (it == by_key_.end() || ents_[it->second].type != "Company") continue;
        const std::string old = e.name;
        e.name = alias;
        e.aliases.erase(alias);
        e.aliases.insert(old);
        break;
      }
    }
  }

  // A name the gazetteer knows under another name keeps the article's form, the fullest one the
  // article uses, and gets the gazetteer's name as an alias ("Windows Azure", also "Microsoft
  // Azure"): an import then stores it under the graph's or the gazetteer's name (see
  // ImportArticle). Two forms of the article that the gazetteer calls one ("Samsung" and
  // "Samsung Electronics Co.") become one entity. Only where the article's evidence agrees with
  // the gazetteer's type: a name the sentences make something else is left alone.
  void GazetteerNames() {
    if (!o_.gazetteer) return;
    std::unordered_map<const GazetteerEntry*, int> by_entry;
    for (size_t i = 0; i < ents_.size(); ++i) {
      const int e = static_cast<int>(i);
      if (ents_[e].name.empty() || !ents_[e].known || !ents_[e].keep || ents_[e].type != GazetteerTypeName(ents_[e].known->type)) {
        continue;
      }
      auto [it, fresh] = by_entry.emplace(ents_[e].known, e);
      if (fresh) {
        Alias(e, ents_[e].known->name);
      } else {
        Merge(e, it->second);
      }
    }
    Relabel();
  }

  // Two companies named side by side as the ones acting: "Acme and Beta today announced",
  // "Acme Corp. and Beta Inc. signed". Returns the pair, or {-1, -1}.
  std::pair<int, int> JointActors(const Unit& u) const {
    static const Words kJoint = {"announced", "announce", "announces", "said", "say", "says", "signed", "sign", "signs",
                                 "agreed", "agree", "agrees", "unveiled", "unveil", "have", "will", "plan", "plans", "are",
                                 "launched", "launch", "introduced", "expanded", "extended", "teamed", "partnered", "struck",
                                 "reached", "entered", "formed", "inked", "revealed", "disclosed", "unveils", "launches"};
    static const Words kAdverbs = {"today", "also", "jointly", "now", "recently", "formally", "officially", "yesterday", "have",
                                   "has", "will"};
    for (size_t k = 0; k + 1 < u.mentions.size(); ++k) {
      const Mention& a = mentions_[u.mentions[k]];
      const Mention& b = mentions_[u.mentions[k + 1]];
      if (TypeOf(a.entity) != "Company" || TypeOf(b.entity) != "Company" || a.entity == b.entity) continue;
      if (!ents_[a.entity].keep || !ents_[b.entity].keep) continue;
      if (!(b.tb == a.te + 1 && Lower(u.toks[a.te].text) == "and")) continue;
      size_t v = b.te;
      while (v < u.toks.size() && kAdverbs.count(Lower(u.toks[v].text)) && !kJoint.count(Lower(u.toks[v].text))) ++v;
      if (v < u.toks.size() && (kJoint.count(Lower(u.toks[v].text)) || (v > b.te && kAdverbs.count(Lower(u.toks[v - 1].text))))) {
        return {a.entity, b.entity};
      }
    }
    return {-1, -1};
  }

  // The pair of companies the article is about: the first pair named acting together or next
  // to a partnership cue. When the article speaks of a deal anywhere, that pair is its parties.
  void MainPair() {
    for (size_t ui = 0; ui < units_.size() && main_.first < 0; ++ui) {
      const Unit& u = units_[ui];
      std::pair<int, int> p = JointActors(u);
      if (p.first < 0) {
        bool cue = false;
        for (const Token& t : u.toks) cue = cue || PartnerCues().count(Lower(t.text));
        if (cue) {
          const std::vector<int> cs = Distinct(Of(u, "Company"));
          if (cs.size() == 2) p = {cs[0], cs[1]};
        }
      }
      if (p.first >= 0) {
        main_ = p;
        main_unit_ = ui;
      }
    }
    if (main_.first < 0) return;
    static const Words kDeal = {"agreement", "agreements", "deal", "pact", "accord", "settlement", "partnership", "alliance",
                                "arrangement", "contract", "acquisition", "merger", "collaboration"};
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      const Unit& u = units_[ui];
      for (size_t k = 0; k < u.toks.size(); ++k) {
        if (!kDeal.count(Lower(u.toks[k].text))) continue;
        const int ag = AgreementFor(main_.first, main_.second);
        Add("PARTY_TO", main_.first, ag, ui, "deal-of-the-article", 0.5f, k, k + 1);
        Add("PARTY_TO", main_.second, ag, ui, "deal-of-the-article", 0.5f, k, k + 1);
        return;
      }
    }
  }

  int AgreementFor(int a, int b) {
    auto key = std::minmax(a, b);
    auto it = agreements_.find(key);
    if (it != agreements_.end()) return it->second;
    const std::string name = ents_[a].name + "\u2013" + ents_[b].name + " agreement";
    const int e = EntityFor(name);
    ents_[e].type = "Agreement";
    ents_[e].keep = true;
    agreements_[key] = e;
    return e;
  }

  // The period of "Acme Corp." inside a sentence: an abbreviation's, not a clause end.
  static bool AbbreviationPeriod(const Unit& u, size_t k) {
    return k > 0 && k + 1 < u.toks.size() && u.toks[k].text == "." && u.toks[k - 1].end == u.toks[k].begin &&
           CorporateSuffix(u.toks[k - 1].text);
  }

  // The products in the clause before token `k` (subject of a verb): "Hyper-V is ..."
  std::vector<int> ProductsBeforeVerb(const Unit& u, size_t k) const {
    std::vector<int> out;
    for (long j = static_cast<long>(k) - 1; j >= 0 && j >= static_cast<long>(k) - 12; --j) {
      const int mi = u.mention_at[j];
      if (mi < 0) {
        const std::string l = Lower(u.toks[j].text);
        if (l == "," && !out.empty()) continue;
        if ((l == "." && !AbbreviationPeriod(u, static_cast<size_t>(j))) || l == ";" || l == "that" || l == "which") break;
        continue;
      }
      const Mention& m = mentions_[mi];
      j = static_cast<long>(m.tb);
      if (m.entity >= 0 && ents_[m.entity].keep && ents_[m.entity].type == "Product") out.push_back(m.entity);
    }
    return out;
  }

  // The companies that make the announcement: those the title names, else those of the sentence.
  std::vector<int> Announcers(const Unit& u) const {
    std::vector<int> out = Distinct(Of(units_[0], "Company"));
    if (out.empty()) out = Distinct(Of(u, "Company"));
    return out;
  }

  // ------------------------------------------------------------------------ programs

  // Who runs a program and who joins it: "the Acme Partner Program" (named after Acme: Acme
  // runs it), "the X program run by Acme", "Beta joins / becomes a member of the X program",
  // and the reciprocal "each company will join the other's certification program".
  void Programs() {
    for (size_t ui = 0; ui < units_.size() && !OutOfTime(); ++ui) {
      const Unit& u = units_[ui];
      for (const Mention* m : Of(u, "Program")) {
        // Operator: a company whose name starts the program's name, or "run/operated by C".
        const int op = CompanyPrefixOf(ents_[m->entity].name);
        if (op >= 0) Add("OPERATES", op, m->entity, ui, "program-named-after-company", 0.6f, m->tb, m->te);
        if (m->te + 2 < u.toks.size()) {
          const std::string v = Lower(u.toks[m->te].text);
          if ((v == "run" || v == "operated" || v == "managed" || v == "offered") && Lower(u.toks[m->te + 1].text) == "by") {
            const int cm = u.mention_at[m->te + 2];
            if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company") {
              Add("OPERATES", mentions_[cm].entity, m->entity, ui, "program-run-by", 0.7f, m->tb, mentions_[cm].te);
            }
          }
        }
        // Member: "C join(s) [the] P", "C become(s) a member of [the] P", "C is part of P".
        for (long k = static_cast<long>(m->tb) - 1; k >= 0 && k >= static_cast<long>(m->tb) - 6; --k) {
          const std::string w = Lower(u.toks[k].text);
          const bool join = w == "join" || w == "joins" || w == "joined" || w == "joining" || w == "enters" || w == "enter";
          const bool member = (w == "member" || w == "members" || w == "participant" || w == "part") &&
                              Lower(u.toks[k + 1].text) == "of";
          if (!join && !member) continue;
          long v = k;
          if (member) {
            while (v > 0 && Lower(u.toks[v].text) != "become" && Lower(u.toks[v].text) != "becomes" &&
                   Lower(u.toks[v].text) != "is" && Lower(u.toks[v].text) != "are" && Lower(u.toks[v].text) != "became" &&
                   v > k - 4) {
              --v;
            }
          }
          for (int c : ActorsBefore(u, static_cast<size_t>(v))) {
            Add("MEMBER_OF", c, m->entity, ui, "joins-program", 0.7f, static_cast<size_t>(v) > 3 ? v - 3 : 0, m->te);
          }
          break;
        }
      }
      // Reciprocal: "each company will join the other's <kind> program".
      if (main_.first < 0) continue;
      for (size_t k = 0; k + 2 < u.toks.size(); ++k) {
        if (Lower(u.toks[k].text) != "other" || u.toks[k + 1].kind != Token::Kind::kPossessive) continue;
        bool join = false;
        for (long j = static_cast<long>(k) - 1; j >= 0 && j >= static_cast<long>(k) - 5; --j) {
          const std::string w = Lower(u.toks[j].text);
          join = join || w == "join" || w == "joins" || w == "enter" || w == "member";
        }
        size_t e = k + 2;
        while (e < u.toks.size() && e < k + 8 && Lower(u.toks[e].text) != "program" && Lower(u.toks[e].text) != "programs" &&
               Lower(u.toks[e].text) != "programme") {
          ++e;
        }
        if (!join || e >= u.toks.size() || e >= k + 8) continue;
        const std::string kind = SpanText(u, k + 2, e + 1);
        const int a = main_.first, b = main_.second;
        // The programs themselves, when the article names them after their owners; else named
        // here from the owner and the kind of program. The first program of each is looked up
        // once and kept up to date with the programs named here.
        if (!owned_programs_known_) {
          owned_programs_known_ = true;
          owned_program_ = {-1, -1};
          for (size_t p = 0; p < ents_.size(); ++p) NoteProgram(static_cast<int>(p));
        }
        int pa = owned_program_.first, pb = owned_program_.second;
        std::vector<int> named;
        if (pa < 0) named.push_back(pa = NewProgram(ShortName(a) + " " + kind));
        if (pb < 0) named.push_back(pb = NewProgram(ShortName(b) + " " + kind));
        for (int p : named) NoteProgram(p);
        Add("OPERATES", a, pa, ui, "reciprocal-programs", 0.6f, k, e + 1);
        Add("OPERATES", b, pb, ui, "reciprocal-programs", 0.6f, k, e + 1);
        Add("MEMBER_OF", a, pb, ui, "reciprocal-programs", 0.6f, k, e + 1);
        Add("MEMBER_OF", b, pa, ui, "reciprocal-programs", 0.6f, k, e + 1);
        break;
      }
    }
  }

  int NewEntity(const std::string& name, const std::string& type) {
    const int e = EntityFor(name);
    ents_[e].type = type;
    ents_[e].keep = true;
    return e;
  }

  // A program named by Programs(). Should the name be a company's, that company is one no more,
  // and the programs' owners are looked up again.
  int NewProgram(const std::string& name) {
    const int e = EntityFor(name);
    if (IsCompany(e)) owned_programs_known_ = false;
    ents_[e].type = "Program";
    ents_[e].keep = true;
    return e;
  }

  // Keeps owned_program_ the first program of each company of the main pair.
  void NoteProgram(int p) {
    if (ents_[p].name.empty() || !ents_[p].keep || ents_[p].type != "Program") return;
    const int owner = CompanyPrefixOf(ents_[p].name);
    if (owner == main_.first && (owned_program_.first < 0 || p < owned_program_.first)) owned_program_.first = p;
    if (owner == main_.second && (owned_program_.second < 0 || p < owned_program_.second)) owned_program_.second = p;
  }

  bool IsCompany(int c) const { return c >= 0 && !ents_[c].name.empty() && ents_[c].keep && ents_[c].type == "Company"; }

  void IndexCompany(int c) {
    for (const std::string& n : CompanyNames(c)) {
      std::vector<int>& v = company_by_name_[n];
      auto at = std::lower_bound(v.begin(), v.end(), c);
      if (at == v.end() || *at != c) v.insert(at, c);
    }
  }

  // The company whose name (or alias, or name without its corporate suffix) starts `name`,
  // followed by a space and more: the first such company of the article. Through an index of
  // the companies' names, built at the first call: the companies are decided by Decide(), and
  // later passes only take names away (a merged or retyped entity is no company any more,
  // checked here) or add aliases (Merge indexes them).
  int CompanyPrefixOf(const std::string& name) {
    if (!companies_indexed_) {
      companies_indexed_ = true;
      for (size_t c = 0; c < ents_.size(); ++c) {
        if (IsCompany(static_cast<int>(c))) IndexCompany(static_cast<int>(c));
      }
    }
    int best = -1;
    for (size_t sp = name.find(' '); sp != std::string::npos && sp + 1 < name.size(); sp = name.find(' ', sp + 1)) {
      auto it = company_by_name_.find(name.substr(0, sp));
      if (it == company_by_name_.end()) continue;
      std::vector<int>& v = it->second;
      // No longer companies stay so: they are dropped from the index as they are met.
      while (!v.empty() && !IsCompany(v.front())) v.erase(v.begin());
      if (!v.empty() && (best < 0 || v.front() < best)) best = v.front();
    }
    return best;
  }

  // A company's name without its corporate suffix: "Oracle" of "Oracle Corporation".
  std::string ShortName(int c) const {
    std::string best = ents_[c].name;
    for (const std::string& n : CompanyNames(c)) {
      if (n.size() < best.size() && !n.empty() && Key(n) == Key(ents_[c].name)) best = n;
    }
    return best;
  }

  std::vector<std::string> CompanyNames(int c) const {
    std::vector<std::string> names = {ents_[c].name};
    names.insert(names.end(), ents_[c].aliases.begin(), ents_[c].aliases.end());
    for (size_t i = 0, n = names.size(); i < n; ++i) {
      std::string base = names[i];
      while (!base.empty() && (base.back() == '.' || base.back() == ' ')) base.pop_back();
      const size_t sp = base.rfind(' ');
      if (sp == std::string::npos) continue;
      if (CompanySuffixes().count(Lower(base.substr(sp + 1))) || CorporateSuffix(base.substr(sp + 1))) {
        std::string b = base.substr(0, sp);
        while (!b.empty() && (b.back() == ',' || b.back() == ' ')) b.pop_back();
        names.push_back(b);
      }
    }
    return names;
  }

  // ------------------------------------------------------------------------ claims

  void Claims(size_t ui) {
    const Unit& u = units_[ui];
    const bool quoted = std::any_of(u.toks.begin(), u.toks.end(), [](const Token& t) { return t.kind == Token::Kind::kQuote; });
    // Quotations.
    for (size_t k = 0; k < u.toks.size(); ++k) {
      if (u.toks[k].kind != Token::Kind::kQuote || !u.toks[k].open) continue;
      size_t e = k + 1;
      while (e < u.toks.size() && !(u.toks[e].kind == Token::Kind::kQuote && !u.toks[e].open)) ++e;
      const size_t words = e - k - 1;
      if (words < 5) {
        k = e;
        continue;
      }
      const int speaker = SpeakerOf(ui, k, e);
      if (speaker >= 0) {
        const uint32_t from = u.toks[k].end - u.begin;
        const uint32_t to = (e < u.toks.size() ? u.toks[e].begin : u.end) - u.begin;
        AddClaim(speaker, u.text.substr(from, to - from), ui, "quotation", 0.7f, k, e + 1);
      }
      k = e;
    }
    // "According to <Speaker>, <clause>."
    for (size_t k = 0; k + 3 < u.toks.size(); ++k) {
      if (Lower(u.toks[k].text) != "according" || Lower(u.toks[k + 1].text) != "to") continue;
      const int mi = u.mention_at[k + 2];
      if (mi < 0) break;
      const std::string t = TypeOf(mentions_[mi].entity);
      const size_t after = mentions_[mi].te;
      if ((t != "Person" && t != "Company" && t != "Organization") || after + 5 >= u.toks.size() || u.toks[after].text != ",") break;
      if (quoted) break;
      const uint32_t b = u.toks[after + 1].begin - u.begin;
      std::string text = u.text.substr(b);
      while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
      AddClaim(mentions_[mi].entity, text, ui, "according-to", 0.5f, after + 1, u.toks.size());
      return;
    }
    // Reported speech: "<Speaker> said that <clause>", "<Speaker> made the point that <clause>".
    for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      const bool point = l == "point" && Lower(u.toks[k + 1].text) == "that";
      if (!(SpeechVerbs().count(l) || point)) continue;
      size_t from = k + 1;
      if (from < u.toks.size() && u.toks[from].text == ",") ++from;
      if (from < u.toks.size() && Lower(u.toks[from].text) == "that") ++from;
      if (from < u.toks.size() && u.toks[from].text == ",") ++from;
      if (from >= u.toks.size() || u.toks[from].kind == Token::Kind::kQuote) continue;
      // A sentence with a quotation in it attributes the quotation ("...," said Jane Roe, CEO).
      if (quoted || u.toks.size() - from < 5) continue;
      if (l == "announced") continue;  // an announcement is news, not a claim
      // The speaker: a person before the verb (past an apposition), else the nearest company.
      int speaker = -1;
      for (const char* want : {"Person", "Company"}) {
        for (long j = static_cast<long>(k) - 1; speaker < 0 && j >= 0 && j >= static_cast<long>(k) - 16; --j) {
          const int mi = u.mention_at[j];
          if (mi >= 0 && TypeOf(mentions_[mi].entity) == want) speaker = mentions_[mi].entity;
        }
      }
      if (speaker < 0) continue;
      const uint32_t b = u.toks[from].begin - u.begin;
      std::string text = u.text.substr(b);
      while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
      AddClaim(speaker, text, ui, point ? "made-the-point" : "reported-speech", 0.5f, from, u.toks.size());
      break;
    }
  }

  // The speaker of the quotation [qb, qe): a person or company next to a speech verb outside
  // the quotation, in the sentence; else the one who spoke last.
  int SpeakerOf(size_t ui, size_t qb, size_t qe) {
    const Unit& u = units_[ui];
    auto person_or_company = [&](int mi) {
      if (mi < 0) return -1;
      const std::string t = TypeOf(mentions_[mi].entity);
      return t == "Person" || t == "Company" || t == "Organization" ? mentions_[mi].entity : -1;
    };
    bool speech = false;
    for (size_t k = 0; k < u.toks.size(); ++k) {
      if (k >= qb && k <= qe) continue;
      speech = speech || SpeechVerbs().count(Lower(u.toks[k].text)) || Lower(u.toks[k].text) == "according";
    }
    if (speech) {
      // Nearest speaker-like mention outside the quotation, before it first.
      for (long k = static_cast<long>(qb) - 1; k >= 0; --k) {
        const int e = person_or_company(u.mention_at[k]);
        if (e >= 0 && ents_[e].type == "Person") return last_speaker_ = e;
      }
      for (size_t k = qe + 1; k < u.toks.size(); ++k) {
        const int e = person_or_company(u.mention_at[k]);
        if (e >= 0) return last_speaker_ = e;
      }
      for (long k = static_cast<long>(qb) - 1; k >= 0; --k) {
        const int e = person_or_company(u.mention_at[k]);
        if (e >= 0) return last_speaker_ = e;
      }
    }
    return last_speaker_;
  }

  void AddClaim(int speaker, std::string text, size_t ui, const std::string& rule, float conf, size_t tb, size_t te) {
    while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();
    if (text.empty()) return;
    ExtractedClaim c;
    c.speaker = ents_[speaker].name;
    c.text = text;
    c.source = Source(ui, rule, conf, tb, te);
    // What it is about: the entities named in it.
    const Unit& u = units_[ui];
    std::set<int> about;
    for (size_t k = tb; k < std::min(te, u.toks.size()); ++k) {
      const int mi = u.mention_at[k];
      if (mi >= 0 && mentions_[mi].entity >= 0 && mentions_[mi].entity != speaker && ents_[mentions_[mi].entity].keep) {
        about.insert(mentions_[mi].entity);
      }
    }
    for (int a : about) {
      c.about.push_back(ents_[a].name);
      used_.insert(a);
    }
    used_.insert(speaker);
    x_.claims.push_back(std::move(c));
  }

  // ------------------------------------------------------------------------ variants, output

  // A product whose name is another product's name followed by a version or edition; a product
  // whose name starts with a company's name is that company's.
  void Variants() {
    for (size_t a = 0; a < ents_.size(); ++a) {
      if (ents_[a].name.empty() || !ents_[a].keep || ents_[a].type != "Product") continue;
      if (OutOfTime()) return;
      const int c = CompanyPrefixOf(ents_[a].name);
      if (c >= 0) NameFact("DEVELOPS", c, static_cast<int>(a), "product-named-after-company", 0.6f);
      if (c < 0) GazetteerMaker(static_cast<int>(a));
    }
    // The products by name, in entity order. Another product's name `base` can only be a
    // variant's words up to a space ("Acme Server" of "Acme Server 2010") or its last word.
    auto product = [&](size_t e) { return !ents_[e].name.empty() && ents_[e].keep && ents_[e].type == "Product"; };
    std::unordered_map<std::string, std::vector<int>> by_name;
    for (size_t b = 0; b < ents_.size(); ++b) {
      if (product(b)) by_name[ents_[b].name].push_back(static_cast<int>(b));
    }
    std::vector<int> bases;
    for (size_t a = 0; a < ents_.size(); ++a) {
      if (!product(a)) continue;
      if (OutOfTime()) return;
      const std::string& name = ents_[a].name;
      bases.clear();
      auto add = [&](const std::string& n) {
        auto it = by_name.find(n);
        if (it != by_name.end()) bases.insert(bases.end(), it->second.begin(), it->second.end());
      };
      for (size_t sp = name.find(' '); sp != std::string::npos; sp = name.find(' ', sp + 1)) add(name.substr(0, sp));
      if (const size_t sp = name.rfind(' '); sp != std::string::npos) add(name.substr(sp + 1));
      std::sort(bases.begin(), bases.end());
      bases.erase(std::unique(bases.begin(), bases.end()), bases.end());
      for (int bi : bases) {
        const size_t b = static_cast<size_t>(bi);
        if (a == b) continue;
        const std::string& base = ents_[b].name;
        const std::string& var = ents_[a].name;
        if (var.size() <= base.size() + 1) continue;
        // "Windows Server 2008 Hyper-V": a product's component named after it, when what comes
        // before is itself a product of the article.
        if (var.ends_with(" " + base) && base.find(' ') == std::string::npos) {
          auto pre = by_key_.find(Key(var.substr(0, var.size() - base.size() - 1)));
          if (pre != by_key_.end() && ents_[pre->second].keep && ents_[pre->second].type == "Product") {
            NameFact("VARIANT_OF", static_cast<int>(a), static_cast<int>(b), "name-ends-with-name", 0.5f);
          }
        }
        if (var.starts_with(base + " ")) NameFact("VARIANT_OF", static_cast<int>(a), static_cast<int>(b), "name-extends-name", 0.5f);
      }
    }
  }

  // The maker the gazetteer gives a product, when the article names that maker too, in a
  // sentence that names the product: the gazetteer says who makes it, the sentence is where the
  // article puts them together (a weak fact: the sentence need not say it).
  void GazetteerMaker(int product) {
    const GazetteerEntry* g = ents_[product].known;
    if (!g || g->maker.empty()) return;
    const std::string maker_key = Key(g->maker);
    int maker = -1;
    for (size_t c = 0; c < ents_.size() && maker < 0; ++c) {
      const Entity& e = ents_[c];
      if (e.name.empty() || !e.keep || e.type != "Company") continue;
      if (Key(e.name) == maker_key || (e.known && Key(e.known->name) == maker_key)) maker = static_cast<int>(c);
    }
    if (maker < 0) return;
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      const Unit& u = units_[ui];
      const Mention* pm = nullptr;
      const Mention* cm = nullptr;
      for (size_t mi : u.mentions) {
        if (mentions_[mi].entity == product && !pm) pm = &mentions_[mi];
        if (mentions_[mi].entity == maker && !cm) cm = &mentions_[mi];
      }
      if (!pm || !cm) continue;
      Add("DEVELOPS", maker, product, ui, "gazetteer-maker", 0.4f, std::min(pm->tb, cm->tb), std::max(pm->te, cm->te));
      return;
    }
  }

  // A fact read off the names alone (no sentence states it): its evidence is the subject's name.
  void NameFact(const std::string& type, int subj, int obj, const std::string& rule, float confidence) {
    FactSource s;
    s.rule = rule;
    s.confidence = confidence;
    s.evidence = ents_[type == "DEVELOPS" ? obj : subj].name;
    pending_.push_back({{type, ents_[subj].name, ents_[obj].name, {}, s}, subj, obj});
    used_.insert(subj);
    used_.insert(obj);
  }

  // A time the sentence gives for what is planned, normalised: "the 2nd half of 2009" -> 2009-H2,
  // "the third quarter of 2010" -> 2010-Q3, "early 2010" / "by 2017" -> the year, "later this
  // year" / "this fall" -> the article's year. Empty when there is none.
  std::string TimeOf(const Unit& u) const {
    auto year_at = [&](size_t k) -> std::string {
      if (k < u.toks.size() && u.toks[k].kind == Token::Kind::kNumber && u.toks[k].text.size() == 4 &&
          (u.toks[k].text.starts_with("19") || u.toks[k].text.starts_with("20"))) {
        return u.toks[k].text;
      }
      return {};
    };
    static const std::map<std::string, std::string> kOrdinal = {{"first", "1"}, {"1st", "1"}, {"second", "2"}, {"2nd", "2"},
                                                                {"third", "3"}, {"3rd", "3"}, {"fourth", "4"}, {"4th", "4"}};
    for (size_t k = 0; k < u.toks.size(); ++k) {
      const std::string l = Lower(u.toks[k].text);
      if ((l == "half" || l == "quarter") && k >= 1 && k + 2 < u.toks.size() && Lower(u.toks[k + 1].text) == "of") {
        auto o = kOrdinal.find(Lower(u.toks[k - 1].text));
        const std::string y = year_at(k + 2);
        if (o != kOrdinal.end() && !y.empty()) return y + (l == "half" ? "-H" : "-Q") + o->second;
      }
      if ((l == "in" || l == "by" || l == "early" || l == "mid" || l == "late" || l == "during") && !year_at(k + 1).empty()) {
        return year_at(k + 1);
      }
      if ((l == "this" && k + 1 < u.toks.size()) &&
          (Lower(u.toks[k + 1].text) == "year" || Lower(u.toks[k + 1].text) == "fall" || Lower(u.toks[k + 1].text) == "autumn" ||
           Lower(u.toks[k + 1].text) == "spring" || Lower(u.toks[k + 1].text) == "summer" || Lower(u.toks[k + 1].text) == "winter") &&
          a_.date.size() >= 4) {
        return a_.date.substr(0, 4);
      }
    }
    return {};
  }

  // Planned facts get the time the article expects them: the one their sentence gives, else the
  // one of a sentence about expectations ("users can expect results in the 2nd half of 2009").
  void PlannedDates() {
    std::string expected;
    for (size_t ui = 1; ui < units_.size() && expected.empty(); ++ui) {
      bool expect = false;
      for (const Token& t : units_[ui].toks) {
        const std::string l = Lower(t.text);
        expect = expect || l == "expect" || l == "expected" || l == "expects" || l == "available" || l == "ship" || l == "due";
      }
      if (expect) expected = TimeOf(units_[ui]);
    }
    std::map<size_t, std::string> times;  // per unit, read once
    for (Pending& p : pending_) {
      auto st = p.rel.qualifiers.find("status");
      if (st == p.rel.qualifiers.end() || st->second != "planned" || p.rel.qualifiers.count("date")) continue;
      const size_t ui = p.rel.source.sentence;
      if (ui < units_.size() && !times.count(ui)) times[ui] = TimeOf(units_[ui]);
      std::string when = ui < units_.size() ? times[ui] : std::string();
      if (when.empty()) when = expected;
      if (!when.empty()) p.rel.qualifiers["date"] = when;
    }
  }

  void Finish() {
    PlannedDates();
    // Entities: those a fact uses, plus typed companies, products and people named in the body.
    for (size_t e = 0; e < ents_.size(); ++e) {
      Entity& en = ents_[e];
      if (en.name.empty() || !en.keep) continue;
      const bool named_type = en.type == "Company" || en.type == "Person" || en.type == "Product" || en.type == "Organization" ||
                              en.type == "Program";
      if (!used_.count(static_cast<int>(e)) && !(named_type && StrongType(en))) continue;
      ExtractedEntity out;
      out.name = en.name;
      out.type = en.type;
      out.aliases.assign(en.aliases.begin(), en.aliases.end());
      x_.entities.push_back(std::move(out));
    }
    std::set<std::string> seen;
    for (auto& p : pending_) {
      ExtractedRelation& r = p.rel;
      const std::string key = r.type + "|" + Key(r.subject) + "|" + Key(r.object) + "|" + (r.qualifiers.count("on") ? Key(r.qualifiers["on"]) : "");
      std::string rev = r.type + "|" + Key(r.object) + "|" + Key(r.subject) + "|";
      if (seen.count(key) || ((r.type == "PARTNERS_WITH" || r.type == "INTEROPERATES_WITH") && seen.count(rev))) continue;
      seen.insert(key);
      x_.relations.push_back(std::move(r));
    }
  }

  static bool StrongType(const Entity& e) {
    double best = 0;
    for (const auto& [t, v] : e.votes) best = std::max(best, v);
    return best >= 2;
  }

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
  bool title_case_ = false;
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
  size_t main_unit_ = 0;
  bool companies_indexed_ = false;
  bool owned_programs_known_ = false;
  std::pair<int, int> owned_program_{-1, -1};  // see NoteProgram
  std::unordered_map<std::string, std::vector<int>> company_by_name_;  // see CompanyPrefixOf
  std::vector<size_t> facts_in_unit_;                                   // see Add
  std::vector<signed char> hedged_;                                      // see HedgedAt: -1 not yet known
  std::chrono::steady_clock::time_point deadline_;
  uint64_t ticks_ = 0;
  bool stopped_ = false;
  std::set<int> used_;
  std::vector<Pending> pending_;
  int last_speaker_ = -1;

  // ------------------------------------------------------------- the grammar phase (grammar.inc)
  void GrammarRelations(size_t ui);
  void Apply(size_t ui, const Frame& f, const RuleMatch& m);
  Frame ChunkFrame(const Unit& u, size_t k) const;
  void Complete(const Unit& u, const Frame& chunked, Frame* parsed) const;
  std::vector<int> EntitiesIn(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const;
  size_t TokenAt(const Unit& u, uint32_t at) const;
  const RuleSet* rules_ = nullptr;
  size_t sentences_parsed_ = 0, sentences_unlinked_ = 0;
};

#include "ingest/extract/grammar.inc"

}  // namespace

Result<Extraction> Extract(const Article& article, const ExtractOptions& options) {
  Extractor x(article, options);
  return x.Run();
}

std::string ToJsonl(const Article& article, const Extraction& x, const std::string& doc_key, const std::string& doc_hash) {
  std::ostringstream out;
  if (!doc_key.empty()) {
    out << "{\"kind\":\"document\",\"key\":" << JsonQuote(doc_key) << ",\"type\":\"article\",\"title\":" << JsonQuote(article.title)
        << ",\"publisher\":" << JsonQuote(article.publisher) << ",\"date\":" << JsonQuote(article.date)
        << ",\"url\":" << JsonQuote(article.url) << ",\"text\":" << JsonQuote(article.body);
    if (!doc_hash.empty()) out << ",\"hash\":" << JsonQuote(doc_hash);
    out << "}\n";
  }
  for (const ExtractedEntity& e : x.entities) {
    out << "{\"kind\":\"entity\",\"name\":" << JsonQuote(e.name) << ",\"type\":" << JsonQuote(e.type) << ",\"aliases\":[";
    for (size_t i = 0; i < e.aliases.size(); ++i) out << (i ? "," : "") << JsonQuote(e.aliases[i]);
    out << "]}\n";
  }
  auto source = [&](const FactSource& s) {
    if (doc_key.empty()) return;
    out << ",\"source\":{\"doc\":" << JsonQuote(doc_key) << ",\"sentence\":" << s.sentence;
    if (s.end > s.begin) out << ",\"span\":[" << s.begin << "," << s.end << "]";
    out << ",\"extractor\":" << JsonQuote(s.rule) << ",\"confidence\":" << s.confidence << "}";
  };
  for (const ExtractedRelation& r : x.relations) {
    out << "{\"kind\":\"relation\",\"type\":" << JsonQuote(r.type) << ",\"subject\":" << JsonQuote(r.subject)
        << ",\"object\":" << JsonQuote(r.object);
    if (!r.qualifiers.empty()) {
      out << ",\"qualifiers\":{";
      bool first = true;
      for (const auto& [k, v] : r.qualifiers) {
        out << (first ? "" : ",") << JsonQuote(k) << ":" << JsonQuote(v);
        first = false;
      }
      out << "}";
    }
    out << ",\"evidence\":" << JsonQuote(r.source.evidence);
    source(r.source);
    out << "}\n";
  }
  for (const ExtractedClaim& c : x.claims) {
    out << "{\"kind\":\"claim\",\"speaker\":" << JsonQuote(c.speaker) << ",\"text\":" << JsonQuote(c.text) << ",\"about\":[";
    for (size_t i = 0; i < c.about.size(); ++i) out << (i ? "," : "") << JsonQuote(c.about[i]);
    out << "],\"evidence\":" << JsonQuote(c.source.evidence);
    source(c.source);
    out << "}\n";
  }
  return out.str();
}

}  // namespace pactgraph::ingest
