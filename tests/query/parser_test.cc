#include "query/parser.h"

#include <gtest/gtest.h>

#include "graph/text.h"
#include "query/format.h"

namespace pactgraph::query {
namespace {

// The tree of a query that must parse, as ToString prints it.
std::string Tree(std::string_view text) {
  ParseOutcome p = Parse(text, Schema::Default());
  if (p.error) return "error: " + p.error->message;
  std::string out;
  for (const Statement& s : p.statements) out += (out.empty() ? "" : "; ") + ToString(s);
  return out;
}

// The error of a query that must not parse.
SyntaxError ErrorOf(std::string_view text) {
  ParseOutcome p = Parse(text, Schema::Default());
  EXPECT_TRUE(p.error.has_value()) << text;
  EXPECT_TRUE(p.statements.empty());
  return p.error.value_or(SyntaxError{});
}

TEST(Parser, Questions) {
  EXPECT_EQ(Tree("WHO SUPPORTS \"Red Hat Enterprise Linux\" ON \"Hyper-V\""),
            "(question subjects SUPPORTS (name \"Red Hat Enterprise Linux\") (on (name \"Hyper-V\")))");
  EXPECT_EQ(Tree("who supports RHEL on exactly Hyper-V Server 2008 as guest"),
            "(question subjects SUPPORTS (name \"RHEL\") (on exactly (name \"Hyper-V Server 2008\")) (as \"guest\"))");
  EXPECT_EQ(Tree("WHAT DOES Microsoft SUPPORT ON RHEL"),
            "(question objects SUPPORTS (name \"Microsoft\") (on (name \"RHEL\")))");
  EXPECT_EQ(Tree("WHAT RUNS ON Red Hat Enterprise Linux"),
            "(question subjects RUNS_ON (name \"Red Hat Enterprise Linux\"))");
  EXPECT_EQ(Tree("WHO WORKS FOR Microsoft"), "(question subjects WORKS_FOR (name \"Microsoft\"))");
  EXPECT_EQ(Tree("WHO SAID ABOUT Hyper-V"), "(question said-about (name \"Hyper-V\"))");
  EXPECT_EQ(Tree("WHO IS PARTY TO #12"), "(question subjects PARTY_TO (id 12))");
  EXPECT_EQ(Tree("WHAT DOES 'the deal' EXCLUDE"), "(question objects EXCLUDES (name \"the deal\"))");
  EXPECT_EQ(Tree("WHO LICENSES Sun OF \"Java\""), "(question subjects LICENSES (name \"Sun\") (of (name \"Java\")))");
}

TEST(Parser, PathShowAndModifiers) {
  EXPECT_EQ(Tree("PATH Novell TO \"Red Hat\" MAX 4 VIA PARTNERS_WITH, supports"),
            "(path (name \"Novell\") (name \"Red Hat\") (max 4) (via PARTNERS_WITH SUPPORTS))");
  EXPECT_EQ(Tree("SHOW RHEL"), "(show (name \"RHEL\"))");
  EXPECT_EQ(Tree("EXPLAIN WHO SUPPORTS RHEL AS OF 2009-06-30 LIMIT 5"),
            "(explain (question subjects SUPPORTS (name \"RHEL\")) (as-of 2009-06-30) (limit 5))");
  EXPECT_EQ(Tree("PROFILE SHOW RHEL LIMIT 3 AS OF 2010-01-01"),
            "(profile (show (name \"RHEL\")) (as-of 2010-01-01) (limit 3))");
  EXPECT_EQ(Tree("SHOW RHEL; SHOW Hyper-V;"), "(show (name \"RHEL\")); (show (name \"Hyper-V\"))");
}

TEST(Parser, AQuestionIsOrderedBySourcesAmongItsOtherClausesAndANameEndsBeforeIt) {
  EXPECT_EQ(Tree("WHO SUPPORTS Quill OS ON Vega ORDER BY SOURCES LIMIT 2"),
            "(question subjects SUPPORTS (name \"Quill OS\") (on (name \"Vega\")) (order sources)) (limit 2)");
  EXPECT_EQ(Tree("WHAT DOES Kestrel SUPPORT AS OF 2020-01-01 order by sources"),
            "(question objects SUPPORTS (name \"Kestrel\") (order sources)) (as-of 2020-01-01)");
  // "order" alone stays a word of a name.
  EXPECT_EQ(Tree("WHO SUPPORTS Order Manager"), "(question subjects SUPPORTS (name \"Order Manager\"))");
}

TEST(Parser, VerbsComeFromTheSchema) {
  Schema schema = Schema::Default();
  RelationTypeDef hosts;
  hosts.name = "HOSTS";
  hosts.subject_types = {"Company"};
  hosts.object_types = {"Product"};
  hosts.slots = {"on"};
  hosts.verb = "hosts";
  ASSERT_TRUE(schema.AddRelationType(hosts).ok());
  ParseOutcome p = Parse("WHO HOSTS Exchange ON Azure", schema);
  ASSERT_FALSE(p.error.has_value()) << p.error->message;
  EXPECT_EQ(ToString(p.statements[0]), "(question subjects HOSTS (name \"Exchange\") (on (name \"Azure\")))");
  EXPECT_EQ(ToString(Parse("WHAT DOES Microsoft HOST", schema).statements.at(0)),
            "(question objects HOSTS (name \"Microsoft\"))");
  EXPECT_TRUE(Parse("WHO HOSTS Exchange", Schema::Default()).error.has_value());
}

TEST(ParserErrors, SayLineColumnFoundAndExpected) {
  SyntaxError e = ErrorOf("WHO SUPORTS RHEL");
  EXPECT_EQ(e.pos.line, 1u);
  EXPECT_EQ(e.pos.column, 5u);
  EXPECT_EQ(e.found, "word \"SUPORTS\"");
  EXPECT_NE(e.message.find("did you mean \"supports\""), std::string::npos) << e.message;

  e = ErrorOf("WHO SUPPORTS RHEL\n  ON");
  EXPECT_EQ(e.pos.line, 2u);
  EXPECT_EQ(e.pos.column, 5u);
  EXPECT_EQ(e.found, "end of input");
  EXPECT_NE(e.expected.find("a value after ON"), std::string::npos);

  e = ErrorOf("PATH A B");  // "A B" is one bare name; TO is missing after it
  EXPECT_EQ(e.pos.column, 9u);
  EXPECT_NE(e.expected.find("TO"), std::string::npos);

  e = ErrorOf("SHOW \"RHEL");
  EXPECT_EQ(e.pos.column, 6u);
  EXPECT_NE(e.message.find("unterminated string"), std::string::npos);

  e = ErrorOf("WHO SUPPORTS RHEL AS OF June");
  EXPECT_EQ(e.pos.column, 25u);
  EXPECT_NE(e.expected.find("YYYY-MM-DD"), std::string::npos);

  e = ErrorOf("WHO SUPPORTS RHEL ON A ON B");
  EXPECT_NE(e.message.find("twice"), std::string::npos);

  e = ErrorOf("DELETE everything");
  EXPECT_EQ(e.pos.column, 1u);

  e = ErrorOf("WHO WORKS FOR Microsoft ON Azure");  // WORKS_FOR takes no `on`
  EXPECT_EQ(e.pos.column, 25u);
  EXPECT_NE(e.expected.find("WORKS_FOR"), std::string::npos);

  // Numbers too large for their field are errors, not crashes (found by the fuzzer).
  e = ErrorOf("WHO SUPPORTS RHEL LIMIT 99999999999999999999999");
  EXPECT_EQ(e.pos.column, 25u);
  e = ErrorOf("SHOW #123456789012345678901234");
  EXPECT_NE(e.expected.find("entity id"), std::string::npos);

  e = ErrorOf("   ");
  EXPECT_NE(e.expected.find("WHO SUPPORTS"), std::string::npos);
}

TEST(ParserErrors, CaretPointsAtTheColumn) {
  const std::string text = "WHO SUPPORTS RHEL\nON";
  SyntaxError e = ErrorOf(text);
  EXPECT_EQ(FormatError(ToStatus(e), text),
            "line 2, column 3: expected a value after ON, found end of input\n  ON\n    ^");
  // Columns count characters, not bytes.
  const std::string dash = "SHOW \"Red Hat–Microsoft\" ?";
  e = ErrorOf(dash);
  EXPECT_EQ(e.pos.column, 26u);
}

// The error carries the span of the token found; the carets cover it, counted in characters.
TEST(ParserErrors, CaretsSpanTheTokenFound) {
  const std::string text = "WHO SUPORTS RHEL";
  Status s = ToStatus(ErrorOf(text));
  EXPECT_EQ(s.location().offset, 4u);
  EXPECT_EQ(s.location().length, 7u);
  EXPECT_EQ(FormatError(s, text).substr(FormatError(s, text).find('\n')), "\n  WHO SUPORTS RHEL\n      ^^^^^^^");
  const std::string dash = "WHO SUPPORTS \"Red Hat–Microsoft\" EXACTLY";
  s = ToStatus(ErrorOf(dash));
  EXPECT_EQ(FormatError(s, dash).substr(FormatError(s, dash).rfind('\n') + 1), std::string(2 + 33, ' ') + "^^^^^^^");
  // An error with no place is its message alone.
  EXPECT_EQ(FormatError(Status::InvalidArgument("no statement 2"), text), "no statement 2");
}

TEST(Parser, MatchPatterns) {
  EXPECT_EQ(Tree("MATCH (c:Company)-[s:SUPPORTS]->(p:Product {name: \"RHEL\"})\n"
                 "WHERE s.on = \"Hyper-V\" AND s.status <> \"ended\"\n"
                 "RETURN c.name, s.on, s.as ORDER BY c.name LIMIT 20"),
            "(match (pattern (node c :Company) (rel s out :SUPPORTS) (node p :Product (name \"RHEL\")))"
            " (where (and (= s.on \"Hyper-V\") (<> s.status \"ended\")))"
            " (return (\"c.name\" c.name) (\"s.on\" s.on) (\"s.as\" s.as)) (order (asc c.name))) (limit 20)");
  // Directions, undirected, anonymous parts, several types, variable length.
  EXPECT_EQ(Tree("match (a)<-[:RUNS_ON]-(b)--(c)-[r:SUPPORTS|:VALIDATES*1..3]->() return a"),
            "(match (pattern (node a) (rel _ in :RUNS_ON) (node b) (rel _ both) (node c)"
            " (rel r out :SUPPORTS :VALIDATES *1..3) (node _)) (return (\"a\" a)))");
  EXPECT_EQ(Tree("MATCH (a)-[*]-(b), (b)-[*2]->(c) RETURN *"),
            "(match (pattern (node a) (rel _ both *1..) (node b)) (pattern (node b) (rel _ out *2..2) (node c)) (return *))");
  // WHERE operators, RETURN DISTINCT, aliases, count(), ORDER BY, SKIP; AS OF after the limit.
  EXPECT_EQ(Tree("MATCH (c:Company)-[:PARTNERS_WITH]-(d) WHERE NOT d.name CONTAINS 'Sun' OR d.name STARTS WITH 'N'"
                 " OR d.name IN ['Oracle', 'IBM'] OR d.founded IS NULL"
                 " RETURN DISTINCT c.name AS company, count(DISTINCT d) AS partners ORDER BY partners DESC, company"
                 " SKIP 1 LIMIT 3 AS OF 2012-01-01"),
            "(match (pattern (node c :Company) (rel _ both :PARTNERS_WITH) (node d))"
            " (where (or (not (contains d.name \"Sun\")) (starts-with d.name \"N\")"
            " (in d.name (list \"Oracle\" \"IBM\")) (is-null d.founded)))"
            " (return distinct (\"company\" c.name) (\"partners\" (count distinct d)))"
            " (order (desc partners) (asc company)) (skip 1)) (as-of 2012-01-01) (limit 3)");
  EXPECT_EQ(Tree("MATCH (n) RETURN count(*), type(n), -1 < 2"),
            "(match (pattern (node n)) (return (\"count(*)\" (count *)) (\"type(n)\" (type n)) (\"-1 < 2\" (< (- 1) 2))))");
}

TEST(Parser, ParametersStandForValues) {
  EXPECT_EQ(Tree("WHO SUPPORTS $x ON EXACTLY $y"), "(question subjects SUPPORTS (param x) (on exactly (param y)))");
  EXPECT_EQ(Tree("MATCH (a {id: $a})-[:PARTNERS_WITH]-(c) WHERE c.id <> $a RETURN c.id"),
            "(match (pattern (node a (id $a)) (rel _ both :PARTNERS_WITH) (node c)) (where (<> c.id $a)) (return (\"c.id\" c.id)))");
  ParseOutcome p = Parse("PATH $from TO $to MAX 3; SHOW $x; MATCH (n {name: $s}) WHERE n.type IN [$t, 'Product'] RETURN n",
                         Schema::Default());
  ASSERT_FALSE(p.error.has_value());
  EXPECT_EQ(ParameterNames(p.statements[0]), (std::vector<std::string>{"from", "to"}));
  EXPECT_EQ(ParameterNames(p.statements[1]), (std::vector<std::string>{"x"}));
  EXPECT_EQ(ParameterNames(p.statements[2]), (std::vector<std::string>{"s", "t"}));
}

TEST(ParserErrors, MatchErrorsSayWhere) {
  SyntaxError e = ErrorOf("MATCH (c:Compnay) RETURN c");
  EXPECT_EQ(e.pos.column, 10u);
  EXPECT_NE(e.message.find("did you mean Company?"), std::string::npos) << e.message;
  e = ErrorOf("MATCH (c)-[:SUPORTS]->(p) RETURN c");
  EXPECT_EQ(e.pos.column, 13u);
  EXPECT_NE(e.message.find("did you mean SUPPORTS?"), std::string::npos) << e.message;
  e = ErrorOf("MATCH (c)-[:SUPPORTS]->(p)\nRETURN");
  EXPECT_EQ(e.pos.line, 2u);
  EXPECT_EQ(e.pos.column, 7u);
  e = ErrorOf("MATCH (c)-[r]-(p RETURN c");
  EXPECT_EQ(e.pos.column, 18u);
  EXPECT_NE(e.expected.find(")"), std::string::npos);
  e = ErrorOf("MATCH (c)-[r*3..1]-(p) RETURN c");
  EXPECT_NE(e.expected.find("not below"), std::string::npos);
  e = ErrorOf("MATCH (c) WHERE c.name = $ RETURN c");
  EXPECT_EQ(e.pos.column, 26u);
  e = ErrorOf("MATCH (c) RETURN c.name, c.name");
  EXPECT_NE(e.expected.find("AS"), std::string::npos);
  e = ErrorOf("MATCH (c) WHERE c.name STARTS 'x' RETURN c");
  EXPECT_NE(e.expected.find("WITH after STARTS"), std::string::npos);
  e = ErrorOf("MATCH (c) c");
  EXPECT_NE(e.expected.find("RETURN"), std::string::npos);
}

}  // namespace
}  // namespace pactgraph::query

