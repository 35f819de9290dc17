// The facts' bookkeeping (each relation goes through Add, with its source) and the last pass:
// planned facts dated, the entities worth keeping, duplicates dropped.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

namespace {

// Facts one sentence may give: a sentence that coordinates hundreds of names would otherwise
// give every pair of them (a bound that keeps the work linear in the text).
constexpr size_t kMaxFactsPerSentence = 100;

}  // namespace

FactSource Extractor::Source(size_t ui, const std::string& rule, float confidence, size_t tb, size_t te) const {
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

void Extractor::Add(const std::string& type, int subj, int obj, size_t ui, const std::string& rule, float conf, size_t tb, size_t te,
                    std::map<std::string, std::string> q) {
  if (subj < 0 || obj < 0 || subj == obj || Full(ui)) return;
  // A hedged clause asserts nothing. What its noun phrases name stands: who someone works
  // for, whose product it is ("Apple's iOS").
  static const Words kNaming = {"possessive-product", "product-apposition", "described-then-named", "gazetteer-maker"};
  if (type != "WORKS_FOR" && !kNaming.count(rule) && HedgedAt(ui, tb, te)) return;
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
bool Extractor::Full(size_t ui) {
  if (facts_in_unit_.size() != units_.size()) facts_in_unit_.resize(units_.size());
  return facts_in_unit_[ui] >= kMaxFactsPerSentence;
}

// A fact read off the names alone (no sentence states it): its evidence is the subject's name.
void Extractor::NameFact(const std::string& type, int subj, int obj, const std::string& rule, float confidence) {
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
std::string Extractor::TimeOf(const Unit& u) const {
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
void Extractor::PlannedDates() {
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

void Extractor::Finish() {
  PlannedDates();
  RunsWhereSupported();
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
  BareCompanyNames();
}

// A company is named without its legal form, which stays an alias: "Intel Corporation" is
// "Intel", "Samsung Electronics Co Ltd" is "Samsung Electronics". The graph's keys drop the
// same suffixes (graph/names.h), so either form finds the company; this only chooses the name
// an answer shows, the one people use.
void Extractor::BareCompanyNames() {
  std::map<std::string, std::string> renamed;
  for (ExtractedEntity& e : x_.entities) {
    if (e.type != "Company") continue;
    const std::string bare = WithoutTrailingForms(e.name, false);
    if (bare == e.name || bare.empty()) continue;
    renamed[e.name] = bare;
    if (std::find(e.aliases.begin(), e.aliases.end(), e.name) == e.aliases.end()) e.aliases.push_back(e.name);
    std::erase(e.aliases, bare);
    e.name = bare;
  }
  if (renamed.empty()) return;
  auto rename = [&](std::string& name) {
    if (auto it = renamed.find(name); it != renamed.end()) name = it->second;
  };
  for (ExtractedRelation& r : x_.relations) {
    rename(r.subject);
    rename(r.object);
    for (auto& [slot, value] : r.qualifiers) {
      if (slot == "on" || slot == "of" || slot == "via") rename(value);
    }
  }
  for (ExtractedClaim& c : x_.claims) {
    rename(c.speaker);
    for (std::string& a : c.about) rename(a);
  }
}

// What a company supports or validates on a platform runs on it: "Acme will support Quill OS
// guests on Vega" says that Quill OS runs on Vega, as a guest. Read off the other fact, with
// its sentence and a confidence no higher than 0.6; a sentence that states the running itself
// gives the fact first and keeps it. Support denied or ended says nothing of whether the thing
// runs there ("Acme no longer supports Quill OS on Vega": it may run there still).
// The platform a support or validation of `object` with qualifiers `q` says it runs on: its
// "on", when both are products and the support is neither denied nor ended; -1 otherwise.
int Extractor::SupportedPlatform(int object, const std::map<std::string, std::string>& q) const {
  if (const auto st = q.find("status"); st != q.end() && (st->second == "ended" || st->second == "denied")) return -1;
  const auto on = q.find("on");
  if (on == q.end() || TypeOf(object) != "Product") return -1;
  const auto platform = by_key_.find(Key(on->second));
  if (platform == by_key_.end() || TypeOf(platform->second) != "Product" || platform->second == object) return -1;
  return platform->second;
}

void Extractor::RunsWhereSupported() {
  for (size_t i = 0, n = pending_.size(); i < n; ++i) {
    if (pending_[i].rel.type != "SUPPORTS" && pending_[i].rel.type != "VALIDATES") continue;
    const int platform = SupportedPlatform(pending_[i].obj, pending_[i].rel.qualifiers);
    if (platform < 0) continue;
    Pending p = pending_[i];
    p.rel.type = "RUNS_ON";
    p.rel.subject = p.rel.object;
    p.rel.object = p.rel.qualifiers["on"];
    p.rel.qualifiers.erase("on");
    p.rel.source.rule = "runs-where-supported";
    p.rel.source.confidence = std::min(p.rel.source.confidence, 0.6f);
    p.subj = p.obj;
    p.obj = platform;
    pending_.push_back(std::move(p));
  }
}

bool Extractor::StrongType(const Entity& e) {
  double best = 0;
  for (const auto& [t, v] : e.votes) best = std::max(best, v);
  return best >= 2;
}

}  // namespace pactgraph::ingest::extract
