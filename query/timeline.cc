// The forms over time: TIMELINE, CHANGES and CONFLICTS, and the status WHO, WHAT and MATCH
// give a fact as of a date, read from the dated sources of each fact.
//
// The store keeps one relation per subject, type, object and node qualifiers; each source keeps
// the literals it stated (Provenance::literals). A fact here is a relation with one source's
// literals less its `status`: "Kestrel Systems SUPPORTS Quill OS (on Vega, as guest)" stated as
// planned by one release, as active by the next and as ended by a third is one fact with three
// statuses; "as host" from a fourth is another fact of the same relation, which contradicts it.
// Every source is one telling, dated by its document. Tellings are read in date order, dated
// before undated: the latest dated telling gives the fact's status, and an undated one never
// overrides a dated one (it is shown, and marked, but changes nothing).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "query/card.h"
#include "query/internal/binder.h"
#include "query/internal/claims.h"
#include "query/internal/plan.h"
#include "query/internal/planner.h"

namespace pactgraph::query {

std::vector<std::string> QualifierWords(std::string_view value) {
  std::vector<std::string> words;
  std::string w;
  auto digit = [&](size_t i) { return i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])); };
  for (size_t i = 0; i <= value.size(); ++i) {
    const unsigned char c = i < value.size() ? static_cast<unsigned char>(value[i]) : ' ';
    // Letters, digits and any non-ASCII byte make words; a point or comma between digits is
    // part of a number ("8.1", "1,000"); everything else (spaces, punctuation) separates.
    const bool in_word = std::isalnum(c) || c >= 0x80 || ((c == '.' || c == ',') && i > 0 && digit(i - 1) && digit(i + 1));
    if (in_word) {
      w += static_cast<char>(std::tolower(c));
      continue;
    }
    if (w.empty()) continue;
    // A simple plural: "guests", "hosts", "companies"; not "ss", "us", "is" ("class", "status",
    // "analysis"), nor a short word or one with a digit.
    const bool has_digit = std::any_of(w.begin(), w.end(), [](char x) { return std::isdigit(static_cast<unsigned char>(x)); });
    if (!has_digit && w.size() >= 5 && w.ends_with("ies")) {
      w.replace(w.size() - 3, 3, "y");
    } else if (!has_digit && w.size() >= 4 && w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")) {
      w.pop_back();
    }
    // An article in front says nothing: "a guest" is "guest".
    if (!(words.empty() && (w == "a" || w == "an" || w == "the"))) words.push_back(w);
    w.clear();
  }
  return words;
}

