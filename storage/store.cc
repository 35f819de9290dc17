#include "storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <type_traits>

#include "graph/fingerprint.h"
#include "graph/names.h"
#include "graph/text.h"
#include "storage/import_session.h"
#include "storage/internal/coding.h"
#include "storage/internal/keys.h"
#include "storage/internal/record_cache.h"
#include "storage/internal/records.h"

namespace pactgraph::storage {
namespace fs = std::filesystem;

namespace {

Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  const std::string what = context + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(what);
  if (s.IsCorruption()) return Status::Corruption(what);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(what);
  return Status::IoError(what);
}

rocksdb::ReadOptions ReadAt(const Snapshot* snap) {
  rocksdb::ReadOptions ro;
  if (snap) ro.snapshot = snap->get();
  return ro;
}

rocksdb::CompressionType BestCompression() {
  const std::vector<rocksdb::CompressionType> have = rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType want : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(have.begin(), have.end(), want) != have.end()) return want;
  }
  return rocksdb::kNoCompression;
}

// The smallest key greater than every key that starts with `prefix`, or "" when there is none.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xFF) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace

// ---------------------------------------------------------------------------------- Snapshot

Snapshot::Snapshot(Snapshot&& other) noexcept : db_(other.db_), snap_(other.snap_) {
  other.snap_ = nullptr;
}

Snapshot::~Snapshot() {
  if (snap_) db_->ReleaseSnapshot(snap_);
}

uint64_t Snapshot::sequence() const {
  if (snap_) return snap_->GetSequenceNumber();
  return db_ ? db_->GetLatestSequenceNumber() : 0;  // no view of its own: reads see the latest
}

// ---------------------------------------------------------------------------------- Open

namespace {

// The files RocksDB makes while it creates a database, before CURRENT exists: a folder holding
// only these is a creation that was interrupted, not somebody's folder.
bool MadeByAnInterruptedCreation(const fs::path& dir) {
  // RocksDB's own names only: "LOG", "LOG.old.<n>", "<digits>.log", "<digits>.dbtmp",
  // "MANIFEST-<digits>", "OPTIONS-<digits>", "IDENTITY", "LOCK" (and our ingest.tmp), so that a
  // folder holding somebody's "server.log" is not taken for one.
  auto digits = [](std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; };
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    const std::string_view v = n;
    const size_t dot = v.rfind('.');
    const bool ours = n == "LOCK" || n == "IDENTITY" || n == "LOG" || n == "ingest.tmp" || v.starts_with("LOG.old.") ||
                      (v.starts_with("MANIFEST-") && digits(v.substr(9))) || (v.starts_with("OPTIONS-") && digits(v.substr(8))) ||
                      (dot != std::string_view::npos && (v.substr(dot) == ".log" || v.substr(dot) == ".dbtmp") && digits(v.substr(0, dot)));
    if (!ours) return false;
  }
  return !ec;
}

// A file of the database vanished between reading the list of files and opening them: a
// writer in another process compacted meanwhile. Opening again sees the new list.
bool FileMovedUnderUs(const rocksdb::Status& s) {
  const std::string text = s.ToString();
  return (s.IsIOError() || s.IsPathNotFound() || s.IsCorruption()) && text.find("No such file") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  if (options.read_only && options.create_if_missing) {
    return Status::InvalidArgument("a read-only open cannot create a database");
  }
  std::error_code ec;
  const bool exists = fs::exists(fs::path(dir) / "CURRENT", ec);
  if (!exists) {
    const bool occupied = fs::exists(dir, ec) && !fs::is_empty(dir, ec);
    if (!options.create_if_missing) {
      if (occupied) return Status::FailedPrecondition("\"" + dir + "\" exists but is not a pactgraph database");
      return Status::NotFound("no database at \"" + dir + "\" (pactgraph import creates one)");
    }
    // A database is created in a new or empty folder only: never among somebody's files.
    if (occupied && !MadeByAnInterruptedCreation(dir)) {
      return Status::FailedPrecondition("\"" + dir +
                                        "\" is a folder with other files in it, not a pactgraph database; "
                                        "give a new or empty folder to create one");
    }
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create \"" + dir + "\": " + ec.message());
  }

  auto store = std::unique_ptr<Store>(new Store());
  store->dir_ = dir;
  store->read_only_ = options.read_only;
  store->min_free_bytes_ = options.min_free_bytes;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = options.create_if_missing || !options.read_only;
  db_options.max_background_jobs = 2;
  db_options.bytes_per_sync = 1 << 20;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 2;
  // A torn last record is what a crash leaves and is dropped; any other damage to the log is an
  // error at open. (RocksDB's default, point-in-time recovery, would stop replaying at the damage
  // and open the store without everything written after it, saying nothing.)
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // A bounded number of open files, whatever the number of files; a reader beside a writer opens
  // every file at once instead, so that a compaction in the writer cannot delete one it has yet
  // to open (an open file stays readable after it is deleted).
  db_options.max_open_files = options.read_only ? -1 : 512;
  if (options.env) db_options.env = options.env;

  // Few cache shards: a bulk import writes one large SST file per column family, and a shard
  // must hold that file's biggest metadata block. Index and filters are partitioned so that a
  // point read loads one small partition, not a filter of megabytes, and only the top level of
  // each is pinned.
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes, 2);
  store->cache_ = cache;
  store->records_ = std::make_unique<RecordCache>(options.record_cache_bytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.cache_index_and_filter_blocks = true;
  table.pin_top_level_index_and_filter = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = BestCompression();
  cf_options.write_buffer_size = 64u << 20;
  cf_options.level_compaction_dynamic_level_bytes = true;

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name : kCfNames) cfs.emplace_back(name, cf_options);

  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  for (int attempt = 0;; ++attempt) {
    store->handles_.clear();
    if (options.read_only) {
      s = rocksdb::DB::OpenForReadOnly(db_options, dir, cfs, &store->handles_, &raw);
    } else {
      s = rocksdb::DB::Open(db_options, dir, cfs, &store->handles_, &raw);
    }
    if (s.ok() || !options.read_only || attempt == 20 || !FileMovedUnderUs(s)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + 5 * attempt));
  }
  if (!s.ok()) {
    const std::string text = s.ToString();
    if (options.read_only && FileMovedUnderUs(s)) {
      // Still racing a writer's compactions after every attempt: busy, not damaged.
      return Status::IoError("database \"" + dir + "\" is being rewritten by a writer too fast to open read-only "
                                 "just now; try again (" + text + ")");
    }
    // The writer's lock: "While lock file: DIR/LOCK: …" from another process, "lock hold by
    // current process … DIR/LOCK" from this one. Nothing else (a "block checksum mismatch" is
    // damage, not a lock).
    if (s.IsIOError() && (text.find("While lock file") != std::string::npos || text.find("lock hold by") != std::string::npos)) {
      return Status::FailedPrecondition("database \"" + dir +
                                        "\" is open for writing by another process; "
                                        "read commands can still open it read-only");
    }
    if (s.IsInvalidArgument() && text.find("Column famil") != std::string::npos) {
      return Status::FailedPrecondition("\"" + dir + "\" is a RocksDB database but not a pactgraph one (" + text + ")");
    }
    if (s.IsCorruption()) {
      return Status::Corruption("database \"" + dir + "\" is damaged and was not opened, so that nothing in it is lost or "
                                "overwritten; restore it from a copy (" + text + ")");
    }
    return FromRocks(s, "opening \"" + dir + "\"");
  }
  store->db_.reset(raw);
  store->sst_options_ = std::make_unique<rocksdb::Options>(db_options, cf_options);
  PG_RETURN_IF_ERROR(store->LoadMeta(!exists));
  return store;
}

