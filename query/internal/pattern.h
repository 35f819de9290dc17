// The parts of MATCH shared by its stages, each in its own file: the values and expressions
// (expressions.cc: a statement's variables, evaluation, checking against the scope), the
// operators that match patterns, project, count, sort and skip (match_operators.cc), and the
// planner (match.cc), which also plans the questions as patterns. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_PATTERN_H_
#define PACTGRAPH_QUERY_INTERNAL_PATTERN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "graph/model.h"
#include "graph/names.h"
#include "graph/projection.h"
#include "graph/status.h"
#include "query/ast.h"
#include "query/engine.h"
#include "query/internal/operators.h"
#include "query/internal/statement.h"

namespace pactgraph::query::pattern {

constexpr size_t kMaxPathsPerExpansion = 1'000'000;  // variable-length paths from one entity
constexpr size_t kMaxHeldRows = 5'000'000;           // rows a sort, DISTINCT or count() may hold

// ---------------------------------------------------------------------------------- variables

struct Var {
  std::string name;
  bool node = true;
  bool path = false;  // a variable-length relation: a list of relations
  size_t slot = 0;
};

struct Scope {
  std::vector<Var> vars;  // named variables, in the order the patterns introduce them
  size_t node_slots = 0;
  size_t edge_slots = 0;
  const Var* Find(const std::string& name) const {
    for (const Var& v : vars) {
      if (v.name == name) return &v;
    }
    return nullptr;
  }
};

// --------------------------------------------------------------------------------- evaluation

// A value while expressions are evaluated. Nodes and relations stay references until output.
struct MV {
  enum class K { kNull, kBool, kInt, kText, kNode, kRel, kPath, kList };
  K k = K::kNull;
  int64_t i = 0;
  std::string s;
  EntityId node = 0;
  const Relation* rel = nullptr;
  const std::vector<Relation>* path = nullptr;
  std::vector<MV> list;

  static MV Bool(bool b) { MV v; v.k = K::kBool; v.i = b; return v; }
  static MV Int(int64_t n) { MV v; v.k = K::kInt; v.i = n; return v; }
  static MV Text(std::string t) { MV v; v.k = K::kText; v.s = std::move(t); return v; }
  static MV Node(EntityId id) { MV v; v.k = K::kNode; v.node = id; return v; }
  bool null() const { return k == K::kNull; }
};

using Tri = std::optional<bool>;  // three-valued logic: nullopt is NULL

inline MV FromTri(Tri t) { return t ? MV::Bool(*t) : MV{}; }

// Everything one MATCH statement's operators share.
struct State {
  StatementRun* run;
  Scope scope;
  std::unordered_map<std::string, std::string> keys;  // text -> NormalizeKey(text)
  std::vector<ReturnItem> star_items;                 // RETURN *: one item per named variable
  // Relations that are candidates are skipped as the pattern walks; false where the plan leaves
  // them out after the walk instead, counting them for the answer's notice (a question).
  bool admit_while_walking = true;
  // A step of one relation reads its candidates one at a time as the walk asks for them, not all
  // at once: a question with LIMIT over an entity with thousands of relations reads only as many
  // as it needs (the questions; MATCH collects each step's candidates).
  bool stream_steps = false;
  std::vector<ReturnItem> items;  // RETURN items the planner wrote itself: a question's columns

  Result<const Entity*> Ent(EntityId id) { return run->EntityRef(id); }

  const std::string& Key(const std::string& text) {
    auto it = keys.find(text);
    if (it == keys.end()) it = keys.emplace(text, NormalizeKey(text)).first;
    return it->second;
  }

  // True when `text` is the entity's name or one of its aliases, as the alias index compares.
  Result<bool> Names(EntityId id, const std::string& text) {
    PG_ASSIGN_OR_RETURN(const Entity* e, Ent(id));
    const std::string want = Key(text);
    if (want.empty()) return false;
    if (Key(e->name) == want) return true;
    for (const std::string& a : e->aliases) {
      if (Key(a) == want) return true;
    }
    return false;
  }

