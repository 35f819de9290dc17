#include "ingest/graph_export.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <unordered_map>

namespace pactgraph::ingest {
namespace {

struct V {
  std::string id, name, type, aliases;
};
struct E {
  std::string id, type, qualifiers;
};
using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, V, E>;

std::string DotQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

}  // namespace

Status ExportGraph(const storage::Store& store, const std::string& format, std::ostream& out) {
  if (format != "graphml" && format != "dot") return Status::InvalidArgument("unknown graph format \"" + format + "\" (graphml or dot)");
  const storage::Snapshot snap = store.GetSnapshot();
  G g;
  std::unordered_map<EntityId, G::vertex_descriptor> at;
  std::unordered_map<EntityId, std::string> names;
  PG_RETURN_IF_ERROR(store.ForEachEntity(snap, [&](const Entity& e) {
    if (e.type == "Claim") return true;
    std::string aliases;
    for (const std::string& a : e.aliases) aliases += (aliases.empty() ? "" : "; ") + a;
    at[e.id] = boost::add_vertex({"n" + std::to_string(e.id), e.name, e.type, aliases}, g);
    names[e.id] = e.name;
    return true;
  }));
  PG_RETURN_IF_ERROR(store.ForEachRelation(snap, [&](const Relation& r) {
    auto s = at.find(r.subject), o = at.find(r.object);
    if (s == at.end() || o == at.end()) return true;
    std::string q;
    for (const Qualifier& x : r.qualifiers) {
      std::string value = x.literal;
      if (x.is_node()) {
        auto n = names.find(x.node);
        value = n != names.end() ? n->second : "#" + std::to_string(x.node);
      }
      q += (q.empty() ? "" : "; ") + x.slot + ": " + value;
    }
    boost::add_edge(s->second, o->second, {"e" + std::to_string(r.id), r.type, q}, g);
    return true;
  }));
  if (format == "graphml") {
    boost::dynamic_properties dp(boost::ignore_other_properties);
    dp.property("name", boost::get(&V::name, g));
    dp.property("type", boost::get(&V::type, g));
    dp.property("aliases", boost::get(&V::aliases, g));
    dp.property("relation", boost::get(&E::type, g));
    dp.property("qualifiers", boost::get(&E::qualifiers, g));
    boost::write_graphml(out, g, boost::get(&V::id, g), dp, true);
  } else {
    boost::write_graphviz(
        out, g,
        [&](std::ostream& o, G::vertex_descriptor v) {
          o << "[label=" << DotQuoted(g[v].name) << ", type=" << DotQuoted(g[v].type) << "]";
        },
        [&](std::ostream& o, G::edge_descriptor e) {
          o << "[label=" << DotQuoted(g[e].type);
          if (!g[e].qualifiers.empty()) o << ", qualifiers=" << DotQuoted(g[e].qualifiers);
          o << "]";
        },
        [](std::ostream& o) { o << "graph [rankdir=LR];\n"; });
  }
  if (!out) return Status::IoError("writing the export failed");
  return Status::OK();
}

}  // namespace pactgraph::ingest
