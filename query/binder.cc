#include "query/internal/binder.h"

#include <unordered_set>

#include "graph/text.h"
#include "query/lexer.h"
#include "storage/resolve.h"

namespace pactgraph::query {
namespace {

// --------------------------------------------------------------------------- parameters

Result<Value> ParamValue(const Params& params, const std::string& name, const Pos& pos) {
  auto it = params.find(name);
  if (it == params.end()) {
    return ErrorAt(pos, Status::InvalidArgument("parameter $" + name + " has no value"));
  }
  return it->second;
}

Status BindNameParam(NameRef* n, const Params& params) {
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

Status BindExprParam(Expr* e, const Params& params) {
  if (e->kind == Expr::Kind::kParam) {
    PG_ASSIGN_OR_RETURN(Value v, ParamValue(params, e->text, e->pos));
    e->kind = v.kind == Value::Kind::kInt ? Expr::Kind::kInt : v.kind == Value::Kind::kText ? Expr::Kind::kText : Expr::Kind::kNull;
    e->number = v.number;
    e->text = v.text;
  }
  for (Expr& a : e->args) PG_RETURN_IF_ERROR(BindExprParam(&a, params));
  return Status::OK();
}

// --------------------------------------------------------------------------- names

std::string Article(const std::string& word) {
  return (std::string("AEIOU").find(word.empty() ? 'x' : word[0]) != std::string::npos ? "an " : "a ") + word;
}

std::string Types(const std::vector<std::string>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) out += (i ? (i + 1 == types.size() ? " or " : ", ") : "") + Article(types[i]);
  return out;
}

// A name to one entity, by the one resolver (storage/resolve.h).
Result<Entity> Lookup(StatementRun& run, const NameRef& n) {
  PG_ASSIGN_OR_RETURN(EntityId id, n.id ? storage::ResolveId(run.store, run.snap, n.id) : storage::ResolveName(run.store, run.snap, n.text));
  return run.EntityCopy(id);
}

// Y and the products VARIANT_OF links reach from it, down (its variants) or up (what it is a
// variant of), at any depth.
Result<std::vector<EntityId>> Variants(StatementRun& run, EntityId y, bool up) {
  std::vector<EntityId> out = {y};
  std::unordered_set<EntityId> seen = {y};
  for (size_t i = 0; i < out.size(); ++i) {
    std::vector<storage::Store::Neighbour> variants;
    PG_RETURN_IF_ERROR(run.store.ForEachNeighbour(run.snap, out[i], up, "VARIANT_OF", [&](const storage::Store::Neighbour& nb) {
      variants.push_back(nb);
      return true;
    }));
    for (const storage::Store::Neighbour& nb : variants) {
      // A VARIANT_OF that is only a candidate does not widen the question.
      PG_ASSIGN_OR_RETURN(bool admitted, run.Admitted(nb.relation));
      if (admitted && seen.insert(nb.other).second) out.push_back(nb.other);
    }
    PG_RETURN_IF_ERROR(run.guard.Check());
  }
  return out;
}

// A family name that is not an entity itself ("Hyper-V"): the entities of the slot's types
// whose names contain it as whole words, each with its variants; the notice says which.
Result<NodeCondition> Family(StatementRun& run, const SlotCondition& c, const SlotDef& slot, std::string* notice) {
  NodeCondition nc{c.slot, {}, "\"" + c.value.text + "\""};
  PG_ASSIGN_OR_RETURN(std::vector<EntityId> ids, run.store.NamesContaining(run.snap, c.value.text, 200));
  std::vector<std::string> names;
  std::unordered_set<EntityId> seen;
  for (EntityId id : ids) {
    PG_ASSIGN_OR_RETURN(Entity e, run.EntityCopy(id));
    if (!Schema::TypeAllowed(slot.types, e.type) || e.type == "Claim") continue;
    names.push_back(e.name);
    PG_ASSIGN_OR_RETURN(std::vector<EntityId> with, WithVariants(run, id));
    for (EntityId v : with) {
      if (seen.insert(v).second) nc.values.push_back(v);
    }
  }
  if (names.empty()) return nc;
  std::string list;
  for (size_t i = 0; i < names.size() && i < 6; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > 6) list += ", ...";
  nc.label += " (" + std::to_string(names.size()) + " entities named with it)";
  *notice += (notice->empty() ? "" : "\n") + ("\"" + c.value.text + "\" is not an entity; " + c.slot + " matched the " +
                                              std::to_string(names.size()) + " whose names contain it: " + list);
  return nc;
}

}  // namespace

Status BindParams(Statement* s, const Params& params) {
  return ForEachValueSite(
      *s,
      [&](NameRef& n, bool literal) -> Status {
        if (!literal || n.param.empty()) return BindNameParam(&n, params);
        PG_ASSIGN_OR_RETURN(Value v, ParamValue(params, n.param, n.pos));
        n.text = v.ToString();
        n.param.clear();
        return Status::OK();
      },
      [&](Expr& e) { return BindExprParam(&e, params); });
}

Result<Entity> BindName(StatementRun& run, const NameRef& n) {
  Result<Entity> e = Lookup(run, n);
  const StatusCode code = e.status().code();
  if (!e.ok() && (code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument)) return ErrorAt(n.pos, e.status());
  return e;
}

Result<std::vector<EntityId>> BindNameToAll(StatementRun& run, const std::string& name, std::string* notice) {
  PG_ASSIGN_OR_RETURN(std::vector<storage::NameMatch> found, run.store.FindByName(run.snap, name));
  std::vector<EntityId> ids;
  for (const auto& m : found) ids.push_back(m.id);
  if (ids.empty()) {
    Status unknown = storage::UnknownName(run.store, run.snap, name);
    if (unknown.code() != StatusCode::kNotFound) return unknown;
    *notice += (notice->empty() ? "" : "\n") + unknown.message();
  }
  return ids;
}

Status CheckType(const NameRef& n, const Entity& e, const std::vector<std::string>& allowed, const std::string& what) {
  if (Schema::TypeAllowed(allowed, e.type)) return Status::OK();
  return ErrorAt(n.pos, Status::InvalidArgument(what + " wants " + Types(allowed) + ", but \"" + e.name + "\" is " + Article(e.type)));
}

// Support stated on "Hyper-V Server" holds on "Hyper-V Server 2008", and support on "Hyper-V
// Server 2008" is support on "Hyper-V Server". Siblings ("Windows Server 2003" for "Windows
// Server 2008") are not included.
Result<std::vector<EntityId>> WithVariants(StatementRun& run, EntityId y) {
  PG_ASSIGN_OR_RETURN(std::vector<EntityId> out, Variants(run, y, /*up=*/false));
  PG_ASSIGN_OR_RETURN(std::vector<EntityId> bases, Variants(run, y, /*up=*/true));
  std::unordered_set<EntityId> seen(out.begin(), out.end());
  for (EntityId b : bases) {
    if (seen.insert(b).second) out.push_back(b);
  }
  return out;
}

Result<BoundQuestion> BindQuestion(StatementRun& run, const Question& q) {
  BoundQuestion b;
  b.relation = run.schema.FindRelationType(q.relation);
  if (!b.relation) return Status::Internal("unknown relation type after parsing");
  const RelationTypeDef& rel = *b.relation;
  b.subjects = q.kind == Question::Kind::kSubjects;
  PG_ASSIGN_OR_RETURN(b.anchor, BindName(run, q.anchor));
  PG_RETURN_IF_ERROR(CheckType(q.anchor, b.anchor, b.subjects ? rel.object_types : rel.subject_types,
                               rel.name + (b.subjects ? "'s object" : "'s subject")));

  // Node slots to sets of entities (with variants unless EXACTLY).
  for (const SlotCondition& c : q.conditions) {
    if (c.literal) {
      b.literals.emplace_back(c.slot, AsciiLower(c.value.text));
      continue;
    }
    const SlotDef* slot = run.schema.FindSlot(c.slot);
    Result<Entity> y = BindName(run, c.value);
    if (!y.ok() && y.status().code() == StatusCode::kNotFound && !c.exact && !c.value.id) {
      PG_ASSIGN_OR_RETURN(NodeCondition family, Family(run, c, *slot, &b.notice));
      if (!family.values.empty()) {
        b.nodes.push_back(std::move(family));
        continue;
      }
    }
    if (!y.ok()) return y.status();
    PG_RETURN_IF_ERROR(CheckType(c.value, *y, slot->types, rel.name + "'s \"" + c.slot + "\""));
    b.hints.push_back({y->name, slot});
    NodeCondition nc{c.slot, {y->id}, y->name + " #" + std::to_string(y->id)};
    if (!c.exact) {
      PG_ASSIGN_OR_RETURN(nc.values, WithVariants(run, y->id));
      if (nc.values.size() > 1) nc.label += " and " + std::to_string(nc.values.size() - 1) + " variant" + (nc.values.size() > 2 ? "s" : "");
    } else {
      nc.label += " exactly";
    }
    b.nodes.push_back(std::move(nc));
  }
  return b;
}

}  // namespace pactgraph::query
