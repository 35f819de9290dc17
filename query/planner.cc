#include "query/internal/planner.h"

#include <sstream>

#include "graph/text.h"
#include "query/card.h"
#include "query/internal/binder.h"
#include "query/internal/match.h"
#include "query/internal/pattern.h"

namespace pactgraph::query {
namespace {

// WHO SAID ABOUT X: the claims about X, each expanded to who said it; the evidence is what was said.
Result<Plan> PlanSaidAbout(StatementRun& run, const Question& q) {
  PG_ASSIGN_OR_RETURN(Entity x, BindName(run, q.anchor));
  PG_ASSIGN_OR_RETURN(MatchPlan matched, PlanSaidAbout(x, run));
  Plan plan;
  plan.root = std::move(matched.root);
  plan.columns = std::move(matched.columns);
  plan.optional_columns_from = 2;
  plan.evidence_from = 1;  // SAID
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  return plan;
}

// WHO/WHAT <verb> X [slot Y]...: the pattern (subject)-[r:TYPE {conditions}]->(object) from X,
// walked through X's adjacency or (asking who, with a node condition) the qualifier index of the
// condition's entities, whichever lists fewer relations.
Result<Plan> PlanQuestion(StatementRun& run, const Question& q) {
  if (q.kind == Question::Kind::kSaidAbout) return PlanSaidAbout(run, q);
  PG_ASSIGN_OR_RETURN(BoundQuestion b, BindQuestion(run, q));
  const RelationTypeDef& rel = *b.relation;
  const Entity& x = b.anchor;
  RelationQuestion rq;
  rq.bound = &b;

  // The anchor's adjacency and the qualifier index ranges of the conditions' entities are read
  // in step, a key of each at a time, until one ends: the shortest is walked, and the reading
  // stops at its length (a popular platform's index lists thousands of relations where the
  // anchor's adjacency lists a few). Of lists that end together, the adjacency.
  constexpr uint64_t kCap = 1u << 20;
  const bool can_index = b.subjects && !rel.symmetric && !b.nodes.empty();
  rq.via_index = -1;
  if (can_index) {
    std::vector<storage::Store::RangeSide> sides;
    sides.push_back({{x.id}, "", !b.subjects, rel.name});
    for (const auto& node : b.nodes) sides.push_back({node.values, node.slot, true, rel.name});
    PG_ASSIGN_OR_RETURN(storage::Store::Shortest shortest, run.store.ShortestRange(run.snap, sides, kCap));
    rq.via_index = shortest.side > 0 ? shortest.side - 1 : -1;
    rq.estimate = shortest.length;
  }
  // Columns: the two ends, then the slots the relation type takes.
  for (const SlotDef& s : run.schema.slots()) {
    if (run.schema.AllowsSlot(rel, s.name)) rq.slots.push_back(s.name);
  }
  PG_ASSIGN_OR_RETURN(MatchPlan matched, PlanRelationQuestion(rq, run));
  Plan plan;
  plan.root = std::move(matched.root);
  plan.columns = std::move(matched.columns);
  plan.optional_columns_from = 2;
  plan.notice = std::move(b.notice);
  plan.hints = std::move(b.hints);
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.status_over_time = true;
  if (run.limits.min_sources > 1) {
    const int64_t n = run.limits.min_sources;
    plan.root = std::make_unique<Filter>(std::move(plan.root), "stated by at least " + std::to_string(n) + " documents",
                                         [&run, n](const Row& r) -> Result<bool> {
                                           if (r.rels.empty()) return true;
                                           PG_ASSIGN_OR_RETURN(StatementRun::Corroboration c, run.CorroborationOf(r.rels.front().id));
                                           return c.documents >= n;
                                         },
                                         &run.guard);
  }
  if (q.by_sources) {
    // ORDER BY SOURCES: every row is kept to be sorted (under the memory bound), keyed by its
    // fact's documents, then publishers; the sort is stable.
    plan.root = std::make_unique<ComputeValues>(std::move(plan.root), "Corroboration (distinct documents, publishers)", [&run](Row* r) -> Status {
      StatementRun::Corroboration c;
      if (!r->rels.empty()) {
        PG_ASSIGN_OR_RETURN(c, run.CorroborationOf(r->rels.front().id));
      }
      r->keys = {Value::Int(c.documents), Value::Int(c.publishers)};
      return Status::OK();
    });
    plan.root = pattern::NewSortOp(std::move(plan.root), {true, true}, "Sort by sources desc, publishers desc", &run.guard, &run.memory);
    plan.corroboration_columns = true;
  }
  return plan;
}

Result<Plan> PlanShow(StatementRun& run, const ShowQuery& s) {
  PG_ASSIGN_OR_RETURN(Entity e, BindName(run, s.name));
  Plan plan;
  plan.title = e.name + " (" + e.type + " #" + std::to_string(e.id) + ")";
  if (!e.aliases.empty()) {
    plan.title += ", also ";
    for (size_t i = 0; i < e.aliases.size(); ++i) plan.title += (i ? ", " : "") + e.aliases[i];
  }
  // The card's relations, read by the one card builder (query/card.h); the rows' evidence is
  // read as every answer's is, under the evidence limit.
  CardOptions options;
  options.with_sources = false;
  // Each relation is charged to the query's memory bound before it is read in.
  options.check = [&run](const Relation& r) -> Status {
    PG_RETURN_IF_ERROR(run.guard.Check());
    return run.memory.Charge(ApproxBytes(Row{{r}, {}, {}, {}, {}, {}, {}}), "the relations of the entity's card");
  };
  PG_ASSIGN_OR_RETURN(EntityCard card, BuildEntityCard(run.store, run.snap, e.id, options));
  std::vector<Row> rows;
  for (CardSection* section : {&card.outgoing, &card.incoming, &card.qualifier_of}) {
    for (CardRelation& r : section->relations) {
      rows.push_back(Row{{std::move(r.relation)}, {}, {}, {}, {}, {}, {}});
    }
  }
  // A claim's card lists the facts it contradicts after what is stored of it.
  if (e.type == "Claim") {
    PG_ASSIGN_OR_RETURN(std::vector<Row> contradicts, ClaimCardRows(run, e.id));
    for (Row& r : contradicts) rows.push_back(std::move(r));
  }
  plan.columns = {"subject", "relation", "object", "qualifiers"};
  plan.optional_columns_from = 2;
  plan.root = std::make_unique<Materialized>("EntityCard " + e.name + " #" + std::to_string(e.id) + ": adjacency out and in, qualifier index",
                                             std::move(rows));
  if (run.st.as_of) plan.root = AsOfFilter(run, std::move(plan.root), *run.st.as_of);
  if (run.Floor() > 0) plan.root = CandidateFilter(run, std::move(plan.root));
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  // Each kept row's values: the relation's ends by name, its type, its qualifiers as text.
  plan.root = std::make_unique<ComputeValues>(std::move(plan.root), "Return " + JoinComma(plan.columns), [&run](Row* row) -> Status {
    if (row->rels.empty()) return Status::OK();  // a claim's CONTRADICTS row comes with its values
    const Relation& r = row->rels.back();
    PG_ASSIGN_OR_RETURN(std::string s, run.Shown(r.subject));
    PG_ASSIGN_OR_RETURN(std::string o, run.Shown(r.object));
    std::string quals;
    for (const Qualifier& q : r.qualifiers) {
      // The first qualifier of the slot, as a question's column shows it.
      const Qualifier* first = r.Find(q.slot);
      std::string value = first->literal;
      if (first->is_node()) {
        PG_ASSIGN_OR_RETURN(value, run.Shown(first->node));
      }
      quals += (quals.empty() ? "" : ", ") + q.slot + ": " + value;
    }
    row->values = {Value::Text(s), Value::Text(r.type), Value::Text(o), Value::Text(quals)};
    return Status::OK();
  });
  plan.mark_disputed = true;
  return plan;
}

Result<Plan> PlanMatchStatement(StatementRun& run, const MatchQuery& m) {
  PG_ASSIGN_OR_RETURN(MatchPlan matched, PlanMatch(m, run));
  Plan plan;
  plan.root = std::move(matched.root);
  plan.columns = std::move(matched.columns);
  plan.notice = std::move(matched.notice);
  // AS OF was applied to the matched rows, before WHERE and RETURN; candidates were left out
  // of every hop (StatementRun::Admitted), so that a path does not go through one.
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  return plan;
}

Result<Plan> PlanForm(StatementRun& run) {
  const Statement& st = run.st;
  if (const auto* q = std::get_if<Question>(&st.body)) return PlanQuestion(run, *q);
  if (const auto* p = std::get_if<PathQuery>(&st.body)) return PlanPath(run, *p);
  if (const auto* s = std::get_if<ShowQuery>(&st.body)) return PlanShow(run, *s);
  if (const auto* m = std::get_if<MatchQuery>(&st.body)) return PlanMatchStatement(run, *m);
  if (const auto* c = std::get_if<ComponentsQuery>(&st.body)) return PlanComponents(run, *c);
  if (const auto* r = std::get_if<RankQuery>(&st.body)) return PlanRank(run, *r);
  if (const auto* nb = std::get_if<NeighbourhoodQuery>(&st.body)) return PlanNeighbourhood(run, *nb);
  if (const auto* tl = std::get_if<TimelineQuery>(&st.body)) return PlanTimeline(run, *tl);
  if (const auto* ch = std::get_if<ChangesQuery>(&st.body)) return PlanChanges(run, *ch);
  if (const auto* cf = std::get_if<ConflictsQuery>(&st.body)) return PlanConflicts(run, *cf);
  return Status::Internal("a statement of no known form after parsing");
}

}  // namespace

std::unique_ptr<Op> AsOfFilter(StatementRun& run, std::unique_ptr<Op> root, const std::string& date) {
  return std::make_unique<Filter>(std::move(root), "as of " + date + ": first stated by then, not ended",
                                  [&run, date](const Row& r) -> Result<bool> {
                                    for (const Relation& rel : r.rels) {
                                      PG_ASSIGN_OR_RETURN(bool v, run.VisibleAt(rel, date));
                                      if (!v) return false;
                                    }
                                    return true;
                                  },
                                  &run.guard);
}

std::unique_ptr<Op> CandidateFilter(StatementRun& run, std::unique_ptr<Op> root) {
  std::ostringstream label;
  label << "confidence >= " << run.limits.min_confidence << " (candidates left out)";
  return std::make_unique<Filter>(std::move(root), label.str(),
                                  [&run](const Row& r) -> Result<bool> {
                                    for (const Relation& rel : r.rels) {
                                      PG_ASSIGN_OR_RETURN(bool ok, run.Admitted(rel.id, /*count=*/true));
                                      if (!ok) return false;
                                    }
                                    return true;
                                  },
                                  &run.guard);
}

Result<Plan> PlanStatement(StatementRun& run) {
  PG_ASSIGN_OR_RETURN(Plan plan, PlanForm(run));
  if (run.st.as_of && !plan.as_of_applied) plan.root = AsOfFilter(run, std::move(plan.root), *run.st.as_of);
  if (!plan.candidates_applied && run.Floor() > 0) plan.root = CandidateFilter(run, std::move(plan.root));
  return plan;
}

}  // namespace pactgraph::query
