#include "query/internal/match.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "graph/names.h"
#include "graph/text.h"
#include "query/internal/planner.h"

namespace pactgraph::query {
namespace {

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

MV FromTri(Tri t) { return t ? MV::Bool(*t) : MV{}; }

const char* const kFunctions = "count(), type(), id(), labels(), length(), name(), toLower(), toUpper()";

// Everything one MATCH statement's operators share.
struct State {
  StatementRun* run;
  Scope scope;
  std::unordered_map<std::string, std::string> keys;  // text -> NormalizeKey(text)
  std::vector<ReturnItem> star_items;                 // RETURN *: one item per named variable
  // Relations that are candidates are skipped as the pattern walks; false where the plan leaves
  // them out after the walk instead, counting them for the answer's notice (a question).
  bool admit_while_walking = true;
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

Result<Tri> State::Equal(const MV& a, const MV& b) {
  using K = MV::K;
  if (a.null() || b.null()) return Tri{};
  if (a.k == K::kNode && b.k == K::kNode) return Tri{a.node == b.node};
  if ((a.k == K::kNode && b.k == K::kText) || (a.k == K::kText && b.k == K::kNode)) {
    const MV& n = a.k == K::kNode ? a : b;
    const MV& t = a.k == K::kNode ? b : a;
    PG_ASSIGN_OR_RETURN(bool named, Names(n.node, t.s));
    return Tri{named};
  }
  if (a.k == K::kRel && b.k == K::kRel) return Tri{a.rel->id == b.rel->id};
  if (a.k != b.k) return Tri{false};
  switch (a.k) {
    case K::kBool:
    case K::kInt: return Tri{a.i == b.i};
    case K::kText: return Tri{a.s == b.s};
    case K::kPath: {
      if (a.path->size() != b.path->size()) return Tri{false};
      for (size_t i = 0; i < a.path->size(); ++i) {
        if ((*a.path)[i].id != (*b.path)[i].id) return Tri{false};
      }
      return Tri{true};
    }
    case K::kList: {
      if (a.list.size() != b.list.size()) return Tri{false};
      bool unknown = false;
      for (size_t i = 0; i < a.list.size(); ++i) {
        PG_ASSIGN_OR_RETURN(Tri t, Equal(a.list[i], b.list[i]));
        if (t && !*t) return Tri{false};
        if (!t) unknown = true;
      }
      return unknown ? Tri{} : Tri{true};
    }
    default: return Tri{false};
  }
}

Result<MV> State::AsText(const MV& v) {
  if (v.k != MV::K::kNode) return v;
  PG_ASSIGN_OR_RETURN(const Entity* e, Ent(v.node));
  return MV::Text(e->name);
}

// <0, 0, >0; nullopt when the two cannot be ordered (NULL, or different kinds).
Result<std::optional<int>> State::Order(const MV& a0, const MV& b0) {
  PG_ASSIGN_OR_RETURN(MV a, AsText(a0));
  PG_ASSIGN_OR_RETURN(MV b, AsText(b0));
  if (a.null() || b.null() || a.k != b.k) return std::optional<int>{};
  if (a.k == MV::K::kInt || a.k == MV::K::kBool) return std::optional<int>{a.i < b.i ? -1 : a.i > b.i ? 1 : 0};
  if (a.k == MV::K::kText) return std::optional<int>{a.s.compare(b.s)};
  return std::optional<int>{};
}

Result<std::string> State::Describe(const Relation& r) {
  PG_ASSIGN_OR_RETURN(std::string s, run->Shown(r.subject));
  PG_ASSIGN_OR_RETURN(std::string o, run->Shown(r.object));
  return s + " -" + r.type + "-> " + o;
}

Result<Value> State::Out(const MV& v) {
  switch (v.k) {
    case MV::K::kNull: return Value{};
    case MV::K::kBool: return Value::Text(v.i ? "true" : "false");
    case MV::K::kInt: return Value::Int(v.i);
    case MV::K::kText: return Value::Text(v.s);
    case MV::K::kNode: {
      PG_ASSIGN_OR_RETURN(std::string n, run->Shown(v.node));
      return Value::Text(n);
    }
    case MV::K::kRel: {
      PG_ASSIGN_OR_RETURN(std::string d, Describe(*v.rel));
      return Value::Text(d);
    }
    case MV::K::kPath: {
      std::string out;
      for (const Relation& r : *v.path) {
        PG_ASSIGN_OR_RETURN(std::string d, Describe(r));
        out += (out.empty() ? "" : "; ") + d;
      }
      return Value::Text(out);
    }
    case MV::K::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.list.size(); ++i) {
        PG_ASSIGN_OR_RETURN(Value x, Out(v.list[i]));
        out += (i ? ", " : "") + x.ToString();
      }
      return Value::Text(out + "]");
    }
  }
  return Value{};
}

Result<MV> State::Eval(const Expr& e, const Row& row) {
  using K = Expr::Kind;
  auto arg = [&](size_t i) { return Eval(e.args[i], row); };
  auto truth = [](const MV& v) -> Tri {
    if (v.k == MV::K::kBool) return Tri{v.i != 0};
    return Tri{};
  };
  switch (e.kind) {
    case K::kNull: return MV{};
    case K::kBool: return MV::Bool(e.number != 0);
    case K::kInt: return MV::Int(e.number);
    case K::kText: return MV::Text(e.text);
    case K::kParam: return Status::Internal("parameter $" + e.text + " was not given a value before the statement ran");
    case K::kList: {
      MV v;
      v.k = MV::K::kList;
      for (size_t i = 0; i < e.args.size(); ++i) {
        PG_ASSIGN_OR_RETURN(MV x, arg(i));
        v.list.push_back(std::move(x));
      }
      return v;
    }
    case K::kVar: {
      const Var* var = scope.Find(e.text);
      if (var->node) return MV::Node(row.nodes[var->slot]);
      const std::vector<Relation>& rels = row.edges[var->slot];
      MV v;
      if (var->path) {
        v.k = MV::K::kPath;
        v.path = &rels;
      } else {
        v.k = MV::K::kRel;
        v.rel = &rels[0];
      }
      return v;
    }
    case K::kProp: {
      const Var* var = scope.Find(e.text);
      if (var->node) {
        PG_ASSIGN_OR_RETURN(const Entity* ent, Ent(row.nodes[var->slot]));
        if (e.key == "name") return MV::Text(ent->name);
        if (e.key == "id") return MV::Int(static_cast<int64_t>(ent->id));
        if (e.key == "type" || e.key == "label") return MV::Text(ent->type);
        if (e.key == "aliases") {
          MV v;
          v.k = MV::K::kList;
          for (const std::string& a : ent->aliases) v.list.push_back(MV::Text(a));
          return v;
        }
        auto it = ent->properties.find(e.key);
        return it == ent->properties.end() ? MV{} : MV::Text(it->second);
      }
      const Relation& r = row.edges[var->slot][0];
      if (e.key == "type") return MV::Text(r.type);
      if (e.key == "id") return MV::Int(static_cast<int64_t>(r.id));
      if (const Qualifier* q = r.Find(e.key)) return q->is_node() ? MV::Node(q->node) : MV::Text(q->literal);
      auto it = r.properties.find(e.key);
      return it == r.properties.end() ? MV{} : MV::Text(it->second);
    }
    case K::kNot: {
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      const Tri t = truth(a);
      return t ? MV::Bool(!*t) : MV{};
    }
    case K::kNeg: {
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      return a.k == MV::K::kInt ? MV::Int(-a.i) : MV{};
    }
    case K::kAnd:
    case K::kOr:
    case K::kXor: {
      // One node holds the whole chain (a OR b OR c): a loop, in order, stopping where the
      // answer is known. NULL where the known operands do not decide it.
      bool unknown = false;
      bool parity = false;
      for (size_t i = 0; i < e.args.size(); ++i) {
        PG_ASSIGN_OR_RETURN(MV a, arg(i));
        const Tri t = truth(a);
        if (!t) {
          unknown = true;
          if (e.kind == K::kXor) return MV{};
          continue;
        }
        if (e.kind == K::kAnd && !*t) return MV::Bool(false);
        if (e.kind == K::kOr && *t) return MV::Bool(true);
        parity = parity != *t;
      }
      if (unknown) return MV{};
      return MV::Bool(e.kind == K::kAnd ? true : e.kind == K::kOr ? false : parity);
    }
    case K::kCompare: {
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      PG_ASSIGN_OR_RETURN(MV b, arg(1));
      if (e.text == "=" || e.text == "<>") {
        PG_ASSIGN_OR_RETURN(Tri t, Equal(a, b));
        if (t && e.text == "<>") t = !*t;
        return FromTri(t);
      }
      PG_ASSIGN_OR_RETURN(std::optional<int> c, Order(a, b));
      if (!c) return MV{};
      if (e.text == "<") return MV::Bool(*c < 0);
      if (e.text == ">") return MV::Bool(*c > 0);
      if (e.text == "<=") return MV::Bool(*c <= 0);
      return MV::Bool(*c >= 0);
    }
    case K::kContains:
    case K::kStartsWith:
    case K::kEndsWith: {
      PG_ASSIGN_OR_RETURN(MV a0, arg(0));
      PG_ASSIGN_OR_RETURN(MV b0, arg(1));
      PG_ASSIGN_OR_RETURN(MV a, AsText(a0));
      PG_ASSIGN_OR_RETURN(MV b, AsText(b0));
      if (a.k != MV::K::kText || b.k != MV::K::kText) return MV{};
      if (e.kind == K::kContains) return MV::Bool(a.s.find(b.s) != std::string::npos);
      if (e.kind == K::kStartsWith) return MV::Bool(a.s.starts_with(b.s));
      return MV::Bool(a.s.ends_with(b.s));
    }
    case K::kIn: {
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      PG_ASSIGN_OR_RETURN(MV list, arg(1));
      if (list.k != MV::K::kList) return MV{};
      bool unknown = false;
      for (const MV& x : list.list) {
        PG_ASSIGN_OR_RETURN(Tri t, Equal(a, x));
        if (t && *t) return MV::Bool(true);
        if (!t) unknown = true;
      }
      return unknown ? MV{} : MV::Bool(false);
    }
    case K::kIsNull:
    case K::kIsNotNull: {
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      return MV::Bool(a.null() == (e.kind == K::kIsNull));
    }
    case K::kCall: {
      if (e.args.empty()) return Status::Internal("count() evaluated outside an aggregate");
      PG_ASSIGN_OR_RETURN(MV a, arg(0));
      const std::string& f = e.text;
      if (a.null()) return MV{};
      if (f == "type") return a.k == MV::K::kRel ? MV::Text(a.rel->type) : MV{};
      if (f == "id") {
        if (a.k == MV::K::kNode) return MV::Int(static_cast<int64_t>(a.node));
        if (a.k == MV::K::kRel) return MV::Int(static_cast<int64_t>(a.rel->id));
        return MV{};
      }
      if (f == "labels") {
        if (a.k != MV::K::kNode) return MV{};
        PG_ASSIGN_OR_RETURN(const Entity* ent, Ent(a.node));
        MV v;
        v.k = MV::K::kList;
        v.list.push_back(MV::Text(ent->type));
        return v;
      }
      if (f == "name") return a.k == MV::K::kNode ? AsText(a) : MV{};
      if (f == "length") {
        if (a.k == MV::K::kPath) return MV::Int(static_cast<int64_t>(a.path->size()));
        if (a.k == MV::K::kRel) return MV::Int(1);
        if (a.k == MV::K::kList) return MV::Int(static_cast<int64_t>(a.list.size()));
        if (a.k == MV::K::kText) return MV::Int(static_cast<int64_t>(a.s.size()));
        return MV{};
      }
      if (f == "tolower" || f == "toupper") {
        PG_ASSIGN_OR_RETURN(MV t, AsText(a));
        if (t.k != MV::K::kText) return MV{};
        for (char& c : t.s) {
          c = static_cast<char>(f == "tolower" ? std::tolower(static_cast<unsigned char>(c))
                                               : std::toupper(static_cast<unsigned char>(c)));
        }
        return t;
      }
      return Status::Internal("function " + f + " was not checked");
    }
  }
  return MV{};
}

// ---------------------------------------------------------------------------------- checking

bool IsCount(const Expr& e) { return e.kind == Expr::Kind::kCall && e.text == "count"; }

std::string VarList(const Scope& s) {
  std::string out;
  for (const Var& v : s.vars) out += (out.empty() ? "" : ", ") + v.name;
  return out.empty() ? "none (give the pattern's parts names, as in (c:Company))" : out;
}

// Variables exist and are used as what they are; functions exist; count() only where allowed.
Status CheckExpr(const Expr& e, const Scope& scope, bool allow_count, const std::string& where) {
  using K = Expr::Kind;
  if (e.kind == K::kVar || e.kind == K::kProp) {
    const Var* v = scope.Find(e.text);
    if (!v) {
      std::string near;
      for (const Var& x : scope.vars) {
        if (BoundedEditDistance(x.name, e.text, 1) <= 1) near = x.name;
      }
      return ErrorAt(e.pos, Status::InvalidArgument("unknown variable \"" + e.text + "\" in " + where +
                                     (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
                                     " (the pattern names: " + VarList(scope) + ")"));
    }
    if (e.kind == K::kProp && v->path) {
      return ErrorAt(e.pos, Status::InvalidArgument("\"" + e.text + "\" is a variable-length relation (a list of relations) and has no property \"" + e.key + "\""));
    }
    return Status::OK();
  }
  if (e.kind == K::kCall) {
    static const std::unordered_map<std::string, size_t> kArity = {
        {"count", 1}, {"type", 1}, {"id", 1}, {"labels", 1}, {"length", 1}, {"name", 1}, {"tolower", 1}, {"toupper", 1}};
    auto it = kArity.find(e.text);
    if (it == kArity.end()) {
      return ErrorAt(e.pos, Status::InvalidArgument("unknown function " + e.text + "(); the functions are " + kFunctions));
    }
    if (IsCount(e)) {
      if (!allow_count) return ErrorAt(e.pos, Status::InvalidArgument("count() is allowed only as a RETURN item (not in " + where + ")"));
      if (e.star) return Status::OK();
    } else if (e.distinct) {
      return ErrorAt(e.pos, Status::InvalidArgument("DISTINCT inside a call is allowed only in count()"));
    }
    if (e.args.size() != it->second) {
      return ErrorAt(e.pos, Status::InvalidArgument(e.text + "() takes one argument, not " + std::to_string(e.args.size())));
    }
    return CheckExpr(e.args[0], scope, false, "count()");
  }
  for (const Expr& a : e.args) PG_RETURN_IF_ERROR(CheckExpr(a, scope, false, where));
  return Status::OK();
}

// Property maps hold constants: literals and lists of them.
Status CheckConstant(const Expr& e) {
  using K = Expr::Kind;
  if (e.kind == K::kNull || e.kind == K::kBool || e.kind == K::kInt || e.kind == K::kText) return Status::OK();
  if (e.kind == K::kNeg || e.kind == K::kList) {
    for (const Expr& a : e.args) PG_RETURN_IF_ERROR(CheckConstant(a));
    return Status::OK();
  }
  return ErrorAt(e.pos, Status::InvalidArgument("a property map takes values such as \"RHEL\" or 42; compare with variables in WHERE"));
}

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

struct Candidate {
  std::vector<Relation> rels;
  EntityId node = 0;
};

class PatternOp : public Op {
 public:
  enum class Start { kBound, kIds, kScanType, kScanAll };

  PatternOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, std::vector<NodeSpec> nodes, std::vector<RelSpec> rels,
            size_t start, Start how, std::vector<EntityId> ids, std::string start_text, std::vector<Step> steps,
            std::vector<size_t> edge_slots_before, std::string text)
      : st_(std::move(st)), nodes_(std::move(nodes)), rels_(std::move(rels)), start_(start), how_(how), ids_(std::move(ids)),
        start_text_(std::move(start_text)), steps_(std::move(steps)), bound_edges_(std::move(edge_slots_before)),
        text_(std::move(text)) {
    child_ = std::move(child);
  }

  std::string Label() const override {
    std::string s = "Match " + text_ + ": start at " + nodes_[start_].text + " " + start_text_;
    for (const Step& step : steps_) {
      s += ", expand to " + nodes_[step.to].text;
      const std::string& access = rels_[step.rel].access_text;
      if (!access.empty()) s += (access[0] == ' ' ? "" : " ") + access;
    }
    return s;
  }

 protected:
  Result<bool> Next(Row* out) override {
    for (;;) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      if (stack_.empty()) {
        if (child_) {
          PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&cur_));
          if (!more) return false;
        } else {
          if (started_) return false;
          started_ = true;
          cur_ = Row{};
          cur_.nodes.assign(st_->scope.node_slots, 0);
          cur_.edges.assign(st_->scope.edge_slots, {});
        }
        PG_ASSIGN_OR_RETURN(std::vector<Candidate> first, StartCandidates());
        PG_RETURN_IF_ERROR(Push(std::move(first)));
      }
      Frame& f = stack_.back();
      if (f.pos == f.cands.size()) {
        st_->run->memory.Release(f.bytes);
        stack_.pop_back();
        continue;
      }
      Candidate& c = f.cands[f.pos++];
      const size_t level = stack_.size() - 1;
      if (level == 0) {
        cur_.nodes[nodes_[start_].slot] = c.node;
      } else {
        const Step& step = steps_[level - 1];
        cur_.edges[rels_[step.rel].slot] = std::move(c.rels);
        cur_.nodes[nodes_[step.to].slot] = c.node;
      }
      if (level == steps_.size()) {
        *out = cur_;
        out->rels.clear();
        for (const auto& e : out->edges) out->rels.insert(out->rels.end(), e.begin(), e.end());
        return true;
      }
      PG_ASSIGN_OR_RETURN(std::vector<Candidate> next, Expand(level));
      PG_RETURN_IF_ERROR(Push(std::move(next)));
    }
  }

 private:
  struct Frame {
    std::vector<Candidate> cands;
    size_t pos = 0;
    uint64_t bytes = 0;  // counted in the statement's memory budget until the frame is done
  };

  static uint64_t Bytes(const Candidate& c) { return sizeof(Candidate) + OwnedBytes(c.rels); }

  // The candidates of the next level of the walk, counted while they wait.
  Status Push(std::vector<Candidate> cands) {
    Frame f{std::move(cands), 0, 0};
    for (const Candidate& c : f.cands) f.bytes += Bytes(c);
    // Expand has counted them as it found them (so that a walk stops in time); now the frame holds them.
    st_->run->memory.Release(expanded_bytes_);
    expanded_bytes_ = 0;
    PG_RETURN_IF_ERROR(st_->run->memory.Charge(f.bytes, "the paths the pattern has still to walk"));
    stack_.push_back(std::move(f));
    return Status::OK();
  }

  Result<bool> NodeOk(const NodeSpec& n, EntityId id, bool typed = false) {
    if ((typed || n.labels.empty()) && n.props.empty()) return true;
    PG_ASSIGN_OR_RETURN(const Entity* e, st_->Ent(id));
    for (const std::string& l : n.labels) {
      if (e->type != l) return false;
    }
    for (const auto& [key, want] : n.props) {
      MV have;
      if (key == "name") {
        if (want.k != MV::K::kText) return false;
        PG_ASSIGN_OR_RETURN(bool named, st_->Names(id, want.s));
        if (!named) return false;
        continue;
      }
      if (key == "id") {
        have = MV::Int(static_cast<int64_t>(id));
      } else if (key == "type" || key == "label") {
        have = MV::Text(e->type);
      } else if (auto it = e->properties.find(key); it != e->properties.end()) {
        have = MV::Text(it->second);
      }
      PG_ASSIGN_OR_RETURN(Tri t, st_->Equal(have, want));
      if (!t || !*t) return false;
    }
    return true;
  }

  Result<bool> RelOk(const RelSpec& r, const Relation& rel) {
    for (const auto& [key, want] : r.props) {
      MV have;
      if (key == "type") {
        have = MV::Text(rel.type);
      } else if (key == "id") {
        have = MV::Int(static_cast<int64_t>(rel.id));
      } else if (const Qualifier* q = rel.Find(key)) {
        have = q->is_node() ? MV::Node(q->node) : MV::Text(q->literal);
      } else if (auto it = rel.properties.find(key); it != rel.properties.end()) {
        have = MV::Text(it->second);
      }
      PG_ASSIGN_OR_RETURN(Tri t, st_->Equal(have, want));
      if (!t || !*t) return false;
    }
    for (const auto& [slot, values] : r.slot_in) {
      const Qualifier* q = rel.Find(slot);
      if (!q || !q->is_node() || values.count(q->node) == 0) return false;
    }
    for (const auto& [slot, text] : r.slot_text) {
      const Qualifier* q = rel.Find(slot);
      if (!q || q->is_node() || AsciiLower(q->literal) != text) return false;
    }
    return true;
  }

  // True when relation `id` is bound already: by an earlier pattern, by an earlier step of this
  // one, or earlier on the variable-length path being walked.
  bool Used(RelationId id, const std::vector<Relation>& path, size_t step) const {
    auto in_slot = [&](size_t slot) {
      for (const Relation& r : cur_.edges[slot]) {
        if (r.id == id) return true;
      }
      return false;
    };
    for (size_t slot : bound_edges_) {
      if (in_slot(slot)) return true;
    }
    for (size_t j = 0; j < step; ++j) {
      if (in_slot(rels_[steps_[j].rel].slot)) return true;
    }
    for (const Relation& r : path) {
      if (r.id == id) return true;
    }
    return false;
  }

  Result<std::vector<EntityId>> AllOfType() {
    if (!scanned_) {
      scanned_ = true;
      const std::string type = how_ == Start::kScanType ? nodes_[start_].labels[0] : std::string();
      PG_RETURN_IF_ERROR(st_->run->store.ForEachEntity(st_->run->snap, [&](const Entity& e) {
        if (type.empty() || e.type == type) ids_.push_back(e.id);
        return st_->run->guard.Check().ok();
      }));
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      PG_RETURN_IF_ERROR(st_->run->memory.Charge(ids_.size() * sizeof(EntityId), "the entities the pattern scans"));
    }
    return ids_;
  }

  Result<std::vector<Candidate>> StartCandidates() {
    std::vector<EntityId> ids;
    if (how_ == Start::kBound) {
      ids = {cur_.nodes[nodes_[start_].slot]};
    } else if (how_ == Start::kIds) {
      ids = ids_;
    } else {
      PG_ASSIGN_OR_RETURN(ids, AllOfType());
    }
    std::vector<Candidate> out;
    for (EntityId id : ids) {
      PG_ASSIGN_OR_RETURN(bool ok, NodeOk(nodes_[start_], id));
      if (ok) out.push_back({{}, id});
    }
    return out;
  }

  // The relations one hop away from `at` that fit `r` walked in direction `dir`.
  Status Hop(const RelSpec& r, RelPattern::Dir dir, EntityId at,
             const std::function<Status(const Relation&, EntityId)>& fn) {
    const Schema& schema = st_->run->schema;
    auto symmetric = [&](const std::string& type) {
      const RelationTypeDef* d = schema.FindRelationType(type);
      return d && d->symmetric;
    };
    const std::vector<std::string> every = {std::string()};
    const std::vector<std::string>& types = r.types.empty() ? every : r.types;
    if (!r.index_slot.empty()) return HopByQualifier(r, dir, at, fn);
    // The direction asked for first, then (for a symmetric type) the other.
    const bool out_first = dir != RelPattern::Dir::kIn;
    for (const std::string& t : types) {
      for (bool outgoing : {out_first, !out_first}) {
        const bool wanted = dir == RelPattern::Dir::kBoth || (dir == RelPattern::Dir::kOut) == outgoing;
        // A symmetric relation is read both ways, whichever way it was stated.
        const bool by_symmetry = !wanted;
        if (by_symmetry && !t.empty() && !symmetric(t)) continue;
        if (!r.needs_record) {
          // Nothing asks for the relation's qualifiers or properties: read the adjacency keys
          // alone (type, other end, id), not the relation records.
          Status inner;
          Relation rel;
          PG_RETURN_IF_ERROR(st_->run->store.ForEachNeighbour(
              st_->run->snap, at, outgoing, t, [&](const storage::Store::Neighbour& nb) {
                const RelationTypeDef* def = schema.RelationTypeById(nb.type);
                if (!def) {
                  inner = Status::Corruption("relation #" + std::to_string(nb.relation) + " has an unknown type id");
                  return false;
                }
                if (by_symmetry && t.empty() && !def->symmetric) return true;
                if (st_->admit_while_walking && st_->run->Floor() > 0) {
                  Result<bool> admitted = st_->run->Admitted(nb.relation);
                  if (!admitted.ok()) {
                    inner = admitted.status();
                    return false;
                  }
                  if (!*admitted) return true;
                }
                rel.id = nb.relation;
                rel.type = def->name;
                rel.subject = outgoing ? at : nb.other;
                rel.object = outgoing ? nb.other : at;
                inner = fn(rel, nb.other);
                return inner.ok();
              }));
          PG_RETURN_IF_ERROR(inner);
          PG_RETURN_IF_ERROR(st_->run->guard.Check());
          continue;
        }
        storage::RelationCursor c = outgoing ? st_->run->store.Outgoing(st_->run->snap, at, t)
                                             : st_->run->store.Incoming(st_->run->snap, at, t);
        for (; c.Valid(); c.Next()) {
          const Relation& rel = c.relation();
          if (by_symmetry && t.empty() && !symmetric(rel.type)) continue;
          PG_ASSIGN_OR_RETURN(bool ok, RelOk(r, rel));
          if (ok && st_->admit_while_walking && st_->run->Floor() > 0) {
            PG_ASSIGN_OR_RETURN(ok, st_->run->Admitted(rel.id));
          }
          if (ok) PG_RETURN_IF_ERROR(fn(rel, c.other()));
        }
        PG_RETURN_IF_ERROR(c.status());
        PG_RETURN_IF_ERROR(st_->run->guard.Check());
      }
    }
    return Status::OK();
  }

  // The relations of `r` with one of its index values in its index slot that have `at` at the
  // end the walk comes from (the relation type is not symmetric: the planner reads the index
  // only then).
  Status HopByQualifier(const RelSpec& r, RelPattern::Dir dir, EntityId at,
                        const std::function<Status(const Relation&, EntityId)>& fn) {
    for (const std::string& t : r.types) {
      for (EntityId value : r.index_values) {
        PG_ASSIGN_OR_RETURN(std::vector<RelationId> ids, st_->run->store.ByQualifier(st_->run->snap, value, r.index_slot, t));
        for (RelationId id : ids) {
          PG_ASSIGN_OR_RETURN(Relation rel, st_->run->store.GetRelation(st_->run->snap, id));
          const bool from_subject = dir == RelPattern::Dir::kOut;
          if ((from_subject ? rel.subject : rel.object) != at) continue;
          PG_ASSIGN_OR_RETURN(bool ok, RelOk(r, rel));
          if (ok && st_->admit_while_walking && st_->run->Floor() > 0) {
            PG_ASSIGN_OR_RETURN(ok, st_->run->Admitted(rel.id));
          }
          if (ok) PG_RETURN_IF_ERROR(fn(rel, from_subject ? rel.object : rel.subject));
        }
        PG_RETURN_IF_ERROR(st_->run->guard.Check());
      }
    }
    return Status::OK();
  }

  Result<std::vector<Candidate>> Expand(size_t step_index) {
    const Step& step = steps_[step_index];
    const RelSpec& r = rels_[step.rel];
    RelPattern::Dir dir = r.dir;
    if (!step.forward && dir != RelPattern::Dir::kBoth) {
      dir = dir == RelPattern::Dir::kOut ? RelPattern::Dir::kIn : RelPattern::Dir::kOut;
    }
    const NodeSpec& to = nodes_[step.to];
    const EntityId from = cur_.nodes[nodes_[step.from].slot];
    std::vector<Candidate> out;
    auto accept = [&](std::vector<Relation> path, EntityId node) -> Status {
      if (step.to_bound && cur_.nodes[to.slot] != node) return Status::OK();
      PG_ASSIGN_OR_RETURN(bool ok, NodeOk(to, node, step.to_typed));
      if (!ok) return Status::OK();
      if (!step.forward) std::reverse(path.begin(), path.end());
      out.push_back({std::move(path), node});
      expanded_bytes_ += Bytes(out.back());
      return st_->run->memory.Charge(Bytes(out.back()), "the paths the pattern has still to walk");
    };
    if (!r.variable) {
      PG_RETURN_IF_ERROR(Hop(r, dir, from, [&](const Relation& rel, EntityId other) -> Status {
        if (Used(rel.id, {}, step_index)) return Status::OK();
        return accept({rel}, other);
      }));
      return out;
    }
    // Every trail (no relation twice) of min..max relations, depth first.
    const int max = r.max_hops < 0 ? st_->run->limits.max_path_hops : r.max_hops;
    std::vector<Relation> path;
    std::function<Status(EntityId)> walk = [&](EntityId at) -> Status {
      if (static_cast<int>(path.size()) >= r.min_hops) PG_RETURN_IF_ERROR(accept(path, at));
      if (out.size() > kMaxPathsPerExpansion) {
        return Status::ResourceExhausted("the variable-length relation " + (r.var.empty() ? std::string() : r.var + " ") +
                                         "reached more than " + WithThousands(kMaxPathsPerExpansion) +
                                         " paths from one entity; give it a smaller upper bound (*1..3) or narrow its ends");
      }
      if (static_cast<int>(path.size()) == max) return Status::OK();
      std::vector<std::pair<Relation, EntityId>> next;
      PG_RETURN_IF_ERROR(Hop(r, dir, at, [&](const Relation& rel, EntityId other) -> Status {
        if (!Used(rel.id, path, step_index)) next.emplace_back(rel, other);
        return Status::OK();
      }));
      for (auto& [rel, other] : next) {
        path.push_back(std::move(rel));
        PG_RETURN_IF_ERROR(walk(other));
        path.pop_back();
      }
      return Status::OK();
    };
    PG_RETURN_IF_ERROR(walk(from));
    return out;
  }

  std::shared_ptr<State> st_;
  std::vector<NodeSpec> nodes_;
  std::vector<RelSpec> rels_;
  size_t start_;
  Start how_;
  std::vector<EntityId> ids_;
  bool scanned_ = false;
  std::string start_text_;
  std::vector<Step> steps_;
  std::vector<size_t> bound_edges_;  // relation slots bound by earlier patterns
  std::string text_;
  Row cur_;
  std::vector<Frame> stack_;
  uint64_t expanded_bytes_ = 0;  // counted by Expand for candidates not yet in a frame
  bool started_ = false;
};

