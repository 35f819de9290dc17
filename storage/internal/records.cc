#include "storage/internal/records.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "storage/internal/coding.h"
#include "storage/internal/keys.h"

namespace pactgraph::storage {
namespace {

void PutProperties(std::string& out, const std::map<std::string, std::string>& props) {
  PutVarint(out, props.size());
  for (const auto& [k, v] : props) {
    PutBytes(out, k);
    PutBytes(out, v);
  }
}

bool GetProperties(Decoder& d, std::map<std::string, std::string>* props) {
  uint64_t n = 0;
  if (!d.GetVarint(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!d.GetBytes(&k) || !d.GetBytes(&v)) return false;
    (*props)[std::move(k)] = std::move(v);
  }
  return true;
}

Status Bad(const char* what, uint64_t id, const char* why) {
  return Status::Corruption(std::string(what) + " #" + std::to_string(id) + ": " + why);
}

bool CheckVersion(Decoder& d) {
  uint8_t v = 0;
  return d.GetByte(&v) && v == kRecordVersion;
}

}  // namespace

std::string EncodeEntity(const Schema& schema, const Entity& e) {
  std::string out;
  out += static_cast<char>(kRecordVersion);
  PutVarint(out, schema.FindEntityType(e.type)->id);
  out += static_cast<char>(e.type_implied ? 1 : 0);
  PutBytes(out, e.name);
  PutVarint(out, e.aliases.size());
  for (const std::string& a : e.aliases) PutBytes(out, a);
  PutProperties(out, e.properties);
  return out;
}

Result<Entity> DecodeEntity(const Schema& schema, EntityId id, std::string_view value) {
  Decoder d(value);
  if (!CheckVersion(d)) return Bad("entity", id, "unknown record version");
  Entity e;
  e.id = id;
  uint64_t type = 0, n = 0;
  uint8_t flags = 0;
  if (!d.GetVarint(&type) || !d.GetByte(&flags) || !d.GetBytes(&e.name) || !d.GetVarint(&n)) {
    return Bad("entity", id, "truncated record");
  }
  const EntityTypeDef* def = schema.EntityTypeById(static_cast<TypeId>(type));
  if (!def || type > 0xFFFF) return Bad("entity", id, "unknown entity type id");
  e.type = def->name;
  e.type_implied = (flags & 1) != 0;
  if (n > value.size()) return Bad("entity", id, "alias count past the end");
  for (uint64_t i = 0; i < n; ++i) {
    std::string a;
    if (!d.GetBytes(&a)) return Bad("entity", id, "truncated alias");
    e.aliases.push_back(std::move(a));
  }
  if (!GetProperties(d, &e.properties) || !d.done()) return Bad("entity", id, "malformed properties");
  return e;
}

std::string EncodeRelation(const Schema& schema, const Relation& r) {
  std::string out;
  out += static_cast<char>(kRecordVersion);
  PutVarint(out, schema.FindRelationType(r.type)->id);
  PutVarint(out, r.subject);
  PutVarint(out, r.object);
  PutVarint(out, r.qualifiers.size());
  for (const Qualifier& q : r.qualifiers) {
    PutVarint(out, schema.FindSlot(q.slot)->id);
    if (q.is_node()) {
      out += static_cast<char>(SlotKind::kNode);
      PutVarint(out, q.node);
    } else {
      out += static_cast<char>(SlotKind::kLiteral);
      PutBytes(out, q.literal);
    }
  }
  PutProperties(out, r.properties);
  return out;
}

Result<Relation> DecodeRelation(const Schema& schema, RelationId id, std::string_view value) {
  Decoder d(value);
  if (!CheckVersion(d)) return Bad("relation", id, "unknown record version");
  Relation r;
  r.id = id;
  uint64_t type = 0, n = 0;
  if (!d.GetVarint(&type) || !d.GetVarint(&r.subject) || !d.GetVarint(&r.object) ||
      !d.GetVarint(&n)) {
    return Bad("relation", id, "truncated record");
  }
  const RelationTypeDef* def = type <= 0xFFFF ? schema.RelationTypeById(static_cast<TypeId>(type)) : nullptr;
  if (!def) return Bad("relation", id, "unknown relation type id");
  r.type = def->name;
  if (n > value.size()) return Bad("relation", id, "qualifier count past the end");
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t slot = 0;
    uint8_t kind = 0;
    if (!d.GetVarint(&slot) || !d.GetByte(&kind)) return Bad("relation", id, "truncated qualifier");
    const SlotDef* sd = slot <= 0xFFFF ? schema.SlotById(static_cast<TypeId>(slot)) : nullptr;
    if (!sd) return Bad("relation", id, "unknown qualifier slot id");
    Qualifier q;
    q.slot = sd->name;
    if (kind == static_cast<uint8_t>(SlotKind::kNode)) {
      if (!d.GetVarint(&q.node) || q.node == 0) return Bad("relation", id, "bad node qualifier");
    } else if (kind == static_cast<uint8_t>(SlotKind::kLiteral)) {
      if (!d.GetBytes(&q.literal)) return Bad("relation", id, "bad literal qualifier");
    } else {
      return Bad("relation", id, "unknown qualifier kind");
    }
    r.qualifiers.push_back(std::move(q));
  }
  if (!GetProperties(d, &r.properties) || !d.done()) return Bad("relation", id, "malformed properties");
  return r;
}

