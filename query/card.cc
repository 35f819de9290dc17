#include "query/card.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

#include "query/engine.h"

namespace pactgraph::query {
namespace {

class Builder {
 public:
  Builder(const storage::Store& store, const storage::Snapshot& snap, const CardOptions& options)
      : store_(store), snap_(snap), options_(options), corroboration_(store, snap) {}

  Status Section(storage::RelationCursor c, CardSection* out) {
    for (; c.Valid(); c.Next()) {
      ++out->total;
      if (options_.limit && out->relations.size() == options_.limit) continue;
      PG_RETURN_IF_ERROR(Add(c.relation(), out));
    }
    return c.status();
  }

  Status Qualified(EntityId id, CardSection* out) {
    PG_ASSIGN_OR_RETURN(std::vector<RelationId> ids, store_.ByQualifier(snap_, id));
    out->total = ids.size();
    for (RelationId rid : ids) {
      if (options_.limit && out->relations.size() == options_.limit) break;
      PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, rid));
      PG_RETURN_IF_ERROR(Add(r, out));
    }
    return Status::OK();
  }

 private:
  Status Add(const Relation& r, CardSection* out) {
    if (options_.check) PG_RETURN_IF_ERROR(options_.check(r));
    CardRelation cr;
    cr.relation = r;
    PG_ASSIGN_OR_RETURN(cr.subject, End(r.subject));
    PG_ASSIGN_OR_RETURN(cr.object, End(r.object));
    for (const Qualifier& q : r.qualifiers) {
      CardQualifier cq;
      cq.slot = q.slot;
      cq.literal = q.literal;
      cq.is_node = q.is_node();
      if (cq.is_node) {
        PG_ASSIGN_OR_RETURN(cq.node, End(q.node));
      }
      cr.qualifiers.push_back(std::move(cq));
    }
    // The card shows every stored relation; one that rests only on weak sources says so.
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, r.id));
    for (const Provenance& p : sources) cr.confidence = std::max(cr.confidence, p.confidence);
    cr.candidate = cr.confidence < static_cast<float>(options_.min_confidence);
    PG_ASSIGN_OR_RETURN(Corroboration c, corroboration_.Of(r, sources));
    cr.documents = c.documents;
    cr.publishers = c.publishers;
    cr.disputed = c.disputed;
    if (options_.with_sources) {
      for (Provenance& p : sources) {
        PG_ASSIGN_OR_RETURN(const Document* d, corroboration_.Doc(p.document));
        Evidence quoted;
        QuoteSource(*d, p, &quoted);
        std::string status = SourceStatus(r, p);
        cr.sources.push_back({std::move(p), d->title.empty() ? d->key : d->title, d->date, d->publisher, d->url,
                              std::move(quoted.text), quoted.span_begin, quoted.span_end, std::move(status)});
      }
    }
    out->relations.push_back(std::move(cr));
    return Status::OK();
  }

  Result<CardEnd> End(EntityId id) {
    if (auto it = ends_.find(id); it != ends_.end()) return it->second;
    Result<Entity> e = store_.GetEntity(snap_, id);
    if (!e.ok() && e.status().code() != StatusCode::kNotFound) return e.status();
    CardEnd end{id, e.ok() ? e->name : "#" + std::to_string(id), e.ok() ? e->type : ""};
    return ends_[id] = end;
  }

  const storage::Store& store_;
  const storage::Snapshot& snap_;
  const CardOptions& options_;
  CorroborationReader corroboration_;
  std::unordered_map<EntityId, CardEnd> ends_;
};

}  // namespace

std::string SourceStatus(const Relation& r, const Provenance& p) {
  std::string status;
  if (p.literals) {
    const auto it = p.literals->find("status");
    if (it != p.literals->end()) status = it->second;
  } else if (const Qualifier* own = r.Find("status")) {
    status = own->literal;
  }
  return status.empty() ? "active" : status;
}

void SourceCounter::Add(const Document& d) {
  documents_.insert(d.id);
  publishers_.insert(d.publisher.empty() ? "\x01" + d.key : d.publisher);
}

Result<const Document*> CorroborationReader::Doc(DocumentId id) {
  auto it = docs_.find(id);
  if (it == docs_.end()) {
    PG_ASSIGN_OR_RETURN(Document d, store_.GetDocument(snap_, id));
    it = docs_.emplace(id, std::move(d)).first;
  }
  return &it->second;
}

Result<Corroboration> CorroborationReader::Of(const Relation& r, const std::vector<Provenance>& sources) {
  SourceCounter counter;
  std::vector<SourceSaid> said;
  std::map<std::string, std::string> own;
  for (const Qualifier& q : r.qualifiers) {
    if (!q.is_node()) own[q.slot] = q.literal;
  }
  for (const Provenance& p : sources) {
    PG_ASSIGN_OR_RETURN(const Document* d, Doc(p.document));
    counter.Add(*d);
    said.push_back({p.document, d->publisher, SourceStatus(r, p), p.literals ? *p.literals : own});
  }
  return Corroboration{counter.documents(), counter.publishers(), Disputed(said)};
}

Result<Corroboration> CorroborationReader::Of(const Relation& r) {
  PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, r.id));
  return Of(r, sources);
}

Result<EntityCard> BuildEntityCard(const storage::Store& store, const storage::Snapshot& snap, EntityId id,
                                   const CardOptions& options) {
  EntityCard card;
  PG_ASSIGN_OR_RETURN(card.entity, store.GetEntity(snap, id));
  Builder b(store, snap, options);
  PG_RETURN_IF_ERROR(b.Section(store.Outgoing(snap, id), &card.outgoing));
  PG_RETURN_IF_ERROR(b.Section(store.Incoming(snap, id), &card.incoming));
  PG_RETURN_IF_ERROR(b.Qualified(id, &card.qualifier_of));
  return card;
}

}  // namespace pactgraph::query
