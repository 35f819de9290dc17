#include "query/internal/statement.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "query/card.h"

namespace pactgraph::query {
namespace {

// A statement reads the sources of this many relations one by one before it reads them all in
// one pass: a question needs a few, a MATCH over the graph many more (a pass over 100,000
// relations' sources takes about what 5,000 lookups do).
constexpr size_t kLookupsBeforeScan = 4096;

}  // namespace

StatementRun::StatementRun(const storage::Store& store_in, const Limits& limits_in, const std::atomic<bool>* cancelled,
                           EngineCache* cache, const Statement& statement)
    : store(store_in),
      schema(store_in.schema()),
      limits(limits_in),
      stamp(store_in.LatestSequence()),
      snap(store_in.GetSnapshot()),
      st(statement),
      guard(Clock::now() + std::chrono::microseconds(static_cast<int64_t>(limits_in.timeout_s * 1e6)), cancelled,
            limits_in.timeout_s, limits_in.hints.timeout),
      memory(limits_in.max_memory_bytes, limits_in.hints.memory),
      threshold(static_cast<float>(limits_in.min_confidence)),
      with_candidates(statement.candidates || limits_in.candidates),
      cache_(cache) {}

// --------------------------------------------------------------------------- reads

Result<const Entity*> StatementRun::EntityRef(EntityId id) {
  auto it = entities_.find(id);
  if (it == entities_.end()) {
    PG_ASSIGN_OR_RETURN(std::shared_ptr<const Entity> e, store.GetEntityShared(snap, id));
    // Charged in full: the statement keeps the record alive even when the cache lets it go.
    PG_RETURN_IF_ERROR(memory.Charge(ApproxBytes(*e), "the entities it reads"));
    it = entities_.emplace(id, std::move(e)).first;
  }
  return it->second.get();
}

Result<Entity> StatementRun::EntityCopy(EntityId id) {
  PG_ASSIGN_OR_RETURN(const Entity* e, EntityRef(id));
  return *e;
}

Result<std::string> StatementRun::Shown(EntityId id) {
  PG_ASSIGN_OR_RETURN(const Entity* ent, EntityRef(id));
  const Entity& e = *ent;
  if (e.type == "Claim" && e.name.size() > 100) {
    size_t cut = 100;
    while (cut > 0 && (static_cast<unsigned char>(e.name[cut]) & 0xC0) == 0x80) --cut;
    return e.name.substr(0, cut) + "...";
  }
  return e.name;
}

Result<const Document*> StatementRun::Doc(DocumentId id) {
  auto it = docs_.find(id);
  if (it == docs_.end()) {
    PG_ASSIGN_OR_RETURN(Document d, store.GetDocument(snap, id));
    PG_RETURN_IF_ERROR(memory.Charge(kNodeOverhead + sizeof(Document) + OwnedBytes(d.key) + OwnedBytes(d.kind) +
                                         OwnedBytes(d.title) + OwnedBytes(d.publisher) + OwnedBytes(d.date) +
                                         OwnedBytes(d.url) + OwnedBytes(d.text) + OwnedBytes(d.content_hash),
                                     "the documents its evidence quotes"));
    it = docs_.emplace(id, std::move(d)).first;
  }
  return &it->second;
}

// --------------------------------------------------------------------------- candidates

// The highest confidence among relation `id`'s sources, read once per statement.
Result<float> StatementRun::BestConfidence(RelationId id) {
  if (auto it = best_confidence_.find(id); it != best_confidence_.end()) return it->second;
  ++lookups_;
  PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store.GetProvenance(snap, id));
  float best = 0;
  for (const Provenance& p : sources) best = std::max(best, p.confidence);
  PG_RETURN_IF_ERROR(memory.Charge(kNodeOverhead, "the confidence of the relations it reads"));
  best_confidence_.emplace(id, best);
  return best;
}

// Compared as floats, the confidences' own type, so that a threshold of 0.7 keeps a fact of
// 0.7. A question looks its few relations up one by one; a statement that has looked up many
// (a MATCH over much of the graph) reads every source once instead, into the engine's set.
Result<bool> StatementRun::IsCandidate(RelationId id) {
  if (threshold <= 0) return false;
  if (CandidateSetKnown() || lookups_ >= kLookupsBeforeScan) {
    PG_ASSIGN_OR_RETURN(const std::unordered_set<RelationId>* set, CandidateSet());
    return set->count(id) > 0;
  }
  PG_ASSIGN_OR_RETURN(float best, BestConfidence(id));
  return best < threshold;
}

