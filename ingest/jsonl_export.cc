#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/names.h"
#include "ingest/jsonl.h"

namespace pactgraph::ingest {

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

namespace {

std::string PropertiesText(const std::map<std::string, std::string>& props) {
  if (props.empty()) return "";
  std::string out = ",\"properties\":{";
  bool first = true;
  for (const auto& [k, v] : props) {
    out += (first ? "" : ",") + JsonQuote(k) + ":" + JsonQuote(v);
    first = false;
  }
  return out + "}";
}

std::string ConfidenceText(float c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(c));
  return buf;
}

class Exporter {
 public:
  Exporter(const storage::Store& store, std::ostream& out, const JsonlExportOptions& options)
      : store_(store), out_(out), options_(options), snap_(store.GetSnapshot()) {}

  Status Run() {
    PG_RETURN_IF_ERROR(Documents());
    PG_RETURN_IF_ERROR(Entities());
    PG_RETURN_IF_ERROR(Relations());
    PG_RETURN_IF_ERROR(Claims());
    out_.flush();
    if (!out_) return Status::IoError("writing the export failed");
    return Status::OK();
  }

 private:
  // Every document, in id order, except the import units no source cites: a facts file stands
  // for itself only where a fact points back at one of its lines. Documents that state no
  // relation (a document line alone, an article with nothing found yet) are written too, so that
  // an export imported again holds the same documents.
  Status Documents() {
    std::set<DocumentId> used;
    PG_RETURN_IF_ERROR(store_.ForEachProvenance(snap_, [&](RelationId, const Provenance& p) {
      used.insert(p.document);
      return true;
    }));
    return store_.ForEachDocument(snap_, [&](const Document& d) {
      const bool unit = d.kind == "facts" && d.key.rfind("sha256:", 0) == 0;
      if (unit && !used.count(d.id)) return true;
      doc_keys_[d.id] = d.key;
      out_ << FactLines::Close(FactLines::Document({d.key, d.kind, d.title, d.publisher, d.date, d.url, d.content_hash, d.text}));
      return true;
    });
  }

  Status Entities() {
    // Pass 1: which canonical names are shared, so that references to them use ids.
    std::unordered_map<std::string, int> seen;
    PG_RETURN_IF_ERROR(store_.ForEachEntity(snap_, [&](const Entity& e) {
      ++seen[NormalizeKey(e.name)];
      return true;
    }));
    // Pass 2: entity lines; claims that someone said become claim lines later.
    Status inner;
    PG_RETURN_IF_ERROR(store_.ForEachEntity(snap_, [&](const Entity& e) {
      const bool by_id = options_.ids || seen[NormalizeKey(e.name)] > 1;
      refs_[e.id] = JsonQuote(e.name);
      if (e.type == "Claim") {
        storage::RelationCursor said = store_.Incoming(snap_, e.id, "SAID");
        const bool spoken = said.Valid();
        if (!said.status().ok()) {
          inner = said.status();
          return false;
        }
        if (spoken) {
          claims_.push_back(e.id);
          return true;
        }
      }
      // Ids are numbered in the file (1, 2, …), not taken from the store, so that a re-import,
      // which may number entities differently, exports the same lines.
      if (by_id) refs_[e.id] = std::to_string(++next_file_id_);
      out_ << FactLines::Close(FactLines::Entity(by_id ? refs_[e.id] : std::string(), e.name, e.type, e.aliases, e.properties));
      return true;
    }));
    return inner;
  }

