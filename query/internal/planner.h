// The planner: one entry for every statement. Each form is bound (binder.h) and turned into an
// operator tree, choosing the cheaper access path from index counts; AS OF and the candidate
// filter are added where the form's own plan did not apply them. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_PLANNER_H_
#define PACTGRAPH_QUERY_INTERNAL_PLANNER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "query/ast.h"
#include "query/internal/plan.h"
#include "query/internal/statement.h"

namespace pactgraph::query {

// The plan of `run.st`. Errors are located at the part of the statement they are about.
Result<Plan> PlanStatement(StatementRun& run);

// Rows whose relations were not all first stated by `date`, or had ended by then, are dropped.
std::unique_ptr<Op> AsOfFilter(StatementRun& run, std::unique_ptr<Op> root, const std::string& date);

// Rows that rest on a candidate are left out and counted for the answer's notice (a statement
// that did not ask for candidates).
std::unique_ptr<Op> CandidateFilter(StatementRun& run, std::unique_ptr<Op> root);

// The whole-graph forms, over the graph projection (whole_graph.cc).
Result<Plan> PlanPath(StatementRun& run, const PathQuery& p);
Result<Plan> PlanComponents(StatementRun& run, const ComponentsQuery& c);
Result<Plan> PlanRank(StatementRun& run, const RankQuery& r);
Result<Plan> PlanNeighbourhood(StatementRun& run, const NeighbourhoodQuery& nb);

// The forms over time, read from the facts' dated sources (timeline.cc).
Result<Plan> PlanTimeline(StatementRun& run, const TimelineQuery& t);
Result<Plan> PlanChanges(StatementRun& run, const ChangesQuery& c);
Result<Plan> PlanConflicts(StatementRun& run, const ConflictsQuery& c);

// When the sources of some row's relation (`rels`, one per row of `a`) state different literals
// (a status, an `as`): the row's status becomes the one its latest dated source states as of the
// statement's date (AS OF, else every source), and two columns are added, `stated` (that
// source's date) and `disputed` (each reading with its latest source). An answer whose rows'
// sources all agree is left as it is.
Status AddStatusOverTime(StatementRun& run, const std::vector<Relation>& rels, Answer* a);

// A qualifier's value as sources are compared by it: its words in lower case, punctuation left
// out (a point or comma between digits kept: "8.1"), a simple plural made singular ("guests",
// "companies"; not "status" or "class"), a leading article dropped. "Guests," is {"guest"}.
std::vector<std::string> QualifierWords(std::string_view value);

// Two sources' values of one qualifier say the same: the same words as QualifierWords reads
// them, or the one's words the first words of the other's when what the longer adds holds no
// digit ("guest", "guest operating system"; not "version 8", "version 8 SP1"). Anything else
// ("guest", "host"; "Vice President", "Senior Vice President") is a different value, a dispute.
bool SameQualifier(std::string_view a, std::string_view b);

// When the sources of some row's relation (`rels`, one per row of `a`) disagree (a status
// denied or ended after it was stated, another qualifier from another publisher), a column
// `disputed` is added listing each reading with its latest source, as AddStatusOverTime's; the
// rows are left as they are, and an answer whose rows' sources all agree is left unchanged.
Status AddDisputed(StatementRun& run, const std::vector<Relation>& rels, Answer* a);

// The rows of a Claim's card that no relation stores: one per fact the claim contradicts ("<claim>
// CONTRADICTS <fact>", the other side's status and source, its sentence as the row's evidence).
// A claim contradicts a fact when it was said in the sentence of a source on one side of a
// disagreement (CONFLICTS') and names both of the fact's ends. Rows carry no relation.
Result<std::vector<Row>> ClaimCardRows(StatementRun& run, EntityId claim);

// A fact's status as of the statement's date, read from its sources (AddStatusOverTime's, one
// relation): `history` when its sources state different literals; then the latest dated
// source's status, date and literals (unset for a source stored before they were kept), and,
// when the sources disagree, each reading with its latest source.
struct FactNow {
  bool history = false;
  std::string status, stated, disputed;
  std::optional<std::map<std::string, std::string>> literals;
};
Result<FactNow> StatusNow(StatementRun& run, const Relation& r);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_PLANNER_H_
