// Claims linked to facts. A claim (an entity of type Claim: its speaker SAID it, it is ABOUT what
// it names) is linked to a fact when it was said in the very sentence of one of the fact's
// sources (the same document and sentence) and names both of the fact's ends, by an ABOUT edge
// or in its words. "Brightwave Labs no longer supports Lumen DB on Quill OS, the
// company said." is one sentence holding both an ended support and Brightwave Labs' claim: the
// claim takes the side of that source. Links are read from the store when a statement asks for
// them; nothing is stored. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_CLAIMS_H_
#define PACTGRAPH_QUERY_INTERNAL_CLAIMS_H_

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/model.h"
#include "graph/status.h"
#include "query/engine.h"
#include "query/internal/statement.h"

namespace pactgraph::query {

// Reads claims for one statement, each entity's claims once. Borrows `run`; not thread-safe.
class ClaimLinks {
 public:
  explicit ClaimLinks(StatementRun& run) : run_(run) {}

  // The claims said in sentence `sentence` of document `doc` that name both ends of `r`, each
  // marked with `side`, in the order of their ids; empty when there are none, and when the
  // sentence is not known (0: a facts file's line, whose claims and facts are separate lines).
  Result<std::vector<LinkedClaim>> At(const Relation& r, DocumentId doc, uint32_t sentence, const std::string& side);

  // The sentences claim `claim` was said in (its ABOUT and SAID sources) and the entities it is
  // ABOUT. The pointer stays valid as long as this object.
  struct Said {
    std::set<std::pair<DocumentId, uint32_t>> sentences;
    std::set<EntityId> about;
  };
  Result<const Said*> Of(EntityId claim);

 private:
  struct Told {
    EntityId claim;
    Provenance source;  // of its ABOUT edge: the document and sentence it was said in
  };
  // The claims about `x`, with the sentences they were said in.
  Result<const std::vector<Told>*> About(EntityId x);
  // Claim `claim` names `x`: an ABOUT edge, or x's name in its words.
  Result<bool> Names(EntityId claim, EntityId x);
  Result<LinkedClaim> Linked(const Told& at, const std::string& side);

  StatementRun& run_;
  std::unordered_map<EntityId, std::vector<Told>> about_;
  std::unordered_map<EntityId, Said> said_;
  std::unordered_map<EntityId, std::string> speaker_;
};

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_CLAIMS_H_
