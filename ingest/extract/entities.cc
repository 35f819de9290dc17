// Mentions into entities: one entity per name and its other forms (a person's last name, an
// acronym in brackets, a short tail of a longer name), merges, and the names of companies.
#include "ingest/internal/extractor.h"

#include <algorithm>
#include <sstream>
#include <unordered_set>

namespace pactgraph::ingest::extract {

int Extractor::EntityFor(const std::string& name) {
  const std::string k = Key(name);
  auto it = by_key_.find(k);
  if (it != by_key_.end()) return it->second;
  const int id = static_cast<int>(ents_.size());
  ents_.push_back({name, {}, {}, {}, false});
  by_key_[k] = id;
  return id;
}

void Extractor::Alias(int e, const std::string& alias) {
  if (e < 0 || Key(alias) == Key(ents_[e].name)) return;
  ents_[e].aliases.insert(alias);
  by_key_.emplace(Key(alias), e);
}

void Extractor::Cluster() {
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
      // A name first met in a headline in capitals ("ACME BUYS GLOBEX") takes the case the
      // article writes it in elsewhere.
      Entity& e = ents_[it->second];
      if (Key(e.name) == Key(m.text) && AllCaps(e.name) && !AllCaps(m.text)) e.name = m.text;
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
          b.te - b.tb == 1 && (!AllCaps(b.text) || AcronymOf(b.text, a.text))) {
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
  // Who each name is said to belong to where it stands ("Salesforce's X", "Salesforce, whose X").
  std::unordered_map<int, std::unordered_set<std::string>> owners;
  for (const Mention& m : mentions_) {
    const std::string owner = OwnerBefore(m);
    if (m.entity >= 0 && !owner.empty()) owners[m.entity].insert(Key(owner));
  }
  for (size_t e = 0; e < ents_.size(); ++e) {
    if (OutOfTime()) return;
    const std::string& n = ents_[e].name;
    if (n.find(' ') == std::string::npos) continue;
    auto it = by_tail.find(n);
    if (it == by_tail.end()) continue;
    for (int f : it->second) {
      if (f == static_cast<int>(e) || ents_[f].name.size() <= n.size() + 1) continue;
      // "Adobe Marketing Cloud", then "Salesforce, whose Marketing Cloud": another's product.
      auto own = owners.find(static_cast<int>(e));
      const std::string front = Key(ents_[f].name.substr(0, ents_[f].name.size() - n.size() - 1));
      if (own != owners.end() && !own->second.count(front)) continue;
      if (Key(ents_[f].name) != Key(n)) {
        Merge(static_cast<int>(e), f);
        break;
      }
    }
  }
  Relabel();
}

// Whether the capitals of `acronym` are, in order, initials of the words of `name` ("AWS" of
// "Amazon Web Services", "WSL" of "Windows Subsystem for Linux"): "Red Hat OpenShift Service on
// AWS (ROSA)" names the whole service, not AWS.
bool Extractor::AcronymOf(const std::string& acronym, const std::string& name) {
  std::string initials;
  std::istringstream in(name);
  for (std::string w; in >> w;) {
    initials += static_cast<char>(std::tolower(static_cast<unsigned char>(w[0])));
    // Capitals inside a word count too: "OpenShift", "PowerEdge".
    for (size_t i = 1; i < w.size(); ++i) {
      if (std::isupper(static_cast<unsigned char>(w[i]))) initials += static_cast<char>(std::tolower(static_cast<unsigned char>(w[i])));
    }
  }
  size_t at = 0;
  for (char c : acronym) {
    if (!std::isalpha(static_cast<unsigned char>(c))) continue;
    at = initials.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))), at);
    if (at == std::string::npos) return false;
    ++at;
  }
  return true;
}

// The name a mention is said to belong to by the words just before it: "Salesforce's X",
// "Salesforce, whose X"; "" when none.
std::string Extractor::OwnerBefore(const Mention& m) const {
  const Unit& u = units_[m.unit];
  size_t end = m.tb;
  if (end >= 1 && (u.toks[end - 1].text == "'s" || u.toks[end - 1].text == "\u2019s")) {
    end -= 1;
  } else if (end >= 2 && Lower(u.toks[end - 1].text) == "whose" && u.toks[end - 2].text == ",") {
    end -= 2;
  } else {
    return "";
  }
  for (size_t mi : u.mentions) {
    if (mentions_[mi].te == end) return mentions_[mi].text;
  }
  return "";
}

// The entity `e` was merged into, through every later merge ("path compression" keeps the
// walks short; only the end of the walk matters).
int Extractor::Root(int e) {
  int r = e;
  for (auto it = merged_.find(r); it != merged_.end(); it = merged_.find(r)) r = it->second.into;
  for (auto it = merged_.find(e); it != merged_.end() && it->second.into != r; it = merged_.find(e)) {
    e = it->second.into;
    it->second.into = r;
  }
  return r;
}

// Everything known of `from` goes to `into`; mentions follow (at the next Relabel()).
void Extractor::Merge(int from, int into) {
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
void Extractor::Relabel() {
  for (Mention& m : mentions_) {
    auto it = merged_.find(m.entity);
    if (it != merged_.end() && it->second.at > m.since) m.entity = Root(m.entity);
    m.since = merges_;
  }
}

// A surname alone is the person named in full whose last word it is, once the types are known:
// Cluster() links it only for names with a listed first name, and a title makes a person of
// others ("Zoltan Brisk, chief executive of Acme" ... "Brisk said"). Not when two people share
// it, nor a name the gazetteer or the graph knows.
void Extractor::Surnames() {
  std::unordered_map<std::string, int> by_last;
  for (size_t e = 0; e < ents_.size(); ++e) {
    const Entity& p = ents_[e];
    if (p.name.empty() || !p.keep || p.type != "Person") continue;
    const size_t sp = p.name.rfind(' ');
    if (sp == std::string::npos) continue;
    auto [it, fresh] = by_last.emplace(Key(p.name.substr(sp + 1)), static_cast<int>(e));
    if (!fresh && it->second != static_cast<int>(e)) it->second = -1;
  }
  bool merged = false;
  for (size_t e = 0; e < ents_.size(); ++e) {
    Entity& s = ents_[e];
    if (s.name.empty() || s.known || s.name.find(' ') != std::string::npos || s.type == "Person") continue;
    auto it = by_last.find(Key(s.name));
    if (it == by_last.end() || it->second < 0) continue;
    double strongest = 0;
    for (const auto& [t, v] : s.votes) strongest = std::max(strongest, v);
    if (strongest >= 5) continue;  // the graph's, the gazetteer's or a corporate suffix's
    Merge(static_cast<int>(e), it->second);
    merged = true;
  }
  if (merged) Relabel();
}

bool Extractor::LooksLikePerson(const std::string& name) {
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

void Extractor::IndexCompany(int c) {
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
int Extractor::CompanyPrefixOf(const std::string& name) {
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
std::string Extractor::ShortName(int c) const {
  std::string best = ents_[c].name;
  for (const std::string& n : CompanyNames(c)) {
    if (n.size() < best.size() && !n.empty() && Key(n) == Key(ents_[c].name)) best = n;
  }
  return best;
}

std::vector<std::string> Extractor::CompanyNames(int c) const {
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

}  // namespace pactgraph::ingest::extract
