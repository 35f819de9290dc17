// The parser: query text to statements. Verbs and prepositions come from the schema, so a
// relation type added with `pactgraph schema --add` gets its question form with no new code.
#ifndef PACTGRAPH_QUERY_PARSER_H_
#define PACTGRAPH_QUERY_PARSER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/schema.h"
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

// Parses one or more statements separated by ';' (a trailing ';' is fine).
ParseOutcome Parse(std::string_view text, const Schema& schema);

// "line 1, column 14: expected ..., found ...", then the line of the query and a caret under
// the column.
std::string FormatSyntaxError(std::string_view text, const SyntaxError& e);

// The words a shell completes: keywords, verbs and prepositions of the schema, relation types.
std::vector<std::string> CompletionWords(const Schema& schema);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_PARSER_H_
