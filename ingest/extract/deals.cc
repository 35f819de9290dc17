// The article's deal: the pair of companies it is about, the agreement between them, and what
// the agreement includes and excludes.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

namespace {

// Lists after a colon read in one sentence (a bound that keeps the work linear in the text).
constexpr size_t kMaxColonLists = 4;

}  // namespace

// What a deal does not include: "the agreements do not include any patent or open source
// licensing rights, and contain no financial clauses"; and what it settles ("in settlement of
// antitrust and patent issues"). Relations() asks it of each sentence; what the deal covers, said
// with a verb, is DealContent's.
void Extractor::DealScope(size_t ui) {
  const Unit& u = units_[ui];
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
      }
      if (!exclude && !include) continue;
      // "... no financial clauses, other than the usual certification and testing fees": what
      // the exception names is included.
      if (exclude) {
        for (size_t j = from; j + 2 < u.toks.size(); ++j) {
          if (Lower(u.toks[j].text) == "other" && Lower(u.toks[j + 1].text) == "than") {
            size_t b = j + 2;
            while (b < u.toks.size() && UsualWords().count(Lower(u.toks[b].text))) ++b;
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

void Extractor::AddTerm(const std::string& rel, const std::string& term, size_t ui, const std::string& rule, size_t tb, size_t te) {
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
void Extractor::DealTerms(size_t ui) {
  const Unit& u = units_[ui];
  if (main_.first < 0) return;
  bool deal = false;
  size_t lists = 0;
  for (size_t k = 0; k < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    deal = deal || DealWords().count(l);
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
      // A list of clauses ("A would power search across B's devices and services, ...") is not
      // one of terms: one long item, or a name in one, and the list is not read.
      bool terms = items.size() >= 2;
      for (const std::string& it : items) terms = terms && std::count(it.begin(), it.end(), ' ') < 5;
      for (size_t q = k + 1; q < e && terms; ++q) terms = u.mention_at[q] < 0;
      if (terms) {
        for (const std::string& it : items) {
          if (!it.empty()) AddTerm("INCLUDES", it, ui, "deal-colon-list", k, e);
        }
      }
    }
  }
  for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
    if (!JointAdjectives().count(Lower(u.toks[k].text))) continue;
    for (size_t e = k + 1; e < u.toks.size() && e <= k + 3; ++e) {
      if (!IsWord(u.toks[e]) || u.toks[e].capitalized) break;
      if (JointHeads().count(Lower(u.toks[e].text))) {
        if (e + 1 < u.toks.size() && JointHeads().count(Lower(u.toks[e + 1].text))) ++e;  // "support teams"
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
  DealContent(ui);
}

// Noun phrases after `from` up to a comma or clause end, split at "or"/"and" with the last
// phrase's head noun shared: "any patent or open source licensing rights" -> patent rights,
// open source licensing rights.
std::vector<std::string> Extractor::Terms(const Unit& u, size_t from) const {
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

// One noun phrase of a list of terms, from token k: its openers skipped ("all pending
// litigation", "a defined set of business practice provisions"), and ended by punctuation, a
// conjunction, a preposition that attaches it to the rest of the sentence or a word that opens a
// clause. A past participle takes one phrase along ("patents filed over the next ten years").
// *b, *e: the term's tokens; *cut: a clause completes the noun ("claims that ..."), so the noun
// alone is not the term. Returns the token that ended it.
size_t Extractor::TermPhrase(const Unit& u, size_t k, size_t* b, size_t* e, bool* cut) const {
  const size_t n = u.toks.size();
  while (k < n && TermOpeners().count(Lower(u.toks[k].text))) ++k;
  for (size_t j = k; j < n && j < k + 3 && IsWord(u.toks[j]); ++j) {
    if (TermCollectives().count(Lower(u.toks[j].text)) && j + 1 < n && Lower(u.toks[j + 1].text) == "of") {
      k = j + 2;
      while (k < n && TermOpeners().count(Lower(u.toks[k].text))) ++k;
      break;
    }
  }
  *b = k;
  *cut = false;
  bool participle = false;
  size_t j = k;
  for (; j < n; ++j) {
    const Token& t = u.toks[j];
    const std::string w = Lower(t.text);
    if (t.kind == Token::Kind::kQuote || t.kind == Token::Kind::kPossessive) break;
    if (t.kind == Token::Kind::kPunct) {
      if (w == "$" || w == "%" || w == "\u20ac" || w == "\u00a3") continue;  // "$40 million"
      break;
    }
    if (w == "and" || w == "or" || w == "plus" || w == "as") break;
    if (!TermEnds().count(w) && !TermPrepositions().count(w)) continue;
    const std::string prev = j > k ? Lower(u.toks[j - 1].text) : std::string();
    if (!participle && prev.size() > 4 && prev.compare(prev.size() - 2, 2, "ed") == 0 && TermPrepositions().count(w) &&
        j - 1 > k) {
      participle = true;
      continue;
    }
    *cut = j > k && (w == "that" || w == "whether");
    break;
  }
  *e = j;
  return j;
}

// A term as the article writes it, lower-cased but for acronyms ("RHEL"), spaced as written
// ("$1.25 billion payment").
std::string Extractor::TermText(const Unit& u, size_t b, size_t e) const {
  std::string t;
  for (size_t q = b; q < e; ++q) {
    if (q > b && u.toks[q].begin != u.toks[q - 1].end) t += ' ';
    const std::string& w = u.toks[q].text;
    t += AllCaps(w) && w.size() > 1 ? w : Lower(w);
  }
  return t;
}

// The terms a list names, from token `from`: noun phrases joined by commas, "and", "or", "as well
// as". "A, B and C": a comma list ends with its conjunction, else the first comma ends the list
// (it ended a clause). When some phrase after a conjunction opens with "a", "the", ..., those that
// do not are part of the phrase before ("unified identity and access management and a
// collaborative support model": two terms). Two phrases of which the first is one word share the
// second's head: "antitrust and patent issues". A phrase with a name in it is not a term.
Extractor::TermRun Extractor::TermList(const Unit& u, size_t from) const {
  constexpr size_t kMaxItems = 12, kMaxWords = 7;
  struct Item {
    size_t b, e;
    bool opened, cut;
    std::string sep;  // before it: "", ",", "and"
  };
  std::vector<Item> items;
  const size_t n = u.toks.size();
  size_t pos = from;
  std::string sep;
  TermRun run;
  while (pos < n && items.size() < kMaxItems) {
    Item it{0, 0, TermOpeners().count(Lower(u.toks[pos].text)) > 0, false, sep};
    const size_t next = TermPhrase(u, pos, &it.b, &it.e, &it.cut);
    items.push_back(it);
    run.end = next;
    if (next >= n) break;
    const std::string w = Lower(u.toks[next].text);
    const std::string w1 = next + 1 < n ? Lower(u.toks[next + 1].text) : std::string();
    if (w == "," && (w1 == "and" || w1 == "or")) {
      sep = "and";
      pos = next + 2;
    } else if (w == ",") {
      // ", spanning many ...", ", which ...": the clause goes on, the list does not. (A gerund
      // alone is an item: "search, advertising and maps".)
      const std::string w2 = next + 2 < n ? Lower(u.toks[next + 2].text) : std::string();
      const bool participle = w1.size() > 4 && w1.compare(w1.size() - 3, 3, "ing") == 0 && !w2.empty() && w2 != "," &&
                              w2 != "and" && w2 != "or" && w2 != "." && w2 != ":" && w2 != ";";
      if (w1.empty() || TermEnds().count(w1) || TermPrepositions().count(w1) || participle || u.mention_at[next + 1] >= 0) break;
      sep = ",";
      pos = next + 1;
    } else if (w == "and" || w == "or" || w == "plus") {
      sep = "and";
      pos = next + 1;
    } else if (w == "as" && w1 == "well" && next + 2 < n && Lower(u.toks[next + 2].text) == "as") {
      sep = "and";
      pos = next + 3;
    } else {
      break;
    }
  }
  if (items.empty()) return run;
  // A comma list closes with a conjunction.
  bool commas = false;
  for (const Item& it : items) commas = commas || it.sep == ",";
  if (commas && items.back().sep != "and") {
    size_t keep = 1;
    while (keep < items.size() && items[keep].sep != ",") ++keep;
    items.resize(keep);
  }
  bool opened = false;
  for (size_t i = 1; i < items.size(); ++i) opened = opened || (items[i].sep == "and" && items[i].opened);
  if (opened) {
    std::vector<Item> joined;
    for (const Item& it : items) {
      if (!joined.empty() && it.sep == "and" && !it.opened && !it.cut && !joined.back().cut) {
        joined.back().e = it.e;
      } else {
        joined.push_back(it);
      }
    }
    items = std::move(joined);
  }
  const bool share = items.size() == 2 && items[1].sep == "and" && items[0].e == items[0].b + 1 && items[1].e >= items[1].b + 2;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    if (it.cut || it.e <= it.b || it.e - it.b > kMaxWords || !IsWord(u.toks[it.e - 1])) continue;
    bool named = false;
    for (size_t q = it.b; q < it.e; ++q) named = named || u.mention_at[q] >= 0;
    if (named) continue;
    std::string t = TermText(u, it.b, it.e);
    if (i == 0 && share) t += " " + Lower(u.toks[items[1].e - 1].text);
    run.terms.push_back(t);
  }
  return run;
}

// True when the verb at token k has the deal as its subject: "the partnership covered",
// "a settlement agreement that resolves", "it covers" right after a sentence about the deal.
bool Extractor::DealSubjectBefore(size_t ui, size_t k) const {
  const Unit& u = units_[ui];
  static const std::set<std::string> kBetween = {"also", "will", "would", "now", "further", "then", "only", "that", "which",
                                                 "broadly", "largely", "explicitly", "specifically"};
  for (size_t j = k, steps = 0; j > 0 && steps < 4; --j, ++steps) {
    const std::string w = Lower(u.toks[j - 1].text);
    if (u.mention_at[j - 1] >= 0) return TypeOf(mentions_[u.mention_at[j - 1]].entity) == "Agreement";
    if (DealWords().count(w) || DealNouns().count(w)) return true;
    if (w == "it" && j - 1 == 0 && ui > 1) {
      // "The agreement gives ... . It covers ...": the sentence before is about the deal.
      const Unit& before = units_[ui - 1];
      for (size_t q = 0; q < before.toks.size() && q < 4; ++q) {
        if (DealWords().count(Lower(before.toks[q].text))) return true;
      }
      return false;
    }
    if (!kBetween.count(w)) return false;
  }
  return false;
}

// True when the verb at token k has a party of the article's deal as its subject ("Acme will",
// "Acme and Beta will each", "Acme, in turn, would", "has Acme paying"), or continues a clause that
// had one ("... and will pull ...", when `after_undertaking`).
bool Extractor::PartySubjectBefore(const Unit& u, size_t k, bool after_undertaking) const {
  static const std::set<std::string> kBetween = {"will", "would", "shall", "also", "each", "both", "in", "turn", ",", "agrees",
                                                 "agree", "agreed", "to", "then", "further", "now", "jointly", "has", "have"};
  for (size_t j = k, steps = 0; j > 0 && steps < 6; --j, ++steps) {
    const std::string w = Lower(u.toks[j - 1].text);
    if (u.mention_at[j - 1] >= 0) {
      const int e = mentions_[u.mention_at[j - 1]].entity;
      return e >= 0 && (e == main_.first || e == main_.second);
    }
    if (w == "and") return after_undertaking;
    if (!kBetween.count(w)) return false;
  }
  return false;
}

// Where the terms of the deal begin in unit ui: after "under the terms of the settlement", "as
// part of the deal" or an opening "in a further agreement" in it, or at its start when its paragraph opened a list with such a phrase and
// a colon ("Under the terms of the settlement: - Acme will ... - Beta will ..."). n: nowhere.
size_t Extractor::UnderDealTerms(size_t ui) const {
  const Unit& u = units_[ui];
  const size_t n = u.toks.size();
  auto deal_after = [&](const Unit& v, size_t k) -> size_t {  // the token after "[the] [terms of] [the] deal"
    for (size_t j = k; j < v.toks.size() && j < k + 6; ++j) {
      const std::string w = Lower(v.toks[j].text);
      if (DealWords().count(w) || DealNouns().count(w) ||
          (v.mention_at[j] >= 0 && TypeOf(mentions_[v.mention_at[j]].entity) == "Agreement")) {
        return j + 1;
      }
      if (!IsWord(v.toks[j])) break;
    }
    return 0;
  };
  // The paragraph's list: the units before this one, back to a paragraph break, at most 20 (a
  // list of terms is not longer; an article without paragraph breaks must not cost the square of
  // its sentences). A list's item is read under its list's opener first: "- A and B will each
  // receive patent rights under a new agreement" is a term of the settlement the list opened.
  auto in_list = [&]() -> bool {
    const std::string_view body = a_.body;
    for (size_t j = ui; j > 1 && ui - j < 20; --j) {
      const Unit& before = units_[j - 1];
      // A list's items are paragraphs of their own (reader.cc); the list goes on through them.
      if (body.substr(before.end, units_[j].begin - before.end).find("\n\n") != std::string_view::npos && !BulletLine(units_[j].text)) break;
      for (size_t k = 0; k + 1 < before.toks.size(); ++k) {
        const std::string w = Lower(before.toks[k].text);
        if ((w == "under" || w == "of") && before.toks.size() > k + 1) {
          const size_t at = deal_after(before, k + 1);
          if (at > 0 && at < before.toks.size() && before.toks[at].text == ":") return true;
        }
      }
    }
    return false;
  };
  if (BulletLine(u.text) && in_list()) return 0;
  for (size_t k = 0; k + 1 < n; ++k) {
    const std::string w = Lower(u.toks[k].text);
    size_t at = 0;
    if (w == "under" || (w == "in" && k == 0)) at = deal_after(u, k + 1);  // "In a further agreement, ..."
    if (w == "as" && Lower(u.toks[k + 1].text) == "part" && k + 2 < n && Lower(u.toks[k + 2].text) == "of") at = deal_after(u, k + 3);
    if (at > 0) return at;
  }
  return in_list() ? 0 : n;
}

// What the deal covers, said with a verb: its subject the deal ("the partnership covered search,
// maps and applications", "the settlement resolves every dispute, including ..."), or a party
// under its terms ("Under the terms of the settlement: - Acme will make a $5 million payment";
// "Acme will drop all pending litigation"), or a party bringing something to it anywhere
// ("Beta, in turn, would contribute hardware design", "has Beta paying Acme a royalty",
// "Acme makes platform support payments").
void Extractor::DealContent(size_t ui) {
  const Unit& u = units_[ui];
  const size_t n = u.toks.size();
  const size_t terms_from = UnderDealTerms(ui);
  bool undertaking = false;
  auto add_all = [&](const std::vector<std::string>& terms, const std::string& rule, size_t b, size_t e) {
    for (const std::string& t : terms) AddTerm("INCLUDES", t, ui, rule, b, e);
  };
  // "a licence to the other's patent portfolio": the portfolio is the term.
  auto licensed = [&](TermRun run) -> TermRun {
    if (run.terms.size() != 1 || run.end + 1 >= n || Lower(u.toks[run.end].text) != "to") return run;
    const std::string t = run.terms[0];
    if (t != "licence" && t != "license" && t != "licences" && t != "licenses" && t != "access" && t != "rights") return run;
    size_t q = run.end + 1;
    if (q < n && (Lower(u.toks[q].text) == "the" || Lower(u.toks[q].text) == "each")) ++q;
    if (q + 1 < n && Lower(u.toks[q].text) == "other" && u.toks[q + 1].kind == Token::Kind::kPossessive) {
      q += 2;
    } else if (q < n && (Lower(u.toks[q].text) == "its" || Lower(u.toks[q].text) == "their")) {
      ++q;
    } else {
      return run;
    }
    return TermList(u, q);
  };
  for (size_t k = 0; k + 1 < n; ++k) {
    const std::string l = Lower(u.toks[k].text);
    if (k > 0 && (Lower(u.toks[k - 1].text) == "not" || Lower(u.toks[k - 1].text) == "n't")) continue;
    if (DealScopeVerbs().count(l) && DealSubjectBefore(ui, k)) {
      TermRun run = TermList(u, k + 1);
      // "resolves every dispute between them, including A and B": the examples, not the summary.
      for (size_t q = run.end; q < n && q < run.end + 12; ++q) {
        const std::string w = Lower(u.toks[q].text);
        if (w == "." || w == ";" || w == ":") break;
        if (w == "including") {
          run = TermList(u, q + 1);
          break;
        }
      }
      add_all(run.terms, "deal-covers", k, run.end);
      if (run.end > k) k = run.end - 1;
      continue;
    }
    const bool under = k >= terms_from && PartyUndertakings().count(l);
    const bool contributes = PartyContributions().count(l) > 0;
    const bool pays = (l == "make" || l == "makes" || l == "made" || l == "making");
    const bool deal_gives = PartyUndertakings().count(l) && DealSubjectBefore(ui, k);
    if (!under && !contributes && !pays && !deal_gives) continue;
    if (!deal_gives && !PartySubjectBefore(u, k, undertaking)) continue;
    size_t from = k + 1;
    bool particle = false;
    if (from < n && Lower(u.toks[from].text) == "up") {  // "give up"
      ++from;
      particle = true;
    }
    const bool gives = l == "give" || l == "gives" || deal_gives;
    // The one who gets it: "paying Acme a royalty", "gives each company a licence".
    if (from < n && u.mention_at[from] >= 0 && IsCompany(mentions_[u.mention_at[from]].entity)) {
      const Mention& m = mentions_[u.mention_at[from]];
      from = std::max(from + 1, m.te);
    } else if (from + 1 < n && (Lower(u.toks[from].text) == "each" || Lower(u.toks[from].text) == "both")) {
      ++from;
      if (from + 1 < n && Lower(u.toks[from].text) == "other" && u.toks[from + 1].kind == Token::Kind::kPossessive) from += 2;
      ++from;  // the noun: "company", "customers"
    } else if (gives && !particle) {
      // "gives customers freedom": whom to, said some other way; what is given cannot be cut
      // from it reliably.
      continue;
    }
    TermRun run = licensed(TermList(u, from));
    if (pays && !under) {
      // Made anywhere, only payments are the deal's: "makes platform support payments".
      std::vector<std::string> payments;
      for (const std::string& t : run.terms) {
        if (t.size() >= 7 && (t.compare(t.size() - 7, 7, "payment") == 0 || (t.size() >= 8 && t.compare(t.size() - 8, 8, "payments") == 0))) {
          payments.push_back(t);
        }
      }
      run.terms = payments;
    }
    add_all(run.terms, under ? "deal-undertaking" : "party-contributes", k, run.end);
    undertaking = undertaking || under || !run.terms.empty();
  }
}

// The pair of companies the article is about: the first pair named acting together or next
// to a partnership cue. When the article speaks of a deal anywhere, that pair is its parties.
void Extractor::MainPair() {
  for (size_t ui = 0; ui < units_.size() && main_.first < 0; ++ui) {
    const Unit& u = units_[ui];
    std::vector<int> group = JointGroup(u);
    if (group.empty()) {
      bool cue = false, purchase = false;
      for (const Token& t : u.toks) {
        cue = cue || PartnerCues().count(Lower(t.text));
        purchase = purchase || AcquisitionWords().count(Lower(t.text));
      }
      // "Acme completed its acquisition of Globex": buyer and bought are the deal's parties.
      if (purchase) {
        const std::vector<int> cs = Distinct(Of(u, "Company"));
        if (cs.size() == 2) group = cs;
      }
      if (group.empty() && cue) {
        const std::vector<int> cs = CompaniesNotPossessors(u);
        if (cs.size() == 2) group = cs;
      }
    }
    if (group.size() >= 2) {
      main_ = {group[0], group[1]};
      main_group_ = group;
    }
  }
  if (main_.first < 0) return;
  for (size_t ui = 0; ui < units_.size(); ++ui) {
    const Unit& u = units_[ui];
    for (size_t k = 0; k < u.toks.size(); ++k) {
      if (!ArticleDealWords().count(Lower(u.toks[k].text))) continue;
      const int ag = AgreementFor(main_.first, main_.second);
      // "Acme ended its partnership with Globex", "the agreement expired": the parties were.
      std::map<std::string, std::string> q;
      if (EndedNoun(u, k)) q["status"] = "ended";
      for (int party : main_group_) Add("PARTY_TO", party, ag, ui, "deal-of-the-article", 0.5f, k, k + 1, q);
      return;
    }
  }
}

int Extractor::AgreementFor(int a, int b) {
  auto key = std::minmax(a, b);
  auto it = agreements_.find(key);
  if (it != agreements_.end()) return it->second;
  // The article's deal of three or more is named after them all.
  std::vector<int> parties = {a, b};
  if (key == std::minmax(main_.first, main_.second) && main_group_.size() > 2) parties = main_group_;
  std::string name;
  for (int p : parties) name += (name.empty() ? "" : "\u2013") + ShortName(p);
  name += " agreement";
  const int e = EntityFor(name);
  ents_[e].type = "Agreement";
  ents_[e].keep = true;
  agreements_[key] = e;
  return e;
}

}  // namespace pactgraph::ingest::extract
