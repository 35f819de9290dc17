// libFuzzer target for the query parser: any bytes must give statements or one positioned
// syntax error, never a crash, a hang or undefined behaviour. Built and run by
// scripts/fuzz-parser.sh (clang, with AddressSanitizer and UndefinedBehaviorSanitizer).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "query/format.h"
#include "query/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pactgraph::Schema schema = pactgraph::Schema::Default();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pactgraph::query::ParseOutcome p = pactgraph::query::Parse(text, schema);
  if (p.error) {
    // The error points inside the text (or just past it) and formats with its caret.
    if (p.error->pos.offset > size || p.error->pos.line == 0 || p.error->pos.column == 0) std::abort();
    if (p.error->message.empty()) std::abort();
    if (p.error->pos.offset + p.error->pos.length > size) std::abort();  // the span too
    (void)pactgraph::query::FormatError(pactgraph::query::ToStatus(*p.error), text);
    if (!p.statements.empty()) std::abort();
  } else {
    if (p.statements.empty()) std::abort();
    for (const auto& s : p.statements) (void)pactgraph::query::ToString(s);
  }
  return 0;
}
