// The whole graph for other tools: GraphML (yEd, Gephi, NetworkX) and DOT (Graphviz), both
// written by Boost.Graph (write_graphml, write_graphviz) from a projection read off one snapshot.
// Entities are vertices with their name, type and aliases; relations are edges with their type
// and qualifiers. Claims are left out (they are evidence, not things).
#ifndef PACTGRAPH_INGEST_GRAPH_EXPORT_H_
#define PACTGRAPH_INGEST_GRAPH_EXPORT_H_

#include <ostream>
#include <string>

#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::ingest {

// `format` is "graphml" or "dot".
Status ExportGraph(const storage::Store& store, const std::string& format, std::ostream& out);

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_GRAPH_EXPORT_H_