Result<bool> StatementRun::Admitted(RelationId id, bool count) {
  if (Floor() <= 0) return true;
  PG_ASSIGN_OR_RETURN(bool candidate, IsCandidate(id));
  if (candidate && count && left_out_.insert(id).second) {
    PG_RETURN_IF_ERROR(memory.Charge(kNodeOverhead, "the candidates it leaves out"));
  }
  return !candidate;
}

bool StatementRun::CandidateSetKnown() const {
  return cache_->candidates_stamp == stamp && cache_->candidates_threshold == threshold;
}

// One pass over the sources, in relation order, so each relation's best confidence is known
// when its last source has been read.
Result<const std::unordered_set<RelationId>*> StatementRun::CandidateSet() {
  if (CandidateSetKnown()) return &cache_->candidates;
  cache_->candidates_stamp = UINT64_MAX;
  cache_->candidates.clear();
  std::unordered_set<RelationId>& out = cache_->candidates;
  RelationId at = 0;
  float best = 0;
  size_t n = 0;
  auto close = [&] {
    if (at != 0 && best < threshold) out.insert(at);
  };
  Status stopped;
  PG_RETURN_IF_ERROR(store.ForEachProvenance(snap, [&](RelationId r, const Provenance& p) {
    if (r != at) {
      close();
      at = r;
      best = 0;
    }
    best = std::max(best, p.confidence);
    if ((++n & 0xFFF) == 0) stopped = guard.Check();
    return stopped.ok();
  }));
  PG_RETURN_IF_ERROR(stopped);
  close();
  cache_->candidates_stamp = stamp;
  cache_->candidates_threshold = threshold;
  return &cache_->candidates;
}

// --------------------------------------------------------------------------- AS OF

bool EndedBy(const Relation& r, const std::string& date) {
  const Qualifier* since = r.Find("since");
  if (since && !since->literal.empty() && since->literal > date) return true;
  const Qualifier* until = r.Find("until");
  return until && !until->literal.empty() && until->literal <= date;
}

// The earliest dated source of each relation.
Result<std::string> StatementRun::FirstSeen(RelationId id) {
  PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store.GetProvenance(snap, id));
  std::string first;
  for (const Provenance& p : sources) {
    PG_ASSIGN_OR_RETURN(const Document* d, Doc(p.document));
    if (!d->date.empty() && (first.empty() || d->date < first)) first = d->date;
  }
  return first;
}

Result<bool> StatementRun::VisibleAt(const Relation& r, const std::string& date) {
  if (EndedBy(r, date)) return false;
  PG_ASSIGN_OR_RETURN(std::string first, FirstSeen(r.id));
  return !first.empty() && first <= date;
}

Result<std::unordered_set<RelationId>> StatementRun::VisibleRelations(const std::string& date) {
  std::unordered_set<RelationId> out;
  std::unordered_map<DocumentId, std::string> dates;
  PG_RETURN_IF_ERROR(store.ForEachDocument(snap, [&](const Document& d) {
    dates[d.id] = d.date;
    return true;
  }));
  PG_RETURN_IF_ERROR(memory.Charge(dates.size() * (kNodeOverhead + sizeof(std::string)), "the dates of the documents"));
  Status held;
  PG_RETURN_IF_ERROR(store.ForEachProvenance(snap, [&](RelationId r, const Provenance& p) {
    const std::string& d = dates[p.document];
    if (!d.empty() && d <= date && out.insert(r).second) held = memory.Charge(kNodeOverhead, "the relations visible AS OF " + date);
    return held.ok();
  }));
  PG_RETURN_IF_ERROR(held);
  // Relations that ended (or had not begun) by then.
  std::vector<RelationId> ended;
  for (RelationId id : out) {
    PG_ASSIGN_OR_RETURN(Relation r, store.GetRelation(snap, id));
    if (EndedBy(r, date)) ended.push_back(id);
  }
  for (RelationId id : ended) out.erase(id);
  return out;
}

// --------------------------------------------------------------------------- corroboration

