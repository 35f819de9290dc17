#include "storage/import_session.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <map>
#include <queue>
#include <thread>

#include "graph/fault.h"
#include "graph/fingerprint.h"
#include "graph/names.h"
#include "storage/internal/coding.h"
#include "storage/internal/fact_table.h"
#include "storage/internal/keys.h"
#include "storage/internal/record_cache.h"
#include "storage/internal/records.h"

namespace pactgraph::storage {

struct ImportSession::EntityState {
  Entity entity;
  std::vector<std::pair<std::string, bool>> indexed;  // (normalised name, canonical) in the store
  bool is_new = false;
  bool dirty = false;
  bool distinct = false;  // declared with its own id in this session
  // While the type is implied: the type lists of the positions the entity was used in.
  std::vector<const std::vector<std::string>*> implied_uses;
};

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? i + 1 == v.size() ? " or " : ", " : "") + v[i];
  return out;
}

std::string Describe(const Entity& e) {
  return "\"" + e.name + "\" (" + e.type + " #" + std::to_string(e.id) + ")";
}

std::string Counter(uint64_t v) {
  std::string s;
  PutBig64(s, v);
  return s;
}

}  // namespace

// Collects the entries of a WriteBatch by column family, as slices into the batch.
class ImportSession::EntryCollector : public rocksdb::WriteBatch::Handler {
 public:
  explicit EntryCollector(size_t num_cfs) : entries(num_cfs) {}
  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    if (cf >= entries.size()) return rocksdb::Status::InvalidArgument("unknown column family");
    entries[cf].emplace_back(key, value);
    return rocksdb::Status::OK();
  }
  std::vector<std::vector<std::pair<rocksdb::Slice, rocksdb::Slice>>> entries;
};

ImportSession::ImportSession(Store* store, const ImportOptions& options)
    : store_(store),
      options_(options),
      lock_(store->write_mu_),
      snap_(store->GetSnapshot()),
      batch_(std::make_unique<rocksdb::WriteBatch>()),
      facts_(std::make_unique<FactTable>()) {}

ImportSession::~ImportSession() {
  if (spill_thread_.joinable()) spill_thread_.join();
  if (!spill_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(spill_dir_, ignored);
  }
}

const Schema& ImportSession::schema() const { return store_->schema(); }

size_t ImportSession::pending_bytes() const { return batch_ ? batch_->GetDataSize() : 0; }

Status ImportSession::Usable() const {
  if (finished_) return Status::FailedPrecondition("the import session has already ended");
  return Status::OK();
}

// ---------------------------------------------------------------------------------- Entities

Result<ImportSession::EntityState*> ImportSession::Load(EntityId id) {
  if (EntityState* known = FindState(id)) return known;
  PG_ASSIGN_OR_RETURN(Entity e, store_->GetEntity(snap_, id));
  auto st = std::make_unique<EntityState>();
  st->indexed.emplace_back(NormalizeKey(e.name), true);
  for (const std::string& a : e.aliases) st->indexed.emplace_back(NormalizeKey(a), false);
  st->entity = std::move(e);
  return AddState(std::move(st));
}

ImportSession::EntityState* ImportSession::FindState(EntityId id) {
  const uint64_t* at = entity_index_.Find(id);
  return at ? entity_states_[*at].get() : nullptr;
}

ImportSession::EntityState* ImportSession::AddState(std::unique_ptr<EntityState> st) {
  entity_index_.Set(st->entity.id, entity_states_.size());
  entity_states_.push_back(std::move(st));
  return entity_states_.back().get();
}

Result<std::vector<NameMatch>> ImportSession::Lookup(const std::string& key) {
  std::vector<NameMatch> out;
  if (auto it = names_.find(key); it != names_.end()) out = it->second;
  if (!store_was_empty_) {
    PG_ASSIGN_OR_RETURN(std::vector<NameMatch> stored, store_->FindByName(snap_, key));
    for (const NameMatch& m : stored) {
      auto same = [&](const NameMatch& o) { return o.id == m.id; };
      if (std::none_of(out.begin(), out.end(), same)) out.push_back(m);
    }
  }
  return out;
}

void ImportSession::IndexNames(const Entity& e) {
  auto add = [&](const std::string& name, bool canonical) {
    const std::string key = NormalizeKey(name);
    if (key.empty()) return;
    std::vector<NameMatch>& list = names_[key];
    for (NameMatch& m : list) {
      if (m.id == e.id) {
        m.canonical = m.canonical || canonical;
        return;
      }
    }
    list.push_back({e.id, canonical});
  };
  add(e.name, true);
  for (const std::string& a : e.aliases) add(a, false);
}

Status ImportSession::CheckRetype(EntityState& st, const std::string& new_type) {
  for (const std::vector<std::string>* allowed : st.implied_uses) {
    if (!Schema::TypeAllowed(*allowed, new_type)) {
      return Status::InvalidArgument(Describe(st.entity) + " is declared as a " + new_type +
                                     ", but an earlier line uses it where a " + Join(*allowed) +
                                     " is needed");
    }
  }
  if (!st.is_new) {
    // A stored entity with an implied type: its stored relations must allow the new type.
    for (int dir = 0; dir < 2; ++dir) {
      RelationCursor c = dir == 0 ? store_->Outgoing(snap_, st.entity.id) : store_->Incoming(snap_, st.entity.id);
      for (; c.Valid(); c.Next()) {
        const RelationTypeDef* def = schema().FindRelationType(c.relation().type);
        const auto& allowed = c.outgoing() ? def->subject_types : def->object_types;
        if (!Schema::TypeAllowed(allowed, new_type)) {
          return Status::InvalidArgument(Describe(st.entity) + " is declared as a " + new_type +
                                         ", but stored relation " + c.relation().type + " #" +
                                         std::to_string(c.relation().id) + " needs a " + Join(allowed));
        }
      }
      PG_RETURN_IF_ERROR(c.status());
    }
  }
  return Status::OK();
}

