#include "ingest/extract/lexicon.h"

#include <algorithm>

#include "graph/names.h"

namespace pactgraph::ingest::extract {

Words ParseLexicon(std::string_view text) {
  Words words;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    line = line.substr(0, line.find('#'));
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") + 1 - b);
    words.emplace(line);
  }
  return words;
}

WordMap ParseLexiconMap(std::string_view text) {
  auto trim = [](std::string s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return std::string();
    return s.substr(b, s.find_last_not_of(" \t") + 1 - b);
  };
  WordMap map;
  for (const std::string& line : ParseLexicon(text)) {
    const size_t eq = line.find('=');
    std::vector<std::string>& values = map[trim(line.substr(0, eq))];
    if (eq == std::string::npos) continue;
    std::string rest = line.substr(eq + 1);
    for (size_t from = 0; from <= rest.size();) {
      const size_t comma = std::min(rest.find(',', from), rest.size());
      if (std::string v = trim(rest.substr(from, comma - from)); !v.empty()) values.push_back(v);
      from = comma + 1;
    }
  }
  return map;
}

// Each list is parsed once, at its first use (a function's static is initialised once, even
// when threads race to it).
const Words& FunctionWords() {
  static const Words k = ParseLexicon(LexiconText("function_words"));
  return k;
}

const Words& Months() {
  static const Words k = ParseLexicon(LexiconText("months"));
  return k;
}

const Words& TitleTokens() {
  static const Words k = ParseLexicon(LexiconText("title_tokens"));
  return k;
}



const Words& CompanySuffixes() {
  // The words of the list, and every legal form (graph/names.h), with its period or without.
  static const Words k = [] {
    Words w = ParseLexicon(LexiconText("company_suffixes"));
    for (const LegalForm& f : LegalForms()) {
      w.insert(std::string(f.form));
      w.insert(std::string(f.form) + ".");
    }
    return w;
  }();
  return k;
}

const Words& OrganizationWords() {
  static const Words k = ParseLexicon(LexiconText("organization_words"));
  return k;
}

const Words& ProgramWords() {
  static const Words k = ParseLexicon(LexiconText("program_words"));
  return k;
}

const Words& ProductWords() {
  static const Words k = ParseLexicon(LexiconText("product_words"));
  return k;
}

const Words& GenericWords() {
  static const Words k = ParseLexicon(LexiconText("generic_words"));
  return k;
}

const Words& FirstNames() {
  static const Words k = ParseLexicon(LexiconText("first_names"));
  return k;
}

const Words& TitleWords() {
  static const Words k = ParseLexicon(LexiconText("title_words"));
  return k;
}

const Words& EventWords() {
  static const Words k = ParseLexicon(LexiconText("event_words"));
  return k;
}

const Words& ActorVerbs() {
  static const Words k = ParseLexicon(LexiconText("actor_verbs"));
  return k;
}

const Words& VerbAdverbs() {
  static const Words k = ParseLexicon(LexiconText("verb_adverbs"));
  return k;
}

const Words& SpeechVerbs() {
  static const Words k = ParseLexicon(LexiconText("speech_verbs"));
  return k;
}

const Words& ThatSpeechVerbs() {
  static const Words k = ParseLexicon(LexiconText("that_speech_verbs"));
  return k;
}

const Words& JointSpeakers() {
  static const Words k = ParseLexicon(LexiconText("joint_speakers"));
  return k;
}

const Words& SoftwareVerbs() {
  static const Words k = ParseLexicon(LexiconText("software_verbs"));
  return k;
}

const Words& SoftwareNouns() {
  static const Words k = ParseLexicon(LexiconText("software_nouns"));
  return k;
}

const Words& OrganizationNouns() {
  static const Words k = ParseLexicon(LexiconText("organization_nouns"));
  return k;
}

const Words& Places() {
  static const Words k = ParseLexicon(LexiconText("places"));
  return k;
}

const Words& SitedWords() {
  static const Words k = ParseLexicon(LexiconText("sited_words"));
  return k;
}

const Words& CompanyNouns() {
  static const Words k = ParseLexicon(LexiconText("company_nouns"));
  return k;
}

const Words& ProductNouns() {
  static const Words k = ParseLexicon(LexiconText("product_nouns"));
  return k;
}

const Words& VersionNouns() {
  static const Words k = ParseLexicon(LexiconText("version_nouns"));
  return k;
}

const Words& SoftwareKinds() {
  static const Words k = ParseLexicon(LexiconText("software_kinds"));
  return k;
}

const Words& HedgeCues() {
  static const Words k = ParseLexicon(LexiconText("hedge_cues"));
  return k;
}

const Words& OpinionVerbs() {
  static const Words k = ParseLexicon(LexiconText("opinion_verbs"));
  return k;
}

const Words& JointVerbs() {
  static const Words k = ParseLexicon(LexiconText("joint_verbs"));
  return k;
}

