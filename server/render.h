// A neighbourhood of the graph as nodes and edges, and its drawing: DOT written by Boost.Graph's
// write_graphviz, laid out and rendered to SVG by Graphviz's library (no browser-side drawing
// code, so the page works with no internet connection).
#ifndef PACTGRAPH_SERVER_RENDER_H_
#define PACTGRAPH_SERVER_RENDER_H_

#include <string>
#include <vector>

#include "graph/model.h"
#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::server {

struct Neighbourhood {
  struct Node {
    EntityId id = 0;
    std::string name, type;
    int depth = 0;  // hops from the focus
  };
  struct Edge {
    RelationId id = 0;
    std::string type;
    EntityId from = 0, to = 0;
  };
  std::vector<Node> nodes;  // the focus first
  std::vector<Edge> edges;
  bool truncated = false;   // cut at the node limit
};

// Entities within `depth` hops of `focus` (either direction; claims left out), at most
// `max_nodes` of them, with the relations among them.
Result<Neighbourhood> NeighbourhoodOf(const storage::Store& store, const storage::Snapshot& snap, EntityId focus, int depth,
                                      int max_nodes);

// The neighbourhood in the DOT language (Boost.Graph's write_graphviz).
std::string ToDot(const Neighbourhood& n);

// DOT laid out and drawn as SVG by Graphviz (gvc, the "dot" layout). Serialised: Graphviz's
// library is not thread-safe.
Result<std::string> DotToSvg(const std::string& dot);

}  // namespace pactgraph::server

#endif  // PACTGRAPH_SERVER_RENDER_H_