Status ImportSession::MergeInto(EntityState& st, const EntitySpec& spec) {
  Entity& e = st.entity;
  if (e.type_implied) {
    if (e.type != spec.type) {
      PG_RETURN_IF_ERROR(CheckRetype(st, spec.type));
      --count_deltas_[EntityCountKey(schema().FindEntityType(e.type)->id)];
      ++count_deltas_[EntityCountKey(schema().FindEntityType(spec.type)->id)];
      e.type = spec.type;
    }
    e.type_implied = false;
    st.implied_uses.clear();
    const std::string name = CleanDisplayName(spec.name);
    if (!e.name.empty() && NormalizeKey(name) != NormalizeKey(e.name)) {
      // Known so far only by another of its names: the declared name becomes canonical.
      e.aliases.insert(e.aliases.begin(), e.name);
    }
    e.name = name;
  }
  std::vector<std::string> keys = {NormalizeKey(e.name)};
  for (const std::string& a : e.aliases) keys.push_back(NormalizeKey(a));
  std::vector<std::string> aliases;
  for (const std::string& a : e.aliases) {
    if (NormalizeKey(a) != keys.front()) aliases.push_back(a);
  }
  e.aliases = std::move(aliases);
  for (const std::string& raw : spec.aliases) {
    const std::string alias = CleanDisplayName(raw);
    const std::string key = NormalizeKey(alias);
    if (key.empty() || std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    e.aliases.push_back(alias);
  }
  for (const auto& [k, v] : spec.properties) e.properties[k] = v;
  st.dirty = true;
  IndexNames(e);
  return Status::OK();
}

Result<AddOutcome> ImportSession::DeclareEntity(const EntitySpec& spec) {
  PG_RETURN_IF_ERROR(Usable());
  if (!schema().FindEntityType(spec.type)) {
    return Status::InvalidArgument("unknown entity type \"" + spec.type + "\"");
  }
  const std::string name = CleanDisplayName(spec.name);
  const std::string key = NormalizeKey(name);
  if (key.empty()) return Status::InvalidArgument("entity name \"" + spec.name + "\" has no letters or digits");

  // The same entity: same canonical name and type, or one whose type was only implied.
  EntityState* found = nullptr;
  PG_ASSIGN_OR_RETURN(std::vector<NameMatch> matches, Lookup(key));
  for (const NameMatch& m : matches) {
    if (!m.canonical) continue;
    PG_ASSIGN_OR_RETURN(EntityState * st, Load(m.id));
    if (spec.distinct && st->distinct) continue;
    if (st->entity.type == spec.type && (!found || found->entity.type_implied)) found = st;
    if (st->entity.type_implied && !found) found = st;
  }
  // Or an entity so far known only by one of the aliases this line gives.
  for (size_t i = 0; !found && i < spec.aliases.size(); ++i) {
    const std::string alias_key = NormalizeKey(spec.aliases[i]);
    if (alias_key.empty()) continue;
    PG_ASSIGN_OR_RETURN(std::vector<NameMatch> by_alias, Lookup(alias_key));
    for (const NameMatch& m : by_alias) {
      PG_ASSIGN_OR_RETURN(EntityState * st, Load(m.id));
      if (m.canonical && st->entity.type_implied) {
        found = st;
        break;
      }
    }
  }
  if (found) {
    PG_RETURN_IF_ERROR(MergeInto(*found, spec));
    found->distinct = found->distinct || spec.distinct;
    ++counts_.entities_merged;
    return AddOutcome{found->entity.id, false};
  }

  auto st = std::make_unique<EntityState>();
  st->is_new = true;
  st->dirty = true;
  st->distinct = spec.distinct;
  st->entity.id = next_entity_++;
  st->entity.type = spec.type;
  st->entity.name = name;
  PG_RETURN_IF_ERROR(MergeInto(*st, EntitySpec{spec.type, name, spec.aliases, spec.properties}));
  ++count_deltas_[EntityCountKey(schema().FindEntityType(spec.type)->id)];
  ++counts_.entities_new;
  const EntityId id = st->entity.id;
  AddState(std::move(st));
  return AddOutcome{id, true};
}

Result<EntityId> ImportSession::ResolveName(std::string_view raw, const std::vector<std::string>& allowed) {
  PG_RETURN_IF_ERROR(Usable());
  const std::string name = CleanDisplayName(raw);
  const std::string key = NormalizeKey(name);
  if (key.empty()) return Status::InvalidArgument("name \"" + std::string(raw) + "\" has no letters or digits");
  PG_ASSIGN_OR_RETURN(std::vector<NameMatch> matches, Lookup(key));
  const auto local = names_.find(key);
  int best_rank = 99;
  std::vector<EntityState*> best;
  EntityState* other_type = nullptr;  // a known entity of this name that the caller cannot use
  bool other_canonical = false;
  for (const NameMatch& m : matches) {
    PG_ASSIGN_OR_RETURN(EntityState * st, Load(m.id));
    if (!Schema::TypeAllowed(allowed, st->entity.type)) {
      if (!other_type || (m.canonical && !other_canonical)) {
        other_type = st;
        other_canonical = m.canonical;
      }
      continue;
    }
    const bool is_local = local != names_.end() &&
                          std::any_of(local->second.begin(), local->second.end(),
                                      [&](const NameMatch& l) { return l.id == m.id; });
    const int rank = (is_local ? 0 : 2) + (m.canonical ? 0 : 1);
    if (rank < best_rank) {
      best_rank = rank;
      best.clear();
    }
    if (rank == best_rank) best.push_back(st);
  }
  if (best.size() == 1) return best.front()->entity.id;
  // Names that differ only by a legal form share a key ("Docker" the company, "Docker Inc." the
  // product an article stored under its maker's name): the one written exactly so is meant.
  if (best.size() > 1) {
    std::vector<EntityState*> exact;
    for (EntityState* st : best) {
      if (st->entity.name == name) exact.push_back(st);
    }
    if (exact.size() == 1) return exact.front()->entity.id;
  }
  if (best.size() > 1) {
    std::string list;
    for (size_t i = 0; i < best.size() && i < 5; ++i) list += (i ? ", " : "") + Describe(best[i]->entity);
    return Status::InvalidArgument("name \"" + name + "\" is ambiguous: it could be " + list +
                                   "; use the entity's id or a fuller name");
  }
  if (allowed.empty()) {
    return Status::NotFound("unknown entity \"" + name + "\": declare it with an entity line first");
  }
  // The name is known, but only as an entity of another type. That is almost always a
  // mistake in the input rather than a second entity of the same name, so hand back the
  // known one and let the relation's type check say what it wanted. A file that means a
  // different entity declares it with an entity line (and an id if the names clash).
  if (other_type) return other_type->entity.id;
  auto st = std::make_unique<EntityState>();
  st->is_new = true;
  st->dirty = true;
  st->entity = Entity{next_entity_++, allowed.front(), name, {}, {}, /*type_implied=*/true};
  IndexNames(st->entity);
  ++count_deltas_[EntityCountKey(schema().FindEntityType(allowed.front())->id)];
  ++counts_.entities_new;
  const EntityId id = st->entity.id;
  AddState(std::move(st));
  return id;
}

Result<EntityId> ImportSession::CreatePlaceholder(const std::string& implied_type) {
  PG_RETURN_IF_ERROR(Usable());
  if (!schema().FindEntityType(implied_type)) return Status::InvalidArgument("unknown entity type \"" + implied_type + "\"");
  auto st = std::make_unique<EntityState>();
  st->is_new = true;
  st->dirty = true;
  st->entity = Entity{next_entity_++, implied_type, "", {}, {}, /*type_implied=*/true};
  ++count_deltas_[EntityCountKey(schema().FindEntityType(implied_type)->id)];
  ++counts_.entities_new;
  const EntityId id = st->entity.id;
  AddState(std::move(st));
  placeholders_.insert(id);
  return id;
}

Status ImportSession::FillPlaceholder(EntityId id, const EntitySpec& spec) {
  PG_RETURN_IF_ERROR(Usable());
  if (!placeholders_.count(id)) return Status::Internal("entity #" + std::to_string(id) + " is not a placeholder");
  if (!schema().FindEntityType(spec.type)) return Status::InvalidArgument("unknown entity type \"" + spec.type + "\"");
  if (NormalizeKey(spec.name).empty()) return Status::InvalidArgument("entity name \"" + spec.name + "\" has no letters or digits");
  EntityState& st = *FindState(id);
  PG_RETURN_IF_ERROR(MergeInto(st, spec));
  st.distinct = true;
  placeholders_.erase(id);
  return Status::OK();
}

Result<std::string> ImportSession::EntityType(EntityId id) {
  PG_ASSIGN_OR_RETURN(EntityState * st, Load(id));
  return st->entity.type;
}

// ---------------------------------------------------------------------------------- Relations

Result<AddOutcome> ImportSession::AddRelation(const RelationSpec& spec, const std::vector<Provenance>& sources) {
  PG_RETURN_IF_ERROR(Usable());
  if (options_.fail_at_relation != 0 && ++relations_added_ == options_.fail_at_relation) {
    return Status::Aborted("injected failure at relation " + std::to_string(options_.fail_at_relation));
  }
  const Schema& sc = schema();
  const RelationTypeDef* def = sc.FindRelationType(spec.type);
  if (!def) return Status::InvalidArgument("unknown relation type \"" + spec.type + "\"");
  if (sources.empty()) return Status::Internal("a relation needs a source");
  for (const Provenance& p : sources) {
    if (p.document == 0) return Status::Internal("a relation source needs a document");
  }

  auto check_end = [&](EntityId id, const std::vector<std::string>& allowed, const char* role) -> Status {
    PG_ASSIGN_OR_RETURN(EntityState * st, Load(id));
    if (!Schema::TypeAllowed(allowed, st->entity.type)) {
      return Status::InvalidArgument(spec.type + " needs " + role + " of type " + Join(allowed) + ", but " +
                                     Describe(st->entity) + " is a " + st->entity.type);
    }
    if (st->entity.type_implied) st->implied_uses.push_back(&allowed);
    return Status::OK();
  };
  PG_RETURN_IF_ERROR(check_end(spec.subject, def->subject_types, "a subject"));
  PG_RETURN_IF_ERROR(check_end(spec.object, def->object_types, "an object"));

  Relation r;
  r.type = def->name;
  r.subject = spec.subject;
  r.object = spec.object;
  r.qualifiers = spec.qualifiers;
  r.properties = spec.properties;
  // Stored in schema slot order (on, of, via, as, title, status, ...): node slots first.
  auto slot_id = [&](const Qualifier& q) {
    const SlotDef* d = sc.FindSlot(q.slot);
    return d ? d->id : TypeId{0xFFFF};
  };
  std::sort(r.qualifiers.begin(), r.qualifiers.end(),
            [&](const Qualifier& a, const Qualifier& b) { return slot_id(a) < slot_id(b); });
  for (size_t i = 0; i < r.qualifiers.size(); ++i) {
    const Qualifier& q = r.qualifiers[i];
    if (i > 0 && r.qualifiers[i - 1].slot == q.slot) {
      return Status::InvalidArgument("qualifier \"" + q.slot + "\" is given twice");
    }
    const SlotDef* slot = sc.FindSlot(q.slot);
    if (!slot || !sc.AllowsSlot(*def, q.slot)) {
      std::vector<std::string> names(def->slots);
      for (std::string_view u : Schema::kUniversalSlots) names.emplace_back(u);
      return Status::InvalidArgument(spec.type + " has no qualifier \"" + q.slot + "\" (it takes " + Join(names) + ")");
    }
    if ((slot->kind == SlotKind::kNode) != q.is_node()) {
      return Status::InvalidArgument("qualifier \"" + q.slot + "\" takes " +
                                     (slot->kind == SlotKind::kNode ? "an entity" : "a literal value"));
    }
    if (q.is_node()) {
      const std::string role = "qualifier \"" + q.slot + "\"";
      PG_RETURN_IF_ERROR(check_end(q.node, slot->types, role.c_str()));
    }
  }

  const std::string fact = FactKeyFor(sc, r);
  auto [fact_slot, inserted] = facts_->TryEmplace(fact);
  RelationId id = facts_->id(fact_slot);
  if (inserted && !store_was_empty_) {
    std::string value;
    rocksdb::ReadOptions ro;
    ro.snapshot = snap_.get();
    rocksdb::Status s = store_->db_->Get(ro, store_->cf(int(Cf::kFacts)), fact, &value);
    if (s.ok()) {
      if (value.size() != 8) return Status::Corruption("malformed deduplication entry");
      id = GetBig64(value.data());
      facts_->set_id(fact_slot, id);
    } else if (!s.IsNotFound()) {
      facts_->Erase(fact);
      return Status::IoError("reading the deduplication index: " + s.ToString());
    }
  }
  rocksdb::WriteBatch& b = *batch_;
  const bool created = id == 0;
  if (created) {
    id = next_relation_++;
    r.id = id;
    const std::string key = IdKey(id);
    b.Put(store_->cf(int(Cf::kEdges)), key, EncodeRelation(sc, r));
    b.Put(store_->cf(int(Cf::kAdj)), AdjKey(r.subject, Dir::kOut, def->id, r.object, id), "");
    b.Put(store_->cf(int(Cf::kAdj)), AdjKey(r.object, Dir::kIn, def->id, r.subject, id), "");
    for (const Qualifier& q : r.qualifiers) {
      if (q.is_node()) b.Put(store_->cf(int(Cf::kQual)), QualKey(q.node, sc.FindSlot(q.slot)->id, def->id, id), "");
    }
    b.Put(store_->cf(int(Cf::kFacts)), fact, key);
    facts_->set_id(fact_slot, id);
    ++count_deltas_[RelationCountKey(def->id)];
    ++counts_.relations_new;
  } else {
    ++counts_.relations_merged;
    retracted_.erase(id);  // stated again: it stays
  }
  // Each source keeps the literals it stated: a merged source may say "ended" of a relation
  // first stated as planned.
  std::map<std::string, std::string> literals;
  for (const Qualifier& q : r.qualifiers) {
    if (!q.is_node()) literals[q.slot] = q.literal;
  }
  for (const Provenance& source : sources) {
    Provenance p = source;
    if (!p.literals) p.literals = literals;
    b.Put(store_->cf(int(Cf::kProv)), ProvKey(id, p.document, p.sentence), EncodeProvenance(p));
    if (p.document >= cited_.size()) cited_.resize(std::max<size_t>(p.document + 1, 2 * cited_.size()));
    cited_[p.document] = true;
  }
  if (options_.spill_bytes && b.GetDataSize() >= options_.spill_bytes) PG_RETURN_IF_ERROR(SpillRun(false));
  return AddOutcome{id, created};
}

// ---------------------------------------------------------------------------------- Documents

Result<DocumentId> ImportSession::BeginUnit(const Document& doc) {
  PG_RETURN_IF_ERROR(Usable());
  Document unit = doc;
  unit.key = "unit:" + std::to_string(next_document_);  // replaced by SealUnit
  return UpsertDocument(unit);
}

Status ImportSession::SealUnit(DocumentId unit, const std::string& content_hash) {
  PG_RETURN_IF_ERROR(Usable());
  auto it = documents_.find(unit);
  if (it == documents_.end() || content_hash.empty()) return Status::Internal("no such import unit");
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> old, store_->FindDocumentByHash(snap_, content_hash));
  if (old && !retracted_docs_.empty() && !(unit < cited_.size() && cited_[unit])) {
    // The same file as an earlier import, but it brings back an older version of a document
    // that has been replaced since: not a repeat. The earlier unit stands for this one.
    doc_keys_.erase(it->second.key);
    documents_.erase(it);
    --count_deltas_[std::string(kMetaDocumentCount)];
    --counts_.documents_new;
    return Status::OK();
  }
  if (old) {
    PG_ASSIGN_OR_RETURN(Document prior, store_->GetDocument(snap_, *old));
    return Status::AlreadyExists("the same content was imported before, as document #" +
                                 std::to_string(*old) + " \"" + prior.title + "\"");
  }
  doc_keys_.erase(it->second.key);
  it->second.content_hash = content_hash;
  it->second.key = "sha256:" + content_hash;
  doc_keys_[it->second.key] = unit;
  return Status::OK();
}