namespace pactgraph::query {
namespace {

// A hostile query nested thousands deep is refused at a bounded depth, not by the stack.
TEST(Parser, NestingIsBounded) {
  const Schema schema = Schema::Default();
  const std::string deep = "MATCH (a) WHERE " + std::string(5000, '(') + "a.name = 'x'" + std::string(5000, ')') + " RETURN a";
  ParseOutcome p = Parse(deep, schema);
  ASSERT_TRUE(p.error.has_value());
  EXPECT_NE(p.error->expected.find("nested at most 100 deep"), std::string::npos);
  const std::string nots = "MATCH (a) WHERE " + [] { std::string s; for (int i = 0; i < 5000; ++i) s += "NOT "; return s; }() + "true RETURN a";
  EXPECT_TRUE(Parse(nots, schema).error.has_value());
  const std::string fine = "MATCH (a) WHERE " + std::string(50, '(') + "a.name = 'x'" + std::string(50, ')') + " RETURN a";
  EXPECT_FALSE(Parse(fine, schema).error.has_value());
}

}  // namespace
}  // namespace pactgraph::query

namespace pactgraph::query {
namespace {

// `term op term op ...`, `n` terms.
std::string Chain(const std::string& term, const std::string& op, int n) {
  std::string s = term;
  for (int i = 1; i < n; ++i) s += " " + op + " " + term;
  return s;
}

// A chain of 8,000 terms joined by OR, AND or XOR is one node with 8,000 operands: no walk
// over it (printing, evaluation, destruction) recurses 8,000 deep.
TEST(Parser, LongBooleanChainsAreOneFlatNode) {
  const Schema schema = Schema::Default();
  for (const char* op : {"OR", "AND", "XOR"}) {
    const std::string text = "MATCH (c:Company) WHERE " + Chain("c.name = 'a'", op, 8000) + " RETURN " +
                             Chain("true", op, 8000) + " AS t ORDER BY " + Chain("c.name = 'a'", op, 8000);
    ParseOutcome p = Parse(text, schema);
    ASSERT_FALSE(p.error.has_value()) << op << ": " << p.error->message;
    const auto& m = std::get<MatchQuery>(p.statements[0].body);
    EXPECT_EQ(m.where->args.size(), 8000u) << op;
    EXPECT_EQ(m.items[0].expr.args.size(), 8000u) << op;
    EXPECT_EQ(m.order[0].expr.args.size(), 8000u) << op;
    const std::string tree = ToString(p.statements[0]);
    EXPECT_NE(tree.find("(where (" + AsciiLower(op) + " (= c.name \"a\") (= c.name \"a\")"), std::string::npos) << op;
  }
}

// `1 = 1 = 1 ...` nests to the left, one level per operator: past the bound it is a syntax
// error at the operator that goes too deep, not a stack overflow.
TEST(Parser, DeepOperatorNestingIsAPositionedError) {
  const Schema schema = Schema::Default();
  const struct {
    std::string text;
    std::string op;  // the operator repeated
  } cases[] = {
      {"MATCH (c) RETURN " + Chain("1", "=", 8000), "="},
      {"MATCH (c) WHERE " + Chain("c.name", "=", 8000) + " RETURN c", "="},
      {"MATCH (c) RETURN c ORDER BY " + Chain("c.name", "CONTAINS", 8000), "CONTAINS"},
      {"MATCH (c) RETURN c ORDER BY " + Chain("c.name", "IN", 100000), "IN"},
  };
  for (const auto& c : cases) {
    ParseOutcome p = Parse(c.text, schema);
    ASSERT_TRUE(p.error.has_value()) << c.op;
    EXPECT_NE(p.error->message.find("nested too deeply"), std::string::npos) << p.error->message;
    // At the operator that makes the expression one level deeper than allowed.
    size_t at = 0;
    for (int k = 0; k < kMaxExpressionDepth; ++k) at = c.text.find(" " + c.op + " ", at) + 1;
    EXPECT_EQ(p.error->pos.line, 1u);
    EXPECT_EQ(p.error->pos.offset, at) << c.op;
    EXPECT_EQ(FormatError(ToStatus(*p.error), c.text).rfind("line 1, column " + std::to_string(at + 1) + ": ", 0), 0u);
  }
  // Within the bound, it parses.
  EXPECT_FALSE(Parse("MATCH (c) RETURN " + Chain("1", "=", kMaxExpressionDepth - 1), schema).error.has_value());
}

}  // namespace
}  // namespace pactgraph::query

