#include "query/engine.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cctype>
#include <cmath>
#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "graph/names.h"
#include "graph/projection.h"
#include "graph/text.h"
#include "query/card.h"
#include "query/internal/match.h"
#include "query/internal/operators.h"
#include "query/parser.h"
#include "storage/resolve.h"

namespace pactgraph::query {
namespace {

// A statement reads the sources of this many relations one by one before it reads them all in
// one pass: a question needs a few, a MATCH over the graph many more (a pass over 100,000
// relations' sources takes about what 5,000 lookups do).
constexpr size_t kLookupsBeforeScan = 4096;

std::string Lower(std::string_view s) { return AsciiLower(s); }
std::string WithCommas(uint64_t n) { return WithThousands(n); }


// The relations of one entity through the adjacency index. For a symmetric relation type both
// directions are read, and each relation is turned so that the entity is on the asked side.
class AdjacencyScan : public Op {
 public:
  AdjacencyScan(const storage::Store& store, const storage::Snapshot& snap, EntityId id, std::string name,
                bool outgoing, std::string type, bool symmetric, uint64_t estimate)
      : store_(store), snap_(snap), id_(id), name_(std::move(name)), outgoing_(outgoing), type_(std::move(type)),
        symmetric_(symmetric), estimate_(estimate) {}
  std::string Label() const override {
    std::string s = "AdjacencyScan " + std::string(outgoing_ ? "out of " : "into ") + name_ + " " + type_;
    if (symmetric_) s += " (symmetric: both directions)";
    if (estimate_) s += "   est. " + WithCommas(estimate_) + " rows";
    return s;
  }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      if (!cursor_) {
        if (pass_ == (symmetric_ ? 2 : 1)) return false;
        const bool out = pass_ == 0 ? outgoing_ : !outgoing_;
        cursor_ = std::make_unique<storage::RelationCursor>(out ? store_.Outgoing(snap_, id_, type_)
                                                                : store_.Incoming(snap_, id_, type_));
        cursor_out_ = out;
        ++pass_;
      }
      if (cursor_->Valid()) {
        row->rels.assign(1, cursor_->relation());
        if (cursor_out_ != outgoing_) std::swap(row->rels[0].subject, row->rels[0].object);
        cursor_->Next();
        return true;
      }
      PG_RETURN_IF_ERROR(cursor_->status());
      cursor_.reset();
    }
  }

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  EntityId id_;
  std::string name_;
  bool outgoing_;
  std::string type_;
  bool symmetric_;
  uint64_t estimate_;
  int pass_ = 0;
  bool cursor_out_ = true;
  std::unique_ptr<storage::RelationCursor> cursor_;
};

// Relations that have one of `values` in a node-valued slot, through the qualifier index.
class QualifierScan : public Op {
 public:
  QualifierScan(const storage::Store& store, const storage::Snapshot& snap, std::vector<EntityId> values,
                std::string values_label, std::string slot, std::string type, uint64_t estimate)
      : store_(store), snap_(snap), values_(std::move(values)), label_(std::move(values_label)), slot_(std::move(slot)),
        type_(std::move(type)), estimate_(estimate) {}
  std::string Label() const override {
    return "QualifierScan " + type_ + " with " + slot_ + " in " + label_ + "   est. " + WithCommas(estimate_) + " rows";
  }

 protected:
  Result<bool> Next(Row* row) override {
    while (pos_ == ids_.size()) {
      if (next_value_ == values_.size()) return false;
      PG_ASSIGN_OR_RETURN(ids_, store_.ByQualifier(snap_, values_[next_value_++], slot_, type_));
      pos_ = 0;
    }
    PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, ids_[pos_++]));
    row->rels.assign(1, std::move(r));
    return true;
  }

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  std::vector<EntityId> values_;
  std::string label_, slot_, type_;
  uint64_t estimate_;
  size_t next_value_ = 0;
  std::vector<RelationId> ids_;
  size_t pos_ = 0;
};


// For each input row, the relations of the subject of its last relation, appended to the row.
class ExpandSubject : public Op {
 public:
  ExpandSubject(std::unique_ptr<Op> child, const storage::Store& store, const storage::Snapshot& snap,
                bool outgoing, std::string type)
      : store_(store), snap_(snap), outgoing_(outgoing), type_(std::move(type)) {
    child_ = std::move(child);
  }
  std::string Label() const override {
    return "Expand subject " + std::string(outgoing_ ? "out " : "in ") + type_;
  }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      if (cursor_ && cursor_->Valid()) {
        *row = input_;
        row->rels.push_back(cursor_->relation());
        cursor_->Next();
        return true;
      }
      if (cursor_) PG_RETURN_IF_ERROR(cursor_->status());
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&input_));
      if (!more) return false;
      const EntityId at = input_.rels.back().subject;
      cursor_ = std::make_unique<storage::RelationCursor>(outgoing_ ? store_.Outgoing(snap_, at, type_)
                                                                    : store_.Incoming(snap_, at, type_));
    }
  }

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  bool outgoing_;
  std::string type_;
  Row input_;
  std::unique_ptr<storage::RelationCursor> cursor_;
};

// Rows already computed (a path, a card), handed out one by one.

}  // namespace

// One statement's run: its snapshot, caches, plan and output.
class Execution {
 public:
  Execution(Engine& engine, const Statement& st)
      : engine_(engine),
        store_(engine.store_),
        schema_(engine.store_.schema()),
        stamp_(engine.store_.LatestSequence()),
        snap_(engine.store_.GetSnapshot()),
        st_(st),
        guard_(Clock::now() + std::chrono::microseconds(static_cast<int64_t>(engine.limits_.timeout_s * 1e6)),
               &engine.cancelled_, engine.limits_.timeout_s),
        memory_(engine.limits_.max_memory_bytes),
        threshold_(static_cast<float>(engine.limits_.min_confidence)),
        with_candidates_(st.candidates || engine.limits_.candidates) {}

  // The most memory the statement held at once, as its budget counted it.
  uint64_t memory_peak() const { return memory_.peak(); }

