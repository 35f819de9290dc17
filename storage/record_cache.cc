#include "storage/internal/record_cache.h"

namespace pactgraph::storage {

namespace {

// A map node, its shared block and the record's fixed part; strings by their length.
constexpr size_t kOverhead = 96;

size_t StringBytes(const std::string& s) { return s.size() > 15 ? s.size() + 1 : 0; }

}  // namespace

size_t RecordCache::Bytes(const Entity& e) {
  size_t n = kOverhead + sizeof(Entity) + StringBytes(e.name) + StringBytes(e.type);
  for (const std::string& a : e.aliases) n += sizeof(std::string) + StringBytes(a);
  for (const auto& [k, v] : e.properties) n += 64 + StringBytes(k) + StringBytes(v);
  return n;
}

size_t RecordCache::Bytes(const Relation& r) {
  size_t n = kOverhead + sizeof(Relation) + StringBytes(r.type);
  for (const Qualifier& q : r.qualifiers) n += sizeof(Qualifier) + StringBytes(q.slot) + StringBytes(q.literal);
  for (const auto& [k, v] : r.properties) n += 64 + StringBytes(k) + StringBytes(v);
  return n;
}

size_t RecordCache::Bytes(const std::vector<Provenance>& v) {
  size_t n = kOverhead;
  for (const Provenance& p : v) {
    n += sizeof(Provenance) + StringBytes(p.extractor) + StringBytes(p.evidence);
    if (p.literals) {
      for (const auto& [k, l] : *p.literals) n += 64 + StringBytes(k) + StringBytes(l);
    }
  }
  return n;
}

size_t RecordCache::Bytes(const Document& d) {
  return kOverhead + sizeof(Document) + StringBytes(d.key) + StringBytes(d.kind) + StringBytes(d.title) +
         StringBytes(d.publisher) + StringBytes(d.date) + StringBytes(d.url) + StringBytes(d.text) +
         StringBytes(d.content_hash);
}

bool RecordCache::At(uint64_t seq) {
  if (seq == seq_) return true;
  if (seq < seq_) return false;
  Clear();
  seq_ = seq;
  return true;
}

void RecordCache::Age() {
  EachKind(*this, [](auto& g) {
    g.old = std::move(g.young);
    g.young.clear();
  });
  old_bytes_ = young_bytes_;
  young_bytes_ = 0;
}

void RecordCache::Clear() {
  EachKind(*this, [](auto& g) { g = {}; });
  young_bytes_ = old_bytes_ = 0;
}

size_t RecordCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return young_bytes_ + old_bytes_;
}

size_t RecordCache::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  EachKind(*this, [&](const auto& g) { n += g.young.size() + g.old.size(); });
  return n;
}

}  // namespace pactgraph::storage