  // `own`: the relation's literal qualifiers; a source that stated others carries them.
  Result<std::string> SourcesText(RelationId id, const std::map<std::string, std::string>& own = {}) {
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, id));
    std::string out = ",\"sources\":[";
    for (size_t i = 0; i < sources.size(); ++i) {
      const Provenance& p = sources[i];
      out += (i ? ",{" : "{");
      out += "\"doc\":" + JsonQuote(doc_keys_[p.document]);
      if (p.sentence) out += ",\"sentence\":" + std::to_string(p.sentence);
      if (p.span_begin || p.span_end) out += ",\"span\":[" + std::to_string(p.span_begin) + "," + std::to_string(p.span_end) + "]";
      if (p.line) out += ",\"line\":" + std::to_string(p.line);
      if (p.extractor != "jsonl") out += ",\"extractor\":" + JsonQuote(p.extractor);
      if (p.confidence != 1.0f) out += ",\"confidence\":" + ConfidenceText(p.confidence);
      if (!p.evidence.empty()) out += ",\"evidence\":" + JsonQuote(p.evidence);
      if (p.literals && *p.literals != own) {
        out += ",\"stated\":{";
        size_t k = 0;
        for (const auto& [slot, value] : *p.literals) out += (k++ ? "," : "") + JsonQuote(slot) + ":" + JsonQuote(value);
        out += "}";
      }
      out += "}";
    }
    return out + "]";
  }

  Status Relations() {
    std::unordered_set<EntityId> spoken(claims_.begin(), claims_.end());
    Status inner;
    PG_RETURN_IF_ERROR(store_.ForEachRelation(snap_, [&](const Relation& r) {
      // SAID and ABOUT of a claim someone said are written as that claim's line.
      if (r.type == "SAID" || (r.type == "ABOUT" && spoken.count(r.subject))) return true;
      std::vector<std::pair<std::string, std::string>> qualifiers;
      for (const Qualifier& q : r.qualifiers) qualifiers.emplace_back(q.slot, q.is_node() ? refs_[q.node] : JsonQuote(q.literal));
      const std::string line = FactLines::Relation(r.type, refs_[r.subject], refs_[r.object], qualifiers, r.properties);
      std::map<std::string, std::string> own;
      for (const Qualifier& q : r.qualifiers) {
        if (!q.is_node()) own[q.slot] = q.literal;
      }
      Result<std::string> sources = SourcesText(r.id, own);
      if (!sources.ok()) {
        inner = sources.status();
        return false;
      }
      out_ << FactLines::Close(line + *sources);
      return true;
    }));
    return inner;
  }

  Status Claims() {
    for (EntityId claim : claims_) {
      PG_ASSIGN_OR_RETURN(Entity e, store_.GetEntity(snap_, claim));
      std::vector<std::string> about;
      storage::RelationCursor ab = store_.Outgoing(snap_, claim, "ABOUT");
      for (; ab.Valid(); ab.Next()) about.push_back(refs_[ab.relation().object]);
      PG_RETURN_IF_ERROR(ab.status());
      storage::RelationCursor said = store_.Incoming(snap_, claim, "SAID");
      for (; said.Valid(); said.Next()) {
        PG_ASSIGN_OR_RETURN(std::string sources, SourcesText(said.relation().id));
        out_ << FactLines::Close(FactLines::Claim(refs_[said.relation().subject], e.name, about) + sources);
      }
      PG_RETURN_IF_ERROR(said.status());
    }
    return Status::OK();
  }

  const storage::Store& store_;
  std::ostream& out_;
  JsonlExportOptions options_;
  storage::Snapshot snap_;
  std::unordered_map<DocumentId, std::string> doc_keys_;
  std::unordered_map<EntityId, std::string> refs_;  // how a reference to each entity is written
  uint64_t next_file_id_ = 0;
  std::vector<EntityId> claims_;
};

}  // namespace

std::string FactLines::Document(const DocumentFields& d) {
  std::string line = "{\"kind\":\"document\",\"key\":" + JsonQuote(d.key);
  for (auto [field, value] : {std::pair{"type", d.type}, {"title", d.title}, {"publisher", d.publisher}, {"date", d.date},
                              {"url", d.url}, {"hash", d.hash}, {"text", d.text}}) {
    if (!value.empty()) line += std::string(",\"") + field + "\":" + JsonQuote(value);
  }
  return line;
}

std::string FactLines::Entity(const std::string& id_ref, std::string_view name, std::string_view type,
                              const std::vector<std::string>& aliases, const std::map<std::string, std::string>& properties) {
  std::string line = "{\"kind\":\"entity\"" + (id_ref.empty() ? std::string() : ",\"id\":" + id_ref) + ",\"name\":" +
                     JsonQuote(name) + ",\"type\":" + JsonQuote(type) + ",\"aliases\":[";
  for (size_t i = 0; i < aliases.size(); ++i) line += (i ? "," : "") + JsonQuote(aliases[i]);
  return line + "]" + PropertiesText(properties);
}

std::string FactLines::Relation(std::string_view type, const std::string& subject_ref, const std::string& object_ref,
                                const std::vector<std::pair<std::string, std::string>>& qualifiers,
                                const std::map<std::string, std::string>& properties) {
  std::string line = "{\"kind\":\"relation\",\"type\":" + JsonQuote(type) + ",\"subject\":" + subject_ref + ",\"object\":" + object_ref;
  if (!qualifiers.empty()) {
    line += ",\"qualifiers\":{";
    for (size_t i = 0; i < qualifiers.size(); ++i) line += (i ? "," : "") + JsonQuote(qualifiers[i].first) + ":" + qualifiers[i].second;
    line += "}";
  }
  return line + PropertiesText(properties);
}

std::string FactLines::Claim(const std::string& speaker_ref, std::string_view text, const std::vector<std::string>& about_refs) {
  std::string line = "{\"kind\":\"claim\",\"speaker\":" + speaker_ref + ",\"text\":" + JsonQuote(text) + ",\"about\":[";
  for (size_t i = 0; i < about_refs.size(); ++i) line += (i ? "," : "") + about_refs[i];
  return line + "]";
}

Status ExportJsonl(const storage::Store& store, std::ostream& out, const JsonlExportOptions& options) {
  Exporter exporter(store, out, options);
  return exporter.Run();
}

}  // namespace pactgraph::ingest
