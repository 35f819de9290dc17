// Decoded entity, relation, provenance and document records, and the keys of small index ranges, kept in
// memory for point reads: a derived structure, filled only from reads of the store and valid
// for one sequence number of it. A read at a
// snapshot of another number neither uses nor fills it; a read at a newer number empties it
// first, so no copy outlives the write that changed its record.
//
// Bounded by an approximate byte count. Two generations approximate least-recently-used
// order: new copies go to the young one; when it holds half the bound it becomes the old one
// (the previous old one is dropped), and a copy found in the old one moves to the young one.
#ifndef PACTGRAPH_STORAGE_INTERNAL_RECORD_CACHE_H_
#define PACTGRAPH_STORAGE_INTERNAL_RECORD_CACHE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/model.h"
#include "storage/store.h"

namespace pactgraph::storage {

class RecordCache {
 public:
  explicit RecordCache(size_t bytes) : half_(bytes / 2) {}

  // True, with *out set, when the record is held for `seq`.
  bool Find(uint64_t seq, EntityId id, Entity* out) { return Lookup(seq, id, &entities_, out); }
  bool Find(uint64_t seq, RelationId id, Relation* out) { return Lookup(seq, id, &relations_, out); }
  void Add(uint64_t seq, const Entity& e) { Insert(seq, e.id, e, Bytes(e), &entities_); }
  // The copy itself, shared: found without copying the record, or added as it is.
  bool Find(uint64_t seq, EntityId id, std::shared_ptr<const Entity>* out) { return Lookup(seq, id, &entities_, out); }
  void Add(uint64_t seq, std::shared_ptr<const Entity> e) {
    const EntityId id = e->id;
    const size_t bytes = Bytes(*e);
    Insert(seq, id, std::move(e), bytes, &entities_);
  }
  void Add(uint64_t seq, const Relation& r) { Insert(seq, r.id, r, Bytes(r), &relations_); }
  // A relation's sources, as Store::GetProvenance lists them.
  bool FindSources(uint64_t seq, RelationId id, std::vector<Provenance>* out) { return Lookup(seq, id, &sources_, out); }
  void AddSources(uint64_t seq, RelationId id, const std::vector<Provenance>& v) { Insert(seq, id, v, Bytes(v), &sources_); }
  bool Find(uint64_t seq, DocumentId id, Document* out) { return Lookup(seq, id, &documents_, out); }
  void Add(uint64_t seq, const Document& d) { Insert(seq, d.id, d, Bytes(d), &documents_); }

  // The first keys of an index range (a prefix of the adjacency or qualifier index), in order.
  struct KeyList {
    int family = 0;               // the column family
    std::string prefix;
    std::string blob;             // the keys, one after another
    std::vector<uint32_t> ends;   // where each ends in blob
    bool complete = false;        // the range has no more keys than these
    size_t size() const { return ends.size(); }
    std::string_view key(size_t i) const {
      const uint32_t begin = i == 0 ? 0 : ends[i - 1];
      return std::string_view(blob).substr(begin, ends[i] - begin);
    }
  };
  // Of a longer range, this many are kept (the rest is read from the store when wanted).
  static constexpr size_t kMaxListKeys = 64;
  std::shared_ptr<const KeyList> FindKeys(uint64_t seq, int family, const std::string& prefix) {
    std::shared_ptr<const KeyList> found;
    if (!Lookup(seq, ListId(family, prefix), &lists_, &found) || found->prefix != prefix || found->family != family) return nullptr;
    return found;
  }
  void AddKeys(uint64_t seq, std::shared_ptr<const KeyList> list) {
    const uint64_t id = ListId(list->family, list->prefix);
    const size_t bytes = Bytes(*list);
    Insert(seq, id, std::move(list), bytes, &lists_);
  }

  // The entities a normalized name or alias stands for (the name index), as FindByName lists them.
  struct NameList {
    std::string key;
    std::vector<NameMatch> matches;
  };
  std::shared_ptr<const NameList> FindName(uint64_t seq, const std::string& key) {
    std::shared_ptr<const NameList> found;
    if (!Lookup(seq, std::hash<std::string>{}(key), &names_, &found) || found->key != key) return nullptr;
    return found;
  }
  void AddName(uint64_t seq, NameList list) {
    const uint64_t id = std::hash<std::string>{}(list.key);
    const size_t bytes = Bytes(list);
    Insert(seq, id, std::move(list), bytes, &names_);
  }

