// The planner's output and the executor's input: the operator tree of one statement and what the
// executor needs to turn its rows into an answer. Everything a planner decides travels in the
// plan; nothing is left behind in members for the executor to find. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_PLAN_H_
#define PACTGRAPH_QUERY_INTERNAL_PLAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "query/internal/binder.h"
#include "query/internal/operators.h"
#include "query/internal/statement.h"

namespace pactgraph::query {

struct Plan {
  // Rows carry their values, one per column, and the relations whose sources are their evidence.
  std::unique_ptr<Op> root;
  // Only this relation of each row gives evidence (WHO SAID ABOUT: what was said, not what it is
  // about); -1: every relation, in order, up to Limits::max_evidence.
  int evidence_from = -1;
  std::string title;  // SHOW's heading
  std::vector<std::string> columns;
  size_t optional_columns_from = SIZE_MAX;  // see Answer::optional_columns_from
  std::string notice;                        // what planning found worth saying
  // After an empty answer, the executor lists the entities named with these that are not
  // recorded as their variants.
  std::vector<RelativesHint> hints;
  // The plan applied AS OF itself (a dated projection, a filter on the matched rows), and left
  // candidates out itself: every form does today; for a form that does not, PlanStatement adds
  // both filters over its rows.
  bool as_of_applied = false;
  bool candidates_applied = false;
  // Each row's first relation is a fact whose status is read from its dated sources
  // (AddStatusOverTime): WHO and WHAT questions.
  bool status_over_time = false;
  // Each row's first relation is marked when its sources disagree (AddDisputed): SHOW, PATH,
  // PATHS and NEIGHBOURHOOD, whose rows are relations without a status column of their own.
  bool mark_disputed = false;
  // ORDER BY SOURCES: the answer shows each row's corroboration as columns, `sources` and
  // `publishers` (the rows of every WHO and WHAT answer carry them in JSON).
  bool corroboration_columns = false;
  // See Answer::evidence_in_columns.
  bool evidence_in_columns = false;
};

// "a, b, c"
inline std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_PLAN_H_