// ------------------------------------------------------------------------------ projection

// Where an ORDER BY key comes from: a returned column, or an expression over the pattern.
struct KeySource {
  int column = -1;
  const Expr* expr = nullptr;
};

class ProjectOp : public Op {
 public:
  ProjectOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
            std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), items_(items), keys_(std::move(keys)), label_(std::move(label)) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
    if (!more) return false;
    row->values.clear();
    row->keys.clear();
    for (const ReturnItem& item : *items_) {
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, *row));
      PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
      row->values.push_back(std::move(out));
    }
    for (const KeySource& k : keys_) {
      if (k.column >= 0) {
        row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
      } else {
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(*k.expr, *row));
        PG_ASSIGN_OR_RETURN(MV t, st_->AsText(v));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(t));
        row->keys.push_back(std::move(out));
      }
    }
    return true;
  }

 private:
  std::shared_ptr<State> st_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
};

// A stable text form of values, for grouping and DISTINCT.
std::string Serialize(const std::vector<Value>& values) {
  std::string out;
  for (const Value& v : values) {
    out += static_cast<char>('0' + static_cast<int>(v.kind));
    out += v.kind == Value::Kind::kInt ? std::to_string(v.number) : v.text;
    out += '\x1f';
  }
  return out;
}

Status HoldLimit(size_t n, const char* what) {
  if (n <= kMaxHeldRows) return Status::OK();
  return Status::ResourceExhausted(std::string(what) + " would hold more than " + WithThousands(kMaxHeldRows) +
                                   " rows; narrow the pattern");
}