Result<DocumentId> ImportSession::ResolveDocument(std::string_view key) {
  PG_RETURN_IF_ERROR(Usable());
  if (auto it = doc_keys_.find(std::string(key)); it != doc_keys_.end()) return it->second;
  PG_ASSIGN_OR_RETURN(std::optional<DocumentId> old, store_->FindDocumentByKey(snap_, key));
  if (old) {
    doc_keys_.emplace(std::string(key), *old);
    return *old;
  }
  Document d;
  d.key = std::string(key);
  d.kind = "reference";
  return UpsertDocument(d);
}

Result<DocumentId> ImportSession::UpsertDocument(const Document& doc) {
  PG_RETURN_IF_ERROR(Usable());
  if (doc.key.empty()) return Status::InvalidArgument("a document needs a key");
  DocumentId id = 0;
  if (auto it = doc_keys_.find(doc.key); it != doc_keys_.end()) {
    id = it->second;
  } else {
    PG_ASSIGN_OR_RETURN(std::optional<DocumentId> old, store_->FindDocumentByKey(snap_, doc.key));
    if (old) id = *old;
  }
  const std::string fingerprint = TextFingerprint(doc.text);
  if (id == 0 && !fingerprint.empty()) {
    // The same story under another key: one document with one more key and location.
    std::optional<DocumentId> same;
    if (auto it = fingerprints_.find(fingerprint); it != fingerprints_.end()) {
      same = it->second;
    } else if (!dropped_fingerprints_.count(fingerprint)) {
      PG_ASSIGN_OR_RETURN(same, store_->FindDocumentByFingerprint(snap_, fingerprint));
    }
    if (same) {
      doc_keys_[doc.key] = *same;
      extra_keys_[doc.key] = *same;
      if (!doc.url.empty()) PG_RETURN_IF_ERROR(AddLocation(*same, doc.url));
      ++counts_.documents_merged;
      return *same;
    }
  }
  Document* target = nullptr;
  if (id == 0) {
    id = next_document_++;
    target = &documents_[id];
    *target = doc;
    target->id = id;
    ++count_deltas_[std::string(kMetaDocumentCount)];
    ++counts_.documents_new;
  } else {
    if (!documents_.count(id)) {
      PG_ASSIGN_OR_RETURN(documents_[id], store_->GetDocument(snap_, id));
    }
    target = &documents_[id];
    if (!doc.text.empty() && !target->text.empty() && doc.text != target->text && !retracted_docs_.count(id)) {
      PG_RETURN_IF_ERROR(Retract(id));
      // The old text's fingerprint entry goes with it, when it is this document's.
      const std::string old_fingerprint = TextFingerprint(target->text);
      PG_ASSIGN_OR_RETURN(std::optional<DocumentId> holder, store_->FindDocumentByFingerprint(snap_, old_fingerprint));
      if (holder == id && old_fingerprint != fingerprint) {
        batch_->Delete(store_->cf(int(Cf::kDocIndex)), DocFingerprintKey(old_fingerprint));
        dropped_fingerprints_.insert(old_fingerprint);
      }
      if (!target->content_hash.empty() && target->content_hash != doc.content_hash) {
        batch_->Delete(store_->cf(int(Cf::kDocIndex)), DocHashKey(target->content_hash));
        target->content_hash.clear();
      }
    }
    for (auto [to, from] : {std::pair{&target->kind, &doc.kind}, {&target->title, &doc.title},
                            {&target->publisher, &doc.publisher}, {&target->date, &doc.date},
                            {&target->url, &doc.url}, {&target->text, &doc.text},
                            {&target->content_hash, &doc.content_hash}}) {
      if (!from->empty()) *to = *from;
    }
  }
  doc_keys_[doc.key] = id;
  if (!fingerprint.empty() && !fingerprints_.count(fingerprint)) {
    PG_ASSIGN_OR_RETURN(std::optional<DocumentId> holder, store_->FindDocumentByFingerprint(snap_, fingerprint));
    if (!holder || dropped_fingerprints_.count(fingerprint)) fingerprints_[fingerprint] = id;
  }
  return id;
}

