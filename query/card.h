// The entity card: an entity with its relations out and in, the relations that name it as a
// qualifier, and the sources of each, read once from one snapshot. `pactgraph show` prints it as
// text, SHOW answers it as rows, GET /entities sends it as JSON; all three build it here.
#ifndef PACTGRAPH_QUERY_CARD_H_
#define PACTGRAPH_QUERY_CARD_H_

#include <cstddef>
#include <functional>
#include <string>
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
};

struct CardRelation {
  Relation relation;
  CardEnd subject, object;
  std::vector<CardQualifier> qualifiers;  // in the relation's order
  float confidence = 0;                   // of its best source
  bool candidate = false;                 // best source below CardOptions::min_confidence
  std::vector<CardSource> sources;        // by document then sentence; empty without with_sources
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

// The card of `id`, read from `snap`. kNotFound when there is no such entity.
Result<EntityCard> BuildEntityCard(const storage::Store& store, const storage::Snapshot& snap, EntityId id,
                                   const CardOptions& options);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_CARD_H_
