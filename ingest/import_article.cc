#include "ingest/import_article.h"

#include <openssl/evp.h>

#include <sstream>

#include "ingest/extract.h"

namespace pactgraph::ingest {

std::string ArticleKey(const Article& article) { return !article.url.empty() ? article.url : ArticleTextId(article); }

std::string ArticleTextId(const Article& article) {
  // The title and the body, separated by a byte neither holds.
  std::string content = article.title;
  content += '\0';
  content += article.body;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(content.data(), content.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string key = "text:";
  for (unsigned int i = 0; i < len; ++i) {
    key += kHex[md[i] >> 4];
    key += kHex[md[i] & 15];
  }
  return key;
}

Result<std::string> StoredDocumentKey(const storage::Store& store, const std::string& ref) {
  const storage::Snapshot snap = store.GetSnapshot();
  if (ref.size() > 1 && ref[0] == '#' && ref.size() <= 20 && ref.find_first_not_of("0123456789", 1) == std::string::npos) {
    Result<Document> d = store.GetDocument(snap, std::strtoull(ref.c_str() + 1, nullptr, 10));
    if (d.ok()) return d->key;
    if (d.status().code() != StatusCode::kNotFound) return d.status();
    return Status::NotFound("no document has the id " + ref.substr(1));
  }
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> id, store.FindDocumentByKey(snap, ref));
  if (!id) return Status::NotFound("no document has the key \"" + ref + "\" (give a stored key or #ID)");
  return ref;
}

Result<JsonlImportReport> ImportArticle(storage::Store& store, const Article& article, const std::string& key,
                                        const std::string& source, const JsonlImportOptions& options, double extract_seconds) {
  // Names the graph already has are recognised with their type.
  ExtractOptions xo;
  const storage::Snapshot snap = store.GetSnapshot();
  xo.lookup = [&](const std::string& n) -> std::string {
    Result<std::vector<storage::NameMatch>> found = store.FindByName(snap, n);
    if (!found.ok() || found->empty()) return {};
    Result<Entity> e = store.GetEntity(snap, found->front().id);
    return e.ok() ? e->type : std::string();
  };
  const std::string text_id = ArticleTextId(article);
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> same, store.FindDocumentByHash(snap, text_id));
  if (same) {
    PG_ASSIGN_OR_RETURN(Document d, store.GetDocument(snap, *same));
    if (d.key != key) {
      JsonlImportReport report;
      report.source = source;
      report.already_imported = true;
      report.already_message = "the same text was imported before, as document #" + std::to_string(*same) +
                               (d.title.empty() ? "" : " \"" + d.title + "\"");
      report.document = *same;
      return report;
    }
  }
  xo.max_seconds = extract_seconds;
  Result<Extraction> x = Extract(article, xo);
  if (!x.ok()) return Status(x.status().code(), x.status().message() + "; skipped").At(source, 0, 0);
  std::istringstream facts(ToJsonl(article, *x, key, text_id));
  PG_ASSIGN_OR_RETURN(JsonlImportReport report, ImportJsonlStream(store, facts, source, options));
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> id, store.FindDocumentByKey(store.GetSnapshot(), key));
  if (id) report.document = *id;
  return report;
}

}  // namespace pactgraph::ingest
