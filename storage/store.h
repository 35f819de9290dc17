// The pactgraph store: one RocksDB database per graph (layout in storage/FORMAT.md).
//
// Thread safety: a Store is safe to share between threads. Reads go through a Snapshot and see
// one consistent state. Writes go through an ImportSession (import_session.h); one session at a
// time, the others wait. A Store opened read-only refuses to start a session.
//
// Processes: one process opens a database for writing (RocksDB's LOCK file); any number of other
// processes may open it read-only at the same time and see what was committed when they opened.
#ifndef PACTGRAPH_STORAGE_STORE_H_
#define PACTGRAPH_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/model.h"
#include "graph/schema.h"
#include "graph/status.h"

namespace rocksdb {
class DB;
struct Options;
class ColumnFamilyHandle;
class Env;
class Iterator;
class Snapshot;
}  // namespace rocksdb

namespace pactgraph::storage {

class ImportSession;
struct ImportOptions;
class RecordCache;
struct IndexRange;  // an index range read through the record cache (store.cc)

struct StoreOptions {
  bool create_if_missing = false;  // create the directory and an empty graph when absent
  bool read_only = false;          // never writes; may run beside a writing process
  size_t block_cache_bytes = 64u << 20;
  // Decoded entity and relation records kept for point reads (storage/internal/record_cache.h);
  // 0 keeps none.
  size_t record_cache_bytes = 32u << 20;
  // Writes are refused (kResourceExhausted) while the disk holding the database has less free
  // space than this plus what the write needs, so that a full disk is an error before RocksDB
  // meets it (a store whose log cannot be written stops taking writes until it is reopened).
  uint64_t min_free_bytes = 64u << 20;
  rocksdb::Env* env = nullptr;     // tests only: a RocksDB Env that injects faults; not owned
};

// A consistent read view. Must not outlive the Store it came from. Movable, not copyable.
class Snapshot {
 public:
  Snapshot(Snapshot&& other) noexcept;
  Snapshot& operator=(Snapshot&&) = delete;
  Snapshot(const Snapshot&) = delete;
  ~Snapshot();
  const rocksdb::Snapshot* get() const { return snap_; }
  // The sequence number of the last write this view sees: two views of one number see the same.
  uint64_t sequence() const;

 private:
  friend class Store;
  Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* snap) : db_(db), snap_(snap) {}
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

// A name found in the alias index.
struct NameMatch {
  EntityId id = 0;
  bool canonical = false;  // the entity's canonical name, not one of its aliases
};

// Relations of one entity, read through the adjacency index in (type, other, id) order.
// Usage: for (; c.Valid(); c.Next()) { use(c.relation()); }  then check c.status().
// What relation() returns is valid until Next(); copy what you keep.
class RelationCursor {
 public:
  RelationCursor(RelationCursor&&) noexcept;
  ~RelationCursor();
  bool Valid() const { return valid_; }
  void Next();
  const Relation& relation() const { return relation_; }
  bool outgoing() const { return outgoing_; }  // the entity is the subject (else the object)
  EntityId other() const { return outgoing_ ? relation_.object : relation_.subject; }
  const Status& status() const { return status_; }

 private:
  friend class Store;
  RelationCursor(const class Store* store, const Snapshot* snap);
  void Load();
  const class Store* store_;
  std::unique_ptr<IndexRange> range_;  // the entity's adjacency keys (store.cc)
  const Snapshot* snap_;
  bool valid_ = false;
  bool outgoing_ = true;
  Relation relation_;
  Status status_;
};

struct StoreStats {
  std::map<std::string, uint64_t> entities_by_type;   // every schema type, zero included
  std::map<std::string, uint64_t> relations_by_type;  // every schema type, zero included
  uint64_t entities = 0;
  uint64_t relations = 0;
  uint64_t documents = 0;
  uint64_t disk_bytes = 0;  // SST and log files of the database directory
};

struct CheckReport {
  uint64_t records = 0;        // records and index entries examined
  std::vector<std::string> problems;  // one sentence each; empty when consistent
  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  // Opens the database in `dir`. Fails with kNotFound when it does not exist (and
  // !options.create_if_missing; nothing is created then), kFailedPrecondition when another
  // process has it open for writing or it was written by a newer format version, and kIoError or
  // kCorruption when RocksDB cannot read it.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& dir() const { return dir_; }
  bool read_only() const { return read_only_; }
  // The format version the store was written in (storage/FORMAT.md): kFormatVersion, or an older
  // one for a store opened read-only that no newer pactgraph has written to.
  uint64_t format_version() const { return format_version_; }
  // The schema as of the last commit. Changes only through ExtendSchema; the reference stays
  // valid for the Store's life, but read it under no concurrent ExtendSchema.
  const Schema& schema() const { return schema_; }

  // Adds the types, slots and relation types of `additions` that are missing, and stores the
  // result. Fails with kAlreadyExists when a definition clashes with a stored one.
  Status ExtendSchema(const Schema& additions);

  Snapshot GetSnapshot() const;
  // RocksDB's last sequence number: changes with every committed write, so that a cache built
  // from the store (the query engine's graph projection) knows when to rebuild.
  uint64_t LatestSequence() const;

