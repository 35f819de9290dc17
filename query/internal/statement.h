// What every stage of one statement's run shares: the snapshot it reads, its guard and memory
// budget, the entities and documents it has read, which relations are candidates, what AS OF
// lets through, and the graph projection the engine keeps between statements. The binder, the
// planners and the executor take it by reference; it outlives the plan built from it.
// Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_STATEMENT_H_
#define PACTGRAPH_QUERY_INTERNAL_STATEMENT_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/projection.h"
#include "graph/schema.h"
#include "graph/status.h"
#include "query/ast.h"
#include "query/engine.h"
#include "query/internal/operators.h"
#include "storage/store.h"

namespace pactgraph::query {

// What the engine keeps from one statement to the next, rebuilt when the store changes: the
// projection of the whole graph PATH, RANK and COMPONENTS walk, the scores computed on it, and
// the set of candidate relations.
struct EngineCache {
  std::unique_ptr<GraphProjection> projection;  // built by the first PATH, kept for the next
  uint64_t projection_stamp = 0;                // the store's sequence number when it was built
  float projection_floor = 0;                   // the confidence its relations have at least
  // Per-vertex entity types and whole-graph scores, for the projection of that stamp.
  std::vector<TypeId> vertex_types;
  struct Scores {
    std::vector<double> values;  // per vertex
    std::string note;            // how they were computed, when the answer should say
  };
  std::map<int, Scores> scores;  // RankQuery::By -> scores
  uint64_t derived_stamp = UINT64_MAX;
  // The relations below candidates_threshold as of the store's sequence number candidates_stamp
  // (UINT64_MAX: none kept): read in one pass by a statement that needs many.
  std::unordered_set<RelationId> candidates;
  uint64_t candidates_stamp = UINT64_MAX;
  float candidates_threshold = -1;
};

// The projection kept beside the store's files (graph/projection.h: a derived file, taken only
// when it was saved from the store's present sequence number).
constexpr const char* kProjectionFileName = "pactgraph-projection";
constexpr const char* kTypesFileName = "pactgraph-types";  // each vertex's entity type, the same way
std::string DerivedFilePath(const storage::Store& store, const char* name);  // in the store's folder

// One statement's run. Not thread-safe: one thread runs a statement.
class StatementRun {
 public:
  StatementRun(const storage::Store& store, const Limits& limits, const std::atomic<bool>* cancelled, EngineCache* cache,
               const Statement& statement);

  const storage::Store& store;
  const Schema& schema;
  const Limits limits;
  // The store's sequence number, read before the snapshot is taken: what is built from the
  // snapshot and kept in the engine is at least this new, so a later write always shows.
  const uint64_t stamp;
  const storage::Snapshot snap;
  const Statement& st;
  Guard guard;
  MemoryBudget memory;
  const float threshold;        // Limits::min_confidence
  const bool with_candidates;   // candidates are in the answer, marked

  // ------------------------------------------------------------------------- reads
  // Each entity is read once per statement (MATCH's operators read through it too).
  Result<const Entity*> EntityRef(EntityId id);
  Result<Entity> EntityCopy(EntityId id);
  // How an entity is shown in an answer: its name, a long claim cut at 100 bytes.
  Result<std::string> Shown(EntityId id);
  Result<const Document*> Doc(DocumentId id);

  // ------------------------------------------------------------------------- candidates
  // The confidence below which relations are left out: 0 when candidates are asked for.
  float Floor() const { return with_candidates ? 0.0f : threshold; }
  // True when relation `id` is a candidate: its best source is below the threshold.
  Result<bool> IsCandidate(RelationId id);
  // Whether relation `id` may be in this statement's answer. With `count`, a candidate left out
  // is counted for the answer's notice (only where a row is dropped for it, not where a walk
  // merely passes it by).
  Result<bool> Admitted(RelationId id, bool count = false);
  // Every candidate relation of the store, kept in the engine until the store or threshold changes.
  Result<const std::unordered_set<RelationId>*> CandidateSet();
  // The candidates counted by Admitted(id, true).
  size_t left_out() const { return left_out_.size(); }

  // ------------------------------------------------------------------------- AS OF
  // Whether relation `r` was first stated by `date` and had not ended then.
  Result<bool> VisibleAt(const Relation& r, const std::string& date);
  // Every relation visible at `date`, from one pass over the sources.
  Result<std::unordered_set<RelationId>> VisibleRelations(const std::string& date);

  // ------------------------------------------------------------------------- corroboration
  // How many independent sources state relation `id`: distinct documents (a story carried under
  // several addresses is one document) and distinct publishers (a document without one counts
  // as its own). With AS OF, the documents dated by then. Read once per relation and statement.
  struct Corroboration {
    int64_t documents = 0, publishers = 0;
  };
  Result<Corroboration> CorroborationOf(RelationId id);

  // ------------------------------------------------------------------------- projection
  // The engine's projection of the whole graph, built on first use and again when the store
  // has changed since.
  Result<const GraphProjection*> Projection();
  // A projection of the relations visible at `as_of` (null: all), candidates left out.
  Result<std::unique_ptr<GraphProjection>> BuildProjection(const std::string* as_of);
  // The projection a whole-graph statement works on: the store's as of the statement's date
  // (held in `dated`), else the engine's cached one.
  Result<const GraphProjection*> ProjectionFor(std::unique_ptr<GraphProjection>* dated);
  // Each vertex's entity type (0xFFFF for an id with no entity), read once per projection.
  Result<const std::vector<TypeId>*> VertexTypes(const GraphProjection* g);
  // The entity type of ids 0..n-1 (0xFFFF where there is none), from the store.
  Result<std::vector<TypeId>> ReadVertexTypes(size_t n);
  // The scores kept with the engine's projection (null for a dated projection).
  std::map<int, EngineCache::Scores>* CachedScores(const GraphProjection* g) {
    return g == cache_->projection.get() ? &cache_->scores : nullptr;
  }

 private:
  Result<float> BestConfidence(RelationId id);
  bool CandidateSetKnown() const;
  Result<std::string> FirstSeen(RelationId id);
  void Derived(const GraphProjection* g);

  EngineCache* cache_;
  std::unordered_map<RelationId, float> best_confidence_;
  size_t lookups_ = 0;  // relations whose sources were read one by one
  std::unordered_set<RelationId> left_out_;
  std::unordered_map<EntityId, std::shared_ptr<const Entity>> entities_;  // shared with the record cache
  std::unordered_map<DocumentId, Document> docs_;
  std::unordered_map<RelationId, Corroboration> corroboration_;
};

// Relations that ended (until on or before `date`) or had not begun (since after it) by `date`.
bool EndedBy(const Relation& r, const std::string& date);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_STATEMENT_H_
