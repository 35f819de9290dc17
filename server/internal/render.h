// A neighbourhood's drawing (ingest::NeighbourhoodOf finds it): DOT written by Boost.Graph's
// write_graphviz, laid out and rendered to SVG by Graphviz's library (no browser-side drawing
// code, so the page works with no internet connection).
#ifndef PACTGRAPH_SERVER_INTERNAL_RENDER_H_
#define PACTGRAPH_SERVER_INTERNAL_RENDER_H_

#include <string>
#include <vector>

#include "graph/status.h"
#include "ingest/graph_export.h"

namespace pactgraph::server {

// The neighbourhood in the DOT language (Boost.Graph's write_graphviz).
std::string ToDot(const ingest::Neighbourhood& n);

// DOT laid out and drawn as SVG by Graphviz (gvc, the "dot" layout). Serialised: Graphviz's
// library is not thread-safe.
Result<std::string> DotToSvg(const std::string& dot);

}  // namespace pactgraph::server

#endif  // PACTGRAPH_SERVER_INTERNAL_RENDER_H_