void AddRels(std::vector<Relation>* into, const std::vector<Relation>& from, size_t max) {
  for (const Relation& r : from) {
    if (into->size() >= max) return;
    bool seen = false;
    for (const Relation& x : *into) seen = seen || x.id == r.id;
    if (!seen) into->push_back(r);
  }
}

// Groups the rows by the items that are not count() and counts per group.
class AggregateOp : public Op {
 public:
  AggregateOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
              std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), items_(items), keys_(std::move(keys)), label_(std::move(label)) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    if (!done_) PG_RETURN_IF_ERROR(Consume());
    if (pos_ == groups_.size()) return false;
    Group& g = groups_[pos_++];
    *row = Row{};
    row->values = std::move(g.values);
    for (size_t i = 0; i < items_->size(); ++i) {
      if (IsCount((*items_)[i].expr)) {
        row->values[i] = Value::Int(static_cast<int64_t>((*items_)[i].expr.distinct ? g.distinct[i].size() : g.counts[i]));
      }
    }
    for (const KeySource& k : keys_) row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
    row->rels = std::move(g.rels);
    return true;
  }

 private:
  struct Group {
    std::vector<Value> values;
    std::vector<uint64_t> counts;
    std::vector<std::unordered_set<std::string>> distinct;
    std::vector<Relation> rels;
  };

  Status Consume() {
    done_ = true;
    std::unordered_map<std::string, size_t> index;
    Row in;
    bool grouped = false;
    for (const ReturnItem& item : *items_) grouped = grouped || !IsCount(item.expr);
    for (;;) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&in));
      if (!more) break;
      std::vector<Value> key;
      for (const ReturnItem& item : *items_) {
        if (IsCount(item.expr)) {
          key.emplace_back();
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, in));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
        key.push_back(std::move(out));
      }
      auto [it, fresh] = index.emplace(Serialize(key), groups_.size());
      if (fresh) {
        PG_RETURN_IF_ERROR(st_->run->memory.Charge(kNodeOverhead + ApproxBytes(it->first) + sizeof(Group) + OwnedBytes(key) +
                                                       items_->size() * (sizeof(uint64_t) + sizeof(std::unordered_set<std::string>)),
                                                   "the groups count() counts"));
        PG_RETURN_IF_ERROR(HoldLimit(groups_.size() + 1, "count()"));
        groups_.push_back({std::move(key), std::vector<uint64_t>(items_->size()),
                           std::vector<std::unordered_set<std::string>>(items_->size()), {}});
      }
      Group& g = groups_[it->second];
      const size_t had = g.rels.size();
      AddRels(&g.rels, in.rels, st_->run->limits.max_evidence);
      for (size_t i = had; i < g.rels.size(); ++i) {
        PG_RETURN_IF_ERROR(st_->run->memory.Charge(ApproxBytes(g.rels[i]), "the groups count() counts"));
      }
      for (size_t i = 0; i < items_->size(); ++i) {
        const Expr& e = (*items_)[i].expr;
        if (!IsCount(e)) continue;
        if (e.star) {
          ++g.counts[i];
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(e.args[0], in));
        if (v.null()) continue;
        if (e.distinct) {
          PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
          std::string seen = Serialize({out});
          const uint64_t bytes = kNodeOverhead + ApproxBytes(seen);
          if (g.distinct[i].insert(std::move(seen)).second) {
            PG_RETURN_IF_ERROR(st_->run->memory.Charge(bytes, "the distinct values count(DISTINCT ...) counts"));
          }
        } else {
          ++g.counts[i];
        }
      }
    }
    if (groups_.empty() && !grouped) {
      // count() over no rows is one row of zeros.
      groups_.push_back({std::vector<Value>(items_->size()), std::vector<uint64_t>(items_->size()),
                         std::vector<std::unordered_set<std::string>>(items_->size()), {}});
    }
    return Status::OK();
  }

  std::shared_ptr<State> st_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
  std::vector<Group> groups_;
  size_t pos_ = 0;
  bool done_ = false;
};

