// The executor: pulls a plan's rows under the row, time and memory limits and turns each into
// the answer's values with its evidence (document, date, sentence), marking rows that rest on a
// candidate; EXPLAIN renders the plan instead, PROFILE renders it after the run with rows and
// time per operator. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_EXECUTOR_H_
#define PACTGRAPH_QUERY_INTERNAL_EXECUTOR_H_

#include "graph/status.h"
#include "query/engine.h"
#include "query/internal/plan.h"
#include "query/internal/statement.h"

namespace pactgraph::query {

Result<Answer> Execute(StatementRun& run, Plan plan);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_EXECUTOR_H_