Store::~Store() {
  if (db_) {
    for (rocksdb::ColumnFamilyHandle* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    handles_.clear();
    db_->Close().PermitUncheckedError();
  }
}

Status Store::LoadMeta(bool creating) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(int(Cf::kMeta)), kMetaFormatVersion, &value);
  if (s.IsNotFound()) {
    // Only a store that holds nothing at all is one whose creation was interrupted; a store
    // with records but no format version lost part of itself, and is never made new again.
    if (!creating && HasAnyRecord()) {
      return Status::Corruption("database \"" + dir_ + "\" holds records but no format version: part of it is lost or "
                                "damaged; it was not opened, so that nothing more is lost");
    }
    if (read_only_) return Status::Corruption("database \"" + dir_ + "\" has no format version");
    schema_ = Schema::Default();
    rocksdb::WriteBatch batch;
    batch.Put(cf(int(Cf::kMeta)), kMetaFormatVersion, std::to_string(kFormatVersion));
    batch.Put(cf(int(Cf::kMeta)), kMetaSchema, schema_.ToJson(true));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    format_version_ = kFormatVersion;
    return FromRocks(db_->Write(wo, &batch), "initialising \"" + dir_ + "\"");
  }
  PG_RETURN_IF_ERROR(FromRocks(s, "reading the format version"));
  uint64_t version = 0;
  if (!ParseDigits(value, &version)) {
    return Status::Corruption("database \"" + dir_ + "\" has an unreadable format version \"" + value + "\"");
  }
  if (version > kFormatVersion) {
    return Status::FailedPrecondition("database \"" + dir_ + "\" was written in format version " +
                                      std::to_string(version) + ", newer than the version " +
                                      std::to_string(kFormatVersion) +
                                      " this pactgraph reads; use a newer pactgraph");
  }
  PG_RETURN_IF_ERROR(FromRocks(db_->Get(rocksdb::ReadOptions(), cf(int(Cf::kMeta)), kMetaSchema, &value),
                               "reading the schema"));
  PG_ASSIGN_OR_RETURN(schema_, Schema::FromJson(value));
  format_version_ = version;
  if (version < kFormatVersion && !read_only_) PG_RETURN_IF_ERROR(AddFingerprints());
  return Status::OK();
}

// Version 1 to 2: every document with a text gets its fingerprint entry (the first of equal
// texts keeps it), in one write with the new version number.
Status Store::AddFingerprints() {
  rocksdb::WriteBatch batch;
  std::set<std::string> seen;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(int(Cf::kDocs))));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return Status::Corruption("malformed record key in docs");
    PG_ASSIGN_OR_RETURN(Document d, DecodeDocument(GetBig64(it->key().data()), it->value().ToStringView()));
    const std::string fp = TextFingerprint(d.text);
    if (fp.empty() || !seen.insert(fp).second) continue;
    batch.Put(cf(int(Cf::kDocIndex)), DocFingerprintKey(fp), IdKey(d.id));
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the documents"));
  batch.Put(cf(int(Cf::kMeta)), kMetaFormatVersion, std::to_string(kFormatVersion));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  PG_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "upgrading \"" + dir_ + "\" to format version " +
                                                           std::to_string(kFormatVersion)));
  format_version_ = kFormatVersion;
  return Status::OK();
}

bool Store::HasAnyRecord() const {
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), h));
    it->SeekToFirst();
    if (it->Valid() || !it->status().ok()) return true;
  }
  return false;
}

Status Store::CheckFreeSpace(uint64_t need) const {
  std::error_code ec;
  const fs::space_info space = fs::space(dir_, ec);
  if (ec) return Status::OK();  // not knowable here: RocksDB's own errors still stand
  if (space.available >= min_free_bytes_ + need) return Status::OK();
  return Status::ResourceExhausted("the disk holding the database has " + std::to_string(space.available / 1024) +
                                   " KiB free, less than the " + std::to_string((min_free_bytes_ + need) / 1024) +
                                   " KiB this write needs with its margin; nothing was written (free some space; "
                                   "reads go on)");
}