bool SameQualifier(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const std::vector<std::string> x = QualifierWords(a), y = QualifierWords(b);
  if (x.empty() || y.empty()) return false;  // punctuation alone: only the same text is the same
  const std::vector<std::string>& shorter = x.size() <= y.size() ? x : y;
  const std::vector<std::string>& longer = x.size() <= y.size() ? y : x;
  if (!std::equal(shorter.begin(), shorter.end(), longer.begin())) return false;
  // A longer form of the same value ("guest" and "guest operating system"), unless what it adds
  // is a number ("version 8" and "version 8 SP1" are different releases).
  for (size_t i = shorter.size(); i < longer.size(); ++i) {
    if (std::any_of(longer[i].begin(), longer[i].end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return false;
  }
  return true;
}

namespace {

bool Positive(const std::string& status) { return status == "active" || status == "planned"; }

// Two relations' literals other than `status` are the same slots with the same values, as
// SameQualifier reads them.
bool SameLiterals(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  auto next = [](const std::map<std::string, std::string>& m, std::map<std::string, std::string>::const_iterator it) {
    while (it != m.end() && it->first == "status") ++it;
    return it;
  };
  auto i = next(a, a.begin());
  auto j = next(b, b.begin());
  for (; i != a.end() && j != b.end(); i = next(a, std::next(i)), j = next(b, std::next(j))) {
    if (i->first != j->first || !SameQualifier(i->second, j->second)) return false;
  }
  return i == a.end() && j == b.end();
}

std::map<std::string, std::string> LiteralsOf(const Relation& r) {
  std::map<std::string, std::string> out;
  for (const Qualifier& q : r.qualifiers) {
    if (!q.is_node()) out.emplace(q.slot, q.literal);
  }
  return out;
}

// One source stating one fact.
struct Telling {
  std::string date;  // the document's, "" when undated
  DocumentId doc = 0;
  uint32_t sentence = 0;
  std::string status;
  Relation rel;
  Provenance source;
  std::string publisher;  // the document's
};

// Dated before undated, then by date, document and sentence.
bool Earlier(const Telling& a, const Telling& b) {
  return std::make_tuple(a.date.empty(), a.date, a.doc, a.sentence) < std::make_tuple(b.date.empty(), b.date, b.doc, b.sentence);
}

// A telling as Disputed reads it, with `literals`.
SourceSaid Said(const Telling& t, std::map<std::string, std::string> literals) {
  return {t.doc, t.publisher, t.status, std::move(literals)};
}

// One fact and every telling of it, in order.
struct Fact {
  std::string key;    // subject, type, object and every qualifier but status
  std::string group;  // the same with node qualifiers only: facts that differ in a literal
  Relation shape;     // one of its relations, status removed
  std::string label;  // the shape as shown: the order of facts told the same day (ids depend on import order)
  std::vector<Telling> tellings;
};

// One step of a timeline.
struct Step {
  const Fact* fact = nullptr;
  const Telling* telling = nullptr;
  std::string kind;    // stated, restated, changed, contradicted
  std::string status;  // "active", "planned -> active", "as host (guest before)"
};

class History {
 public:
  explicit History(StatementRun& run) : run_(run) {}

  // The facts of every relation touching `x` (its subject, its object, or a qualifier's value);
  // every fact of the store when `x` is 0. Called again for another entity, it adds the facts
  // of the relations not read before.
  Status Read(EntityId x) {
    std::set<RelationId> ids;
    if (x == 0) {
      Status held;
      PG_RETURN_IF_ERROR(run_.store.ForEachRelation(run_.snap, [&](const Relation& r) {
        ids.insert(r.id);
        held = run_.guard.Check();
        return held.ok();
      }));
      PG_RETURN_IF_ERROR(held);
    } else {
      for (bool out : {true, false}) {
        storage::RelationCursor c = out ? run_.store.Outgoing(run_.snap, x) : run_.store.Incoming(run_.snap, x);
        for (; c.Valid(); c.Next()) ids.insert(c.relation().id);
        PG_RETURN_IF_ERROR(c.status());
      }
      PG_ASSIGN_OR_RETURN(std::vector<RelationId> by_value, run_.store.ByQualifier(run_.snap, x));
      ids.insert(by_value.begin(), by_value.end());
    }
    PG_RETURN_IF_ERROR(run_.memory.Charge(ids.size() * 64, "the relations whose history it reads"));
    for (RelationId id : ids) {
      PG_RETURN_IF_ERROR(run_.guard.Check());
      if (!read_.insert(id).second) continue;  // read for another entity before (a claim's card reads several)
      PG_ASSIGN_OR_RETURN(bool admitted, run_.Admitted(id));
      if (!admitted) continue;
      PG_ASSIGN_OR_RETURN(Relation r, run_.store.GetRelation(run_.snap, id));
      // What was said (a claim, WHO SAID ABOUT) is no fact with a status of its own.
      PG_ASSIGN_OR_RETURN(const Entity* subject, run_.EntityRef(r.subject));
      if (subject->type == "Claim") continue;
      PG_ASSIGN_OR_RETURN(const Entity* object, run_.EntityRef(r.object));
      if (object->type == "Claim") continue;
      PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run_.store.GetProvenance(run_.snap, id));
      std::map<std::string, std::string> own;  // the relation's literals, for sources stored without theirs
      for (const Qualifier& q : r.qualifiers) {
        if (!q.is_node()) own[q.slot] = q.literal;
      }
      for (const Provenance& p : sources) {
        PG_ASSIGN_OR_RETURN(const Document* d, run_.Doc(p.document));
        // AS OF: what had been said by that day (an undated source has no day, and is left out).
        if (run_.st.as_of && (d->date.empty() || d->date > *run_.st.as_of)) continue;
        std::map<std::string, std::string> literals = p.literals ? *p.literals : own;
        const auto st = literals.find("status");
        const std::string status = st == literals.end() || st->second.empty() ? "active" : st->second;
        if (st != literals.end()) literals.erase(st);
        // The fact this source states: the relation with this source's literals, status aside.
        Relation shape = r;
        std::erase_if(shape.qualifiers, [](const Qualifier& q) { return !q.is_node(); });
        for (const auto& [slot, value] : literals) shape.qualifiers.push_back({slot, 0, value});
        std::string key = std::to_string(r.id);
        // Values that differ only in case, punctuation or a plural are one fact ("guest", "Guests").
        for (const auto& [slot, value] : literals) {
          const std::vector<std::string> words = QualifierWords(value);
          key += "|" + slot + "=";
          if (words.empty()) key += value;
          for (const std::string& w : words) key += w + " ";
        }
        Fact& f = facts_[key];
        if (f.key.empty()) {
          f.key = key;
          f.group = std::to_string(r.id);
          f.shape = shape;
        }
        f.tellings.push_back({d->date, p.document, p.sentence, status, shape, p, d->publisher});
        PG_RETURN_IF_ERROR(run_.memory.Charge(sizeof(Telling) + p.evidence.size(), "the sources it reads"));
      }
    }
    std::erase_if(facts_, [](const auto& kv) { return kv.second.tellings.empty(); });
    for (auto& [key, f] : facts_) {
      std::sort(f.tellings.begin(), f.tellings.end(), Earlier);
      PG_ASSIGN_OR_RETURN(f.label, Shown(f.shape));
    }
    return Status::OK();
  }

  // Every telling of every fact as a step, in date order (undated last).
  std::vector<Step> Steps() const {
    std::vector<Step> out;
    // The first dated telling of each group's facts: a fact first stated after another of its
    // group with another literal ("as host" after "as guest") contradicts it.
    std::map<std::string, std::vector<const Fact*>> groups;
    for (const auto& [key, f] : facts_) groups[f.group].push_back(&f);
    for (const auto& [key, f] : facts_) {
      std::string current;
      for (const Telling& t : f.tellings) {
        Step s{&f, &t, "", t.status};
        if (current.empty()) {
          s.kind = "stated";
          // Another literal than an earlier fact of the relation: another publisher contradicts
          // it; the same publisher changes it (a title told anew).
          const Telling* before = nullptr;
          const std::string other = EarlierSibling(groups.at(f.group), f, t, &before);
          if (!other.empty()) {
            s.kind = before->publisher == t.publisher ? "changed" : "contradicted";
            s.status = t.status + " (" + other + ")";
          }
          if (!t.date.empty()) current = t.status;
        } else if (t.status == current) {
          s.kind = "restated";
        } else if (t.date.empty()) {
          s.kind = "contradicted";
          s.status = t.status + " (undated; " + current + " stands)";
        } else if (t.status == "denied" || current == "denied") {
          s.kind = "contradicted";
          s.status = current + " -> " + t.status;
          current = t.status;
        } else {
          s.kind = "changed";
          s.status = current + " -> " + t.status;
          current = t.status;
        }
        out.push_back(std::move(s));
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const Step& a, const Step& b) {
      if (Earlier(*a.telling, *b.telling)) return true;
      if (Earlier(*b.telling, *a.telling)) return false;
      if (a.fact->label != b.fact->label) return a.fact->label < b.fact->label;
      return a.fact->key < b.fact->key;
    });
    return out;
  }

  const std::map<std::string, Fact>& facts() const { return facts_; }

  // "Kestrel Systems SUPPORTS Quill OS (on Vega, as guest)".
  Result<std::string> Shown(const Relation& r) {
    PG_ASSIGN_OR_RETURN(std::string s, run_.Shown(r.subject));
    PG_ASSIGN_OR_RETURN(std::string o, run_.Shown(r.object));
    std::string out = s + " " + r.type + " " + o;
    std::string q;
    for (const Qualifier& x : r.qualifiers) {
      if (x.slot == "status") continue;
      std::string value = x.literal;
      if (x.is_node()) {
        PG_ASSIGN_OR_RETURN(value, run_.Shown(x.node));
      }
      q += (q.empty() ? "" : ", ") + x.slot + " " + value;
    }
    return q.empty() ? out : out + " (" + q + ")";
  }

  // "Cloud Ledger, 2019-04-02: Who runs what on Vega"
  Result<std::string> Source(const Telling& t) {
    PG_ASSIGN_OR_RETURN(const Document* d, run_.Doc(t.doc));
    std::string out = d->publisher.empty() ? d->key : d->publisher;
    if (!d->title.empty()) out += ": " + d->title;
    return out;
  }

 private:
  // The literal of an earlier-stated fact of `f`'s group that `f` differs in ("as guest"), for
  // a telling `t` that is `f`'s first; "" when there is none.
  // (`*before` is set to that fact's first telling.)
  static std::string EarlierSibling(const std::vector<const Fact*>& group, const Fact& f, const Telling& t, const Telling** before) {
    if (t.date.empty()) return {};
    for (const Fact* g : group) {
      if (g == &f || g->tellings.empty() || g->tellings.front().date.empty() || !Earlier(g->tellings.front(), t)) continue;
      for (const Qualifier& q : g->shape.qualifiers) {
        if (q.is_node()) continue;
        const Qualifier* mine = f.shape.Find(q.slot);
        if (!mine || !SameQualifier(mine->literal, q.literal)) {
          *before = &g->tellings.front();
          return q.slot + " " + q.literal + " before";
        }
      }
    }
    return {};
  }

  StatementRun& run_;
  std::map<std::string, Fact> facts_;
  std::set<RelationId> read_;
};

// A telling as evidence: its document, publisher, date and whole sentence (the stated words
// when the document's text has no sentence for them) with the stated words' span.
Result<Evidence> Quoted(StatementRun& run, const Telling& t) {
  PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(t.doc));
  return SourceEvidence(*d, t.source);
}

// The entity a form is about, or 0 for the whole store.
Result<EntityId> About(StatementRun& run, const std::optional<NameRef>& name) {
  if (!name) return EntityId{0};
  PG_ASSIGN_OR_RETURN(Entity e, BindName(run, *name));
  return e.id;
}

Row StepRow(const Step& s, std::string fact, std::string source, Evidence quoted) {
  Row row;
  const Telling& t = *s.telling;
  row.values = {Value::Text(t.date.empty() ? "undated" : t.date), Value::Text(s.kind),           Value::Text(std::move(fact)),
                Value::Text(s.status),                            Value::Text(std::move(source)), Value::Text(quoted.text)};
  row.evidence.push_back(std::move(quoted));
  return row;
}

// Two sides of one fact (or of two facts of one relation) that disagree.
struct Conflict {
  std::string date;  // the newer side's
  std::string kind;  // denied, ended, qualifier
  const Fact* fact;
  const Telling* one;    // the side stated first
  const Telling* other;  // the side that says otherwise
};

// Every disagreement among `facts`, newest first.
std::vector<Conflict> FindConflicts(const std::map<std::string, Fact>& facts) {
  std::vector<Conflict> found;
  auto newest = [](const Fact& f, auto pred) -> const Telling* {
    const Telling* best = nullptr;
    for (const Telling& t : f.tellings) {
      if (pred(t) && (!best || !t.date.empty())) best = &t;  // the latest dated, else an undated one
    }
    return best;
  };
  std::map<std::string, std::vector<const Fact*>> groups;
  for (const auto& [key, f] : facts) {
    groups[f.group].push_back(&f);
    const Telling* yes = newest(f, [](const Telling& t) { return Positive(t.status); });
    if (!yes) continue;
    for (const char* against : {"denied", "ended"}) {
      const Telling* no = newest(f, [&](const Telling& t) { return t.status == against; });
      if (!no) continue;
      const bool yes_first = Earlier(*yes, *no);
      const Telling* one = yes_first ? yes : no;
      const Telling* other = yes_first ? no : yes;
      found.push_back({other->date.empty() ? one->date : other->date, against, &f, one, other});
    }
  }
  // Two facts of one group that differ in a literal ("as guest", "as host"), each stated as
  // holding by a source of its own.
  for (const auto& [group, members] : groups) {
    for (size_t i = 0; i < members.size(); ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        const Telling* a = newest(*members[i], [](const Telling& t) { return Positive(t.status); });
        const Telling* b = newest(*members[j], [](const Telling& t) { return Positive(t.status); });
        if (!a || !b || !QualifiersDisagree(Said(*a, LiteralsOf(members[i]->shape)), Said(*b, LiteralsOf(members[j]->shape)))) continue;
        const Fact* later = members[j];
        if (Earlier(*b, *a)) {
          std::swap(a, b);
          later = members[i];
        }
        found.push_back({b->date.empty() ? a->date : b->date, "qualifier", later, a, b});
      }
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const Conflict& a, const Conflict& b) {
    if (a.date != b.date) return a.date > b.date;
    if (a.fact->label != b.fact->label) return a.fact->label < b.fact->label;
    return a.fact->key < b.fact->key;
  });
  return found;
}

}  // namespace

