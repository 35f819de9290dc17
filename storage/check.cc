// Store::Check: every index entry has its record and every record its index entries.
#include <rocksdb/db.h>

#include <map>
#include <set>
#include <unordered_map>

#include "graph/fingerprint.h"
#include "graph/names.h"
#include "storage/internal/coding.h"
#include "storage/internal/keys.h"
#include "storage/internal/records.h"
#include "storage/store.h"

namespace pactgraph::storage {
namespace {

constexpr size_t kMaxProblems = 100;

class Checker {
 public:
  Checker(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles, const Schema& schema,
          uint64_t format_version)
      : db_(db), handles_(handles), schema_(schema), format_version_(format_version) {
    snap_ = db_->GetSnapshot();
    ro_.snapshot = snap_;
  }
  ~Checker() { db_->ReleaseSnapshot(snap_); }

  Status Run(CheckReport* report) {
    report_ = report;
    PG_RETURN_IF_ERROR(Entities());
    PG_RETURN_IF_ERROR(Names());
    PG_RETURN_IF_ERROR(Relations());
    PG_RETURN_IF_ERROR(Adjacency());
    PG_RETURN_IF_ERROR(Qualifiers());
    PG_RETURN_IF_ERROR(Facts());
    PG_RETURN_IF_ERROR(ProvenanceEntries());
    PG_RETURN_IF_ERROR(Documents());
    PG_RETURN_IF_ERROR(Counts());
    if (suppressed_ > 0) {
      report_->problems.push_back("... and " + std::to_string(suppressed_) + " more problems");
    }
    return Status::OK();
  }

 private:
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles_[static_cast<int>(c)]; }

  void Problem(std::string what) {
    if (report_->problems.size() < kMaxProblems) {
      report_->problems.push_back(std::move(what));
    } else {
      ++suppressed_;
    }
  }

  bool Has(Cf c, const std::string& key, std::string* value = nullptr) {
    std::string v;
    rocksdb::Status s = db_->Get(ro_, cf(c), key, value ? value : &v);
    if (!s.ok() && !s.IsNotFound()) Problem("reading " + std::string(kCfNames[int(c)]) + ": " + s.ToString());
    return s.ok();
  }

