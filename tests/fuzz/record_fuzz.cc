// libFuzzer target for the storage record decoders, fed bytes as a damaged disk would hand them
// over: each decoder returns a record or Corruption, never crashes or reads out of bounds. A
// record that decodes encodes again to something that decodes to the same record.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "graph/schema.h"
#include "storage/internal/records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pactgraph::Schema schema = pactgraph::Schema::Default();
  const std::string_view v(reinterpret_cast<const char*>(data), size);
  if (auto e = pactgraph::storage::DecodeEntity(schema, 1, v); e.ok()) {
    auto again = pactgraph::storage::DecodeEntity(schema, 1, pactgraph::storage::EncodeEntity(schema, *e));
    if (!again.ok() || again->name != e->name || again->aliases != e->aliases) std::abort();
  } else if (e.status().code() != pactgraph::StatusCode::kCorruption) {
    std::abort();
  }
  if (auto r = pactgraph::storage::DecodeRelation(schema, 1, v); r.ok()) {
    auto again = pactgraph::storage::DecodeRelation(schema, 1, pactgraph::storage::EncodeRelation(schema, *r));
    if (!again.ok() || again->type != r->type || again->subject != r->subject || again->object != r->object) std::abort();
  } else if (r.status().code() != pactgraph::StatusCode::kCorruption) {
    std::abort();
  }
  if (auto p = pactgraph::storage::DecodeProvenance(1, 1, v); !p.ok() && p.status().code() != pactgraph::StatusCode::kCorruption) std::abort();
  if (auto d = pactgraph::storage::DecodeDocument(1, v); d.ok()) {
    auto again = pactgraph::storage::DecodeDocument(1, pactgraph::storage::EncodeDocument(*d));
    if (!again.ok() || again->key != d->key || again->text != d->text) std::abort();
  } else if (d.status().code() != pactgraph::StatusCode::kCorruption) {
    std::abort();
  }
  return 0;
}