class DistinctOp : public Op {
 public:
  DistinctOp(std::unique_ptr<Op> child, MemoryBudget* memory) : memory_(memory) { child_ = std::move(child); }
  std::string Label() const override { return "Distinct"; }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
      std::string key = Serialize(row->values);
      const uint64_t bytes = kNodeOverhead + ApproxBytes(key);
      if (seen_.insert(std::move(key)).second) {
        PG_RETURN_IF_ERROR(memory_->Charge(bytes, "the rows DISTINCT has seen"));
        PG_RETURN_IF_ERROR(HoldLimit(seen_.size(), "DISTINCT"));
        return true;
      }
    }
  }

 private:
  MemoryBudget* memory_;
  std::unordered_set<std::string> seen_;
};

// Nulls last; numbers before text; text by bytes.
int CompareValues(const Value& a, const Value& b) {
  if (a.kind != b.kind) {
    if (a.kind == Value::Kind::kNull) return 1;
    if (b.kind == Value::Kind::kNull) return -1;
    return a.kind == Value::Kind::kInt ? -1 : 1;
  }
  if (a.kind == Value::Kind::kInt) return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  return a.text.compare(b.text);
}

// count(*) grouped by one end of a one-hop pattern: each entity's number of relations of one
// type in one direction, read from the graph projection's degree list (most first, ties by id)
// instead of matching every relation.
class DegreeOp : public Op {
 public:
  DegreeOp(std::shared_ptr<State> st, const GraphProjection::Degrees* degrees, size_t group_slot, std::string check_label,
           std::string type, bool outgoing, const std::vector<ReturnItem>* items, std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), degrees_(degrees), group_slot_(group_slot), check_label_(std::move(check_label)), type_(std::move(type)),
        outgoing_(outgoing), items_(items), keys_(std::move(keys)), label_(std::move(label)) {}
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    while (pos_ < degrees_->size()) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      // Named, not a structured binding: a lambda below captures the id.
      const EntityId id = (*degrees_)[pos_].first;
      const uint64_t n = (*degrees_)[pos_].second;
      ++pos_;
      if (!check_label_.empty()) {
        PG_ASSIGN_OR_RETURN(const Entity* e, st_->Ent(id));
        if (e->type != check_label_) continue;
      }
      *row = Row{};
      row->nodes.assign(st_->scope.node_slots, 0);
      row->edges.assign(st_->scope.edge_slots, {});
      row->nodes[group_slot_] = id;
      for (const ReturnItem& item : *items_) {
        if (IsCount(item.expr)) {
          row->values.push_back(Value::Int(static_cast<int64_t>(n)));
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, *row));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
        row->values.push_back(std::move(out));
      }
      for (const KeySource& k : keys_) row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
      // Evidence: the first relations of the group, from the adjacency keys.
      const size_t max = st_->run->limits.max_evidence;
      if (max > 0) {
        Status inner;
        PG_RETURN_IF_ERROR(st_->run->store.ForEachNeighbour(
            st_->run->snap, id, outgoing_, type_, [&](const storage::Store::Neighbour& nb) {
              // The degrees count no candidate, and the evidence quotes none.
              if (st_->run->Floor() > 0) {
                Result<bool> admitted = st_->run->Admitted(nb.relation);
                if (!admitted.ok()) inner = admitted.status();
                if (!admitted.ok() || !*admitted) return admitted.ok();
              }
              Relation r;
              r.id = nb.relation;
              r.type = type_;
              r.subject = outgoing_ ? id : nb.other;
              r.object = outgoing_ ? nb.other : id;
              row->rels.push_back(std::move(r));
              return row->rels.size() < max;
            }));
        PG_RETURN_IF_ERROR(inner);
      }
      row->edges.clear();
      return true;
    }
    return false;
  }

 private:
  std::shared_ptr<State> st_;
  const GraphProjection::Degrees* degrees_;
  size_t group_slot_;
  std::string check_label_;
  std::string type_;
  bool outgoing_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
  size_t pos_ = 0;
};