bool QualifiersDisagree(const SourceSaid& a, const SourceSaid& b) {
  // The same publisher telling a literal anew (a title) changes it; another wording of the same
  // value ("guest", "a guest operating system") is no dispute.
  return Positive(a.status) && Positive(b.status) && a.document != b.document && a.publisher != b.publisher &&
         !SameLiterals(a.literals, b.literals);
}

bool Disputed(const std::vector<SourceSaid>& sources) {
  bool holds = false, not_holds = false;
  for (const SourceSaid& s : sources) (Positive(s.status) ? holds : not_holds) = true;
  if (holds && not_holds) return true;
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t j = i + 1; j < sources.size(); ++j) {
      if (QualifiersDisagree(sources[i], sources[j])) return true;
    }
  }
  return false;
}

Result<Plan> PlanTimeline(StatementRun& run, const TimelineQuery& q) {
  Plan plan;
  PG_ASSIGN_OR_RETURN(Entity x, BindName(run, q.name));
  History h(run);
  PG_RETURN_IF_ERROR(h.Read(x.id));
  ClaimLinks claims(run);
  std::vector<Row> rows;
  for (const Step& s : h.Steps()) {
    std::string fact = s.fact->label;
    PG_ASSIGN_OR_RETURN(std::string source, h.Source(*s.telling));
    PG_ASSIGN_OR_RETURN(Evidence quoted, Quoted(run, *s.telling));
    rows.push_back(StepRow(s, std::move(fact), std::move(source), std::move(quoted)));
    // A step told in a sentence that also holds a claim about the fact names the claim.
    PG_ASSIGN_OR_RETURN(rows.back().claims, claims.At(s.telling->rel, s.telling->doc, s.telling->sentence, ""));
  }
  plan.columns = {"date", "step", "fact", "status", "source", "sentence"};
  plan.evidence_in_columns = true;
  const size_t n = h.facts().size();
  plan.notice = std::to_string(n) + (n == 1 ? " fact" : " facts") + " about \"" + x.name + "\"";
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.root = std::make_unique<Materialized>("Timeline of " + x.name + " (each source of each fact, by date)", std::move(rows));
  return plan;
}

