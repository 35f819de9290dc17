// The pattern planner (match.cc): a MATCH, a WHO/WHAT question and WHO SAID ABOUT become
// operator trees of the same operators (pattern.h). Checks the variables, labels and functions,
// chooses where each pattern starts. Internal to the query module; planner.cc calls it.
#ifndef PACTGRAPH_QUERY_INTERNAL_MATCH_H_
#define PACTGRAPH_QUERY_INTERNAL_MATCH_H_

#include <memory>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "graph/schema.h"
#include "graph/status.h"
#include "query/ast.h"
#include "query/engine.h"
#include "query/internal/binder.h"
#include "query/internal/operators.h"
#include "query/internal/statement.h"
#include "storage/store.h"

namespace pactgraph::query {

struct MatchPlan {
  std::unique_ptr<Op> root;  // rows carry values (one per column) and the relations for evidence
  std::vector<std::string> columns;
  std::string notice;        // e.g. a name in a property map that names no entity
};

// Checks the query against the schema and its own variables, and builds the operator tree.
// Errors name the line and column of the offending part.
// Names are resolved, entities and relations read, candidates left out and AS OF applied through
// `run`, as for every other form.
Result<MatchPlan> PlanMatch(const MatchQuery& query, StatementRun& run);

// WHO <verb> X, WHAT <verb> X, WHAT DOES X <verb>, bound: planned as the pattern
// MATCH (subject)-[r:TYPE {conditions}]->(object) RETURN subject, object, r.<slot> AS <slot>, ...
// with X's end bound, by the same operators. The question's planner chooses the access path.
struct RelationQuestion {
  const BoundQuestion* bound = nullptr;
  int via_index = -1;              // the node condition whose qualifier index is read, or -1: X's adjacency
  uint64_t estimate = 0;           // the relations the access path lists, when counted (0: not)
  std::vector<std::string> slots;  // the columns after subject and object
};

// Unlike MATCH, candidates are left out after the walk and counted for the answer's notice;
// AS OF and the candidate filter are in the plan it returns.
Result<MatchPlan> PlanRelationQuestion(const RelationQuestion& q, StatementRun& run);

// WHO SAID ABOUT X, X bound: MATCH (speaker)-[:SAID]->(claim)-[:ABOUT]->(X) RETURN speaker,
// claim, about by the same operators; each row's relations are [ABOUT, SAID], candidates
// left out and counted as for a question.
Result<MatchPlan> PlanSaidAbout(const Entity& x, StatementRun& run);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_MATCH_H_