Result<StatementRun::Corroboration> StatementRun::CorroborationOf(RelationId id) {
  if (auto it = corroboration_.find(id); it != corroboration_.end()) return it->second;
  PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store.GetProvenance(snap, id));
  SourceCounter counter;
  for (const Provenance& p : sources) {
    PG_ASSIGN_OR_RETURN(const Document* d, Doc(p.document));
    if (st.as_of && (d->date.empty() || d->date > *st.as_of)) continue;
    counter.Add(*d);
  }
  Corroboration c{counter.documents(), counter.publishers()};
  PG_RETURN_IF_ERROR(memory.Charge(kNodeOverhead, "the sources it counts"));
  corroboration_.emplace(id, c);
  return c;
}

// --------------------------------------------------------------------------- projection

std::string DerivedFilePath(const storage::Store& store, const char* name) { return store.dir() + "/" + name; }

Result<const GraphProjection*> StatementRun::Projection() {
  const float floor = Floor();
  if (!cache_->projection || cache_->projection_stamp != stamp || cache_->projection_floor != floor) {
    cache_->projection.reset();  // the old one goes before the new one is read or built
    // The projection another process (or this one, earlier) saved from this very state of the
    // store, if there is one; else built from the adjacency keys and saved for the next.
    const std::string path = DerivedFilePath(store, kProjectionFileName);
    // Keyed by the snapshot's own sequence number: the file holds exactly what this view sees.
    const GraphProjection::FileStamp file_stamp{snap.sequence(), floor};
    Result<std::unique_ptr<GraphProjection>> kept = GraphProjection::Load(path, file_stamp);
    if (kept.ok()) {
      cache_->projection = std::move(*kept);
    } else {
      PG_ASSIGN_OR_RETURN(cache_->projection, BuildProjection(nullptr));
      // Saving is an optimisation: a full disk or a folder this process may not write to
      // only means the next process builds it again.
      const uint64_t bytes = 64 + 8 * (cache_->projection->num_vertices() + 1) + 32 * cache_->projection->num_edges();
      if (store.CheckFreeSpace(bytes).ok()) (void)cache_->projection->Save(path, file_stamp);
    }
    cache_->projection_stamp = stamp;
    cache_->projection_floor = floor;
    cache_->derived_stamp = UINT64_MAX;  // scores of the projection before are not this one's
  }
  return cache_->projection.get();
}

Status Engine::CheckDerivedFiles(storage::CheckReport* report) {
  PG_RETURN_IF_ERROR(CheckTypesFile(report));
  const std::string path = DerivedFilePath(store_, kProjectionFileName);
  Result<GraphProjection::FileStamp> stamp = GraphProjection::ReadStamp(path);
  if (stamp.status().code() == StatusCode::kNotFound) return Status::OK();
  if (!stamp.ok()) {
    report->problems.push_back("the projection file: " + stamp.status().message());
    return Status::OK();
  }
  // Built as a statement at the file's confidence floor would build it.
  Limits limits = limits_;
  limits.min_confidence = stamp->floor;
  limits.candidates = false;
  limits.timeout_s = kTimeoutAtMostS;
  EngineCache scratch;
  const Statement statement;
  StatementRun run(store_, limits, &cancelled_, &scratch, statement);
  // Stale (never taken, replaced by the next build) unless it is of the very state this view
  // sees; then the two are built from the same writes and must agree.
  if (stamp->sequence != run.snap.sequence()) return Status::OK();
  Result<std::unique_ptr<GraphProjection>> kept = GraphProjection::Load(path, *stamp);
  if (!kept.ok()) {
    report->problems.push_back("the projection file: " + kept.status().message());
    return Status::OK();
  }
  PG_ASSIGN_OR_RETURN(std::unique_ptr<GraphProjection> built, run.BuildProjection(nullptr));
  report->records += (*kept)->num_edges();
  if (const std::string diff = (*kept)->DifferenceFrom(*built); !diff.empty()) {
    report->problems.push_back("the projection file " + path + " disagrees with the store: " + diff);
  }
  return Status::OK();
}