Result<Plan> PlanChanges(StatementRun& run, const ChangesQuery& q) {
  Plan plan;
  PG_ASSIGN_OR_RETURN(EntityId x, About(run, q.name));
  History h(run);
  PG_RETURN_IF_ERROR(h.Read(x));
  std::vector<Row> rows;
  for (const Step& s : h.Steps()) {
    const std::string& d = s.telling->date;
    if (d.empty() || d < q.from || d > q.to || s.kind == "restated") continue;
    Step shown = s;
    // What the window shows: a fact that appeared in it, changed or ended in it, or was denied.
    if (s.kind == "stated") shown.kind = "appeared";
    if (s.telling->status == "ended" && s.kind != "stated") shown.kind = "ended";
    std::string fact = s.fact->label;
    PG_ASSIGN_OR_RETURN(std::string source, h.Source(*s.telling));
    PG_ASSIGN_OR_RETURN(Evidence quoted, Quoted(run, *s.telling));
    rows.push_back(StepRow(shown, std::move(fact), std::move(source), std::move(quoted)));
  }
  plan.columns = {"date", "change", "fact", "status", "source", "sentence"};
  plan.evidence_in_columns = true;
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.root = std::make_unique<Materialized>("Changes between " + q.from + " and " + q.to, std::move(rows));
  return plan;
}