Status ImportSession::AddLocation(DocumentId doc, const std::string& location) {
  PG_RETURN_IF_ERROR(Usable());
  if (location.empty() || locations_.count({doc, location})) return Status::OK();
  // A document new in this session has no stored locations.
  std::vector<std::string> known;
  Result<std::vector<std::string>> stored = store_->DocumentLocations(snap_, doc);
  if (stored.ok()) {
    known = std::move(stored).value();
  } else if (stored.status().code() != StatusCode::kNotFound) {
    return stored.status();
  }
  if (auto it = documents_.find(doc); it != documents_.end() && it->second.url == location) return Status::OK();
  if (std::find(known.begin(), known.end(), location) != known.end()) return Status::OK();
  locations_.insert({doc, location});
  ++counts_.locations_new;
  if (location.find("://") != std::string::npos && !doc_keys_.count(location)) {
    PG_ASSIGN_OR_RETURN(std::optional<DocumentId> holder, store_->FindDocumentByKey(snap_, location));
    if (!holder) {
      extra_keys_[location] = doc;
      doc_keys_[location] = doc;
    }
  }
  return Status::OK();
}

// Every source naming `doc` goes (a new version will state its own); the relations that had one
// are looked at again at commit.
Status ImportSession::Retract(DocumentId doc) {
  retracted_docs_.insert(doc);
  ++counts_.documents_replaced;
  // Deletes cannot go into a run of SST files: this session writes one batch.
  options_.spill_bytes = 0;
  rocksdb::ReadOptions ro;
  ro.snapshot = snap_.get();
  std::unique_ptr<rocksdb::Iterator> it(store_->db_->NewIterator(ro, store_->cf(int(Cf::kProv))));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (k.size() != kProvKeySize || GetBig64(k.data() + 8) != doc) continue;
    batch_->Delete(store_->cf(int(Cf::kProv)), k);
    retracted_.insert(GetBig64(k.data()));
  }
  if (!it->status().ok()) return Status::IoError("reading provenance: " + it->status().ToString());
  return Status::OK();
}

