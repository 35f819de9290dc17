// The extractor's word lists: how a list file reads, and that the build compiled them in.
#include <gtest/gtest.h>

#include "ingest/extract/lexicon.h"

namespace pactgraph::ingest::extract {
namespace {

TEST(Lexicon, CommentsBlankLinesAndSurroundingBlanksAreNotWords) {
  const Words w = ParseLexicon("# what the list is for\n\n  inc.  \nco-founder # a comment after the word\n\t\r\nvice\r\n");
  EXPECT_EQ(w, (Words{"inc.", "co-founder", "vice"}));
}

TEST(Lexicon, APhraseKeepsItsInnerSpaces) {
  EXPECT_EQ(ParseLexicon("open source\nlast line without a newline"), (Words{"open source", "last line without a newline"}));
}

TEST(Lexicon, TheListsAreCompiledIn) {
  EXPECT_FALSE(LexiconText("function_words").empty());
  EXPECT_TRUE(LexiconText("no_such_list").empty());
  EXPECT_TRUE(FunctionWords().count("the"));
  EXPECT_TRUE(FunctionWords().count("editor's"));
  EXPECT_TRUE(CompanySuffixes().count("inc."));  // the legal forms of graph/names.h are counted in
  EXPECT_TRUE(CompanySuffixes().count("technologies"));
  EXPECT_TRUE(FirstNames().count("jean-paul"));
}

}  // namespace
}  // namespace pactgraph::ingest::extract
