#include "graph/projection.h"

#include <algorithm>
#include <map>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/page_rank.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/range/iterator_range.hpp>
#include <boost/pending/queue.hpp>
#include <mutex>
#include <utility>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>

#include "graph/flat_map.h"

namespace pactgraph {
namespace {

// Packed: 11 bytes an edge instead of 16, a third less memory for the largest array of the
// projection (two edges per relation) and less to fill when it is built or read from its file.
struct __attribute__((packed)) EdgeData {
  RelationId relation = 0;
  TypeId type = 0;
  bool forward = true;  // this direction is subject -> object
};
static_assert(sizeof(EdgeData) == 11, "an edge's data is packed");

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

GraphProjection::GraphProjection() : impl_(std::make_unique<Impl>()) {}
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

// ------------------------------------------------------------------------ whole-graph work

namespace {

struct Stop {};

// Breadth-first from one vertex: depths, every edge that reaches a vertex from the level above
// (all shortest ways in), and a stop once the search passes `max_depth` or, with a target, once
// the target's level is done.
class LevelRecorder : public boost::default_bfs_visitor {
 public:
  LevelRecorder(std::vector<int>* depth, std::vector<std::vector<Edge>>* preds, int max_depth, Vertex target)
      : depth_(depth), preds_(preds), max_depth_(max_depth), target_(target) {}
  template <typename G>
  void examine_vertex(Vertex u, const G&) const {
    const int d = (*depth_)[u];
    if (d >= max_depth_) throw Stop{};
    if (target_ != boost::graph_traits<Csr>::null_vertex() && (*depth_)[target_] >= 0 && d >= (*depth_)[target_]) throw Stop{};
  }
  template <typename G>
  void tree_edge(const Edge& e, const G& g) const {
    const Vertex u = boost::source(e, g), v = boost::target(e, g);
    (*depth_)[v] = (*depth_)[u] + 1;
    (*preds_)[v].push_back(e);
  }
  template <typename G>
  void gray_target(const Edge& e, const G& g) const {
    const Vertex u = boost::source(e, g), v = boost::target(e, g);
    if ((*depth_)[v] == (*depth_)[u] + 1) (*preds_)[v].push_back(e);
  }

 private:
  std::vector<int>* depth_;
  std::vector<std::vector<Edge>>* preds_;
  int max_depth_;
  Vertex target_;
};

PathStep StepOf(const Csr& g, const Edge& e) {
  const EdgeData& d = g[e];
  return {d.relation, d.type, boost::source(e, g), boost::target(e, g), d.forward};
}

std::vector<bool> TypeMask(const std::vector<TypeId>& types, const std::vector<bool>& every) {
  if (types.empty()) return every;
  std::vector<bool> chosen(*std::max_element(types.begin(), types.end()) + 1, false);
  for (TypeId t : types) chosen[t] = true;
  return chosen;
}

}  // namespace

std::vector<std::vector<PathStep>> GraphProjection::AllShortestPaths(EntityId from, EntityId to, int max_hops,
                                                                     const std::vector<TypeId>& types, size_t limit,
                                                                     bool* more) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  *more = false;
  std::vector<std::vector<PathStep>> out;
  if (from >= n || to >= n || max_hops < 1 || from == to) return out;
  const std::vector<bool> mask = TypeMask(types, impl_->every_type);
  boost::filtered_graph<Csr, TypeFilter> fg(g, TypeFilter{&g, &mask});
  std::vector<int> depth(n, -1);
  std::vector<std::vector<Edge>> preds(n);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  depth[from] = 0;
  boost::queue<Vertex> queue;
  LevelRecorder rec(&depth, &preds, max_hops, static_cast<Vertex>(to));
  try {
    boost::breadth_first_visit(fg, static_cast<Vertex>(from), queue, rec,
                               boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g)));
  } catch (const Stop&) {
  }
  if (depth[to] < 0) return out;
  // Walk back from the target through every way in, depth first.
  std::vector<PathStep> stack;
  std::function<void(Vertex)> back = [&](Vertex v) {
    if (out.size() >= limit) {
      *more = true;
      return;
    }
    if (v == static_cast<Vertex>(from)) {
      out.emplace_back(stack.rbegin(), stack.rend());
      return;
    }
    for (const Edge& e : preds[v]) {
      stack.push_back(StepOf(g, e));
      back(boost::source(e, g));
      stack.pop_back();
      if (*more) return;
    }
  };
  back(static_cast<Vertex>(to));
  return out;
}

