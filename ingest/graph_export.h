// The whole graph for other tools: GraphML (yEd, Gephi, NetworkX) and DOT (Graphviz), both
// written by Boost.Graph (write_graphml, write_graphviz) from a projection read off one snapshot.
// Entities are vertices with their name, type and aliases; relations are edges with their type
// and qualifiers. Claims are left out (they are evidence, not things).
#ifndef PACTGRAPH_INGEST_GRAPH_EXPORT_H_
#define PACTGRAPH_INGEST_GRAPH_EXPORT_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::ingest {

// The entities within `depth` relations of `focus` (either direction; claims' SAID and ABOUT
// left out), at most `max_entities` of them (the focus first, then breadth-first), with every
// relation among them that the walk passed.
struct Neighbourhood {
  std::vector<Entity> entities;
  std::vector<int> depths;  // of each entity, in relations from the focus
  std::vector<Relation> relations;
  bool truncated = false;   // cut at max_entities
};
Result<Neighbourhood> NeighbourhoodOf(const storage::Store& store, const storage::Snapshot& snap, EntityId focus, int depth,
                                      size_t max_entities = SIZE_MAX);

struct GraphExportOptions {
  // When set, only the neighbourhood of this entity (a name, an alias or "#ID", resolved by
  // storage::ResolveEntity: an ambiguous name is an error listing the candidates): the entities
  // within `depth` relations of it, either direction, and the relations among them.
  std::string focus;
  int depth = 2;
};

// `format` is "graphml" or "dot". kNotFound when the focus names no entity, kInvalidArgument when
// it names several.
Status ExportGraph(const storage::Store& store, const std::string& format, std::ostream& out, const GraphExportOptions& options = {});

// CSV files for bulk loaders (Neo4j's `neo4j-admin database import`, Kùzu's COPY FROM): one
// file of nodes per entity type, `nodes_<Type>.csv` with the header `id:ID,name,aliases,:LABEL`,
// and one file of relations per relation type and pair of end types,
// `edges_<TYPE>_<From>_<To>.csv` with `:START_ID,:END_ID,:TYPE,relation,qualifiers`. `open` is
// called once per file, in name order, before that file is written.
Status ExportCsv(const storage::Store& store, const std::function<std::ostream&(const std::string& file)>& open,
                 const GraphExportOptions& options = {});

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_GRAPH_EXPORT_H_
