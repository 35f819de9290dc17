// Names settled once the types are known: "the Oracle database" is a product, "Microsoft Windows
// Server" is "Windows Server", "Azure" is "Microsoft Azure", and the gazetteer's names join.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

// "the Oracle database", "Acme software", "the Acme virtualization platform": a company's name
// before a lower-case kind of software names that product ("Oracle database").
void Extractor::MakerProducts() {
  for (Unit& u : units_) {
    for (size_t mi : u.mentions) {
      Mention& m = mentions_[mi];
      if (m.entity < 0 || ents_[m.entity].type != "Company" || m.te >= u.toks.size()) continue;
      // "Acme's software", "Acme's products", "Acme's wares": the company's wares in general.
      const bool owner = u.toks[m.te].kind == Token::Kind::kPossessive && m.te + 1 < u.toks.size() &&
                         (u.toks[m.te + 1].text == "software" || u.toks[m.te + 1].text == "products" || u.toks[m.te + 1].text == "wares");
      const size_t kind_at = owner ? m.te + 1 : m.te;
      const Token& t = u.toks[kind_at];
      if (!IsWord(t) || t.capitalized || (!owner && !SoftwareKinds().count(t.text))) continue;
      // Not "Acme software engineers" or "Acme cloud customers": the kind ends the phrase.
      const Token* after = Tok(u, static_cast<long>(kind_at) + 1);
      if (after && IsWord(*after) && !after->capitalized && !FunctionWords().count(Lower(after->text)) && after->text != "and") continue;
      // "Acme products" are its wares in general, the same as "Acme software".
      const bool wares = owner || t.text == "products";
      const std::string name = ShortName(m.entity) + " " + (wares ? std::string("software") : t.text);
      const int p = EntityFor(name);
      if (wares && !owner) Alias(p, ShortName(m.entity) + " " + t.text);
      ents_[p].type = "Product";
      ents_[p].keep = true;
      ents_[p].votes["Product"] += 2;
      m.entity = p;
      m.since = merges_;
      m.text = name;
      for (size_t k = m.te; k <= kind_at; ++k) u.mention_at[k] = static_cast<int>(mi);
      m.te = kind_at + 1;
    }
  }
}

// `name` without the legal forms at its end ("Acme Systems, Inc." -> "Acme Systems") and, with
// `company_words`, without the company words too (-> "Acme"); at least one word stays.
std::string Extractor::WithoutTrailingForms(std::string name, bool company_words) {
  for (;;) {
    while (!name.empty() && (name.back() == ',' || name.back() == ' ')) name.pop_back();
    const size_t sp = name.rfind(' ');
    if (sp == std::string::npos) return name;
    std::string word = name.substr(sp + 1);
    while (!word.empty() && word.back() == '.') word.pop_back();
    if (!CorporateSuffix(name.substr(sp + 1)) && !CorporateSuffix(word) && !(company_words && CompanySuffixes().count(Lower(word)))) {
      return name;
    }
    name.resize(sp);
  }
}

// "Kestrel Systems" and "Kestrel", "Sun Microsystems" and "Sun": a company's name without the
// company words at its end ("Systems", "Labs", "Electronics"; lexicon/company_suffixes.txt) is
// its short form, when the article's entity of that name is a company too or has no type.
void Extractor::CompanyShortForms() {
  for (size_t c = 0; c < ents_.size(); ++c) {
    if (ents_[c].name.empty() || !ents_[c].keep || ents_[c].type != "Company") continue;
    const std::string base = WithoutTrailingForms(ents_[c].name, true);
    const bool cut = base != ents_[c].name;
    if (!cut || base.empty()) continue;
    auto it = by_key_.find(Key(base));
    if (it == by_key_.end()) continue;
    const int s = Root(it->second);
    if (s == static_cast<int>(c) || s < 0 || ents_[s].name.empty()) continue;
    if (ents_[s].keep && ents_[s].type != "Company") continue;
    Merge(s, static_cast<int>(c));
  }
  Relabel();
}

// "Microsoft Azure" and, later, "Azure": the name without its maker's name is a short form.
void Extractor::CompanyTails() {
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
      if (TailOfAnotherMaker(it->second, maker)) break;  // "Adobe Marketing Cloud" is not Salesforce's
      Merge(it->second, static_cast<int>(e));
      ents_[e].keep = true;
      break;
    }
  }
  Relabel();
}

// Whether the product `tail` is another company's than `maker`: the gazetteer gives it another
// maker, or the article names it with another company in front ("Salesforce Marketing Cloud").
bool Extractor::TailOfAnotherMaker(int tail, int maker) {
  const std::vector<std::string> mine = CompanyNames(maker);
  auto is_mine = [&](const std::string& company) {
    return std::any_of(mine.begin(), mine.end(), [&](const std::string& n) { return Key(n) == Key(company); });
  };
  const Entity& t = ents_[tail];
  if (t.known && !t.known->maker.empty() && !is_mine(t.known->maker)) return true;
  for (const std::string& alias : t.aliases) {
    const int other = CompanyPrefixOf(alias);
    if (other >= 0 && other != maker) return true;
  }
  return false;
}

// "Microsoft Windows Server" beside "Windows Server": the maker's name in front is not part of
// the product's name; the short form is the canonical one.
void Extractor::ShortCanonicalNames() {
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
void Extractor::GazetteerNames() {
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

}  // namespace pactgraph::ingest::extract
