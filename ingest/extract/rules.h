// Relation rules as data: which verbs and nouns state which relation of the schema, which of
// their arguments are its subject and object, and which prepositions fill its qualifier slots.
// The shipped rules (ingest/extract/rules/relations.rules, built into the binary) are a file
// anyone can read and extend; users add their own with `--rules FILE`. A rule names relation
// types, entity types and slots of the schema, and is checked against it when loaded: adding a
// relation type is an edit of the schema and of a rule file, no C++ change.
//
// The rules match frames: what a clause says, whoever read it. The parser (parse.h) gives
// frames from a sentence's linkage; when a sentence does not parse, the extractor's chunker
// gives frames from the words around a trigger. A rule does not care which.
#ifndef PACTGRAPH_INGEST_EXTRACT_RULES_H_
#define PACTGRAPH_INGEST_EXTRACT_RULES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "graph/schema.h"
#include "graph/status.h"
#include "ingest/parse.h"

namespace pactgraph::ingest {

// Bytes [begin, end) of one sentence.
struct TextSpan {
  uint32_t begin = 0, end = 0;
};

// A preposition with the phrases after it: "on Quill OS and Vega".
struct FramePrep {
  std::string prep;  // lower case
  std::vector<TextSpan> objects;
};

// A verb or a noun with its arguments, in the sentence's own voice.
struct Frame {
  std::string lemma;        // "support"
  TextSpan trigger;         // the verb's or the noun's bytes
  bool nominal = false;     // "support for A on B"; subjects are the possessor ("Acme's support")
  bool passive = false;     // "A is supported on B by C"
  bool negated = false;     // not, n't, never, no longer
  // What the clause states has stopped: "no longer supports", "dropped support for", "ended its
  // partnership with", "the partnership ended" (lexicon/ending_verbs.txt).
  bool ended = false;
  std::string modality;     // "will", "plan to", "may" ... ("" for none)
  std::vector<TextSpan> subjects, objects;  // each coordinated member apart
  std::vector<FramePrep> preps;             // in sentence order
  bool parsed = false;      // from the parser (true) or the chunker (false)
  // Where the chunker saw the clause end before the sentence's end ("a store running on ...",
  // "..., and Globex will"): nothing of the frame is after it. 0 for none.
  uint32_t clause_end = 0;
};

// The frames of a parsed sentence: one per clause (see parse.h), spans in the sentence's bytes.
std::vector<Frame> FramesOf(const SentenceParse& parse);

// Where a rule takes an argument from, once the frame is read in the active voice:
//   subject  the doer (the active subject, the passive's "by" phrase, a noun's possessor)
//   object   the thing done to (the active object, the passive subject, a noun's for/of phrase)
//   a preposition ("with", "on", ...): the phrases of that preposition
struct RuleRole {
  std::vector<std::string> from;   // tried in order; the first that has phrases wins
  std::vector<std::string> types;  // entity types the role accepts (the schema's names)
};

struct RelationRule {
  std::string name;      // "support": the rule in every fact's source
  std::string relation;  // "SUPPORTS"
  std::vector<std::string> verbs, nouns;  // lemmas that trigger it
  RuleRole subject, object;
  // Node slots: slot -> the prepositions whose phrases fill it ("on" <- on, in, within).
  std::map<std::string, std::vector<std::string>> slots;
  std::map<std::string, std::vector<std::string>> slot_types;  // the schema's types of each slot
  // Literal slots set by a word inside the object's phrase: slot -> word -> value
  // ("as": guests -> guest).
  std::map<std::string, std::map<std::string, std::string>> marks;
  // A passive or a noun without a doer ("Quill OS will be supported on Vega") takes the
  // companies announcing (the headline's, else the sentence's).
  bool agentless_announcers = false;
  // Each fact stated both ways: "Acme and Fjordsoft signed a cross-license" licenses each to
  // the other.
  bool mutual = false;
  // Prepositions whose phrase in the frame means another rule's reading: "run-os" reads "Vega
  // appliances run Quill OS" but not "Acme runs Quill OS on Vega" (Quill OS runs on Vega).
  std::vector<std::string> unless;
  bool symmetric = false;  // from the schema: stated once, either order
  float confidence = 0.6f;
  std::string example;     // a sentence the rule reads (its golden test says what it gives)
  std::string where;       // "relations.rules:12", for messages
};

// What a rule reads in a frame: phrases for its roles and slots, before names are looked up.
struct RuleMatch {
  const RelationRule* rule = nullptr;
  std::vector<TextSpan> subjects, objects;  // the first place of each role that has phrases
  // Every place of each role that has phrases, in the rule's order: the caller takes the first
  // whose phrases name entities of the role's types.
  std::vector<std::vector<TextSpan>> subject_options, object_options;
  bool subject_from_announcers = false;  // agentless: the caller supplies the announcers
  bool subjects_pair_up = false;         // subject and object from one list: every pair of it
  std::map<std::string, std::vector<TextSpan>> node_slots;  // "on" -> phrases
  std::map<std::string, std::string> literal_slots;         // "as" -> "guest", "status" -> "planned"
  float confidence = 0;                  // the rule's, less for a chunked frame
};

class RuleSet {
 public:
  // The rules shipped with pactgraph, checked against `schema` (normally Schema::Default()
  // or a store's schema, which extends it).
  static Result<RuleSet> Shipped(const Schema& schema);

  // Reads rules from `text` (named `file` in messages). Every error says FILE:LINE and why; a
  // text with an error adds nothing. The format is described in the shipped file's header.
  static Result<RuleSet> Parse(std::string_view text, std::string_view file, const Schema& schema);

  // Adds `other`'s rules; a rule of a name already here replaces it (a user's file corrects a
  // shipped rule by redefining it).
  void Extend(const RuleSet& other);

  const std::vector<RelationRule>& rules() const { return rules_; }

  // True when `lower` (a word in lower case) may trigger a rule: a form of one of the verbs or
  // one of the nouns (singular or plural).
  bool Triggers(std::string_view lower) const;
  // The verb lemmas and nouns the rules know, for the chunker.
  bool IsVerb(std::string_view lemma) const { return verbs_.count(std::string(lemma)) > 0; }
  bool IsNoun(std::string_view noun) const { return nouns_.count(std::string(noun)) > 0; }

  // What every rule of the frame's verb or noun reads in it. Frames under a modal of possibility
  // (may, might, could) give nothing: they assert nothing. An ended frame gives its facts with
  // status=ended, a negated one ("does not support") with status=denied: a source saying
  // otherwise, never plain support.
  // `sentence` is the frame's sentence (for the marks' words).
  std::vector<RuleMatch> Match(const Frame& frame, std::string_view sentence) const;

 private:
  void Index();
  std::vector<RelationRule> rules_;
  std::map<std::string, std::vector<size_t>> by_verb_, by_noun_;
  std::map<std::string, int> verbs_, nouns_;
};

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_EXTRACT_RULES_H_
