// The syntax tree of one statement, as the parser builds it: names are still text, relation
// types and slots are checked against the schema's vocabulary but not yet bound to entities.
#ifndef PACTGRAPH_QUERY_AST_H_
#define PACTGRAPH_QUERY_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "graph/status.h"
#include "query/lexer.h"

namespace pactgraph::query {

// An entity as the query names it: "Red Hat Enterprise Linux", RHEL, #42.
struct NameRef {
  std::string text;
  bool quoted = false;
  uint64_t id = 0;  // #42
  std::string param;  // $x: a query parameter, given a value when the statement runs
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
  // ORDER BY SOURCES: the facts stated by the most distinct documents first (then by the most
  // publishers); ties keep the answer's own order.
  bool by_sources = false;
};

// PATH [WEIGHTED] A TO B [MAX n] [VIA T, ...]; PATHS A TO B [MAX n] [VIA T, ...]
struct PathQuery {
  NameRef from, to;
  int max_hops = 6;
  Pos max_pos;                   // where MAX's number is, for an error about it
  std::vector<std::string> via;  // relation types; empty = every type
  bool weighted = false;         // WEIGHTED: the most trusted path (relations' confidence)
  bool all = false;              // PATHS: every shortest path, not one
};

// COMPONENTS [OF Type, ...]: connected groups, direction ignored.
struct ComponentsQuery {
  std::vector<std::string> types;  // entity types; empty = every type
};

// RANK Type BY PAGERANK|DEGREE|BETWEENNESS
struct RankQuery {
  enum class By { kPageRank, kDegree, kBetweenness };
  std::string type;  // an entity type
  By by = By::kPageRank;
};

// NEIGHBOURHOOD X [DEPTH n]
struct NeighbourhoodQuery {
  NameRef name;
  int depth = 1;
};

// TIMELINE X: every fact about X in date order, each step from one source: first stated,
// restated, changed status, or contradicted.
struct TimelineQuery {
  NameRef name;
};

// CHANGES [OF X] BETWEEN d1 AND d2: the facts (about X) that appeared, changed status or ended
// between the two days, both included.
struct ChangesQuery {
  std::optional<NameRef> name;
  std::string from, to;  // YYYY-MM-DD, from <= to
};

// CONFLICTS [ABOUT X]: every fact (about X) whose sources disagree, newest first.
struct ConflictsQuery {
  std::optional<NameRef> name;
};

// SHOW X
struct ShowQuery {
  NameRef name;
};

// How deep an expression's tree may be: operators, calls and lists inside one another (a chain
// `a = b = c` nests one level per operator; `a OR b OR c` is one level, however long). The parser
// refuses a deeper one with a positioned error, so that every walk over the tree (evaluation,
// printing, binding, copying, destruction) recurses at most this deep.
constexpr int kMaxExpressionDepth = 200;

// An expression of a MATCH query's WHERE, RETURN and ORDER BY.
struct Expr {
  enum class Kind {
    kNull, kBool, kInt, kText,  // literals (a date is text)
    kParam,                     // $x           (text: the parameter's name)
    kList,                      // [a, b, ...]
    kVar,                       // n            (text: the variable)
    kProp,                      // n.name       (text: the variable, key: the property)
    kNot, kNeg,                 // NOT a, -a
    kAnd, kOr, kXor,
    kCompare,                   // text: = <> < > <= >=
    kContains, kStartsWith, kEndsWith, kIn,
    kIsNull, kIsNotNull,
    kCall,                      // text: function (lower case); distinct; args; count(*) has star
  };
  Kind kind = Kind::kNull;
  std::string text;
  std::string key;
  int64_t number = 0;  // kInt; kBool: 0 or 1
  bool distinct = false;
  bool star = false;
  std::vector<Expr> args;
  Pos pos;
  int depth = 1;  // levels of the tree from this node down, this one included
};

// (var:Label {key: value})
struct NodePattern {
  std::string var;  // empty: anonymous
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, Expr>> properties;
  Pos pos;
};

// -[var:TYPE|TYPE *min..max {key: value}]->
struct RelPattern {
  enum class Dir { kOut, kIn, kBoth };
  std::string var;
  std::vector<std::string> types;  // empty: every type
  std::vector<std::pair<std::string, Expr>> properties;
  Dir dir = Dir::kOut;
  bool variable = false;  // *: a path of min..max relations
  int min_hops = 1;
  int max_hops = 1;       // -1: no upper bound given
  Pos pos;
};

// (a)-[r]->(b)<-[s]-(c): nodes.size() == rels.size() + 1.
struct PathPattern {
  std::vector<NodePattern> nodes;
  std::vector<RelPattern> rels;
};

struct ReturnItem {
  Expr expr;
  std::string name;  // the alias, or the expression as written
  bool aliased = false;
};

struct SortKey {
  Expr expr;
  bool descending = false;
};

// The most node patterns one MATCH may have, over all its patterns; the parser refuses more.
constexpr size_t kMaxPatternNodes = 100;

// MATCH p1, p2 [WHERE e] RETURN [DISTINCT] items [ORDER BY keys] [SKIP n] (LIMIT is the
// statement's).
struct MatchQuery {
  std::vector<PathPattern> patterns;
  std::optional<Expr> where;
  bool distinct = false;
  bool star = false;  // RETURN *
  std::vector<ReturnItem> items;
  std::vector<SortKey> order;
  uint64_t skip = 0;
};

struct Statement {
  bool explain = false;
  bool profile = false;
  std::optional<std::string> as_of;  // YYYY-MM-DD
  std::optional<uint64_t> limit;
  // WITH CANDIDATES: facts below the confidence threshold are in the answer too, marked.
  bool candidates = false;
  std::variant<Question, PathQuery, ShowQuery, MatchQuery, ComponentsQuery, RankQuery, NeighbourhoodQuery, TimelineQuery, ChangesQuery,
               ConflictsQuery>
      body;
  Pos pos;
};

// Every place of a statement that may hold a $parameter: each entity reference (with whether
// its slot takes literal text) and each expression of a MATCH (property map values, WHERE,
// RETURN, ORDER BY; the callback walks into its arguments). `S` is Statement or const
// Statement. Stops at the first error a callback returns.
template <typename S, typename OnName, typename OnExpr>
Status ForEachValueSite(S& s, OnName on_name, OnExpr on_expr) {
  if (auto* q = std::get_if<Question>(&s.body)) {
    PG_RETURN_IF_ERROR(on_name(q->anchor, false));
    for (auto& c : q->conditions) PG_RETURN_IF_ERROR(on_name(c.value, c.literal));
  } else if (auto* p = std::get_if<PathQuery>(&s.body)) {
    PG_RETURN_IF_ERROR(on_name(p->from, false));
    PG_RETURN_IF_ERROR(on_name(p->to, false));
  } else if (auto* sh = std::get_if<ShowQuery>(&s.body)) {
    PG_RETURN_IF_ERROR(on_name(sh->name, false));
  } else if (auto* nb = std::get_if<NeighbourhoodQuery>(&s.body)) {
    PG_RETURN_IF_ERROR(on_name(nb->name, false));
  } else if (auto* tl = std::get_if<TimelineQuery>(&s.body)) {
    PG_RETURN_IF_ERROR(on_name(tl->name, false));
  } else if (auto* ch = std::get_if<ChangesQuery>(&s.body)) {
    if (ch->name) PG_RETURN_IF_ERROR(on_name(*ch->name, false));
  } else if (auto* cf = std::get_if<ConflictsQuery>(&s.body)) {
    if (cf->name) PG_RETURN_IF_ERROR(on_name(*cf->name, false));
  } else if (auto* m = std::get_if<MatchQuery>(&s.body)) {
    for (auto& pp : m->patterns) {
      for (auto& n : pp.nodes) {
        for (auto& kv : n.properties) PG_RETURN_IF_ERROR(on_expr(kv.second));
      }
      for (auto& r : pp.rels) {
        for (auto& kv : r.properties) PG_RETURN_IF_ERROR(on_expr(kv.second));
      }
    }
    if (m->where) PG_RETURN_IF_ERROR(on_expr(*m->where));
    for (auto& i : m->items) PG_RETURN_IF_ERROR(on_expr(i.expr));
    for (auto& k : m->order) PG_RETURN_IF_ERROR(on_expr(k.expr));
  }
  return Status::OK();
}

// A readable, stable rendering of the tree, for tests and EXPLAIN:
//   (question subjects SUPPORTS (name "RHEL") (on (name "Hyper-V")))
std::string ToString(const Statement& s);
std::string ToString(const Expr& e);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_AST_H_