namespace {

// Dijkstra's visitor: the edge that last improved each vertex, and a stop at the target.
class LightestRecorder : public boost::default_dijkstra_visitor {
 public:
  LightestRecorder(std::vector<Edge>* parent, Vertex target) : parent_(parent), target_(target) {}
  template <typename G>
  void edge_relaxed(const Edge& e, const G& g) const {
    (*parent_)[boost::target(e, g)] = e;
  }
  template <typename G>
  void examine_vertex(Vertex u, const G&) const {
    if (u == target_) throw Stop{};
  }

 private:
  std::vector<Edge>* parent_;
  Vertex target_;
};

}  // namespace

std::optional<std::vector<PathStep>> GraphProjection::LightestPath(EntityId from, EntityId to, const std::vector<TypeId>& types,
                                                                   const std::function<double(RelationId)>& weight) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  if (from >= n || to >= n) return std::nullopt;
  if (from == to) return std::vector<PathStep>{};
  const std::vector<bool> mask = TypeMask(types, impl_->every_type);
  boost::filtered_graph<Csr, TypeFilter> fg(g, TypeFilter{&g, &mask});
  std::unordered_map<RelationId, double> cache;
  auto w = boost::make_function_property_map<Edge, double>([&](const Edge& e) {
    const RelationId r = g[e].relation;
    auto it = cache.find(r);
    if (it == cache.end()) it = cache.emplace(r, weight(r)).first;
    return it->second;
  });
  std::vector<double> dist(n, std::numeric_limits<double>::infinity());
  std::vector<Edge> parent(n);
  std::vector<Vertex> pred(n);
  LightestRecorder rec(&parent, static_cast<Vertex>(to));
  auto index = boost::get(boost::vertex_index, g);
  try {
    boost::dijkstra_shortest_paths(fg, static_cast<Vertex>(from),
                                   boost::weight_map(w)
                                       .distance_map(boost::make_iterator_property_map(dist.begin(), index))
                                       .predecessor_map(boost::make_iterator_property_map(pred.begin(), index))
                                       .visitor(rec));
  } catch (const Stop&) {
  }
  if (!std::isfinite(dist[to])) return std::nullopt;
  std::vector<PathStep> path;
  for (Vertex v = static_cast<Vertex>(to); v != static_cast<Vertex>(from);) {
    const Edge e = parent[v];
    path.push_back(StepOf(g, e));
    v = boost::source(e, g);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

namespace {

class ReachRecorder : public boost::default_bfs_visitor {
 public:
  ReachRecorder(std::vector<int>* depth, std::vector<GraphProjection::Reached>* out, const Csr* g, int max_depth, size_t limit)
      : depth_(depth), out_(out), g_(g), max_depth_(max_depth), limit_(limit) {}
  template <typename G>
  void examine_vertex(Vertex u, const G&) const {
    if ((*depth_)[u] >= max_depth_ || out_->size() >= limit_) throw Stop{};
  }
  template <typename G>
  void tree_edge(const Edge& e, const G& g) const {
    const Vertex u = boost::source(e, g), v = boost::target(e, g);
    (*depth_)[v] = (*depth_)[u] + 1;
    if (out_->size() < limit_) out_->push_back({v, (*depth_)[v], StepOf(*g_, e)});
  }

 private:
  std::vector<int>* depth_;
  std::vector<GraphProjection::Reached>* out_;
  const Csr* g_;
  int max_depth_;
  size_t limit_;
};

}  // namespace

std::vector<GraphProjection::Reached> GraphProjection::Neighbourhood(EntityId from, int depth, size_t limit) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  std::vector<Reached> out;
  if (from >= n || limit == 0) return out;
  out.push_back({from, 0, std::nullopt});
  std::vector<int> d(n, -1);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  d[from] = 0;
  boost::queue<Vertex> queue;
  ReachRecorder rec(&d, &out, &g, depth, limit);
  try {
    boost::breadth_first_visit(g, static_cast<Vertex>(from), queue, rec,
                               boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g)));
  } catch (const Stop&) {
  }
  return out;
}