Result<Plan> PlanConflicts(StatementRun& run, const ConflictsQuery& q) {
  Plan plan;
  PG_ASSIGN_OR_RETURN(EntityId x, About(run, q.name));
  History h(run);
  PG_RETURN_IF_ERROR(h.Read(x));
  const std::vector<Conflict> found = FindConflicts(h.facts());
  ClaimLinks claims(run);
  std::vector<Row> rows;
  for (const Conflict& c : found) {
    PG_RETURN_IF_ERROR(run.guard.Check());
    std::string fact = c.fact->label;
    auto side = [&](const Telling& t) -> Result<std::string> {
      PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(t.doc));
      std::string who = d->publisher.empty() ? d->key : d->publisher;
      std::string what = t.status;
      if (c.kind == "qualifier") {
        PG_ASSIGN_OR_RETURN(what, h.Shown(t.rel));
      }
      PG_ASSIGN_OR_RETURN(Evidence quoted, Quoted(run, t));
      return what + ", " + who + " " + (t.date.empty() ? "undated" : t.date) + ": " + quoted.text;
    };
    PG_ASSIGN_OR_RETURN(std::string one, side(*c.one));
    PG_ASSIGN_OR_RETURN(std::string other, side(*c.other));
    Row row;
    // Both sides' sources, the first stated first.
    for (const Telling* t : {c.one, c.other}) {
      PG_ASSIGN_OR_RETURN(Evidence quoted, Quoted(run, *t));
      row.evidence.push_back(std::move(quoted));
    }
    row.values = {Value::Text(c.date.empty() ? "undated" : c.date), Value::Text(c.kind), Value::Text(std::move(fact)), Value::Text(std::move(one)),
                  Value::Text(std::move(other))};
    // The claims said in either side's sentence take that side.
    for (const auto& [t, column] : {std::pair{c.one, "one source"}, std::pair{c.other, "the other"}}) {
      PG_ASSIGN_OR_RETURN(std::vector<LinkedClaim> said, claims.At(t->rel, t->doc, t->sentence, column));
      for (LinkedClaim& l : said) row.claims.push_back(std::move(l));
    }
    rows.push_back(std::move(row));
  }
  plan.columns = {"date", "conflict", "fact", "one source", "the other"};
  plan.evidence_in_columns = true;
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.root = std::make_unique<Materialized>("Conflicts (facts whose sources disagree, newest first)", std::move(rows));
  return plan;
}

