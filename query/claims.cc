// Claims linked to facts, read from each fact's ends: the claims ABOUT an end, kept when one was
// said in the fact's source's sentence and names the other end too. Its speaker alone does not
// name an end: "Jane Roe, chief executive of Acme, said customers asked for it" tells of Jane
// Roe's job in the claim's sentence, but the claim is not about it.
#include "query/internal/claims.h"

#include <algorithm>
#include <cctype>

namespace pactgraph::query {

Result<const std::vector<ClaimLinks::Told>*> ClaimLinks::About(EntityId x) {
  if (auto it = about_.find(x); it != about_.end()) return &it->second;
  std::vector<Told> found;
  storage::RelationCursor c = run_.store.Incoming(run_.snap, x, "ABOUT");
  for (; c.Valid(); c.Next()) {
    PG_RETURN_IF_ERROR(run_.guard.Check());
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run_.store.GetProvenance(run_.snap, c.relation().id));
    for (Provenance& p : sources) {
      if (p.sentence != 0) found.push_back({c.relation().subject, std::move(p)});
    }
  }
  PG_RETURN_IF_ERROR(c.status());
  PG_RETURN_IF_ERROR(run_.memory.Charge(found.size() * sizeof(Told), "the claims about its facts' ends"));
  return &(about_[x] = std::move(found));
}

Result<const ClaimLinks::Said*> ClaimLinks::Of(EntityId claim) {
  if (auto it = said_.find(claim); it != said_.end()) return &it->second;
  Said said;
  for (bool out : {true, false}) {
    storage::RelationCursor c = out ? run_.store.Outgoing(run_.snap, claim, "ABOUT") : run_.store.Incoming(run_.snap, claim, "SAID");
    for (; c.Valid(); c.Next()) {
      const Relation& r = c.relation();
      if (out) said.about.insert(r.object);
      if (!out && !speaker_.count(claim)) {
        PG_ASSIGN_OR_RETURN(speaker_[claim], run_.Shown(r.subject));
      }
      PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, run_.store.GetProvenance(run_.snap, r.id));
      for (const Provenance& p : sources) {
        if (p.sentence != 0) said.sentences.insert({p.document, p.sentence});
      }
    }
    PG_RETURN_IF_ERROR(c.status());
  }
  return &(said_[claim] = std::move(said));
}

Result<bool> ClaimLinks::Names(EntityId claim, EntityId x) {
  PG_ASSIGN_OR_RETURN(const Said* said, Of(claim));
  if (said->about.count(x)) return true;
  // Its words name x: an end the extractor did not take for what it is about, such as its own
  // speaker ("Acme no longer supports X, the company said" is Acme's claim, about X).
  PG_ASSIGN_OR_RETURN(const Entity* c, run_.EntityRef(claim));
  PG_ASSIGN_OR_RETURN(const Entity* e, run_.EntityRef(x));
  // As a whole name: "Vega" in "on Vega," but not in "Vegas".
  auto letter = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80; };
  const std::string& text = c->name;
  for (size_t at = e->name.empty() ? std::string::npos : text.find(e->name); at != std::string::npos; at = text.find(e->name, at + 1)) {
    const size_t end = at + e->name.size();
    if ((at == 0 || !letter(text[at - 1])) && (end == text.size() || !letter(text[end]))) return true;
  }
  return false;
}

Result<LinkedClaim> ClaimLinks::Linked(const Told& at, const std::string& side) {
  LinkedClaim out;
  out.side = side;
  out.claim = at.claim;
  PG_RETURN_IF_ERROR(Of(at.claim).status());  // reads its speaker
  if (auto it = speaker_.find(at.claim); it != speaker_.end()) out.speaker = it->second;
  PG_ASSIGN_OR_RETURN(const Entity* c, run_.EntityRef(at.claim));
  out.text = c->name;
  PG_ASSIGN_OR_RETURN(const Document* d, run_.Doc(at.source.document));
  out.source = SourceEvidence(*d, at.source);
  return out;
}

Result<std::vector<LinkedClaim>> ClaimLinks::At(const Relation& r, DocumentId doc, uint32_t sentence, const std::string& side) {
  std::vector<LinkedClaim> out;
  if (sentence == 0) return out;
  std::vector<const Told*> said_there;
  for (EntityId end : {r.subject, r.object}) {
    PG_ASSIGN_OR_RETURN(const std::vector<Told>* about, About(end));
    for (const Told& at : *about) {
      if (at.source.document != doc || at.source.sentence != sentence) continue;
      if (std::any_of(said_there.begin(), said_there.end(), [&](const Told* x) { return x->claim == at.claim; })) continue;
      PG_ASSIGN_OR_RETURN(bool subject, Names(at.claim, r.subject));
      PG_ASSIGN_OR_RETURN(bool object, Names(at.claim, r.object));
      if (subject && object) said_there.push_back(&at);
    }
  }
  std::sort(said_there.begin(), said_there.end(), [](const Told* a, const Told* b) { return a->claim < b->claim; });
  for (const Told* at : said_there) {
    PG_ASSIGN_OR_RETURN(LinkedClaim c, Linked(*at, side));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pactgraph::query
