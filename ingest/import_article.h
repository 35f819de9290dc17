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

// The key an article is stored under, unless it replaces another document: its URL when it has
// one, else "text:" and the SHA-256 of its title and body. Never a file name, which two different
// articles can share: a new version of a document is a deliberate act (the same URL, or
// ImportArticle under the key of the document it replaces).
std::string ArticleKey(const Article& article);
// What identifies an article's text wherever it is found: "text:" and the SHA-256 of its title
// and body. Stored as the document's content hash.
std::string ArticleTextId(const Article& article);

// The stored key of the document that `ref` names: a key as stored (a URL, "text:…", a facts
// file's own key) or "#ID". kNotFound, saying so, when no document has it.
Result<std::string> StoredDocumentKey(const storage::Store& store, const std::string& ref);

// Extracts `article` and imports the facts under `key`; `source` names it in errors. A new
// version of a stored document (same key, other text) replaces its own provenance. A text stored
// before under another key (another URL, or as the new version of another document) is "already
// imported" and changes nothing. The report's `document` is the id the article is stored as. An
// extraction that takes longer than `extract_seconds` (0: no bound) stores nothing and is
// kResourceExhausted "SOURCE: extraction stopped after 20 s (3,812 KB); skipped".
// `gazetteer` (optional, not owned) types the names the store does not know (see
// ExtractOptions::gazetteer); a name it knows under another name is stored under the
// gazetteer's, with the article's form as an alias, so that it meets the same entity of
// other articles. `rules` and `parser` (optional, not owned) read its sentences (see
// ExtractOptions): the rules must have been checked against the store's schema.
Result<JsonlImportReport> ImportArticle(storage::Store& store, const Article& article, const std::string& key,
                                        const std::string& source, const JsonlImportOptions& options = {},
                                        double extract_seconds = ExtractOptions().max_seconds,
                                        const Gazetteer* gazetteer = nullptr, const RuleSet* rules = nullptr,
                                        const SentenceParser* parser = nullptr);

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_IMPORT_ARTICLE_H_
