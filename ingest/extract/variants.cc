// Facts read off the names alone: versions and editions of a product, a product named after its
// maker, and the maker the gazetteer gives.
#include "ingest/internal/extractor.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace pactgraph::ingest::extract {

namespace {

// As in types.cc: the gazetteer's word on a name's type.
constexpr double kGazetteerVote = 6;

}  // namespace

// A product whose name is another product's name followed by a version or edition; a product
// whose name starts with a company's name is that company's.
void Extractor::Variants() {
  for (size_t a = 0; a < ents_.size(); ++a) {
    if (ents_[a].name.empty() || !ents_[a].keep || ents_[a].type != "Product") continue;
    if (OutOfTime()) return;
    const int c = CompanyPrefixOf(ents_[a].name);
    if (c >= 0) NameFact("DEVELOPS", c, static_cast<int>(a), "product-named-after-company", 0.6f);
    if (c < 0) GazetteerMaker(static_cast<int>(a));
    // The maker named only inside the product's name is an entity of the article; that it
    // makes the product stays unsaid (a brand may have changed hands since).
    if (c < 0) MakerInName(static_cast<int>(a));
  }
  // The products by name and by alias, in entity order ("Hyper-V Server 2008" extends "Hyper-V
  // Server", the short form of "Microsoft Hyper-V Server"). Another product's name `base` can
  // only be a variant's words up to a space ("Acme Server" of "Acme Server 2010") or its last word.
  auto product = [&](size_t e) { return !ents_[e].name.empty() && ents_[e].keep && ents_[e].type == "Product"; };
  std::unordered_map<std::string, std::vector<int>> by_name;
  for (size_t b = 0; b < ents_.size(); ++b) {
    if (!product(b)) continue;
    by_name[ents_[b].name].push_back(static_cast<int>(b));
    // Only the name without its maker's ("Hyper-V Server" of "Microsoft Hyper-V Server"), and
    // of two words or more: other aliases are other names, not a shorter form of this one.
    const std::string& full = ents_[b].name;
    for (const std::string& alias : ents_[b].aliases) {
      if (alias.find(' ') == std::string::npos || !full.ends_with(" " + alias)) continue;
      if (CompanyPrefixOf(full) >= 0) by_name[alias].push_back(static_cast<int>(b));
    }
  }
  struct Base {
    int entity;
    std::string name;  // as the variant's name writes it: the base's name or alias
  };
  std::vector<Base> bases;
  for (size_t a = 0; a < ents_.size(); ++a) {
    if (!product(a)) continue;
    if (OutOfTime()) return;
    const std::string& name = ents_[a].name;
    bases.clear();
    auto add = [&](const std::string& n) {
      auto it = by_name.find(n);
      if (it == by_name.end()) return;
      for (int b : it->second) {
        if (std::none_of(bases.begin(), bases.end(), [&](const Base& x) { return x.entity == b; })) bases.push_back({b, n});
      }
    };
    for (size_t sp = name.find(' '); sp != std::string::npos; sp = name.find(' ', sp + 1)) add(name.substr(0, sp));
    if (const size_t sp = name.rfind(' '); sp != std::string::npos) add(name.substr(sp + 1));
    std::sort(bases.begin(), bases.end(), [](const Base& x, const Base& y) { return x.entity < y.entity; });
    // A variant of the nearest base only: "Acme OS 7" is a variant of "Acme OS", and not
    // also of "Acme" ("Acme OS" itself says whether it is one).
    int nearest = -1;
    size_t nearest_len = 0;
    for (const Base& x : bases) {
      if (static_cast<size_t>(x.entity) != a && name.starts_with(x.name + " ") && (nearest < 0 || x.name.size() > nearest_len)) {
        nearest = x.entity;
        nearest_len = x.name.size();
      }
    }
    for (const Base& x : bases) {
      const size_t b = static_cast<size_t>(x.entity);
      if (a == b) continue;
      const std::string& base = x.name;
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
      if (x.entity == nearest && VersionOf(var, base)) NameFact("VARIANT_OF", static_cast<int>(a), static_cast<int>(b), "name-extends-name", 0.5f);
    }
  }
}