  Result<Answer> Run() {
    Answer a;
    std::unique_ptr<Op> root;
    if (const auto* q = std::get_if<Question>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanQuestion(*q, &a));
    } else if (const auto* p = std::get_if<PathQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanPath(*p, &a));
    } else if (const auto* s = std::get_if<ShowQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanShow(*s, &a));
    } else if (const auto* m = std::get_if<MatchQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanMatchQuery(*m, &a));
    } else if (const auto* c = std::get_if<ComponentsQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanComponents(*c, &a));
    } else if (const auto* r = std::get_if<RankQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanRank(*r, &a));
    } else if (const auto* nb = std::get_if<NeighbourhoodQuery>(&st_.body)) {
      PG_ASSIGN_OR_RETURN(root, PlanNeighbourhood(*nb, &a));
    }
    if (st_.as_of) root = AsOf(std::move(root), *st_.as_of);
    root = Confident(std::move(root));
    a.with_candidates = with_candidates_;
    a.min_confidence = engine_.limits_.min_confidence;
    const uint64_t limit = std::min<uint64_t>(st_.limit.value_or(UINT64_MAX), engine_.limits_.max_rows);
    if (st_.explain) {
      std::ostringstream plan;
      plan << "Project " << Join(a.columns) << (st_.limit ? "   limit " + std::to_string(*st_.limit) : "") << "\n";
      root->Render(plan, 1, false);
      a.plan = plan.str();
      a.explain_only = true;
      return a;
    }
    Row row;
    while (a.rows.size() < limit) {
      PG_RETURN_IF_ERROR(guard_.Check());
      PG_ASSIGN_OR_RETURN(bool more, root->Pull(&row));
      if (!more) break;
      PG_RETURN_IF_ERROR(Emit(row, &a));
    }
    if (a.rows.size() == engine_.limits_.max_rows && (!st_.limit || *st_.limit > engine_.limits_.max_rows)) {
      Row probe;
      PG_ASSIGN_OR_RETURN(bool more, root->Pull(&probe));
      if (more) {
        a.notice = "stopped at " + WithCommas(engine_.limits_.max_rows) + " rows, the row limit (--max-rows to change)";
      }
    }
    if (a.rows.empty()) PG_RETURN_IF_ERROR(HintRelatives(&a));
    if (!left_out_.empty()) {
      std::ostringstream n;
      n << WithCommas(left_out_.size()) << " candidate fact" << (left_out_.size() == 1 ? "" : "s")
        << " (confidence below " << engine_.limits_.min_confidence << ") left out; WITH CANDIDATES shows "
        << (left_out_.size() == 1 ? "it" : "them");
      a.notice += (a.notice.empty() ? "" : "\n") + n.str();
    }
    if (st_.profile) {
      std::ostringstream plan;
      plan << "Project " << Join(a.columns) << "   [rows " << WithCommas(a.rows.size()) << "]\n";
      root->Render(plan, 1, true);
      a.plan = plan.str();
    }
    return a;
  }

 private:
  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out;
  }

  // --------------------------------------------------------------------------- binding

  // The statement's entity cache: each entity is read once per statement (MATCH's operators
  // read through it too).
  Result<const Entity*> EntityRef(EntityId id) {
    auto it = entities_.find(id);
    if (it == entities_.end()) {
      PG_ASSIGN_OR_RETURN(Entity e, store_.GetEntity(snap_, id));
      PG_RETURN_IF_ERROR(memory_.Charge(ApproxBytes(e), "the entities it reads"));
      it = entities_.emplace(id, std::move(e)).first;
    }
    return &it->second;
  }

  Result<Entity> Entity1(EntityId id) {
    PG_ASSIGN_OR_RETURN(const Entity* e, EntityRef(id));
    return *e;
  }

  Result<std::string> Label(EntityId id) {
    PG_ASSIGN_OR_RETURN(Entity e, Entity1(id));
    return e.name + " #" + std::to_string(id);
  }

  // A name to one entity; an error about the name is located at it in the query.
  Result<Entity> Bind(const NameRef& n) {
    Result<Entity> e = Lookup(n);
    const StatusCode code = e.status().code();
    if (!e.ok() && (code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument)) return ErrorAt(n.pos, e.status());
    return e;
  }

  // A name to one entity, by the one resolver (storage/resolve.h).
  Result<Entity> Lookup(const NameRef& n) {
    PG_ASSIGN_OR_RETURN(EntityId id, n.id ? storage::ResolveId(store_, snap_, n.id) : storage::ResolveName(store_, snap_, n.text));
    return Entity1(id);
  }

  static std::string Article(const std::string& word) {
    return (std::string("AEIOU").find(word.empty() ? 'x' : word[0]) != std::string::npos ? "an " : "a ") + word;
  }
  static std::string Types(const std::vector<std::string>& types) {
    std::string out;
    for (size_t i = 0; i < types.size(); ++i) out += (i ? (i + 1 == types.size() ? " or " : ", ") : "") + Article(types[i]);
    return out;
  }

  Status CheckType(const NameRef& n, const Entity& e, const std::vector<std::string>& allowed, const std::string& what) {
    if (Schema::TypeAllowed(allowed, e.type)) return Status::OK();
    return ErrorAt(n.pos, Status::InvalidArgument(what + " wants " + Types(allowed) + ", but \"" + e.name + "\" is " + Article(e.type)));
  }

  // Y, every product that is VARIANT_OF Y at any depth, and every product Y is a VARIANT_OF at
  // any depth: support stated on "Hyper-V Server" holds on "Hyper-V Server 2008", and support
  // on "Hyper-V Server 2008" is support on "Hyper-V Server". Siblings ("Windows Server 2003" for
  // "Windows Server 2008") are not included.
  Result<std::vector<EntityId>> WithVariants(EntityId y) {
    PG_ASSIGN_OR_RETURN(std::vector<EntityId> out, Variants(y, /*up=*/false));
    PG_ASSIGN_OR_RETURN(std::vector<EntityId> bases, Variants(y, /*up=*/true));
    std::unordered_set<EntityId> seen(out.begin(), out.end());
    for (EntityId b : bases) {
      if (seen.insert(b).second) out.push_back(b);
    }
    return out;
  }

  // Y and the products VARIANT_OF links reach from it, down (its variants) or up (what it is a
  // variant of), at any depth.
  Result<std::vector<EntityId>> Variants(EntityId y, bool up) {
    std::vector<EntityId> out = {y};
    std::unordered_set<EntityId> seen = {y};
    for (size_t i = 0; i < out.size(); ++i) {
      std::vector<storage::Store::Neighbour> variants;
      PG_RETURN_IF_ERROR(store_.ForEachNeighbour(snap_, out[i], up, "VARIANT_OF", [&](const storage::Store::Neighbour& nb) {
        variants.push_back(nb);
        return true;
      }));
      for (const storage::Store::Neighbour& nb : variants) {
        // A VARIANT_OF that is only a candidate does not widen the question.
        PG_ASSIGN_OR_RETURN(bool admitted, Admitted(nb.relation));
        if (admitted && seen.insert(nb.other).second) out.push_back(nb.other);
      }
      PG_RETURN_IF_ERROR(guard_.Check());
    }
    return out;
  }

  // --------------------------------------------------------------------------- planning

  struct NodeCond {
    std::string slot;
    std::vector<EntityId> values;
    std::string label;
  };

  // After an empty answer: the entities named with a condition's value that are not recorded
  // as its variants ("Hyper-V Server 2008" for ON Hyper-V), so that the user can ask for them.
  Status HintRelatives(Answer* a) {
    for (const auto& [name, slot] : hints_) {
      PG_ASSIGN_OR_RETURN(std::vector<EntityId> ids, store_.NamesContaining(snap_, name, 50));
      std::vector<std::string> names;
      for (EntityId id : ids) {
        PG_ASSIGN_OR_RETURN(Entity e, Entity1(id));
        if (e.name == name || e.type == "Claim" || !Schema::TypeAllowed(slot->types, e.type)) continue;
        names.push_back(e.name);
      }
      if (names.empty()) continue;
      std::string list;
      for (size_t i = 0; i < names.size() && i < 6; ++i) list += (i ? ", " : "") + ("\"" + names[i] + "\"");
      if (names.size() > 6) list += ", ...";
      a->notice += (a->notice.empty() ? "" : "\n") + ("no rows; these are named with \"" + name +
                   "\" but not recorded as its variants: " + list + " (ask " + slot->name + " one of them)");
    }
    return Status::OK();
  }

  Result<NodeCond> Family(const SlotCondition& c, const SlotDef& slot, Answer* a) {
    NodeCond nc{c.slot, {}, "\"" + c.value.text + "\""};
    PG_ASSIGN_OR_RETURN(std::vector<EntityId> ids, store_.NamesContaining(snap_, c.value.text, 200));
    std::vector<std::string> names;
    std::unordered_set<EntityId> seen;
    for (EntityId id : ids) {
      PG_ASSIGN_OR_RETURN(Entity e, Entity1(id));
      if (!Schema::TypeAllowed(slot.types, e.type) || e.type == "Claim") continue;
      names.push_back(e.name);
      PG_ASSIGN_OR_RETURN(std::vector<EntityId> with, WithVariants(id));
      for (EntityId v : with) {
        if (seen.insert(v).second) nc.values.push_back(v);
      }
    }
    if (names.empty()) return nc;
    std::string list;
    for (size_t i = 0; i < names.size() && i < 6; ++i) list += (i ? ", " : "") + names[i];
    if (names.size() > 6) list += ", ...";
    nc.label += " (" + std::to_string(names.size()) + " entities named with it)";
    a->notice += (a->notice.empty() ? "" : "\n") + ("\"" + c.value.text + "\" is not an entity; " +
                 c.slot + " matched the " + std::to_string(names.size()) + " whose names contain it: " + list);
    return nc;
  }

  Result<std::unique_ptr<Op>> PlanQuestion(const Question& q, Answer* a) {
    if (q.kind == Question::Kind::kSaidAbout) {
      PG_ASSIGN_OR_RETURN(Entity x, Bind(q.anchor));
      std::unique_ptr<Op> scan = std::make_unique<AdjacencyScan>(store_, snap_, x.id, x.name + " #" + std::to_string(x.id),
                                                                 false, "ABOUT", false, 0);
      a->columns = {"speaker", "claim", "about"};
    a->optional_columns_from = 2;
      mode_ = Mode::kSaidAbout;
      return std::unique_ptr<Op>(std::make_unique<ExpandSubject>(std::move(scan), store_, snap_, false, "SAID"));
    }
    const RelationTypeDef* rel = schema_.FindRelationType(q.relation);
    if (!rel) return Status::Internal("unknown relation type after parsing");
    const bool subjects = q.kind == Question::Kind::kSubjects;
    PG_ASSIGN_OR_RETURN(Entity x, Bind(q.anchor));
    PG_RETURN_IF_ERROR(CheckType(q.anchor, x, subjects ? rel->object_types : rel->subject_types,
                                 rel->name + (subjects ? "'s object" : "'s subject")));
    const std::string xlabel = x.name + " #" + std::to_string(x.id);

    // Bind the conditions: node slots to sets of entities (with variants unless EXACTLY).
    std::vector<NodeCond> nodes;
    std::vector<std::pair<std::string, std::string>> literals;  // slot, lowercased text
    for (const SlotCondition& c : q.conditions) {
      if (c.literal) {
        literals.emplace_back(c.slot, Lower(c.value.text));
        continue;
      }
      const SlotDef* slot = schema_.FindSlot(c.slot);
      Result<Entity> y = Bind(c.value);
      if (!y.ok() && y.status().code() == StatusCode::kNotFound && !c.exact && !c.value.id) {
        // A family name that is not an entity itself ("Hyper-V"): the entities of the slot's
        // types whose names contain it as whole words, each with its variants.
        PG_ASSIGN_OR_RETURN(NodeCond family, Family(c, *slot, a));
        if (!family.values.empty()) {
          nodes.push_back(std::move(family));
          continue;
        }
      }
      if (!y.ok()) return y.status();
      PG_RETURN_IF_ERROR(CheckType(c.value, *y, slot->types, rel->name + "'s \"" + c.slot + "\""));
      hints_.emplace_back(y->name, slot);
      NodeCond nc{c.slot, {y->id}, y->name + " #" + std::to_string(y->id)};
      if (!c.exact) {
        PG_ASSIGN_OR_RETURN(nc.values, WithVariants(y->id));
        if (nc.values.size() > 1) nc.label += " and " + std::to_string(nc.values.size() - 1) + " variant" + (nc.values.size() > 2 ? "s" : "");
      } else {
        nc.label += " exactly";
      }
      nodes.push_back(std::move(nc));
    }

    // Access path: the anchor's adjacency, or (asking who, with a node condition) the qualifier
    // index of the condition's entities, whichever lists fewer relations.
    constexpr uint64_t kCap = 1u << 20;
    std::unique_ptr<Op> root;
    int via_qual = -1;
    uint64_t qual_count = 0;
    if (subjects && !rel->symmetric) {
      for (size_t i = 0; i < nodes.size(); ++i) {
        uint64_t n = 0;
        for (EntityId v : nodes[i].values) {
          PG_ASSIGN_OR_RETURN(uint64_t c, store_.CountByQualifier(snap_, v, nodes[i].slot, rel->name, kCap));
          n += c;
        }
        if (via_qual < 0 || n < qual_count) {
          via_qual = static_cast<int>(i);
          qual_count = n;
        }
      }
    }
    // Count X's adjacency only when there is a choice to make, and only as far as it matters.
    uint64_t adj_count = 0;
    if (via_qual >= 0) {
      PG_ASSIGN_OR_RETURN(adj_count, store_.CountAdjacent(snap_, x.id, !subjects, rel->name, qual_count + 1));
    }
    if (via_qual >= 0 && qual_count < adj_count) {
      const NodeCond& nc = nodes[static_cast<size_t>(via_qual)];
      root = std::make_unique<QualifierScan>(store_, snap_, nc.values, nc.label, nc.slot, rel->name, qual_count);
      const EntityId xid = x.id;
      root = std::make_unique<Filter>(std::move(root), "object = " + xlabel,
                                      [xid](const Row& r) -> Result<bool> { return r.rels[0].object == xid; }, &guard_);
    } else {
      via_qual = -1;
      root = std::make_unique<AdjacencyScan>(store_, snap_, x.id, xlabel, !subjects, rel->name, rel->symmetric, adj_count);
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (static_cast<int>(i) == via_qual) continue;
      std::unordered_set<EntityId> allowed(nodes[i].values.begin(), nodes[i].values.end());
      const std::string slot = nodes[i].slot;
      root = std::make_unique<Filter>(std::move(root), slot + " in " + nodes[i].label,
                                      [allowed = std::move(allowed), slot](const Row& r) -> Result<bool> {
                                        const Qualifier* qv = r.rels[0].Find(slot);
                                        return qv && qv->is_node() && allowed.count(qv->node) > 0;
                                      },
                                      &guard_);
    }
    for (const auto& [slot, text] : literals) {
      root = std::make_unique<Filter>(std::move(root), slot + " = \"" + text + "\"",
                                      [slot = slot, text = text](const Row& r) -> Result<bool> {
                                        const Qualifier* qv = r.rels[0].Find(slot);
                                        return qv && !qv->is_node() && Lower(qv->literal) == text;
                                      },
                                      &guard_);
    }
    // Columns: the two ends, then the slots the relation type takes.
    a->columns = {"subject", "object"};
    a->optional_columns_from = 2;
    for (const SlotDef& s : schema_.slots()) {
      if (schema_.AllowsSlot(*rel, s.name)) a->columns.push_back(s.name);
    }
    mode_ = Mode::kRelation;
    return root;
  }

  Result<std::unique_ptr<Op>> PlanPath(const PathQuery& p, Answer* a) {
    PG_ASSIGN_OR_RETURN(Entity from, Bind(p.from));
    PG_ASSIGN_OR_RETURN(Entity to, Bind(p.to));
    if (p.max_hops < 1 || p.max_hops > engine_.limits_.max_path_hops) {
      return ErrorAt(p.max_pos, Status::InvalidArgument("MAX must be from 1 to " + std::to_string(engine_.limits_.max_path_hops) +
                                                        " (the path-length limit; --max-hops to change)"));
    }
    std::vector<TypeId> types;
    for (const std::string& v : p.via) types.push_back(schema_.FindRelationType(v)->id);
    const GraphProjection* g = nullptr;
    std::unique_ptr<GraphProjection> dated;
    if (st_.as_of) {
      PG_ASSIGN_OR_RETURN(dated, BuildProjection(&*st_.as_of));
      g = dated.get();
    } else {
      PG_ASSIGN_OR_RETURN(g, Projection());
    }
    if (p.all) return PlanAllPaths(p, from, to, types, g, a);
    if (p.weighted) return PlanWeightedPath(p, from, to, types, g, a);
    size_t visited = 0;
    std::optional<std::vector<PathStep>> path = g->ShortestPath(from.id, to.id, p.max_hops, types, &visited);
    std::vector<Row> rows;
    if (path) {
      for (const PathStep& s : *path) {
        PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, s.relation));
        rows.push_back(Row{{r}, {}, {}, {}, {}});
        steps_.push_back(s);
      }
    } else {
      a->notice = "no path from \"" + from.name + "\" to \"" + to.name + "\" of at most " + std::to_string(p.max_hops) +
                  " relation" + (p.max_hops == 1 ? "" : "s") + (p.via.empty() ? "" : " of the types asked");
    }
    a->columns = {"step", "from", "relation", "to"};
    a->optional_columns_from = 2;
    mode_ = Mode::kPath;
    std::string label = "ShortestPath (breadth-first, Boost.Graph) " + from.name + " to " + to.name + " max " +
                        std::to_string(p.max_hops) + (p.via.empty() ? "" : " via " + Join(p.via)) + "   over " +
                        WithCommas(g->num_edges()) + " relations; " + WithCommas(visited) + " entities reached";
    // AS OF is applied while building the projection, not again on the rows.
    as_of_done_ = true;
    confident_done_ = true;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(label, std::move(rows)));
  }

  // PATHS A TO B: every shortest path (at most 100), one row per step, numbered by path.
  Result<std::unique_ptr<Op>> PlanAllPaths(const PathQuery& p, const Entity& from, const Entity& to, const std::vector<TypeId>& types,
                                           const GraphProjection* g, Answer* a) {
    bool more = false;
    const size_t cap = std::min<uint64_t>(100, engine_.limits_.max_rows);
    std::vector<std::vector<PathStep>> paths = g->AllShortestPaths(from.id, to.id, p.max_hops, types, cap, &more);
    std::vector<Row> rows;
    for (size_t i = 0; i < paths.size(); ++i) {
      for (size_t k = 0; k < paths[i].size(); ++k) {
        PG_RETURN_IF_ERROR(guard_.Check());
        PG_ASSIGN_OR_RETURN(Row row, StepRow(paths[i][k]));
        row.values.insert(row.values.begin(), {Value::Int(static_cast<int64_t>(i + 1)), Value::Int(static_cast<int64_t>(k + 1))});
        rows.push_back(std::move(row));
      }
    }
    if (paths.empty()) {
      a->notice = "no path from \"" + from.name + "\" to \"" + to.name + "\" of at most " + std::to_string(p.max_hops) + " relations";
    } else {
      a->notice = WithCommas(paths.size()) + " shortest path" + (paths.size() == 1 ? "" : "s") + " of " +
                  std::to_string(paths.front().size()) + " relation" + (paths.front().size() == 1 ? "" : "s") +
                  (more ? "; stopped at " + WithCommas(cap) + " paths" : "");
    }
    a->columns = {"path", "step", "from", "relation", "to"};
    mode_ = Mode::kMatch;
    as_of_done_ = true;
    confident_done_ = true;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(
        "AllShortestPaths (breadth-first, Boost.Graph) " + from.name + " to " + to.name + " max " + std::to_string(p.max_hops), std::move(rows)));
  }

  // PATH WEIGHTED A TO B: the most trusted path, Dijkstra over -ln(confidence) of each relation
  // (its best source's confidence).
  Result<std::unique_ptr<Op>> PlanWeightedPath(const PathQuery& p, const Entity& from, const Entity& to, const std::vector<TypeId>& types,
                                               const GraphProjection* g, Answer* a) {
    Status failed;
    auto weight = [&](RelationId r) {
      double best = 0;
      Result<std::vector<Provenance>> sources = store_.GetProvenance(snap_, r);
      if (!sources.ok()) {
        failed = sources.status();
      } else {
        for (const Provenance& pv : *sources) best = std::max(best, static_cast<double>(pv.confidence));
      }
      best = std::clamp(best, 1e-6, 1.0);
      return -std::log(best) + 1e-9;  // a certain relation still costs a little: fewer steps win ties
    };
    std::optional<std::vector<PathStep>> path = g->LightestPath(from.id, to.id, types, weight);
    PG_RETURN_IF_ERROR(failed);
    std::vector<Row> rows;
    double trust = 1;
    if (path) {
      if (static_cast<int>(path->size()) > p.max_hops) {
        a->notice = "the most trusted path has " + std::to_string(path->size()) + " relations, more than MAX " + std::to_string(p.max_hops);
        path.reset();
      }
    }
    if (path) {
      for (const PathStep& s : *path) {
        PG_ASSIGN_OR_RETURN(Row row, StepRow(s));
        row.values.insert(row.values.begin(), Value::Int(static_cast<int64_t>(rows.size() + 1)));
        trust *= std::exp(-weight(s.relation));
        rows.push_back(std::move(row));
      }
      std::ostringstream n;
      n.precision(3);
      n << "the product of the relations' confidence along the path is " << trust;
      a->notice = n.str();
    } else if (a->notice.empty()) {
      a->notice = "no path from \"" + from.name + "\" to \"" + to.name + "\"";
    }
    a->columns = {"step", "from", "relation", "to"};
    mode_ = Mode::kMatch;
    as_of_done_ = true;
    confident_done_ = true;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(
        "LightestPath (Dijkstra, Boost.Graph; weight -ln confidence) " + from.name + " to " + to.name, std::move(rows)));
  }

  // One step of a path as values (from, relation, to) with the relation for its evidence.
  Result<Row> StepRow(const PathStep& s) {
    PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, s.relation));
    PG_ASSIGN_OR_RETURN(std::string from, Shown(s.from));
    PG_ASSIGN_OR_RETURN(std::string to, Shown(s.to));
    Row row;
    row.values = {Value::Text(from), Value::Text(s.forward ? r.type + " ->" : "<- " + r.type), Value::Text(to)};
    row.rels.push_back(std::move(r));
    return row;
  }

  // The projection a whole-graph statement works on: the store's as of the statement's date,
  // else the engine's cached one.
  Result<const GraphProjection*> ProjectionFor(std::unique_ptr<GraphProjection>* dated) {
    if (st_.as_of) {
      PG_ASSIGN_OR_RETURN(*dated, BuildProjection(&*st_.as_of));
      return dated->get();
    }
    return Projection();
  }

  // Each vertex's entity type (0xFFFF for an id with no entity), read once per projection.
  Result<const std::vector<TypeId>*> VertexTypes(const GraphProjection* g) {
    PG_RETURN_IF_ERROR(Derived(g));
    if (engine_.vertex_types_.empty()) {
      std::vector<TypeId> types(g->num_vertices(), 0xFFFF);
      PG_RETURN_IF_ERROR(store_.ForEachEntity(snap_, [&](const Entity& e) {
        const EntityTypeDef* t = schema_.FindEntityType(e.type);
        if (t && e.id < types.size()) types[e.id] = t->id;
        return true;
      }));
      engine_.vertex_types_ = std::move(types);
    }
    return &engine_.vertex_types_;
  }

  // Cached results follow the engine's projection; a dated projection gets none.
  Status Derived(const GraphProjection* g) {
    if (g != engine_.projection_.get()) {
      engine_.vertex_types_.clear();
      engine_.scores_.clear();
      engine_.derived_stamp_ = UINT64_MAX;
      return Status::OK();
    }
    if (engine_.derived_stamp_ != engine_.projection_stamp_) {
      engine_.vertex_types_.clear();
      engine_.scores_.clear();
      engine_.derived_stamp_ = engine_.projection_stamp_;
    }
    return Status::OK();
  }

  Result<std::unique_ptr<Op>> PlanComponents(const ComponentsQuery& c, Answer* a) {
    std::unique_ptr<GraphProjection> dated;
    PG_ASSIGN_OR_RETURN(const GraphProjection* g, ProjectionFor(&dated));
    PG_ASSIGN_OR_RETURN(const std::vector<TypeId>* types, VertexTypes(g));
    std::vector<bool> wanted(0x10000, c.types.empty());
    for (const std::string& t : c.types) wanted[schema_.FindEntityType(t)->id] = true;
    std::vector<bool> keep(types->size());
    for (size_t v = 0; v < keep.size(); ++v) keep[v] = (*types)[v] != 0xFFFF && wanted[(*types)[v]];
    const std::vector<uint32_t> comp = g->Components(keep);
    const std::vector<uint64_t> degree = g->Degree();
    // Members by component; each component's best-connected members as its examples.
    std::unordered_map<uint32_t, std::vector<EntityId>> members;
    for (size_t v = 0; v < comp.size(); ++v) {
      if (comp[v] != UINT32_MAX) members[comp[v]].push_back(v);
    }
    std::vector<std::vector<EntityId>*> groups;
    for (auto& [root, list] : members) groups.push_back(&list);
    std::sort(groups.begin(), groups.end(), [](const auto* x, const auto* y) {
      return x->size() != y->size() ? x->size() > y->size() : x->front() < y->front();
    });
    size_t singles = 0;
    for (const auto* gr : groups) singles += gr->size() == 1;
    const uint64_t want = std::min<uint64_t>(st_.limit.value_or(engine_.limits_.max_rows), engine_.limits_.max_rows);
    std::vector<Row> rows;
    for (size_t i = 0; i < groups.size() && rows.size() < want; ++i) {
      PG_RETURN_IF_ERROR(guard_.Check());
      std::vector<EntityId>& list = *groups[i];
      std::partial_sort(list.begin(), list.begin() + std::min<size_t>(5, list.size()), list.end(),
                        [&](EntityId x, EntityId y) { return degree[x] != degree[y] ? degree[x] > degree[y] : x < y; });
      std::string examples;
      for (size_t k = 0; k < std::min<size_t>(5, list.size()); ++k) {
        PG_ASSIGN_OR_RETURN(std::string name, Shown(list[k]));
        examples += (k ? ", " : "") + name;
      }
      if (list.size() > 5) examples += ", …";
      Row row;
      row.values = {Value::Int(static_cast<int64_t>(i + 1)), Value::Int(static_cast<int64_t>(list.size())), Value::Text(examples)};
      rows.push_back(std::move(row));
    }
    a->columns = {"component", "entities", "best connected"};
    a->notice = WithCommas(groups.size()) + " components (" + WithCommas(singles) + " of a single entity)" +
                (c.types.empty() ? "" : " among the entities of type " + Join(c.types));
    mode_ = Mode::kMatch;
    as_of_done_ = true;
    confident_done_ = true;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(
        "ConnectedComponents (union-find, Boost.Graph disjoint_sets) over " + WithCommas(g->num_edges()) + " relations", std::move(rows)));
  }

  Result<std::unique_ptr<Op>> PlanRank(const RankQuery& r, Answer* a) {
    std::unique_ptr<GraphProjection> dated;
    PG_ASSIGN_OR_RETURN(const GraphProjection* g, ProjectionFor(&dated));
    PG_ASSIGN_OR_RETURN(const std::vector<TypeId>* types, VertexTypes(g));
    // Scores are kept with the engine's projection; a dated projection's are computed each time.
    const int key = static_cast<int>(r.by);
    Engine::Scores local;
    const Engine::Scores* scores = nullptr;
    const bool cached = g == engine_.projection_.get();
    if (auto it = engine_.scores_.find(key); cached && it != engine_.scores_.end()) scores = &it->second;
    if (!scores) {
      Engine::Scores computed;
      if (r.by == RankQuery::By::kPageRank) {
        computed.values = g->PageRank(20);
      } else if (r.by == RankQuery::By::kDegree) {
        const std::vector<uint64_t> d = g->Degree();
        computed.values.assign(d.begin(), d.end());
      } else {
        bool sampled = false;
        computed.values = g->Betweenness(5000, 256, 42, &sampled);
        if (sampled) computed.note = "betweenness estimated from 256 sampled source entities (the graph has more than 5,000 with relations)";
      }
      scores = cached ? &(engine_.scores_[key] = std::move(computed)) : &(local = std::move(computed));
    }
    const TypeId want_type = schema_.FindEntityType(r.type)->id;
    std::vector<EntityId> candidates;
    for (size_t v = 0; v < types->size() && v < scores->values.size(); ++v) {
      if ((*types)[v] == want_type) candidates.push_back(v);
    }
    const uint64_t want = std::min<uint64_t>(st_.limit.value_or(10), engine_.limits_.max_rows);
    const size_t top = std::min<size_t>(want, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + top, candidates.end(), [&](EntityId x, EntityId y) {
      return scores->values[x] != scores->values[y] ? scores->values[x] > scores->values[y] : x < y;
    });
    std::vector<Row> rows;
    for (size_t i = 0; i < top; ++i) {
      PG_ASSIGN_OR_RETURN(std::string name, Shown(candidates[i]));
      Row row;
      const double sc = scores->values[candidates[i]];
      Value score;
      if (r.by == RankQuery::By::kDegree) {
        score = Value::Int(static_cast<int64_t>(sc));
      } else {
        std::ostringstream o;
        o.precision(4);
        o << sc;
        score = Value::Text(o.str());
      }
      row.values = {Value::Int(static_cast<int64_t>(i + 1)), Value::Text(name), std::move(score)};
      rows.push_back(std::move(row));
    }
    const char* by = r.by == RankQuery::By::kPageRank ? "pagerank" : r.by == RankQuery::By::kDegree ? "degree" : "betweenness";
    a->columns = {"rank", r.type, by};
    if (!scores->note.empty()) a->notice = scores->note;
    mode_ = Mode::kMatch;
    as_of_done_ = true;
    confident_done_ = true;
    const char* how = r.by == RankQuery::By::kPageRank ? "PageRank (Boost.Graph page_rank, 20 rounds, damping 0.85)"
                      : r.by == RankQuery::By::kDegree ? "Degree (relations either way)"
                                                         : "Betweenness (Brandes, Boost.Graph)";
    return std::unique_ptr<Op>(std::make_unique<Materialized>(std::string("Rank ") + r.type + " by " + how, std::move(rows)));
  }

  Result<std::unique_ptr<Op>> PlanNeighbourhood(const NeighbourhoodQuery& nb, Answer* a) {
    PG_ASSIGN_OR_RETURN(Entity e, Bind(nb.name));
    if (nb.depth < 1 || nb.depth > engine_.limits_.max_path_hops) {
      return Status::InvalidArgument("DEPTH must be from 1 to " + std::to_string(engine_.limits_.max_path_hops));
    }
    std::unique_ptr<GraphProjection> dated;
    PG_ASSIGN_OR_RETURN(const GraphProjection* g, ProjectionFor(&dated));
    const uint64_t want = std::min<uint64_t>(st_.limit.value_or(engine_.limits_.max_rows), engine_.limits_.max_rows);
    std::vector<GraphProjection::Reached> reached = g->Neighbourhood(e.id, nb.depth, want + 1);
    std::vector<Row> rows;
    for (const auto& rc : reached) {
      if (!rc.via) continue;  // the start itself
      PG_RETURN_IF_ERROR(guard_.Check());
      PG_ASSIGN_OR_RETURN(const Entity* ent, EntityRef(rc.id));
      PG_ASSIGN_OR_RETURN(Row row, StepRow(*rc.via));
      row.values = {Value::Int(rc.depth), Value::Text(ent->name), Value::Text(ent->type), row.values[1], row.values[0]};
      rows.push_back(std::move(row));
    }
    a->columns = {"depth", "entity", "type", "relation", "from"};
    a->notice = WithCommas(rows.size()) + " entities within " + std::to_string(nb.depth) + " relation" + (nb.depth == 1 ? "" : "s") +
                " of \"" + e.name + "\"";
    mode_ = Mode::kMatch;
    as_of_done_ = true;
    confident_done_ = true;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(
        "Neighbourhood (breadth-first, Boost.Graph) of " + e.name + " depth " + std::to_string(nb.depth), std::move(rows)));
  }

  // The engine's projection of the whole graph, built on first use and again when the store
  // has changed since.
  Result<const GraphProjection*> Projection() {
    const uint64_t stamp = stamp_;
    const float floor = Floor();
    if (!engine_.projection_ || engine_.projection_stamp_ != stamp || engine_.projection_floor_ != floor) {
      PG_ASSIGN_OR_RETURN(engine_.projection_, BuildProjection(nullptr));
      engine_.projection_stamp_ = stamp;
      engine_.projection_floor_ = floor;
      engine_.derived_stamp_ = UINT64_MAX;  // scores of the projection before are not this one's
    }
    return engine_.projection_.get();
  }

  Result<std::unique_ptr<GraphProjection>> BuildProjection(const std::string* as_of) {
    std::vector<ProjectedEdge> edges;
    EntityId max_id = 0;
    std::unordered_set<RelationId> visible;
    if (as_of) {
      PG_ASSIGN_OR_RETURN(visible, VisibleRelations(*as_of));
    }
    const std::unordered_set<RelationId> none;
    const std::unordered_set<RelationId>* candidates = &none;
    if (Floor() > 0) {
      PG_ASSIGN_OR_RETURN(candidates, CandidateSet());
    }
    PG_RETURN_IF_ERROR(store_.ForEachEdgeKey(snap_, [&](EntityId s, TypeId t, EntityId o, RelationId r) {
      if (as_of && !visible.count(r)) return;
      if (candidates->count(r)) return;
      edges.push_back({s, t, o, r});
      max_id = std::max({max_id, s, o});
    }));
    return std::make_unique<GraphProjection>(max_id, edges);
  }

  Result<std::unique_ptr<Op>> PlanMatchQuery(const MatchQuery& m, Answer* a) {
    MatchContext ctx;
    ctx.store = &store_;
    ctx.snap = &snap_;
    ctx.schema = &schema_;
    ctx.guard = &guard_;
    ctx.memory = &memory_;
    ctx.limits = engine_.limits_;
    if (st_.as_of) {
      const std::string date = *st_.as_of;
      ctx.as_of = [this, date](std::unique_ptr<Op> root) { return AsOf(std::move(root), date); };
    }
    if (Floor() > 0) ctx.admit = [this](RelationId id) { return Admitted(id); };
    ctx.shown = [this](EntityId id) { return Shown(id); };
    ctx.entity = [this](EntityId id) { return EntityRef(id); };
    ctx.degrees = [this](TypeId type, bool outgoing) -> Result<const GraphProjection::Degrees*> {
      PG_ASSIGN_OR_RETURN(const GraphProjection* g, Projection());
      return &g->DegreesOf(type, outgoing);
    };
    PG_ASSIGN_OR_RETURN(MatchPlan plan, PlanMatch(m, ctx));
    // AS OF was applied to the matched rows, before WHERE and RETURN; candidates were left out
    // of every hop (ctx.admit), so that a path does not go through one.
    as_of_done_ = true;
    confident_done_ = true;
    a->columns = std::move(plan.columns);
    if (!plan.notice.empty()) a->notice = plan.notice;
    mode_ = Mode::kMatch;
    return std::move(plan.root);
  }

  Result<std::unique_ptr<Op>> PlanShow(const ShowQuery& s, Answer* a) {
    PG_ASSIGN_OR_RETURN(Entity e, Bind(s.name));
    a->title = e.name + " (" + e.type + " #" + std::to_string(e.id) + ")";
    if (!e.aliases.empty()) {
      a->title += ", also ";
      for (size_t i = 0; i < e.aliases.size(); ++i) a->title += (i ? ", " : "") + e.aliases[i];
    }
    // The card's relations, read by the one card builder (query/card.h); the rows' evidence is
    // read as every answer's is, under the evidence limit.
    CardOptions options;
    options.with_sources = false;
    // Each relation is charged to the query's memory bound before it is read in.
    options.check = [this](const Relation& r) -> Status {
      PG_RETURN_IF_ERROR(guard_.Check());
      return memory_.Charge(ApproxBytes(Row{{r}, {}, {}, {}, {}}), "the relations of the entity's card");
    };
    PG_ASSIGN_OR_RETURN(EntityCard card, BuildEntityCard(store_, snap_, e.id, options));
    std::vector<Row> rows;
    for (CardSection* section : {&card.outgoing, &card.incoming, &card.qualifier_of}) {
      for (CardRelation& r : section->relations) {
        rows.push_back(Row{{std::move(r.relation)}, {}, {}, {}, {}});
      }
    }
    a->columns = {"subject", "relation", "object", "qualifiers"};
    a->optional_columns_from = 2;
    mode_ = Mode::kCard;
    return std::unique_ptr<Op>(std::make_unique<Materialized>(
        "EntityCard " + e.name + " #" + std::to_string(e.id) + ": adjacency out and in, qualifier index", std::move(rows)));
  }

  // --------------------------------------------------------------------------- AS OF

  // The earliest dated source of each relation.
  Result<std::string> FirstSeen(RelationId id) {
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, id));
    std::string first;
    for (const Provenance& p : sources) {
      PG_ASSIGN_OR_RETURN(const Document* d, Doc(p.document));
      if (!d->date.empty() && (first.empty() || d->date < first)) first = d->date;
    }
    return first;
  }

  static bool Ended(const Relation& r, const std::string& date) {
    const Qualifier* since = r.Find("since");
    if (since && !since->literal.empty() && since->literal > date) return true;
    const Qualifier* until = r.Find("until");
    return until && !until->literal.empty() && until->literal <= date;
  }

  Result<bool> VisibleAt(const Relation& r, const std::string& date) {
    if (Ended(r, date)) return false;
    PG_ASSIGN_OR_RETURN(std::string first, FirstSeen(r.id));
    return !first.empty() && first <= date;
  }

  Result<std::unordered_set<RelationId>> VisibleRelations(const std::string& date) {
    std::unordered_set<RelationId> out;
    std::unordered_map<DocumentId, std::string> dates;
    PG_RETURN_IF_ERROR(store_.ForEachDocument(snap_, [&](const Document& d) {
      dates[d.id] = d.date;
      return true;
    }));
    PG_RETURN_IF_ERROR(memory_.Charge(dates.size() * (kNodeOverhead + sizeof(std::string)), "the dates of the documents"));
    Status held;
    PG_RETURN_IF_ERROR(store_.ForEachProvenance(snap_, [&](RelationId r, const Provenance& p) {
      const std::string& d = dates[p.document];
      if (!d.empty() && d <= date && out.insert(r).second) held = memory_.Charge(kNodeOverhead, "the relations visible AS OF " + date);
      return held.ok();
    }));
    PG_RETURN_IF_ERROR(held);
    // Relations that ended (or had not begun) by then.
    std::vector<RelationId> ended;
    for (RelationId id : out) {
      PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, id));
      if (Ended(r, date)) ended.push_back(id);
    }
    for (RelationId id : ended) out.erase(id);
    return out;
  }

  std::unique_ptr<Op> AsOf(std::unique_ptr<Op> root, const std::string& date) {
    if (as_of_done_) return root;
    return std::make_unique<Filter>(std::move(root), "as of " + date + ": first stated by then, not ended",
                                    [this, date](const Row& r) -> Result<bool> {
                                      for (const Relation& rel : r.rels) {
                                        PG_ASSIGN_OR_RETURN(bool v, VisibleAt(rel, date));
                                        if (!v) return false;
                                      }
                                      return true;
                                    },
                                    &guard_);
  }

  // --------------------------------------------------------------------------- candidates

  // The confidence below which relations are left out: 0 when candidates are asked for.
  float Floor() const { return with_candidates_ ? 0.0f : threshold_; }

  // The highest confidence among relation `id`'s sources, read once per statement.
  Result<float> BestConfidence(RelationId id) {
    if (auto it = best_confidence_.find(id); it != best_confidence_.end()) return it->second;
    ++lookups_;
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, id));
    float best = 0;
    for (const Provenance& p : sources) best = std::max(best, p.confidence);
    PG_RETURN_IF_ERROR(memory_.Charge(kNodeOverhead, "the confidence of the relations it reads"));
    best_confidence_.emplace(id, best);
    return best;
  }

  // True when relation `id` is a candidate: its best source is below the threshold. Compared
  // as floats, the confidences' own type, so that a threshold of 0.7 keeps a fact of 0.7.
  // A question looks its few relations up one by one; a statement that has looked up many (a
  // MATCH over much of the graph) reads every source once instead, into the engine's set.
  Result<bool> IsCandidate(RelationId id) {
    if (threshold_ <= 0) return false;
    if (CandidateSetKnown() || lookups_ >= kLookupsBeforeScan) {
      PG_ASSIGN_OR_RETURN(const std::unordered_set<RelationId>* set, CandidateSet());
      return set->count(id) > 0;
    }
    PG_ASSIGN_OR_RETURN(float best, BestConfidence(id));
    return best < threshold_;
  }

  // Whether relation `id` may be in this statement's answer. With `count`, a candidate left out
  // is counted for the answer's notice (only where a row is dropped for it, not where a walk
  // merely passes it by).
  Result<bool> Admitted(RelationId id, bool count = false) {
    if (Floor() <= 0) return true;
    PG_ASSIGN_OR_RETURN(bool candidate, IsCandidate(id));
    if (candidate && count && left_out_.insert(id).second) {
      PG_RETURN_IF_ERROR(memory_.Charge(kNodeOverhead, "the candidates it leaves out"));
    }
    return !candidate;
  }

  bool CandidateSetKnown() const {
    return engine_.candidates_stamp_ == stamp_ && engine_.candidates_threshold_ == threshold_;
  }

  // Every candidate relation of the store, from one pass over the sources (in relation order,
  // so each relation's best confidence is known when its last source has been read). Kept in
  // the engine, as the graph projection is, until the store changes or the threshold does.
  Result<const std::unordered_set<RelationId>*> CandidateSet() {
    if (CandidateSetKnown()) return &engine_.candidates_;
    engine_.candidates_stamp_ = UINT64_MAX;
    engine_.candidates_.clear();
    std::unordered_set<RelationId>& out = engine_.candidates_;
    RelationId at = 0;
    float best = 0;
    size_t n = 0;
    auto close = [&] {
      if (at != 0 && best < threshold_) out.insert(at);
    };
    Status stopped;
    PG_RETURN_IF_ERROR(store_.ForEachProvenance(snap_, [&](RelationId r, const Provenance& p) {
      if (r != at) {
        close();
        at = r;
        best = 0;
      }
      best = std::max(best, p.confidence);
      if ((++n & 0xFFF) == 0) stopped = guard_.Check();
      return stopped.ok();
    }));
    PG_RETURN_IF_ERROR(stopped);
    close();
    engine_.candidates_stamp_ = stamp_;
    engine_.candidates_threshold_ = threshold_;
    return &engine_.candidates_;
  }

  // Rows that rest on a candidate are left out, unless candidates were asked for. Whole-graph
  // plans and MATCH leave candidates out as they walk instead.
  std::unique_ptr<Op> Confident(std::unique_ptr<Op> root) {
    if (confident_done_ || Floor() <= 0) return root;
    std::ostringstream label;
    label << "confidence >= " << engine_.limits_.min_confidence << " (candidates left out)";
    return std::make_unique<Filter>(std::move(root), label.str(),
                                    [this](const Row& r) -> Result<bool> {
                                      for (const Relation& rel : r.rels) {
                                        PG_ASSIGN_OR_RETURN(bool ok, Admitted(rel.id, /*count=*/true));
                                        if (!ok) return false;
                                      }
                                      return true;
                                    },
                                    &guard_);
  }

  // --------------------------------------------------------------------------- output

  Result<const Document*> Doc(DocumentId id) {
    auto it = docs_.find(id);
    if (it == docs_.end()) {
      PG_ASSIGN_OR_RETURN(Document d, store_.GetDocument(snap_, id));
      PG_RETURN_IF_ERROR(memory_.Charge(kNodeOverhead + sizeof(Document) + OwnedBytes(d.key) + OwnedBytes(d.kind) +
                                            OwnedBytes(d.title) + OwnedBytes(d.publisher) + OwnedBytes(d.date) +
                                            OwnedBytes(d.url) + OwnedBytes(d.text) + OwnedBytes(d.content_hash),
                                        "the documents its evidence quotes"));
      it = docs_.emplace(id, std::move(d)).first;
    }
    return &it->second;
  }

  Result<std::string> Shown(EntityId id) {
    PG_ASSIGN_OR_RETURN(const Entity* ent, EntityRef(id));
    const Entity& e = *ent;
    if (e.type == "Claim" && e.name.size() > 100) {
      size_t cut = 100;
      while (cut > 0 && (static_cast<unsigned char>(e.name[cut]) & 0xC0) == 0x80) --cut;
      return e.name.substr(0, cut) + "...";
    }
    return e.name;
  }

  Result<Value> SlotValue(const Relation& r, const std::string& slot) {
    const Qualifier* q = r.Find(slot);
    if (!q) return Value{};
    if (q->is_node()) {
      PG_ASSIGN_OR_RETURN(std::string n, Shown(q->node));
      return Value::Text(n);
    }
    return Value::Text(q->literal);
  }

  Status AddEvidence(const Relation& r, std::vector<Evidence>* out) {
    if (out->size() >= engine_.limits_.max_evidence) return Status::OK();
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, r.id));
    // Dated sources first, oldest first; then the rest.
    std::vector<std::pair<std::string, const Provenance*>> order;
    for (const Provenance& p : sources) {
      PG_ASSIGN_OR_RETURN(const Document* d, Doc(p.document));
      order.emplace_back(d->date.empty() ? "9999" : d->date, &p);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [date, p] : order) {
      if (out->size() >= engine_.limits_.max_evidence) break;
      PG_ASSIGN_OR_RETURN(const Document* d, Doc(p->document));
      Evidence e;
      e.document = d->title.empty() ? d->key : d->title;
      e.date = d->date;
      e.sentence = p->sentence;
      e.line = p->line;
      e.rule = p->extractor;
      e.confidence = p->confidence;
      e.below_threshold = p->confidence < threshold_;
      e.text = p->evidence;
      if (e.text.empty() && p->span_end > p->span_begin && p->span_end <= d->text.size()) {
        e.text = d->text.substr(p->span_begin, p->span_end - p->span_begin);
      }
      out->push_back(std::move(e));
    }
    return Status::OK();
  }

  Status Emit(const Row& row, Answer* a) {
    std::vector<Value> values;
    std::vector<Evidence> ev;
    if (mode_ == Mode::kMatch) {
      for (const Relation& rel : row.rels) {
        if (ev.size() >= engine_.limits_.max_evidence) break;
        PG_RETURN_IF_ERROR(AddEvidence(rel, &ev));
      }
      PG_RETURN_IF_ERROR(memory_.Charge(ApproxBytes(row.values) + ApproxBytes(ev), "the rows of its answer"));
      PG_ASSIGN_OR_RETURN(bool candidate, RestsOnCandidate(row));
      a->rows.push_back(row.values);
      a->evidence.push_back(std::move(ev));
      a->candidate.push_back(candidate);
      return Status::OK();
    }
    const Relation& r = row.rels.back();
    switch (mode_) {
      case Mode::kRelation: {
        const Relation& f = row.rels[0];
        PG_ASSIGN_OR_RETURN(std::string s, Shown(f.subject));
        PG_ASSIGN_OR_RETURN(std::string o, Shown(f.object));
        values = {Value::Text(s), Value::Text(o)};
        for (size_t i = 2; i < a->columns.size(); ++i) {
          PG_ASSIGN_OR_RETURN(Value v, SlotValue(f, a->columns[i]));
          values.push_back(std::move(v));
        }
        PG_RETURN_IF_ERROR(AddEvidence(f, &ev));
        break;
      }
      case Mode::kSaidAbout: {
        // rels[0]: claim ABOUT x; rels[1]: speaker SAID claim.
        PG_ASSIGN_OR_RETURN(std::string speaker, Shown(row.rels[1].subject));
        PG_ASSIGN_OR_RETURN(std::string claim, Shown(row.rels[0].subject));
        PG_ASSIGN_OR_RETURN(std::string about, Shown(row.rels[0].object));
        values = {Value::Text(speaker), Value::Text(claim), Value::Text(about)};
        PG_RETURN_IF_ERROR(AddEvidence(row.rels[1], &ev));
        break;
      }
      case Mode::kPath: {
        const PathStep& s = steps_[a->rows.size()];
        PG_ASSIGN_OR_RETURN(std::string from, Shown(s.from));
        PG_ASSIGN_OR_RETURN(std::string to, Shown(s.to));
        values = {Value::Int(static_cast<int64_t>(a->rows.size() + 1)), Value::Text(from),
                  Value::Text(s.forward ? r.type + " ->" : "<- " + r.type), Value::Text(to)};
        PG_RETURN_IF_ERROR(AddEvidence(r, &ev));
        break;
      }
      case Mode::kCard: {
        PG_ASSIGN_OR_RETURN(std::string s, Shown(r.subject));
        PG_ASSIGN_OR_RETURN(std::string o, Shown(r.object));
        std::string quals;
        for (const Qualifier& q : r.qualifiers) {
          PG_ASSIGN_OR_RETURN(Value v, SlotValue(r, q.slot));
          quals += (quals.empty() ? "" : ", ") + q.slot + ": " + v.text;
        }
        values = {Value::Text(s), Value::Text(r.type), Value::Text(o), Value::Text(quals)};
        PG_RETURN_IF_ERROR(AddEvidence(r, &ev));
        break;
      }
      case Mode::kMatch:
        break;
    }
    PG_RETURN_IF_ERROR(memory_.Charge(ApproxBytes(values) + ApproxBytes(ev), "the rows of its answer"));
    PG_ASSIGN_OR_RETURN(bool candidate, RestsOnCandidate(row));
    a->rows.push_back(std::move(values));
    a->evidence.push_back(std::move(ev));
    a->candidate.push_back(candidate);
    return Status::OK();
  }

  // True when candidates were asked for and one of the row's relations is one.
  Result<bool> RestsOnCandidate(const Row& row) {
    if (!with_candidates_) return false;
    for (const Relation& r : row.rels) {
      PG_ASSIGN_OR_RETURN(bool c, IsCandidate(r.id));
      if (c) return true;
    }
    return false;
  }

  enum class Mode { kRelation, kSaidAbout, kPath, kCard, kMatch };

  Engine& engine_;
  const storage::Store& store_;
  const Schema& schema_;
  // The store's sequence number, read before the snapshot is taken: what is built from the
  // snapshot and kept in the engine is at least this new, so a later write always shows.
  const uint64_t stamp_;
  storage::Snapshot snap_;
  const Statement& st_;
  Guard guard_;
  MemoryBudget memory_;
  Mode mode_ = Mode::kRelation;
  bool as_of_done_ = false;
  const float threshold_;         // Limits::min_confidence
  const bool with_candidates_;    // candidates are in the answer, marked
  bool confident_done_ = false;   // the plan left candidates out itself
  std::unordered_map<RelationId, float> best_confidence_;
  size_t lookups_ = 0;  // relations whose sources were read one by one
  std::unordered_set<RelationId> left_out_;
  std::vector<PathStep> steps_;
  std::vector<std::pair<std::string, const SlotDef*>> hints_;  // bound node conditions
  std::unordered_map<EntityId, Entity> entities_;
  std::unordered_map<DocumentId, Document> docs_;
};

