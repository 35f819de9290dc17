#include "ingest/graph_export.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <boost/property_map/transform_value_property_map.hpp>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "graph/text.h"
#include "storage/resolve.h"

namespace pactgraph::ingest {
namespace {

struct V {
  std::string id, name, type, aliases;
};
struct E {
  std::string id, type;
  std::vector<std::string> slots;  // the value of each slot SlotsUsed lists, or empty
};
using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, V, E>;

// The entities and relations an export covers: everything but claims, or a neighbourhood.
struct Selection {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::unordered_map<EntityId, std::string> names;  // of every entity named (qualifiers too)
};

Result<Selection> Select(const storage::Store& store, const storage::Snapshot& snap, const GraphExportOptions& o) {
  Selection sel;
  auto name_of = [&](EntityId id) -> std::string {
    auto it = sel.names.find(id);
    if (it != sel.names.end()) return it->second;
    Result<Entity> e = store.GetEntity(snap, id);
    return sel.names[id] = e.ok() ? e->name : "#" + std::to_string(id);
  };
  if (o.focus.empty()) {
    PG_RETURN_IF_ERROR(store.ForEachEntity(snap, [&](const Entity& e) {
      if (e.type == "Claim") return true;
      sel.names[e.id] = e.name;
      sel.entities.push_back(e);
      return true;
    }));
    std::unordered_map<EntityId, bool> kept;
    for (const Entity& e : sel.entities) kept[e.id] = true;
    PG_RETURN_IF_ERROR(store.ForEachRelation(snap, [&](const Relation& r) {
      if (kept.count(r.subject) && kept.count(r.object)) sel.relations.push_back(r);
      return true;
    }));
  } else {
    PG_ASSIGN_OR_RETURN(EntityId start, storage::ResolveEntity(store, snap, o.focus));
    PG_ASSIGN_OR_RETURN(Neighbourhood n, NeighbourhoodOf(store, snap, start, o.depth));
    for (const Entity& e : n.entities) sel.names[e.id] = e.name;
    sel.entities = std::move(n.entities);
    sel.relations = std::move(n.relations);
  }
  for (const Relation& r : sel.relations) {
    for (const Qualifier& q : r.qualifiers) {
      if (q.is_node()) name_of(q.node);
    }
  }
  return sel;
}

// A qualifier's value as text: the entity's name for a node-valued slot.
std::string QualifierText(const Qualifier& x, const Selection& sel) {
  if (!x.is_node()) return x.literal;
  auto n = sel.names.find(x.node);
  return n != sel.names.end() ? n->second : "#" + std::to_string(x.node);
}

std::string Qualifiers(const Relation& r, const Selection& sel) {
  std::string q;
  for (const Qualifier& x : r.qualifiers) q += (q.empty() ? "" : "; ") + x.slot + ": " + QualifierText(x, sel);
  return q;
}

// The slots the selected relations use, in the schema's order (then any it lacks, by name), so
// that the attributes come out in the same order in every export.
std::vector<std::string> SlotsUsed(const Schema& schema, const Selection& sel) {
  std::set<std::string> used;
  for (const Relation& r : sel.relations) {
    for (const Qualifier& q : r.qualifiers) used.insert(q.slot);
  }
  std::vector<std::string> out;
  for (const SlotDef& d : schema.slots()) {
    if (used.erase(d.name)) out.push_back(d.name);
  }
  out.insert(out.end(), used.begin(), used.end());
  return out;
}

}  // namespace

Result<Neighbourhood> NeighbourhoodOf(const storage::Store& store, const storage::Snapshot& snap, EntityId focus, int depth,
                                      size_t max_entities) {
  Neighbourhood n;
  std::unordered_map<EntityId, int> seen;  // id -> depth
  PG_ASSIGN_OR_RETURN(Entity f, store.GetEntity(snap, focus));
  n.entities.push_back(std::move(f));
  n.depths.push_back(0);
  seen[focus] = 0;
  std::unordered_map<RelationId, bool> passed;
  // Breadth-first: the entities list is the queue.
  for (size_t head = 0; head < n.entities.size(); ++head) {
    const EntityId at = n.entities[head].id;
    const int d = n.depths[head];
    for (bool outgoing : {true, false}) {
      storage::RelationCursor c = outgoing ? store.Outgoing(snap, at) : store.Incoming(snap, at);
      for (; c.Valid(); c.Next()) {
        const Relation& r = c.relation();
        if (r.type == "SAID" || r.type == "ABOUT") continue;  // claims are evidence, not things
        const EntityId other = outgoing ? r.object : r.subject;
        if (!seen.count(other)) {
          if (d >= depth) continue;
          if (n.entities.size() >= max_entities) {
            n.truncated = true;
            continue;
          }
          PG_ASSIGN_OR_RETURN(Entity e, store.GetEntity(snap, other));
          seen[other] = d + 1;
          n.entities.push_back(std::move(e));
          n.depths.push_back(d + 1);
        }
        if (passed.emplace(r.id, true).second) n.relations.push_back(r);
      }
      PG_RETURN_IF_ERROR(c.status());
    }
  }
  return n;
}

Status ExportCsv(const storage::Store& store, const std::function<std::ostream&(const std::string& file)>& open,
                 const GraphExportOptions& options) {
  const storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(Selection sel, Select(store, snap, options));
  std::map<std::string, std::vector<const Entity*>> nodes;
  std::unordered_map<EntityId, std::string> type_of;
  for (const Entity& e : sel.entities) {
    nodes["nodes_" + e.type + ".csv"].push_back(&e);
    type_of[e.id] = e.type;
  }
  std::map<std::string, std::vector<const Relation*>> edges;
  for (const Relation& r : sel.relations) edges["edges_" + r.type + "_" + type_of[r.subject] + "_" + type_of[r.object] + ".csv"].push_back(&r);
  for (const auto& [file, list] : nodes) {
    std::ostream& out = open(file);
    out << "id:ID,name,aliases,:LABEL\n";
    for (const Entity* e : list) {
      std::string aliases;
      for (const std::string& a : e->aliases) aliases += (aliases.empty() ? "" : ";") + a;
      out << e->id << "," << CsvField(e->name) << "," << CsvField(aliases) << "," << e->type << "\n";
    }
    if (!out) return Status::IoError("writing " + file + " failed");
  }
  for (const auto& [file, list] : edges) {
    std::ostream& out = open(file);
    out << ":START_ID,:END_ID,:TYPE,relation,qualifiers\n";
    for (const Relation* r : list) out << r->subject << "," << r->object << "," << r->type << "," << r->id << "," << CsvField(Qualifiers(*r, sel)) << "\n";
    if (!out) return Status::IoError("writing " + file + " failed");
  }
  return Status::OK();
}

Status ExportGraph(const storage::Store& store, const std::string& format, std::ostream& out, const GraphExportOptions& options) {
  if (format != "graphml" && format != "dot") return Status::InvalidArgument("unknown graph format \"" + format + "\" (graphml or dot)");
  const storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(Selection sel, Select(store, snap, options));
  // Boost's write_graphml escapes markup (&, <, >, quotes) but writes control characters as
  // they are, and XML 1.0 has no way to carry most of them: they become visible escapes first.
  // DotString does the same for DOT.
  const bool xml = format == "graphml";
  auto text = [xml](const std::string& s) { return xml ? XmlText(s) : s; };
  G g;
  std::unordered_map<EntityId, G::vertex_descriptor> at;
  for (const Entity& e : sel.entities) {
    std::string aliases;
    for (const std::string& a : e.aliases) aliases += (aliases.empty() ? "" : "; ") + a;
    at[e.id] = boost::add_vertex({"n" + std::to_string(e.id), text(e.name), text(e.type), text(aliases)}, g);
  }
  const std::vector<std::string> slots = SlotsUsed(store.schema(), sel);
  for (const Relation& r : sel.relations) {
    auto s = at.find(r.subject), o = at.find(r.object);
    if (s == at.end() || o == at.end()) continue;
    E edge{"e" + std::to_string(r.id), text(r.type), std::vector<std::string>(slots.size())};
    for (const Qualifier& q : r.qualifiers) {
      for (size_t i = 0; i < slots.size(); ++i) {
        if (slots[i] == q.slot) edge.slots[i] = text(QualifierText(q, sel));
      }
    }
    boost::add_edge(s->second, o->second, std::move(edge), g);
  }
  if (xml) {
    boost::dynamic_properties dp(boost::ignore_other_properties);
    dp.property("name", boost::get(&V::name, g));
    dp.property("type", boost::get(&V::type, g));
    dp.property("aliases", boost::get(&V::aliases, g));
    dp.property("relation", boost::get(&E::type, g));
    // One <key> per slot, so that a reader asks for "on" as it asks for "relation". A slot
    // named like an attribute above keeps the attribute's meaning: the slot gets "slot_" first.
    for (size_t i = 0; i < slots.size(); ++i) {
      const bool clash = slots[i] == "name" || slots[i] == "type" || slots[i] == "aliases" || slots[i] == "relation";
      dp.property(clash ? "slot_" + slots[i] : slots[i],
                  boost::make_transform_value_property_map([i](const std::vector<std::string>& v) { return v[i]; },
                                                           boost::get(&E::slots, g)));
    }
    boost::write_graphml(out, g, boost::get(&V::id, g), dp, true);
  } else {
    boost::write_graphviz(
        out, g,
        [&](std::ostream& o, G::vertex_descriptor v) {
          o << "[label=" << DotString(g[v].name) << ", type=" << DotString(g[v].type) << "]";
        },
        [&](std::ostream& o, G::edge_descriptor e) {
          // The label stays readable ("SUPPORTS"); each slot is an attribute of its own, quoted
          // (a slot name is an identifier, and "slot_" keeps it clear of label and type).
          o << "[label=" << DotString(g[e].type);
          for (size_t i = 0; i < slots.size(); ++i) {
            if (g[e].slots[i].empty()) continue;
            const bool clash = slots[i] == "label" || slots[i] == "type";
            o << ", " << DotString(clash ? "slot_" + slots[i] : slots[i]) << "=" << DotString(g[e].slots[i]);
          }
          o << "]";
        },
        [](std::ostream& o) { o << "graph [rankdir=LR];\n"; });
  }
  if (!out) return Status::IoError("writing the export failed");
  return Status::OK();
}

}  // namespace pactgraph::ingest
