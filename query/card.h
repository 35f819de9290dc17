// The entity card: an entity with its relations out and in, the relations that name it as a
// qualifier, and the sources of each, read once from one snapshot. `pactgraph show` prints it as
// text, SHOW answers it as rows, GET /entities sends it as JSON; all three build it here.
#ifndef PACTGRAPH_QUERY_CARD_H_
#define PACTGRAPH_QUERY_CARD_H_

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/model.h"
#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::query {

// One end of a relation, or a node-valued qualifier, with what a reader needs to show it.
struct CardEnd {
  EntityId id = 0;
  std::string name;  // the whole name (a claim's is its text); "#ID" when the entity is gone
  std::string type;
};

struct CardQualifier {
  std::string slot;
  std::string literal;  // when the qualifier is text
  bool is_node = false;
  CardEnd node;         // when it names an entity
};

struct CardSource {
  Provenance provenance;
  std::string document;  // the document's title, else its key
  std::string date;
  std::string publisher, url;
  // The sentence with the stated words at [span_begin, span_end), as Evidence has them.
  std::string text;
  uint32_t span_begin = 0, span_end = 0;
  std::string status;  // what this source says of the fact: active (when it says nothing), planned, ended, denied
};

struct CardRelation {
  Relation relation;
  CardEnd subject, object;
  std::vector<CardQualifier> qualifiers;  // in the relation's order
  float confidence = 0;                   // of its best source
  bool candidate = false;                 // best source below CardOptions::min_confidence
  std::vector<CardSource> sources;        // by document then sentence; empty without with_sources
  int64_t documents = 0, publishers = 0;  // see Corroboration
  bool disputed = false;
};

struct CardSection {
  size_t total = 0;                     // every relation of the section
  std::vector<CardRelation> relations;  // the first CardOptions::limit of them
};

struct EntityCard {
  Entity entity;
  CardSection outgoing, incoming;
  CardSection qualifier_of;  // relations that name the entity in a qualifier slot
};

struct CardOptions {
  size_t limit = 0;  // relations kept per section; 0 keeps all (the totals count all anyway)
  double min_confidence = 0;
  bool with_sources = true;
  // Called before each relation is read, when set; its error stops the card (a query's time and
  // memory bounds).
  std::function<Status(const Relation&)> check;
};

// How many independent sources state a relation, as MATCH's r.sources and r.publishers count
// them: distinct documents (a story carried under several addresses is one) and distinct
// publishers (a document without one counts as its own); and whether they disagree (Disputed).
struct Corroboration {
  int64_t documents = 0, publishers = 0;
  bool disputed = false;
};

// Counts a relation's sources' documents and publishers, each once. Every count of
// corroboration (cards, the graph's edges, WHO and WHAT rows, MATCH) goes through it.
class SourceCounter {
 public:
  void Add(const Document& d);
  int64_t documents() const { return static_cast<int64_t>(documents_.size()); }
  int64_t publishers() const { return static_cast<int64_t>(publishers_.size()); }

 private:
  std::set<DocumentId> documents_;
  std::set<std::string> publishers_;  // a document without one: "\x01" + its key
};

// One source of a relation as Disputed reads it.
struct SourceSaid {
  DocumentId document = 0;
  std::string publisher;                        // the document's; "" when it has none
  std::string status;                           // SourceStatus
  std::map<std::string, std::string> literals;  // the source's literals (its own, else the relation's)
};

// Whether a relation's sources disagree: one states it as holding (active, planned) and another
// not (denied, ended); or two from different publishers state it as holding with a literal
// that is not another wording of the other's (as guest, as host). Decided pair by pair, so that
// the order of the sources never matters ("guest" is another wording of "guest VM" and of
// "guest container", which are not each other's). Cards, the graph's edges, the `disputed`
// column of WHO, WHAT, SHOW and PATH, and CONFLICTS all decide by it.
bool Disputed(const std::vector<SourceSaid>& sources);
// Two sources' disagreement on a literal, as Disputed decides it.
bool QualifiersDisagree(const SourceSaid& a, const SourceSaid& b);

// Reads relations' corroboration from one snapshot, each document once (kept for the quotes a
// card takes from them). Not thread-safe; must not outlive `store` or `snap`.
class CorroborationReader {
 public:
  CorroborationReader(const storage::Store& store, const storage::Snapshot& snap) : store_(store), snap_(snap) {}
  // `sources` are r's, already read.
  Result<Corroboration> Of(const Relation& r, const std::vector<Provenance>& sources);
  Result<Corroboration> Of(const Relation& r);
  // Document `id`, read once.
  Result<const Document*> Doc(DocumentId id);

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  std::unordered_map<DocumentId, Document> docs_;
};

// What source `p` says of relation `r`'s status: its own literals' status, else the relation's,
// else "active".
std::string SourceStatus(const Relation& r, const Provenance& p);

// The card of `id`, read from `snap`. kNotFound when there is no such entity.
Result<EntityCard> BuildEntityCard(const storage::Store& store, const storage::Snapshot& snap, EntityId id,
                                   const CardOptions& options);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_CARD_H_