std::vector<uint32_t> GraphProjection::Components(const std::vector<bool>& keep) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  auto kept = [&](Vertex v) { return keep.empty() || (v < keep.size() && keep[v]); };
  std::vector<uint32_t> rank(n, 0), parent(n);
  boost::disjoint_sets<uint32_t*, uint32_t*> sets(rank.data(), parent.data());
  for (Vertex v = 0; v < n; ++v) sets.make_set(v);
  for (Vertex v = 0; v < n; ++v) {
    if (!kept(v)) continue;
    for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) {
      const Vertex u = boost::target(e, g);
      if (g[e].forward && kept(u)) sets.union_set(v, u);
    }
  }
  std::vector<uint32_t> out(n, UINT32_MAX);
  for (Vertex v = 0; v < n; ++v) {
    if (kept(v)) out[v] = sets.find_set(v);
  }
  return out;
}

namespace {

// The projection seen as a bidirectional graph, for the algorithms that need in-edges: the
// relations are stored both ways, so a vertex's in-edges mirror its out-edges.
using BiCsr = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, boost::no_property,
                                                 boost::no_property, uint32_t, uint64_t>;

}  // namespace

std::vector<double> GraphProjection::PageRank(int iterations) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  ends.reserve(boost::num_edges(g));
  for (Vertex v = 0; v < n; ++v) {
    for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) ends.emplace_back(v, boost::target(e, g));
  }
  BiCsr bg(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), static_cast<uint32_t>(n));
  ends.clear();
  ends.shrink_to_fit();
  std::vector<double> rank(n, 0.0);
  boost::graph::page_rank(bg, boost::make_iterator_property_map(rank.begin(), boost::get(boost::vertex_index, bg)),
                          boost::graph::n_iterations(iterations), 0.85);
  // Boost's scores are not normalised (a vertex without relations keeps 1 - damping): scaled to
  // sum to one.
  double total = 0;
  for (double r : rank) total += r;
  if (total > 0) {
    for (double& r : rank) r /= total;
  }
  return rank;
}

std::vector<uint64_t> GraphProjection::Degree() const {
  const Csr& g = impl_->graph;
  std::vector<uint64_t> out(boost::num_vertices(g));
  for (Vertex v = 0; v < out.size(); ++v) out[v] = boost::out_degree(v, g);
  return out;
}

