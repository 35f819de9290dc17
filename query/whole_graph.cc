// The whole-graph forms: PATH, PATHS, PATH WEIGHTED, COMPONENTS, RANK and NEIGHBOURHOOD, each
// computed over the graph projection (Boost.Graph) while planning and handed to the executor as
// materialised rows. A dated projection (AS OF) and the projection's leaving out of candidates
// apply both filters already.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>

#include "graph/projection.h"
#include "graph/text.h"
#include "query/internal/binder.h"
#include "query/internal/planner.h"
#include "query/lexer.h"

namespace pactgraph::query {
namespace {

// One step of a path as values (from, relation, to) with the relation for its evidence.
Result<Row> StepRow(StatementRun& run, const PathStep& s) {
  PG_ASSIGN_OR_RETURN(Relation r, run.store.GetRelation(run.snap, s.relation));
  PG_ASSIGN_OR_RETURN(std::string from, run.Shown(s.from));
  PG_ASSIGN_OR_RETURN(std::string to, run.Shown(s.to));
  Row row;
  row.values = {Value::Text(from), Value::Text(s.forward ? r.type + " ->" : "<- " + r.type), Value::Text(to)};
  row.rels.push_back(std::move(r));
  return row;
}

// PATHS A TO B: every shortest path (at most 100), one row per step, numbered by path.
Result<Plan> PlanAllPaths(StatementRun& run, const PathQuery& p, const Entity& from, const Entity& to, const std::vector<TypeId>& types,
                        const GraphProjection* g) {
  Plan plan;
  bool more = false;
  const size_t cap = std::min<uint64_t>(100, run.limits.max_rows);
  std::vector<std::vector<PathStep>> paths = g->AllShortestPaths(from.id, to.id, p.max_hops, types, cap, &more);
  std::vector<Row> rows;
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t k = 0; k < paths[i].size(); ++k) {
      PG_RETURN_IF_ERROR(run.guard.Check());
      PG_ASSIGN_OR_RETURN(Row row, StepRow(run, paths[i][k]));
      row.values.insert(row.values.begin(), {Value::Int(static_cast<int64_t>(i + 1)), Value::Int(static_cast<int64_t>(k + 1))});
      rows.push_back(std::move(row));
    }
  }
  if (paths.empty()) {
    plan.notice = "no path from \"" + from.name + "\" to \"" + to.name + "\" of at most " + std::to_string(p.max_hops) + " relations";
  } else {
    plan.notice = WithThousands(paths.size()) + " shortest path" + (paths.size() == 1 ? "" : "s") + " of " +
                std::to_string(paths.front().size()) + " relation" + (paths.front().size() == 1 ? "" : "s") +
                (more ? "; stopped at " + WithThousands(cap) + " paths" : "");
  }
  plan.columns = {"path", "step", "from", "relation", "to"};
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.mark_disputed = true;
  plan.root = std::make_unique<Materialized>(
      "AllShortestPaths (breadth-first, Boost.Graph) " + from.name + " to " + to.name + " max " + std::to_string(p.max_hops), std::move(rows));
  return plan;
}