Result<std::vector<Row>> ClaimCardRows(StatementRun& run, EntityId claim) {
  std::vector<Row> rows;
  ClaimLinks links(run);
  PG_ASSIGN_OR_RETURN(const ClaimLinks::Said* said, links.Of(claim));
  if (said->sentences.empty()) return rows;
  History h(run);
  for (EntityId x : said->about) PG_RETURN_IF_ERROR(h.Read(x));
  PG_ASSIGN_OR_RETURN(std::string shown, run.Shown(claim));
  std::set<std::tuple<std::string, DocumentId, uint32_t>> listed;
  for (const Conflict& c : FindConflicts(h.facts())) {
    for (const auto& [mine, theirs] : {std::pair{c.one, c.other}, std::pair{c.other, c.one}}) {
      // The claim was said in this side's sentence, of both its ends: it contradicts the other side.
      if (!said->sentences.count({mine->doc, mine->sentence})) continue;
      PG_ASSIGN_OR_RETURN(std::vector<LinkedClaim> here, links.At(mine->rel, mine->doc, mine->sentence, ""));
      if (std::none_of(here.begin(), here.end(), [&](const LinkedClaim& l) { return l.claim == claim; })) continue;
      PG_ASSIGN_OR_RETURN(std::string fact, h.Shown(theirs->rel));
      if (!listed.insert({fact, theirs->doc, theirs->sentence}).second) continue;
      PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(theirs->doc));
      Row row;
      row.values = {Value::Text(shown), Value::Text("CONTRADICTS"), Value::Text(fact),
                    Value::Text("status: " + theirs->status + ", source: " + (d->publisher.empty() ? d->key : d->publisher) + " " +
                                (theirs->date.empty() ? "undated" : theirs->date))};
      PG_ASSIGN_OR_RETURN(Evidence quoted, Quoted(run, *theirs));
      row.evidence.push_back(std::move(quoted));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

Result<FactNow> StatusNow(StatementRun& run, const Relation& r) {
  FactNow out;
  if (r.id == 0) return out;
  // One reading per distinct set of literals the sources state, with its latest source.
  struct Reading {
    std::map<std::string, std::string> literals;
    const Telling* latest = nullptr;
  };
  std::vector<Telling> tellings;  // dated by the statement's date, in order
  std::vector<Reading> readings;
  std::map<std::string, std::string> own;
  for (const Qualifier& q : r.qualifiers) {
    if (!q.is_node()) own[q.slot] = q.literal;
  }
  PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run.store.GetProvenance(run.snap, r.id));
  if (sources.size() < 2) return out;  // one source has no history (most relations of a card or a path)
  for (const Provenance& p : sources) {
    PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(p.document));
    if (run.st.as_of && !d->date.empty() && d->date > *run.st.as_of) continue;
    const std::map<std::string, std::string> literals = p.literals ? *p.literals : own;
    const auto st = literals.find("status");
    tellings.push_back({d->date, p.document, p.sentence, st == literals.end() ? "active" : st->second, r, p, d->publisher});
  }
  std::sort(tellings.begin(), tellings.end(), Earlier);
  for (const Telling& t : tellings) {
    const std::map<std::string, std::string> literals = t.source.literals ? *t.source.literals : own;
    auto it = std::find_if(readings.begin(), readings.end(), [&](const Reading& x) { return x.literals == literals; });
    if (it == readings.end()) {
      readings.push_back({literals, &t});
    } else if (!t.date.empty() || it->latest->date.empty()) {
      it->latest = &t;  // the latest dated source of the reading (an undated one only while no dated one is)
    }
  }
  out.history = readings.size() > 1;
  if (!out.history) return out;
  // The status is the latest dated source's; an undated one never overrides a dated one.
  const Telling* latest = nullptr;
  for (const Telling& t : tellings) {
    if (!t.date.empty()) latest = &t;
  }
  if (latest) {
    out.stated = latest->date;
    out.status = latest->status;
    if (latest->source.literals) out.literals = *latest->source.literals;
  }
  // Planned, then active, is a fact's progress; a denial or an ending is a source saying
  // otherwise, and so is another qualifier from another publisher (a publisher telling a title
  // or a role anew over the years changes it).
  std::vector<SourceSaid> said;
  for (const Telling& t : tellings) said.push_back(Said(t, t.source.literals ? *t.source.literals : own));
  if (!Disputed(said)) return out;
  for (const Reading& x : readings) {
    const auto st = x.literals.find("status");
    std::string what = st == x.literals.end() ? "active" : st->second;
    for (const auto& [slot, value] : x.literals) {
      if (slot != "status") what += " " + slot + " " + value;
    }
    PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(x.latest->doc));
    out.disputed += (out.disputed.empty() ? "" : "; ") + what + " (" + (d->publisher.empty() ? d->key : d->publisher) + ", " +
                    (x.latest->date.empty() ? "undated" : x.latest->date) + ")";
  }
  return out;
}

