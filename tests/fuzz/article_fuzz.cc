// libFuzzer target for the article readers (header text, plain text, HTML through libxml2) and
// the extractor: any bytes give an article and its facts, or a refusal with a reason.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ingest/extract.h"
#include "ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"fuzz.txt", "fuzz.html"}) {
    auto a = pactgraph::ingest::ParseArticle(bytes, name);
    if (!a.ok()) {
      if (a.status().message().empty()) std::abort();
      continue;
    }
    const auto x = pactgraph::ingest::Extract(*a);
    if (!x.ok()) {
      if (x.status().message().empty()) std::abort();
      continue;
    }
    const std::string jsonl = pactgraph::ingest::ToJsonl(*a, *x, "fuzz-key");
    if (jsonl.empty() && !x->entities.empty()) std::abort();
  }
  return 0;
}