// PATH WEIGHTED A TO B: the most trusted path, Dijkstra over -ln(confidence) of each relation
// (its best source's confidence).
Result<Plan> PlanWeightedPath(StatementRun& run, const PathQuery& p, const Entity& from, const Entity& to, const std::vector<TypeId>& types,
                            const GraphProjection* g) {
  Plan plan;
  Status failed;
  auto weight = [&](RelationId r) {
    double best = 0;
    Result<std::vector<Provenance>> sources = run.store.GetProvenance(run.snap, r);
    if (!sources.ok()) {
      failed = sources.status();
    } else {
      for (const Provenance& pv : *sources) best = std::max(best, static_cast<double>(pv.confidence));
    }
    best = std::clamp(best, 1e-6, 1.0);
    return -std::log(best) + 1e-9;  // a certain relation still costs a little: fewer steps win ties
  };
  std::optional<std::vector<PathStep>> path = g->LightestPath(from.id, to.id, types, weight);
  PG_RETURN_IF_ERROR(failed);
  std::vector<Row> rows;
  double trust = 1;
  if (path) {
    if (static_cast<int>(path->size()) > p.max_hops) {
      plan.notice = "the most trusted path has " + std::to_string(path->size()) + " relations, more than MAX " + std::to_string(p.max_hops);
      path.reset();
    }
  }
  if (path) {
    for (const PathStep& s : *path) {
      PG_ASSIGN_OR_RETURN(Row row, StepRow(run, s));
      row.values.insert(row.values.begin(), Value::Int(static_cast<int64_t>(rows.size() + 1)));
      trust *= std::exp(-weight(s.relation));
      rows.push_back(std::move(row));
    }
    std::ostringstream n;
    n.precision(3);
    n << "the product of the relations' confidence along the path is " << trust;
    plan.notice = n.str();
  } else if (plan.notice.empty()) {
    plan.notice = "no path from \"" + from.name + "\" to \"" + to.name + "\"";
  }
  plan.columns = {"step", "from", "relation", "to"};
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.mark_disputed = true;
  plan.root = std::make_unique<Materialized>(
      "LightestPath (Dijkstra, Boost.Graph; weight -ln confidence) " + from.name + " to " + to.name, std::move(rows));
  return plan;
}

}  // namespace

Result<Plan> PlanPath(StatementRun& run, const PathQuery& p) {
  Plan plan;
  PG_ASSIGN_OR_RETURN(Entity from, BindName(run, p.from));
  PG_ASSIGN_OR_RETURN(Entity to, BindName(run, p.to));
  if (p.max_hops < 1 || p.max_hops > run.limits.max_path_hops) {
    return ErrorAt(p.max_pos, Status::InvalidArgument("MAX must be from 1 to " + std::to_string(run.limits.max_path_hops) +
                                                      " (the path-length limit; " + run.limits.hints.hops + ")"));
  }
  std::vector<TypeId> types;
  for (const std::string& v : p.via) types.push_back(run.schema.FindRelationType(v)->id);
  const GraphProjection* g = nullptr;
  std::unique_ptr<GraphProjection> dated;
  if (run.st.as_of) {
    PG_ASSIGN_OR_RETURN(dated, run.BuildProjection(&*run.st.as_of));
    g = dated.get();
  } else {
    PG_ASSIGN_OR_RETURN(g, run.Projection());
  }
  if (p.all) return PlanAllPaths(run, p, from, to, types, g);
  if (p.weighted) return PlanWeightedPath(run, p, from, to, types, g);
  size_t visited = 0;
  std::optional<std::vector<PathStep>> path = g->ShortestPath(from.id, to.id, p.max_hops, types, &visited);
  std::vector<Row> rows;
  if (path) {
    for (const PathStep& s : *path) {
      PG_ASSIGN_OR_RETURN(Row row, StepRow(run, s));
      row.values.insert(row.values.begin(), Value::Int(static_cast<int64_t>(rows.size() + 1)));
      rows.push_back(std::move(row));
    }
  } else {
    plan.notice = "no path from \"" + from.name + "\" to \"" + to.name + "\" of at most " + std::to_string(p.max_hops) +
                " relation" + (p.max_hops == 1 ? "" : "s") + (p.via.empty() ? "" : " of the types asked");
  }
  plan.columns = {"step", "from", "relation", "to"};
  plan.optional_columns_from = 2;
  std::string label = "ShortestPath (breadth-first, Boost.Graph) " + from.name + " to " + to.name + " max " +
                      std::to_string(p.max_hops) + (p.via.empty() ? "" : " via " + JoinComma(p.via)) + "   over " +
                      WithThousands(g->num_edges()) + " relations; " + WithThousands(visited) + " entities reached";
  // AS OF is applied while building the projection, not again on the rows.
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.mark_disputed = true;
  plan.root = std::make_unique<Materialized>(label, std::move(rows));
  return plan;
}

