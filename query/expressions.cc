// MATCH's values and expressions: evaluation over a row (three-valued logic, nodes and relations
// kept as references until output) and the checks of an expression against the pattern's
// variables, run when the statement is planned.
#include <algorithm>
#include <sstream>

#include "graph/names.h"
#include "graph/text.h"
#include "query/internal/planner.h"
#include "query/internal/pattern.h"
#include "query/lexer.h"

namespace pactgraph::query::pattern {
namespace {

const char* const kFunctions = "count(), type(), id(), labels(), length(), name(), toLower(), toUpper()";

}  // namespace

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
      // Over time: the status its latest dated source gives as of the statement's date, that
      // source's date, and the readings of sources that disagree (NULL when they all agree).
      if (e.key == "status" || e.key == "stated" || e.key == "disputed") {
        PG_ASSIGN_OR_RETURN(FactNow now, StatusNow(*run, r));
        if (now.history && !now.stated.empty()) {
          if (e.key == "status") return now.status == "active" && !(now.literals && now.literals->count("status")) ? MV{} : MV::Text(now.status);
          if (e.key == "stated") return MV::Text(now.stated);
        }
        if (e.key == "disputed") return now.disputed.empty() ? MV{} : MV::Text(now.disputed);
        if (e.key == "stated") return MV{};
      }
      if (const Qualifier* q = r.Find(e.key)) return q->is_node() ? MV::Node(q->node) : MV::Text(q->literal);
      auto it = r.properties.find(e.key);
      if (it != r.properties.end()) return MV::Text(it->second);
      // Corroboration, computed: how many documents and publishers state the relation.
      if (e.key == "sources" || e.key == "publishers") {
        PG_ASSIGN_OR_RETURN(StatementRun::Corroboration c, run->CorroborationOf(r.id));
        return MV::Int(e.key == "sources" ? c.documents : c.publishers);
      }
      return MV{};
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

}  // namespace pactgraph::query::pattern