const Words& JointAdverbs() {
  static const Words k = ParseLexicon(LexiconText("joint_adverbs"));
  return k;
}

const Words& MakingVerbs() {
  static const Words k = ParseLexicon(LexiconText("making_verbs"));
  return k;
}

const Words& PartnerCues() {
  static const Words k = ParseLexicon(LexiconText("partner_cues"));
  return k;
}

const Words& DealNouns() {
  static const Words k = ParseLexicon(LexiconText("deal_nouns"));
  return k;
}

const Words& SigningVerbs() {
  static const Words k = ParseLexicon(LexiconText("signing_verbs"));
  return k;
}

const Words& ArticleDealWords() {
  static const Words k = ParseLexicon(LexiconText("article_deal_words"));
  return k;
}

const Words& DealWords() {
  static const Words k = ParseLexicon(LexiconText("deal_words"));
  return k;
}

const Words& JointAdjectives() {
  static const Words k = ParseLexicon(LexiconText("joint_adjectives"));
  return k;
}

const Words& TermOpeners() {
  static const Words k = ParseLexicon(LexiconText("term_openers"));
  return k;
}

const Words& TermCollectives() {
  static const Words k = ParseLexicon(LexiconText("term_collectives"));
  return k;
}

const Words& TermEnds() {
  static const Words k = ParseLexicon(LexiconText("term_ends"));
  return k;
}

const Words& TermPrepositions() {
  static const Words k = ParseLexicon(LexiconText("term_prepositions"));
  return k;
}

const Words& DealScopeVerbs() {
  static const Words k = ParseLexicon(LexiconText("deal_scope_verbs"));
  return k;
}

const Words& PartyUndertakings() {
  static const Words k = ParseLexicon(LexiconText("party_undertakings"));
  return k;
}

const Words& PartyContributions() {
  static const Words k = ParseLexicon(LexiconText("party_contributions"));
  return k;
}

const Words& JointHeads() {
  static const Words k = ParseLexicon(LexiconText("joint_heads"));
  return k;
}

const Words& UsualWords() {
  static const Words k = ParseLexicon(LexiconText("usual_words"));
  return k;
}

const Words& ChunkPrepositions() {
  static const Words k = ParseLexicon(LexiconText("chunk_prepositions"));
  return k;
}

const Words& ClauseEnds() {
  static const Words k = ParseLexicon(LexiconText("clause_ends"));
  return k;
}

const Words& VerbCues() {
  static const Words k = ParseLexicon(LexiconText("verb_cues"));
  return k;
}

const Words& NounMarkers() {
  static const Words k = ParseLexicon(LexiconText("noun_markers"));
  return k;
}

const Words& OfficerTitles() {
  static const Words k = ParseLexicon(LexiconText("officer_titles"));
  return k;
}

const Words& ClauseOpeners() {
  static const Words k = ParseLexicon(LexiconText("clause_openers"));
  return k;
}

const Words& PlanNouns() {
  static const Words k = ParseLexicon(LexiconText("plan_nouns"));
  return k;
}

const Words& CompanyUnits() {
  static const Words k = ParseLexicon(LexiconText("company_units"));
  return k;
}

const Words& DeviceNouns() {
  static const Words k = ParseLexicon(LexiconText("device_nouns"));
  return k;
}

const Words& FeatureNouns() {
  static const Words k = ParseLexicon(LexiconText("feature_nouns"));
  return k;
}

const Words& EndingVerbs() {
  static const Words k = ParseLexicon(LexiconText("ending_verbs"));
  return k;
}

const Words& AcquisitionWords() {
  static const Words k = ParseLexicon(LexiconText("acquisition_words"));
  return k;
}

const Words& PeoplePlaceNouns() {
  static const Words k = ParseLexicon(LexiconText("people_place_nouns"));
  return k;
}

const Words& BeForms() {
  static const Words k = ParseLexicon(LexiconText("be_forms"));
  return k;
}

const Words& CompanyDescriptions() {
  static const Words k = ParseLexicon(LexiconText("company_descriptions"));
  return k;
}

const Words& PairDescriptions() {
  static const Words k = ParseLexicon(LexiconText("pair_descriptions"));
  return k;
}

const Words& AgreementDescriptions() {
  static const Words k = ParseLexicon(LexiconText("agreement_descriptions"));
  return k;
}

const WordMap& DescriptorKinds() {
  static const WordMap k = ParseLexiconMap(LexiconText("descriptor_kinds"));
  return k;
}

const WordMap& CompanyHomes() {
  static const WordMap k = ParseLexiconMap(LexiconText("company_homes"));
  return k;
}

const WordMap& ProductDescriptions() {
  static const WordMap k = ParseLexiconMap(LexiconText("product_descriptions"));
  return k;
}

const WordMap& ReferPronouns() {
  static const WordMap k = ParseLexiconMap(LexiconText("refer_pronouns"));
  return k;
}

}  // namespace pactgraph::ingest::extract
