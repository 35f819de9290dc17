// An article into the store: extracted with the graph's own names as evidence of their types,
// then imported as one atomic unit with every fact's provenance (`pactgraph import` and the HTTP
// endpoint POST /documents both go through here).
#ifndef PACTGRAPH_INGEST_IMPORT_ARTICLE_H_
#define PACTGRAPH_INGEST_IMPORT_ARTICLE_H_

#include <string>

#include "graph/status.h"
#include "ingest/extract.h"
#include "ingest/jsonl.h"
#include "ingest/reader.h"
#include "storage/store.h"

namespace pactgraph::ingest {

// The document key an article is stored under: its URL, else "file:" + `name`.
std::string ArticleKey(const Article& article, const std::string& name);

// Extracts `article` and imports the facts under `key`; `source` names it in errors. A new
// version of a stored document (same key, other text) replaces its own provenance. An
// extraction that takes longer than `extract_seconds` (0: no bound) stores nothing and is
// kResourceExhausted "SOURCE: extraction stopped after 20 s (3,812 KB); skipped".
Result<JsonlImportReport> ImportArticle(storage::Store& store, const Article& article, const std::string& key,
                                        const std::string& source, const JsonlImportOptions& options = {},
                                        double extract_seconds = ExtractOptions().max_seconds);

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_IMPORT_ARTICLE_H_