std::vector<double> GraphProjection::Betweenness(size_t exact_up_to, size_t samples, uint64_t seed, bool* sampled) const {
  const Csr& g = impl_->graph;
  const size_t n = boost::num_vertices(g);
  std::vector<Vertex> active;
  for (Vertex v = 0; v < n; ++v) {
    if (boost::out_degree(v, g) > 0) active.push_back(v);
  }
  std::vector<double> c(n, 0.0);
  *sampled = active.size() > exact_up_to;
  if (!*sampled) {
    boost::brandes_betweenness_centrality(g, boost::centrality_map(boost::make_iterator_property_map(c.begin(), boost::get(boost::vertex_index, g))));
    for (double& x : c) x /= 2;  // each relation is stored both ways: every pair was counted twice
    return c;
  }
  // Brandes' accumulation from sampled sources over the same graph.
  std::mt19937_64 rng(seed);
  std::shuffle(active.begin(), active.end(), rng);
  const size_t k = std::min(samples, active.size());
  std::vector<int> dist(n, -1);
  std::vector<double> sigma(n, 0), delta(n, 0);
  std::vector<Vertex> order;
  std::vector<Vertex> queue;
  for (size_t i = 0; i < k; ++i) {
    const Vertex s = active[i];
    order.clear();
    queue.clear();
    dist[s] = 0;
    sigma[s] = 1;
    queue.push_back(s);
    for (size_t head = 0; head < queue.size(); ++head) {
      const Vertex v = queue[head];
      order.push_back(v);
      for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) {
        const Vertex w = boost::target(e, g);
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue.push_back(w);
        }
        if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const Vertex w = *it;
      for (const Edge& e : boost::make_iterator_range(boost::out_edges(w, g))) {
        const Vertex v = boost::target(e, g);
        if (dist[v] == dist[w] - 1) delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
      }
      if (w != s) c[w] += delta[w];
    }
    for (Vertex v : order) {
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
  const double scale = static_cast<double>(active.size()) / static_cast<double>(k) / 2;
  for (double& x : c) x *= scale;
  return c;
}

size_t GraphProjection::MemoryBytes() const {
  const Csr& g = impl_->graph;
  return (boost::num_vertices(g) + 1) * sizeof(uint64_t) + boost::num_edges(g) * (sizeof(uint32_t) + sizeof(EdgeData));
}

// --------------------------------------------------------------------------- the file

namespace {

// The file: a 64-byte header, then each vertex's first edge ((vertices + 1) numbers of 8 bytes),
// then each edge in the order of the graph's arrays (16 bytes: target, type, direction, relation).
// Numbers are stored as the machine holds them; the byte-order word refuses a file written by a
// machine of the other order.
constexpr char kMagic[8] = {'P', 'G', 'P', 'R', 'O', 'J', '0', '1'};
constexpr uint32_t kByteOrder = 0x01020304;
struct FileHeader {
  char magic[8];
  uint32_t byte_order;
  uint32_t floor_bits;  // the float's bits
  uint64_t sequence;
  uint64_t vertices;
  uint64_t edges;      // directed: twice the relations
  uint64_t relations;
  uint64_t checksum;   // of everything after the header
  uint64_t reserved;
};
static_assert(sizeof(FileHeader) == 64, "the header is 64 bytes");
struct FileEdge {
  uint32_t target;
  uint16_t type;
  uint8_t forward;
  uint8_t zero;
  uint64_t relation;
};
static_assert(sizeof(FileEdge) == 16, "an edge is 16 bytes");

// A checksum over 8-byte words in four lanes (fast enough to run over a gigabyte in a fraction
// of a second); it finds damage, it is not meant to resist a forger.
class WordSum {
 public:
  void Add(const void* data, size_t n) {  // n is a multiple of 8
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      uint64_t& lane = lanes_[words_++ & 3];
      lane = ((lane ^ w) << 29 | (lane ^ w) >> 35) * 0x9e3779b97f4a7c15ULL;
    }
  }
  uint64_t Value() const {
    uint64_t h = words_;
    for (uint64_t lane : lanes_) h = MixBits(h ^ lane);
    return h;
  }

 private:
  uint64_t lanes_[4] = {1, 2, 3, 4};
  uint64_t words_ = 0;
};

uint32_t FloatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// A file mapped read-only, unmapped when it goes.
class Mapped {
 public:
  ~Mapped() {
    if (data_) munmap(const_cast<void*>(data_), size_);
  }
  Status Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return errno == ENOENT ? Status::NotFound("no file at " + path) : Status::IoError(Errno("opening", path));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
      const Status s = Status::IoError(Errno("reading", path));
      ::close(fd);
      return s;
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      // Every page mapped at once (one call, not a fault per page as the passes below read).
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        const Status s = Status::IoError(Errno("mapping", path));
        ::close(fd);
        return s;
      }
      data_ = p;
    }
    ::close(fd);
    return Status::OK();
  }
  const unsigned char* data() const { return static_cast<const unsigned char*>(data_); }
  size_t size() const { return size_; }

 private:
  const void* data_ = nullptr;
  size_t size_ = 0;
};

// The graph's (source, target) pairs in order, read from the file's first-edge array and edges:
// what Boost's constructor from sorted edges walks. The first-edge array has been checked to
// rise from 0 to `end`, so the search for an edge's source stays inside it.
class FileEdgeIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<uint32_t, uint32_t>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  FileEdgeIterator(const uint64_t* rowstart, const FileEdge* edges, uint64_t i, uint64_t end)
      : rowstart_(rowstart), edges_(edges), i_(i), end_(end) {
    Settle();
  }
  reference operator*() const { return pair_; }
  pointer operator->() const { return &pair_; }
  FileEdgeIterator& operator++() {
    ++i_;
    Settle();
    return *this;
  }
  bool operator==(const FileEdgeIterator& o) const { return i_ == o.i_; }
  bool operator!=(const FileEdgeIterator& o) const { return i_ != o.i_; }

 private:
  void Settle() {
    if (i_ >= end_) return;
    while (rowstart_[source_ + 1] <= i_) ++source_;
    pair_ = {source_, edges_[i_].target};
  }
  const uint64_t* rowstart_;
  const FileEdge* edges_;
  uint64_t i_, end_;
  uint32_t source_ = 0;
  value_type pair_{0, 0};
};

