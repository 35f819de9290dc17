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
  // How the executor turns a row into values.
  enum class Emit {
    kValues,     // the row carries its values (MATCH and the questions, PATH, RANK, ...)
    kSaidAbout,  // rels[0] claim ABOUT x, rels[1] speaker SAID claim
    kCard,       // SHOW: subject, relation, object, qualifiers
  };

  std::unique_ptr<Op> root;
  Emit emit = Emit::kValues;
  std::string title;  // SHOW's heading
  std::vector<std::string> columns;
  size_t optional_columns_from = SIZE_MAX;  // see Answer::optional_columns_from
  std::string notice;                        // what planning found worth saying
  // After an empty answer, the executor lists the entities named with these that are not
  // recorded as their variants.
  std::vector<RelativesHint> hints;
  // The plan applied AS OF itself (a dated projection, MATCH's filter on matched rows), and
  // left candidates out itself (as it walked): PlanStatement adds no filter for them.
  bool as_of_applied = false;
  bool candidates_applied = false;
};

// "a, b, c"
inline std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_PLAN_H_