void Store::MergeSmallFiles() {
  if (read_only_) return;
  constexpr size_t kFilesBeforeMerging = 24;
  constexpr uint64_t kSmallFileBytes = 16u << 20;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    rocksdb::ColumnFamilyMetaData md;
    db_->GetColumnFamilyMetaData(h, &md);
    if (md.file_count <= kFilesBeforeMerging) continue;
    std::vector<std::string> small;
    int level = 0;
    for (const rocksdb::LevelMetaData& l : md.levels) {
      for (const rocksdb::SstFileMetaData& f : l.files) {
        if (f.size >= kSmallFileBytes || f.being_compacted) continue;
        small.push_back(f.name);
        level = std::max(level, l.level);
      }
    }
    if (small.size() < 8) continue;
    rocksdb::CompactionOptions co;
    co.compression = BestCompression();
    // Refused when a background compaction took one of the files meanwhile: the next commit
    // tries again.
    db_->CompactFiles(co, h, small, level).PermitUncheckedError();
  }
}

Status Store::Settle(double max_seconds) {
  if (read_only_) return Status::OK();
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(max_seconds);
  while (std::chrono::steady_clock::now() < until) {
    bool busy = false;
    for (rocksdb::ColumnFamilyHandle* h : handles_) {
      uint64_t v = 0;
      for (const char* p : {"rocksdb.compaction-pending", "rocksdb.mem-table-flush-pending"}) {
        if (db_->GetIntProperty(h, p, &v) && v) busy = true;
      }
    }
    uint64_t running = 0;
    if (db_->GetIntProperty("rocksdb.num-running-compactions", &running) && running) busy = true;
    if (db_->GetIntProperty("rocksdb.num-running-flushes", &running) && running) busy = true;
    if (!busy) {
      MergeSmallFiles();
      return Status::OK();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Status::OK();  // the files are still valid; the next writer goes on compacting
}

Status Store::ExtendSchema(const Schema& additions) {
  if (read_only_) return Status::FailedPrecondition("the database is open read-only");
  PG_RETURN_IF_ERROR(CheckFreeSpace(0));
  std::lock_guard<std::mutex> lock(write_mu_);
  Schema next = schema_;
  PG_RETURN_IF_ERROR(next.Extend(additions));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  PG_RETURN_IF_ERROR(FromRocks(db_->Put(wo, cf(int(Cf::kMeta)), kMetaSchema, next.ToJson(true)),
                               "storing the schema"));
  schema_ = std::move(next);
  return Status::OK();
}

Snapshot Store::GetSnapshot() const { return Snapshot(db_.get(), db_->GetSnapshot()); }

Status Store::CompactForMeasurement() {
  if (read_only_) return Status::FailedPrecondition("the database is open read-only");
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    PG_RETURN_IF_ERROR(FromRocks(db_->Flush(rocksdb::FlushOptions(), h), "flushing"));
    rocksdb::CompactRangeOptions co;
    PG_RETURN_IF_ERROR(FromRocks(db_->CompactRange(co, h, nullptr, nullptr), "compacting"));
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------- Point reads

namespace {
// The sequence number the record cache knows a snapshot by (0: no snapshot, not cached).
uint64_t SeqOf(const Snapshot& snap) { return snap.get() ? snap.get()->GetSequenceNumber() : 0; }

// A record through the record cache: the cached copy when the snapshot's number is the cache's,
// else read(), kept in the cache for that number. Out is the record or a shared pointer to it.
template <typename Out, typename Read>
Result<Out> ThroughCache(RecordCache& cache, const Snapshot& snap, uint64_t id, Read read) {
  const uint64_t seq = SeqOf(snap);
  Out out;
  if (seq && cache.Find(seq, id, &out)) return out;
  PG_ASSIGN_OR_RETURN(auto record, read());
  if constexpr (std::is_same_v<Out, decltype(record)>) {
    out = std::move(record);
  } else {
    out = std::make_shared<const decltype(record)>(std::move(record));
  }
  if (seq) cache.Add(seq, out);
  return out;
}
}  // namespace

Result<Entity> Store::GetEntity(const Snapshot& snap, EntityId id) const {
  return ThroughCache<Entity>(*records_, snap, id, [&] { return ReadEntity(snap, id); });
}

Result<std::shared_ptr<const Entity>> Store::GetEntityShared(const Snapshot& snap, EntityId id) const {
  return ThroughCache<std::shared_ptr<const Entity>>(*records_, snap, id, [&] { return ReadEntity(snap, id); });
}

Result<Entity> Store::ReadEntity(const Snapshot& snap, EntityId id) const {
  std::string value;
  rocksdb::Status s = db_->Get(ReadAt(&snap), cf(int(Cf::kNodes)), IdKey(id), &value);
  if (s.IsNotFound()) return Status::NotFound("no entity #" + std::to_string(id));
  PG_RETURN_IF_ERROR(FromRocks(s, "reading entity #" + std::to_string(id)));
  return DecodeEntity(schema_, id, value);
}

Result<Relation> Store::GetRelation(const Snapshot& snap, RelationId id) const {
  return ThroughCache<Relation>(*records_, snap, id, [&] { return ReadRelation(snap, id); });
}

Result<Relation> Store::ReadRelation(const Snapshot& snap, RelationId id) const {
  std::string value;
  rocksdb::Status s = db_->Get(ReadAt(&snap), cf(int(Cf::kEdges)), IdKey(id), &value);
  if (s.IsNotFound()) return Status::NotFound("no relation #" + std::to_string(id));
  PG_RETURN_IF_ERROR(FromRocks(s, "reading relation #" + std::to_string(id)));
  return DecodeRelation(schema_, id, value);
}

Result<Document> Store::GetDocument(const Snapshot& snap, DocumentId id) const {
  return ThroughCache<Document>(*records_, snap, id, [&] { return ReadDocument(snap, id); });
}

Result<Document> Store::ReadDocument(const Snapshot& snap, DocumentId id) const {
  std::string value;
  rocksdb::Status s = db_->Get(ReadAt(&snap), cf(int(Cf::kDocs)), IdKey(id), &value);
  if (s.IsNotFound()) return Status::NotFound("no document #" + std::to_string(id));
  PG_RETURN_IF_ERROR(FromRocks(s, "reading document #" + std::to_string(id)));
  return DecodeDocument(id, value);
}

Result<std::vector<Provenance>> Store::GetProvenance(const Snapshot& snap, RelationId id) const {
  const uint64_t seq = SeqOf(snap);
  std::vector<Provenance> out;
  if (seq && records_->FindSources(seq, id, &out)) return out;
  PG_ASSIGN_OR_RETURN(out, ReadProvenance(snap, id));
  if (seq) records_->AddSources(seq, id, out);
  return out;
}

Result<std::vector<Provenance>> Store::ReadProvenance(const Snapshot& snap, RelationId id) const {
  std::vector<Provenance> out;
  const std::string prefix = IdKey(id);
  const std::string upper = PrefixEnd(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro = ReadAt(&snap);
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(int(Cf::kProv))));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (k.size() != kProvKeySize) return Status::Corruption("malformed provenance key of relation #" + std::to_string(id));
    PG_ASSIGN_OR_RETURN(Provenance p, DecodeProvenance(GetBig64(k.data() + 8), GetBig32(k.data() + 16),
                                                       it->value().ToStringView()));
    out.push_back(std::move(p));
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading provenance"));
  return out;
}

Result<std::vector<NameMatch>> Store::FindByName(const Snapshot& snap, std::string_view name) const {
  const std::string key = NormalizeKey(name);
  std::vector<NameMatch> out;
  if (key.empty()) return out;
  const uint64_t seq = SeqOf(snap);
  if (seq) {
    if (std::shared_ptr<const RecordCache::NameList> held = records_->FindName(seq, key)) return held->matches;
  }
  PG_ASSIGN_OR_RETURN(out, ReadName(snap, key));
  if (seq) records_->AddName(seq, {key, out});
  return out;
}

Result<std::vector<NameMatch>> Store::ReadName(const Snapshot& snap, const std::string& key) const {
  std::vector<NameMatch> out;
  const std::string prefix = NameKeyPrefix(key);
  const std::string upper = PrefixEnd(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro = ReadAt(&snap);
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(int(Cf::kNames))));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    std::string_view normalized;
    EntityId id = 0;
    if (!ParseNameKey(it->key().ToStringView(), &normalized, &id)) {
      return Status::Corruption("malformed name index key");
    }
    out.push_back({id, !it->value().empty() && it->value()[0] == 1});
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the name index"));
  return out;
}

Result<std::vector<EntityId>> Store::NamesContaining(const Snapshot& snap, std::string_view name, size_t limit) const {
  const std::string key = NormalizeKey(name);
  std::vector<EntityId> out;
  if (key.empty()) return out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(int(Cf::kNames))));
  for (it->SeekToFirst(); it->Valid() && out.size() < limit; it->Next()) {
    std::string_view normalized;
    EntityId id = 0;
    if (!ParseNameKey(it->key().ToStringView(), &normalized, &id)) continue;
    for (size_t at = normalized.find(key); at != std::string_view::npos; at = normalized.find(key, at + 1)) {
      const size_t end = at + key.size();
      if ((at == 0 || normalized[at - 1] == ' ') && (end == normalized.size() || normalized[end] == ' ')) {
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
        break;
      }
    }
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the name index"));
  return out;
}