// A retracted relation that no other document supports, and this session did not state again,
// is removed with its index entries; a claim whose SAID relation goes is removed too.
Status ImportSession::RemoveUnsupported() {
  rocksdb::WriteBatch& b = *batch_;
  const Schema& sc = schema();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap_.get();
  std::set<EntityId> claims;
  for (RelationId rel : retracted_) {
    const std::string prefix = IdKey(rel);
    bool supported = false;
    std::unique_ptr<rocksdb::Iterator> it(store_->db_->NewIterator(ro, store_->cf(int(Cf::kProv))));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (!retracted_docs_.count(GetBig64(it->key().data() + 8))) {
        supported = true;
        break;
      }
    }
    if (!it->status().ok()) return Status::IoError("reading provenance: " + it->status().ToString());
    if (supported) continue;
    std::string value;
    rocksdb::Status s = store_->db_->Get(ro, store_->cf(int(Cf::kEdges)), prefix, &value);
    if (!s.ok()) return Status::IoError("reading relation #" + std::to_string(rel) + ": " + s.ToString());
    PG_ASSIGN_OR_RETURN(Relation r, DecodeRelation(sc, rel, value));
    const RelationTypeDef* def = sc.FindRelationType(r.type);
    if (!def) return Status::Corruption("relation #" + std::to_string(rel) + " has an unknown type");
    b.Delete(store_->cf(int(Cf::kEdges)), prefix);
    b.Delete(store_->cf(int(Cf::kAdj)), AdjKey(r.subject, Dir::kOut, def->id, r.object, rel));
    b.Delete(store_->cf(int(Cf::kAdj)), AdjKey(r.object, Dir::kIn, def->id, r.subject, rel));
    for (const Qualifier& q : r.qualifiers) {
      if (q.is_node()) b.Delete(store_->cf(int(Cf::kQual)), QualKey(q.node, sc.FindSlot(q.slot)->id, def->id, rel));
    }
    b.Delete(store_->cf(int(Cf::kFacts)), FactKeyFor(sc, r));
    --count_deltas_[RelationCountKey(def->id)];
    ++counts_.relations_retracted;
    if (r.type == "SAID" && !FindState(r.object)) claims.insert(r.object);
  }
  for (EntityId c : claims) {
    std::string value;
    rocksdb::Status s = store_->db_->Get(ro, store_->cf(int(Cf::kNodes)), IdKey(c), &value);
    if (!s.ok()) continue;
    PG_ASSIGN_OR_RETURN(Entity e, DecodeEntity(sc, c, value));
    if (e.type != "Claim") continue;
    b.Delete(store_->cf(int(Cf::kNodes)), IdKey(c));
    b.Delete(store_->cf(int(Cf::kNames)), NameKey(NormalizeKey(e.name), c));
    for (const std::string& a : e.aliases) b.Delete(store_->cf(int(Cf::kNames)), NameKey(NormalizeKey(a), c));
    if (const EntityTypeDef* t = sc.FindEntityType("Claim")) --count_deltas_[EntityCountKey(t->id)];
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------- Commit


Status ImportSession::MakeSpillDir() {
  if (!spill_dir_.empty()) return Status::OK();
  namespace fs = std::filesystem;
  // The store's writer lock is held, so no other session uses this directory; one left behind
  // by a crashed process is removed.
  const fs::path dir = fs::path(store_->dir()) / "ingest.tmp";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  spill_dir_ = dir.string();
  runs_.assign(kNumCfs, {});
  final_files_.assign(kNumCfs, {});
  return Status::OK();
}

Status ImportSession::SpillRun(bool final) {
  PG_RETURN_IF_ERROR(JoinSpill());
  PG_RETURN_IF_ERROR(store_->CheckFreeSpace(2 * static_cast<uint64_t>(batch_->GetDataSize())));
  PG_RETURN_IF_ERROR(MakeSpillDir());
  for (int i = 0; i < kNumCfs; ++i) {
    if (store_->cf(i)->GetID() != static_cast<uint32_t>(i)) return Status::Internal("column family ids out of order");
  }
  FaultPoint("spill");
  const int run = spills_++;
  if (final) return WriteRun(*batch_, run, true, 2);
  // The full batch goes to the spill thread; this thread fills the spare one meanwhile. The two
  // take turns and keep their memory (a run leaves its batch cleared, not freed), so that the
  // pages are not given back and faulted in again at every run.
  if (!spare_batch_) spare_batch_ = std::make_unique<rocksdb::WriteBatch>(options_.spill_bytes + (options_.spill_bytes >> 3));
  std::swap(batch_, spare_batch_);
  rocksdb::WriteBatch* full = spare_batch_.get();
  spill_thread_ = std::thread([this, full, run] { spill_status_ = WriteRun(*full, run, false, 1); });
  return Status::OK();
}

Status ImportSession::JoinSpill() {
  if (spill_thread_.joinable()) spill_thread_.join();
  return spill_status_;
}

namespace {

// One entry of a run being sorted: the key's first 24 bytes as three numbers (zero-padded), so
// that most comparisons need neither the key's bytes nor a call to memcmp (adjacency keys share
// their first sixteen bytes, the entity, direction, type and the other end's high bytes, with
// every relation of that entity and type).
struct SortItem {
  uint64_t head, head2, head3;
  uint32_t index;  // into the family's entries: of equal keys, the later one wins
};

uint64_t KeyHead(const rocksdb::Slice& key, size_t offset) {
  unsigned char b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (key.size() > offset) std::memcpy(b, key.data() + offset, std::min<size_t>(8, key.size() - offset));
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

}  // namespace

// Writes the entries of `batch` as one sorted file per column family: a run to merge or ingest
// later, or, when `final` and the family has no earlier run, the file to ingest.
Status ImportSession::WriteRun(rocksdb::WriteBatch& batch, int run, bool final, int threads) {
  // The lists keep their capacity from run to run (runs are written one at a time).
  if (!collector_) collector_ = std::make_unique<EntryCollector>(kNumCfs);
  EntryCollector& collector = *collector_;
  for (auto& list : collector.entries) list.clear();
  rocksdb::Status s = batch.Iterate(&collector);
  if (!s.ok()) return Status::Internal("reading the import batch: " + s.ToString());

  // Runs that are merged are read back once, soon: not worth compressing. A file that may be
  // ingested as it is (the final one of a family without runs, and every run of the families
  // keyed by relation id, which are ingested unmerged when they do not overlap) gets the store's
  // own table options, so that what stays in the store is compressed like the rest.
  rocksdb::Options run_options = *store_->sst_options_;
  run_options.compression = rocksdb::kNoCompression;
  auto kept_as_is = [&](int cf, bool direct_file) {
    return direct_file || cf == int(Cf::kEdges) || cf == int(Cf::kProv);
  };
  std::vector<int> todo;
  for (int cf = 0; cf < kNumCfs; ++cf) {
    if (!collector.entries[cf].empty()) todo.push_back(cf);
  }
  std::vector<rocksdb::Status> results(kNumCfs);
  std::vector<RunFile> files(kNumCfs);
  std::atomic<size_t> next{0};
  // One file per column family (the families are independent: with two threads, two at once).
  auto work = [&] {
    for (size_t k = next++; k < todo.size(); k = next++) {
      const int cf = todo[k];
      const auto& list = collector.entries[cf];
      std::vector<SortItem> order(list.size());
      for (size_t i = 0; i < list.size(); ++i) {
        order[i] = {KeyHead(list[i].first, 0), KeyHead(list[i].first, 8), KeyHead(list[i].first, 16),
                    static_cast<uint32_t>(i)};
      }
      // By key; of equal keys the one written first comes first (the later one wins below).
      auto key_order = [&](const SortItem& a, const SortItem& b) {
        if (a.head != b.head) return a.head < b.head ? -1 : 1;
        if (a.head2 != b.head2) return a.head2 < b.head2 ? -1 : 1;
        if (a.head3 != b.head3) return a.head3 < b.head3 ? -1 : 1;
        const rocksdb::Slice& ka = list[a.index].first;
        const rocksdb::Slice& kb = list[b.index].first;
        if (ka.size() <= 24 && kb.size() <= 24) return ka.size() == kb.size() ? 0 : ka.size() < kb.size() ? -1 : 1;
        return ka.compare(kb);
      };
      auto less = [&](const SortItem& a, const SortItem& b) {
        const int c = key_order(a, b);
        return c != 0 ? c < 0 : a.index < b.index;
      };
      if (!std::is_sorted(order.begin(), order.end(), less)) std::sort(order.begin(), order.end(), less);
      const bool direct = final && runs_[cf].empty();
      files[cf].path = spill_dir_ + "/" + kCfNames[cf] + "." + std::to_string(run) + ".sst";
      rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), kept_as_is(cf, direct) ? *store_->sst_options_ : run_options,
                                    store_->cf(cf));
      rocksdb::Status st = writer.Open(files[cf].path);
      for (size_t i = 0; st.ok() && i < order.size(); ++i) {
        if (i + 1 < order.size() && key_order(order[i], order[i + 1]) == 0) continue;
        const auto& entry = list[order[i].index];
        st = writer.Put(entry.first, entry.second);
      }
      if (st.ok()) {
        files[cf].first = list[order.front().index].first.ToString();
        files[cf].middle = list[order[order.size() / 2].index].first.ToString();
        files[cf].last = list[order.back().index].first.ToString();
        st = writer.Finish();
      }
      results[cf] = st;
    }
  };
  if (threads > 1) {
    std::thread helper(work);
    work();
    helper.join();
  } else {
    work();
  }
  for (int cf : todo) {
    if (!results[cf].ok()) return Status::IoError(std::string("writing the ") + kCfNames[cf] + " file: " + results[cf].ToString());
    if (final && runs_[cf].empty()) {  // the file to ingest as it is
      final_files_[cf] = files[cf].path;
    } else {
      runs_[cf].push_back(std::move(files[cf]));
    }
  }
  batch.Clear();
  return Status::OK();
}

