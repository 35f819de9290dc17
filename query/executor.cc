#include "query/internal/executor.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "graph/text.h"
#include "query/internal/planner.h"

namespace pactgraph::query {

// The evidence's text: the sentence the source's span covers in the document (an article's
// facts carry their sentence's span; a fact of the title, sentence 0, has none and is the
// title's), with the stated words marked in it. A source without a sentence to find them in
// (a facts file's own words, a document without its text) keeps its words as they are.
Evidence SourceEvidence(const Document& d, const Provenance& p) {
  Evidence e;
  e.document = d.title.empty() ? d.key : d.title;
  e.document_id = d.id;
  e.publisher = d.publisher;
  e.url = d.url;
  e.date = d.date;
  e.sentence = p.sentence;
  e.line = p.line;
  e.rule = p.extractor;
  e.confidence = p.confidence;
  QuoteSource(d, p, &e);
  return e;
}

void QuoteSource(const Document& d, const Provenance& p, Evidence* e) {
  std::string_view sentence;
  if (p.span_end > p.span_begin && p.span_end <= d.text.size()) {
    sentence = std::string_view(d.text).substr(p.span_begin, p.span_end - p.span_begin);
  } else if (p.sentence == 0 && p.span_end == 0 && !d.text.empty()) {
    sentence = d.title;
  }
  const size_t at = p.evidence.empty() ? 0 : sentence.find(p.evidence);
  if (sentence.empty() || at == std::string_view::npos) {
    e->text = p.evidence;
    return;
  }
  e->text = std::string(sentence);
  if (!p.evidence.empty() && p.evidence.size() < sentence.size()) {
    e->span_begin = static_cast<uint32_t>(at);
    e->span_end = static_cast<uint32_t>(at + p.evidence.size());
  }
}

namespace {

// Turns a plan's rows into an answer's values and evidence.
class Emitter {
 public:
  Emitter(StatementRun& run, const Plan& plan, Answer* a) : run_(run), plan_(plan), a_(a) {}

  Status Emit(const Row& row) {
    std::vector<Evidence> ev;
    shown_.clear();
    if (!row.evidence.empty()) {
      ev = row.evidence;
    } else if (plan_.evidence_from >= 0) {
      PG_RETURN_IF_ERROR(AddEvidence(row.rels[static_cast<size_t>(plan_.evidence_from)], &ev));
    } else {
      for (const Relation& rel : row.rels) {
        if (ev.size() >= run_.limits.max_evidence) break;
        PG_RETURN_IF_ERROR(AddEvidence(rel, &ev));
      }
    }
    PG_RETURN_IF_ERROR(run_.memory.Charge(ApproxBytes(row.values) + ApproxBytes(ev), "the rows of its answer"));
    PG_ASSIGN_OR_RETURN(bool candidate, RestsOnCandidate(row));
    a_->rows.push_back(row.values);
    a_->evidence.push_back(std::move(ev));
    a_->claims.push_back(row.claims);
    a_->candidate.push_back(candidate);
    return Status::OK();
  }

  // After an empty answer: the entities named with a condition's value that are not recorded
  // as its variants ("Hyper-V Server 2008" for ON Hyper-V), so that the user can ask for them.
  Status HintRelatives() {
    for (const RelativesHint& hint : plan_.hints) {
      PG_ASSIGN_OR_RETURN(std::vector<EntityId> ids, run_.store.NamesContaining(run_.snap, hint.name, 50));
      std::vector<std::string> names;
      for (EntityId id : ids) {
        PG_ASSIGN_OR_RETURN(Entity e, run_.EntityCopy(id));
        if (e.name == hint.name || e.type == "Claim" || !Schema::TypeAllowed(hint.slot->types, e.type)) continue;
        names.push_back(e.name);
      }
      if (names.empty()) continue;
      std::string list;
      for (size_t i = 0; i < names.size() && i < 6; ++i) list += (i ? ", " : "") + ("\"" + names[i] + "\"");
      if (names.size() > 6) list += ", ...";
      a_->notice += (a_->notice.empty() ? "" : "\n") + ("no rows; these are named with \"" + hint.name +
                                                        "\" but not recorded as its variants: " + list + " (ask " +
                                                        hint.slot->name + " one of them)");
    }
    return Status::OK();
  }

 private:
  Status AddEvidence(const Relation& r, std::vector<Evidence>* out) {
    if (out->size() >= run_.limits.max_evidence) return Status::OK();
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run_.store.GetProvenance(run_.snap, r.id));
    // Dated sources first, oldest first; then the rest.
    std::vector<std::pair<std::string, const Provenance*>> order;
    for (const Provenance& p : sources) {
      PG_ASSIGN_OR_RETURN(const Document* d, run_.Doc(p.document));
      order.emplace_back(d->date.empty() ? "9999" : d->date, &p);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [date, p] : order) {
      if (out->size() >= run_.limits.max_evidence) break;
      // A row names each document once: its first (oldest) statement of the row's facts.
      if (!shown_.insert(p->document).second) continue;
      PG_ASSIGN_OR_RETURN(const Document* d, run_.Doc(p->document));
      Evidence e = SourceEvidence(*d, *p);
      PG_ASSIGN_OR_RETURN(e.url, Url(*d));
      e.below_threshold = p->confidence < run_.threshold;
      out->push_back(std::move(e));
    }
    return Status::OK();
  }