class SortOp : public Op {
 public:
  SortOp(std::unique_ptr<Op> child, std::vector<bool> descending, std::string label, Guard* guard, MemoryBudget* memory)
      : descending_(std::move(descending)), label_(std::move(label)), guard_(guard), memory_(memory) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    if (!done_) {
      done_ = true;
      Row in;
      for (;;) {
        PG_RETURN_IF_ERROR(guard_->Check());
        PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&in));
        if (!more) break;
        PG_RETURN_IF_ERROR(memory_->Charge(ApproxBytes(in), "the rows ORDER BY sorts"));
        rows_.push_back(std::move(in));
        PG_RETURN_IF_ERROR(HoldLimit(rows_.size(), "ORDER BY"));
      }
      std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
        for (size_t i = 0; i < descending_.size(); ++i) {
          const bool null_a = a.keys[i].kind == Value::Kind::kNull, null_b = b.keys[i].kind == Value::Kind::kNull;
          if (null_a != null_b) return null_b;  // nulls last either way
          int c = CompareValues(a.keys[i], b.keys[i]);
          if (descending_[i]) c = -c;
          if (c != 0) return c < 0;
        }
        return false;
      });
    }
    if (pos_ == rows_.size()) return false;
    memory_->Release(ApproxBytes(rows_[pos_]));
    *row = std::move(rows_[pos_++]);
    return true;
  }

 private:
  std::vector<bool> descending_;
  std::string label_;
  Guard* guard_;
  MemoryBudget* memory_;
  std::vector<Row> rows_;
  size_t pos_ = 0;
  bool done_ = false;
};

class SkipOp : public Op {
 public:
  SkipOp(std::unique_ptr<Op> child, uint64_t n) : n_(n) { child_ = std::move(child); }
  std::string Label() const override { return "Skip " + std::to_string(n_); }

 protected:
  Result<bool> Next(Row* row) override {
    for (; skipped_ < n_; ++skipped_) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
    }
    return child_->Pull(row);
  }

 private:
  uint64_t n_;
  uint64_t skipped_ = 0;
};

class WhereOp : public Op {
 public:
  WhereOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const Expr* where)
      : st_(std::move(st)), where_(where) {
    child_ = std::move(child);
  }
  std::string Label() const override { return "Filter WHERE " + ToString(*where_); }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(*where_, *row));
      if (v.k == MV::K::kBool && v.i) return true;
    }
  }

 private:
  std::shared_ptr<State> st_;
  const Expr* where_;
};

// ---------------------------------------------------------------------------------- planning

std::string NodeText(const NodePattern& n) {
  std::string s = "(" + n.var;
  for (const std::string& l : n.labels) s += ":" + l;
  if (!n.properties.empty()) {
    s += " {";
    for (size_t i = 0; i < n.properties.size(); ++i) {
      s += (i ? ", " : "") + n.properties[i].first + ": " + ToString(n.properties[i].second);
    }
    s += "}";
  }
  return s + ")";
}

std::string RelText(const RelPattern& r) {
  std::string s = r.dir == RelPattern::Dir::kIn ? "<-[" : "-[";
  s += r.var;
  for (size_t i = 0; i < r.types.size(); ++i) s += (i ? "|" : ":") + r.types[i];
  if (r.variable) s += "*" + std::to_string(r.min_hops) + ".." + (r.max_hops < 0 ? std::string() : std::to_string(r.max_hops));
  return s + (r.dir == RelPattern::Dir::kOut ? "]->" : "]-");
}

// Top-level AND conjuncts of WHERE.
void Conjuncts(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == Expr::Kind::kAnd) {
    for (const Expr& a : e.args) Conjuncts(a, out);
  } else {
    out->push_back(&e);
  }
}

// `v.name = "X"`, `v = "X"`, `v.id = 4`, `id(v) = 4` in WHERE: a way to start at v.
struct WhereAnchor {
  std::string var;
  std::optional<std::string> name;
  std::optional<int64_t> id;
};