Result<std::vector<EntityId>> Store::NamesWithPrefix(const Snapshot& snap, std::string_view prefix, size_t limit) const {
  std::string key = NormalizeKey(prefix);
  // "Red " asks for the names whose first word is "red", not "redmond".
  if (!key.empty() && !prefix.empty() && prefix.back() == ' ') key += ' ';
  std::vector<EntityId> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(int(Cf::kNames))));
  for (it->Seek(key); it->Valid() && out.size() < limit; it->Next()) {
    std::string_view normalized;
    EntityId id = 0;
    if (!ParseNameKey(it->key().ToStringView(), &normalized, &id)) continue;
    if (!normalized.starts_with(key)) break;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the name index"));
  return out;
}

Result<std::vector<EntityId>> Store::NearestNames(const Snapshot& snap, std::string_view name,
                                                  size_t limit) const {
  const std::string key = NormalizeKey(name);
  const size_t max_distance = std::max<size_t>(2, key.size() / 3);
  std::vector<std::pair<size_t, EntityId>> scored;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(int(Cf::kNames))));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view normalized;
    EntityId id = 0;
    if (!ParseNameKey(it->key().ToStringView(), &normalized, &id)) continue;
    size_t d = BoundedEditDistance(key, normalized, max_distance);
    // A misspelt start of a longer name is close too ("hyper v srver" for "hyper v server 2008").
    if (d > max_distance && normalized.size() > key.size()) {
      d = BoundedEditDistance(key, normalized.substr(0, key.size()), max_distance) + 1;
    }
    // A name that contains the query as a word run is close too ("hyper v" in "hyper v server").
    if (d > max_distance && key.size() >= 3 && normalized.find(key) != std::string_view::npos) {
      d = max_distance;
    }
    if (d <= max_distance) scored.emplace_back(d, id);
  }
  PG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the name index"));
  std::sort(scored.begin(), scored.end());
  std::vector<EntityId> out;
  for (const auto& [d, id] : scored) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    if (out.size() == limit) break;
  }
  return out;
}

namespace {
Result<std::optional<DocumentId>> LookupDocIndex(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h,
                                                 const Snapshot& snap, const std::string& key) {
  std::string value;
  rocksdb::Status s = db->Get(ReadAt(&snap), h, key, &value);
  if (s.IsNotFound()) return std::optional<DocumentId>();
  PG_RETURN_IF_ERROR(FromRocks(s, "reading the document index"));
  if (value.size() != 8) return Status::Corruption("malformed document index entry");
  return std::optional<DocumentId>(GetBig64(value.data()));
}
}  // namespace

