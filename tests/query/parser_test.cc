#include "query/parser.h"

#include <gtest/gtest.h>

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

  e = ErrorOf("   ");
  EXPECT_NE(e.expected.find("WHO SUPPORTS"), std::string::npos);
}

TEST(ParserErrors, CaretPointsAtTheColumn) {
  const std::string text = "WHO SUPPORTS RHEL\nON";
  SyntaxError e = ErrorOf(text);
  EXPECT_EQ(FormatSyntaxError(text, e),
            "line 2, column 3: expected a value after ON, found end of input\n  ON\n    ^");
  // Columns count characters, not bytes.
  const std::string dash = "SHOW \"Red Hat–Microsoft\" ?";
  e = ErrorOf(dash);
  EXPECT_EQ(e.pos.column, 26u);
}

}  // namespace
}  // namespace pactgraph::query