std::optional<WhereAnchor> AnchorOf(const Expr& e) {
  if (e.kind != Expr::Kind::kCompare || e.text != "=") return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const Expr& a = e.args[static_cast<size_t>(side)];
    const Expr& b = e.args[static_cast<size_t>(1 - side)];
    WhereAnchor w;
    if (a.kind == Expr::Kind::kProp && a.key == "name" && b.kind == Expr::Kind::kText) {
      w.var = a.text;
      w.name = b.text;
    } else if (a.kind == Expr::Kind::kVar && b.kind == Expr::Kind::kText) {
      w.var = a.text;
      w.name = b.text;
    } else if (a.kind == Expr::Kind::kProp && a.key == "id" && b.kind == Expr::Kind::kInt) {
      w.var = a.text;
      w.id = b.number;
    } else if (a.kind == Expr::Kind::kCall && a.text == "id" && a.args.size() == 1 && a.args[0].kind == Expr::Kind::kVar &&
               b.kind == Expr::Kind::kInt) {
      w.var = a.args[0].text;
      w.id = b.number;
    } else {
      continue;
    }
    return w;
  }
  return std::nullopt;
}

class Planner {
 public:
  Planner(const MatchQuery& q, StatementRun& run) : q_(q), st_(std::make_shared<State>()) { st_->run = &run; }

