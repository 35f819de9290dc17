// Coreference within an article: the words that refer back to a name get a mention of that
// name's entity, so that the relation phases after it read them as they read the name. A
// pronoun in subject or possessive position ("it will support", "its platform", "they will
// test"), a definite description of a company ("the company", "the software maker", "the
// chipmaker"), of the pair the article is about ("the two companies", "both firms", "the
// partners") and of its agreement ("the deal", "the pact"). Each is resolved only when its
// antecedent is unambiguous; otherwise it stays unread, as before. The mentions added here make
// no entity, change no type and give no alias: they only point at entities already decided.
#include <algorithm>

#include "ingest/internal/extractor.h"
#include "ingest/parse.h"

namespace pactgraph::ingest::extract {

namespace {

// How many sentences back a reference looks for its antecedent.
constexpr size_t kMaxSentencesBack = 2;
// How many sentences back "the interface" looks for the product it names.
constexpr size_t kMaxDescriptionReach = 60;
// Words between "the" and a description's head: "the Redmond software giant".
constexpr size_t kMaxModifiers = 3;

}  // namespace

void Extractor::Coreference() {
  for (size_t ui = 0; ui < units_.size() && !OutOfTime(); ++ui) {
    Unit& u = units_[ui];
    for (size_t k = 0; k < u.toks.size(); ++k) {
      if (u.mention_at[k] >= 0 || !IsWord(u.toks[k])) continue;
      const std::string l = Lower(u.toks[k].text);
      // Pronouns.
      if (auto p = ReferPronouns().find(l); p != ReferPronouns().end() && !p->second.empty()) {
        const bool plural = p->second.front().find("plural") != std::string::npos;
        const bool possessive = p->second.front().find("possessive") != std::string::npos;
        // "... will support it on Vega": "it" as the object of a verb the rules read is the one
        // product of the nearest sentence that names one.
        if (!plural && !possessive && k > 0 && rules_ && rules_->IsVerb(LemmatizeVerb(Lower(u.toks[k - 1].text))) && !SubjectAt(u, k, k + 1)) {
          if (const int e = ObjectAntecedent(ui, k); e >= 0) Refer(ui, k, k + 1, {e}, false);
          continue;
        }
        if (!possessive && !SubjectAt(u, k, k + 1)) continue;
        if (plural) {
          const std::pair<int, int> pair = PairBefore(ui, k);
          if (pair.first >= 0) Refer(ui, k, k + 1, {pair.first, pair.second}, possessive);
        } else if (const int e = Antecedent(ui, k, true, {}, OpensClause(u, k)); e >= 0) {
          Refer(ui, k, k + 1, {e}, possessive);
        }
        continue;
      }
      if (l != "the" && l != "both") continue;
      // "the two companies", "both firms", "the partners": the article's pair.
      size_t h = k + 1;
      if (l == "the" && h < u.toks.size() && Lower(u.toks[h].text) == "two") ++h;
      if (h < u.toks.size() && u.mention_at[h] < 0 && PairDescriptions().count(Lower(u.toks[h].text))) {
        if (main_.first >= 0 && !NameAfter(u, h + 1)) Refer(ui, k, h + 1, {main_.first, main_.second}, false);
        k = h;
        continue;
      }
      if (l != "the") continue;
      // "the [modifiers] head": a company, or the article's agreement.
      std::vector<std::string> modifiers;
      size_t absorbed = u.toks.size();  // a place's mention the description takes in: "the Redmond company"
      bool known = true;
      size_t refer_from = k;  // where the reference's mention begins
      for (h = k + 1; h < u.toks.size() && h <= k + 1 + kMaxModifiers; ++h) {
        const std::string w = Lower(u.toks[h].text);
        if (CompanyDescriptions().count(w) || AgreementDescriptions().count(w) || ProductDescriptions().count(w) ||
            OrganizationNouns().count(w)) {
          break;
        }
        if (u.toks[h].text == "-") continue;
        if (u.mention_at[h] >= 0) {
          const Mention& m = mentions_[u.mention_at[h]];
          const std::string t = TypeOf(m.entity);
          // A town the press names a company by ("the Redmond company", "the Mountain View firm").
          if (!m.refers && CompanyHomes().count(Lower(m.text))) {
            absorbed = h;
            h = m.te - 1;
            continue;
          }
          // "the Acme–Globex interface", "the Acme assistant": companies naming a product by its
          // makers, then a product's head word.
          if (t == "Company" && absorbed >= u.toks.size()) {
            size_t q = h;
            while (q < u.toks.size() && q < h + 8) {
              const std::string x = u.toks[q].text;
              if (u.mention_at[q] >= 0 && TypeOf(mentions_[u.mention_at[q]].entity) == "Company") {
                q = mentions_[u.mention_at[q]].te;
              } else if (x == "-" || x == "\u2013" || x == "\u2014" || Lower(x) == "and" || x == "/") {
                ++q;
              } else {
                break;
              }
            }
            if (q < u.toks.size() && u.mention_at[q] < 0 && !NameAfter(u, q + 1)) {
              if (ProductDescriptions().count(Lower(u.toks[q].text))) {
                h = q;  // the head, read below; the makers' names stay theirs
                refer_from = q;
                break;
              }
            }
          }
          if (m.refers || m.te - m.tb != 1 || (ents_[m.entity].keep && t != "Organization" && !t.empty())) break;
          absorbed = h;
          continue;
        }
        if (!IsWord(u.toks[h]) || FunctionWords().count(w)) break;
        modifiers.push_back(w);
        if (!DescriptorKinds().count(w)) known = false;
      }
      if (h >= u.toks.size() || (h > k + 1 + kMaxModifiers && refer_from == k) || u.mention_at[h] >= 0 || NameAfter(u, h + 1)) continue;
      const std::string head = Lower(u.toks[h].text);
      // "the interface", "the assistant": the one product of the sentences before that the
      // head's words name.
      if (auto pd = ProductDescriptions().find(head); pd != ProductDescriptions().end() && absorbed >= u.toks.size()) {
        if (const int e = ProductAntecedent(ui, k, pd->second); e >= 0) Refer(ui, refer_from, h + 1, {e}, false);
        k = h;
        continue;
      }
      // "The authority said", "the commission found": the organisation of the article whose name
      // ends in that word ("Competition and Markets Authority"), when there is one only.
      if (OrganizationNouns().count(head) && !CompanyDescriptions().count(head) && modifiers.empty() && absorbed >= u.toks.size()) {
        if (const int e = OrganizationNamed(head); e >= 0 && !(h + 1 < u.toks.size() && Lower(u.toks[h + 1].text) == "of")) {
          Refer(ui, k, h + 1, {e}, false);
        }
        k = h;
        continue;
      }
      if (!CompanyDescriptions().count(head) && !AgreementDescriptions().count(head)) continue;
      if (AgreementDescriptions().count(head)) {
        const auto ag = main_.first >= 0 ? agreements_.find(std::minmax(main_.first, main_.second)) : agreements_.end();
        if (ag != agreements_.end()) Refer(ui, k, h + 1, {ag->second}, false);
        k = h;
        continue;
      }
      // "The Redmond company": the company of that town the article names, if it names one.
      if (absorbed < u.toks.size()) {
        const auto home = CompanyHomes().find(Lower(mentions_[u.mention_at[absorbed]].text));
        int e = -1;
        if (home != CompanyHomes().end() && h + 1 < u.toks.size() && Lower(u.toks[h + 1].text) != "of") {
          for (const std::string& c : home->second) {
            auto it = by_key_.find(Key(c));
            if (it != by_key_.end() && TypeOf(it->second) == "Company" && ents_[it->second].keep) e = it->second;
            if (e >= 0) break;
          }
        }
        if (e >= 0) {
          for (size_t t = absorbed; t < h; ++t) {
            const int gone = u.mention_at[t];
            if (gone < 0) continue;
            u.mentions.erase(std::remove(u.mentions.begin(), u.mentions.end(), static_cast<size_t>(gone)), u.mentions.end());
            for (size_t x = mentions_[gone].tb; x < mentions_[gone].te; ++x) u.mention_at[x] = -1;
          }
          Refer(ui, k, h + 1, {e}, false);
          k = h;
          continue;
        }
      }
      // The description's kinds of company: from its modifiers and its head ("chipmaker").
      std::set<std::string> kinds;
      for (const std::string& w : modifiers) {
        if (auto d = DescriptorKinds().find(w); d != DescriptorKinds().end()) kinds.insert(d->second.begin(), d->second.end());
      }
      if (auto d = DescriptorKinds().find(head); d != DescriptorKinds().end()) kinds.insert(d->second.begin(), d->second.end());
      // A word the kinds do not cover ("the German firm") says which company it is by knowledge
      // the article may not give, and so does a place ("the Portland company") unless the
      // kinds say it ("the Portland software maker"): nothing is guessed. "The maker of X"
      // names a company by what it makes, which is not a reference either.
      if (!known || (absorbed < u.toks.size() && kinds.empty())) continue;
      if (h + 1 < u.toks.size() && Lower(u.toks[h + 1].text) == "of") continue;
      const int e = Antecedent(ui, k, false, kinds, true);
      if (e < 0) continue;
      if (absorbed < u.toks.size()) {
        const size_t gone = static_cast<size_t>(u.mention_at[absorbed]);
        u.mentions.erase(std::remove(u.mentions.begin(), u.mentions.end(), gone), u.mentions.end());
        u.mention_at[absorbed] = -1;
      }
      Refer(ui, k, h + 1, {e}, false);
      k = h;
    }
  }
}

// The one organisation the article names whose name's last word is `head` ("the commission":
// the Federal Trade Commission); -1 when none or several.
int Extractor::OrganizationNamed(const std::string& head) const {
  int found = -1;
  for (size_t e = 0; e < ents_.size(); ++e) {
    const Entity& en = ents_[e];
    if (en.name.empty() || !en.keep || en.type != "Organization") continue;
    const size_t sp = en.name.rfind(' ');
    if (sp == std::string::npos || Lower(en.name.substr(sp + 1)) != head) continue;
    if (found >= 0) return -1;
    found = static_cast<int>(e);
  }
  return found;
}

// Adds a mention of each of `entities` over tokens [b, e) of unit `ui`, in the unit's order; the
// tokens map to the first. Several entities share the range: "the two companies" names both, and
// a phrase over it gives both (EntitiesIn, CompaniesBefore).
void Extractor::Refer(size_t ui, size_t b, size_t e, const std::vector<int>& entities, bool possessive) {
  Unit& u = units_[ui];
  for (size_t k = b; k < e; ++k) {
    if (u.mention_at[k] >= 0) return;
  }
  auto at = std::find_if(u.mentions.begin(), u.mentions.end(), [&](size_t mi) { return mentions_[mi].tb >= e; });
  const size_t first = mentions_.size();
  std::vector<size_t> added;
  for (int ent : entities) {
    if (ent < 0) continue;
    Mention m;
    m.unit = ui;
    m.tb = b;
    m.te = e;
    m.text = SpanText(u, b, e);
    m.entity = ent;
    m.since = merges_;
    m.refers = true;
    m.possessive = possessive;
    m.pair = entities.size() > 1;
    added.push_back(mentions_.size());
    mentions_.push_back(std::move(m));
  }
  if (added.empty()) return;
  u.mentions.insert(at, added.begin(), added.end());
  for (size_t k = b; k < e; ++k) u.mention_at[k] = static_cast<int>(first);
}

// True when tokens [b, e) of `u` stand where a clause's subject stands: a verb follows them
// (past adverbs: "it also supports"), and no preposition or verb comes just before them ("runs
// it", "with them" are objects).
// True when mention `m` is the object of a preposition that opens the sentence or a clause
// after a comma or semicolon, its determiner or possessor between: "On Acme's phones it runs
// on ...", "; on Globex it runs on ...". Such a name is no clause's subject. (Not "most of
// Acme's phones run ..." nor "a choice for Acme, which ...", whose names are.)
bool Extractor::InPrepositionalPhrase(const Unit& u, const Mention& m) const {
  long k = static_cast<long>(m.tb) - 1;
  while (k >= 0) {
    const std::string w = Lower(u.toks[k].text);
    if (w == "the" || w == "a" || w == "an" || u.toks[k].kind == Token::Kind::kPossessive) {
      --k;
      continue;
    }
    const int mi = u.mention_at[k];
    if (mi >= 0 && mentions_[mi].te < u.toks.size() && u.toks[mentions_[mi].te].kind == Token::Kind::kPossessive) {
      k = static_cast<long>(mentions_[mi].tb) - 1;
      continue;
    }
    if (mi >= 0 || !ChunkPrepositions().count(w)) return false;
    return k == 0 || u.toks[k - 1].text == ";" || u.toks[k - 1].text == ":" || u.toks[k - 1].text == ",";
  }
  return false;
}

// True when token `k` starts its sentence's first clause but for adverbials: nothing before
// it, or only phrases such as "Later," or "On Acme's phones" (no name before it but after a
// fronted preposition). A pronoun there may mean a name of the sentences before.
bool Extractor::OpensClause(const Unit& u, size_t k) const {
  for (size_t mi : u.mentions) {
    const Mention& m = mentions_[mi];
    if (m.tb >= k) break;
    if (!InPrepositionalPhrase(u, m)) return false;
  }
  return true;
}

bool Extractor::SubjectAt(const Unit& u, size_t b, size_t e) const {
  if (b > 0) {
    const std::string prev = Lower(u.toks[b - 1].text);
    if (ChunkPrepositions().count(prev) || ActorVerbs().count(prev) || (rules_ && rules_->Triggers(prev))) return false;
  }
  size_t v = e;
  while (v < u.toks.size() && JointAdverbs().count(Lower(u.toks[v].text)) && !ActorVerbs().count(Lower(u.toks[v].text))) ++v;
  if (v >= u.toks.size() || !IsWord(u.toks[v])) return false;
  const std::string w = Lower(u.toks[v].text);
  static const Words kAuxiliaries = {"will", "would", "can", "could", "should", "shall", "must", "cannot", "may", "might",
                                     "do", "does", "did", "has", "have", "had"};
  if (kAuxiliaries.count(w) || BeForms().count(w) || ActorVerbs().count(w) || SpeechVerbs().count(w)) return true;
  // A verb the relation rules read, or the base form of an actor's or a speaker's verb ("the
  // companies say", "they expect").
  if (rules_ && rules_->IsVerb(LemmatizeVerb(w))) return true;
  // A word opening its sentence's clause, a past form after it ("It completed the purchase of
  // ..."): a subject and its verb.
  if (OpensClause(u, b) && !u.toks[v].capitalized && w.size() > 3 && w.ends_with("ed") && !ChunkPrepositions().count(w)) return true;
  static const Words kBaseForms = [] {
    Words out;
    for (const Words* list : {&ActorVerbs(), &SpeechVerbs()}) {
      for (const std::string& x : *list) out.insert(LemmatizeVerb(x));
    }
    return out;
  }();
  return kBaseForms.count(w) > 0;
}

// True when token `k` of `u` starts a name: "the company Fjordsoft" is an apposition, not a
// reference.
bool Extractor::NameAfter(const Unit& u, size_t k) const {
  return k < u.toks.size() && u.mention_at[k] >= 0 && !mentions_[u.mention_at[k]].refers;
}

// The one entity a singular reference at token `at` of unit `ui` can mean: a company (or, with
// `products`, a product too), the subject of the clauses before it in the sentence, else (with
// `reach_back`) of the nearest sentence before that names one, at most kMaxSentencesBack back.
// With `kinds`,
// the one company of the article's pair and of those sentences whose gazetteer kind is among
// them. -1 when there is none or more than one.
int Extractor::Antecedent(size_t ui, size_t at, bool products, const std::set<std::string>& kinds, bool reach_back) const {
  auto fits = [&](int e) {
    if (e < 0 || !ents_[e].keep || ents_[e].name.empty()) return false;
    return ents_[e].type == "Company" || (products && ents_[e].type == "Product");
  };
  if (!kinds.empty()) {
    std::set<int> seen, matching;
    auto consider = [&](int e) {
      if (!fits(e) || ents_[e].type != "Company" || !seen.insert(e).second) return;
      if (ents_[e].known && kinds.count(Lower(ents_[e].known->kind))) matching.insert(e);
    };
    consider(main_.first);
    consider(main_.second);
    for (size_t back = 0; back <= kMaxSentencesBack && back <= ui; ++back) {
      const Unit& u = units_[ui - back];
      for (size_t mi : u.mentions) {
        if (back == 0 && mentions_[mi].tb >= at) break;
        consider(mentions_[mi].entity);
      }
    }
    return matching.size() == 1 ? *matching.begin() : -1;
  }
  for (size_t back = 0; back <= (reach_back ? kMaxSentencesBack : 0) && back <= ui; ++back) {
    const Unit& u = units_[ui - back];
    // The compatible mentions of the sentence (before the reference, in its own).
    // Not one of a pair ("the companies": "it" is one thing), not a name after a preposition
    // ("On Acme's phones it runs on ...").
    std::vector<const Mention*> ms;
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (back == 0 && m.tb >= at) break;
      if (fits(m.entity) && !(products && m.pair) && !(back == 0 && InPrepositionalPhrase(u, m))) ms.push_back(&m);
    }
    // A singular pronoun means no member of a list ("Acme and Globex released Lark. It runs on
    // ..."): the list's members leave, and what else the sentence names is left to choose.
    if (products) {
      auto listed = [&](const Mention* m) {
        auto joins = [&](long t) {
          if (t < 0 || t >= static_cast<long>(u.toks.size())) return false;
          const std::string w = Lower(u.toks[t].text);
          return w == "and" || w == "," || w == "&" || w == "or";
        };
        auto mention_at = [&](long t) { return t >= 0 && t < static_cast<long>(u.toks.size()) && u.mention_at[t] >= 0; };
        return (joins(static_cast<long>(m->te)) && mention_at(static_cast<long>(m->te) + 1)) ||
               (joins(static_cast<long>(m->tb) - 1) && mention_at(static_cast<long>(m->tb) - 2));
      };
      std::vector<const Mention*> single;
      for (const Mention* m : ms) {
        if (!listed(m)) single.push_back(m);
      }
      if (!single.empty() && single.size() < ms.size()) ms = std::move(single);
    }
    if (ms.empty()) continue;
    std::set<int> distinct;
    for (const Mention* m : ms) distinct.insert(m->entity);
    if (distinct.size() == 1) return *distinct.begin();
    // Several: the first, when it is the clause's subject (not a possessive, not one of a
    // coordinated pair, several mentions over one range not being one name).
    const Mention& first = *ms.front();
    size_t after = first.te;
    if (after < u.toks.size() && AbbreviationPeriod(u, after)) ++after;  // "Acme Corp. and ..."
    const Token* next = Tok(u, static_cast<long>(after));
    if (next && (next->kind == Token::Kind::kPossessive || Lower(next->text) == "and" || next->text == "&" || next->text == "," ||
                 Lower(next->text) == "or")) {
      return -1;
    }
    if (ms.size() > 1 && ms[1]->tb == first.tb) return -1;
    return first.entity;
  }
  return -1;
}