Status Engine::CheckTypesFile(storage::CheckReport* report) {
  const std::string path = DerivedFilePath(store_, kTypesFileName);
  EngineCache scratch;
  const Statement statement;
  Limits limits = limits_;
  limits.timeout_s = kTimeoutAtMostS;
  StatementRun run(store_, limits, &cancelled_, &scratch, statement);
  Result<std::vector<TypeId>> kept = LoadVertexTypes(path, run.snap.sequence());
  if (kept.status().code() == StatusCode::kNotFound) return Status::OK();  // none, or stale
  if (!kept.ok()) {
    report->problems.push_back("the file of entity types: " + kept.status().message());
    return Status::OK();
  }
  PG_ASSIGN_OR_RETURN(std::vector<TypeId> types, run.ReadVertexTypes(kept->size()));
  report->records += kept->size();
  for (size_t id = 0; id < types.size(); ++id) {
    if (types[id] != (*kept)[id]) {
      report->problems.push_back("the file of entity types " + path + " disagrees with the store at entity #" + std::to_string(id));
      break;
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<GraphProjection>> StatementRun::BuildProjection(const std::string* as_of) {
  std::vector<ProjectedEdge> edges;
  EntityId max_id = 0;
  std::unordered_set<RelationId> visible;
  if (as_of) {
    PG_ASSIGN_OR_RETURN(visible, VisibleRelations(*as_of));
  }
  const std::unordered_set<RelationId> none;
  const std::unordered_set<RelationId>* candidates = &none;
  if (Floor() > 0) {
    PG_ASSIGN_OR_RETURN(candidates, CandidateSet());
  }
  // The adjacency keys read by as many threads as there are cores (at most four), each into its
  // own list; the lists joined in order are the keys in order, as one reader would have seen them.
  const size_t parts = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<std::vector<ProjectedEdge>> lists(parts);
  std::vector<EntityId> max_ids(parts, 0);
  PG_RETURN_IF_ERROR(store.ForEachEdgeKeyInParts(snap, parts, [&](size_t part, EntityId s, TypeId t, EntityId o, RelationId r) {
    if (as_of && !visible.count(r)) return;
    if (candidates->count(r)) return;
    lists[part].push_back({s, t, o, r});
    max_ids[part] = std::max({max_ids[part], s, o});
  }));
  edges = std::move(lists[0]);
  for (size_t part = 1; part < parts; ++part) {
    edges.insert(edges.end(), lists[part].begin(), lists[part].end());
    std::vector<ProjectedEdge>().swap(lists[part]);
  }
  for (EntityId m : max_ids) max_id = std::max(max_id, m);
  return std::make_unique<GraphProjection>(max_id, edges);
}

Result<const GraphProjection*> StatementRun::ProjectionFor(std::unique_ptr<GraphProjection>* dated) {
  if (st.as_of) {
    PG_ASSIGN_OR_RETURN(*dated, BuildProjection(&*st.as_of));
    return dated->get();
  }
  return Projection();
}

// Cached results follow the engine's projection; a dated projection gets none.
void StatementRun::Derived(const GraphProjection* g) {
  if (g != cache_->projection.get()) {
    cache_->vertex_types.clear();
    cache_->scores.clear();
    cache_->derived_stamp = UINT64_MAX;
    return;
  }
  if (cache_->derived_stamp != cache_->projection_stamp) {
    cache_->vertex_types.clear();
    cache_->scores.clear();
    cache_->derived_stamp = cache_->projection_stamp;
  }
}

Result<std::vector<TypeId>> StatementRun::ReadVertexTypes(size_t n) {
  std::vector<TypeId> types(n, 0xFFFF);
  PG_RETURN_IF_ERROR(store.ForEachEntity(snap, [&](const Entity& e) {
    const EntityTypeDef* t = schema.FindEntityType(e.type);
    if (t && e.id < types.size()) types[e.id] = t->id;
    return true;
  }));
  return types;
}

Result<const std::vector<TypeId>*> StatementRun::VertexTypes(const GraphProjection* g) {
  Derived(g);
  if (cache_->vertex_types.empty()) {
    // The engine's projection has its types in a file beside it when one was saved from this
    // very state; a dated projection, or one of another size, reads them from the store.
    const bool engines = g == cache_->projection.get();
    const std::string path = DerivedFilePath(store, kTypesFileName);
    if (engines) {
      Result<std::vector<TypeId>> kept = LoadVertexTypes(path, snap.sequence());
      if (kept.ok() && kept->size() == g->num_vertices()) cache_->vertex_types = std::move(*kept);
    }
    if (cache_->vertex_types.empty()) {
      PG_ASSIGN_OR_RETURN(cache_->vertex_types, ReadVertexTypes(g->num_vertices()));
      if (engines && store.CheckFreeSpace(64 + 2 * cache_->vertex_types.size()).ok()) {
        (void)SaveVertexTypes(path, snap.sequence(), cache_->vertex_types);
      }
    }
  }
  return &cache_->vertex_types;
}

}  // namespace pactgraph::query