// Merges the sorted runs of one column family, between two keys, into `out`; of equal keys the
// latest run wins.
Status ImportSession::MergeRuns(int cf, const std::string& lower, const std::string& upper, const std::string& out,
                                bool* wrote) {
  *wrote = false;
  const std::vector<RunFile>& runs = runs_[cf];
  std::vector<std::unique_ptr<rocksdb::SstFileReader>> readers;
  std::vector<std::unique_ptr<rocksdb::Iterator>> its;
  rocksdb::Slice upper_slice(upper);
  for (const RunFile& run : runs) {
    const std::string& path = run.path;
    readers.push_back(std::make_unique<rocksdb::SstFileReader>(*store_->sst_options_));
    rocksdb::Status s = readers.back()->Open(path);
    if (!s.ok()) return Status::IoError("reopening " + path + ": " + s.ToString());
    rocksdb::ReadOptions ro;
    ro.verify_checksums = false;
    ro.fill_cache = false;
    its.emplace_back(readers.back()->NewIterator(ro));
    if (lower.empty()) {
      its.back()->SeekToFirst();
    } else {
      its.back()->Seek(lower);
    }
  }
  // The top of the heap is the smallest key, and of equal keys the latest run.
  auto after = [&](size_t a, size_t b) {
    const int c = its[a]->key().compare(its[b]->key());
    return c != 0 ? c > 0 : a < b;
  };
  // Within the part: below `upper` (the part after it starts there).
  auto in_part = [&](size_t i) { return its[i]->Valid() && (upper.empty() || its[i]->key().compare(upper_slice) < 0); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(after)> heap(after);
  for (size_t i = 0; i < its.size(); ++i) {
    if (in_part(i)) {
      heap.push(i);
    } else if (!its[i]->status().ok()) {
      return Status::IoError(std::string("merging the ") + kCfNames[cf] + " runs: " + its[i]->status().ToString());
    }
  }
  if (heap.empty()) return Status::OK();
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), *store_->sst_options_, store_->cf(cf));
  rocksdb::Status s = writer.Open(out);
  std::string last;
  bool any = false;
  while (s.ok() && !heap.empty()) {
    const size_t i = heap.top();
    heap.pop();
    if (!any || its[i]->key() != rocksdb::Slice(last)) {
      s = writer.Put(its[i]->key(), its[i]->value());
      last.assign(its[i]->key().data(), its[i]->key().size());
      any = true;
    }
    its[i]->Next();
    if (in_part(i)) {
      heap.push(i);
    } else if (!its[i]->status().ok()) {
      s = its[i]->status();
    }
  }
  if (s.ok()) s = writer.Finish();
  if (!s.ok()) return Status::IoError(std::string("merging the ") + kCfNames[cf] + " runs: " + s.ToString());
  *wrote = true;
  return Status::OK();
}

