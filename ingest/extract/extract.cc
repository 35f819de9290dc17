// The extractor's cascade: one article through the phases below, in this order. Each phase is a
// method of Extractor (extractor.h) and lives in the file named beside it.
//
//   mentions.cc         split the article into units (title, sentences), note how the body
//                       writes each word's case, and find the names in each unit
//   entities.cc         Cluster: gather the mentions of one name and its other forms into an entity
//   types.cc            Vote, Decide: what each entity is, from the graph, the gazetteer and
//                       the words of and around its mentions
//   entities.cc         Surnames: a surname alone is the person the article names in full
//   canonical_names.cc  CompanyShortForms, MakerProducts, ShortCanonicalNames, CompanyTails,
//                       GazetteerNames: names settled once the types are known
//   deals.cc            MainPair: the pair of companies the article is about, and their deal
//   coref.cc            Coreference: pronouns and definite descriptions ("it", "the company",
//                       "the two companies", "the deal") get mentions of what they refer to
//   grammar.cc          GrammarRelations: what each sentence's clauses state, as the relation
//                       rules (rules/relations.rules, rules.cc) read them; clauses from the
//                       parser (../parse.h), completed or replaced by the chunker's reading
//   relations.cc        Relations: what the rest of each sentence states (works for from titles
//                       and possessives, makers from appositions, partners from cues), with
//                       clauses.cc's readers; ContextEmployers: officers whose sentence
//                       names no employer work for the company in focus
//   programs.cc         Programs: who runs a program, who joins it
//   deals.cc            DealTerms, DealContent: what the deal covers, said in other ways and
//                       with verbs (the deal covers ..., a party pays / gives up ... under it)
//   claims.cc           Claims: quotations, "according to", reported speech
//   variants.cc         Variants: facts read off the names alone (versions, makers)
//   finish.cc           Finish: planned facts dated, entities kept, duplicates dropped
//
// Word lists are data: lexicon/*.txt, compiled in (lexicon.cc). The JSON lines: jsonl.cc.
#include "ingest/internal/extractor.h"

#include <sstream>

namespace pactgraph::ingest::extract {

Result<Extraction> Extractor::Run() {
  if (o_.max_seconds > 0) {
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(o_.max_seconds));
  }
  if (!ReadUnits()) return Stopped();
  NoteCase();
  for (size_t i = 0; i < units_.size() && !OutOfTime(); ++i) FindMentions(i);
  // Units in capitals find the names the others wrote in their case.
  std::unordered_map<std::string, std::string> article_names;
  for (const Mention& m : mentions_) article_names.emplace(Key(m.text), m.text);
  for (size_t i = 0; i < units_.size() && !OutOfTime(); ++i) {
    if (Shouted(units_[i])) FindShoutedMentions(i, article_names);
  }
  // Each pass checks the time between its units of work and stops when it has run out.
  for (void (Extractor::*pass)() : {&Extractor::Cluster, &Extractor::Vote, &Extractor::Decide, &Extractor::Surnames, &Extractor::CompanyShortForms, &Extractor::MakerProducts,
                                    &Extractor::ShortCanonicalNames, &Extractor::CompanyTails, &Extractor::GazetteerNames,
                                    &Extractor::MainPair}) {
    if (OutOfTime()) return Stopped();
    (this->*pass)();
  }
  rules_ = o_.rules ? o_.rules : ShippedRules();
  if (!rules_) return Status::Internal("the shipped relation rules do not load");
  if (OutOfTime()) return Stopped();
  Coreference();
  for (size_t i = 0; i < units_.size() && !OutOfTime(); ++i) {
    GrammarRelations(i);
    Relations(i);
  }
  if (!OutOfTime()) ContextEmployers();
  if (!OutOfTime()) ApplyDeferred();
  if (!OutOfTime()) Programs();
  for (size_t i = 1; i < units_.size() && !OutOfTime(); ++i) DealTerms(i);
  for (size_t i = 1; i < units_.size() && !OutOfTime(); ++i) Claims(i);
  if (!OutOfTime()) Variants();
  if (!OutOfTime()) Finish();
  if (stopped_) return Stopped();
  return std::move(x_);
}

// True once the time bound has run out. Cheap: the clock is read every 64th call.
bool Extractor::OutOfTime() {
  if (stopped_) return true;
  if (o_.max_seconds <= 0 || (++ticks_ & 63) != 0) return false;
  stopped_ = std::chrono::steady_clock::now() >= deadline_;
  return stopped_;
}

Status Extractor::Stopped() const {
  std::ostringstream seconds;
  seconds << o_.max_seconds;
  const uint64_t kb = (a_.title.size() + a_.body.size() + 1023) / 1024;
  return Status::ResourceExhausted("extraction stopped after " + seconds.str() + " s (" + WithThousands(kb) + " KB)");
}

}  // namespace pactgraph::ingest::extract

namespace pactgraph::ingest {

Result<Extraction> Extract(const Article& article, const ExtractOptions& options) {
  extract::Extractor x(article, options);
  return x.Run();
}

}  // namespace pactgraph::ingest
