// Finding names: the article split into units (the title, then each sentence of the body), and
// in each unit the runs of tokens that name something (mentions).
#include "ingest/internal/extractor.h"

#include <algorithm>

#include "graph/names.h"

namespace pactgraph::ingest::extract {

namespace {

// A capitalised run longer than this is a heading or shouting, not a name (a bound that keeps the
// work linear in the text; no press release comes near it).
constexpr size_t kMaxNameTokens = 16;

// Months as datelines and dates abbreviate them. Not in months.txt: "Jan" and "Dec" are also
// names; before a day ("Jan 27", "Sept. 3") they are a date.
bool MonthAbbreviation(const std::string& l) {
  static const Words k = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"};
  return k.count(l) > 0;
}

// Function words that, capitalised inside a name, are part of it: "Acme Business One",
// "Fjord 10 Anniversary Update", "New".
bool NameInside(const std::string& l) {
  static const Words k = {"new", "one", "two", "update", "central"};
  return k.count(l) > 0;
}

// A coined word with a capital inside it: "AppleCare", "SharePoint".
bool InnerCapital(const std::string& w) {
  for (size_t k = 1; k + 1 < w.size(); ++k) {
    if (std::isupper(static_cast<unsigned char>(w[k])) && std::islower(static_cast<unsigned char>(w[k - 1]))) return true;
  }
  return false;
}

// True when tokens[i] is a number that can be a day of the month (after an optional period).
bool DayAt(const std::vector<Token>& toks, size_t i) {
  if (i < toks.size() && toks[i].text == ".") ++i;
  if (i >= toks.size() || toks[i].kind != Token::Kind::kNumber || toks[i].text.size() > 2) return false;
  return true;
}

}  // namespace

// The title (unit 0, cut to a sentence's length) and the sentences of the body, tokenised. False
// when the time ran out first.
bool Extractor::ReadUnits() {
  x_.sentences = SplitSentences(a_.body);
  Unit title;
  title.text = a_.title.substr(0, CutPoint(a_.title, kMaxSentenceBytes));
  title.toks = Tokenize(title.text, 0);
  units_.push_back(std::move(title));
  for (const Sentence& s : x_.sentences) {
    if (OutOfTime()) return false;
    Unit u;
    u.text = s.text;
    u.begin = s.begin;
    u.end = s.end;
    u.toks = Tokenize(s.text, s.begin);
    units_.push_back(std::move(u));
  }
  return true;
}

// The words the body writes in lower case and those it capitalises, past each sentence's first
// word, and whether the title is in title case: NameToken reads the title by them. A line of the
// body that repeats the title (press releases print their headline again) is read as the title.
void Extractor::NoteCase() {
  title_case_.assign(units_.size(), false);
  for (size_t i = 1; i < units_.size(); ++i) {
    if (Key(units_[i].text) == Key(units_[0].text) && !units_[0].text.empty()) title_case_[i] = true;  // a headline again
  }
  for (const Unit& u : units_) {
    for (const Token& t : u.toks) {
      if (IsWord(t)) ++word_count_[t.text];
    }
  }
  for (size_t i = 1; i < units_.size(); ++i) {
    if (title_case_[i]) continue;
    for (size_t k = 1; k < units_[i].toks.size(); ++k) {
      const Token& t = units_[i].toks[k];
      if (IsWord(t) && !t.capitalized && std::islower(static_cast<unsigned char>(t.text[0]))) body_lower_.insert(t.text);
      if (IsWord(t) && t.capitalized) body_upper_.insert(t.text);
      const Token& before = units_[i].toks[k - 1];
      if (IsWord(t) && t.capitalized && IsWord(before) && before.capitalized) body_pairs_.insert(before.text + " " + t.text);
    }
  }
  // A headline in title case: most of its words capitalised, small words included.
  size_t words = 0, caps = 0;
  for (const Token& t : units_[0].toks) {
    if (!IsWord(t) || t.text.size() < 4) continue;
    ++words;
    caps += t.capitalized ? 1 : 0;
  }
  title_in_title_case_ = words >= 3 && caps * 10 >= words * 8;
}

bool Extractor::NameToken(const Unit& u, size_t i, bool inside) const {
  const Token& t = u.toks[i];
  // A headline in title case capitalises every word: there, a word the body writes in lower
  // case ("Announce", "Collaboration", "Team Up") is not part of a name.
  const size_t unit = static_cast<size_t>(&u - units_.data());
  const bool headline = unit < units_.size() && (unit == 0 || title_case_[unit]);
  // (Unless the body writes it capitalised after the same word: "the Windows Phone Wager" keeps
  // "Windows Phone", a name the body writes so, though it writes "phone" too.)
  const bool pair_in_body = inside && i > 0 && body_pairs_.count(u.toks[i - 1].text + " " + t.text);
  if (headline && t.capitalized && !AllCaps(t.text) && !pair_in_body &&
      (body_lower_.count(Lower(t.text)) || (title_in_title_case_ && !body_upper_.count(t.text)))) {
    return false;
  }
  // A headline's verb, in capitals or title case, is not part of the names around it:
  // "GLOBEX ACQUIRES INITECH", "Acme Signs Deal".
  if (headline && t.capitalized && ActorVerbs().count(Lower(t.text)) && !body_upper_.count(t.text)) return false;
  if (t.kind == Token::Kind::kNumber) {
    // A version after a name: Windows Server 2008, Office 365.
    return inside;
  }
  if (!IsWord(t)) return false;
  const std::string l = Lower(t.text);
  if (t.capitalized || (std::isdigit(static_cast<unsigned char>(t.text[0])) && inside)) {
    if (t.text == "I" && !inside) return false;  // the writer, in a first-person piece
    if (Months().count(l)) return false;
    if (MonthAbbreviation(l) && DayAt(u.toks, i + 1)) return false;
    if (!inside && FunctionWords().count(l) && !AllCaps(t.text)) return false;
    return true;
  }
  // Lower-case words inside names: "vSphere", "iPhone"; after a name's first word, a short
  // model code with a digit ("HP Envy x2", "Xeon v4").
  if (t.text.size() > 1 && std::islower(static_cast<unsigned char>(t.text[0])) && std::isupper(static_cast<unsigned char>(t.text[1]))) return true;
  // A coined word with a capital inside: "adCenter", "macOS", "watchOS".
  if (t.text.size() >= 4 && std::islower(static_cast<unsigned char>(t.text[0])) &&
      std::all_of(t.text.begin(), t.text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) &&
      std::any_of(t.text.begin() + 2, t.text.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); })) {
    return true;
  }
  if (inside && t.text.size() <= 4 && std::any_of(t.text.begin(), t.text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
      std::all_of(t.text.begin(), t.text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
    return true;
  }
  return false;
}

bool Extractor::IsTitleToken(const std::string& l) {
  return TitleTokens().count(l) > 0;
}

// Press-release datelines ("SAN FRANCISCO, Calif. -- Acme ...", "RALEIGH and REDMOND —",
// "SEOUL, Jan 27 (Newswire) -"): the words before the dash are places, a date and the wire's
// name, not names of the story. Returns the token after the dash, or 0.
size_t Extractor::DatelineEnd(const Unit& u) const {
  bool bracket = false;
  for (size_t k = 0; k < u.toks.size() && k < 16; ++k) {
    const std::string& t = u.toks[k].text;
    if (t == "(") bracket = true;
    if (t == ")") bracket = false;
    if (t == "--" || t == "\u2014" || t == "\u2013" || t == "-") return k > 0 ? k + 1 : 0;
    if (!IsWord(u.toks[k]) || bracket || AllCaps(t) || Lower(t) == "and" || (t.size() <= 6 && t.back() == '.')) continue;
    if (Months().count(Lower(t)) || (MonthAbbreviation(Lower(t)) && DayAt(u.toks, k + 1))) continue;
    return 0;
  }
  return 0;
}

// True when the graph or the gazetteer knows `name`.
bool Extractor::Known(const std::string& name) const {
  if (o_.lookup && !o_.lookup(name).empty()) return true;
  return o_.gazetteer && o_.gazetteer->Find(name) != nullptr;
}

// True when tokens [b, e) are a known name, "for" is at e, and a known name starts after it,
// while no known name runs across the "for".
bool Extractor::TwoKnownNames(const Unit& u, size_t b, size_t e) const {
  if (!Known(SpanText(u, b, e))) return false;
  bool after = false;
  for (size_t f = e + 2; f <= u.toks.size() && f <= e + 1 + kMaxNameTokens; ++f) {
    if (!NameToken(u, f - 1, true)) break;
    if (Known(SpanText(u, e + 1, f))) after = true;
    if (Known(SpanText(u, b, f))) return false;
  }
  return after;
}

// True when the gazetteer has `name` as a name or alias written exactly so, case and all.
bool Extractor::KnownAsWritten(const std::string& name) const {
  const GazetteerEntry* g = o_.gazetteer ? o_.gazetteer->Find(name) : nullptr;
  return g && (g->name == name || std::find(g->aliases.begin(), g->aliases.end(), name) != g->aliases.end());
}

// True when the run of name words from token `at` is the name of a company (or another body)
// the graph or the gazetteer knows: "for Globex" is, "for Globex Applications 12" is not.
bool Extractor::KnownCompanyAt(const Unit& u, size_t at) const {
  size_t e = at;
  while (e < u.toks.size() && e < at + kMaxNameTokens && NameToken(u, e, true) && !FunctionWords().count(Lower(u.toks[e].text))) ++e;
  if (e == at) return false;
  const std::string name = SpanText(u, at, e);
  if (o_.lookup) {
    const std::string t = o_.lookup(name);
    if (!t.empty()) return t == "Company" || t == "Organization";
  }
  const GazetteerEntry* g = o_.gazetteer ? o_.gazetteer->Find(name) : nullptr;
  return g && (g->type == GazetteerType::kCompany || g->type == GazetteerType::kOrganization);
}

// "VMs", "PCs", "APIs": capitals, at least two, then a lower-case "s".
bool Extractor::IsPluralAcronym(const std::string& t) {
  if (t.size() < 3 || t.back() != 's') return false;
  for (size_t k = 0; k + 1 < t.size(); ++k) {
    if (!std::isupper(static_cast<unsigned char>(t[k]))) return false;
  }
  return true;
}

bool Extractor::CorporateSuffix(const std::string& t) {
  // A form of two letters ("AS", "AB", "Oy") is one only when capitalised: "as" is a word.
  if (t.size() <= 2 && !t.empty() && !std::isupper(static_cast<unsigned char>(t[0]))) return false;
  return IsLegalForm(t);
}

// A unit written in capitals ("* ACME SAYS IT WILL SUPPORT QUILL OS"): three words or more,
// nearly every letter upper case. Capitals tell nothing there of where names are.
bool Extractor::Shouted(const Unit& u) {
  size_t words = 0, upper = 0, letters = 0;
  for (const Token& t : u.toks) {
    if (!IsWord(t)) continue;
    ++words;
    for (char c : t.text) {
      if (!std::isalpha(static_cast<unsigned char>(c))) continue;
      ++letters;
      upper += std::isupper(static_cast<unsigned char>(c)) ? 1 : 0;
    }
  }
  return words >= 3 && letters >= 12 && upper * 10 >= letters * 9;
}

// The names of a shouted unit: the longest runs of words that are, case aside, a name the
// article writes elsewhere in its normal case, or one the graph or the gazetteer knows; each
// is written as the article (or the gazetteer) writes it, so that it joins that entity.
void Extractor::FindShoutedMentions(size_t ui, const std::unordered_map<std::string, std::string>& article_names) {
  Unit& u = units_[ui];
  u.mention_at.assign(u.toks.size(), -1);
  for (size_t i = 0; i < u.toks.size();) {
    if (!IsWord(u.toks[i]) || FunctionWords().count(Lower(u.toks[i].text))) {
      ++i;
      continue;
    }
    size_t best = 0;
    std::string written;
    for (size_t e = std::min(u.toks.size(), i + kMaxNameTokens); e > i; --e) {
      if (!IsWord(u.toks[e - 1]) && u.toks[e - 1].kind != Token::Kind::kNumber) continue;
      const std::string span = SpanText(u, i, e);
      if (auto it = article_names.find(Key(span)); it != article_names.end()) {
        best = e;
        written = it->second;
        break;
      }
      const GazetteerEntry* g = o_.gazetteer ? o_.gazetteer->Find(span) : nullptr;
      if (g && span.size() >= 3) {
        best = e;
        written = g->name;
        for (const std::string& a : g->aliases) {
          if (Key(a) == Key(span)) written = a;
        }
        break;
      }
    }
    if (best == 0) {
      ++i;
      continue;
    }
    AddMention(ui, i, best);
    mentions_.back().text = written;
    i = best;
  }
}

void Extractor::FindMentions(size_t ui) {
  Unit& u = units_[ui];
  u.mention_at.assign(u.toks.size(), -1);
  if (Shouted(u)) return;  // FindShoutedMentions, once the other units' names are known
  size_t i = ui == 1 ? DatelineEnd(u) : 0;
  // A fact sheet's label ("Host operating system: Quill OS") names no entity unless the graph or
  // the gazetteer knows it: the names are in the value.
  if (FieldLine(u.text)) {
    size_t colon = i;
    while (colon < u.toks.size() && u.toks[colon].text != ":") ++colon;
    if (colon < u.toks.size() && !Known(SpanText(u, i, colon))) i = colon + 1;
  }
  const size_t first = i;
  while (i < u.toks.size()) {
    // "New" starts a name inside a sentence ("the New York Times"), or at its start when the
    // graph or the gazetteer knows the name.
    const bool starts_new = ui > 0 && u.toks[i].text == "New" && i + 1 < u.toks.size() && IsWord(u.toks[i + 1]) &&
                            u.toks[i + 1].capitalized && NameToken(u, i + 1, true) &&
                            (i > first || Known(SpanText(u, i, i + 2)) || (i + 2 < u.toks.size() && Known(SpanText(u, i, i + 3))));
    if (!starts_new && !NameToken(u, i, false)) {
      ++i;
      continue;
    }
    size_t e = i + 1;
    for (;;) {
      if (e < u.toks.size() && NameToken(u, e, true)) {
        // A function word inside a run ends it unless it is capitalised mid-sentence as part of
        // a name ("Server and Tools" is two runs; "Red Hat" one).
        const std::string l = Lower(u.toks[e].text);
        if (FunctionWords().count(l) && !AllCaps(u.toks[e].text) && !NameInside(l)) break;
        // A job title between two names ends the first: "Microsoft CEO Steve Ballmer".
        if (IsTitleToken(l) && e > i) break;
        ++e;
        continue;
      }
      // An initial: "Roy S. Schestowitz".
      if (e + 1 < u.toks.size() && u.toks[e].text == "." && u.toks[e - 1].text.size() == 1 &&
          std::isupper(static_cast<unsigned char>(u.toks[e - 1].text[0])) && NameToken(u, e + 1, true) &&
          !(e >= i + 2 && AllCaps(u.toks[e - 2].text) && !IsTitleToken(Lower(u.toks[e - 2].text)))) {
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
      // One coined word will do ("AppleCare for Enterprise"). Not before a company's name: "built
      // the Acme Phone for Globex" is made for Globex.
      // Nor between two names the graph or the gazetteer knows apart: "certified Lumen DB for
      // Tern Cloud" (unless the whole is a name too: "SUSE Linux Enterprise Server for SAP
      // Applications").
      if (e + 1 < u.toks.size() && (e >= i + 2 || InnerCapital(u.toks[i].text)) && u.toks[e].text == "for" &&
          NameToken(u, e + 1, true) && !FunctionWords().count(Lower(u.toks[e + 1].text)) &&
          u.toks[e + 1].kind == Token::Kind::kWord && !KnownCompanyAt(u, e + 1) && !TwoKnownNames(u, i, e)) {
        e += 2;
        continue;
      }
      // A name the graph or the gazetteer knows whole, with a preposition inside: "Red Hat
      // OpenShift Service on AWS", "SQL Server on Linux", "Oracle Interconnect for Azure".
      if (e + 1 < u.toks.size() && (u.toks[e].text == "on" || u.toks[e].text == "for" || u.toks[e].text == "at") &&
          NameToken(u, e + 1, true)) {
        size_t f = e + 1, whole = 0;
        while (f < u.toks.size() && f < e + 5 && NameToken(u, f, true)) {
          ++f;
          if (Known(SpanText(u, i, f))) whole = f;
        }
        if (whole > 0) {
          e = whole;
          continue;
        }
      }
      // "of" inside a name: "Call of Duty", "Bank of Lisbon", "Department of Energy". The whole is
      // a name the graph or the gazetteer knows; or one capitalised word, no known name nor a
      // title, and no known company after "of" ("Most of Acme", "CEO of Acme" are not names).
      if (e + 1 < u.toks.size() && u.toks[e].text == "of" && NameToken(u, e + 1, true) && u.toks[e + 1].kind == Token::Kind::kWord &&
          !FunctionWords().count(Lower(u.toks[e + 1].text)) && !IsTitleToken(Lower(u.toks[e + 1].text))) {
        size_t f = e + 1;
        while (f < u.toks.size() && NameToken(u, f, true) && !FunctionWords().count(Lower(u.toks[f].text)) && f < e + 4) ++f;
        const std::string head = SpanText(u, i, e);
        const bool known = Known(SpanText(u, i, f));
        const bool coined = e == i + 1 && IsWord(u.toks[i]) && !Known(head) && !IsTitleToken(Lower(head)) && !KnownCompanyAt(u, e + 1) &&
                            !(i == first && body_lower_.count(Lower(head)));
        if (known || coined) {
          e = f;
          continue;
        }
      }
      // "Assassin's Creed", "Tom's Guide": a possessive inside a name, when the owner and the
      // first word after it are written nowhere else in the article and neither is a known name
      // (a company that owns a product is named again, or known: "Acme's Quill" is Acme's; a
      // product named again alone is owned: "King's Candy Crush" beside "Candy Crush").
      if (e + 1 < u.toks.size() && e == i + 1 && u.toks[e].kind == Token::Kind::kPossessive && NameToken(u, e + 1, true) &&
          u.toks[e + 1].kind == Token::Kind::kWord && !FunctionWords().count(Lower(u.toks[e + 1].text))) {
        size_t f = e + 1;
        while (f < u.toks.size() && NameToken(u, f, true) && !FunctionWords().count(Lower(u.toks[f].text)) && f < e + 4) ++f;
        const std::string owner = u.toks[i].text;
        const auto seen = word_count_.find(owner);
        const auto tail = word_count_.find(u.toks[e + 1].text);
        // (Nor a place: "England's National Health Service" is a body of England.)
        const bool once = seen != word_count_.end() && seen->second == 1 && tail != word_count_.end() && tail->second == 1 &&
                          !Known(owner) && !IsTitleToken(Lower(owner)) && !LooksLikePerson(owner) && !Known(SpanText(u, e + 1, f)) &&
                          !Places().count(Lower(owner));
        if (once) {
          e = f;
          continue;
        }
      }
      // "and" inside the name of a program or a body: "Certified Cloud and Service Provider
      // program", "Server and Tools Business".
      // Not when a company's name, or the name's own first word, follows: "Acme Base and Acme
      // Desk" are two products.
      if (e + 1 < u.toks.size() && u.toks[e].text == "and" && NameToken(u, e + 1, true) &&
          !FunctionWords().count(Lower(u.toks[e + 1].text)) && !KnownCompanyAt(u, e + 1) && u.toks[e + 1].text != u.toks[i].text) {
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
    // A lower-case "program" after a name is part of it: "the Acme Partner program"; so is
    // "edition" after a name that ends in a word of its own ("Quill Server Express edition",
    // not "the Quill 7 edition" nor "the Lumen DB edition for ...").
    if (e < u.toks.size() && e > i && (Lower(u.toks[e].text) == "program" || Lower(u.toks[e].text) == "programme") &&
        !u.toks[e].capitalized && !FunctionWords().count(Lower(u.toks[e - 1].text))) {
      ++e;
    } else if (e < u.toks.size() && e > i && u.toks[e].kind == Token::Kind::kWord && !u.toks[e].capitalized &&
               !FunctionWords().count(Lower(u.toks[e].text)) &&
               (KnownAsWritten(SpanText(u, i, e + 1)) || (Known(SpanText(u, i, e + 1)) && !Known(SpanText(u, i, e))))) {
      // A name known whole with its last word in lower case: as the gazetteer writes it ("Acme
      // Play services"), or where the words before it name nothing known ("Acme Enterprise
      // virtualization"). A known name and a common noun stay apart ("Acme database").
      ++e;
    } else if (e < u.toks.size() && e > i + 1 && u.toks[e].text == "edition" && u.toks[e - 1].kind == Token::Kind::kWord &&
               u.toks[e - 1].capitalized && !AllCaps(u.toks[e - 1].text) && Known(SpanText(u, i, e - 1))) {
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
    while (e > i && IsWord(u.toks[e - 1]) && FunctionWords().count(Lower(u.toks[e - 1].text)) && !AllCaps(u.toks[e - 1].text) &&
           !(e - 1 > i && u.toks[e - 1].capitalized && NameInside(Lower(u.toks[e - 1].text)))) {
      --e;
    }
    // A plural acronym is a common noun, alone or after a name: "VMs", "Windows 10 PCs".
    // (Unless the gazetteer writes it so: "VMs" is not the "VMS" it knows.)
    while (e > i && IsPluralAcronym(u.toks[e - 1].text) && !KnownAsWritten(SpanText(u, i, e))) --e;
    if (e > i + kMaxNameTokens) {
      i = e;
      continue;
    }
    // A sentence's first word alone, which the article writes in lower case elsewhere and never
    // capitalises inside a sentence, is a word, not a name: "Later, ...", "Support is provided".
    if (e == i + 1 && i == first && IsWord(u.toks[i]) && !AllCaps(u.toks[i].text) && body_lower_.count(Lower(u.toks[i].text)) &&
        !body_upper_.count(u.toks[i].text) && !Known(u.toks[i].text)) {
      i = e;
      continue;
    }
    // So is a sentence's first word alone before a lower-case word, when it is an English word
    // (the parser's dictionary holds it in lower case: "Guest operating systems ...", "Host
    // hardware") that the article never capitalises inside a sentence and nobody knows as a name.
    if (e == i + 1 && i == first && o_.parser && IsWord(u.toks[i]) && !AllCaps(u.toks[i].text) && e < u.toks.size() &&
        IsWord(u.toks[e]) && !u.toks[e].capitalized && !body_upper_.count(u.toks[i].text) && !Known(u.toks[i].text) &&
        o_.parser->KnowsWord(Lower(u.toks[i].text))) {
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

void Extractor::AddMention(size_t ui, size_t b, size_t e) {
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

std::string Extractor::SpanText(const Unit& u, size_t b, size_t e) const {
  if (b >= e) return {};
  const uint32_t base = u.begin;
  const size_t from = u.toks[b].begin - base, to = u.toks[e - 1].end - base;
  return u.text.substr(from, to - from);
}

}  // namespace pactgraph::ingest::extract
