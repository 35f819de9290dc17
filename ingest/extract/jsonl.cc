// The facts as JSON lines in the corpus shape (see ingest/extract.h).
#include "ingest/extract.h"

#include <map>
#include <sstream>

#include "ingest/jsonl.h"

namespace pactgraph::ingest {

std::string ToJsonl(const Article& article, const Extraction& x, const std::string& doc_key, const std::string& doc_hash) {
  std::ostringstream out;
  if (!doc_key.empty()) {
    out << FactLines::Close(
        FactLines::Document({doc_key, "article", article.title, article.publisher, article.date, article.url, doc_hash, article.body}));
  }
  static const std::map<std::string, std::string> kNoProperties;
  for (const ExtractedEntity& e : x.entities) out << FactLines::Close(FactLines::Entity("", e.name, e.type, e.aliases, kNoProperties));
  // The corpus shape: each fact with its evidence, and its source when the document is named.
  auto tail = [&](const FactSource& s) {
    std::string t = ",\"evidence\":" + JsonQuote(s.evidence);
    if (doc_key.empty()) return t;
    std::ostringstream src;
    src << ",\"source\":{\"doc\":" << JsonQuote(doc_key) << ",\"sentence\":" << s.sentence;
    if (s.end > s.begin) src << ",\"span\":[" << s.begin << "," << s.end << "]";
    src << ",\"extractor\":" << JsonQuote(s.rule) << ",\"confidence\":" << s.confidence << "}";
    return t + src.str();
  };
  for (const ExtractedRelation& r : x.relations) {
    std::vector<std::pair<std::string, std::string>> qualifiers;
    for (const auto& [k, v] : r.qualifiers) qualifiers.emplace_back(k, JsonQuote(v));
    out << FactLines::Close(FactLines::Relation(r.type, JsonQuote(r.subject), JsonQuote(r.object), qualifiers, kNoProperties) + tail(r.source));
  }
  for (const ExtractedClaim& c : x.claims) {
    std::vector<std::string> about;
    for (const std::string& a : c.about) about.push_back(JsonQuote(a));
    out << FactLines::Close(FactLines::Claim(JsonQuote(c.speaker), c.text, about) + tail(c.source));
  }
  return out.str();
}

}  // namespace pactgraph::ingest
