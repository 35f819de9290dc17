// Encoding of the store's record values (see storage/FORMAT.md). Decoding never trusts its
// input: a short, malformed or unknown-version value gives kCorruption, never a crash.
#ifndef PACTGRAPH_STORAGE_INTERNAL_RECORDS_H_
#define PACTGRAPH_STORAGE_INTERNAL_RECORDS_H_

#include <string>
#include <string_view>

#include "graph/model.h"
#include "graph/schema.h"
#include "graph/status.h"

namespace pactgraph::storage {

// Entity record: version, type id, flags (bit 0: type implied), name, aliases, properties.
// REQUIRES: schema knows e.type.
std::string EncodeEntity(const Schema& schema, const Entity& e);
Result<Entity> DecodeEntity(const Schema& schema, EntityId id, std::string_view value);

// Relation record: version, type id, subject, object, qualifiers (slot id, kind, value),
// properties. REQUIRES: schema knows r.type and every qualifier slot.
std::string EncodeRelation(const Schema& schema, const Relation& r);
Result<Relation> DecodeRelation(const Schema& schema, RelationId id, std::string_view value);

// Provenance value (document and sentence are in the key): version, span begin, span end,
// line, extractor, confidence (IEEE float bits, big-endian), evidence.
std::string EncodeProvenance(const Provenance& p);
Result<Provenance> DecodeProvenance(DocumentId doc, uint32_t sentence, std::string_view value);

// Document record: version, key, kind, title, publisher, date, url, content hash, text.
std::string EncodeDocument(const Document& d);
Result<Document> DecodeDocument(DocumentId id, std::string_view value);

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_INTERNAL_RECORDS_H_

namespace pactgraph::storage {
// The deduplication key of a relation: its type, subject, object and node-valued qualifiers
// (symmetric types with the smaller id first). REQUIRES: schema knows the type and slots.
std::string FactKeyFor(const Schema& schema, const Relation& r);
}  // namespace pactgraph::storage
