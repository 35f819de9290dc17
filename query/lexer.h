// Tokens of the query language. The lexer never fails: a character it cannot use becomes a
// kError token, which the parser reports with its position.
#ifndef PACTGRAPH_QUERY_LEXER_H_
#define PACTGRAPH_QUERY_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

namespace pactgraph::query {

// A place in the query text: 1-based line and column (in characters), and the byte offset.
// A place in the query text: line and column (1-based, in characters) and the byte span
// [offset, offset + length) of what is there (a token, or a name of several words).
struct Pos {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t offset = 0;
  uint32_t length = 0;
};

enum class Tok {
  kWord,     // a bare word: keyword, identifier or part of a name (Hyper-V, RHEL, WS2008)
  kString,   // "..." or '...' (text holds the unescaped value)
  kQuotedId, // `...` (an identifier with any characters)
  kNumber,   // 42, 3.5
  kDate,     // 2009-06-30
  kParam,    // $name
  kPunct,    // ( ) [ ] { } , : ; . * | + and the operators - -> <- < > = <> != <= >= ..
  kError,    // a character the language does not use, or an unterminated string
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // the value; for kPunct the operator itself; for kError what is wrong
  std::string raw;   // the characters as written
  Pos pos;
  // Case-insensitive comparison with a keyword, for kWord tokens.
  bool Is(std::string_view keyword) const;
  bool IsPunct(std::string_view op) const { return kind == Tok::kPunct && text == op; }
};

std::vector<Token> Lex(std::string_view text);

// `s`, located at the part of the query `p` is the place of.
inline Status ErrorAt(const Pos& p, Status s) { return std::move(s).At("<query>", p.line, p.column, p.offset, p.length); }

// "word \"Microsoft\"", "string \"RHEL\"", "end of input", "\"(\"".
std::string Describe(const Token& t);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_LEXER_H_