Engine::Engine(const storage::Store& store, Limits limits) : store_(store), limits_(limits) {}

Result<double> ParseMinConfidence(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  const bool starts_well = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.');
  const double d = starts_well ? std::strtod(s.c_str(), &end) : 0;
  // !(in range) also refuses NaN.
  if (!starts_well || *end != '\0' || !(d >= 0 && d <= 1)) {
    return Status::InvalidArgument("the confidence threshold is a number from 0 to 1 (such as 0.5), not \"" + s + "\"");
  }
  return d;
}
Engine::~Engine() = default;

namespace {

// A statement that held this much gives the freed memory back to the system after it: glibc
// keeps freed heap in its arenas, so a server's size would otherwise stay at its largest query.
constexpr uint64_t kTrimAfterBytes = 32u << 20;

void GiveBackFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace

Result<Answer> Engine::Run(const Statement& statement, std::string_view text) {
  cancelled_.store(false);
  const auto t0 = Clock::now();
  uint64_t peak = 0;
  Result<Answer> run = [&] {
    Execution ex(*this, statement);
    Result<Answer> r = ex.Run();
    peak = ex.memory_peak();
    return r;
  }();  // the statement's caches and operators are freed here
  if (peak >= kTrimAfterBytes) GiveBackFreedMemory();
  PG_ASSIGN_OR_RETURN(Answer a, std::move(run));
  a.query = std::string(text);
  a.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return a;
}

namespace {

Result<Value> ParamValue(const Params& params, const std::string& name, const Pos& pos) {
  auto it = params.find(name);
  if (it == params.end()) {
    return ErrorAt(pos, Status::InvalidArgument("parameter $" + name + " has no value"));
  }
  return it->second;
}

Status BindName(NameRef* n, const Params& params) {
  if (n->param.empty()) return Status::OK();
  PG_ASSIGN_OR_RETURN(Value v, ParamValue(params, n->param, n->pos));
  if (v.kind == Value::Kind::kInt) {
    if (v.number <= 0) return ErrorAt(n->pos, Status::InvalidArgument("parameter $" + n->param + " is " + v.ToString() + ", not an entity id"));
    n->id = static_cast<uint64_t>(v.number);
    n->text = "#" + std::to_string(v.number);
  } else if (v.kind == Value::Kind::kText && !v.text.empty()) {
    n->text = v.text;
    n->quoted = true;
  } else {
    return Status::InvalidArgument("parameter $" + n->param + " names an entity: give its id or its name");
  }
  n->param.clear();
  return Status::OK();
}

Status BindExpr(Expr* e, const Params& params) {
  if (e->kind == Expr::Kind::kParam) {
    PG_ASSIGN_OR_RETURN(Value v, ParamValue(params, e->text, e->pos));
    e->kind = v.kind == Value::Kind::kInt ? Expr::Kind::kInt : v.kind == Value::Kind::kText ? Expr::Kind::kText : Expr::Kind::kNull;
    e->number = v.number;
    e->text = v.text;
  }
  for (Expr& a : e->args) PG_RETURN_IF_ERROR(BindExpr(&a, params));
  return Status::OK();
}

// The statement with every $parameter replaced by its value. A slot that takes literal text
// (AS $role) gets the value as text.
Status BindParams(Statement* s, const Params& params) {
  return ForEachValueSite(
      *s,
      [&](NameRef& n, bool literal) -> Status {
        if (!literal || n.param.empty()) return BindName(&n, params);
        PG_ASSIGN_OR_RETURN(Value v, ParamValue(params, n.param, n.pos));
        n.text = v.ToString();
        n.param.clear();
        return Status::OK();
      },
      [&](Expr& e) { return BindExpr(&e, params); });
}

// Statement `i` of a prepared text as written, from its first word to the next statement's
// (without the ';' and spaces between).
std::string_view StatementText(const Prepared& p, size_t i) {
  const std::string_view all = p.text;
  const size_t begin = std::min<size_t>(p.statements[i].pos.offset, all.size());
  size_t end = i + 1 < p.statements.size() ? std::min<size_t>(p.statements[i + 1].pos.offset, all.size()) : all.size();
  while (end > begin && (all[end - 1] == ';' || std::isspace(static_cast<unsigned char>(all[end - 1])))) --end;
  return all.substr(begin, end - begin);
}

}  // namespace

Result<Prepared> Engine::Prepare(std::string_view text) {
  if (!grammar_ || grammar_->relation_types() != store_.schema().relation_types().size()) {
    grammar_ = std::make_unique<Grammar>(store_.schema());
  }
  ParseOutcome parsed = Parse(text, store_.schema(), *grammar_);
  if (parsed.error) return ToStatus(*parsed.error);
  Prepared p;
  p.text = std::string(text);
  p.statements = std::move(parsed.statements);
  std::unordered_set<std::string> seen;
  for (const Statement& s : p.statements) {
    for (std::string& name : ParameterNames(s)) {
      if (seen.insert(name).second) p.parameters.push_back(std::move(name));
    }
  }
  return p;
}

Result<Answer> Engine::Run(const Prepared& prepared, size_t i, const Params& params) {
  if (i >= prepared.statements.size()) return Status::InvalidArgument("no statement " + std::to_string(i + 1));
  const Statement& s = prepared.statements[i];
  // The answer carries its own statement's text, not the whole script's: a script of many
  // statements would otherwise copy itself once per answer.
  const std::string_view text = StatementText(prepared, i);
  if (prepared.parameters.empty()) return Run(s, text);
  Statement bound = s;
  PG_RETURN_IF_ERROR(BindParams(&bound, params));
  return Run(bound, text);
}

Result<std::vector<Answer>> Engine::Run(const Prepared& prepared, const Params& params) {
  std::vector<Answer> out;
  out.reserve(prepared.statements.size());
  for (size_t i = 0; i < prepared.statements.size(); ++i) {
    PG_ASSIGN_OR_RETURN(Answer a, Run(prepared, i, params));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<Answer>> Engine::Run(std::string_view text, const Params& params) {
  PG_ASSIGN_OR_RETURN(Prepared p, Prepare(text));
  return Run(p, params);
}

}  // namespace pactgraph::query
