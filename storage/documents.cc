#include "storage/documents.h"

#include <algorithm>
#include <unordered_map>

namespace pactgraph::storage {
namespace {

// Relations per document, from one pass over the provenance (ordered by relation, then document).
Result<std::unordered_map<DocumentId, uint64_t>> CountFacts(const Store& store, const Snapshot& snap) {
  std::unordered_map<DocumentId, uint64_t> facts;
  RelationId last_rel = 0;
  DocumentId last_doc = 0;
  PG_RETURN_IF_ERROR(store.ForEachProvenance(snap, [&](RelationId rel, const Provenance& p) {
    if (rel != last_rel || p.document != last_doc) ++facts[p.document];
    last_rel = rel;
    last_doc = p.document;
    return true;
  }));
  return facts;
}

bool Listed(const Document& d, uint64_t facts) { return d.kind != "facts" || facts > 0; }

}  // namespace

Result<DocumentPage> ListDocuments(const Store& store, const Snapshot& snap, const DocumentPageRequest& request) {
  PG_ASSIGN_OR_RETURN(auto facts, CountFacts(store, snap));
  const uint64_t limit = std::max<uint64_t>(request.limit, 1);
  DocumentPage page;
  uint64_t position = 0;  // listed documents before this one
  Status inner = Status::OK();
  PG_RETURN_IF_ERROR(store.ForEachDocument(snap, [&](const Document& d) {
    const uint64_t n = facts.count(d.id) ? facts[d.id] : 0;
    if (!Listed(d, n)) return true;
    ++page.total;
    const bool on_page = request.after ? d.id > request.after : position >= request.offset;
    ++position;
    if (!on_page) return true;
    if (page.documents.size() == limit) {
      page.more = true;
      return true;  // counted for the total
    }
    DocumentSummary s;
    s.document = d;
    s.document.text.clear();
    s.facts = n;
    Result<std::vector<std::string>> places = store.DocumentLocations(snap, d.id);
    if (!places.ok()) {
      inner = places.status();
      return false;
    }
    s.locations = std::move(places).value();
    page.documents.push_back(std::move(s));
    page.next_offset = position;
    page.next_after = d.id;
    return true;
  }));
  PG_RETURN_IF_ERROR(inner);
  if (!page.more) page.next_offset = page.next_after = 0;
  return page;
}

Result<DocumentSummary> DescribeDocument(const Store& store, const Snapshot& snap, DocumentId id) {
  DocumentSummary s;
  PG_ASSIGN_OR_RETURN(s.document, store.GetDocument(snap, id));
  PG_ASSIGN_OR_RETURN(s.locations, store.DocumentLocations(snap, id));
  PG_ASSIGN_OR_RETURN(auto facts, FactsOfDocument(store, snap, id, SIZE_MAX));
  s.facts = facts.size();
  return s;
}

Result<std::vector<std::pair<RelationId, uint32_t>>> FactsOfDocument(const Store& store, const Snapshot& snap,
                                                                      DocumentId id, size_t limit) {
  std::vector<std::pair<RelationId, uint32_t>> out;
  PG_RETURN_IF_ERROR(store.ForEachProvenance(snap, [&](RelationId rel, const Provenance& p) {
    if (p.document != id || (!out.empty() && out.back().first == rel)) return true;
    if (out.size() == limit) return false;
    out.emplace_back(rel, p.sentence);
    return true;
  }));
  return out;
}

}  // namespace pactgraph::storage
