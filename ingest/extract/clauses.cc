// The clause readers the relation rules share: who acts before a verb, which products a list
// names, whether a sentence states or speculates, whether it speaks of a plan.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

// The entities of `ms`, each once, in order.
std::vector<int> Extractor::Distinct(const std::vector<const Mention*>& ms) {
  std::vector<int> out;
  std::set<int> seen;
  for (const Mention* m : ms) {
    if (seen.insert(m->entity).second) out.push_back(m->entity);
  }
  return out;
}

// Mentions of the unit whose entity has `type`, with their token positions.
std::vector<const Mention*> Extractor::Of(const Unit& u, const std::string& type) const {
  std::vector<const Mention*> out;
  for (size_t mi : u.mentions) {
    const Mention& m = mentions_[mi];
    if (m.entity >= 0 && ents_[m.entity].keep && ents_[m.entity].type == type) out.push_back(&m);
  }
  return out;
}

// Where a sentence speculates instead of stating: a question, a condition ("if the deal goes
// through"), a modal of possibility ("may", "might", "could"), hearsay ("reportedly", "is rumoured
// to", "is said to", "speculation") or analysts' opinion ("analysts think", "expected by
// analysts"). What such a clause says gives no facts; a named speaker's version of it is still a
// claim. "Would" alone is not a hedge: "Acme said it would support X" reports a plan.
// The hedge reaches the clause it is in: "Acme agreed to buy Beta, a deal that has not closed,
// and some analysts think Gamma could follow" still states the purchase. A fact whose words
// reach into a hedged clause (or a question, all of it) is not stated.
bool Extractor::HedgedAt(size_t ui, size_t tb, size_t te) {
  if (hedges_.size() != units_.size()) hedges_.assign(units_.size(), {});
  if (hedges_known_.size() != units_.size()) hedges_known_.assign(units_.size(), false);
  if (!hedges_known_[ui]) {
    hedges_[ui] = HedgedClauses(units_[ui]);
    hedges_known_[ui] = true;
  }
  for (const auto& [cb, ce] : hedges_[ui]) {
    if (tb < ce && cb < std::max(te, tb + 1)) return true;
  }
  return false;
}

// The token ranges of the clauses of `u` that hedge: the whole sentence for a question; else the
// clause around each hedge, clauses being cut at ";" and at a comma before "and", "but",
// "while", "whereas", "although" or "though".
std::vector<std::pair<size_t, size_t>> Extractor::HedgedClauses(const Unit& u) {
  static const Words kBe = {"is", "are", "was", "were", "be", "been"};
  static const Words kJoins = {"and", "but", "while", "whereas", "although", "though"};
  std::vector<std::pair<size_t, size_t>> out;
  // A question, unless it only follows a statement's colon ("X and Y sign a deal: truce or hedge?").
  const bool colon = std::any_of(u.toks.begin(), u.toks.end(), [](const Token& t) { return t.text == ":"; });
  for (long k = static_cast<long>(u.toks.size()) - 1; k >= 0 && !colon; --k) {
    if (u.toks[k].kind == Token::Kind::kQuote || u.toks[k].text == ".") continue;
    if (u.toks[k].text == "?") return {{0, u.toks.size()}};
    break;
  }
  auto clause_of = [&](size_t at) {
    size_t b = at, e = at + 1;
    while (b > 0 && u.toks[b - 1].text != ";" && !(u.toks[b - 1].text == "," && b < u.toks.size() && kJoins.count(Lower(u.toks[b].text)))) --b;
    while (e < u.toks.size() && u.toks[e].text != ";" &&
           !(u.toks[e].text == "," && e + 1 < u.toks.size() && kJoins.count(Lower(u.toks[e + 1].text)))) {
      ++e;
    }
    return std::make_pair(b, e);
  };
  for (size_t k = 0; k < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    const std::string prev = k > 0 ? Lower(u.toks[k - 1].text) : std::string();
    const std::string next = k + 1 < u.toks.size() ? Lower(u.toks[k + 1].text) : std::string();
    // A modal in a relative clause hedges that clause, not the statement ("a move that could
    // lower the risk", "people who may have been exposed").
    if ((l == "may" || l == "might" || l == "could") && (prev == "that" || prev == "who" || prev == "which")) continue;
    if (l == "may" && u.toks[k].capitalized) continue;  // the month: "20 May 2020"
    bool hedge = HedgeCues().count(l) || (l == "said" && kBe.count(prev) && next == "to");
    if (l == "analysts" || l == "analyst" || l == "observers") {
      if (prev == "by" || prev == "to") hedge = true;
      for (size_t j = k + 1; j < std::min(k + 4, u.toks.size()); ++j) hedge = hedge || OpinionVerbs().count(Lower(u.toks[j].text));
    }
    if (hedge) out.push_back(clause_of(k));
  }
  return out;
}

