// An in-memory projection of the graph for whole-graph work, on Boost.Graph: a compressed
// sparse row graph over entity ids holding every relation in both directions, so that walks
// may follow relations either way. Built from a list of (subject, type, object, relation).
#ifndef PACTGRAPH_GRAPH_PROJECTION_H_
#define PACTGRAPH_GRAPH_PROJECTION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/model.h"
#include "graph/schema.h"
#include "graph/status.h"

namespace pactgraph {

struct ProjectedEdge {
  EntityId subject = 0;
  TypeId type = 0;
  EntityId object = 0;
  RelationId relation = 0;
};

// One step of a path: the relation, and whether it was walked from subject to object.
struct PathStep {
  RelationId relation = 0;
  TypeId type = 0;
  EntityId from = 0;
  EntityId to = 0;
  bool forward = true;
};

class GraphProjection {
 public:
  // `max_id` is the largest entity id that may appear (vertices are 0..max_id).
  GraphProjection(EntityId max_id, const std::vector<ProjectedEdge>& edges);
  ~GraphProjection();
  GraphProjection(const GraphProjection&) = delete;
  GraphProjection& operator=(const GraphProjection&) = delete;

  size_t num_vertices() const;
  size_t num_edges() const;  // each relation counted once

  // A shortest path from `from` to `to` of at most `max_hops` relations, following relations in
  // either direction, only of the types in `types` (every type when empty). Breadth-first
  // search; nullopt when there is none within the bound. `visited` gets the vertices reached.
  std::optional<std::vector<PathStep>> ShortestPath(EntityId from, EntityId to, int max_hops,
                                                    const std::vector<TypeId>& types,
                                                    size_t* visited = nullptr) const;

  // Every entity with relations of `type` in one direction (as subject when `outgoing`), with
  // how many, most first and ties by id. Counted from the graph on the first call for a
  // (type, direction) and kept; safe to call from several threads.
  using Degrees = std::vector<std::pair<EntityId, uint64_t>>;
  const Degrees& DegreesOf(TypeId type, bool outgoing) const;

  // ---- whole-graph algorithms (all on the projection's Boost.Graph graph) ----

  // Every shortest path from `from` to `to` of at most `max_hops` relations (either direction,
  // types as for ShortestPath), at most `limit` of them; `more` is set when there were others.
  std::vector<std::vector<PathStep>> AllShortestPaths(EntityId from, EntityId to, int max_hops, const std::vector<TypeId>& types,
                                                      size_t limit, bool* more) const;

  // The path from `from` to `to` with the least total weight (Dijkstra), weights given per
  // relation by `weight` (> 0); nullopt when `to` cannot be reached.
  std::optional<std::vector<PathStep>> LightestPath(EntityId from, EntityId to, const std::vector<TypeId>& types,
                                                    const std::function<double(RelationId)>& weight) const;

  // Entities within `depth` relations of `from` (either direction), breadth-first, at most
  // `limit`: each with its depth and the step that reached it (the start has none).
  struct Reached {
    EntityId id = 0;
    int depth = 0;
    std::optional<PathStep> via;
  };
  std::vector<Reached> Neighbourhood(EntityId from, int depth, size_t limit) const;

  // Connected components, direction ignored, over the vertices `keep` accepts (all when it is
  // empty) and the relations between them: a component number per vertex (0..max_id), or
  // UINT32_MAX for a vertex left out. Union-find over the edges (Boost's disjoint_sets).
  std::vector<uint32_t> Components(const std::vector<bool>& keep) const;

  // PageRank (Boost.Graph's page_rank, damping 0.85, `iterations` rounds) over the relations
  // taken both ways: a score per vertex, summing to about 1.
  std::vector<double> PageRank(int iterations = 20) const;

  // How many relations each vertex has (either direction).
  std::vector<uint64_t> Degree() const;

  // Betweenness centrality, direction ignored: exact (Boost.Graph's Brandes) when the graph has
  // at most `exact_up_to` vertices with relations, else estimated from `samples` source
  // vertices chosen at random (Brandes' accumulation from each, scaled by n / samples);
  // `sampled` tells which.
  std::vector<double> Betweenness(size_t exact_up_to, size_t samples, uint64_t seed, bool* sampled) const;

  // Bytes the graph's arrays take (for the benchmark's memory per edge).
  size_t MemoryBytes() const;

  // ---- the projection kept in a file beside the store, so that a new process need not read
  // every adjacency key again. The file is derived: it says what it was built from, a reader
  // takes it only when that is what it would build now, and builds (and saves) anew otherwise.

  // What a projection was built from: the store's sequence number and the confidence below
  // which relations were left out.
  struct FileStamp {
    uint64_t sequence = 0;
    float floor = 0;
  };
  // Writes the projection to `path` through a temporary file renamed over it (a reader never
  // sees half a file); 8 bytes per vertex and 32 per relation (both directions), plus 64.
  Status Save(const std::string& path, const FileStamp& stamp) const;
  // The stamp of the file at `path`: NotFound when there is none, Corruption when it is not one.
  static Result<FileStamp> ReadStamp(const std::string& path);
  // The projection saved at `path` when its stamp is `want`: NotFound when there is no file or
  // it was built from something else, Corruption when its bytes do not check out (a checksum
  // over the whole file, every vertex number in range).
  static Result<std::unique_ptr<GraphProjection>> Load(const std::string& path, const FileStamp& want);
  // Where this projection differs from `other`, edge for edge and in order ("" when nowhere).
  std::string DifferenceFrom(const GraphProjection& other) const;

 private:
  GraphProjection();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Each vertex's entity type kept in a file the same way (2 bytes per entity plus 64): saved with
// the store's sequence number, read back only for that number (NotFound otherwise), Corruption
// when its bytes do not check out.
Status SaveVertexTypes(const std::string& path, uint64_t sequence, const std::vector<TypeId>& types);
Result<std::vector<TypeId>> LoadVertexTypes(const std::string& path, uint64_t sequence);

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_PROJECTION_H_
