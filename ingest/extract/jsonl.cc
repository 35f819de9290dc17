// The facts as JSON lines in the corpus shape (see ingest/extract.h).
#include "ingest/extract.h"

#include <sstream>

#include "ingest/jsonl.h"

namespace pactgraph::ingest {

std::string ToJsonl(const Article& article, const Extraction& x, const std::string& doc_key, const std::string& doc_hash) {
  std::ostringstream out;
  if (!doc_key.empty()) {
    out << "{\"kind\":\"document\",\"key\":" << JsonQuote(doc_key) << ",\"type\":\"article\",\"title\":" << JsonQuote(article.title)
        << ",\"publisher\":" << JsonQuote(article.publisher) << ",\"date\":" << JsonQuote(article.date)
        << ",\"url\":" << JsonQuote(article.url) << ",\"text\":" << JsonQuote(article.body);
    if (!doc_hash.empty()) out << ",\"hash\":" << JsonQuote(doc_hash);
    out << "}\n";
  }
  for (const ExtractedEntity& e : x.entities) {
    out << "{\"kind\":\"entity\",\"name\":" << JsonQuote(e.name) << ",\"type\":" << JsonQuote(e.type) << ",\"aliases\":[";
    for (size_t i = 0; i < e.aliases.size(); ++i) out << (i ? "," : "") << JsonQuote(e.aliases[i]);
    out << "]}\n";
  }
  auto source = [&](const FactSource& s) {
    if (doc_key.empty()) return;
    out << ",\"source\":{\"doc\":" << JsonQuote(doc_key) << ",\"sentence\":" << s.sentence;
    if (s.end > s.begin) out << ",\"span\":[" << s.begin << "," << s.end << "]";
    out << ",\"extractor\":" << JsonQuote(s.rule) << ",\"confidence\":" << s.confidence << "}";
  };
  for (const ExtractedRelation& r : x.relations) {
    out << "{\"kind\":\"relation\",\"type\":" << JsonQuote(r.type) << ",\"subject\":" << JsonQuote(r.subject)
        << ",\"object\":" << JsonQuote(r.object);
    if (!r.qualifiers.empty()) {
      out << ",\"qualifiers\":{";
      bool first = true;
      for (const auto& [k, v] : r.qualifiers) {
        out << (first ? "" : ",") << JsonQuote(k) << ":" << JsonQuote(v);
        first = false;
      }
      out << "}";
    }
    out << ",\"evidence\":" << JsonQuote(r.source.evidence);
    source(r.source);
    out << "}\n";
  }
  for (const ExtractedClaim& c : x.claims) {
    out << "{\"kind\":\"claim\",\"speaker\":" << JsonQuote(c.speaker) << ",\"text\":" << JsonQuote(c.text) << ",\"about\":[";
    for (size_t i = 0; i < c.about.size(); ++i) out << (i ? "," : "") << JsonQuote(c.about[i]);
    out << "],\"evidence\":" << JsonQuote(c.source.evidence);
    source(c.source);
    out << "}\n";
  }
  return out.str();
}

}  // namespace pactgraph::ingest