// The one product a description at token `at` of unit `ui` can mean: among the products the
// article names before it (up to kMaxDescriptionReach sentences back), those whose name's last
// word is one of `words` or whose gazetteer kind has one of them. -1 unless exactly one: an
// article about one interface calls it "the interface" paragraphs later.
int Extractor::ProductAntecedent(size_t ui, size_t at, const std::vector<std::string>& words) const {
  std::set<int> matching;
  // As far back as a long article's paragraphs go (bounded, so a text of thousands of
  // sentences does not cost their square).
  for (size_t back = 0; back <= ui && back <= kMaxDescriptionReach; ++back) {
    const Unit& u = units_[ui - back];
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (back == 0 && m.tb >= at) break;
      const int e = m.entity;
      if (e < 0 || !ents_[e].keep || ents_[e].type != "Product" || ents_[e].name.empty()) continue;
      const std::string& name = ents_[e].name;
      const std::string last = Lower(name.substr(name.rfind(' ') == std::string::npos ? 0 : name.rfind(' ') + 1));
      const std::string kind = ents_[e].known ? " " + Lower(ents_[e].known->kind) + " " : std::string();
      for (const std::string& w : words) {
        if (last == w || (!kind.empty() && kind.find(" " + w + " ") != std::string::npos)) matching.insert(e);
      }
    }
  }
  return matching.size() == 1 ? *matching.begin() : -1;
}

