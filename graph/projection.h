// An in-memory projection of the graph for whole-graph work, on Boost.Graph: a compressed
// sparse row graph over entity ids holding every relation in both directions, so that walks
// may follow relations either way. Built from a list of (subject, type, object, relation).
#ifndef PACTGRAPH_GRAPH_PROJECTION_H_
#define PACTGRAPH_GRAPH_PROJECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "graph/model.h"
#include "graph/schema.h"

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_PROJECTION_H_
