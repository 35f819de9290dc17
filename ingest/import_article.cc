#include "ingest/import_article.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "graph/fingerprint.h"
#include "graph/names.h"
#include "storage/import_session.h"
#include "ingest/extract.h"
#include "ingest/internal/sha256.h"

namespace pactgraph::ingest {

std::string ArticleKey(const Article& article) { return !article.url.empty() ? article.url : ArticleTextId(article); }

std::string ArticleTextId(const Article& article) {
  // The title and the body, separated by a byte neither holds.
  Sha256 hash;
  hash.Update(article.title);
  hash.Update(std::string_view("\0", 1));
  hash.Update(article.body);
  return "text:" + hash.HexDigest();
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

namespace {

// The name each extracted entity is stored under: the graph's entity of the same type that has
// one of its names or of the gazetteer's names for it (its name or an alias, by the normalised
// key; one such entity, not two), else the gazetteer's name for it when the gazetteer gives the
// same type (unless that name holds the whole of a product's, a longer form of it), else its own. The
// article's forms stay as aliases, so "Samsung" and "Samsung Electronics Co" of two articles
// meet in one entity. Exact names only: nothing is merged because two names look alike.
Status ResolveNames(const storage::Store& store, const storage::Snapshot& snap, const Gazetteer* gazetteer, Extraction& x) {
  std::map<std::string, std::string> renamed;  // the article's name -> the stored one
  // Each entity's own name, by key: no entity is renamed to another's ("Docker Engine" is not
  // stored as "Docker", the gazetteer's name for it, when "Docker" is the article's company).
  std::map<std::string, const ExtractedEntity*> own;
  for (const ExtractedEntity& e : x.entities) own.emplace(NormalizeKey(e.name), &e);
  for (ExtractedEntity& e : x.entities) {
    std::vector<std::string> names = {e.name};
    names.insert(names.end(), e.aliases.begin(), e.aliases.end());
    const GazetteerEntry* known = nullptr;
    for (const std::string& n : names) {
      const GazetteerEntry* g = gazetteer ? gazetteer->Find(n) : nullptr;
      if (g && e.type == GazetteerTypeName(g->type)) {
        known = g;
        break;
      }
    }
    // The graph is searched under the gazetteer's names too, so that "Alexa" of one article
    // and "Amazon Alexa" of another meet whichever came first.
    std::vector<std::string> lookup = names;
    if (known) {
      lookup.push_back(known->name);
      lookup.insert(lookup.end(), known->aliases.begin(), known->aliases.end());
    }
    std::set<EntityId> same_type;
    std::string target;
    for (const std::string& n : lookup) {
      PG_ASSIGN_OR_RETURN(std::vector<storage::NameMatch> found, store.FindByName(snap, n));
      for (const storage::NameMatch& m : found) {
        if (same_type.count(m.id)) continue;
        Result<Entity> stored = store.GetEntity(snap, m.id);
        if (!stored.ok()) return stored.status();
        if (stored->type != e.type) continue;
        same_type.insert(m.id);
        target = stored->name;
      }
    }
    if (same_type.size() != 1) target.clear();
    if (target.empty() && known) {
      target = known->name;
      // The gazetteer's name holds the article's whole ("Amazon Alexa" of "Alexa", "Heroku
      // Platform" of "Heroku"): the article's shorter form stays the name, the longer one an
      // alias. An abbreviation or a former name ("RHEL", "Windows Azure") takes the
      // gazetteer's.
      // A company keeps the gazetteer's name ("Samsung Electronics" of "Samsung"): its full
      // name is the one people use for it.
      const std::string whole = " " + NormalizeKey(target) + " ";
      if (e.type != "Company" && whole.find(" " + NormalizeKey(e.name) + " ") != std::string::npos) target.clear();
      // A company named by its web address ("Acme.com" of "Acme") keeps the article's form; the
      // gazetteer's name is an alias. Not a former or a subsidiary's name ("Acme Computer" of
      // "Acme" takes the gazetteer's, whichever article came first).
      if (e.type == "Company") {
        static const std::set<std::string> kDomains = {"com", "net", "org", "io", "ai"};
        const std::string mine = NormalizeKey(e.name), theirs = NormalizeKey(target);
        if (mine.size() > theirs.size() + 1 && mine.compare(0, theirs.size() + 1, theirs + " ") == 0 &&
            kDomains.count(mine.substr(theirs.size() + 1))) {
          target.clear();
        }
      }
    }
    // The gazetteer's name is an alias whichever name is kept (the same facts on every import).
    if (known && NormalizeKey(known->name) != NormalizeKey(e.name) &&
        std::find(e.aliases.begin(), e.aliases.end(), known->name) == e.aliases.end()) {
      e.aliases.push_back(known->name);
    }
    if (target.empty() || NormalizeKey(target) == NormalizeKey(e.name)) continue;
    if (const auto other = own.find(NormalizeKey(target)); other != own.end() && other->second != &e) continue;
    renamed[e.name] = target;
    std::vector<std::string> aliases = {e.name};
    for (const std::string& a : e.aliases) {
      if (NormalizeKey(a) != NormalizeKey(target)) aliases.push_back(a);
    }
    e.name = target;
    e.aliases = std::move(aliases);
  }
  if (renamed.empty()) return Status::OK();
  auto rename = [&](std::string& name) {
    auto it = renamed.find(name);
    if (it != renamed.end()) name = it->second;
  };
  for (ExtractedRelation& r : x.relations) {
    rename(r.subject);
    rename(r.object);
    for (const char* q : {"on", "of", "via"}) {
      auto it = r.qualifiers.find(q);
      if (it != r.qualifiers.end()) rename(it->second);
    }
  }
  for (ExtractedClaim& c : x.claims) {
    rename(c.speaker);
    for (std::string& a : c.about) rename(a);
  }
  return Status::OK();
}

}  // namespace

Result<JsonlImportReport> ImportArticle(storage::Store& store, const Article& article, const std::string& key,
                                        const std::string& source, const JsonlImportOptions& options, double extract_seconds,
                                        const Gazetteer* gazetteer, const RuleSet* rules, const SentenceParser* parser) {
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
  if (!same) {
    PG_ASSIGN_OR_RETURN(same, store.FindDocumentByFingerprint(snap, TextFingerprint(article.body)));
  }
  // The same text again, under its own key or another, or laid out otherwise, adds no facts, and
  // is not read again: what the extractor reads depends on what the graph knows, which the first
  // import changed. Where it was found this time (its URL, its file) becomes one more location.
  if (same) {
    PG_ASSIGN_OR_RETURN(Document d, store.GetDocument(snap, *same));
    JsonlImportReport report;
    report.source = source;
    report.already_imported = true;
    report.already_message = "the same text was imported before, as document #" + std::to_string(*same) +
                             (d.title.empty() ? "" : " \"" + d.title + "\"");
    report.document = *same;
    PG_ASSIGN_OR_RETURN(std::vector<std::string> known, store.DocumentLocations(snap, *same));
    std::vector<std::string> places;
    for (const std::string& place : {article.url, options.document_location}) {
      if (!place.empty() && std::find(known.begin(), known.end(), place) == known.end() &&
          std::find(places.begin(), places.end(), place) == places.end()) {
        places.push_back(place);
      }
    }
    if (places.empty()) return report;
    PG_ASSIGN_OR_RETURN(std::unique_ptr<storage::ImportSession> session, store.BeginImport(options.session));
    for (const std::string& place : places) PG_RETURN_IF_ERROR(session->AddLocation(*same, place));
    const storage::ImportCounts counts = session->counts();
    PG_RETURN_IF_ERROR(session->Commit());
    report.counts = counts;
    return report;
  }
  xo.max_seconds = extract_seconds;
  xo.gazetteer = gazetteer;
  xo.rules = rules;
  xo.parser = parser;
  Result<Extraction> x = Extract(article, xo);
  if (!x.ok()) return Status(x.status().code(), x.status().message() + "; skipped").At(source, 0, 0);
  PG_RETURN_IF_ERROR(ResolveNames(store, snap, gazetteer, *x));
  std::istringstream facts(ToJsonl(article, *x, key, text_id));
  PG_ASSIGN_OR_RETURN(JsonlImportReport report, ImportJsonlStream(store, facts, source, options));
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> id, store.FindDocumentByKey(store.GetSnapshot(), key));
  if (id) report.document = *id;
  return report;
}

}  // namespace pactgraph::ingest