Status AddStatusOverTime(StatementRun& run, const std::vector<Relation>& rels, Answer* a) {
  std::vector<FactNow> rows;
  bool any = false;
  for (const Relation& r : rels) {
    PG_RETURN_IF_ERROR(run.guard.Check());
    PG_ASSIGN_OR_RETURN(FactNow now, StatusNow(run, r));
    any = any || now.history;
    rows.push_back(std::move(now));
  }
  if (!any) return Status::OK();
  const size_t status_column = static_cast<size_t>(std::find(a->columns.begin(), a->columns.end(), "status") - a->columns.begin());
  const size_t width = a->columns.size();
  a->columns.push_back("stated");
  a->columns.push_back("disputed");
  for (size_t i = 0; i < a->rows.size() && i < rows.size(); ++i) {
    const FactNow& now = rows[i];
    if (!now.stated.empty()) {
      // The latest dated source's literals fill the literal columns (status, as ...); a source
      // stored before they were kept gives its status alone.
      for (size_t c = 2; c < width && c < a->rows[i].size(); ++c) {
        const SlotDef* slot = run.schema.FindSlot(a->columns[c]);
        if (!slot || slot->kind != SlotKind::kLiteral || !now.literals) continue;
        const auto v = now.literals->find(a->columns[c]);
        a->rows[i][c] = Value::Text(v == now.literals->end() ? "" : v->second);
      }
      if (!now.literals && status_column < width && status_column < a->rows[i].size()) {
        a->rows[i][status_column] = Value::Text(now.status == "active" ? "" : now.status);
      }
    }
    a->rows[i].push_back(Value::Text(now.stated));
    a->rows[i].push_back(Value::Text(now.disputed));
  }
  return Status::OK();
}

