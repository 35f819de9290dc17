#include "ingest/import_article.h"

#include <sstream>

#include "ingest/extract.h"

namespace pactgraph::ingest {

std::string ArticleKey(const Article& article, const std::string& name) {
  return !article.url.empty() ? article.url : "file:" + name;
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
  xo.max_seconds = extract_seconds;
  Result<Extraction> x = Extract(article, xo);
  if (!x.ok()) return Status(x.status().code(), x.status().message() + "; skipped").At(source, 0, 0);
  std::istringstream facts(ToJsonl(article, *x, key));
  return ImportJsonlStream(store, facts, source, options);
}

}  // namespace pactgraph::ingest
