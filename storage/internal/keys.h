// Column families and key layouts of the store. storage/FORMAT.md is the reference; this file is
// its code. Nothing outside storage/ includes it (tests may, to break a store on purpose).
#ifndef PACTGRAPH_STORAGE_INTERNAL_KEYS_H_
#define PACTGRAPH_STORAGE_INTERNAL_KEYS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/model.h"
#include "graph/schema.h"
#include "storage/internal/coding.h"

namespace pactgraph::storage {

// The on-disk format this code writes. A database with a larger number is refused.
// Version 2 added the fingerprint and location entries of `docindex`; a version-1 store opened
// for writing gets its fingerprint entries and becomes version 2.
inline constexpr uint64_t kFormatVersion = 2;
// The first byte of every record value; bumped when a record layout changes.
inline constexpr uint8_t kRecordVersion = 1;

// Column families, in the order they are opened. Stored on disk by name.
enum class Cf : int { kDefault = 0, kMeta, kNodes, kEdges, kAdj, kQual, kNames, kFacts, kProv, kDocs, kDocIndex };
inline constexpr int kNumCfs = 11;
inline constexpr std::array<const char*, kNumCfs> kCfNames = {
    "default", "meta", "nodes", "edges", "adj", "qual", "names", "facts", "prov", "docs", "docindex"};

// Direction byte of an adjacency key. Stored on disk: values never change.
enum class Dir : uint8_t { kOut = 0, kIn = 1 };

inline std::string IdKey(uint64_t id) {
  std::string k;
  PutBig64(k, id);
  return k;
}

// adj: node(8) dir(1) type(2) other(8) relation(8)
inline constexpr size_t kAdjKeySize = 27;
inline std::string AdjKey(EntityId node, Dir dir, TypeId type, EntityId other, RelationId rel) {
  std::string k;
  k.reserve(kAdjKeySize);
  PutBig64(k, node);
  k += static_cast<char>(dir);
  PutBig16(k, type);
  PutBig64(k, other);
  PutBig64(k, rel);
  return k;
}
struct AdjEntry {
  EntityId node;
  Dir dir;
  TypeId type;
  EntityId other;
  RelationId relation;
};
inline bool ParseAdjKey(std::string_view k, AdjEntry* e) {
  if (k.size() != kAdjKeySize || static_cast<uint8_t>(k[8]) > 1) return false;
  *e = {GetBig64(k.data()), static_cast<Dir>(k[8]), GetBig16(k.data() + 9), GetBig64(k.data() + 11),
        GetBig64(k.data() + 19)};
  return true;
}

// qual: qualifier entity(8) slot(2) relation type(2) relation(8)
inline constexpr size_t kQualKeySize = 20;
inline std::string QualKey(EntityId value, TypeId slot, TypeId rel_type, RelationId rel) {
  std::string k;
  k.reserve(kQualKeySize);
  PutBig64(k, value);
  PutBig16(k, slot);
  PutBig16(k, rel_type);
  PutBig64(k, rel);
  return k;
}
struct QualEntry {
  EntityId value;
  TypeId slot;
  TypeId rel_type;
  RelationId relation;
};
inline bool ParseQualKey(std::string_view k, QualEntry* e) {
  if (k.size() != kQualKeySize) return false;
  *e = {GetBig64(k.data()), GetBig16(k.data() + 8), GetBig16(k.data() + 10), GetBig64(k.data() + 12)};
  return true;
}

// names: normalised name, 0x00, entity(8). Value: one byte, 1 for the canonical name, 0 for an alias.
inline std::string NameKeyPrefix(std::string_view normalized) {
  std::string k(normalized);
  k += '\0';
  return k;
}
inline std::string NameKey(std::string_view normalized, EntityId id) {
  std::string k = NameKeyPrefix(normalized);
  PutBig64(k, id);
  return k;
}
inline bool ParseNameKey(std::string_view k, std::string_view* normalized, EntityId* id) {
  if (k.size() < 9 || k[k.size() - 9] != '\0') return false;
  *normalized = k.substr(0, k.size() - 9);
  *id = GetBig64(k.data() + k.size() - 8);
  return true;
}

// facts: type(2) subject(8) object(8) then (slot(2) entity(8)) per node-valued qualifier in slot
// order. A symmetric relation type stores the smaller id as subject. Value: relation id(8).
inline std::string FactKey(TypeId type, EntityId subject, EntityId object,
                           const std::vector<std::pair<TypeId, EntityId>>& node_qualifiers) {
  std::string k;
  k.reserve(18 + 10 * node_qualifiers.size());
  PutBig16(k, type);
  PutBig64(k, subject);
  PutBig64(k, object);
  for (const auto& [slot, value] : node_qualifiers) {
    PutBig16(k, slot);
    PutBig64(k, value);
  }
  return k;
}

// prov: relation(8) document(8) sentence(4)
inline constexpr size_t kProvKeySize = 20;
inline std::string ProvKey(RelationId rel, DocumentId doc, uint32_t sentence) {
  std::string k;
  k.reserve(kProvKeySize);
  PutBig64(k, rel);
  PutBig64(k, doc);
  PutBig32(k, sentence);
  return k;
}

// docindex: 'h' + content hash -> document id(8); 'k' + document key -> document id(8);
// 'f' + text fingerprint -> document id(8); 'l' + document id(8) + location -> empty (the
// document's places: URLs and file names it was imported from, in byte order).
inline std::string DocHashKey(std::string_view hash) { return "h" + std::string(hash); }
inline std::string DocRefKey(std::string_view key) { return "k" + std::string(key); }
inline std::string DocFingerprintKey(std::string_view fingerprint) { return "f" + std::string(fingerprint); }
inline std::string DocLocationPrefix(DocumentId doc) { return "l" + IdKey(doc); }
inline std::string DocLocationKey(DocumentId doc, std::string_view location) {
  return DocLocationPrefix(doc) + std::string(location);
}

// meta keys.
inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaSchema = "schema";
inline constexpr std::string_view kMetaNextEntity = "next/entity";
inline constexpr std::string_view kMetaNextRelation = "next/relation";
inline constexpr std::string_view kMetaNextDocument = "next/document";
inline std::string EntityCountKey(TypeId t) {
  std::string k = "count/entity/";
  PutBig16(k, t);
  return k;
}
inline std::string RelationCountKey(TypeId t) {
  std::string k = "count/relation/";
  PutBig16(k, t);
  return k;
}
inline constexpr std::string_view kMetaDocumentCount = "count/document";

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_INTERNAL_KEYS_H_