  template <typename Fn>
  Status Scan(Cf c, Fn fn) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro_, cf(c)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_->records;
      fn(it->key().ToStringView(), it->value().ToStringView());
    }
    if (!it->status().ok()) return Status::IoError("scanning " + std::string(kCfNames[int(c)]) + ": " + it->status().ToString());
    return Status::OK();
  }

  Status Entities() {
    return Scan(Cf::kNodes, [&](std::string_view k, std::string_view v) {
      if (k.size() != 8) return Problem("nodes: malformed key");
      const EntityId id = GetBig64(k.data());
      Result<Entity> e = DecodeEntity(schema_, id, v);
      if (!e.ok()) return Problem(e.status().message());
      entity_types_[id] = e->type;
      ++entity_counts_[e->type];
      auto expect = [&](const std::string& name, bool canonical) {
        const std::string key = NormalizeKey(name);
        if (key.empty()) return;
        std::string flag;
        if (!Has(Cf::kNames, NameKey(key, id), &flag)) {
          Problem("entity #" + std::to_string(id) + " \"" + e->name + "\": name \"" + name + "\" is missing from the name index");
        } else if (canonical && (flag.empty() || flag[0] != 1)) {
          Problem("entity #" + std::to_string(id) + ": canonical name not marked canonical in the name index");
        }
      };
      expect(e->name, true);
      for (const std::string& a : e->aliases) expect(a, false);
      names_of_[id].insert(NormalizeKey(e->name));
      for (const std::string& a : e->aliases) names_of_[id].insert(NormalizeKey(a));
    });
  }

  Status Names() {
    return Scan(Cf::kNames, [&](std::string_view k, std::string_view) {
      std::string_view normalized;
      EntityId id = 0;
      if (!ParseNameKey(k, &normalized, &id)) return Problem("names: malformed key");
      auto it = names_of_.find(id);
      if (it == names_of_.end()) {
        Problem("name index entry \"" + std::string(normalized) + "\" points at missing entity #" + std::to_string(id));
      } else if (!it->second.count(std::string(normalized))) {
        Problem("name index entry \"" + std::string(normalized) + "\" is not a name of entity #" + std::to_string(id));
      }
    });
  }

  Status Relations() {
    return Scan(Cf::kEdges, [&](std::string_view k, std::string_view v) {
      if (k.size() != 8) return Problem("edges: malformed key");
      const RelationId id = GetBig64(k.data());
      Result<Relation> r = DecodeRelation(schema_, id, v);
      if (!r.ok()) return Problem(r.status().message());
      const std::string rid = "relation #" + std::to_string(id) + " " + r->type;
      ++relation_counts_[r->type];
      relations_[id] = FactKeyFor(schema_, r.value());
      const TypeId type = schema_.FindRelationType(r->type)->id;
      for (EntityId e : {r->subject, r->object}) {
        if (!entity_types_.count(e)) Problem(rid + " names missing entity #" + std::to_string(e));
      }
      if (!Has(Cf::kAdj, AdjKey(r->subject, Dir::kOut, type, r->object, id))) Problem(rid + " has no outgoing adjacency entry");
      if (!Has(Cf::kAdj, AdjKey(r->object, Dir::kIn, type, r->subject, id))) Problem(rid + " has no incoming adjacency entry");
      for (const Qualifier& q : r->qualifiers) {
        if (!q.is_node()) continue;
        node_quals_[id].insert(q.node);
        if (!entity_types_.count(q.node)) Problem(rid + " qualifier " + q.slot + " names missing entity #" + std::to_string(q.node));
        if (!Has(Cf::kQual, QualKey(q.node, schema_.FindSlot(q.slot)->id, type, id))) {
          Problem(rid + " has no qualifier index entry for " + q.slot);
        }
      }
      std::string value;
      if (!Has(Cf::kFacts, relations_[id], &value)) {
        Problem(rid + " has no deduplication entry");
      } else if (value.size() != 8 || GetBig64(value.data()) != id) {
        Problem(rid + ": its deduplication entry points at another relation");
      }
      if (!HasProvenance(id)) Problem(rid + " has no provenance");
    });
  }

  bool HasProvenance(RelationId id) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro_, cf(Cf::kProv)));
    const std::string prefix = IdKey(id);
    it->Seek(prefix);
    return it->Valid() && it->key().starts_with(prefix);
  }

  Status Adjacency() {
    return Scan(Cf::kAdj, [&](std::string_view k, std::string_view) {
      AdjEntry e{};
      if (!ParseAdjKey(k, &e)) return Problem("adj: malformed key");
      auto it = relations_.find(e.relation);
      if (it == relations_.end()) {
        return Problem("adjacency entry of entity #" + std::to_string(e.node) + " points at missing relation #" + std::to_string(e.relation));
      }
      const std::string want = e.dir == Dir::kOut ? AdjKey(e.node, Dir::kOut, e.type, e.other, e.relation)
                                                   : AdjKey(e.other, Dir::kOut, e.type, e.node, e.relation);
      // The outgoing entry of the relation must be exactly this one, or the mirror of this one.
      if (!Has(Cf::kAdj, want)) {
        Problem("adjacency entry of entity #" + std::to_string(e.node) + " does not match relation #" + std::to_string(e.relation));
      }
    });
  }

  Status Qualifiers() {
    return Scan(Cf::kQual, [&](std::string_view k, std::string_view) {
      QualEntry e{};
      if (!ParseQualKey(k, &e)) return Problem("qual: malformed key");
      auto it = node_quals_.find(e.relation);
      if (it == node_quals_.end() || !it->second.count(e.value)) {
        Problem("qualifier index entry for entity #" + std::to_string(e.value) + " does not match relation #" + std::to_string(e.relation));
      }
    });
  }

  Status Facts() {
    return Scan(Cf::kFacts, [&](std::string_view k, std::string_view v) {
      if (v.size() != 8) return Problem("facts: malformed value");
      const RelationId id = GetBig64(v.data());
      auto it = relations_.find(id);
      if (it == relations_.end() || it->second != k) {
        Problem("deduplication entry points at relation #" + std::to_string(id) + ", which does not state that fact");
      }
    });
  }

  Status ProvenanceEntries() {
    return Scan(Cf::kProv, [&](std::string_view k, std::string_view v) {
      if (k.size() != kProvKeySize) return Problem("prov: malformed key");
      const RelationId rel = GetBig64(k.data());
      const DocumentId doc = GetBig64(k.data() + 8);
      if (!relations_.count(rel)) Problem("provenance entry of missing relation #" + std::to_string(rel));
      prov_docs_.insert(doc);
      Result<Provenance> p = DecodeProvenance(doc, GetBig32(k.data() + 16), v);
      if (!p.ok()) Problem(p.status().message());
    });
  }

  Status Documents() {
    std::set<DocumentId> docs;
    std::unordered_map<DocumentId, std::string> fingerprints;  // of the documents with a text
    PG_RETURN_IF_ERROR(Scan(Cf::kDocs, [&](std::string_view k, std::string_view v) {
      if (k.size() != 8) return Problem("docs: malformed key");
      const DocumentId id = GetBig64(k.data());
      Result<Document> d = DecodeDocument(id, v);
      if (!d.ok()) return Problem(d.status().message());
      docs.insert(id);
      std::string value;
      if (!Has(Cf::kDocIndex, DocRefKey(d->key), &value) || value.size() != 8 || GetBig64(value.data()) != id) {
        Problem("document #" + std::to_string(id) + " \"" + d->key + "\" is missing from the document index");
      }
      if (!d->content_hash.empty() &&
          (!Has(Cf::kDocIndex, DocHashKey(d->content_hash), &value) || value.size() != 8 || GetBig64(value.data()) != id)) {
        Problem("document #" + std::to_string(id) + " is missing from the content-hash index");
      }
      std::string fp = TextFingerprint(d->text);
      if (!fp.empty()) fingerprints.emplace(id, std::move(fp));
    }));
    document_count_ = docs.size();
    for (DocumentId d : prov_docs_) {
      if (!docs.count(d)) Problem("provenance names missing document #" + std::to_string(d));
    }
    // Each text's fingerprint names a document with that text (the first of equal texts). A
    // store of format 1 has none until it is opened for writing.
    if (format_version_ >= 2) {
      for (const auto& [id, fp] : fingerprints) {
        std::string value;
        if (!Has(Cf::kDocIndex, DocFingerprintKey(fp), &value) || value.size() != 8) {
          Problem("document #" + std::to_string(id) + " is missing from the fingerprint index");
          continue;
        }
        const auto holder = fingerprints.find(GetBig64(value.data()));
        if (holder == fingerprints.end() || holder->second != fp) {
          Problem("the fingerprint index sends document #" + std::to_string(id) + "'s text to document #" +
                  std::to_string(GetBig64(value.data())) + ", whose text differs");
        }
      }
    }
    return Scan(Cf::kDocIndex, [&](std::string_view k, std::string_view v) {
      if (!k.empty() && k[0] == 'l') {
        if (k.size() <= 9 || !v.empty()) return Problem("document index: malformed location entry");
        if (!docs.count(GetBig64(k.data() + 1))) Problem("a location names missing document #" + std::to_string(GetBig64(k.data() + 1)));
        return;
      }
      if (v.size() != 8 || !docs.count(GetBig64(v.data()))) return Problem("document index entry points at a missing document");
      if (!k.empty() && k[0] == 'f') {
        const auto it = fingerprints.find(GetBig64(v.data()));
        if (it == fingerprints.end() || DocFingerprintKey(it->second) != k) {
          Problem("fingerprint index entry for document #" + std::to_string(GetBig64(v.data())) +
                  " does not match its text");
        }
      }
    });
  }

  uint64_t Counter(const std::string& key) {
    std::string v;
    if (!Has(Cf::kMeta, key, &v) || v.size() != 8) return 0;
    return GetBig64(v.data());
  }

  Status Counts() {
    for (const EntityTypeDef& t : schema_.entity_types()) {
      const uint64_t stored = Counter(EntityCountKey(t.id));
      if (stored != entity_counts_[t.name]) {
        Problem("count of " + t.name + " entities is " + std::to_string(stored) + " but " +
                std::to_string(entity_counts_[t.name]) + " are stored");
      }
    }
    for (const RelationTypeDef& t : schema_.relation_types()) {
      const uint64_t stored = Counter(RelationCountKey(t.id));
      if (stored != relation_counts_[t.name]) {
        Problem("count of " + t.name + " relations is " + std::to_string(stored) + " but " +
                std::to_string(relation_counts_[t.name]) + " are stored");
      }
    }
    if (Counter(std::string(kMetaDocumentCount)) != document_count_) Problem("document count disagrees with the documents stored");
    return Status::OK();
  }

  rocksdb::DB* db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
  const Schema& schema_;
  const uint64_t format_version_;
  const rocksdb::Snapshot* snap_;
  rocksdb::ReadOptions ro_;
  CheckReport* report_ = nullptr;
  size_t suppressed_ = 0;
  std::unordered_map<EntityId, std::string> entity_types_;
  std::unordered_map<EntityId, std::set<std::string>> names_of_;
  std::unordered_map<RelationId, std::string> relations_;  // id -> fact key
  std::unordered_map<RelationId, std::set<EntityId>> node_quals_;
  std::set<DocumentId> prov_docs_;
  std::map<std::string, uint64_t> entity_counts_, relation_counts_;
  uint64_t document_count_ = 0;
};

}  // namespace

Result<CheckReport> Store::Check() const {
  CheckReport report;
  Checker checker(db_.get(), handles_, schema_, format_version_);
  PG_RETURN_IF_ERROR(checker.Run(&report));
  PG_RETURN_IF_ERROR(CheckRecordCache(&report));
  return report;
}

}  // namespace pactgraph::storage
