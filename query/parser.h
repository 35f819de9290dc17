// The parser: query text to statements. Verbs and prepositions come from the schema, so a
// relation type added with `pactgraph schema --add` gets its question form with no new code.
#ifndef PACTGRAPH_QUERY_PARSER_H_
#define PACTGRAPH_QUERY_PARSER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/schema.h"
#include "graph/status.h"
#include "query/ast.h"

namespace pactgraph::query {

struct SyntaxError {
  Pos pos;
  std::string found;     // "word \"SUPORTS\"", "end of input"
  std::string expected;  // "a verb such as supports, runs on, works for"
  std::string message;   // the sentence: "expected ..., found ..."
};

struct ParseOutcome {
  std::vector<Statement> statements;
  std::optional<SyntaxError> error;  // set: nothing was parsed
};

// The question words of a schema: every relation type's verb ("supports", "runs on"), its base
// form ("support") and its name. Building it costs more than parsing a short statement, so a
// caller that parses many statements against one schema builds it once.
class Grammar {
 public:
  explicit Grammar(const Schema& schema);
  struct Verb {
    std::vector<std::string> words;  // lower case
    std::string relation;            // the schema's relation type
  };
  const std::vector<Verb>& verbs() const { return verbs_; }  // longest first
  size_t relation_types() const { return relation_types_; }  // how many the schema had

 private:
  std::vector<Verb> verbs_;
  size_t relation_types_ = 0;
};

// Parses one or more statements separated by ';' (a trailing ';' is fine). `$name` stands for a
// value given when the statement runs (Engine::Prepare), as an entity (WHO SUPPORTS $x) or as a
// value in a MATCH expression ({id: $a}, WHERE c.id <> $a).
ParseOutcome Parse(std::string_view text, const Schema& schema);
ParseOutcome Parse(std::string_view text, const Schema& schema, const Grammar& grammar);

// The names of the parameters a statement uses, each once, in order of first use.
std::vector<std::string> ParameterNames(const Statement& s);

// The error as a Status located in the query: line, column and the span of the token found.
Status ToStatus(const SyntaxError& e);

// The words a shell completes: keywords, verbs and prepositions of the schema, relation types.
std::vector<std::string> CompletionWords(const Schema& schema);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_PARSER_H_