// The edges' properties in the same order.
class FileDataIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = EdgeData;
  using difference_type = std::ptrdiff_t;
  using pointer = const EdgeData*;
  using reference = EdgeData;

  explicit FileDataIterator(const FileEdge* e) : e_(e) {}
  EdgeData operator*() const { return {e_->relation, e_->type, e_->forward != 0}; }
  FileDataIterator& operator++() {
    ++e_;
    return *this;
  }

 private:
  const FileEdge* e_;
};

}  // namespace

namespace {

// Bytes going into a derived file, summed as they go.
class FileWriter {
 public:
  FileWriter(std::FILE* f, WordSum* sum) : f_(f), sum_(sum) {}
  bool Put(const void* data, size_t n) {
    sum_->Add(data, n);
    return std::fwrite(data, 1, n, f_) == n;
  }

 private:
  std::FILE* f_;
  WordSum* sum_;
};

// Writes `h` and what `body` puts after it to a temporary file beside `path`, sets the header's
// checksum, syncs and renames it over `path`: a reader sees the old file or the new one whole.
// Removes the temporary files of `path` left by processes that died while writing one (a
// process still running keeps its own).
void RemoveOrphans(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string prefix = p.filename().string() + ".tmp.";
  std::error_code ec;
  // Stepped with error codes throughout: a folder that cannot be listed only leaves them there.
  std::filesystem::directory_iterator it(p.parent_path().empty() ? "." : p.parent_path(), ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    std::error_code ignored;
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove(it->path(), ignored);
  }
}

Status WriteDerivedFile(const std::string& path, FileHeader h, const std::function<bool(FileWriter&)>& body) {
  RemoveOrphans(path);
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter.fetch_add(1));
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");
  if (!f) return Status::IoError(Errno("creating", tmp));
  auto fail = [&](const std::string& what) {
    Status s = Status::IoError(Errno(what, tmp));
    std::fclose(f);
    std::remove(tmp.c_str());
    return s;
  };
  std::vector<char> buffer(1 << 20);
  std::setvbuf(f, buffer.data(), _IOFBF, buffer.size());
  h.byte_order = kByteOrder;
  if (std::fwrite(&h, sizeof h, 1, f) != 1) return fail("writing");
  WordSum sum;
  FileWriter w(f, &sum);
  if (!body(w)) return fail("writing");
  h.checksum = sum.Value();
  if (std::fseek(f, 0, SEEK_SET) != 0 || std::fwrite(&h, sizeof h, 1, f) != 1) return fail("writing");
  if (std::fflush(f) != 0 || fsync(fileno(f)) != 0) return fail("writing");
  if (std::fclose(f) != 0) {
    Status s = Status::IoError(Errno("writing", tmp));
    std::remove(tmp.c_str());
    return s;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Status::IoError(Errno("renaming " + tmp + " to", path));
    std::remove(tmp.c_str());
    return s;
  }
  return Status::OK();
}

// The header alone (64 bytes read, not the whole file mapped).
Result<FileHeader> ReadHeader(const std::string& path, const char* magic, const char* what) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return errno == ENOENT ? Status::NotFound("no " + std::string(what) + " at " + path) : Status::IoError(Errno("opening", path));
  }
  FileHeader h;
  const bool whole = std::fread(&h, sizeof h, 1, f) == 1;
  std::fclose(f);
  if (!whole) return Status::Corruption(path + " is not " + what + ": too short");
  if (std::memcmp(h.magic, magic, 8) != 0) return Status::Corruption(path + " is not " + what);
  if (h.byte_order != kByteOrder) return Status::Corruption(path + " was written by a machine of the other byte order");
  return h;
}