  // Point reads. kNotFound when the id is unknown, kCorruption when the record does not decode.
  Result<Entity> GetEntity(const Snapshot& snap, EntityId id) const;
  // The same record, shared with the record cache instead of copied (a reader that keeps many).
  Result<std::shared_ptr<const Entity>> GetEntityShared(const Snapshot& snap, EntityId id) const;
  Result<Relation> GetRelation(const Snapshot& snap, RelationId id) const;
  Result<Document> GetDocument(const Snapshot& snap, DocumentId id) const;
  // Every source of a relation, by document then sentence.
  Result<std::vector<Provenance>> GetProvenance(const Snapshot& snap, RelationId id) const;

  // Entities whose canonical name or an alias normalises (NormalizeKey) like `name`.
  Result<std::vector<NameMatch>> FindByName(const Snapshot& snap, std::string_view name) const;
  // Up to `limit` normalised names nearest to `name` (edit distance), for "did you mean".
  Result<std::vector<EntityId>> NearestNames(const Snapshot& snap, std::string_view name,
                                             size_t limit) const;
  // Entities with a name or alias that contains `name` as a run of whole words (after
  // normalisation): "hyper v" is in "hyper v server 2008" and in "windows server 2008 hyper v".
  // Scans the whole name index; at most `limit` ids, in name order.
  Result<std::vector<EntityId>> NamesContaining(const Snapshot& snap, std::string_view name, size_t limit) const;
  // Entities with a name or alias whose normalised form starts with `prefix`'s (for completion):
  // at most `limit` ids, in name order, each once.
  Result<std::vector<EntityId>> NamesWithPrefix(const Snapshot& snap, std::string_view prefix, size_t limit) const;
  // The document with this content hash or key, if any.
  Result<std::optional<DocumentId>> FindDocumentByHash(const Snapshot& snap, std::string_view hash) const;
  Result<std::optional<DocumentId>> FindDocumentByKey(const Snapshot& snap, std::string_view key) const;
  // The document whose text has this fingerprint (TextFingerprint, graph/fingerprint.h), if any:
  // the same story, however it was laid out or wherever it was found.
  Result<std::optional<DocumentId>> FindDocumentByFingerprint(const Snapshot& snap, std::string_view fingerprint) const;
  // Where document `id` was found, each once: its URL, the other URLs it was imported from, then
  // the files (each group in byte order). Empty for a document known by its key only.
  Result<std::vector<std::string>> DocumentLocations(const Snapshot& snap, DocumentId id) const;

  // Relations whose subject (Outgoing) or object (Incoming) is `id`, of relation type `type`, or of
  // every type when `type` is empty. An unknown type gives a cursor with a kInvalidArgument status.
  // The cursor must not outlive `snap`.
  RelationCursor Outgoing(const Snapshot& snap, EntityId id, std::string_view type = {}) const;
  RelationCursor Incoming(const Snapshot& snap, EntityId id, std::string_view type = {}) const;
  // Relations that have `id` as a node-valued qualifier in `slot` (every slot when empty).
  // With `relation_type` (REQUIRES a slot), only relations of that type.
  Result<std::vector<RelationId>> ByQualifier(const Snapshot& snap, EntityId id,
                                              std::string_view slot = {},
                                              std::string_view relation_type = {}) const;
  // One side of ShortestRange: the qualifier index entries of `values` in `slot` for relation
  // type `type` (one range per value, counted together), or, when `slot` is empty, the adjacency
  // of values[0] in one direction (`outgoing`) for `type` (every type when empty).
  struct RangeSide {
    std::vector<EntityId> values;
    std::string slot;
    bool outgoing = true;
    std::string type;
  };
  struct Shortest {
    int side = -1;        // which side ended first; -1 when every side reached the cap
    uint64_t length = 0;  // its length (the cap when none ended)
  };
  // Which side lists the fewest entries, read a key of each side at a time until one ends, so
  // that the reading stops at the shortest side's length (a planner's choice of access path):
  // of sides that end together, the first listed.
  Result<Shortest> ShortestRange(const Snapshot& snap, const std::vector<RangeSide>& sides, uint64_t cap) const;
  // One entry of the adjacency index, read from its key alone (no relation record).
  struct Neighbour {
    TypeId type = 0;
    EntityId other = 0;
    RelationId relation = 0;
  };
  // The neighbours of `id` in one direction, of `type` (every type when empty), from the keys.
  Status ForEachNeighbour(const Snapshot& snap, EntityId id, bool outgoing, std::string_view type,
                          const std::function<bool(const Neighbour&)>& fn) const;
  // Every adjacency entry in the outgoing direction, in key order: (subject, type, object,
  // relation). The whole graph's edges without decoding a record, for in-memory projections.
  Status ForEachEdgeKey(const Snapshot& snap,
                        const std::function<void(EntityId, TypeId, EntityId, RelationId)>& fn) const;
  // The same, read by `parts` threads at once, each over its own range of subjects (part 0 the
  // lowest): fn(part, ...) is called from that part's thread only, in key order within the part.
  Status ForEachEdgeKeyInParts(const Snapshot& snap, size_t parts,
                               const std::function<void(size_t, EntityId, TypeId, EntityId, RelationId)>& fn) const;