Result<Plan> PlanComponents(StatementRun& run, const ComponentsQuery& c) {
  Plan plan;
  std::unique_ptr<GraphProjection> dated;
  PG_ASSIGN_OR_RETURN(const GraphProjection* g, run.ProjectionFor(&dated));
  PG_ASSIGN_OR_RETURN(const std::vector<TypeId>* types, run.VertexTypes(g));
  std::vector<bool> wanted(0x10000, c.types.empty());
  for (const std::string& t : c.types) wanted[run.schema.FindEntityType(t)->id] = true;
  std::vector<bool> keep(types->size());
  for (size_t v = 0; v < keep.size(); ++v) keep[v] = (*types)[v] != 0xFFFF && wanted[(*types)[v]];
  const std::vector<uint32_t> comp = g->Components(keep);
  const std::vector<uint64_t> degree = g->Degree();
  // Members by component; each component's best-connected members as its examples.
  std::unordered_map<uint32_t, std::vector<EntityId>> members;
  for (size_t v = 0; v < comp.size(); ++v) {
    if (comp[v] != UINT32_MAX) members[comp[v]].push_back(v);
  }
  std::vector<std::vector<EntityId>*> groups;
  for (auto& [root, list] : members) groups.push_back(&list);
  std::sort(groups.begin(), groups.end(), [](const auto* x, const auto* y) {
    return x->size() != y->size() ? x->size() > y->size() : x->front() < y->front();
  });
  size_t singles = 0;
  for (const auto* gr : groups) singles += gr->size() == 1;
  const uint64_t want = std::min<uint64_t>(run.st.limit.value_or(run.limits.max_rows), run.limits.max_rows);
  std::vector<Row> rows;
  for (size_t i = 0; i < groups.size() && rows.size() < want; ++i) {
    PG_RETURN_IF_ERROR(run.guard.Check());
    std::vector<EntityId>& list = *groups[i];
    std::partial_sort(list.begin(), list.begin() + std::min<size_t>(5, list.size()), list.end(),
                      [&](EntityId x, EntityId y) { return degree[x] != degree[y] ? degree[x] > degree[y] : x < y; });
    std::string examples;
    for (size_t k = 0; k < std::min<size_t>(5, list.size()); ++k) {
      PG_ASSIGN_OR_RETURN(std::string name, run.Shown(list[k]));
      examples += (k ? ", " : "") + name;
    }
    if (list.size() > 5) examples += ", …";
    Row row;
    row.values = {Value::Int(static_cast<int64_t>(i + 1)), Value::Int(static_cast<int64_t>(list.size())), Value::Text(examples)};
    rows.push_back(std::move(row));
  }
  plan.columns = {"component", "entities", "best connected"};
  plan.notice = WithThousands(groups.size()) + " components (" + WithThousands(singles) + " of a single entity)" +
              (c.types.empty() ? "" : " among the entities of type " + JoinComma(c.types));
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.root = std::make_unique<Materialized>(
      "ConnectedComponents (union-find, Boost.Graph disjoint_sets) over " + WithThousands(g->num_edges()) + " relations", std::move(rows));
  return plan;
}