// Whether `var`, a name that begins with the product name `base`, reads as a version or edition
// of it. After a one-word name, only a version with a point ("Quill 6.0") or a word and a number
// ("Vega Server 2008"): a one-word name is mostly a brand whose longer names are other products
// ("Xbox PC", "Windows RT", "Java Virtual Machine"), and a bare number after it is often a
// product of its own ("Windows 365"). After a longer name, not a "for" or "on" phrase without a
// number ("Acme Desktop 18 for Mac" is the same product for one platform).
bool Extractor::VersionOf(const std::string& var, const std::string& base) {
  std::vector<std::string> rest;
  std::istringstream in(var.substr(base.size() + 1));
  for (std::string w; in >> w;) rest.push_back(w);
  if (rest.empty()) return false;
  auto number = [](const std::string& w) { return !w.empty() && std::isdigit(static_cast<unsigned char>(w[0])); };
  const bool digits = std::any_of(rest.begin(), rest.end(), number);
  if (base.find(' ') == std::string::npos) {
    const bool dotted = std::any_of(rest.begin(), rest.end(), [&](const std::string& w) { return number(w) && w.find('.') != std::string::npos; });
    return dotted || (rest.size() >= 2 && number(rest.back()) && !number(rest.front()));
  }
  const std::string first = Lower(rest.front());
  // A store or a place for the product is another thing ("Acme Phone Marketplace").
  static const std::set<std::string> kOtherThings = {"marketplace", "store", "market", "shop", "portal", "forum", "community"};
  if (!digits && kOtherThings.count(Lower(rest.back()))) return false;
  return digits || (first != "for" && first != "on");
}

// A product whose name starts with its maker's name, the article naming the maker nowhere else
// ("Globex Assistant" of Globex): the maker, as the product's name writes it, when the gazetteer
// knows that name as the product's maker or as a company. -1 when there is none.
int Extractor::MakerInName(int product) {
  if (!o_.gazetteer) return -1;
  const std::string name = ents_[product].name;
  const GazetteerEntry* g = ents_[product].known;
  for (size_t sp = name.find(' '); sp != std::string::npos; sp = name.find(' ', sp + 1)) {
    const std::string prefix = name.substr(0, sp);
    const GazetteerEntry* c = o_.gazetteer->Find(prefix);
    if (!c || c->type != GazetteerType::kCompany) continue;
    if (g && !g->maker.empty() && Key(g->maker) != Key(c->name) && Key(g->maker) != Key(prefix)) continue;
    auto it = by_key_.find(Key(prefix));
    if (it != by_key_.end() && ents_[it->second].type != "Company" && !ents_[it->second].name.empty()) return -1;
    const int maker = NewEntity(it != by_key_.end() && !ents_[it->second].name.empty() ? ents_[it->second].name : prefix, "Company");
    ents_[maker].votes["Company"] += kGazetteerVote;
    return maker;
  }
  return -1;
}

// The maker the gazetteer gives a product, when the article names that maker too, in a
// sentence that names the product: the gazetteer says who makes it, the sentence is where the
// article puts them together (a weak fact: the sentence need not say it).
void Extractor::GazetteerMaker(int product) {
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
      if (mentions_[mi].pair) continue;  // a pair ("the two companies") is not the maker named
      if (mentions_[mi].entity == product && !pm) pm = &mentions_[mi];
      if (mentions_[mi].entity == maker && !cm) cm = &mentions_[mi];
    }
    if (!pm || !cm) continue;
    Add("DEVELOPS", maker, product, ui, "gazetteer-maker", 0.4f, std::min(pm->tb, cm->tb), std::max(pm->te, cm->te));
    return;
  }
}

}  // namespace pactgraph::ingest::extract