  // Whole-store scans in id order; the callback returns false to stop early.
  Status ForEachEntity(const Snapshot& snap, const std::function<bool(const Entity&)>& fn) const;
  Status ForEachRelation(const Snapshot& snap, const std::function<bool(const Relation&)>& fn) const;
  // Documents from id `first` on.
  Status ForEachDocument(const Snapshot& snap, const std::function<bool(const Document&)>& fn,
                         DocumentId first = 0) const;
  // Every provenance entry, by relation id, then document, then sentence.
  Status ForEachProvenance(const Snapshot& snap,
                           const std::function<bool(RelationId, const Provenance&)>& fn) const;
  // Every key and value of every column family, for tests that compare whole stores.
  Status ForEachRecord(const std::function<void(std::string_view cf, std::string_view key,
                                                std::string_view value)>& fn) const;

  // Counts kept at each commit; disk_bytes measured now.
  Result<StoreStats> Stats(const Snapshot& snap) const;
  // Walks every record and index entry and reports what does not match: an index entry without
  // its record, a record without its index entries, a count that disagrees with the records.
  Result<CheckReport> Check() const;
  // Tests only: puts `e` in the record cache at the latest sequence number, as if read there.
  void CacheEntityForTesting(const Entity& e);

  // Starts the one write session; waits while another session of this Store is open.
  // kFailedPrecondition on a read-only Store.
  Result<std::unique_ptr<ImportSession>> BeginImport(const ImportOptions& options);

  // Flushes memtables and compacts, so that on-disk size is measurable. For benchmarks.
  Status CompactForMeasurement();

  // Waits (at most `max_seconds`) until the flushes and compactions RocksDB has scheduled are
  // done. A short-lived writer calls it before it exits, so that every process's opening flush
  // is compacted and the number of files stays bounded. No-op on a read-only Store.
  Status Settle(double max_seconds = 120);

  // Merges a column family's small table files into one when it has more than a few dozen.
  // Each commit that goes through the log ends in small files with key ranges of their own,
  // which RocksDB moves down a level as they are instead of merging them, so without this the
  // number of files (and of file handles a reader needs) grows with every import. Called after
  // every commit; a failure leaves valid files and is not an error.
  void MergeSmallFiles();

  // kResourceExhausted when the disk has less than the margin (StoreOptions::min_free_bytes)
  // plus `need` bytes free. Every write session asks before it writes.
  Status CheckFreeSpace(uint64_t need) const;

 private:
  friend class ImportSession;
  friend class RelationCursor;
  Store() = default;
  rocksdb::ColumnFamilyHandle* cf(int i) const { return handles_[i]; }
  RelationCursor Adjacent(const Snapshot& snap, EntityId id, uint8_t dir, std::string_view type) const;
  Result<std::string> QualPrefix(EntityId id, std::string_view slot, std::string_view relation_type) const;
  Result<std::string> AdjPrefix(EntityId id, bool outgoing, std::string_view type) const;
  // Adds to `report` every copy in the record cache that differs from the store at the
  // cache's sequence number (when that is the store's latest; else the cache holds nothing a
  // reader at the latest snapshot would use, and nothing is compared).
  Status CheckRecordCache(CheckReport* report) const;
  // Records read from the store, not through the record cache (the Get* readers cache them).
  Result<Entity> ReadEntity(const Snapshot& snap, EntityId id) const;
  Result<Relation> ReadRelation(const Snapshot& snap, RelationId id) const;
  Result<std::vector<Provenance>> ReadProvenance(const Snapshot& snap, RelationId id) const;
  // The name index's entries for a normalized name, read from the store.
  Result<std::vector<NameMatch>> ReadName(const Snapshot& snap, const std::string& key) const;
  // The keys of column family `family` that start with `prefix`, through the record cache;
  // fn(key) returns false to stop.
  Status ScanIndex(int family, const Snapshot& snap, const std::string& prefix,
                   const std::function<bool(std::string_view)>& fn) const;
  // Opens `out` on the keys of `family` that start with `prefix`: their first keys from the
  // record cache (or read and then kept there), the rest from the store.
  Status OpenIndexRange(int family, const Snapshot& snap, const std::string& prefix, IndexRange* out) const;
  Result<Document> ReadDocument(const Snapshot& snap, DocumentId id) const;
  Status LoadMeta(bool creating);
  Status AddFingerprints();
  bool HasAnyRecord() const;
  Result<uint64_t> ReadCounter(const Snapshot* snap, std::string_view key) const;

  std::string dir_;
  bool read_only_ = false;
  uint64_t format_version_ = 0;
  uint64_t min_free_bytes_ = 0;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  Schema schema_;
  std::mutex write_mu_;  // held by the open ImportSession
  std::shared_ptr<void> cache_;  // the block cache, kept alive with the table options
  std::unique_ptr<RecordCache> records_;
  std::unique_ptr<rocksdb::Options> sst_options_;  // how bulk imports write their SST files
};

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_STORE_H_