  // Everything held for `seq` (nothing when the cache holds another number), for `check`.
  struct Contents {
    std::vector<std::shared_ptr<const Entity>> entities;
    std::vector<std::shared_ptr<const Relation>> relations;
    std::vector<std::pair<RelationId, std::shared_ptr<const std::vector<Provenance>>>> sources;
    std::vector<std::shared_ptr<const KeyList>> lists;
    std::vector<std::shared_ptr<const NameList>> names;
    std::vector<std::shared_ptr<const Document>> documents;
  };
  Contents Copy(uint64_t seq) const {
    Contents c;
    std::lock_guard<std::mutex> lock(mu_);
    if (seq != seq_) return c;
    auto all = [](const auto& g, auto add) {
      for (const auto* m : {&g.young, &g.old}) {
        for (const auto& [id, copy] : *m) add(id, copy);
      }
    };
    all(entities_, [&](uint64_t, const auto& e) { c.entities.push_back(e); });
    all(relations_, [&](uint64_t, const auto& r) { c.relations.push_back(r); });
    all(sources_, [&](uint64_t id, const auto& v) { c.sources.emplace_back(id, v); });
    all(lists_, [&](uint64_t, const auto& l) { c.lists.push_back(l); });
    all(names_, [&](uint64_t, const auto& n) { c.names.push_back(n); });
    all(documents_, [&](uint64_t, const auto& d) { c.documents.push_back(d); });
    return c;
  }

  // Drops every copy: called after each commit. (A commit whose ingested files overlap nothing
  // may leave the sequence number as it was, so the number alone does not tell.)
  void Forget() {
    std::lock_guard<std::mutex> lock(mu_);
    Clear();
  }

  // What the copies take now (approximately), and how many there are.
  size_t bytes() const;
  size_t count() const;

  static size_t Bytes(const Entity& e);
  static size_t Bytes(const Relation& r);
  static size_t Bytes(const std::vector<Provenance>& v);
  static size_t Bytes(const Document& d);
  static size_t Bytes(const NameList& n) { return 96 + n.key.capacity() + sizeof(NameMatch) * n.matches.capacity(); }
  static size_t Bytes(const KeyList& l) { return 96 + l.prefix.size() + l.blob.capacity() + 4 * l.ends.capacity(); }

 private:
  template <typename T>
  struct Generations {
    std::unordered_map<uint64_t, std::shared_ptr<const T>> young, old;
  };

  // REQUIRES: mu_ held. False when `seq` is not the cache's (after emptying it for a newer one).
  bool At(uint64_t seq);

  // A list is known by a hash of its family and prefix; the prefix kept in it settles a clash.
  static uint64_t ListId(int family, const std::string& prefix) {
    return std::hash<std::string>{}(prefix) * 31 + static_cast<uint64_t>(family);
  }

  template <typename T>
  static void CopyOut(const std::shared_ptr<const T>& found, T* out) { *out = *found; }
  template <typename T>
  static void CopyOut(const std::shared_ptr<const T>& found, std::shared_ptr<const T>* out) { *out = found; }

  template <typename T, typename Out>
  bool Lookup(uint64_t seq, uint64_t id, Generations<T>* g, Out* out) {
    if (half_ == 0) return false;
    std::shared_ptr<const T> found;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!At(seq)) return false;
      if (auto it = g->young.find(id); it != g->young.end()) {
        found = it->second;
      } else if (auto old = g->old.find(id); old != g->old.end()) {
        found = old->second;
        const size_t bytes = Bytes(*found);
        g->young.emplace(id, found);
        g->old.erase(old);
        young_bytes_ += bytes;
        old_bytes_ -= std::min(old_bytes_, bytes);
        if (young_bytes_ > half_) Age();
      } else {
        return false;
      }
    }
    CopyOut(found, out);  // the copy is made outside the lock
    return true;
  }

  template <typename T>
  void Insert(uint64_t seq, uint64_t id, T value, size_t bytes, Generations<T>* g) {
    if (half_ == 0) return;
    Insert(seq, id, std::make_shared<const T>(std::move(value)), bytes, g);
  }
  template <typename T>
  void Insert(uint64_t seq, uint64_t id, std::shared_ptr<const T> copy, size_t bytes, Generations<T>* g) {
    if (half_ == 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (!At(seq)) return;
    if (young_bytes_ + bytes > half_) Age();
    // A copy of the same record in either generation is replaced, its bytes given back.
    if (auto o = g->old.find(id); o != g->old.end()) {
      old_bytes_ -= std::min(old_bytes_, Bytes(*o->second));
      g->old.erase(o);
    }
    if (auto y = g->young.find(id); y != g->young.end()) young_bytes_ -= std::min(young_bytes_, Bytes(*y->second));
    g->young.insert_or_assign(id, std::move(copy));
    young_bytes_ += bytes;
  }

  // Calls fn on the generations of every kind of copy (`self` is the cache, const or not).
  template <typename Self, typename F>
  static void EachKind(Self& self, F fn) {
    fn(self.entities_);
    fn(self.relations_);
    fn(self.sources_);
    fn(self.lists_);
    fn(self.names_);
    fn(self.documents_);
  }

  // REQUIRES: mu_ held. The young generations become the old ones.
  void Age();
  // REQUIRES: mu_ held.
  void Clear();

  const size_t half_;
  mutable std::mutex mu_;
  uint64_t seq_ = 0;
  size_t young_bytes_ = 0, old_bytes_ = 0;
  Generations<Entity> entities_;
  Generations<Relation> relations_;
  Generations<std::vector<Provenance>> sources_;
  Generations<KeyList> lists_;
  Generations<NameList> names_;
  Generations<Document> documents_;
};

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_INTERNAL_RECORD_CACHE_H_