Result<std::optional<DocumentId>> Store::FindDocumentByHash(const Snapshot& snap, std::string_view hash) const {
  return LookupDocIndex(db_.get(), cf(int(Cf::kDocIndex)), snap, DocHashKey(hash));
}
Result<std::optional<DocumentId>> Store::FindDocumentByKey(const Snapshot& snap, std::string_view key) const {
  return LookupDocIndex(db_.get(), cf(int(Cf::kDocIndex)), snap, DocRefKey(key));
}
Result<std::optional<DocumentId>> Store::FindDocumentByFingerprint(const Snapshot& snap,
                                                                   std::string_view fingerprint) const {
  if (fingerprint.empty()) return std::optional<DocumentId>();
  return LookupDocIndex(db_.get(), cf(int(Cf::kDocIndex)), snap, DocFingerprintKey(fingerprint));
}

// ---------------------------------------------------------------------------------- Cursors

// An index range read through the record cache: its head (the first RecordCache::kMaxListKeys
// keys, shared with the cache) and then, when the head is not the whole range, an iterator on the
// rest. A cursor: Valid(), key(), Next(), then status().
struct IndexRange {
  std::shared_ptr<const RecordCache::KeyList> list;
  size_t at = 0;               // the position in the list; past its end, rest's
  std::string upper;           // the exclusive upper key of the range
  rocksdb::Slice upper_slice;  // at a stable address for RocksDB, which keeps a pointer to it
  std::unique_ptr<rocksdb::Iterator> rest;  // on the key after the list's last; null when complete

  bool Valid() const { return at < list->size() || (rest && rest->Valid()); }
  std::string_view key() const { return at < list->size() ? list->key(at) : rest->key().ToStringView(); }
  void Next() {
    if (at < list->size()) {
      ++at;
    } else {
      rest->Next();
    }
  }
  rocksdb::Status status() const { return rest ? rest->status() : rocksdb::Status::OK(); }
};

RelationCursor::RelationCursor(const Store* store, const Snapshot* snap) : store_(store), snap_(snap) {}
RelationCursor::RelationCursor(RelationCursor&&) noexcept = default;
RelationCursor::~RelationCursor() = default;

void RelationCursor::Load() {
  valid_ = false;
  if (!status_.ok() || !range_) return;
  if (!range_->Valid()) {
    if (!range_->status().ok()) status_ = FromRocks(range_->status(), "scanning adjacency");
    return;
  }
  AdjEntry e{};
  if (!ParseAdjKey(range_->key(), &e)) {
    status_ = Status::Corruption("malformed adjacency key");
    return;
  }
  Result<Relation> r = store_->GetRelation(*snap_, e.relation);
  if (!r.ok()) {
    status_ = r.status().code() == StatusCode::kNotFound
                  ? Status::Corruption("adjacency entry for missing relation #" + std::to_string(e.relation))
                  : r.status();
    return;
  }
  relation_ = std::move(r).value();
  outgoing_ = e.dir == Dir::kOut;
  valid_ = true;
}

void RelationCursor::Next() {
  range_->Next();
  Load();
}

RelationCursor Store::Adjacent(const Snapshot& snap, EntityId id, uint8_t dir, std::string_view type) const {
  RelationCursor c(this, &snap);
  std::string prefix = IdKey(id);
  prefix += static_cast<char>(dir);
  if (!type.empty()) {
    const RelationTypeDef* def = schema_.FindRelationType(type);
    if (!def) {
      c.status_ = Status::InvalidArgument("unknown relation type \"" + std::string(type) + "\"");
      return c;
    }
    PutBig16(prefix, def->id);
  }
  c.range_ = std::make_unique<IndexRange>();
  c.status_ = OpenIndexRange(int(Cf::kAdj), snap, prefix, c.range_.get());
  c.Load();
  return c;
}

RelationCursor Store::Outgoing(const Snapshot& snap, EntityId id, std::string_view type) const {
  return Adjacent(snap, id, static_cast<uint8_t>(Dir::kOut), type);
}
RelationCursor Store::Incoming(const Snapshot& snap, EntityId id, std::string_view type) const {
  return Adjacent(snap, id, static_cast<uint8_t>(Dir::kIn), type);
}

namespace {
// Iterates the keys of `cf` that start with `prefix`; fn(key) returns false to stop.
Status ScanPrefix(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h, const Snapshot& snap, const std::string& prefix,
                  const std::function<bool(std::string_view)>& fn) {
  const std::string upper = PrefixEnd(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro = ReadAt(&snap);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, h));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    if (!fn(it->key().ToStringView())) break;
  }
  return FromRocks(it->status(), "reading " + h->GetName());
}
}  // namespace

void Store::CacheEntityForTesting(const Entity& e) { records_->Add(SeqOf(GetSnapshot()), e); }