  Result<MatchPlan> Plan() {
    MatchPlan plan;
    PG_RETURN_IF_ERROR(Declare());
    // RETURN *: every named variable.
    if (q_.star) {
      for (const Var& v : st_->scope.vars) {
        ReturnItem item;
        item.expr.kind = Expr::Kind::kVar;
        item.expr.text = v.name;
        item.name = v.name;
        st_->star_items.push_back(std::move(item));
      }
      if (st_->star_items.empty()) return Status::InvalidArgument("RETURN * needs named variables in the pattern, as in (c:Company)");
    }
    const std::vector<ReturnItem>& items = q_.star ? st_->star_items : q_.items;
    if (q_.where) PG_RETURN_IF_ERROR(CheckExpr(*q_.where, st_->scope, false, "WHERE"));
    bool aggregating = false;
    for (const ReturnItem& item : items) {
      PG_RETURN_IF_ERROR(CheckExpr(item.expr, st_->scope, true, "RETURN"));
      if (IsCount(item.expr)) aggregating = true;
      plan.columns.push_back(item.name);
    }
    std::vector<const Expr*> conjuncts;
    if (q_.where) Conjuncts(*q_.where, &conjuncts);

    // ORDER BY keys: a returned column (by alias or by the same expression), or an expression.
    std::vector<KeySource> keys;
    std::vector<bool> descending;
    std::string sort_label = "Sort by ";
    // The first column of each alias and of each expression, looked up once per key (not a
    // scan of every column per key: a statement may have thousands of both).
    std::unordered_map<std::string, int> by_alias, by_expr;
    if (!q_.order.empty()) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].aliased) by_alias.emplace(items[i].name, static_cast<int>(i));
        by_expr.emplace(ToString(items[i].expr), static_cast<int>(i));
      }
    }
    for (const SortKey& k : q_.order) {
      KeySource src;
      const std::string text = ToString(k.expr);
      auto alias = k.expr.kind == Expr::Kind::kVar ? by_alias.find(k.expr.text) : by_alias.end();
      auto same = by_expr.find(text);
      if (alias != by_alias.end()) src.column = alias->second;
      if (same != by_expr.end() && (src.column < 0 || same->second < src.column)) src.column = same->second;
      if (src.column < 0) {
        if (aggregating || q_.distinct) {
          return ErrorAt(k.expr.pos, Status::InvalidArgument(std::string("after ") + (aggregating ? "count()" : "DISTINCT") +
                                         ", ORDER BY can use only the returned columns (" + Columns(plan.columns) + ")"));
        }
        PG_RETURN_IF_ERROR(CheckExpr(k.expr, st_->scope, false, "ORDER BY"));
        src.expr = &k.expr;
      }
      sort_label += (descending.empty() ? "" : ", ") + text + (k.descending ? " desc" : "");
      keys.push_back(src);
      descending.push_back(k.descending);
    }
    if (aggregating) {
      PG_ASSIGN_OR_RETURN(std::optional<MatchPlan> by_degree, DegreePlan(items, plan.columns, keys, descending, sort_label));
      if (by_degree) return std::move(*by_degree);
    }

    std::unique_ptr<Op> root;
    std::set<std::string> bound;
    std::vector<size_t> edge_slots_bound;
    for (size_t p = 0; p < q_.patterns.size(); ++p) {
      PG_ASSIGN_OR_RETURN(root, PlanPattern(p, std::move(root), conjuncts, &bound, &edge_slots_bound, &plan.notice));
    }
    if (st_->run->st.as_of) root = AsOfFilter(*st_->run, std::move(root), *st_->run->st.as_of);
    if (q_.where) root = std::make_unique<WhereOp>(st_, std::move(root), &*q_.where);

    if (aggregating) {
      std::string label = "Aggregate";
      for (const ReturnItem& item : items) label += (label.size() > 9 ? ", " : " ") + item.name;
      root = std::make_unique<AggregateOp>(st_, std::move(root), &items, keys, label);
    } else {
      root = std::make_unique<ProjectOp>(st_, std::move(root), &items, keys, "Return " + Columns(plan.columns));
    }
    if (q_.distinct) root = std::make_unique<DistinctOp>(std::move(root), &st_->run->memory);
    if (!keys.empty()) root = std::make_unique<SortOp>(std::move(root), descending, sort_label, &st_->run->guard, &st_->run->memory);
    if (q_.skip) root = std::make_unique<SkipOp>(std::move(root), q_.skip);
    plan.root = std::move(root);
    return plan;
  }

 private:
  static std::string Columns(const std::vector<std::string>& c) {
    std::string out;
    for (const std::string& s : c) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  // Gives every node and relation pattern a slot; named variables share theirs.
  Status Declare() {
    Scope& s = st_->scope;
    for (const PathPattern& p : q_.patterns) {
      std::vector<size_t> ns, rs;
      for (size_t i = 0; i < p.nodes.size(); ++i) {
        const NodePattern& n = p.nodes[i];
        size_t slot = s.node_slots;
        if (!n.var.empty()) {
          if (const Var* v = s.Find(n.var)) {
            if (!v->node) return ErrorAt(n.pos, Status::InvalidArgument("\"" + n.var + "\" names a relation and cannot name a node too"));
            slot = v->slot;
          } else {
            s.vars.push_back({n.var, true, false, s.node_slots++});
          }
        } else {
          ++s.node_slots;
        }
        for (const auto& [k, e] : n.properties) PG_RETURN_IF_ERROR(CheckConstant(e));
        ns.push_back(slot);
        if (i < p.rels.size()) {
          const RelPattern& r = p.rels[i];
          if (!r.var.empty()) {
            if (const Var* v = s.Find(r.var)) {
              return ErrorAt(r.pos, Status::InvalidArgument("\"" + r.var + "\" is already " +
                                             (v->node ? "a node" : "a relation") + "; a relation variable can be bound once"));
            }
            s.vars.push_back({r.var, false, r.variable, s.edge_slots});
          }
          for (const auto& [k, e] : r.properties) PG_RETURN_IF_ERROR(CheckConstant(e));
          rs.push_back(s.edge_slots++);
        }
      }
      node_slots_.push_back(std::move(ns));
      rel_slots_.push_back(std::move(rs));
    }
    return Status::OK();
  }

  // count(*) per entity at one end of a single one-hop relation pattern of one type, such as
  // MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.name, count(*): planned as a walk down the
  // projection's degree list when nothing else (WHERE, AS OF, DISTINCT, properties, the other
  // end's variable) needs the relations themselves. nullopt when the query is not of that shape.
  Result<std::optional<MatchPlan>> DegreePlan(const std::vector<ReturnItem>& items, const std::vector<std::string>& columns,
                                              const std::vector<KeySource>& keys, const std::vector<bool>& descending,
                                              const std::string& sort_label) {
    if (q_.patterns.size() != 1 || q_.where || q_.distinct || st_->run->st.as_of) return std::optional<MatchPlan>();
    const PathPattern& pat = q_.patterns[0];
    if (pat.rels.size() != 1) return std::optional<MatchPlan>();
    const RelPattern& r = pat.rels[0];
    if (r.variable || r.types.size() != 1 || !r.properties.empty() || r.dir == RelPattern::Dir::kBoth) return std::optional<MatchPlan>();
    const RelationTypeDef* def = st_->run->schema.FindRelationType(r.types[0]);
    if (!def || def->symmetric) return std::optional<MatchPlan>();
    // Which end is grouped: the one variable the returned items name.
    int group = -1;
    for (size_t i = 0; i < 2; ++i) {
      if (!pat.nodes[i].var.empty() && (pat.nodes[1 - i].var != pat.nodes[i].var)) {
        bool only = true, named = false;
        for (const ReturnItem& item : items) {
          if (IsCount(item.expr)) continue;
          std::function<void(const Expr&)> walk = [&](const Expr& e) {
            if (e.kind == Expr::Kind::kVar || e.kind == Expr::Kind::kProp) {
              if (e.text == pat.nodes[i].var) named = true; else only = false;
            }
            for (const Expr& a : e.args) walk(a);
          };
          walk(item.expr);
        }
        if (only && named) group = static_cast<int>(i);
      }
    }
    if (group < 0) return std::optional<MatchPlan>();
    size_t counts = 0;
    for (const ReturnItem& item : items) {
      if (IsCount(item.expr)) {
        if (!item.expr.star || item.expr.distinct) return std::optional<MatchPlan>();
        ++counts;
      }
    }
    const NodePattern& g = pat.nodes[static_cast<size_t>(group)];
    const NodePattern& other = pat.nodes[static_cast<size_t>(1 - group)];
    if (counts != 1 || !g.properties.empty() || g.labels.size() > 1 || !other.properties.empty() || other.labels.size() > 1) {
      return std::optional<MatchPlan>();
    }
    const bool outgoing = (r.dir == RelPattern::Dir::kOut) == (group == 0);
    RelSpec spec;
    spec.types = r.types;
    spec.dir = r.dir;
    NodeSpec g_spec, other_spec;
    g_spec.labels = g.labels;
    other_spec.labels = other.labels;
    // The other end's label must be what the schema gives it; the grouped end's label is
    // checked per entity unless the schema gives it too.
    if (!other.labels.empty() && !LabelImplied(spec, group == 0, other_spec)) return std::optional<MatchPlan>();
    const bool g_implied = g.labels.empty() || LabelImplied(spec, group != 0, g_spec);

    // The degree list's own order (count descending, then id) serves ORDER BY count DESC[, id].
    auto is_id = [&](const Expr& e) {
      return (e.kind == Expr::Kind::kProp && e.key == "id" && e.text == g.var) ||
             (e.kind == Expr::Kind::kCall && e.text == "id" && e.args.size() == 1 && e.args[0].kind == Expr::Kind::kVar &&
              e.args[0].text == g.var);
    };
    bool presorted = keys.empty();
    if (!keys.empty() && IsCount(items[static_cast<size_t>(keys[0].column)].expr) && descending[0]) {
      presorted = keys.size() == 1 || (keys.size() == 2 && !descending[1] && is_id(items[static_cast<size_t>(keys[1].column)].expr));
    }

    PG_ASSIGN_OR_RETURN(const GraphProjection* projection, st_->run->Projection());
    const GraphProjection::Degrees* degrees = &projection->DegreesOf(def->id, outgoing);
    MatchPlan plan;
    plan.columns = columns;
    size_t group_slot = node_slots_[0][static_cast<size_t>(group)];
    std::string label = "CountByDegree " + (g.var.empty() ? std::string("_") : g.var) + ": " + def->name +
                        (outgoing ? " out" : " in") + " (graph projection, most first; " +
                        WithThousands(degrees->size()) + " entities)";
    if (!g_implied) label += ", only " + g.labels[0];
    std::unique_ptr<Op> root = std::make_unique<DegreeOp>(st_, degrees, group_slot, g_implied ? std::string() : g.labels[0],
                                                          def->name, outgoing, &items, keys, label);
    if (!presorted) root = std::make_unique<SortOp>(std::move(root), descending, sort_label, &st_->run->guard, &st_->run->memory);
    if (q_.skip) root = std::make_unique<SkipOp>(std::move(root), q_.skip);
    plan.root = std::move(root);
    return std::optional<MatchPlan>(std::move(plan));
  }

  // True when `var` is named anywhere in WHERE, RETURN or ORDER BY (or RETURN * shows it).
  bool VarUsed(const std::string& var) const {
    std::function<bool(const Expr&)> uses = [&](const Expr& e) {
      if ((e.kind == Expr::Kind::kVar || e.kind == Expr::Kind::kProp) && e.text == var) return true;
      for (const Expr& a : e.args) {
        if (uses(a)) return true;
      }
      return false;
    };
    if (q_.star) return true;
    if (q_.where && uses(*q_.where)) return true;
    for (const ReturnItem& i : q_.items) {
      if (uses(i.expr)) return true;
    }
    for (const SortKey& k : q_.order) {
      if (uses(k.expr)) return true;
    }
    return false;
  }

  // True when a one-hop step along `r` can only end at entities of `to`'s single label: every
  // type `r` allows lists exactly that type for the end the step reaches. The label need not be
  // checked then (imports enforce the schema's types).
  bool LabelImplied(const RelSpec& r, bool forward, const NodeSpec& to) const {
    if (r.types.empty() || to.labels.size() != 1) return false;
    const std::string& label = to.labels[0];
    for (const std::string& t : r.types) {
      const RelationTypeDef* d = st_->run->schema.FindRelationType(t);
      if (!d) return false;
      // Walking forward along -[]->, the step reaches the object; backward, the subject.
      const bool reaches_object = (r.dir == RelPattern::Dir::kOut) == forward;
      auto only = [&](const std::vector<std::string>& types) { return types.size() == 1 && types[0] == label; };
      // A variable-length walk may end at either end of its last relation.
      if (r.dir == RelPattern::Dir::kBoth || d->symmetric || r.variable) {
        if (!only(d->subject_types) || !only(d->object_types)) return false;
      } else if (!only(reaches_object ? d->object_types : d->subject_types)) {
        return false;
      }
    }
    return true;
  }

  Result<std::vector<std::pair<std::string, MV>>> Constants(const std::vector<std::pair<std::string, Expr>>& props) {
    std::vector<std::pair<std::string, MV>> out;
    Row empty;
    for (const auto& [k, e] : props) {
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(e, empty));
      out.emplace_back(k, std::move(v));
    }
    return out;
  }

  Result<std::unique_ptr<Op>> PlanPattern(size_t p, std::unique_ptr<Op> child, const std::vector<const Expr*>& conjuncts,
                                          std::set<std::string>* bound, std::vector<size_t>* edge_slots_bound,
                                          std::string* notice) {
    const PathPattern& pat = q_.patterns[p];
    std::vector<NodeSpec> nodes;
    std::vector<RelSpec> rels;
    std::string text;
    for (size_t i = 0; i < pat.nodes.size(); ++i) {
      NodeSpec n;
      n.slot = node_slots_[p][i];
      n.text = NodeText(pat.nodes[i]);
      n.labels = pat.nodes[i].labels;
      PG_ASSIGN_OR_RETURN(n.props, Constants(pat.nodes[i].properties));
      text += n.text;
      nodes.push_back(std::move(n));
      if (i < pat.rels.size()) {
        const RelPattern& r = pat.rels[i];
        RelSpec spec;
        spec.slot = rel_slots_[p][i];
        spec.var = r.var;
        spec.types = r.types;
        PG_ASSIGN_OR_RETURN(spec.props, Constants(r.properties));
        spec.dir = r.dir;
        spec.variable = r.variable;
        spec.min_hops = r.min_hops;
        spec.max_hops = r.max_hops;
        spec.needs_record = !spec.props.empty() || st_->run->st.as_of.has_value() || (!r.var.empty() && VarUsed(r.var));
        if (r.variable && r.max_hops > st_->run->limits.max_path_hops) {
          return ErrorAt(r.pos, Status::InvalidArgument("a variable-length relation may span at most " +
                                         std::to_string(st_->run->limits.max_path_hops) + " relations (--max-hops to change)"));
        }
        text += RelText(r);
        rels.push_back(std::move(spec));
      }
    }

    // Where to start: a bound variable, an id, a name (pattern or WHERE), a type scan, everything.
    int best = -1, best_rank = 99;
    PatternOp::Start how = PatternOp::Start::kScanAll;
    std::vector<EntityId> ids;
    std::string start_text;
    for (size_t i = 0; i < pat.nodes.size(); ++i) {
      const NodePattern& n = pat.nodes[i];
      int rank = 5;
      PatternOp::Start h = PatternOp::Start::kScanAll;
      std::optional<std::string> name;
      std::optional<int64_t> id;
      for (const auto& [k, v] : nodes[i].props) {
        if (k == "name" && v.k == MV::K::kText) name = v.s;
        if (k == "id" && v.k == MV::K::kInt) id = v.i;
      }
      if (!n.var.empty()) {
        for (const Expr* c : conjuncts) {
          std::optional<WhereAnchor> w = AnchorOf(*c);
          if (!w || w->var != n.var) continue;
          if (w->id && !id) id = w->id;
          if (w->name && !name) name = w->name;
        }
      }
      std::string how_text;
      if (!n.var.empty() && bound->count(n.var)) {
        rank = 0;
        h = PatternOp::Start::kBound;
        how_text = "(bound by an earlier pattern)";
      } else if (id) {
        rank = 1;
        h = PatternOp::Start::kIds;
        how_text = "by id " + std::to_string(*id);
      } else if (name) {
        rank = 2;
        h = PatternOp::Start::kIds;
        how_text = "by name \"" + *name + "\" (alias index)";
      } else if (!n.labels.empty()) {
        rank = 4;
        h = PatternOp::Start::kScanType;
        how_text = "scanning every " + n.labels[0];
      } else {
        how_text = "scanning every entity";
      }
      if (rank < best_rank) {
        best_rank = rank;
        best = static_cast<int>(i);
        how = h;
        start_text = how_text;
        ids.clear();
        if (rank == 1) {
          if (*id > 0) ids.push_back(static_cast<EntityId>(*id));
        } else if (rank == 2) {
          PG_ASSIGN_OR_RETURN(ids, BindNameToAll(*st_->run, *name, notice));
          start_text += ": " + WithThousands(ids.size()) + (ids.size() == 1 ? " entity" : " entities");
        }
      }
    }
    const size_t start = static_cast<size_t>(best);
    // Walk right from the start, then left.
    std::vector<Step> steps;
    std::set<size_t> reached = {start};
    auto var_bound = [&](size_t node) {
      const std::string& v = pat.nodes[node].var;
      return !v.empty() && bound->count(v) > 0;
    };
    for (size_t i = start; i + 1 < pat.nodes.size(); ++i) {
      steps.push_back({i, i, i + 1, true, false});
    }
    for (size_t i = start; i > 0; --i) {
      steps.push_back({i - 1, i, i - 1, false, false});
    }
    // A step must reach an entity already bound: by an earlier pattern, or by this pattern when
    // the same variable appears twice.
    std::set<std::string> seen;
    if (!pat.nodes[start].var.empty()) seen.insert(pat.nodes[start].var);
    for (Step& s : steps) {
      const std::string& v = pat.nodes[s.to].var;
      s.to_bound = var_bound(s.to) || (!v.empty() && seen.count(v) > 0);
      if (!v.empty()) seen.insert(v);
    }
    for (Step& s : steps) s.to_typed = LabelImplied(rels[s.rel], s.forward, nodes[s.to]);
    std::vector<size_t> edges = *edge_slots_bound;
    for (const RelSpec& r : rels) edge_slots_bound->push_back(r.slot);
    for (const NodePattern& n : pat.nodes) {
      if (!n.var.empty()) bound->insert(n.var);
    }
    if (how == PatternOp::Start::kBound) ids.clear();
    return std::unique_ptr<Op>(std::make_unique<PatternOp>(st_, std::move(child), std::move(nodes), std::move(rels), start, how,
                                                           std::move(ids), std::move(start_text), std::move(steps),
                                                           std::move(edges), std::move(text)));
  }

  const MatchQuery& q_;
  std::shared_ptr<State> st_;
  std::vector<std::vector<size_t>> node_slots_, rel_slots_;
};

}  // namespace

