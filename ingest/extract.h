// The text extractor: an article to facts of the schema (entities, relations, claims), each
// with the sentence it came from, the rule that found it and a confidence. General rules only:
// name patterns (capitalised runs, versions and editions, corporate suffixes, titles and
// appositions), verb and preposition patterns mapped onto the schema, coordination, quotes and
// reported speech. Nothing in it names an entity; names already in a graph can be given.
#ifndef PACTGRAPH_INGEST_EXTRACT_H_
#define PACTGRAPH_INGEST_EXTRACT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/status.h"
#include "ingest/extract/rules.h"
#include "ingest/gazetteer.h"
#include "ingest/parse.h"
#include "ingest/reader.h"
#include "ingest/text_units.h"

namespace pactgraph::ingest {

struct FactSource {
  uint32_t sentence = 0;        // 1-based, in the body; 0: the title
  uint32_t begin = 0, end = 0;  // byte span in the body (the title: 0, 0)
  std::string rule;             // the rule that found the fact
  float confidence = 0.5f;
  std::string evidence;         // the words that state it
};

struct ExtractedEntity {
  std::string name;  // the fullest form the article uses
  std::string type;
  std::vector<std::string> aliases;
};

struct ExtractedRelation {
  std::string type, subject, object;
  std::map<std::string, std::string> qualifiers;  // on, as, title, of, status
  FactSource source;
};

struct ExtractedClaim {
  std::string speaker, text;
  std::vector<std::string> about;
  FactSource source;
};

struct Extraction {
  std::vector<Sentence> sentences;  // of the body
  std::vector<ExtractedEntity> entities;
  std::vector<ExtractedRelation> relations;
  std::vector<ExtractedClaim> claims;
};

struct ExtractOptions {
  // Names already known (a graph's entities): name -> type. They are recognised wherever they
  // occur, with that type.
  std::map<std::string, std::string> known;
  // Asked for each name the article uses: the type of the graph's entity of that name, or ""
  // when the graph has none (import passes the store's name index). The answer counts as
  // strong evidence of the name's type.
  std::function<std::string(const std::string& name)> lookup;
  // Names of the industry with their types (optional; not owned, must outlive the call). A name
  // the article uses that the gazetteer knows, by its name or an alias, takes the gazetteer's
  // type, unless `lookup` answered for it; the answer outweighs the cues of the sentences, and
  // makes the name an entity even where no cue stands next to it. The entity keeps the form the
  // article uses; when the gazetteer knows it under another name ("Windows Azure" of "Microsoft
  // Azure"), that name is among its aliases. A product whose maker (as the gazetteer gives it)
  // the article names in a sentence with it gets a DEVELOPS of that sentence, confidence 0.4.
  const Gazetteer* gazetteer = nullptr;
  // The time one article may take, in seconds (0: no bound). The work is linear in the text
  // (about 2 s a megabyte), so only a pathological text reaches it.
  double max_seconds = 20;
  // The relation rules (not owned): nullptr reads with the shipped ones against the default
  // schema; a caller with its own schema or rule files loads them (RuleSet::Shipped, Extend).
  const RuleSet* rules = nullptr;
  // The parser (not owned; thread-safe): sentences with a trigger word of the rules are parsed
  // and their clauses read by the rules. nullptr: every trigger is read by the chunker (faster,
  // less exact).
  const SentenceParser* parser = nullptr;
  // The parse time one article may spend, in seconds: past it, its remaining sentences are read
  // by the chunker, so that a long article costs the chunker's linear time, not the parser's.
  double max_parse_seconds = 2;
};

// The facts of `article`, or kResourceExhausted "extraction stopped after 20 s (3,812 KB)" when
// the time bound ran out first (nothing of a stopped extraction is returned).
Result<Extraction> Extract(const Article& article, const ExtractOptions& options = {});

// The facts as JSON lines in the corpus shape. With `doc_key`, a document line first (title,
// publisher, date, URL and the body) and a "source" on every relation and claim (sentence,
// span, extractor rule, confidence), so that an import keeps the provenance; `doc_hash`, when
// given, is the document's content hash (what identifies its text wherever it was found).
std::string ToJsonl(const Article& article, const Extraction& x, const std::string& doc_key = {},
                    const std::string& doc_hash = {});

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_EXTRACT_H_
