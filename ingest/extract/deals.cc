// The article's deal: the pair of companies it is about, the agreement between them, and what
// the agreement includes and excludes.
#include "ingest/extract/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

namespace {

// Lists after a colon read in one sentence (a bound that keeps the work linear in the text).
constexpr size_t kMaxColonLists = 4;

}  // namespace

// What a deal does not include: "the agreements do not include any patent or open source
// licensing rights, and contain no financial clauses"; and what it does, said outright ("in
// settlement of antitrust and patent issues", "covers ..."). Relations() asks it of each sentence.
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
      if (items.size() >= 2) {
        for (const std::string& it : items) {
          if (!it.empty() && std::count(it.begin(), it.end(), ' ') < 5) AddTerm("INCLUDES", it, ui, "deal-colon-list", k, e);
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

// The pair of companies the article is about: the first pair named acting together or next
// to a partnership cue. When the article speaks of a deal anywhere, that pair is its parties.
void Extractor::MainPair() {
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
  for (size_t ui = 0; ui < units_.size(); ++ui) {
    const Unit& u = units_[ui];
    for (size_t k = 0; k < u.toks.size(); ++k) {
      if (!ArticleDealWords().count(Lower(u.toks[k].text))) continue;
      const int ag = AgreementFor(main_.first, main_.second);
      Add("PARTY_TO", main_.first, ag, ui, "deal-of-the-article", 0.5f, k, k + 1);
      Add("PARTY_TO", main_.second, ag, ui, "deal-of-the-article", 0.5f, k, k + 1);
      return;
    }
  }
}

int Extractor::AgreementFor(int a, int b) {
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

}  // namespace pactgraph::ingest::extract
