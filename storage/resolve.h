// What a person types for an entity ("#12", a name, an alias) turned into one entity: the one
// place with the policy for ids, ambiguity and "did you mean", used by the query engine, `show`,
// the server and export alike.
#ifndef PACTGRAPH_STORAGE_RESOLVE_H_
#define PACTGRAPH_STORAGE_RESOLVE_H_

#include <optional>
#include <string_view>

#include "graph/model.h"
#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::storage {

struct ResolveOptions {
  // Bare digits that name no entity are taken as an id ("12"). Only GET /entities/{id or name}
  // asks for this, because its URL has taken ids since it was written; everywhere else "12" is a
  // name and an id is written "#12".
  bool bare_digits_as_id = false;
};

// "#" and digits read as an id; nullopt when `text` is not of that shape (it is a name then).
// kInvalidArgument when the digits do not fit in 64 bits. Never throws.
Result<std::optional<EntityId>> ParseEntityId(std::string_view text);

// The entity with this id; kNotFound ("no entity has the id #12") when there is none.
Result<EntityId> ResolveId(const Store& store, const Snapshot& snap, EntityId id);

// The entity whose canonical name or alias normalises like `name` (NormalizeKey: case, dashes,
// punctuation and trailing legal forms do not count). One canonical match wins over aliases;
// otherwise a single match is the answer. kInvalidArgument when the name is ambiguous, listing
// the candidates as "Name" (Type #ID); kNotFound when nothing is so named, with up to five
// nearest names and their types ("did you mean ...?"; claims are never suggested).
Result<EntityId> ResolveName(const Store& store, const Snapshot& snap, std::string_view name);

// kNotFound "no entity is named "X"; did you mean "Y" (Type) or ...?", the message ResolveName
// gives for a name nothing has; for callers where a name may match several entities or none
// (MATCH's {name: "X"}) and want the same suggestions.
Status UnknownName(const Store& store, const Snapshot& snap, std::string_view name);

// "#ID" through ParseEntityId and ResolveId, anything else through ResolveName (with
// options.bare_digits_as_id, digits that name nothing through ResolveId). Messages quote `text`
// as given (a very long one cut short) and carry no place: a caller that has one (a query's line
// and column) puts it in front.
Result<EntityId> ResolveEntity(const Store& store, const Snapshot& snap, std::string_view text,
                               const ResolveOptions& options = {});

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_RESOLVE_H_