// A large unit goes in as SST files, one per column family, ingested by one IngestExternalFiles
// call: RocksDB records it in one MANIFEST write, so after a crash it is there whole or not at
// all, like a WriteBatch, without passing a copy of everything through the log and memtable.
Status ImportSession::IngestBatch() {
  PG_RETURN_IF_ERROR(SpillRun(true));
  // A family whose runs follow one another without overlapping (those keyed by relation id,
  // numbered as they are added) is ingested run by run; the others are merged first.
  std::vector<std::vector<std::string>> ingest(kNumCfs);
  std::vector<int> todo;
  for (int cf = 0; cf < kNumCfs; ++cf) {
    const std::vector<RunFile>& runs = runs_[cf];
    if (runs.empty()) {
      if (!final_files_[cf].empty()) ingest[cf].push_back(final_files_[cf]);
      continue;
    }
    bool disjoint = true;
    for (size_t i = 1; i < runs.size() && disjoint; ++i) disjoint = runs[i - 1].last < runs[i].first;
    if (disjoint) {
      for (const RunFile& run : runs) ingest[cf].push_back(run.path);
    } else {
      todo.push_back(cf);
    }
  }
  // Each family to merge in two parts, split at the median of its runs' middle keys, so that
  // both threads share the largest family (the adjacency index, two keys per relation).
  struct Part {
    int cf;
    std::string lower, upper, out;
    bool wrote = false;
    Status status;
  };
  std::vector<Part> parts;
  for (int cf : todo) {
    std::vector<std::string> middles;
    for (const RunFile& run : runs_[cf]) middles.push_back(run.middle);
    std::sort(middles.begin(), middles.end());
    const std::string split = middles[middles.size() / 2];
    const std::string base = spill_dir_ + "/" + kCfNames[cf] + ".merged";
    parts.push_back({cf, "", split, base + ".0.sst", false, Status::OK()});
    parts.push_back({cf, split, "", base + ".1.sst", false, Status::OK()});
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < parts.size(); k = next++) {
      Part& p = parts[k];
      p.status = MergeRuns(p.cf, p.lower, p.upper, p.out, &p.wrote);
    }
  };
  std::thread helper(work);
  work();
  helper.join();
  for (int cf : todo) ingest[cf].clear();
  for (const Part& p : parts) {
    PG_RETURN_IF_ERROR(p.status);
    if (p.wrote) ingest[p.cf].push_back(p.out);
  }
  {
    std::error_code ignored;
    for (int cf : todo) {
      for (const RunFile& run : runs_[cf]) std::filesystem::remove(run.path, ignored);
    }
  }

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int cf = 0; cf < kNumCfs; ++cf) {
    if (ingest[cf].empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_->cf(cf);
    arg.external_files = ingest[cf];
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    args.push_back(std::move(arg));
  }
  FaultPoint("before-ingest");
  rocksdb::Status s = store_->db_->IngestExternalFiles(args);
  if (!s.ok()) return Status::IoError("ingesting the import: " + s.ToString());
  FaultPoint("after-ingest");
  std::error_code ignored;
  std::filesystem::remove_all(spill_dir_, ignored);
  spill_dir_.clear();
  return Status::OK();
}