// The one product an object pronoun at token `at` of unit `ui` can mean: the products named
// before it in its sentence, else in the nearest of the kMaxSentencesBack sentences before
// that names any; -1 unless exactly one.
int Extractor::ObjectAntecedent(size_t ui, size_t at) const {
  for (size_t back = 0; back <= kMaxSentencesBack && back <= ui; ++back) {
    const Unit& u = units_[ui - back];
    std::set<int> products;
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (back == 0 && m.tb >= at) break;
      if (m.refers || m.entity < 0 || !ents_[m.entity].keep || ents_[m.entity].type != "Product") continue;
      products.insert(m.entity);
    }
    if (!products.empty()) return products.size() == 1 ? *products.begin() : -1;
  }
  return -1;
}

// The pair a plural pronoun at token `at` of unit `ui` means: two companies named together
// before it in its sentence ("Acme and Beta said they will ..."), else the pair acting together
// in the sentence before ("Acme and Beta signed a deal. They will ..."). {-1, -1} otherwise.
std::pair<int, int> Extractor::PairBefore(size_t ui, size_t at) const {
  const Unit& u = units_[ui];
  const std::vector<int> here = CompaniesBefore(u, at);
  if (here.size() == 2) return {here[1], here[0]};
  if (!here.empty()) return {-1, -1};
  // Only a sentence that starts with the pronoun reaches back.
  if (ui == 0 || at != 0) return {-1, -1};
  const Unit& prev = units_[ui - 1];
  const std::pair<int, int> p = JointActors(prev);
  if (p.first >= 0) return p;
  return {-1, -1};
}

}  // namespace pactgraph::ingest::extract