Status AddDisputed(StatementRun& run, const std::vector<Relation>& rels, Answer* a) {
  std::vector<std::string> disputed;
  bool any = false;
  ClaimLinks claims(run);
  for (size_t i = 0; i < rels.size(); ++i) {
    const Relation& r = rels[i];
    PG_RETURN_IF_ERROR(run.guard.Check());
    PG_ASSIGN_OR_RETURN(FactNow now, StatusNow(run, r));
    any = any || !now.disputed.empty();
    // A disputed row reaches the claims said in its sources' sentences, each on its source's
    // reading ("ended", "active as host").
    if (!now.disputed.empty() && i < a->claims.size()) {
      PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run.store.GetProvenance(run.snap, r.id));
      for (const Provenance& p : sources) {
        PG_ASSIGN_OR_RETURN(const Document* d, run.Doc(p.document));
        if (run.st.as_of && !d->date.empty() && d->date > *run.st.as_of) continue;
        std::string reading = SourceStatus(r, p);
        for (const auto& [slot, value] : p.literals ? *p.literals : LiteralsOf(r)) {
          if (slot != "status") reading += " " + slot + " " + value;
        }
        PG_ASSIGN_OR_RETURN(std::vector<LinkedClaim> said, claims.At(r, p.document, p.sentence, reading));
        for (LinkedClaim& c : said) {
          const bool seen = std::any_of(a->claims[i].begin(), a->claims[i].end(), [&](const LinkedClaim& x) { return x.claim == c.claim; });
          if (!seen) a->claims[i].push_back(std::move(c));
        }
      }
    }
    disputed.push_back(std::move(now.disputed));
  }
  if (!any) return Status::OK();
  a->columns.push_back("disputed");
  for (size_t i = 0; i < a->rows.size(); ++i) a->rows[i].push_back(Value::Text(i < disputed.size() ? disputed[i] : ""));
  return Status::OK();
}

}  // namespace pactgraph::query
