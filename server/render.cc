#include "server/internal/render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "graph/text.h"

namespace pactgraph::server {

namespace {

struct VertexInfo {
  std::string name, type, shape, color;
};
struct EdgeInfo {
  std::string label;
};
using DrawGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexInfo, EdgeInfo>;

const char* ColorOf(const std::string& type) {
  if (type == "Company") return "#dbeafe";
  if (type == "Product") return "#dcfce7";
  if (type == "Person") return "#fef3c7";
  if (type == "Program") return "#f3e8ff";
  if (type == "Agreement") return "#ffe4e6";
  if (type == "Term") return "#f1f5f9";
  return "#ffffff";
}

}  // namespace

std::string ToDot(const ingest::Neighbourhood& n) {
  DrawGraph g;
  std::unordered_map<EntityId, DrawGraph::vertex_descriptor> at;
  for (size_t i = 0; i < n.entities.size(); ++i) {
    const Entity& e = n.entities[i];
    at[e.id] = boost::add_vertex({e.name, e.type, i == 0 ? "doubleoctagon" : "box", ColorOf(e.type)}, g);
  }
  for (const Relation& r : n.relations) {
    auto a = at.find(r.subject), b = at.find(r.object);
    if (a == at.end() || b == at.end()) continue;
    boost::add_edge(a->second, b->second, {r.type}, g);
  }
  std::ostringstream out;
  boost::write_graphviz(
      out, g,
      [&](std::ostream& o, DrawGraph::vertex_descriptor v) {
        // Name and type on two lines: a DOT line break between the two escaped parts.
        std::string label = DotString(g[v].name);
        label.pop_back();
        label += "\\n" + DotString(g[v].type).substr(1);
        o << "[label=" << label << ", shape=" << g[v].shape << ", style=filled, fillcolor=" << DotString(g[v].color)
          << "]";
      },
      [&](std::ostream& o, DrawGraph::edge_descriptor e) { o << "[label=" << DotString(g[e].label) << "]"; },
      [](std::ostream& o) {
        o << "graph [rankdir=LR, fontname=\"Helvetica\"];\n"
          << "node [fontname=\"Helvetica\", fontsize=10];\n"
          << "edge [fontname=\"Helvetica\", fontsize=8, color=\"#64748b\"];\n";
      });
  return out.str();
}

Result<std::string> DotToSvg(const std::string& dot) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  static GVC_t* gvc = gvContext();
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) return Status::Internal("Graphviz could not read the drawing");
  if (gvLayout(gvc, g, "dot") != 0) {
    agclose(g);
    return Status::Internal("Graphviz could not lay the drawing out");
  }
  char* data = nullptr;
  unsigned int size = 0;
  const int rc = gvRenderData(gvc, g, "svg", &data, &size);
  std::string svg = rc == 0 && data ? std::string(data, size) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc, g);
  agclose(g);
  if (svg.empty()) return Status::Internal("Graphviz could not render the drawing");
  return svg;
}

}  // namespace pactgraph::server
