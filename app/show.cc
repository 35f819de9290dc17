#include "app/internal/show.h"

#include "graph/names.h"
#include "graph/text.h"
#include "query/card.h"
#include "storage/resolve.h"

namespace pactgraph::app {
namespace {

// Everything a card shows comes from files and articles: control characters in it are shown as
// escapes ("\x1b"), never sent to the terminal.
std::string T(std::string_view s) { return TerminalText(s); }
// A sentence of a wrapped paragraph on one line.
std::string Flat(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return TerminalText(out);
}

// A claim's name is its whole text: the card shows its start.
std::string Name(const query::CardEnd& e) {
  if (e.type != "Claim") return T(e.name);
  std::string shown = e.name;
  if (shown.size() > 72) {
    size_t cut = 72;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  return T("claim \"" + shown + "\"");
}

// "Microsoft  SUPPORTS  Red Hat Enterprise Linux  on: Hyper-V Server 2008 · as: guest", then
// one line per source.
void Line(const query::CardRelation& r, std::ostream& out) {
  out << "  " << Name(r.subject) << "  " << T(r.relation.type) << "  " << Name(r.object);
  for (size_t i = 0; i < r.qualifiers.size(); ++i) {
    const query::CardQualifier& q = r.qualifiers[i];
    out << (i ? " · " : "  ") << T(q.slot) << ": " << (q.is_node ? Name(q.node) : T(q.literal));
  }
  // A candidate is on the card (the card shows what is stored), marked as queries mark it.
  if (r.candidate) out << "  [candidate: confidence " << r.confidence << "]";
  out << "\n";
  for (const query::CardSource& s : r.sources) {
    const Provenance& p = s.provenance;
    out << "      source: " << T(s.document);
    if (!s.date.empty()) out << ", " << T(s.date);
    if (p.sentence) out << ", sentence " << p.sentence;
    if (p.line) out << ", line " << p.line;
    // The sentence, the words that state the fact between » and «.
    if (s.span_end > s.span_begin && s.span_end <= s.text.size()) {
      out << ": \"" << Flat(s.text.substr(0, s.span_begin)) << "\u00bb"
          << Flat(s.text.substr(s.span_begin, s.span_end - s.span_begin)) << "\u00ab" << Flat(s.text.substr(s.span_end)) << "\"";
    } else if (!s.text.empty()) {
      out << ": \"" << Flat(s.text) << "\"";
    }
    out << "\n";
  }
}

void Section(const std::string& title, const query::CardSection& s, std::ostream& out) {
  if (s.total == 0) return;
  out << "\n" << title << " (" << s.total << ")\n";
  for (const query::CardRelation& r : s.relations) Line(r, out);
  if (s.relations.size() < s.total) out << "  ... and " << (s.total - s.relations.size()) << " more (--limit 0 shows all)\n";
}

}  // namespace

void PrintCard(const query::EntityCard& card, std::ostream& out) {
  const Entity& e = card.entity;
  out << T(e.name) << "\n";
  out << "  type     " << T(e.type) << (e.type_implied ? " (implied by a relation; no entity line stated it)" : "")
      << "   #" << e.id << "\n";
  if (!e.aliases.empty()) {
    out << "  aliases  ";
    for (size_t i = 0; i < e.aliases.size(); ++i) out << (i ? ", " : "") << T(e.aliases[i]);
    out << "\n";
  }
  for (const auto& [k, v] : e.properties) out << "  " << T(k) << "  " << T(v) << "\n";
  Section("outgoing", card.outgoing, out);
  Section("incoming", card.incoming, out);
  Section("named as a qualifier", card.qualifier_of, out);
}

Status PrintEntityCard(const storage::Store& store, const std::string& name, size_t limit, double min_confidence,
                       std::ostream& out) {
  storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(EntityId id, storage::ResolveEntity(store, snap, name));
  query::CardOptions options;
  options.limit = limit;
  options.min_confidence = min_confidence;
  PG_ASSIGN_OR_RETURN(query::EntityCard card, query::BuildEntityCard(store, snap, id, options));
  PrintCard(card, out);
  return Status::OK();
}

}  // namespace pactgraph::app
