// The extractor's word lists: which words are function words, corporate suffixes, job titles,
// verbs of speech or of making, and so on. Each list is a file of lexicon/ (one word or phrase a
// line, in lower case; # starts a comment; the file's first lines say what the list is for). The
// build compiles the files into the program (embed_lexicon.cmake), so that it reads no file at
// run time; a list is parsed at its first use. Safe to call from any thread; the sets live as
// long as the program.
#ifndef PACTGRAPH_INGEST_EXTRACT_LEXICON_H_
#define PACTGRAPH_INGEST_EXTRACT_LEXICON_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pactgraph::ingest::extract {

using Words = std::set<std::string>;
// A list of lines WORD = VALUE, VALUE...: each word with its values, in the order written.
using WordMap = std::map<std::string, std::vector<std::string>>;

// Names and their words (mentions.cc, entities.cc, types.cc).
const Words& FunctionWords();        // lexicon/function_words.txt
const Words& Months();               // lexicon/months.txt
const Words& TitleTokens();          // lexicon/title_tokens.txt
const Words& CompanySuffixes();  // with every legal form of graph/names.h      // lexicon/company_suffixes.txt
const Words& OrganizationWords();    // lexicon/organization_words.txt
const Words& ProgramWords();         // lexicon/program_words.txt
const Words& ProductWords();         // lexicon/product_words.txt
const Words& GenericWords();         // lexicon/generic_words.txt
const Words& FirstNames();           // lexicon/first_names.txt
const Words& TitleWords();           // lexicon/title_words.txt
const Words& EventWords();           // lexicon/event_words.txt

// The words around a name that say what it is (types.cc, canonical_names.cc).
const Words& ActorVerbs();           // lexicon/actor_verbs.txt
const Words& VerbAdverbs();          // lexicon/verb_adverbs.txt
const Words& SpeechVerbs();          // lexicon/speech_verbs.txt
const Words& ThatSpeechVerbs();      // lexicon/that_speech_verbs.txt
const Words& JointSpeakers();        // lexicon/joint_speakers.txt
const Words& SoftwareVerbs();        // lexicon/software_verbs.txt
const Words& SoftwareNouns();        // lexicon/software_nouns.txt
const Words& SitedWords();           // lexicon/sited_words.txt
const Words& CompanyNouns();         // lexicon/company_nouns.txt
const Words& OrganizationNouns();    // lexicon/organization_nouns.txt
const Words& Places();               // lexicon/places.txt
const Words& ProductNouns();         // lexicon/product_nouns.txt
const Words& VersionNouns();         // lexicon/version_nouns.txt
const Words& SoftwareKinds();        // lexicon/software_kinds.txt

// Clauses and relations (clauses.cc, relations.cc).
const Words& HedgeCues();            // lexicon/hedge_cues.txt
const Words& OpinionVerbs();         // lexicon/opinion_verbs.txt
const Words& JointVerbs();           // lexicon/joint_verbs.txt
const Words& JointAdverbs();         // lexicon/joint_adverbs.txt
const Words& MakingVerbs();          // lexicon/making_verbs.txt
const Words& PartnerCues();          // lexicon/partner_cues.txt
const Words& DealNouns();            // lexicon/deal_nouns.txt
const Words& SigningVerbs();         // lexicon/signing_verbs.txt

// Deals (deals.cc).
const Words& ArticleDealWords();     // lexicon/article_deal_words.txt
const Words& DealWords();            // lexicon/deal_words.txt
const Words& JointAdjectives();      // lexicon/joint_adjectives.txt
const Words& JointHeads();           // lexicon/joint_heads.txt
const Words& UsualWords();           // lexicon/usual_words.txt
const Words& TermOpeners();          // lexicon/term_openers.txt
const Words& TermCollectives();      // lexicon/term_collectives.txt
const Words& TermEnds();             // lexicon/term_ends.txt
const Words& TermPrepositions();     // lexicon/term_prepositions.txt
const Words& DealScopeVerbs();       // lexicon/deal_scope_verbs.txt
const Words& PartyUndertakings();    // lexicon/party_undertakings.txt
const Words& PartyContributions();   // lexicon/party_contributions.txt
const Words& ChunkPrepositions();    // lexicon/chunk_prepositions.txt
const Words& ClauseEnds();           // lexicon/clause_ends.txt
const Words& VerbCues();             // lexicon/verb_cues.txt
const Words& BeForms();              // lexicon/be_forms.txt
const Words& OfficerTitles();        // lexicon/officer_titles.txt
const Words& ClauseOpeners();        // lexicon/clause_openers.txt
const Words& PlanNouns();            // lexicon/plan_nouns.txt
const Words& CompanyUnits();         // lexicon/company_units.txt
const Words& DeviceNouns();          // lexicon/device_nouns.txt
const Words& FeatureNouns();         // lexicon/feature_nouns.txt
const Words& EndingVerbs();          // lexicon/ending_verbs.txt
const Words& AcquisitionWords();     // lexicon/acquisition_words.txt
const Words& PeoplePlaceNouns();     // lexicon/people_place_nouns.txt
const Words& NounMarkers();          // lexicon/noun_markers.txt

// Words that refer back (coref.cc).
const Words& CompanyDescriptions();    // lexicon/company_descriptions.txt
const Words& PairDescriptions();       // lexicon/pair_descriptions.txt
const Words& AgreementDescriptions();  // lexicon/agreement_descriptions.txt
const WordMap& DescriptorKinds();      // lexicon/descriptor_kinds.txt
const WordMap& ReferPronouns();        // lexicon/refer_pronouns.txt
const WordMap& ProductDescriptions();  // lexicon/product_descriptions.txt
const WordMap& CompanyHomes();         // lexicon/company_homes.txt

// The text of lexicon/NAME.txt as the build compiled it in, or "" when there is no such list.
// Defined in the file the build generates (lexicon_data.cc).
std::string_view LexiconText(std::string_view name);

// The words of a list: each line without its # comment and the blanks around it; empty lines
// are skipped.
Words ParseLexicon(std::string_view text);

// The lines of a list as WORD = VALUE, VALUE...; blanks around each part are dropped, and a line
// without "=" is a word without values.
WordMap ParseLexiconMap(std::string_view text);

}  // namespace pactgraph::ingest::extract

#endif  // PACTGRAPH_INGEST_EXTRACT_LEXICON_H_
