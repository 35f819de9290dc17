// A gazetteer: names of companies, organisations, products and programs the extractor may meet,
// each with its type, and where known its kind, its maker and its other names. The shipped files
// are datasets/gazetteer/*.jsonl (see the README there); users add files of their own in the
// same format, and a later file extends or corrects an earlier one.
//
// The format is JSON lines, one entry a line; blank lines and lines whose first non-blank
// character is '#' are skipped:
//
//   {"name":"PostgreSQL","type":"Product","kind":"database",
//    "maker":"PostgreSQL Global Development Group","aliases":["Postgres"]}
//
// `name` and `type` (Company, Organization, Product or Program) are required; `kind`, `maker`
// and `aliases` are optional; any other field is an error, so that a misspelt field is not lost.
//
// Names meet through NormalizeKey (graph/names.h): "Red Hat, Inc.", "RED HAT" and "red hat" are
// one key, and so are "Oracle Corporation" and "Oracle".
//
// A Gazetteer is a value: loading builds it, lookups only read it, so a loaded one may be shared
// between threads. Memory: an entry is 200 bytes plus its text, and each key (one per name and
// per alias) about 80 bytes in the index; MemoryBytes() counts it. The shipped 7,322 entries
// take about 3.2 MB, some 440 bytes an entry.
#ifndef PACTGRAPH_INGEST_GAZETTEER_H_
#define PACTGRAPH_INGEST_GAZETTEER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/status.h"

namespace pactgraph::ingest {

// The entity types a gazetteer holds. People, agreements and terms are left out on purpose.
enum class GazetteerType { kCompany, kOrganization, kProduct, kProgram };

// "Company", "Organization", "Product", "Program": the schema's type names.
const char* GazetteerTypeName(GazetteerType type);

struct GazetteerEntry {
  std::string name;  // canonical, as written in the file (cleaned of extra spaces)
  GazetteerType type = GazetteerType::kProduct;
  std::string kind;   // "database", "semiconductor", "partner program", ...; "" when not given
  std::string maker;  // who makes or runs it, as text; "" when not given
  std::vector<std::string> aliases;
  std::string source;  // "FILE:LINE" of the line that first defined it
};

struct GazetteerOptions {
  uint64_t max_file_bytes = 16u << 20;  // a larger file is refused (the shipped ones total 0.6 MB)
  uint64_t max_entries = 1'000'000;     // across all files
};

class Gazetteer {
 public:
  Gazetteer() = default;

  // Loads each path in order: a file, or a directory whose *.jsonl files are loaded in name
  // order. Fails with the first error (see AddFile).
  static Result<Gazetteer> Load(const std::vector<std::string>& paths, const GazetteerOptions& options = {});
  // Loads the *.jsonl files of `dir` in name order.
  static Result<Gazetteer> LoadDirectory(const std::string& dir, const GazetteerOptions& options = {});

  // Adds the entries of one file; a file is taken whole or not at all. Fails with
  // kInvalidArgument located FILE:LINE:COLUMN for a malformed line (bad JSON, invalid UTF-8, a
  // missing or unknown field, a type the gazetteer does not hold, a name with no letters or
  // digits), kResourceExhausted for a file over max_file_bytes or past max_entries, kNotFound
  // or kIoError when the file cannot be read.
  //
  // Duplicates are merged, not refused: an entry whose name has the key of an existing entry's
  // name extends it (aliases are added; kind and maker, when given, replace the old ones), so a
  // user file can correct a shipped entry. When the types differ, the later type is kept and a
  // conflict is recorded. An alias that is another entry's name or alias is not indexed for
  // this entry (the name, or the first, keeps the key) and a conflict is recorded.
  Status AddFile(const std::string& path);
  // AddFile for each *.jsonl file of `dir`, in name order.
  Status AddDirectory(const std::string& dir);

  // The entry whose name or alias has the key of `name`; nullptr when none. The pointer is
  // valid until the gazetteer is changed or destroyed.
  const GazetteerEntry* Find(std::string_view name) const;

  size_t size() const { return entries_.size(); }
  const std::vector<GazetteerEntry>& entries() const { return entries_; }
  // Every type clash and alias clash met while loading, one located sentence each (the first
  // 1,000; conflict_count() counts them all).
  const std::vector<std::string>& conflicts() const { return conflicts_; }
  uint64_t conflict_count() const { return conflict_count_; }
  // Entries merged into an earlier entry of the same name.
  uint64_t merged_count() const { return merged_count_; }
  // Heap bytes held, estimated from string and container capacities.
  size_t MemoryBytes() const;

 private:
  struct Slot {
    uint32_t entry;
    bool is_name;  // the key is the entry's own name (a name outranks an alias)
  };
  void AddConflict(std::string message);
  Status Merge(std::vector<GazetteerEntry> fresh, const std::vector<std::string>& keys);
  void IndexAlias(uint32_t index, const std::string& alias);

  GazetteerOptions options_;
  std::vector<GazetteerEntry> entries_;
  std::unordered_map<std::string, Slot> index_;
  std::vector<std::string> conflicts_;
  uint64_t conflict_count_ = 0;
  uint64_t merged_count_ = 0;
};

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_GAZETTEER_H_
