// MATCH patterns: the binder (variables, labels, functions), the planner (where each pattern
// starts) and the operators that match patterns, filter, project, count, sort and skip.
// Internal to the query module; engine.cc calls PlanMatch.
#ifndef PACTGRAPH_QUERY_INTERNAL_MATCH_H_
#define PACTGRAPH_QUERY_INTERNAL_MATCH_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "graph/schema.h"
#include "graph/status.h"
#include "query/ast.h"
#include "query/engine.h"
#include "query/internal/operators.h"
#include "storage/store.h"

namespace pactgraph::query {

struct MatchContext {
  const storage::Store* store = nullptr;
  const storage::Snapshot* snap = nullptr;
  const Schema* schema = nullptr;
  Guard* guard = nullptr;
  MemoryBudget* memory = nullptr;  // the statement's; what operators accumulate is counted here
  Limits limits;
  // Wraps the matched rows in the AS OF filter; empty without AS OF.
  std::function<std::unique_ptr<Op>(std::unique_ptr<Op>)> as_of;
  // Whether a relation may be matched: false for a candidate (a fact below the confidence
  // threshold) unless the statement asked for candidates. Empty: every relation may.
  std::function<Result<bool>(RelationId)> admit;
  // The statement's cached entity reads.
  std::function<Result<const Entity*>(EntityId)> entity;
  // Each entity's number of relations of a type in one direction, from the graph projection
  // (built on first use); empty when the caller has none to offer.
  std::function<Result<const GraphProjection::Degrees*>(TypeId, bool outgoing)> degrees;
  // How an entity is shown in an answer (a long claim is cut).
  std::function<Result<std::string>(EntityId)> shown;
};

struct MatchPlan {
  std::unique_ptr<Op> root;  // rows carry values (one per column) and the relations for evidence
  std::vector<std::string> columns;
  std::string notice;        // e.g. a name in a property map that names no entity
};

// Checks the query against the schema and its own variables, and builds the operator tree.
// Errors name the line and column of the offending part.
Result<MatchPlan> PlanMatch(const MatchQuery& query, const MatchContext& context);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_MATCH_H_
