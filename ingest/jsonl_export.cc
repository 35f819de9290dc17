#include <cstdio>
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
      std::string line = "{\"kind\":\"document\",\"key\":" + JsonQuote(d.key);
      for (auto [field, value] : {std::pair{"type", &d.kind}, {"title", &d.title}, {"publisher", &d.publisher},
                                  {"date", &d.date}, {"url", &d.url}, {"hash", &d.content_hash},
                                  {"text", &d.text}}) {
        if (!value->empty()) line += std::string(",\"") + field + "\":" + JsonQuote(*value);
      }
      out_ << line << "}\n";
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
      std::string line = "{\"kind\":\"entity\"" + (by_id ? ",\"id\":" + refs_[e.id] : std::string()) +
                         ",\"name\":" + JsonQuote(e.name) +
                         ",\"type\":" + JsonQuote(e.type) + ",\"aliases\":[";
      for (size_t i = 0; i < e.aliases.size(); ++i) line += (i ? "," : "") + JsonQuote(e.aliases[i]);
      line += "]";
      line += PropertiesText(e.properties);
      out_ << line << "}\n";
      return true;
    }));
    return inner;
  }

  static std::string PropertiesText(const std::map<std::string, std::string>& props) {
    if (props.empty()) return "";
    std::string out = ",\"properties\":{";
    bool first = true;
    for (const auto& [k, v] : props) {
      out += (first ? "" : ",") + JsonQuote(k) + ":" + JsonQuote(v);
      first = false;
    }
    return out + "}";
  }

  Result<std::string> SourcesText(RelationId id) {
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
      std::string line = "{\"kind\":\"relation\",\"type\":" + JsonQuote(r.type) + ",\"subject\":" + refs_[r.subject] +
                         ",\"object\":" + refs_[r.object];
      if (!r.qualifiers.empty()) {
        line += ",\"qualifiers\":{";
        for (size_t i = 0; i < r.qualifiers.size(); ++i) {
          const Qualifier& q = r.qualifiers[i];
          line += (i ? "," : "") + JsonQuote(q.slot) + ":" + (q.is_node() ? refs_[q.node] : JsonQuote(q.literal));
        }
        line += "}";
      }
      line += PropertiesText(r.properties);
      Result<std::string> sources = SourcesText(r.id);
      if (!sources.ok()) {
        inner = sources.status();
        return false;
      }
      out_ << line << *sources << "}\n";
      return true;
    }));
    return inner;
  }

  Status Claims() {
    for (EntityId claim : claims_) {
      PG_ASSIGN_OR_RETURN(Entity e, store_.GetEntity(snap_, claim));
      std::string about;
      storage::RelationCursor ab = store_.Outgoing(snap_, claim, "ABOUT");
      for (; ab.Valid(); ab.Next()) about += (about.empty() ? "" : ",") + refs_[ab.relation().object];
      PG_RETURN_IF_ERROR(ab.status());
      storage::RelationCursor said = store_.Incoming(snap_, claim, "SAID");
      for (; said.Valid(); said.Next()) {
        PG_ASSIGN_OR_RETURN(std::string sources, SourcesText(said.relation().id));
        out_ << "{\"kind\":\"claim\",\"speaker\":" << refs_[said.relation().subject] << ",\"text\":" << JsonQuote(e.name)
             << ",\"about\":[" << about << "]" << sources << "}\n";
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

Status ExportJsonl(const storage::Store& store, std::ostream& out, const JsonlExportOptions& options) {
  Exporter exporter(store, out, options);
  return exporter.Run();
}

}  // namespace pactgraph::ingest