std::string EncodeProvenance(const Provenance& p) {
  std::string out;
  out += static_cast<char>(kRecordVersion);
  PutVarint(out, p.span_begin);
  PutVarint(out, p.span_end);
  PutVarint(out, p.line);
  PutBytes(out, p.extractor);
  PutBig32(out, std::bit_cast<uint32_t>(p.confidence));
  PutBytes(out, p.evidence);
  if (p.literals) {
    PutVarint(out, p.literals->size());
    for (const auto& [slot, value] : *p.literals) {
      PutBytes(out, slot);
      PutBytes(out, value);
    }
  }
  return out;
}

Result<Provenance> DecodeProvenance(DocumentId doc, uint32_t sentence, std::string_view value) {
  Decoder d(value);
  if (!CheckVersion(d)) return Bad("provenance of document", doc, "unknown record version");
  Provenance p;
  p.document = doc;
  p.sentence = sentence;
  uint64_t b = 0, e = 0, line = 0;
  uint32_t conf = 0;
  if (!d.GetVarint(&b) || !d.GetVarint(&e) || !d.GetVarint(&line) || !d.GetBytes(&p.extractor) ||
      !d.GetFixed32(&conf) || !d.GetBytes(&p.evidence) || b > UINT32_MAX || e > UINT32_MAX ||
      line > UINT32_MAX) {
    return Bad("provenance of document", doc, "malformed record");
  }
  // The source's literals, in records written since they are kept.
  if (!d.done()) {
    uint64_t n = 0;
    if (!d.GetVarint(&n) || n > value.size()) return Bad("provenance of document", doc, "malformed record");
    p.literals.emplace();
    for (uint64_t i = 0; i < n; ++i) {
      std::string slot, v;
      if (!d.GetBytes(&slot) || !d.GetBytes(&v)) return Bad("provenance of document", doc, "malformed record");
      (*p.literals)[slot] = v;
    }
  }
  if (!d.done()) return Bad("provenance of document", doc, "malformed record");
  p.span_begin = static_cast<uint32_t>(b);
  p.span_end = static_cast<uint32_t>(e);
  p.line = static_cast<uint32_t>(line);
  p.confidence = std::bit_cast<float>(conf);
  return p;
}

std::string EncodeDocument(const Document& doc) {
  std::string out;
  out += static_cast<char>(kRecordVersion);
  for (const std::string* s : {&doc.key, &doc.kind, &doc.title, &doc.publisher, &doc.date,
                               &doc.url, &doc.content_hash, &doc.text}) {
    PutBytes(out, *s);
  }
  return out;
}

Result<Document> DecodeDocument(DocumentId id, std::string_view value) {
  Decoder d(value);
  if (!CheckVersion(d)) return Bad("document", id, "unknown record version");
  Document doc;
  doc.id = id;
  for (std::string* s : {&doc.key, &doc.kind, &doc.title, &doc.publisher, &doc.date, &doc.url,
                         &doc.content_hash, &doc.text}) {
    if (!d.GetBytes(s)) return Bad("document", id, "truncated record");
  }
  if (!d.done()) return Bad("document", id, "trailing bytes");
  return doc;
}

}  // namespace pactgraph::storage

namespace pactgraph::storage {
std::string FactKeyFor(const Schema& schema, const Relation& r) {
  const RelationTypeDef* def = schema.FindRelationType(r.type);
  std::vector<std::pair<TypeId, EntityId>> nodes;
  for (const Qualifier& q : r.qualifiers) {
    if (q.is_node()) nodes.emplace_back(schema.FindSlot(q.slot)->id, q.node);
  }
  std::sort(nodes.begin(), nodes.end());
  EntityId s = r.subject, o = r.object;
  if (def->symmetric && o < s) std::swap(s, o);
  return FactKey(def->id, s, o, nodes);
}
}  // namespace pactgraph::storage
