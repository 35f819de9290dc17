// The parse stage of the extractor: one sentence through link-grammar (Debian's liblink-grammar
// 5.12 and its English dictionary), and from its best complete linkage the clauses a relation
// rule matches: who does what to what, with which prepositions, negated or not, in which voice,
// under which modal. A sentence the parser cannot handle in its bounds is not parsed; the result
// says why, and the caller falls back to the shallow analysis.
//
// The stage knows no entity, no relation and no verb meaning: rules on top of it decide what a
// clause states.
#ifndef PACTGRAPH_INGEST_PARSE_H_
#define PACTGRAPH_INGEST_PARSE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

struct Dictionary_s;  // link-grammar's dictionary, kept out of this header

namespace pactgraph::ingest {

struct ParseOptions {
  // link-grammar's own time bound, in whole seconds (the library counts no finer).
  int max_seconds = 1;
  // Sentences of more words than this (link-grammar's words: punctuation counts) are not
  // parsed: the parse time grows with the cube of the length, and press releases' longest
  // sentences are lists the shallow analysis reads as well.
  size_t max_words = 60;
  // How many linkages link-grammar ranks to pick the best one from.
  int linkage_limit = 1000;
};

// Why a sentence was not parsed.
enum class Fallback {
  kNone,               // parsed
  kEmpty,              // no words
  kInvalidText,        // not UTF-8, or a NUL byte in it
  kTooLong,            // more than ParseOptions::max_words words
  kTimeout,            // the time bound ran out
  kNoCompleteLinkage,  // no parse links every word (unknown grammar, a fragment, a heading)
};
std::string_view FallbackName(Fallback fallback);  // "too long", "timeout", ...

struct ParsedWord {
  std::string text;             // as in the sentence
  std::string pos;              // link-grammar's subscript: "v", "v-d", "n", "a", "j-n"; "" if none
  std::string lemma;            // verbs: the base form (supported -> support); others: the text
  uint32_t begin = 0, end = 0;  // byte offsets in the sentence
  bool guessed = false;         // not in the dictionary; link-grammar guessed its part of speech
};

// A link of the linkage (links to the walls left out). `left` < `right` index `words`.
struct ParsedLink {
  uint32_t left = 0, right = 0;
  std::string label;  // "Ss*s", "Op", "MVp", "Js", "Pv", ...
};

// A noun phrase: a head noun and its modifiers (adjectives, noun modifiers, the proper-noun run,
// version numbers), without the determiner. Indices into `words`, `first` <= `head` <= `last`.
struct Phrase {
  uint32_t head = 0, first = 0, last = 0;
  std::string text;  // the sentence's bytes from `first` to `last`
  // Cut from one proper-noun run at an "and" link-grammar read as part of a name: "Acme and
  // Fjordsoft" gives "Acme" and "Fjordsoft", but "Procter and Gamble" gives two as well. A rule
  // can check the whole run against the names it knows.
  bool split_from_name = false;
};

// A preposition and its object(s): "on Quill OS", "as a guest", "for Lumen DB and Vega".
struct Attachment {
  std::string prep;        // lower case
  uint32_t prep_word = 0;
  bool to_object = false;  // attached to the clause's object rather than to its verb
  std::vector<Phrase> objects;
};

// A verb with its arguments, or a noun with its prepositions ("support for Lumen DB on Quill OS").
struct Clause {
  uint32_t verb = 0;       // the content verb (after "will", "plans to", "is"), or the noun
  std::string lemma;       // "support"
  bool nominal = false;    // a noun: subjects are its possessor ("Acme's support")
  bool passive = false;    // "is supported"; the agent is the "by" attachment
  bool negated = false;    // not, n't, never, no longer
  std::string modality;    // the modal and catenative verbs before the verb: "will", "plan to"
  std::vector<Phrase> subjects;  // coordinated subjects each; a relative pronoun's antecedent
  std::vector<Phrase> objects;
  std::vector<Attachment> attachments;  // in sentence order
};

// "Jane Roe, chief executive of Acme, said": name "Jane Roe", description "chief executive of Acme".
struct Apposition {
  Phrase name, description;
};

struct SentenceParse {
  Fallback fallback = Fallback::kNone;
  std::string why;  // for a fallback, in words: "73 words, more than 60"
  bool parsed() const { return fallback == Fallback::kNone; }

  // Empty unless parsed.
  std::vector<ParsedWord> words;
  std::vector<ParsedLink> links;
  std::vector<Clause> clauses;  // verbs first, in sentence order; then nouns with prepositions
  std::vector<Apposition> appositions;
};

// One line per clause and apposition, for golden tests and for reading:
//   clause: subj="Microsoft" verb=support(active, modal=will) obj="RHEL guests" on="Hyper-V"
// Several phrases in one slot are joined by "|"; an attachment to the object is "obj.on=".
// A sentence not parsed is one line, "fallback: too long (73 words, more than 60)".
std::string FormatParse(const SentenceParse& parse);

// The base form of an English verb form: supports, supported, supporting -> support; ran -> run;
// bought -> buy; doesn't -> do. Lower case. A word it does not know as a form is returned
// lowered.
std::string LemmatizeVerb(std::string_view word);

// Owns link-grammar's English dictionary, loaded once (a fraction of a second). Parse is safe to
// call from several threads at once: the dictionary is shared read-only and each call has its
// own options and sentence.
class SentenceParser {
 public:
  // Loads the dictionary. Fails with kNotFound when the English dictionary is not installed,
  // kInvalidArgument for options out of range.
  static Result<std::unique_ptr<SentenceParser>> Create(const ParseOptions& options = {});
  ~SentenceParser();
  SentenceParser(const SentenceParser&) = delete;
  SentenceParser& operator=(const SentenceParser&) = delete;

  // Parses one sentence. Never fails: a sentence it cannot parse within the options' bounds
  // comes back with parsed() false and the reason.
  SentenceParse Parse(std::string_view sentence) const;

  // True when the dictionary holds `word` as written (lower case: an English common word).
  bool KnowsWord(const std::string& word) const;

  const ParseOptions& options() const { return options_; }

 private:
  SentenceParser(Dictionary_s* dictionary, const ParseOptions& options)
      : dictionary_(dictionary), options_(options) {}
  Dictionary_s* dictionary_;  // owned
  ParseOptions options_;
};

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_PARSE_H_