// Maps the file whose header `h` was read, once the header says it is the one wanted: it must
// still start with that header (else it was replaced meanwhile: NotFound, built again), be as
// long as the header says and match its checksum.
Status MapChecked(const std::string& path, const FileHeader& h, uint64_t body_bytes, Mapped* m) {
  PG_RETURN_IF_ERROR(m->Open(path));
  if (m->size() < sizeof h || std::memcmp(m->data(), &h, sizeof h) != 0) {
    return Status::NotFound(path + " was replaced while it was read");
  }
  if (m->size() != sizeof h + body_bytes) {
    return Status::Corruption(path + " is damaged: it is " + std::to_string(m->size()) + " bytes, not the " +
                              std::to_string(sizeof h + body_bytes) + " its header says");
  }
  WordSum sum;
  sum.Add(m->data() + sizeof h, body_bytes);
  if (sum.Value() != h.checksum) return Status::Corruption(path + " is damaged: its checksum does not match");
  return Status::OK();
}

}  // namespace

Status GraphProjection::Save(const std::string& path, const FileStamp& stamp) const {
  const Csr& g = impl_->graph;
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.floor_bits = FloatBits(stamp.floor);
  h.sequence = stamp.sequence;
  h.vertices = boost::num_vertices(g);
  h.edges = boost::num_edges(g);
  h.relations = impl_->relations;
  return WriteDerivedFile(path, h, [&](FileWriter& w) {
    const std::vector<uint64_t>& rowstart = g.m_forward.m_rowstart;
    if (!w.Put(rowstart.data(), rowstart.size() * sizeof(uint64_t))) return false;
    std::vector<FileEdge> chunk;
    chunk.reserve(4096);
    for (Vertex v = 0; v < boost::num_vertices(g); ++v) {
      for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) {
        const EdgeData& d = g[e];
        chunk.push_back({static_cast<uint32_t>(boost::target(e, g)), d.type, static_cast<uint8_t>(d.forward), 0, d.relation});
        if (chunk.size() == 4096) {
          if (!w.Put(chunk.data(), chunk.size() * sizeof(FileEdge))) return false;
          chunk.clear();
        }
      }
    }
    return w.Put(chunk.data(), chunk.size() * sizeof(FileEdge));
  });
}

Result<GraphProjection::FileStamp> GraphProjection::ReadStamp(const std::string& path) {
  PG_ASSIGN_OR_RETURN(FileHeader h, ReadHeader(path, kMagic, "a projection file"));
  FileStamp stamp;
  stamp.sequence = h.sequence;
  std::memcpy(&stamp.floor, &h.floor_bits, 4);
  return stamp;
}

Result<std::unique_ptr<GraphProjection>> GraphProjection::Load(const std::string& path, const FileStamp& want) {
  // The header alone first: a stale file is turned down without reading the rest of it.
  PG_ASSIGN_OR_RETURN(FileHeader h, ReadHeader(path, kMagic, "a projection file"));
  if (h.sequence != want.sequence || h.floor_bits != FloatBits(want.floor)) {
    return Status::NotFound(path + " was built from sequence number " + std::to_string(h.sequence) + ", not " +
                            std::to_string(want.sequence));
  }
  auto damaged = [&](const std::string& why) { return Status::Corruption(path + " is damaged: " + why); };
  // Sizes first, each bounded so that the products below cannot overflow.
  if (h.vertices == 0 || h.vertices >= (uint64_t{1} << 32) || h.edges > (uint64_t{1} << 40) || h.edges != 2 * h.relations) {
    return damaged("its counts are out of range");
  }
  const uint64_t rowstart_bytes = (h.vertices + 1) * sizeof(uint64_t);
  Mapped m;
  PG_RETURN_IF_ERROR(MapChecked(path, h, rowstart_bytes + h.edges * sizeof(FileEdge), &m));
  const auto* rowstart = reinterpret_cast<const uint64_t*>(m.data() + sizeof(FileHeader));
  const auto* edges = reinterpret_cast<const FileEdge*>(m.data() + sizeof(FileHeader) + rowstart_bytes);
  if (rowstart[0] != 0 || rowstart[h.vertices] != h.edges) return damaged("its first-edge array does not span its edges");
  for (uint64_t v = 0; v < h.vertices; ++v) {
    if (rowstart[v] > rowstart[v + 1]) return damaged("its first-edge array goes down at vertex " + std::to_string(v));
  }
  for (uint64_t i = 0; i < h.edges; ++i) {
    if (edges[i].target >= h.vertices || edges[i].forward > 1) return damaged("edge " + std::to_string(i) + " is out of range");
  }
  auto p = std::unique_ptr<GraphProjection>(new GraphProjection());
  const auto n = static_cast<uint32_t>(h.vertices);
  if (h.edges == 0) {
    const std::vector<std::pair<uint32_t, uint32_t>> none;
    p->impl_->graph = Csr(boost::edges_are_sorted, none.begin(), none.end(), n);
  } else {
    p->impl_->graph = Csr(boost::edges_are_sorted, FileEdgeIterator(rowstart, edges, 0, h.edges),
                          FileEdgeIterator(rowstart, edges, h.edges, h.edges), FileDataIterator(edges), n, h.edges);
  }
  p->impl_->relations = h.relations;
  return p;
}