Status Store::CheckRecordCache(CheckReport* report) const {
  Snapshot snap = GetSnapshot();
  const RecordCache::Contents held = records_->Copy(SeqOf(snap));
  auto problem = [&](const std::string& what) {
    if (report->problems.size() < 100) report->problems.push_back("record cache: " + what + " differs from the store");
  };
  for (const auto& e : held.entities) {
    ++report->records;
    Result<Entity> fresh = ReadEntity(snap, e->id);
    if (!fresh.ok() || EncodeEntity(schema_, *fresh) != EncodeEntity(schema_, *e)) problem("entity #" + std::to_string(e->id));
  }
  for (const auto& r : held.relations) {
    ++report->records;
    Result<Relation> fresh = ReadRelation(snap, r->id);
    if (!fresh.ok() || EncodeRelation(schema_, *fresh) != EncodeRelation(schema_, *r)) problem("relation #" + std::to_string(r->id));
  }
  for (const auto& [id, list] : held.sources) {
    ++report->records;
    Result<std::vector<Provenance>> fresh = ReadProvenance(snap, id);
    bool same = fresh.ok() && fresh->size() == list->size();
    for (size_t i = 0; same && i < list->size(); ++i) same = EncodeProvenance((*fresh)[i]) == EncodeProvenance((*list)[i]);
    if (!same) problem("the sources of relation #" + std::to_string(id));
  }
  for (const auto& list : held.lists) {
    ++report->records;
    std::vector<std::string> fresh;
    PG_RETURN_IF_ERROR(ScanPrefix(db_.get(), cf(list->family), snap, list->prefix, [&](std::string_view k) {
      fresh.emplace_back(k);
      return fresh.size() <= RecordCache::kMaxListKeys;
    }));
    bool same = list->complete ? fresh.size() == list->size() : fresh.size() > list->size();
    for (size_t i = 0; same && i < list->size(); ++i) same = fresh[i] == list->key(i);
    if (!same) problem("an index range of " + cf(list->family)->GetName());
  }
  for (const auto& d : held.documents) {
    ++report->records;
    Result<Document> fresh = ReadDocument(snap, d->id);
    if (!fresh.ok() || EncodeDocument(*fresh) != EncodeDocument(*d)) problem("document #" + std::to_string(d->id));
  }
  for (const auto& held_name : held.names) {
    ++report->records;
    PG_ASSIGN_OR_RETURN(std::vector<NameMatch> fresh, ReadName(snap, held_name->key));
    bool same = fresh.size() == held_name->matches.size();
    for (size_t i = 0; same && i < fresh.size(); ++i) {
      same = fresh[i].id == held_name->matches[i].id && fresh[i].canonical == held_name->matches[i].canonical;
    }
    if (!same) problem("the entities of the name \"" + held_name->key + "\"");
  }
  return Status::OK();
}

// Reading a range that is not cached reads its head whole (a scan that stops early still reads on
// to that many) so that the copy kept is complete as far as it goes.
Status Store::OpenIndexRange(int family, const Snapshot& snap, const std::string& prefix, IndexRange* out) const {
  const uint64_t seq = SeqOf(snap);
  out->upper = PrefixEnd(prefix);
  out->upper_slice = rocksdb::Slice(out->upper);
  rocksdb::ReadOptions ro = ReadAt(&snap);
  if (!out->upper.empty()) ro.iterate_upper_bound = &out->upper_slice;
  auto read_error = [&](const rocksdb::Iterator& it) { return FromRocks(it.status(), "reading " + cf(family)->GetName()); };

  if (seq) out->list = records_->FindKeys(seq, family, prefix);
  if (out->list) {
    if (out->list->complete || out->list->size() == 0) return Status::OK();
    const std::string_view last = out->list->key(out->list->size() - 1);
    out->rest.reset(db_->NewIterator(ro, cf(family)));
    out->rest->Seek(rocksdb::Slice(last.data(), last.size()));
    if (out->rest->Valid() && out->rest->key().ToStringView() == last) out->rest->Next();
    return read_error(*out->rest);
  }
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(family)));
  RecordCache::KeyList list;
  list.family = family;
  list.prefix = prefix;
  for (it->Seek(prefix); it->Valid() && list.size() < RecordCache::kMaxListKeys; it->Next()) {
    list.blob.append(it->key().ToStringView());
    list.ends.push_back(static_cast<uint32_t>(list.blob.size()));
  }
  PG_RETURN_IF_ERROR(read_error(*it));
  list.complete = !it->Valid();
  auto shared = std::make_shared<const RecordCache::KeyList>(std::move(list));
  if (seq) records_->AddKeys(seq, shared);
  out->list = std::move(shared);
  if (!out->list->complete) out->rest = std::move(it);
  return Status::OK();
}

// ScanPrefix through the record cache, for the adjacency and qualifier indexes.
Status Store::ScanIndex(int family, const Snapshot& snap, const std::string& prefix,
                        const std::function<bool(std::string_view)>& fn) const {
  if (SeqOf(snap) == 0) return ScanPrefix(db_.get(), cf(family), snap, prefix, fn);
  IndexRange range;
  PG_RETURN_IF_ERROR(OpenIndexRange(family, snap, prefix, &range));
  for (; range.Valid(); range.Next()) {
    if (!fn(range.key())) return Status::OK();
  }
  return FromRocks(range.status(), "reading " + cf(family)->GetName());
}

Result<std::string> Store::QualPrefix(EntityId id, std::string_view slot, std::string_view relation_type) const {
  std::string prefix = IdKey(id);
  if (!slot.empty()) {
    const SlotDef* def = schema_.FindSlot(slot);
    if (!def) return Status::InvalidArgument("unknown qualifier slot \"" + std::string(slot) + "\"");
    PutBig16(prefix, def->id);
    if (!relation_type.empty()) {
      const RelationTypeDef* rel = schema_.FindRelationType(relation_type);
      if (!rel) return Status::InvalidArgument("unknown relation type \"" + std::string(relation_type) + "\"");
      PutBig16(prefix, rel->id);
    }
  } else if (!relation_type.empty()) {
    return Status::InvalidArgument("a relation type filter needs a slot");
  }
  return prefix;
}

Result<std::vector<RelationId>> Store::ByQualifier(const Snapshot& snap, EntityId id, std::string_view slot,
                                                   std::string_view relation_type) const {
  PG_ASSIGN_OR_RETURN(std::string prefix, QualPrefix(id, slot, relation_type));
  std::vector<RelationId> out;
  bool bad = false;
  PG_RETURN_IF_ERROR(ScanIndex(int(Cf::kQual), snap, prefix, [&](std::string_view k) {
    QualEntry e{};
    if (!ParseQualKey(k, &e)) return !(bad = true);
    out.push_back(e.relation);
    return true;
  }));
  if (bad) return Status::Corruption("malformed qualifier index key");
  return out;
}

