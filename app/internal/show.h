// The entity card of `pactgraph show`.
#ifndef PACTGRAPH_APP_INTERNAL_SHOW_H_
#define PACTGRAPH_APP_INTERNAL_SHOW_H_

#include <ostream>
#include <string>

#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::app {

// Prints the card of every entity whose canonical name is `name` (or, when none, of every
// entity with `name` as an alias; "#ID" names an id). kNotFound with the nearest names when
// there is none. At most `limit` relations per section (0: all). A relation whose best source is
// below `min_confidence` is shown, marked as a candidate.
Status PrintEntityCards(const storage::Store& store, const std::string& name, size_t limit, double min_confidence,
                        std::ostream& out);

}  // namespace pactgraph::app

#endif  // PACTGRAPH_APP_INTERNAL_SHOW_H_