  // The URL a document is read at: its own, else the first URL among its locations (read once
  // per document and answer).
  Result<std::string> Url(const Document& d) {
    if (!d.url.empty()) return d.url;
    auto it = urls_.find(d.id);
    if (it == urls_.end()) {
      PG_ASSIGN_OR_RETURN(std::vector<std::string> places, run_.store.DocumentLocations(run_.snap, d.id));
      std::string url;
      for (const std::string& place : places) {
        if (place.find("://") != std::string::npos) {
          url = place;
          break;
        }
      }
      it = urls_.emplace(d.id, std::move(url)).first;
    }
    return it->second;
  }

  // True when candidates were asked for and one of the row's relations is one.
  Result<bool> RestsOnCandidate(const Row& row) {
    if (!run_.with_candidates) return false;
    for (const Relation& r : row.rels) {
      PG_ASSIGN_OR_RETURN(bool c, run_.IsCandidate(r.id));
      if (c) return true;
    }
    return false;
  }

  StatementRun& run_;
  const Plan& plan_;
  Answer* a_;
  std::unordered_set<DocumentId> shown_;                // documents the current row's evidence names
  std::unordered_map<DocumentId, std::string> urls_;   // Url's answers
};

// Each row's corroboration (its fact's distinct documents and publishers, as of the statement's
// date), for JSON's rows; as two columns too when the statement ordered by it.
Status AddCorroboration(StatementRun& run, const std::vector<Relation>& rels, bool columns, Answer* a) {
  for (size_t i = 0; i < a->rows.size() && i < rels.size(); ++i) {
    StatementRun::Corroboration c;
    if (rels[i].id != 0) {
      PG_ASSIGN_OR_RETURN(c, run.CorroborationOf(rels[i].id));
    }
    a->sources.push_back(c.documents);
    a->publishers.push_back(c.publishers);
    if (columns) {
      a->rows[i].push_back(Value::Int(c.documents));
      a->rows[i].push_back(Value::Int(c.publishers));
    }
  }
  if (columns) {
    a->columns.push_back("sources");
    a->columns.push_back("publishers");
  }
  return Status::OK();
}

}  // namespace

Result<Answer> Execute(StatementRun& run, Plan plan) {
  const Statement& st = run.st;
  const Limits& limits = run.limits;
  Answer a;
  a.title = std::move(plan.title);
  a.columns = plan.columns;
  a.optional_columns_from = plan.optional_columns_from;
  a.notice = std::move(plan.notice);
  a.with_candidates = run.with_candidates;
  a.evidence_in_columns = plan.evidence_in_columns;
  a.min_confidence = limits.min_confidence;
  Op& root = *plan.root;
  const uint64_t limit = std::min<uint64_t>(st.limit.value_or(UINT64_MAX), limits.max_rows);
  if (st.explain) {
    std::ostringstream text;
    text << "Project " << JoinComma(a.columns) << (st.limit ? "   limit " + std::to_string(*st.limit) : "") << "\n";
    root.Render(text, 1, false);
    a.plan = text.str();
    a.explain_only = true;
    return a;
  }
  Emitter emitter(run, plan, &a);
  Row row;
  std::vector<Relation> facts;  // each row's first relation, for AddStatusOverTime and AddDisputed
  const bool keep_facts = plan.status_over_time || plan.mark_disputed;
  while (a.rows.size() < limit) {
    PG_RETURN_IF_ERROR(run.guard.Check());
    PG_ASSIGN_OR_RETURN(bool more, root.Pull(&row));
    if (!more) break;
    PG_RETURN_IF_ERROR(emitter.Emit(row));
    if (keep_facts) facts.push_back(row.rels.empty() ? Relation{} : row.rels.front());
  }
  if (plan.status_over_time) {
    PG_RETURN_IF_ERROR(AddStatusOverTime(run, facts, &a));
    PG_RETURN_IF_ERROR(AddCorroboration(run, facts, plan.corroboration_columns, &a));
  }
  if (plan.mark_disputed) PG_RETURN_IF_ERROR(AddDisputed(run, facts, &a));
  if (a.rows.size() == limits.max_rows && (!st.limit || *st.limit > limits.max_rows)) {
    Row probe;
    PG_ASSIGN_OR_RETURN(bool more, root.Pull(&probe));
    if (more) {
      a.notice = "stopped at " + WithThousands(limits.max_rows) + " rows, the row limit (" + limits.hints.rows + ")";
    }
  }
  if (a.rows.empty()) PG_RETURN_IF_ERROR(emitter.HintRelatives());
  if (run.left_out() > 0) {
    const size_t n = run.left_out();
    std::ostringstream text;
    text << WithThousands(n) << " candidate fact" << (n == 1 ? "" : "s") << " (confidence below " << limits.min_confidence
         << ") left out; WITH CANDIDATES shows " << (n == 1 ? "it" : "them");
    a.notice += (a.notice.empty() ? "" : "\n") + text.str();
  }
  if (st.profile) {
    std::ostringstream text;
    text << "Project " << JoinComma(a.columns) << "   [rows " << WithThousands(a.rows.size()) << "]\n";
    root.Render(text, 1, true);
    a.plan = text.str();
  }
  return a;
}

}  // namespace pactgraph::query