Result<Plan> PlanRank(StatementRun& run, const RankQuery& r) {
  Plan plan;
  std::unique_ptr<GraphProjection> dated;
  PG_ASSIGN_OR_RETURN(const GraphProjection* g, run.ProjectionFor(&dated));
  PG_ASSIGN_OR_RETURN(const std::vector<TypeId>* types, run.VertexTypes(g));
  // Scores are kept with the engine's projection; a dated projection's are computed each time.
  const int key = static_cast<int>(r.by);
  EngineCache::Scores local;
  const EngineCache::Scores* scores = nullptr;
  std::map<int, EngineCache::Scores>* kept = run.CachedScores(g);
  if (kept) {
    if (auto it = kept->find(key); it != kept->end()) scores = &it->second;
  }
  if (!scores) {
    EngineCache::Scores computed;
    if (r.by == RankQuery::By::kPageRank) {
      computed.values = g->PageRank(20);
    } else if (r.by == RankQuery::By::kDegree) {
      const std::vector<uint64_t> d = g->Degree();
      computed.values.assign(d.begin(), d.end());
    } else {
      bool sampled = false;
      computed.values = g->Betweenness(5000, 256, 42, &sampled);
      if (sampled) computed.note = "betweenness estimated from 256 sampled source entities (the graph has more than 5,000 with relations)";
    }
    scores = kept ? &((*kept)[key] = std::move(computed)) : &(local = std::move(computed));
  }
  const TypeId want_type = run.schema.FindEntityType(r.type)->id;
  std::vector<EntityId> candidates;
  for (size_t v = 0; v < types->size() && v < scores->values.size(); ++v) {
    if ((*types)[v] == want_type) candidates.push_back(v);
  }
  const uint64_t want = std::min<uint64_t>(run.st.limit.value_or(10), run.limits.max_rows);
  const size_t top = std::min<size_t>(want, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + top, candidates.end(), [&](EntityId x, EntityId y) {
    return scores->values[x] != scores->values[y] ? scores->values[x] > scores->values[y] : x < y;
  });
  std::vector<Row> rows;
  for (size_t i = 0; i < top; ++i) {
    PG_ASSIGN_OR_RETURN(std::string name, run.Shown(candidates[i]));
    Row row;
    const double sc = scores->values[candidates[i]];
    Value score;
    if (r.by == RankQuery::By::kDegree) {
      score = Value::Int(static_cast<int64_t>(sc));
    } else {
      std::ostringstream o;
      o.precision(4);
      o << sc;
      score = Value::Text(o.str());
    }
    row.values = {Value::Int(static_cast<int64_t>(i + 1)), Value::Text(name), std::move(score)};
    rows.push_back(std::move(row));
  }
  const char* by = r.by == RankQuery::By::kPageRank ? "pagerank" : r.by == RankQuery::By::kDegree ? "degree" : "betweenness";
  plan.columns = {"rank", r.type, by};
  if (!scores->note.empty()) plan.notice = scores->note;
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  const char* how = r.by == RankQuery::By::kPageRank ? "PageRank (Boost.Graph page_rank, 20 rounds, damping 0.85)"
                    : r.by == RankQuery::By::kDegree ? "Degree (relations either way)"
                                                       : "Betweenness (Brandes, Boost.Graph)";
  plan.root = std::make_unique<Materialized>(std::string("Rank ") + r.type + " by " + how, std::move(rows));
  return plan;
}

Result<Plan> PlanNeighbourhood(StatementRun& run, const NeighbourhoodQuery& nb) {
  Plan plan;
  PG_ASSIGN_OR_RETURN(Entity e, BindName(run, nb.name));
  if (nb.depth < 1 || nb.depth > run.limits.max_path_hops) {
    return Status::InvalidArgument("DEPTH must be from 1 to " + std::to_string(run.limits.max_path_hops));
  }
  std::unique_ptr<GraphProjection> dated;
  PG_ASSIGN_OR_RETURN(const GraphProjection* g, run.ProjectionFor(&dated));
  const uint64_t want = std::min<uint64_t>(run.st.limit.value_or(run.limits.max_rows), run.limits.max_rows);
  std::vector<GraphProjection::Reached> reached = g->Neighbourhood(e.id, nb.depth, want + 1);
  std::vector<Row> rows;
  for (const auto& rc : reached) {
    if (!rc.via) continue;  // the start itself
    PG_RETURN_IF_ERROR(run.guard.Check());
    PG_ASSIGN_OR_RETURN(const Entity* ent, run.EntityRef(rc.id));
    PG_ASSIGN_OR_RETURN(Row row, StepRow(run, *rc.via));
    // Read left to right: "Novell  SUPPORTS ->  Windows Server", the entity reached last.
    row.values = {Value::Int(rc.depth), row.values[0], row.values[1], Value::Text(ent->name), Value::Text(ent->type)};
    rows.push_back(std::move(row));
  }
  plan.columns = {"depth", "from", "relation", "entity", "type"};
  plan.notice = WithThousands(rows.size()) + " entities within " + std::to_string(nb.depth) + " relation" + (nb.depth == 1 ? "" : "s") +
              " of \"" + e.name + "\"";
  plan.as_of_applied = true;
  plan.candidates_applied = true;
  plan.mark_disputed = true;
  plan.root = std::make_unique<Materialized>(
      "Neighbourhood (breadth-first, Boost.Graph) of " + e.name + " depth " + std::to_string(nb.depth), std::move(rows));
  return plan;
}

}  // namespace pactgraph::query
