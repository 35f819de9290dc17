// The entity card of `pactgraph show`.
#ifndef PACTGRAPH_APP_INTERNAL_SHOW_H_
#define PACTGRAPH_APP_INTERNAL_SHOW_H_

#include <ostream>
#include <string>

#include "graph/status.h"
#include "query/card.h"
#include "storage/store.h"

namespace pactgraph::app {

// The card as `show` prints it: name, type and id, aliases, properties, then each section with
// its count, a line per relation and a line per source; control characters shown as escapes.
void PrintCard(const query::EntityCard& card, std::ostream& out);

// Prints the card of the entity `name` names ("#ID", a name or an alias), resolved by
// storage::ResolveEntity: kNotFound with the nearest names when there is none, kInvalidArgument
// listing the candidates when the name is ambiguous or "#ID" does not fit in 64 bits. At most
// `limit` relations per section (0: all). A relation whose best source is below
// `min_confidence` is shown, marked as a candidate.
Status PrintEntityCard(const storage::Store& store, const std::string& name, size_t limit, double min_confidence,
                       std::ostream& out);

}  // namespace pactgraph::app

#endif  // PACTGRAPH_APP_INTERNAL_SHOW_H_
