// An ImportSession is one atomic write to the store: everything added through it lands in one
// RocksDB WriteBatch at Commit(), or nothing does (a session destroyed without Commit, or whose
// Commit fails, leaves the store exactly as it was).
//
// The session deduplicates as it goes: an entity line naming a known entity of the same type
// merges into it; a relation with the same type, subject, object and node-valued qualifiers as a
// known one becomes one more provenance entry of that relation. Reads inside a session see the
// store as it was when the session began plus what the session has added.
//
// Not thread-safe: one thread drives a session. The session holds the store's write lock for its
// whole life; it must not outlive the Store.
#ifndef PACTGRAPH_STORAGE_IMPORT_SESSION_H_
#define PACTGRAPH_STORAGE_IMPORT_SESSION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/flat_map.h"
#include "graph/model.h"
#include "graph/schema.h"
#include "graph/status.h"
#include "storage/store.h"

namespace rocksdb {
class WriteBatch;
}

namespace pactgraph::storage {

struct ImportOptions {
  bool sync = true;  // fsync the write-ahead log at Commit: the import survives a power cut
  // A unit with at least this many writes is committed as SST files ingested in one atomic
  // step rather than through the log and memtable: faster for bulk loads, equally atomic.
  uint32_t bulk_entries = 200000;
  // Memory bound of a bulk unit: when the pending relation writes reach this many bytes they
  // are sorted and set aside on disk as a run (0 = never), by a second thread while the import
  // goes on. At Commit a column family whose runs do not overlap (the families keyed by relation
  // id) has its runs ingested as they are; the runs of any other are merged into one file. All
  // are ingested in one step, so the unit stays atomic. Two batches may be in memory at once.
  size_t spill_bytes = (128u << 20) / 3;  // a third of kDefaultMemoryBudget
  // The memory an import's pending writes may take (`--memory-budget`): the batch being filled,
  // the one a spill thread is writing (a batch may pass its bound by one relation, an eighth at
  // most) and that one's sort index (about 0.8 of a batch). Sets spill_bytes to a third of it.
  // The session's tables of the entities and facts it has seen are not counted: they grow with
  // the import (README, "Memory of an import").
  static constexpr uint64_t kDefaultMemoryBudget = 128ull << 20;
  static constexpr uint64_t kMinMemoryBudget = 16ull << 20;
  void SetMemoryBudget(uint64_t bytes) { spill_bytes = static_cast<size_t>(bytes / 3); }
  // Tests only: fail with kAborted when the Nth relation is added (0 = never), or inside
  // Commit after the batch is built and before it is written.
  uint64_t fail_at_relation = 0;
  bool fail_in_commit = false;
};

// What an entity line says.
struct EntitySpec {
  std::string type;
  std::string name;
  std::vector<std::string> aliases;
  std::map<std::string, std::string> properties;
  // The line gave the entity its own id: it is distinct from every other entity this session
  // declared with an id, even one of the same name and type (merging with stored entities and
  // with entities only mentioned by name still happens).
  bool distinct = false;
};

// A qualifier before resolution: a node (already resolved to an id) or a literal.
struct RelationSpec {
  std::string type;
  EntityId subject = 0;
  EntityId object = 0;
  std::vector<Qualifier> qualifiers;
  std::map<std::string, std::string> properties;
};

struct AddOutcome {
  uint64_t id = 0;
  bool created = false;  // false: merged into an existing entity or relation
};

struct ImportCounts {
  uint64_t entities_new = 0;
  uint64_t entities_merged = 0;
  uint64_t relations_new = 0;
  uint64_t relations_merged = 0;
  uint64_t documents_new = 0;
  uint64_t documents_replaced = 0;   // a new version of a stored document (same key, other text)
  // A document line whose text is a stored document's (same fingerprint) under another key: its
  // key and URL became that document's, not a document of their own.
  uint64_t documents_merged = 0;
  uint64_t locations_new = 0;        // locations (URLs, file names) recorded for a document
  uint64_t relations_retracted = 0;  // relations only the old version stated, removed with it
};

class FactTable;

class ImportSession {
 public:
  ~ImportSession();
  ImportSession(const ImportSession&) = delete;
  ImportSession& operator=(const ImportSession&) = delete;

  const Schema& schema() const;

  // Creates the document that stands for the import unit itself (a file), so that its facts can
  // name it as their source before its content hash is known.
  Result<DocumentId> BeginUnit(const Document& doc);
  // Gives the unit its content hash, which also becomes its key ("sha256:HEX"). Fails with
  // kAlreadyExists, naming the earlier document, when that content was imported before: the
  // caller then drops the session, as everything in it is already stored.
  Status SealUnit(DocumentId unit, const std::string& content_hash);
  // The document with this key, created as a bare reference when it is unknown.
  Result<DocumentId> ResolveDocument(std::string_view key);
  // Creates or fills in the document with doc.key (fields that are empty keep their value).
  // When the stored document has a text and doc brings another one, doc is a new version: the
  // old version's provenance is retracted (every source that names the document goes), and at
  // commit a relation no other document supports is removed, with a claim only it made; what
  // this session states again from the new version stays.
  // A new key whose text has a stored document's fingerprint (graph/fingerprint.h) is that
  // document: the key and the URL are recorded for it, and no second document is made.
  Result<DocumentId> UpsertDocument(const Document& doc);
  // Records `location` (a URL or a file name) as a place document `doc` was found; a URL also
  // becomes one of its keys (unless another document has that key). Recording one twice is a no-op.
  Status AddLocation(DocumentId doc, const std::string& location);