Status ImportSession::Commit() {
  PG_RETURN_IF_ERROR(Usable());
  finished_ = true;
  Status st = WriteOut();
  // A commit that failed before its last spill leaves the spill thread writing: it ends before
  // the lock goes, so that the next writer's spill directory is its own.
  Status spill = JoinSpill();
  if (st.ok()) st = spill;
  store_->records_->Forget();
  // The session is over either way: let the next writer in.
  batch_.reset();
  lock_.unlock();
  if (st.ok()) store_->MergeSmallFiles();
  return st;
}

Status ImportSession::WriteOut() {
  if (!placeholders_.empty()) {
    return Status::InvalidArgument("entity #" + std::to_string(*placeholders_.begin()) +
                                   " was referenced but never declared");
  }
  if (!retracted_.empty()) PG_RETURN_IF_ERROR(RemoveUnsupported());
  rocksdb::WriteBatch& b = *batch_;
  const Schema& sc = schema();
  for (const auto& st : entity_states_) {
    if (!st->dirty) continue;
    const EntityId id = st->entity.id;
    const std::string key = IdKey(id);
    b.Put(store_->cf(int(Cf::kNodes)), key, EncodeEntity(sc, st->entity));
    auto index = [&](const std::string& name, bool canonical) {
      const std::string norm = NormalizeKey(name);
      if (norm.empty()) return;
      for (const auto& [k, c] : st->indexed) {
        if (k == norm && c == canonical) return;
      }
      b.Put(store_->cf(int(Cf::kNames)), NameKey(norm, id), std::string(1, canonical ? 1 : 0));
    };
    // A renamed entity's old canonical key becomes an alias key; written in that order so
    // that a key that is both keeps the canonical flag.
    for (const std::string& a : st->entity.aliases) index(a, false);
    index(st->entity.name, true);
  }
  for (const auto& [id, doc] : documents_) {
    b.Put(store_->cf(int(Cf::kDocs)), IdKey(id), EncodeDocument(doc));
    b.Put(store_->cf(int(Cf::kDocIndex)), DocRefKey(doc.key), IdKey(id));
    if (!doc.content_hash.empty()) b.Put(store_->cf(int(Cf::kDocIndex)), DocHashKey(doc.content_hash), IdKey(id));
  }
  for (const auto& [fingerprint, id] : fingerprints_) b.Put(store_->cf(int(Cf::kDocIndex)), DocFingerprintKey(fingerprint), IdKey(id));
  for (const auto& [key, id] : extra_keys_) b.Put(store_->cf(int(Cf::kDocIndex)), DocRefKey(key), IdKey(id));
  for (const auto& [id, location] : locations_) b.Put(store_->cf(int(Cf::kDocIndex)), DocLocationKey(id, location), "");
  rocksdb::ColumnFamilyHandle* meta = store_->cf(int(Cf::kMeta));
  b.Put(meta, kMetaNextEntity, Counter(next_entity_));
  b.Put(meta, kMetaNextRelation, Counter(next_relation_));
  b.Put(meta, kMetaNextDocument, Counter(next_document_));
  for (const auto& [key, delta] : count_deltas_) {
    if (delta == 0) continue;
    PG_ASSIGN_OR_RETURN(uint64_t now, store_->ReadCounter(&snap_, key));
    b.Put(meta, key, Counter(static_cast<uint64_t>(static_cast<int64_t>(now) + delta)));
  }
  if (options_.fail_in_commit) return Status::Aborted("injected failure before the write");
  // The batch goes to the log and later to a table file (or, for a bulk unit, to table files
  // merged from the runs already on disk): twice its size, with the store's margin.
  PG_RETURN_IF_ERROR(store_->CheckFreeSpace(2 * static_cast<uint64_t>(b.GetDataSize())));
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  FaultPoint("before-write");
  if (spills_ > 0 || b.Count() >= options_.bulk_entries) return IngestBatch();
  rocksdb::Status s = store_->db_->Write(wo, &b);
  if (!s.ok()) return Status::IoError("writing the import: " + s.ToString());
  FaultPoint("after-write");
  return Status::OK();
}

}  // namespace pactgraph::storage
