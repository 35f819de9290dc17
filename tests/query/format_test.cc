// Tables for a person at a terminal: fitted to its width by wrapping at words (names kept whole
// while they fit, evidence wrapped under its indent), the expanded display, and the output of a
// pipe left as it was.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "query/format.h"

namespace pactgraph::query {
namespace {

// Two rows: a company, a product with a long name, and a long free-text claim.
Answer ClaimsAnswer() {
  Answer a;
  a.columns = {"subject", "object", "claim"};
  a.rows = {{Value::Text("Contoso"), Value::Text("Windows Server 2008 R2"),
             Value::Text("will support guests on every one of its hosted platforms from the spring")},
            {Value::Text("Fabrikam"), Value::Text("Red Hat Enterprise Linux"), Value::Text("certified")}};
  Evidence e;
  e.document = "Contoso widens its agreement";
  e.date = "2009-10-01";
  e.sentence = 3;
  e.text = "Contoso will support Windows Server 2008 R2 guests on its hosted platforms.";
  a.evidence = {{e}, {}};
  return a;
}

std::string Written(const Answer& a, FormatOptions o) {
  o.timing = false;
  std::ostringstream out;
  Write(a, o, out);
  return out.str();
}

TEST(TableFormat, ATooWideTableWrapsFreeTextFirstAndKeepsNamesWhole) {
  FormatOptions o;
  o.width = 60;
  o.wrap = true;
  o.evidence = false;
  EXPECT_EQ(Written(ClaimsAnswer(), o),
            "subject   object                    claim\n"
            "--------  ------------------------  ------------------------\n"
            "Contoso   Windows Server 2008 R2    will support guests on\n"
            "                                    every one of its hosted\n"
            "                                    platforms from the\n"
            "                                    spring\n"
            "Fabrikam  Red Hat Enterprise Linux  certified\n"
            "(2 rows)\n");
}

TEST(TableFormat, EvidenceWrapsAtWordsUnderItsIndent) {
  FormatOptions o;
  o.width = 60;
  o.wrap = true;
  const std::string t = Written(ClaimsAnswer(), o);
  EXPECT_NE(t.find("    source: Contoso widens its agreement, 2009-10-01,\n"
                   "            sentence 3: \"Contoso will support Windows Server\n"
                   "            2008 R2 guests on its hosted platforms.\"\n"),
            std::string::npos)
      << t;
}

TEST(TableFormat, WithoutWrappingATooWideTableIsCutAsBefore) {
  FormatOptions o;  // a pipe or a file: wrap is off
  o.width = 60;
  o.evidence = false;
  const std::string t = Written(ClaimsAnswer(), o);
  EXPECT_NE(t.find("..."), std::string::npos) << t;
  EXPECT_EQ(t.find("\n         "), std::string::npos) << t;  // no continuation lines
}

TEST(TableFormat, ExpandedDisplayShowsOneRecordPerRow) {
  FormatOptions o;
  o.width = 60;
  o.wrap = true;
  o.evidence = false;
  o.expanded = Expanded::kOn;
  EXPECT_EQ(Written(ClaimsAnswer(), o),
            "-[ RECORD 1 ]-----------------------------------------------\n"
            "subject | Contoso\n"
            "object  | Windows Server 2008 R2\n"
            "claim   | will support guests on every one of its hosted\n"
            "        | platforms from the spring\n"
            "-[ RECORD 2 ]-----------------------------------------------\n"
            "subject | Fabrikam\n"
            "object  | Red Hat Enterprise Linux\n"
            "claim   | certified\n"
            "(2 rows)\n");
}

TEST(TableFormat, ExpandedAutoIsATableWhenTheTableFits) {
  FormatOptions o;
  o.wrap = true;
  o.evidence = false;
  o.expanded = Expanded::kAuto;
  o.width = 200;
  EXPECT_EQ(Written(ClaimsAnswer(), o).find("RECORD"), std::string::npos);
  o.width = 60;
  EXPECT_NE(Written(ClaimsAnswer(), o).find("-[ RECORD 2 ]-"), std::string::npos);
}

}  // namespace
}  // namespace pactgraph::query