bool Extractor::Planned(const Unit& u) const {
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
std::vector<int> Extractor::ProductsFrom(const Unit& u, size_t from, size_t limit, const std::set<std::string>& stops) const {
  std::vector<int> out;
  for (size_t k = from; k < std::min(limit, u.toks.size()); ++k) {
    const std::string l = Lower(u.toks[k].text);
    if (stops.count(l) || u.toks[k].text == "." || u.toks[k].text == ";") break;
    const int mi = u.mention_at[k];
    if (mi >= 0 && mentions_[mi].tb == k) {
      const int e = mentions_[mi].entity;
      // A pronoun is no product of the list: "Acme's phones it runs on".
      if (mentions_[mi].refers && !mentions_[mi].pair && u.toks[k].text.find(' ') == std::string::npos &&
          ReferPronouns().count(Lower(u.toks[k].text))) {
        break;
      }
      // Another company's possessive starts another owner's list: "Apple's iOS and Google's
      // Android".
      const Token* after = Tok(u, static_cast<long>(mentions_[mi].te));
      if (e >= 0 && ents_[e].keep && ents_[e].type == "Company" && after && after->kind == Token::Kind::kPossessive &&
          !mentions_[mi].refers) {
        break;
      }
      if (e >= 0 && ents_[e].keep && ents_[e].type == "Product") out.push_back(e);
      k = mentions_[mi].te - 1;
    }
  }
  return out;
}

// The companies that act in the clause before token `at`: the nearest company mention(s)
// before it, coordinated ("Red Hat and Microsoft").
std::vector<int> Extractor::ActorsBefore(const Unit& u, size_t at) const {
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

std::vector<int> Extractor::CompaniesBefore(const Unit& u, size_t at) const {
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
      // "the two companies": the mentions over the same words name each of the pair (coref.cc).
      for (size_t other : u.mentions) {
        const Mention& o = mentions_[other];
        if (&o != &m && o.tb == m.tb && o.te == m.te && IsCompany(o.entity)) out.push_back(o.entity);
      }
    } else if (!out.empty()) {
      break;
    }
  }
  return out;
}

// Two companies named side by side as the ones acting: "Acme and Beta today announced",
// "Acme Corp. and Beta Inc. signed". Returns the first two of JointGroup, or {-1, -1}.
std::pair<int, int> Extractor::JointActors(const Unit& u) const {
  const std::vector<int> g = JointGroup(u);
  return g.size() >= 2 ? std::pair<int, int>{g[0], g[1]} : std::pair<int, int>{-1, -1};
}

