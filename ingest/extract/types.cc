// What each entity is: votes from the graph, the gazetteer and the words of and around each
// mention; the type with the most votes wins, and coordinated names share a kind.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

namespace {

// The weight of the gazetteer's type for a name it knows: more than the cues of a few sentences
// together ("Acme Cloud program" gives 8), less than the graph's own entity of that name (10).
constexpr double kGazetteerVote = 6;

// Words that start a modifier after a noun: "an app developed by ...", "a unit of ...".
bool ModifierStart(const std::string& w) {
  static const Words k = {"by", "that", "which", "who", "whose", "of", "from", "with", "for", "in", "on", "at", "to", "and", "or"};
  return k.count(w) > 0;
}

// Words between a verb and its object's name: "built the", "release their new".
const Words& Determiners() {
  static const Words k = {"the", "a", "an", "its", "their", "his", "her", "our", "new", "first", "latest"};
  return k;
}

}  // namespace

std::string Extractor::LowerAt(const Unit& u, long i) const {
  const Token* t = Tok(u, i);
  return t ? Lower(t->text) : std::string();
}

void Extractor::Vote() {
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
    // A model's code, capitals then digits ("N9", "S24", "X1"): a product's name.
    if (m.te == m.tb + 1) {
      const std::string& w = u.toks[m.tb].text;
      size_t caps = 0;
      while (caps < w.size() && std::isupper(static_cast<unsigned char>(w[caps]))) ++caps;
      size_t nums = caps;
      while (nums < w.size() && std::isdigit(static_cast<unsigned char>(w[nums]))) ++nums;
      if (caps >= 1 && caps <= 2 && nums == w.size() && nums - caps >= 1 && nums - caps <= 3) digits = true;
    }
    // "the Ignite conference", "at its Build developer summit": an event's name.
    for (size_t k = m.te; k < u.toks.size() && k <= m.te + 1; ++k) {
      if (u.toks[k].capitalized || !IsWord(u.toks[k])) break;
      // Not "the Linux world" or "the Windows team day": the words that only name events.
      static const Words kEventHeads = {"conference", "summit", "expo", "keynote", "webinar", "event", "hackathon"};
      if (kEventHeads.count(Lower(u.toks[k].text))) e.event = true;
    }
    // The words of the name.
    if (CompanySuffixes().count(last) && words.size() > 1) e.votes["Company"] += 3;
    if (m.suffixed || (CorporateSuffix(u.toks[m.te - 1].text) && words.size() > 1)) e.votes["Company"] += 5;
    if (OrganizationWords().count(last) && words.size() > 1) e.votes["Organization"] += 3;
    if (ProgramWords().count(last) && words.size() > 1) e.votes["Program"] += (last == "program" || last == "programme") ? 8 : 3;
    // A single generic word ("Virtualization", "Cloud") is a topic, not a product's name.
    const bool generic = words.size() == 1 && GenericWords().count(words[0]);
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
      long k = static_cast<long>(m.te);
      while (VerbAdverbs().count(LowerAt(u, k))) ++k;
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
    if (SoftwareVerbs().count(prev)) e.votes["Product"] += 1;
    // "agreed to acquire MGM", "bought Acme": what is bought is a business, unless the name says
    // otherwise (a product's evidence outweighs this).
    if (AcquisitionWords().count(prev) && prev != "acquisition" && prev != "takeover" && prev != "merger") e.votes["Company"] += 1;
    if (prev == "for" && LowerAt(u, static_cast<long>(m.tb) - 2).starts_with("support")) e.votes["Product"] += 1;
    if (SoftwareNouns().count(next)) e.votes["Product"] += 1;
    if (prev == "at" && IsTitleBefore(u, m.tb)) e.votes["Company"] += 2;
    {
      // A place: "held in Redmond", "based in Raleigh", "headquartered near Munich".
      if ((prev == "in" || prev == "near" || prev == "at") && SitedWords().count(LowerAt(u, static_cast<long>(m.tb) - 2))) {
        e.votes["Place"] += 6;
      }
      if (prev == "the" && (next == "region" || next == "area")) e.votes["Place"] += 6;
    }
    {
      // A company's unit: "Acme's Cloud and Enterprise group", "its Devices division". No
      // entity of the schema (as a place is not): it keeps its words from being a product.
      const Words& kUnits = CompanyUnits();
      long f = static_cast<long>(m.te);
      while (f < static_cast<long>(u.toks.size()) && f < static_cast<long>(m.te) + 5 &&
             (u.toks[f].capitalized || LowerAt(u, f) == "and" || LowerAt(u, f) == "&") && !kUnits.count(LowerAt(u, f))) {
        ++f;
      }
      if (kUnits.count(LowerAt(u, f)) && !u.toks[f].capitalized && (prev == "'s" || prev == "’s" || prev == "its" || prev == "the")) {
        e.votes["Place"] += 2.5;
      }
      // "president of the Mobile Devices Business": the unit's word inside its name.
      if (words.size() > 1 && (last == "business" || last == "division") && prev == "the") e.votes["Place"] += 5;
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
      // "Red Hat and AWS offer it", "from Acme and Globex": beside a company the gazetteer
      // knows, a name the gazetteer also knows as a company is acting as one.
      if (e.known && e.known->type == GazetteerType::kCompany) {
        const long other = prev == "and" ? static_cast<long>(m.tb) - 2 : static_cast<long>(m.te) + 1;
        const int om = other >= 0 && static_cast<size_t>(other) < u.toks.size() ? u.mention_at[other] : -1;
        if (om >= 0 && mentions_[om].entity != m.entity) {
          const Entity& o = ents_[mentions_[om].entity];
          if (o.known && o.known->type == GazetteerType::kCompany) e.votes["Company"] += 0.5;
        }
      }
    }
    // "the publisher of <Name>", "the maker of <Name>": what a company makes is a product.
    if (prev == "of") {
      const std::string maker = LowerAt(u, static_cast<long>(m.tb) - 2);
      if (maker == "maker" || maker == "makers" || maker == "developer" || maker == "developers" || maker == "publisher" ||
          maker == "creator" || maker == "creators" || maker == "manufacturer") {
        e.votes["Product"] += 1.5;
      }
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
    if (prev == ",") {
      for (long k = static_cast<long>(m.tb) - 2; k >= 0 && k >= static_cast<long>(m.tb) - 4; --k) {
        if (CompanyNouns().count(Lower(u.toks[k].text))) e.votes["Company"] += 2;
      }
    }
    if (next == ",") {
      // The head of the apposition (its last noun of a known kind) says what the name is:
      // "XenServer, the company's own hypervisor", "Hyper-V, Acme's new hypervisor". The
      // apposition's own noun phrase ends where a modifier starts: "Foo, an app developed by
      // the Milan company Bar" is an app.
      std::string head;
      for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 8; ++k) {
        const std::string w = Lower(u.toks[k].text);
        if (w == "," || w == "." || w == ";") break;
        if (!head.empty() && (ModifierStart(w) || (w.size() > 4 && w.ends_with("ed")))) break;
        if (ProductNouns().count(w)) head = "Product";
        if (CompanyNouns().count(w)) head = "Company";
        if (OrganizationNouns().count(w)) head = "Organization";
      }
      if (!head.empty()) e.votes[head] += 2;
    }
    // A kind of thing right before the name: "the Milan company Foo", "research firm Bar", "the
    // app Baz". Not a kind that is itself part of a name ("Acme Cloud Foo").
    if (const Token* pt = Tok(u, static_cast<long>(m.tb) - 1); pt && IsWord(*pt) && !pt->capitalized) {
      if (CompanyNouns().count(prev) && prev != "leader" && prev != "partner") e.votes["Company"] += 2;
      if (ProductNouns().count(prev) && prev != "products" && prev != "software") e.votes["Product"] += 2;
    }
    // What is made, launched or released: "Acme built the Foo Phone", "the companies release
    // their Bar API".
    {
      long k = static_cast<long>(m.tb) - 1;
      while (k >= 0 && Determiners().count(LowerAt(u, k))) --k;
      if (k >= 0 && k < static_cast<long>(m.tb) - 1 && MakingVerbs().count(LowerAt(u, k))) e.votes["Product"] += 1;
    }
    // A place, or the adjective of one: "England", "North American".
    if (Places().count(Lower(m.text))) e.votes["Place"] += 6;
    // A definition: "Hyper-V is the hypervisor that ...", "Acme is a software company".
    if ((next == "is" || next == "was" || next == "becomes") && m.tb <= 1) {
      std::string head;
      for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 7; ++k) {
        const std::string w = Lower(u.toks[k].text);
        if (w == "," || w == "." || w == "that" || w == "which" || w == "of" || w == "for" || w == "with") break;
        if (ProductNouns().count(w)) head = "Product";
        if (CompanyNouns().count(w)) head = "Company";
        if (OrganizationNouns().count(w)) head = "Organization";
      }
      if (!head.empty()) e.votes[head] += 2;
    }
    // A name given after its description: "Acme's cloud management platform, Foo, ...".
    if (prev == "," && m.tb >= 2 && ProductNouns().count(LowerAt(u, static_cast<long>(m.tb) - 2)) && next == ",") {
      e.votes["Product"] += 2;
    }
    // Next to a job title: "Acme CEO Jane Roe", "Jane Roe, vice president of ...",
    // "Jane Roe, corporate vice president and deputy general counsel at Acme".
    const bool titled_before = prev.size() && IsTitleToken(prev);
    bool titled_after = false;
    if (next == ",") {
      // Past an article and a company's name: "Jane Roe, a former Acme Cloud executive".
      for (size_t k = m.te + 1; k < u.toks.size() && k < m.te + 8; ++k) {
        const std::string w = Lower(u.toks[k].text);
        if (TitleWords().count(w) || w == "leads" || w == "heads" || w == "runs") titled_after = true;
        if (w == "," || w == "of" || w == "at") break;
      }
    }
    // A post taken or held: "Jane Roe became Acme's president", "Jane Roe had been vice
    // president of sales".
    if (next != ",") {
      long k = static_cast<long>(CareerVerbEnd(u, m.te, nullptr));
      if (k != static_cast<long>(m.te)) {
        while (LowerAt(u, k) == "the" || LowerAt(u, k) == "a" || LowerAt(u, k) == "an") ++k;
        if (const Token* t = Tok(u, k); t && u.mention_at[k] >= 0) {
          const size_t te = mentions_[u.mention_at[k]].te;
          if (te < u.toks.size() && u.toks[te].kind == Token::Kind::kPossessive) k = static_cast<long>(te) + 1;
        }
        titled_after = TitleWords().count(LowerAt(u, k)) || TitleWords().count(LowerAt(u, k + 1));
      }
    }
    if ((titled_before || titled_after) && m.te - m.tb >= 2 && m.te - m.tb <= 4 && !digits) e.votes["Person"] += 2;
    // Coordinated with a capitalised company-like word ("Red Hat and Microsoft").
  }
}

