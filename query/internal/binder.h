// The binder: a statement's $parameters to their values, names to entities (through the one
// resolver, storage/resolve.h), entity types checked against the schema, and a question's
// conditions to the sets of entities they match. Errors are located at the name they are
// about. MATCH binds its variables in match.cc, its names here.
// Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_BINDER_H_
#define PACTGRAPH_QUERY_INTERNAL_BINDER_H_

#include <string>
#include <utility>
#include <vector>

#include "graph/schema.h"
#include "graph/status.h"
#include "query/ast.h"
#include "query/engine.h"
#include "query/internal/statement.h"

namespace pactgraph::query {

// The statement with every $parameter replaced by its value. A slot that takes literal text
// (AS $role) gets the value as text; an unbound parameter is kInvalidArgument located at it.
Status BindParams(Statement* s, const Params& params);

// A name to one entity; an unknown or ambiguous name is an error located at it in the query.
Result<Entity> BindName(StatementRun& run, const NameRef& n);

// Every entity a name or alias names (a MATCH property map's {name: "..."}); none is not an
// error: `notice` gets the "did you mean" line instead.
Result<std::vector<EntityId>> BindNameToAll(StatementRun& run, const std::string& name, std::string* notice);

// kInvalidArgument located at `n` unless `e`'s type is one of `allowed`; `what` says whose
// type it is ("SUPPORTS's object").
Status CheckType(const NameRef& n, const Entity& e, const std::vector<std::string>& allowed, const std::string& what);

// Y, every product that is VARIANT_OF Y at any depth, and every product Y is a VARIANT_OF at any
// depth (candidate VARIANT_OF relations left out).
Result<std::vector<EntityId>> WithVariants(StatementRun& run, EntityId y);

// A question's node condition, bound: the slot and the entities its value matches.
struct NodeCondition {
  std::string slot;
  std::vector<EntityId> values;
  std::string label;  // for EXPLAIN: "Hyper-V Server 2008 #84 and 2 variants"
};

// A bound name a condition matches, kept so that an empty answer can list its relatives.
struct RelativesHint {
  std::string name;
  const SlotDef* slot;
};

// WHO/WHAT <verb> X [slot Y]...: X and the conditions bound and type-checked.
struct BoundQuestion {
  const RelationTypeDef* relation = nullptr;
  bool subjects = false;  // WHO: X is the object, the subjects are asked for
  Entity anchor;
  std::vector<NodeCondition> nodes;                          // in the order written
  std::vector<std::pair<std::string, std::string>> literals;  // slot, lowercased text
  std::vector<RelativesHint> hints;
  std::string notice;  // "... is not an entity; on matched the N whose names contain it: ..."
};

// Binds a WHO/WHAT question (not WHO SAID ABOUT). A condition's entity stands for its VARIANT_OF
// family unless EXACTLY; a value that names no entity matches the entities whose names contain
// it, with a notice saying so.
Result<BoundQuestion> BindQuestion(StatementRun& run, const Question& q);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_BINDER_H_
