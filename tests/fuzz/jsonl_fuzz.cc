// libFuzzer target for the JSONL importer: any bytes are imported into a store or refused with
// a positioned error; never a crash, and a refused file leaves the store's counts as they were.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ingest/jsonl.h"
#include "storage/store.h"

namespace {

pactgraph::storage::Store& Scratch() {
  static std::unique_ptr<pactgraph::storage::Store> store = [] {
    char dir[] = "/tmp/pactgraph-jsonl-fuzz-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    pactgraph::storage::StoreOptions o;
    o.create_if_missing = true;
    return std::move(pactgraph::storage::Store::Open(std::string(dir) + "/db", o)).value();
  }();
  return *store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pactgraph::storage::Store& store = Scratch();
  const auto before = store.Stats(store.GetSnapshot());
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  pactgraph::ingest::JsonlImportOptions o;
  o.session.sync = false;
  auto r = pactgraph::ingest::ImportJsonlStream(store, in, "fuzz", o);
  if (!r.ok()) {
    if (r.status().message().empty()) std::abort();
    const auto after = store.Stats(store.GetSnapshot());
    if (before.ok() && after.ok() && (before->entities != after->entities || before->relations != after->relations)) std::abort();
  }
  return 0;
}