// The companies listed side by side as the ones acting, "and" before the last: "Acme and Beta
// today announced", "Acme, Beta and Gamma formed". The first such list of the sentence; empty
// when there is none.
std::vector<int> Extractor::JointGroup(const Unit& u) const {
  auto company = [&](const Mention& m) { return TypeOf(m.entity) == "Company" && ents_[m.entity].keep && !m.refers; };
  for (size_t k = 0; k < u.mentions.size(); ++k) {
    if (!company(mentions_[u.mentions[k]])) continue;
    std::vector<int> group = {mentions_[u.mentions[k]].entity};
    size_t last = k;
    bool joined_by_and = false;
    for (size_t n = k + 1; n < u.mentions.size(); ++n) {
      const Mention& a = mentions_[u.mentions[last]];
      const Mention& b = mentions_[u.mentions[n]];
      if (!company(b)) break;
      // Between them: "and", "," or ", and" (an abbreviation's period before: "Acme Corp. and").
      size_t t = a.te;
      if (t < u.toks.size() && AbbreviationPeriod(u, t)) ++t;
      std::string sep;
      while (t < b.tb) sep += Lower(u.toks[t++].text);
      if (sep != "and" && sep != "," && sep != ",and" && sep != "&") break;
      if (std::find(group.begin(), group.end(), b.entity) == group.end()) group.push_back(b.entity);
      joined_by_and = sep != ",";
      last = n;
      if (joined_by_and) break;
    }
    if (group.size() < 2 || !joined_by_and) continue;
    size_t v = mentions_[u.mentions[last]].te;
    if (v < u.toks.size() && AbbreviationPeriod(u, v)) ++v;
    const size_t after = v;
    while (v < u.toks.size() && JointAdverbs().count(Lower(u.toks[v].text)) && !JointVerbs().count(Lower(u.toks[v].text))) ++v;
    if (v < u.toks.size() && (JointVerbs().count(Lower(u.toks[v].text)) || (v > after && JointAdverbs().count(Lower(u.toks[v - 1].text))))) {
      if (!AuxiliaryOfJointAction(u, v)) continue;
      return group;
    }
    // Any verb done "together" or "jointly" in the same clause: "Acme and Beta offer it
    // together", "Acme and Beta jointly develop ...".
    if (v < u.toks.size() && IsWord(u.toks[v]) && !u.toks[v].capitalized) {
      for (size_t k = v + 1; k < u.toks.size() && k < v + 8; ++k) {
        const std::string w = Lower(u.toks[k].text);
        if (w == "," || w == ";" || w == ":" || w == "." || w == "but" || w == "while") break;
        if ((w == "together" && !(k + 1 < u.toks.size() && Lower(u.toks[k + 1].text) == "with")) || w == "jointly") return group;
      }
    }
  }
  return {};
}

// "A and B are/have/will ...": an auxiliary makes them act together only with a verb after it
// ("are working together", "have agreed", "will build"), not with a noun phrase ("are the first
// PC makers", "have a combined share"). True for any other verb at `v`.
bool Extractor::AuxiliaryOfJointAction(const Unit& u, size_t v) const {
  static const Words kAuxiliaries = {"are", "were", "have", "has", "had", "will", "would"};
  if (!kAuxiliaries.count(Lower(u.toks[v].text))) return true;
  size_t n = v + 1;
  while (n < u.toks.size() && (JointAdverbs().count(Lower(u.toks[n].text)) || Lower(u.toks[n].text) == "not")) ++n;
  if (n >= u.toks.size() || !IsWord(u.toks[n]) || u.toks[n].capitalized) return false;
  const std::string w = Lower(u.toks[n].text);
  static const Words kNotVerbs = {"the", "a", "an", "no", "two", "both", "long", "been", "also", "each", "many", "more", "most"};
  if (kNotVerbs.count(w)) return false;
  if (JointVerbs().count(w) || w.ends_with("ing") || w.ends_with("ed")) return true;
  return Lower(u.toks[v].text) == "will" || Lower(u.toks[v].text) == "would";  // "will build", "would offer"
}

// The period of "Acme Corp." inside a sentence: an abbreviation's, not a clause end.
bool Extractor::AbbreviationPeriod(const Unit& u, size_t k) {
  return k > 0 && k + 1 < u.toks.size() && u.toks[k].text == "." && u.toks[k - 1].end == u.toks[k].begin &&
         CorporateSuffix(u.toks[k - 1].text);
}

// The products in the clause before token `k` (subject of a verb): "Hyper-V is ..."
std::vector<int> Extractor::ProductsBeforeVerb(const Unit& u, size_t k) const {
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

// The companies a sentence names, in order, but for possessors ("its contest with Globex's
// cloud" names a product's maker, not a party); a possessive pronoun counts ("its partner").
std::vector<int> Extractor::CompaniesNotPossessors(const Unit& u) const {
  std::vector<const Mention*> actors;
  for (const Mention* m : Of(u, "Company")) {
    if (!(m->te < u.toks.size() && u.toks[m->te].kind == Token::Kind::kPossessive) || m->refers) actors.push_back(m);
  }
  return Distinct(actors);
}

// The companies that make the announcement: those the title names, else those of the sentence.
std::vector<int> Extractor::Announcers(const Unit& u) const {
  std::vector<int> out = Distinct(Of(units_[0], "Company"));
  if (out.empty()) out = Distinct(Of(u, "Company"));
  // Else, in the body, the pair the article is about (MainPair): "Acme Base is supported on
  // Globex OS" in a release whose headline names only products. Not in the headline, which
  // the body restates with its doer.
  if (out.empty() && main_.first >= 0 && &u != &units_[0]) out = {main_.first, main_.second};
  return out;
}

}  // namespace pactgraph::ingest::extract