std::string GraphProjection::DifferenceFrom(const GraphProjection& other) const {
  const Csr& a = impl_->graph;
  const Csr& b = other.impl_->graph;
  if (boost::num_vertices(a) != boost::num_vertices(b)) {
    return std::to_string(boost::num_vertices(a)) + " vertices, not " + std::to_string(boost::num_vertices(b));
  }
  if (impl_->relations != other.impl_->relations) {
    return std::to_string(impl_->relations) + " relations, not " + std::to_string(other.impl_->relations);
  }
  for (Vertex v = 0; v < boost::num_vertices(a); ++v) {
    auto [ai, ae] = boost::out_edges(v, a);
    auto [bi, be] = boost::out_edges(v, b);
    for (; ai != ae && bi != be; ++ai, ++bi) {
      const EdgeData& x = a[*ai];
      const EdgeData& y = b[*bi];
      if (boost::target(*ai, a) != boost::target(*bi, b) || x.relation != y.relation || x.type != y.type || x.forward != y.forward) {
        return "entity #" + std::to_string(v) + ": relation #" + std::to_string(x.relation) + " to #" +
               std::to_string(boost::target(*ai, a)) + " where there should be relation #" + std::to_string(y.relation) + " to #" +
               std::to_string(boost::target(*bi, b));
      }
    }
    if (ai != ae || bi != be) return "entity #" + std::to_string(v) + " has a different number of relations";
  }
  return "";
}

// --------------------------------------------------------------------------- entity types

namespace {
constexpr char kTypesMagic[8] = {'P', 'G', 'T', 'Y', 'P', 'E', '0', '1'};
}  // namespace

Status SaveVertexTypes(const std::string& path, uint64_t sequence, const std::vector<TypeId>& types) {
  FileHeader h{};
  std::memcpy(h.magic, kTypesMagic, sizeof kTypesMagic);
  h.sequence = sequence;
  h.vertices = types.size();
  return WriteDerivedFile(path, h, [&](FileWriter& w) {
    // Padded with 0xFFFF (no entity) to whole 8-byte words for the checksum.
    std::vector<TypeId> padded(types);
    padded.resize((types.size() + 3) / 4 * 4, 0xFFFF);
    return w.Put(padded.data(), padded.size() * sizeof(TypeId));
  });
}

Result<std::vector<TypeId>> LoadVertexTypes(const std::string& path, uint64_t sequence) {
  PG_ASSIGN_OR_RETURN(FileHeader h, ReadHeader(path, kTypesMagic, "a file of entity types"));
  if (h.sequence != sequence) {
    return Status::NotFound(path + " was built from sequence number " + std::to_string(h.sequence) + ", not " + std::to_string(sequence));
  }
  if (h.vertices >= (uint64_t{1} << 32)) return Status::Corruption(path + " is damaged: its count is out of range");
  const uint64_t words = (h.vertices + 3) / 4;  // padded to whole words
  Mapped m;
  PG_RETURN_IF_ERROR(MapChecked(path, h, words * 8, &m));
  std::vector<TypeId> types(h.vertices);
  std::memcpy(types.data(), m.data() + sizeof(FileHeader), h.vertices * sizeof(TypeId));
  return types;
}

}  // namespace pactgraph
