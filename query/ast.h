// The syntax tree of one statement, as the parser builds it: names are still text, relation
// types and slots are checked against the schema's vocabulary but not yet bound to entities.
#ifndef PACTGRAPH_QUERY_AST_H_
#define PACTGRAPH_QUERY_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "query/lexer.h"

namespace pactgraph::query {

// An entity as the query names it: "Red Hat Enterprise Linux", RHEL, #42.
struct NameRef {
  std::string text;
  bool quoted = false;
  uint64_t id = 0;  // #42
  Pos pos;
};

// `ON [EXACTLY] Y`, `AS guest`: a condition on one qualifier slot.
struct SlotCondition {
  std::string slot;      // schema slot name
  bool exact = false;    // EXACTLY: no VARIANT_OF expansion
  bool literal = false;  // the slot holds literal values; `value.text` is compared as text
  NameRef value;
};

// WHO/WHAT questions. `subjects`: who <verb> X (X is the object); otherwise what X <verb>s.
struct Question {
  enum class Kind { kSubjects, kObjects, kSaidAbout };
  Kind kind = Kind::kSubjects;
  std::string relation;  // schema relation type (empty for kSaidAbout)
  NameRef anchor;        // X
  std::vector<SlotCondition> conditions;
};

// PATH A TO B [MAX n] [VIA T, ...]
struct PathQuery {
  NameRef from, to;
  int max_hops = 6;
  std::vector<std::string> via;  // relation types; empty = every type
};

// SHOW X
struct ShowQuery {
  NameRef name;
};

struct Statement {
  bool explain = false;
  bool profile = false;
  std::optional<std::string> as_of;  // YYYY-MM-DD
  std::optional<uint64_t> limit;
  std::variant<Question, PathQuery, ShowQuery> body;
  Pos pos;
};

// A readable, stable rendering of the tree, for tests and EXPLAIN:
//   (question subjects SUPPORTS (name "RHEL") (on (name "Hyper-V")))
std::string ToString(const Statement& s);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_AST_H_
