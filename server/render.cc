#include "server/render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <deque>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace pactgraph::server {

Result<Neighbourhood> NeighbourhoodOf(const storage::Store& store, const storage::Snapshot& snap, EntityId focus, int depth,
                                      int max_nodes) {
  Neighbourhood n;
  std::unordered_map<EntityId, int> seen;  // id -> depth
  std::deque<EntityId> queue;
  PG_ASSIGN_OR_RETURN(Entity f, store.GetEntity(snap, focus));
  n.nodes.push_back({f.id, f.name, f.type, 0});
  seen[f.id] = 0;
  queue.push_back(f.id);
  std::unordered_map<RelationId, bool> edges;
  while (!queue.empty()) {
    const EntityId at = queue.front();
    queue.pop_front();
    const int d = seen[at];
    for (bool outgoing : {true, false}) {
      storage::RelationCursor c = outgoing ? store.Outgoing(snap, at) : store.Incoming(snap, at);
      for (; c.Valid(); c.Next()) {
        const Relation& r = c.relation();
        if (r.type == "SAID" || r.type == "ABOUT") continue;  // claims are shown as evidence, not drawn
        const EntityId other = outgoing ? r.object : r.subject;
        if (!seen.count(other)) {
          if (d >= depth) continue;
          if (static_cast<int>(n.nodes.size()) >= max_nodes) {
            n.truncated = true;
            continue;
          }
          PG_ASSIGN_OR_RETURN(Entity e, store.GetEntity(snap, other));
          seen[other] = d + 1;
          n.nodes.push_back({e.id, e.name, e.type, d + 1});
          queue.push_back(other);
        }
        if (!edges.emplace(r.id, true).second) continue;
        n.edges.push_back({r.id, r.type, r.subject, r.object});
      }
      PG_RETURN_IF_ERROR(c.status());
    }
  }
  return n;
}

namespace {

struct VertexInfo {
  std::string label, shape, color;
};
struct EdgeInfo {
  std::string label;
};
using DrawGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexInfo, EdgeInfo>;

// DOT wants its strings quoted with \" and \\ escaped.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

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

std::string ToDot(const Neighbourhood& n) {
  DrawGraph g;
  std::unordered_map<EntityId, DrawGraph::vertex_descriptor> at;
  for (size_t i = 0; i < n.nodes.size(); ++i) {
    const auto& node = n.nodes[i];
    at[node.id] = boost::add_vertex({node.name + "\\n" + node.type, i == 0 ? "doubleoctagon" : "box", ColorOf(node.type)}, g);
  }
  for (const auto& e : n.edges) {
    auto a = at.find(e.from), b = at.find(e.to);
    if (a == at.end() || b == at.end()) continue;
    boost::add_edge(a->second, b->second, {e.type}, g);
  }
  std::ostringstream out;
  boost::write_graphviz(
      out, g,
      [&](std::ostream& o, DrawGraph::vertex_descriptor v) {
        o << "[label=" << Quoted(g[v].label) << ", shape=" << g[v].shape << ", style=filled, fillcolor=" << Quoted(g[v].color)
          << "]";
      },
      [&](std::ostream& o, DrawGraph::edge_descriptor e) { o << "[label=" << Quoted(g[e].label) << "]"; },
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
