// The documents of a store as a user lists them: each with its locations and how many facts it
// is a source of, a page at a time (`pactgraph documents`, GET /documents).
#ifndef PACTGRAPH_STORAGE_DOCUMENTS_H_
#define PACTGRAPH_STORAGE_DOCUMENTS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "graph/model.h"
#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::storage {

struct DocumentSummary {
  Document document;                   // without its text
  std::vector<std::string> locations;  // Store::DocumentLocations
  uint64_t facts = 0;                  // relations it is a source of
};

struct DocumentPageRequest {
  uint64_t limit = 50;   // documents on the page (at least 1)
  uint64_t offset = 0;   // listed documents skipped first
  DocumentId after = 0;  // or: start after this id (a page's next_after); wins over offset
};

struct DocumentPage {
  std::vector<DocumentSummary> documents;  // in id order
  uint64_t total = 0;                      // documents listed, every page together
  bool more = false;                       // documents follow this page
  uint64_t next_offset = 0;                // the offset of the next page, when `more`
  DocumentId next_after = 0;               // the id to list after for the next page, when `more`
};

// One page of the listed documents, by id. Listed are the articles, the references and the
// facts files that are a source of a fact; the record an article's import keeps of itself (a
// "facts" document no fact names) is not. Reads every provenance entry once to count facts.
Result<DocumentPage> ListDocuments(const Store& store, const Snapshot& snap, const DocumentPageRequest& request);

// One document's summary; kNotFound when no document has the id.
Result<DocumentSummary> DescribeDocument(const Store& store, const Snapshot& snap, DocumentId id);

// The relations document `id` is a source of, with the sentence that states each (the first,
// when several do), in relation id order; at most `limit`.
Result<std::vector<std::pair<RelationId, uint32_t>>> FactsOfDocument(const Store& store, const Snapshot& snap,
                                                                      DocumentId id, size_t limit);

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_DOCUMENTS_H_
