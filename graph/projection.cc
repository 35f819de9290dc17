#include "graph/projection.h"

#include <algorithm>
#include <map>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/range/iterator_range.hpp>
#include <boost/pending/queue.hpp>
#include <mutex>
#include <utility>

namespace pactgraph {
namespace {

struct EdgeData {
  RelationId relation = 0;
  TypeId type = 0;
  bool forward = true;  // this direction is subject -> object
};

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeData, boost::no_property,
                                               uint32_t, uint64_t>;
using Vertex = boost::graph_traits<Csr>::vertex_descriptor;
using Edge = boost::graph_traits<Csr>::edge_descriptor;

// Keeps the edges whose type is allowed.
struct TypeFilter {
  const Csr* g = nullptr;
  const std::vector<bool>* allowed = nullptr;
  bool operator()(const Edge& e) const {
    const TypeId t = (*g)[e].type;
    return t < allowed->size() && (*allowed)[t];
  }
};

struct Found {};
struct TooFar {};

// Records each vertex's tree edge and every vertex it discovers (so that only those are reset
// for the next search), stops when the target is discovered, and stops once the search reaches
// the hop bound (breadth-first order: every later vertex is at least as far).
class PathRecorder : public boost::default_bfs_visitor {
 public:
  PathRecorder(Vertex target, int max_hops, std::vector<int>* depth, std::vector<Edge>* parent,
               std::vector<Vertex>* touched, size_t* visited)
      : target_(target), max_hops_(max_hops), depth_(depth), parent_(parent), touched_(touched),
        visited_(visited) {}

  template <typename G>
  void discover_vertex(Vertex u, const G&) const {
    touched_->push_back(u);
  }
  template <typename G>
  void examine_vertex(Vertex u, const G&) const {
    if ((*depth_)[u] >= max_hops_) throw TooFar{};
  }
  template <typename G>
  void tree_edge(const Edge& e, const G& g) const {
    const Vertex u = boost::source(e, g), v = boost::target(e, g);
    (*depth_)[v] = (*depth_)[u] + 1;
    (*parent_)[v] = e;
    ++*visited_;
    if (v == target_) throw Found{};
  }

 private:
  Vertex target_;
  int max_hops_;
  std::vector<int>* depth_;
  std::vector<Edge>* parent_;
  std::vector<Vertex>* touched_;
  size_t* visited_;
};

}  // namespace

struct GraphProjection::Impl {
  Csr graph;
  size_t relations = 0;
  // Scratch of the searches, sized once and reset only where a search touched it: a search
  // then costs what it visits, not the size of the graph.
  std::mutex mu;
  std::vector<int> depth;
  std::vector<Edge> parent;
  std::vector<boost::default_color_type> color;
  std::vector<Vertex> touched;
  std::vector<bool> every_type = std::vector<bool>(0x10000, true);
  std::mutex degrees_mu;
  std::map<std::pair<TypeId, bool>, std::unique_ptr<GraphProjection::Degrees>> degrees;
};

GraphProjection::GraphProjection(EntityId max_id, const std::vector<ProjectedEdge>& edges)
    : impl_(std::make_unique<Impl>()) {
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<EdgeData> data;
  ends.reserve(2 * edges.size());
  data.reserve(2 * edges.size());
  for (const ProjectedEdge& e : edges) {
    if (e.subject > max_id || e.object > max_id) continue;
    const auto s = static_cast<uint32_t>(e.subject), o = static_cast<uint32_t>(e.object);
    ends.emplace_back(s, o);
    data.push_back({e.relation, e.type, true});
    ends.emplace_back(o, s);
    data.push_back({e.relation, e.type, false});
    ++impl_->relations;
  }
  impl_->graph = Csr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), data.begin(),
                     static_cast<uint32_t>(max_id + 1));
}

GraphProjection::~GraphProjection() = default;

size_t GraphProjection::num_vertices() const { return boost::num_vertices(impl_->graph); }
size_t GraphProjection::num_edges() const { return impl_->relations; }

const GraphProjection::Degrees& GraphProjection::DegreesOf(TypeId type, bool outgoing) const {
  std::lock_guard<std::mutex> lock(impl_->degrees_mu);
  std::unique_ptr<Degrees>& slot = impl_->degrees[{type, outgoing}];
  if (!slot) {
    slot = std::make_unique<Degrees>();
    const Csr& g = impl_->graph;
    for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
      uint64_t n = 0;
      for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) {
        const EdgeData& d = g[e];
        n += d.type == type && d.forward == outgoing;
      }
      if (n) slot->emplace_back(v, n);
    }
    std::sort(slot->begin(), slot->end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
  }
  return *slot;
}

std::optional<std::vector<PathStep>> GraphProjection::ShortestPath(EntityId from, EntityId to, int max_hops,
                                                                   const std::vector<TypeId>& types,
                                                                   size_t* visited) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  size_t reached = 0;
  if (visited) *visited = 0;
  if (from >= n || to >= n || max_hops < 0) return std::nullopt;
  if (from == to) return std::vector<PathStep>{};
  if (max_hops == 0) return std::nullopt;

  std::vector<bool> chosen;
  if (!types.empty()) {
    chosen.assign(*std::max_element(types.begin(), types.end()) + 1, false);
    for (TypeId t : types) chosen[t] = true;
  }
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.mu);
  boost::filtered_graph<Csr, TypeFilter> fg(g, TypeFilter{&g, types.empty() ? &m.every_type : &chosen});
  if (m.color.size() != n) {
    m.depth.assign(n, 0);
    m.parent.assign(n, Edge());
    m.color.assign(n, boost::white_color);
  }
  std::vector<int>& depth = m.depth;
  std::vector<Edge>& parent = m.parent;
  m.touched.clear();
  depth[from] = 0;
  auto color_map = boost::make_iterator_property_map(m.color.begin(), boost::get(boost::vertex_index, g));
  PathRecorder recorder(static_cast<Vertex>(to), max_hops, &depth, &parent, &m.touched, &reached);
  bool found = false;
  boost::queue<Vertex> queue;
  try {
    // breadth_first_visit does not colour the whole graph white first; the touched vertices
    // are reset below instead.
    boost::breadth_first_visit(fg, static_cast<Vertex>(from), queue, recorder, color_map);
  } catch (const Found&) {
    found = true;
  } catch (const TooFar&) {
  }
  for (Vertex v : m.touched) m.color[v] = boost::white_color;
  if (visited) *visited = reached;
  if (!found) return std::nullopt;

  std::vector<PathStep> path;
  for (Vertex v = static_cast<Vertex>(to); v != static_cast<Vertex>(from);) {
    const Edge e = parent[v];
    const EdgeData& d = g[e];
    const Vertex u = boost::source(e, g);
    path.push_back({d.relation, d.type, u, v, d.forward});
    v = u;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace pactgraph
