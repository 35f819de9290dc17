#include "app/show.h"

#include <algorithm>
#include <unordered_map>

#include "graph/names.h"
#include "graph/text.h"
#include "storage/resolve.h"

namespace pactgraph::app {
namespace {

// Everything a card shows comes from files and articles: control characters in it are shown as
// escapes ("\x1b"), never sent to the terminal.
std::string T(std::string_view s) { return TerminalText(s); }

class CardPrinter {
 public:
  CardPrinter(const storage::Store& store, const storage::Snapshot& snap, size_t limit, double min_confidence, std::ostream& out)
      : store_(store), snap_(snap), limit_(limit), min_confidence_(min_confidence), out_(out) {}

  Status Print(EntityId id) {
    PG_ASSIGN_OR_RETURN(Entity e, store_.GetEntity(snap_, id));
    out_ << T(e.name) << "\n";
    out_ << "  type     " << T(e.type) << (e.type_implied ? " (implied by a relation; no entity line stated it)" : "")
         << "   #" << e.id << "\n";
    if (!e.aliases.empty()) {
      out_ << "  aliases  ";
      for (size_t i = 0; i < e.aliases.size(); ++i) out_ << (i ? ", " : "") << T(e.aliases[i]);
      out_ << "\n";
    }
    for (const auto& [k, v] : e.properties) out_ << "  " << T(k) << "  " << T(v) << "\n";
    PG_RETURN_IF_ERROR(Section("outgoing", store_.Outgoing(snap_, id)));
    PG_RETURN_IF_ERROR(Section("incoming", store_.Incoming(snap_, id)));
    PG_ASSIGN_OR_RETURN(std::vector<RelationId> quals, store_.ByQualifier(snap_, id));
    if (!quals.empty()) {
      out_ << "\nnamed as a qualifier (" << quals.size() << ")\n";
      size_t shown = 0;
      for (RelationId rid : quals) {
        if (limit_ && shown == limit_) break;
        PG_ASSIGN_OR_RETURN(Relation r, store_.GetRelation(snap_, rid));
        PG_RETURN_IF_ERROR(Line(r));
        ++shown;
      }
      More(quals.size(), shown);
    }
    return Status::OK();
  }

 private:
  Result<std::string> Name(EntityId id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    PG_ASSIGN_OR_RETURN(Entity e, store_.GetEntity(snap_, id));
    std::string shown = e.name;
    if (e.type == "Claim") {
      // A claim's name is its whole text: show its start.
      if (shown.size() > 72) {
        size_t cut = 72;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "...";
      }
      shown = "claim \"" + shown + "\"";
    }
    shown = T(shown);
    names_[id] = shown;
    return shown;
  }

  Status Section(const char* title, storage::RelationCursor c) {
    std::vector<Relation> rels;
    size_t total = 0;
    for (; c.Valid(); c.Next()) {
      ++total;
      if (!limit_ || rels.size() < limit_) rels.push_back(c.relation());
    }
    PG_RETURN_IF_ERROR(c.status());
    if (total == 0) return Status::OK();
    out_ << "\n" << title << " (" << total << ")\n";
    for (const Relation& r : rels) PG_RETURN_IF_ERROR(Line(r));
    More(total, rels.size());
    return Status::OK();
  }

  void More(size_t total, size_t shown) {
    if (shown < total) out_ << "  ... and " << (total - shown) << " more (--limit 0 shows all)\n";
  }

  // "Microsoft  SUPPORTS  Red Hat Enterprise Linux  on: Hyper-V Server 2008 · as: guest", then
  // one line per source.
  Status Line(const Relation& r) {
    PG_ASSIGN_OR_RETURN(std::string subject, Name(r.subject));
    PG_ASSIGN_OR_RETURN(std::string object, Name(r.object));
    out_ << "  " << subject << "  " << T(r.type) << "  " << object;
    for (size_t i = 0; i < r.qualifiers.size(); ++i) {
      const Qualifier& q = r.qualifiers[i];
      std::string value = T(q.literal);
      if (q.is_node()) {
        PG_ASSIGN_OR_RETURN(value, Name(q.node));
      }
      out_ << (i ? " · " : "  ") << T(q.slot) << ": " << value;
    }
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store_.GetProvenance(snap_, r.id));
    // A candidate is on the card (the card shows what is stored), marked as queries mark it.
    float best = 0;
    for (const Provenance& p : sources) best = std::max(best, p.confidence);
    if (best < static_cast<float>(min_confidence_)) out_ << "  [candidate: confidence " << best << "]";
    out_ << "\n";
    for (const Provenance& p : sources) {
      PG_ASSIGN_OR_RETURN(Document d, Doc(p.document));
      out_ << "      source: " << T(d.title.empty() ? d.key : d.title);
      if (!d.date.empty()) out_ << ", " << T(d.date);
      if (p.sentence) out_ << ", sentence " << p.sentence;
      if (p.line) out_ << ", line " << p.line;
      if (!p.evidence.empty()) out_ << ": \"" << T(p.evidence) << "\"";
      out_ << "\n";
    }
    return Status::OK();
  }

  Result<Document> Doc(DocumentId id) {
    if (auto it = docs_.find(id); it != docs_.end()) return it->second;
    PG_ASSIGN_OR_RETURN(Document d, store_.GetDocument(snap_, id));
    d.text.clear();
    docs_[id] = d;
    return d;
  }

  const storage::Store& store_;
  const storage::Snapshot& snap_;
  size_t limit_;
  double min_confidence_;
  std::ostream& out_;
  std::unordered_map<EntityId, std::string> names_;
  std::unordered_map<DocumentId, Document> docs_;
};

}  // namespace

Status PrintEntityCard(const storage::Store& store, const std::string& name, size_t limit, double min_confidence,
                       std::ostream& out) {
  storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(EntityId id, storage::ResolveEntity(store, snap, name));
  CardPrinter printer(store, snap, limit, min_confidence, out);
  return printer.Print(id);
}

}  // namespace pactgraph::app