Result<Store::Shortest> Store::ShortestRange(const Snapshot& snap, const std::vector<RangeSide>& sides,
                                            uint64_t cap) const {
  // One reader per side: its ranges one after another, each's cached head first, then the rest.
  struct Reader {
    int family = 0;
    std::vector<std::string> prefixes;
    size_t next_prefix = 0;
    std::unique_ptr<IndexRange> range;
    uint64_t count = 0;
  };
  std::vector<Reader> readers(sides.size());
  for (size_t i = 0; i < sides.size(); ++i) {
    const RangeSide& side = sides[i];
    Reader& r = readers[i];
    if (side.slot.empty()) {
      if (side.values.size() != 1) return Status::InvalidArgument("an adjacency side names one entity");
      r.family = int(Cf::kAdj);
      PG_ASSIGN_OR_RETURN(std::string prefix, AdjPrefix(side.values[0], side.outgoing, side.type));
      r.prefixes.push_back(std::move(prefix));
    } else {
      r.family = int(Cf::kQual);
      for (EntityId v : side.values) {
        PG_ASSIGN_OR_RETURN(std::string prefix, QualPrefix(v, side.slot, side.type));
        r.prefixes.push_back(std::move(prefix));
      }
    }
  }
  // Takes the next key of a side; false when it has none left.
  auto step = [&](Reader& r) -> Result<bool> {
    for (;;) {
      if (r.range) {
        if (r.range->Valid()) {
          r.range->Next();
          return true;
        }
        PG_RETURN_IF_ERROR(FromRocks(r.range->status(), "reading " + cf(r.family)->GetName()));
      }
      if (r.next_prefix == r.prefixes.size()) return false;
      r.range = std::make_unique<IndexRange>();
      PG_RETURN_IF_ERROR(OpenIndexRange(r.family, snap, r.prefixes[r.next_prefix++], r.range.get()));
    }
  };
  for (uint64_t n = 0; n < cap; ++n) {
    for (size_t i = 0; i < readers.size(); ++i) {
      PG_ASSIGN_OR_RETURN(bool more, step(readers[i]));
      if (!more) return Shortest{static_cast<int>(i), readers[i].count};
      ++readers[i].count;
    }
  }
  return Shortest{-1, cap};
}

Result<std::string> Store::AdjPrefix(EntityId id, bool outgoing, std::string_view type) const {
  std::string prefix = IdKey(id);
  prefix += static_cast<char>(outgoing ? Dir::kOut : Dir::kIn);
  if (!type.empty()) {
    const RelationTypeDef* def = schema_.FindRelationType(type);
    if (!def) return Status::InvalidArgument("unknown relation type \"" + std::string(type) + "\"");
    PutBig16(prefix, def->id);
  }
  return prefix;
}

Status Store::ForEachNeighbour(const Snapshot& snap, EntityId id, bool outgoing, std::string_view type,
                               const std::function<bool(const Neighbour&)>& fn) const {
  PG_ASSIGN_OR_RETURN(std::string prefix, AdjPrefix(id, outgoing, type));
  bool bad = false;
  PG_RETURN_IF_ERROR(ScanIndex(int(Cf::kAdj), snap, prefix, [&](std::string_view k) {
    AdjEntry e{};
    if (!ParseAdjKey(k, &e)) return !(bad = true);
    return fn({e.type, e.other, e.relation});
  }));
  if (bad) return Status::Corruption("malformed adjacency key");
  return Status::OK();
}

Status Store::ForEachEdgeKey(const Snapshot& snap,
                             const std::function<void(EntityId, TypeId, EntityId, RelationId)>& fn) const {
  return ForEachEdgeKeyInParts(snap, 1, [&](size_t, EntityId s, TypeId t, EntityId o, RelationId r) { fn(s, t, o, r); });
}

Status Store::ForEachEdgeKeyInParts(const Snapshot& snap, size_t parts,
                                    const std::function<void(size_t, EntityId, TypeId, EntityId, RelationId)>& fn) const {
  // The subjects run from 0 to the last adjacency key's node; each part takes an equal share.
  EntityId last = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(int(Cf::kAdj))));
    it->SeekToLast();
    if (!it->status().ok()) return FromRocks(it->status(), "reading the adjacency index");
    if (!it->Valid()) return Status::OK();
    AdjEntry e{};
    if (!ParseAdjKey(it->key().ToStringView(), &e)) return Status::Corruption("malformed adjacency key");
    last = e.node;
  }
  parts = std::max<size_t>(1, std::min<size_t>(parts, last + 1));
  std::vector<Status> status(parts);
  // Part i holds the subjects from bound(i) up to bound(i + 1), the first parts one more each
  // when they do not divide evenly.
  auto bound = [&](size_t i) -> EntityId { return (last + 1) / parts * i + std::min<EntityId>(i, (last + 1) % parts); };
  auto read = [&](size_t part) {
    const std::string lo = IdKey(bound(part)), hi = IdKey(bound(part + 1));
    const rocksdb::Slice upper(hi);
    rocksdb::ReadOptions ro = ReadAt(&snap);
    if (part + 1 < parts) ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(int(Cf::kAdj))));
    for (it->Seek(lo); it->Valid(); it->Next()) {
      AdjEntry e{};
      if (!ParseAdjKey(it->key().ToStringView(), &e)) {
        status[part] = Status::Corruption("malformed adjacency key");
        return;
      }
      if (e.dir == Dir::kOut) fn(part, e.node, e.type, e.other, e.relation);
    }
    status[part] = FromRocks(it->status(), "reading the adjacency index");
  };
  std::vector<std::thread> threads;
  for (size_t part = 1; part < parts; ++part) threads.emplace_back(read, part);
  read(0);
  for (std::thread& t : threads) t.join();
  for (const Status& s : status) PG_RETURN_IF_ERROR(s);
  return Status::OK();
}

