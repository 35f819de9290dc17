// A deterministic synthetic interoperability graph, by scale factor, written as pactgraph JSONL.
//
// The shape follows the peers' generator (../shared/peers/gen.py), so that figures compare, but
// the code, the vocabulary and the random stream are our own: the same seed and scale factor give
// byte-identical output on every machine. Per scale factor 1:
//
//   Company    1,000    names "<Brand> <Suffix>", aliases: brand, "<name> Inc.", half a ticker
//   Product    ~25,000  10 base products per company, each with 0-3 versions (VARIANT_OF)
//   Program    200      OPERATES from one company (Zipf 0.7), MEMBER_OF from 1-9 others
//   Person     5,000    5 per company, WORKS_FOR with a title; aliases "F. Last", sometimes "Last"
//   Agreement  2,000    PARTY_TO from two companies, PARTNERS_WITH between them, 1-3 INCLUDES or
//                       EXCLUDES to 30 shared Terms
//   SUPPORTS   ~20,000  10-30 per company; object Zipf(0.8) over products; `on` Zipf(1.0) over
//                       base products, a version of it with p=0.4; `as` a role
//   RUNS_ON    ~120,000 3-7 hosts per product from the same platform popularity
//   Claim      15,000   3 per person: SAID person -> claim, ABOUT claim -> 1-2 entities
//
// About 48,000 entities and 235,000 relations per scale factor; every line carries a source
// {"doc":N,"sentence":S}. Entity lines come first, with ids; relation lines refer to the ids.
#ifndef PACTGRAPH_BENCH_GENERATOR_H_
#define PACTGRAPH_BENCH_GENERATOR_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "graph/status.h"

namespace pactgraph::bench {

struct GeneratorOptions {
  double scale_factor = 1.0;
  uint64_t seed = 42;
};

struct GeneratedCounts {
  std::map<std::string, uint64_t> entities_by_type;
  std::map<std::string, uint64_t> relations_by_type;
  uint64_t entities = 0;
  uint64_t relations = 0;
  uint64_t bytes = 0;
};

// Writes the graph to `out` (a file opened for writing).
Result<GeneratedCounts> Generate(const GeneratorOptions& options, std::FILE* out);

// The same into the file at `path` (created or truncated).
Result<GeneratedCounts> GenerateFile(const GeneratorOptions& options, const std::string& path);

}  // namespace pactgraph::bench

#endif  // PACTGRAPH_BENCH_GENERATOR_H_
