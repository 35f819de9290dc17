// The extractor's word lists: which words are function words, corporate suffixes, job titles,
// speech verbs and so on. Each list is built once, at its first use; safe to call from any thread.
#ifndef PACTGRAPH_INGEST_EXTRACT_LEXICON_H_
#define PACTGRAPH_INGEST_EXTRACT_LEXICON_H_

#include <set>
#include <string>

namespace pactgraph::ingest::extract {

using Words = std::set<std::string>;

// Capitalised words that start a sentence or a clause but are not names.
const Words& FunctionWords();

const Words& Months();

const Words& CompanySuffixes();

const Words& OrganizationWords();

const Words& ProgramWords();

// Words that make a name a product: platforms, editions, kinds of software.
const Words& ProductWords();

const Words& FirstNames();

// Head words of job titles.
const Words& TitleWords();

const Words& SpeechVerbs();

// Words that say the company is acting: the mention before them is a company or a person.
const Words& ActorVerbs();

const Words& PartnerCues();

const Words& DealNouns();

}  // namespace pactgraph::ingest::extract

#endif  // PACTGRAPH_INGEST_EXTRACT_LEXICON_H_