// ---------------------------------------------------------------------------------- Scans

namespace {
template <typename Decode, typename Fn>
Status ScanIds(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h, const Snapshot& snap, Decode decode, Fn fn,
               uint64_t first = 0) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ReadAt(&snap), h));
  for (it->Seek(IdKey(first)); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return Status::Corruption("malformed record key in " + h->GetName());
    auto rec = decode(GetBig64(it->key().data()), it->value().ToStringView());
    if (!rec.ok()) return rec.status();
    if (!fn(rec.value())) break;
  }
  return FromRocks(it->status(), "scanning " + h->GetName());
}
}  // namespace

Status Store::ForEachEntity(const Snapshot& snap, const std::function<bool(const Entity&)>& fn) const {
  return ScanIds(db_.get(), cf(int(Cf::kNodes)), snap,
                 [&](uint64_t id, std::string_view v) { return DecodeEntity(schema_, id, v); }, fn);
}
Status Store::ForEachRelation(const Snapshot& snap, const std::function<bool(const Relation&)>& fn) const {
  return ScanIds(db_.get(), cf(int(Cf::kEdges)), snap,
                 [&](uint64_t id, std::string_view v) { return DecodeRelation(schema_, id, v); }, fn);
}
Status Store::ForEachDocument(const Snapshot& snap, const std::function<bool(const Document&)>& fn,
                              DocumentId first) const {
  return ScanIds(db_.get(), cf(int(Cf::kDocs)), snap,
                 [&](uint64_t id, std::string_view v) { return DecodeDocument(id, v); }, fn, first);
}

Result<std::vector<std::string>> Store::DocumentLocations(const Snapshot& snap, DocumentId id) const {
  PG_ASSIGN_OR_RETURN(Document d, GetDocument(snap, id));
  std::vector<std::string> out;
  if (!d.url.empty()) out.push_back(d.url);
  const std::string prefix = DocLocationPrefix(id);
  PG_RETURN_IF_ERROR(ScanPrefix(db_.get(), cf(int(Cf::kDocIndex)), snap, prefix, [&](std::string_view k) {
    const std::string location(k.substr(prefix.size()));
    if (std::find(out.begin(), out.end(), location) == out.end()) out.push_back(location);
    return true;
  }));
  // URLs before file names: the first URL is where a reader finds the document.
  std::stable_partition(out.begin(), out.end(), [](const std::string& l) { return l.find("://") != std::string::npos; });
  return out;
}

Status Store::ForEachProvenance(const Snapshot& snap,
                                const std::function<bool(RelationId, const Provenance&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(int(Cf::kProv))));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (k.size() != kProvKeySize) return Status::Corruption("malformed provenance key");
    PG_ASSIGN_OR_RETURN(Provenance p, DecodeProvenance(GetBig64(k.data() + 8), GetBig32(k.data() + 16),
                                                       it->value().ToStringView()));
    if (!fn(GetBig64(k.data()), p)) break;
  }
  return FromRocks(it->status(), "scanning provenance");
}

Status Store::ForEachRecord(const std::function<void(std::string_view, std::string_view, std::string_view)>& fn) const {
  Snapshot snap = GetSnapshot();
  for (int i = 0; i < kNumCfs; ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ReadAt(&snap), cf(i)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      fn(kCfNames[i], it->key().ToStringView(), it->value().ToStringView());
    }
    PG_RETURN_IF_ERROR(FromRocks(it->status(), std::string("scanning ") + kCfNames[i]));
  }
  return Status::OK();
}

Result<uint64_t> Store::ReadCounter(const Snapshot* snap, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(ReadAt(snap), cf(int(Cf::kMeta)), key, &value);
  if (s.IsNotFound()) return uint64_t{0};
  PG_RETURN_IF_ERROR(FromRocks(s, "reading " + std::string(key)));
  if (value.size() != 8) return Status::Corruption("malformed counter " + std::string(key));
  return GetBig64(value.data());
}

uint64_t Store::LatestSequence() const { return db_->GetLatestSequenceNumber(); }

Result<StoreStats> Store::Stats(const Snapshot& snap) const {
  StoreStats st;
  for (const EntityTypeDef& t : schema_.entity_types()) {
    PG_ASSIGN_OR_RETURN(uint64_t n, ReadCounter(&snap, EntityCountKey(t.id)));
    st.entities_by_type[t.name] = n;
    st.entities += n;
  }
  for (const RelationTypeDef& t : schema_.relation_types()) {
    PG_ASSIGN_OR_RETURN(uint64_t n, ReadCounter(&snap, RelationCountKey(t.id)));
    st.relations_by_type[t.name] = n;
    st.relations += n;
  }
  PG_ASSIGN_OR_RETURN(st.documents, ReadCounter(&snap, kMetaDocumentCount));
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) st.disk_bytes += it->file_size(ec);
  }
  return st;
}

Result<std::unique_ptr<ImportSession>> Store::BeginImport(const ImportOptions& options) {
  if (read_only_) return Status::FailedPrecondition("the database is open read-only");
  PG_RETURN_IF_ERROR(CheckFreeSpace(0));
  auto session = std::unique_ptr<ImportSession>(new ImportSession(this, options));
  PG_ASSIGN_OR_RETURN(session->next_entity_, ReadCounter(&session->snap_, kMetaNextEntity));
  PG_ASSIGN_OR_RETURN(session->next_relation_, ReadCounter(&session->snap_, kMetaNextRelation));
  PG_ASSIGN_OR_RETURN(session->next_document_, ReadCounter(&session->snap_, kMetaNextDocument));
  session->next_entity_ = std::max<uint64_t>(session->next_entity_, 1);
  session->next_relation_ = std::max<uint64_t>(session->next_relation_, 1);
  session->next_document_ = std::max<uint64_t>(session->next_document_, 1);
  session->store_was_empty_ = session->next_entity_ == 1;
  return session;
}
}  // namespace pactgraph::storage