// True when the words before token `at` (the "at" of "... at X") include a title word.
bool Extractor::IsTitleBefore(const Unit& u, size_t at) const {
  for (long k = static_cast<long>(at) - 2; k >= 0 && k >= static_cast<long>(at) - 8; --k) {
    if (TitleWords().count(Lower(u.toks[k].text))) return true;
    if (u.toks[k].text == "." ) break;
  }
  return false;
}

void Extractor::Decide() {
  for (Entity& e : ents_) {
    if (e.name.empty()) continue;
    const size_t sp = e.name.rfind(' ');
    if (e.event || EventWords().count(Lower(sp == std::string::npos ? e.name : e.name.substr(sp + 1)))) continue;
    std::string best;
    double score = 0;
    for (const auto& [t, v] : e.votes) {
      if (v > score) {
        score = v;
        best = t;
      }
    }
    // A company the gazetteer knows stays a company once a sentence also treats it as one (an
    // officer's employer, a doer of a deal), however often it is named as a platform ("runs
    // on X", "inside X"): clouds and business units are both.
    if (e.known && e.known->type == GazetteerType::kCompany && best == "Product") {
      const auto c = e.votes.find("Company");
      if (c != e.votes.end() && c->second >= kGazetteerVote + 0.5) best = "Company";
    }
    e.type = best;
    // A bare all-capitals word with no evidence is an acronym of something unnamed: skip.
    e.keep = !best.empty() && score >= 1;
    // A place is no entity of the schema: it only keeps its name from being taken for one.
    if (best == "Place") e.keep = false;
  }
  // A name that extends a company's or a product's name, with no evidence of its own, is a
  // product of that line: "Acme Maps" (Acme a company), "Fjord DB Replication" (Fjord DB a
  // product), and so is a coined word glued to a company's name ("AcmeIQ").
  auto typed = [&](const std::string& name) -> std::string {
    auto it = by_key_.find(Key(name));
    if (it != by_key_.end() && ents_[it->second].keep) return ents_[it->second].type;
    const GazetteerEntry* g = o_.gazetteer ? o_.gazetteer->Find(name) : nullptr;
    return g ? GazetteerTypeName(g->type) : std::string();
  };
  for (Entity& e : ents_) {
    if (e.name.empty() || e.known) continue;
    double strength = 0;
    for (const auto& [t, v] : e.votes) strength = std::max(strength, t == "Product" ? 0 : v);
    // (Weak evidence is no evidence here: "Acme Lark will ..." has a company's verb after it.)
    if (strength >= 1 || e.votes["Product"] >= 1.5) continue;
    const std::string last = Lower(e.name.substr(e.name.rfind(' ') == std::string::npos ? 0 : e.name.rfind(' ') + 1));
    if (EventWords().count(last) || OrganizationWords().count(last) || CompanySuffixes().count(last) ||
        CorporateSuffix(e.name.substr(e.name.rfind(' ') == std::string::npos ? 0 : e.name.rfind(' ') + 1))) {
      continue;
    }
    bool extends = false;
    for (size_t sp = e.name.find(' '); sp != std::string::npos && !extends; sp = e.name.find(' ', sp + 1)) {
      const std::string t = typed(e.name.substr(0, sp));
      // Not two companies side by side: "Acme Globex" after "makes".
      extends = (t == "Company" || t == "Product") && typed(e.name.substr(sp + 1)) != "Company";
    }
    if (!extends && e.name.find(' ') == std::string::npos) {
      // "AcmeIQ": a company's whole name, then a capital.
      for (size_t k = 2; k + 1 < e.name.size() && !extends; ++k) {
        if (std::isupper(static_cast<unsigned char>(e.name[k])) && std::islower(static_cast<unsigned char>(e.name[k - 1]))) {
          extends = typed(e.name.substr(0, k)) == "Company";
        }
      }
    }
    if (!extends) continue;
    e.votes["Product"] += 2;
    e.type = "Product";
    e.keep = true;
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
          weak.votes[strong.type] += 1.5;  // strong enough to pass on: "A, B and C" all take A's kind
        };
        adopt(ea, eb);
        adopt(eb, ea);
      }
    }
  }
}

}  // namespace pactgraph::ingest::extract