Result<MatchPlan> PlanMatch(const MatchQuery& query, StatementRun& run) {
  Planner planner(query, run);
  return planner.Plan();
}

Result<MatchPlan> PlanRelationQuestion(const RelationQuestion& q, StatementRun& run) {
  const BoundQuestion& b = *q.bound;
  const RelationTypeDef& rel = *b.relation;
  auto st = std::make_shared<State>();
  st->run = &run;
  st->admit_while_walking = false;
  // (subject)-[r:TYPE]->(object): two node slots and one relation slot.
  st->scope.vars = {{"subject", true, false, 0}, {"object", true, false, 1}, {"r", false, false, 0}};
  st->scope.node_slots = 2;
  st->scope.edge_slots = 1;
  const size_t anchor = b.subjects ? 1 : 0;
  const size_t other = 1 - anchor;
  std::vector<NodeSpec> nodes(2);
  nodes[0].slot = 0;
  nodes[0].text = "(subject)";
  nodes[1].slot = 1;
  nodes[1].text = "(object)";

  RelSpec spec;
  spec.slot = 0;
  spec.var = "r";
  spec.types = {rel.name};
  spec.dir = RelPattern::Dir::kOut;
  spec.needs_record = true;
  std::string conditions;
  for (size_t i = 0; i < b.nodes.size(); ++i) {
    const NodeCondition& c = b.nodes[i];
    conditions += (conditions.empty() ? "" : ", ") + c.slot + " in " + c.label;
    if (static_cast<int>(i) == q.via_index) {
      // Every relation the index lists has the slot's value in the set: no check left to do.
      spec.index_slot = c.slot;
      spec.index_values = c.values;
      continue;
    }
    spec.slot_in.emplace_back(c.slot, std::unordered_set<EntityId>(c.values.begin(), c.values.end()));
  }
  for (const auto& [slot, text] : b.literals) {
    conditions += (conditions.empty() ? "" : ", ") + slot + " = \"" + text + "\"";
    spec.slot_text.emplace_back(slot, text);
  }
  if (q.via_index >= 0) {
    spec.access_text = "by the qualifier index of " + spec.index_slot;
  } else if (rel.symmetric) {
    spec.access_text = "(symmetric: both directions)";
  }
  if (q.via_index >= 0 || q.estimate > 0) spec.access_text += "   est. " + WithThousands(q.estimate) + " rows";
  const std::string text = "(subject)-[r:" + rel.name + (conditions.empty() ? "" : " {" + conditions + "}") + "]->(object)";
  std::vector<RelSpec> rels;
  rels.push_back(std::move(spec));
  std::vector<Step> steps = {{0, anchor, other, /*forward=*/anchor == 0, false, false}};
  std::unique_ptr<Op> root = std::make_unique<PatternOp>(
      st, nullptr, std::move(nodes), std::move(rels), anchor, PatternOp::Start::kIds,
      std::vector<EntityId>{b.anchor.id}, b.anchor.name + " #" + std::to_string(b.anchor.id), std::move(steps),
      std::vector<size_t>{}, text);
  // AS OF, then the candidates, on the matched rows as MATCH applies AS OF; a candidate left
  // out is counted for the answer's notice.
  if (run.st.as_of) root = AsOfFilter(run, std::move(root), *run.st.as_of);
  if (run.Floor() > 0) root = CandidateFilter(run, std::move(root));

  // RETURN subject, object, r.<slot> AS <slot>, ...
  MatchPlan plan;
  auto item = [&](Expr::Kind kind, const std::string& var, const std::string& key, const std::string& name) {
    ReturnItem it;
    it.expr.kind = kind;
    it.expr.text = var;
    it.expr.key = key;
    it.name = name;
    it.aliased = true;
    st->items.push_back(std::move(it));
    plan.columns.push_back(name);
  };
  item(Expr::Kind::kVar, "subject", "", "subject");
  item(Expr::Kind::kVar, "object", "", "object");
  for (const std::string& slot : q.slots) item(Expr::Kind::kProp, "r", slot, slot);
  std::string columns;
  for (const std::string& c : plan.columns) columns += (columns.empty() ? "" : ", ") + c;
  plan.root = std::make_unique<ProjectOp>(st, std::move(root), &st->items, std::vector<KeySource>{}, "Return " + columns);
  return plan;
}

Result<MatchPlan> PlanSaidAbout(const Entity& x, StatementRun& run) {
  auto st = std::make_shared<State>();
  st->run = &run;
  st->admit_while_walking = false;
  // (speaker)-[:SAID]->(claim)-[:ABOUT]->(about): ABOUT takes relation slot 0 and SAID slot 1,
  // so that a row's relations are [ABOUT, SAID], as the filters and the evidence read them.
  st->scope.vars = {{"speaker", true, false, 0}, {"claim", true, false, 1}, {"about", true, false, 2}};
  st->scope.node_slots = 3;
  st->scope.edge_slots = 2;
  std::vector<NodeSpec> nodes(3);
  const char* const names[] = {"(speaker)", "(claim)", "(about)"};
  for (size_t i = 0; i < 3; ++i) {
    nodes[i].slot = i;
    nodes[i].text = names[i];
  }
  std::vector<RelSpec> rels(2);
  rels[0].slot = 1;
  rels[0].types = {"SAID"};
  rels[1].slot = 0;
  rels[1].types = {"ABOUT"};
  // Start at X, walk left: the claims about it, then who said each.
  std::vector<Step> steps = {{1, 2, 1, false, false, false}, {0, 1, 0, false, false, false}};
  std::unique_ptr<Op> root = std::make_unique<PatternOp>(
      st, nullptr, std::move(nodes), std::move(rels), 2, PatternOp::Start::kIds, std::vector<EntityId>{x.id},
      x.name + " #" + std::to_string(x.id), std::move(steps), std::vector<size_t>{}, "(speaker)-[:SAID]->(claim)-[:ABOUT]->(about)");
  if (run.st.as_of) root = AsOfFilter(run, std::move(root), *run.st.as_of);
  if (run.Floor() > 0) root = CandidateFilter(run, std::move(root));
  MatchPlan plan;
  for (const char* name : {"speaker", "claim", "about"}) {
    ReturnItem it;
    it.expr.kind = Expr::Kind::kVar;
    it.expr.text = name;
    it.name = name;
    st->items.push_back(std::move(it));
    plan.columns.push_back(name);
  }
  plan.root = std::make_unique<ProjectOp>(st, std::move(root), &st->items, std::vector<KeySource>{}, "Return speaker, claim, about");
  return plan;
}

}  // namespace pactgraph::query