  // Creates the entity, or merges into the entity of the same type whose canonical name
  // normalises the same (or one whose type was only implied): aliases and properties are added,
  // an implied type becomes the stated one. kInvalidArgument for an unknown type or an empty name.
  Result<AddOutcome> DeclareEntity(const EntitySpec& spec);
  // Resolves a name to one entity whose type is in `allowed` (any when empty): names declared or
  // created in this session first, then the store; a canonical name beats an alias. When none
  // matches and the name is unknown, creates an entity of type `allowed.front()` with the type
  // marked implied; with `allowed` empty that is kNotFound. A name known only as an entity of
  // another type returns that entity, so that AddRelation's type check reports the mismatch. Two equally good candidates are kInvalidArgument, listing them.
  Result<EntityId> ResolveName(std::string_view name, const std::vector<std::string>& allowed);
  // An entity whose name is not known yet (an id used before its entity line). It must be given
  // a name with FillPlaceholder before Commit.
  Result<EntityId> CreatePlaceholder(const std::string& implied_type);
  Status FillPlaceholder(EntityId id, const EntitySpec& spec);
  // The current type of an entity (as this session sees it).
  Result<std::string> EntityType(EntityId id);

  // Adds a relation, or more sources of the same relation. Checks the schema: the relation
  // type exists, subject and object have allowed types, every qualifier slot is allowed, node
  // slots point at entities of allowed types, no slot is given twice. kInvalidArgument otherwise.
  // REQUIRES: at least one source, each naming a document.
  Result<AddOutcome> AddRelation(const RelationSpec& spec, const std::vector<Provenance>& sources);

  const ImportCounts& counts() const { return counts_; }
  // Bytes the pending batch holds.
  size_t pending_bytes() const;

  // Writes everything in one atomic batch. After Commit (whatever its result) the session is
  // finished and every further call fails.
  Status Commit();

 private:
  friend class Store;
  ImportSession(Store* store, const ImportOptions& options);
  struct EntityState;

  Result<EntityState*> Load(EntityId id);
  EntityState* FindState(EntityId id);  // nullptr if the session has not loaded it
  EntityState* AddState(std::unique_ptr<EntityState> st);
  Result<std::vector<NameMatch>> Lookup(const std::string& key);
  void IndexNames(const Entity& e);
  Status CheckRetype(EntityState& st, const std::string& new_type);
  Status MergeInto(EntityState& st, const EntitySpec& spec);
  Status Usable() const;
  Status WriteOut();
  Status IngestBatch();
  // Sorts the pending writes by column family into files: as runs to merge later, or, when
  // `final` and a family has no earlier run, straight as the file to ingest.
  // A full batch is handed to a spill thread and the import goes on filling a new one; the
  // final spill (at Commit) is written in the caller's thread.
  Status SpillRun(bool final);
  Status WriteRun(rocksdb::WriteBatch& batch, int run, bool final, int threads);
  Status JoinSpill();
  // Merges the runs of family `cf` between `lower` (inclusive; empty: from the first key) and
  // `upper` (exclusive; empty: to the last) into `out`; *wrote is false when no key falls there
  // (and no file is made).
  Status MergeRuns(int cf, const std::string& lower, const std::string& upper, const std::string& out, bool* wrote);
  Status MakeSpillDir();

  Store* store_;
  ImportOptions options_;
  std::unique_lock<std::mutex> lock_;
  Snapshot snap_;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::unique_ptr<rocksdb::WriteBatch> spare_batch_;  // filled while the spill thread writes the other
  class EntryCollector;
  std::unique_ptr<EntryCollector> collector_;       // the entries of the run being written
  std::string spill_dir_;                        // set while the session has files on disk
  struct RunFile {
    std::string path;
    std::string first, last;  // its smallest and largest keys
    std::string middle;       // the key halfway through it, where a merge may split the family
  };
  std::vector<std::vector<RunFile>> runs_;       // per column family, oldest first
  std::thread spill_thread_;                     // writing the previous batch's run, if running
  Status spill_status_;                          // what it ended with
  std::vector<std::string> final_files_;         // per column family: the file to ingest
  int spills_ = 0;
  bool store_was_empty_ = false;
  bool finished_ = false;

  uint64_t next_entity_ = 1, next_relation_ = 1, next_document_ = 1;
  uint64_t relations_added_ = 0;
  // The entities this session has looked at or added, and where each is in that list.
  std::vector<std::unique_ptr<EntityState>> entity_states_;
  FlatU64Map entity_index_;
  std::unordered_map<std::string, std::vector<NameMatch>> names_;  // names this session added
  // Facts this session added, keyed by their `facts` key (a bulk load holds millions).
  std::unique_ptr<FactTable> facts_;
  std::unordered_map<std::string, DocumentId> doc_keys_;
  std::map<DocumentId, Document> documents_;                       // new or changed documents
  std::unordered_set<EntityId> placeholders_;
  std::map<std::string, int64_t> count_deltas_;                    // meta count key -> delta
  std::set<DocumentId> retracted_docs_;                            // documents being replaced
  std::set<RelationId> retracted_;                                 // relations that lost a source to them
  std::vector<bool> cited_;                                        // by document id: this session's sources name it
  std::map<std::string, DocumentId> fingerprints_;                 // texts this session stores
  std::set<std::string> dropped_fingerprints_;                     // entries of replaced texts
  std::set<std::pair<DocumentId, std::string>> locations_;         // new locations
  std::map<std::string, DocumentId> extra_keys_;                   // more keys of a document
  Status Retract(DocumentId doc);
  Status RemoveUnsupported();
  ImportCounts counts_;
};

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_IMPORT_SESSION_H_