namespace pactgraph::query {
namespace {

// AS OF takes a day of the calendar: a month from 1 to 12, a day within its month, February
// 29 only in leap years.
TEST(ParserErrors, AsOfAnImpossibleDateIsAPositionedError) {
  for (const char* date : {"2009-02-30", "2009-13-01", "2009-00-10", "2009-04-31", "2009-06-00", "1900-02-29", "2009-02-29"}) {
    const std::string text = std::string("WHO SUPPORTS RHEL AS OF ") + date;
    SyntaxError e = ErrorOf(text);
    EXPECT_EQ(e.pos.column, 25u) << date;
    EXPECT_EQ(e.message, std::string("expected a date YYYY-MM-DD after AS OF, found date ") + date + "; there is no such day");
  }
  for (const char* date : {"2008-02-29", "2000-02-29", "2009-12-31", "2009-01-31", "2009-04-30"}) {
    EXPECT_EQ(Tree(std::string("SHOW RHEL AS OF ") + date), std::string("(show (name \"RHEL\")) (as-of ") + date + ")");
  }
}

// LIMIT and SKIP take whole numbers that fit: a sign, a fraction or a 19-digit number is an
// error where it is written, not a number quietly cut to size.
TEST(ParserErrors, NegativeOrAbsurdLimitAndSkipArePositionedErrors) {
  const struct {
    std::string text;
    uint32_t column;
  } cases[] = {
      {"MATCH (c) RETURN c LIMIT -1", 26},
      {"MATCH (c) RETURN c SKIP -1", 25},
      {"MATCH (c) RETURN c LIMIT 1.5", 26},
      {"MATCH (c) RETURN c SKIP 2.5", 25},
      {"MATCH (c) RETURN c LIMIT 1234567890123456789", 26},
      {"MATCH (c) RETURN c SKIP 1234567890123456789", 25},
      {"SHOW RHEL LIMIT -5", 17},
  };
  for (const auto& c : cases) {
    SyntaxError e = ErrorOf(c.text);
    EXPECT_EQ(e.pos.column, c.column) << c.text;
    EXPECT_NE(e.expected.find("whole number of at most 18 digits"), std::string::npos) << c.text << ": " << e.message;
  }
  EXPECT_EQ(Tree("MATCH (c) RETURN c SKIP 123456789012345678 LIMIT 0"),
            "(match (pattern (node c)) (return (\"c\" c)) (skip 123456789012345678)) (limit 0)");
}

// A MATCH of thousands of node patterns would be thousands of operators pulling from each
// other: refused at the pattern that goes past the bound.
TEST(ParserErrors, TooManyNodePatternsAreAPositionedError) {
  std::string text = "MATCH (n0)";
  for (size_t i = 1; i < 5000; ++i) text += ", (n" + std::to_string(i) + ")";
  SyntaxError e = ErrorOf(text + " RETURN n0");
  EXPECT_EQ(e.pos.offset, text.find("(n" + std::to_string(kMaxPatternNodes) + ")"));
  EXPECT_NE(e.message.find("more than " + std::to_string(kMaxPatternNodes) + " node patterns"), std::string::npos) << e.message;
  std::string chain = "MATCH (n0)";
  for (size_t i = 1; i < 5000; ++i) chain += "--(n" + std::to_string(i) + ")";
  EXPECT_EQ(ErrorOf(chain + " RETURN n0").pos.offset, 6u);  // one pattern: at its start
  std::string fine = "MATCH (n0)";
  for (size_t i = 1; i < kMaxPatternNodes; ++i) fine += "--(n" + std::to_string(i) + ")";
  EXPECT_EQ(Tree(fine + " RETURN n0").rfind("(match", 0), 0u);
}

}  // namespace
}  // namespace pactgraph::query
