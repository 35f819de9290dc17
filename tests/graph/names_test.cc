#include "graph/names.h"

#include <gtest/gtest.h>

namespace pactgraph {
namespace {

TEST(NormalizeKey, FoldsCaseAndPunctuation) {
  EXPECT_EQ(NormalizeKey("Hyper-V Server 2008"), "hyper v server 2008");
  EXPECT_EQ(NormalizeKey("  Red   Hat  "), "red hat");
  EXPECT_EQ(NormalizeKey("RHEL"), "rhel");
}

TEST(NormalizeKey, DropsTrailingCorporateSuffixes) {
  EXPECT_EQ(NormalizeKey("Microsoft Corp."), "microsoft");
  EXPECT_EQ(NormalizeKey("Novell, Inc."), "novell");
  EXPECT_EQ(NormalizeKey("Citrix Systems Inc"), "citrix systems");
  EXPECT_EQ(NormalizeKey("Acme Co Ltd"), "acme");
}

TEST(NormalizeKey, KeepsASuffixThatIsTheWholeName) { EXPECT_EQ(NormalizeKey("Corp"), "corp"); }

TEST(NormalizeKey, DropsPossessives) {
  EXPECT_EQ(NormalizeKey("Citrix's"), "citrix");
  EXPECT_EQ(NormalizeKey("Novell\u2019s"), "novell");
}

TEST(NormalizeKey, FoldsUnicodeDashesQuotesAndSpaces) {
  EXPECT_EQ(NormalizeKey("Red Hat\u2013Microsoft agreement"), NormalizeKey("Red Hat-Microsoft agreement"));
  EXPECT_EQ(NormalizeKey("Windows\u00a0Server"), "windows server");
  EXPECT_EQ(NormalizeKey("\u201cXen\u201d"), "xen");
}

TEST(NormalizeKey, FoldsLatin1Capitals) { EXPECT_EQ(NormalizeKey("\u00c9COLE"), "\u00e9cole"); }

TEST(NormalizeKey, KeepsPlusAndHash) {
  EXPECT_EQ(NormalizeKey("C++"), "c++");
  EXPECT_NE(NormalizeKey("C#"), NormalizeKey("C"));
}

TEST(NormalizeKey, NameWithoutLettersOrDigitsIsEmpty) { EXPECT_EQ(NormalizeKey(" -- ! "), ""); }

TEST(NormalizeKey, IsIdempotent) {
  for (const char* name : {"Microsoft Corp.", "Citrix's XenServer", "Red Hat\u2013Microsoft", "a co inc"}) {
    EXPECT_EQ(NormalizeKey(NormalizeKey(name)), NormalizeKey(name)) << name;
  }
}

TEST(CleanDisplayName, CollapsesSpaceAndKeepsDashes) {
  EXPECT_EQ(CleanDisplayName("  Red\tHat \n Enterprise  Linux "), "Red Hat Enterprise Linux");
  EXPECT_EQ(CleanDisplayName("Red Hat\u2013Microsoft"), "Red Hat\u2013Microsoft");
}

TEST(IsValidUtf8, AcceptsTextAndRejectsBrokenSequences) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Red Hat\u2013Microsoft \U0001F600"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("abc\xe2\x80"));      // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));         // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));     // surrogate
}

TEST(BoundedEditDistance, CountsEditsAndStopsPastTheLimit) {
  EXPECT_EQ(BoundedEditDistance("mike neil", "mike nell", 3), 1u);
  EXPECT_EQ(BoundedEditDistance("hyper v", "hyper v", 3), 0u);
  EXPECT_EQ(BoundedEditDistance("abc", "xyzxyzxyz", 2), 3u);
}

}  // namespace
// One list of legal forms: the key drops the old ones ("Corp."), keeps the ones added for the
// extractor ("Oyj"), and both are legal forms, with or without periods.
TEST(LegalForms, OneListReadByTheKeyAndTheExtractor) {
  EXPECT_EQ(NormalizeKey("Acme Corp."), "acme");
  EXPECT_EQ(NormalizeKey("Acme Oyj"), "acme oyj");
  EXPECT_TRUE(IsLegalForm("S.p.A."));
  EXPECT_TRUE(IsLegalForm("Oyj"));
  EXPECT_TRUE(IsLegalForm("A/S"));
  EXPECT_FALSE(IsLegalForm("Systems"));
}

}  // namespace pactgraph