  Result<MV> Eval(const Expr& e, const Row& row);
  Result<Tri> Equal(const MV& a, const MV& b);
  Result<std::optional<int>> Order(const MV& a, const MV& b);
  Result<MV> AsText(const MV& v);  // a node as its name; other values unchanged
  Result<Value> Out(const MV& v);
  Result<std::string> Describe(const Relation& r);
};

// ---------------------------------------------------------------------------------- checking

inline bool IsCount(const Expr& e) { return e.kind == Expr::Kind::kCall && e.text == "count"; }

// Errors unless every variable `e` uses is in `scope` and every function is known; count()
// only where `allow_count`. `where` names the clause ("WHERE", "RETURN").
Status CheckExpr(const Expr& e, const Scope& scope, bool allow_count, const std::string& where);
// Errors unless `e` is a constant a property map may hold.
Status CheckConstant(const Expr& e);

// --------------------------------------------------------------------------------- matching

// One pattern node or relation, bound: its slot and its constant conditions.
struct NodeSpec {
  size_t slot = 0;
  std::string text;  // as shown in plans: (p:Product {name: "RHEL"})
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, MV>> props;
};

struct RelSpec {
  size_t slot = 0;
  std::string var;
  std::vector<std::string> types;  // empty: every type
  std::vector<std::pair<std::string, MV>> props;
  RelPattern::Dir dir = RelPattern::Dir::kOut;
  bool variable = false;
  int min_hops = 1, max_hops = 1;
  // The relation's record is read (not only its adjacency key): something asks for its
  // qualifiers or properties, or AS OF needs its dates.
  bool needs_record = true;
  // A question's conditions (PlanRelationQuestion): a node-valued slot that holds one of a set
  // of entities (a name's VARIANT_OF family), and a literal slot compared without case.
  std::vector<std::pair<std::string, std::unordered_set<EntityId>>> slot_in;
  std::vector<std::pair<std::string, std::string>> slot_text;  // slot, lower-case text
  // Walked through the qualifier index (the relations with one of `index_values` in
  // `index_slot`) instead of the adjacency of the entity the step starts from.
  std::string index_slot;
  std::vector<EntityId> index_values;
  std::string access_text;  // for plans: how the step reads its relations, and how many it expects
};

// One step of a pattern's walk: along rel `rel` from node `from` to node `to`.
struct Step {
  size_t rel = 0;
  size_t from = 0, to = 0;
  bool forward = true;   // in the pattern's written direction
  bool to_bound = false; // `to`'s variable already has an entity: the step must reach it
  bool to_typed = false; // the schema gives `to` its label: every relation type allowed ends there
};

// ------------------------------------------------------------------------------ projection

// Where an ORDER BY key comes from: a returned column, or an expression over the pattern.
struct KeySource {
  int column = -1;
  const Expr* expr = nullptr;
};

// ------------------------------------------------------------------------------- operators

// Where a pattern's walk starts: an entity bound by an earlier pattern, given ids, every entity
// of its label, every entity.
enum class PatternStart { kBound, kIds, kScanType, kScanAll };

// Matches one path pattern for each row of `child` (or once, without a child): from node `start`
// along `steps`, each row's nodes and relations in their slots.
std::unique_ptr<Op> NewPatternOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, std::vector<NodeSpec> nodes,
                                 std::vector<RelSpec> rels, size_t start, PatternStart how, std::vector<EntityId> ids,
                                 std::string start_text, std::vector<Step> steps, std::vector<size_t> edge_slots_before,
                                 std::string text);
// RETURN without count(): each row's values and sort keys.
std::unique_ptr<Op> NewProjectOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
                                 std::vector<KeySource> keys, std::string label);
// RETURN with count(): one row per group.
std::unique_ptr<Op> NewAggregateOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
                                   std::vector<KeySource> keys, std::string label);
std::unique_ptr<Op> NewDistinctOp(std::unique_ptr<Op> child, MemoryBudget* memory);
// count(*) by one end of one relation type, read from the projection's degree lists.
std::unique_ptr<Op> NewDegreeOp(std::shared_ptr<State> st, const GraphProjection::Degrees* degrees, size_t group_slot,
                                std::string check_label, std::string type, bool outgoing, const std::vector<ReturnItem>* items,
                                std::vector<KeySource> keys, std::string label);
std::unique_ptr<Op> NewSortOp(std::unique_ptr<Op> child, std::vector<bool> descending, std::string label, Guard* guard,
                              MemoryBudget* memory);
std::unique_ptr<Op> NewSkipOp(std::unique_ptr<Op> child, uint64_t n);
std::unique_ptr<Op> NewWhereOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const Expr* where);

}  // namespace pactgraph::query::pattern

#endif  // PACTGRAPH_QUERY_INTERNAL_PATTERN_H_
