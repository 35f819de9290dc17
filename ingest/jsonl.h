// Facts in and out as JSON lines, in the corpus shape (../shared/corpus/SCHEMA.md) plus ids,
// sources and documents:
//
//   {"kind":"entity","id":1,"name":"Red Hat","type":"Company","aliases":["Red Hat Inc"]}
//   {"kind":"relation","type":"SUPPORTS","subject":"Microsoft","object":1,
//    "qualifiers":{"on":"Hyper-V Server 2008","as":"guest"},
//    "source":{"doc":"press-2009-02-16","sentence":3,"span":[120,188]},"evidence":"..."}
//   {"kind":"claim","speaker":"Mike Neil","text":"...","about":["Hyper-V"]}
//   {"kind":"document","key":"press-2009-02-16","type":"article","title":"...","date":"2009-02-16"}
//
// Subjects, objects, speakers, `about` entries and node-valued qualifiers are names, or ids that
// entity lines of the same file declare. A file is one import unit: it is stored whole, in one
// atomic write, or not at all.
#ifndef PACTGRAPH_INGEST_JSONL_H_
#define PACTGRAPH_INGEST_JSONL_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "graph/status.h"
#include "storage/import_session.h"
#include "storage/store.h"

namespace pactgraph::ingest {

struct ImportProgress {
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;  // 0 when not known (standard input)
  uint64_t lines = 0;
  uint64_t relations = 0;
  double seconds = 0;
};

struct JsonlImportOptions {
  // Skip lines the schema rejects (unknown types, wrong subject or object types, unknown
  // qualifiers, unknown names in `about`) with a warning, instead of failing the import.
  bool lenient = false;
  // Called every few thousand lines; may be empty.
  std::function<void(const ImportProgress&)> progress;
  storage::ImportOptions session;
  // Where the unit was read from (a file name), recorded as a location of the document its
  // document lines make (ImportArticle sets it; a facts file's own name is its unit's title).
  std::string document_location;
};

struct JsonlImportReport {
  std::string source;
  uint64_t lines = 0;  // non-blank lines read
  storage::ImportCounts counts;
  uint64_t claims = 0;
  uint64_t skipped = 0;               // lines skipped under --lenient
  std::vector<std::string> warnings;  // the first 100 warnings, located
  bool already_imported = false;      // same content as an earlier import: nothing was written
  std::string already_message;
  double seconds = 0;
  DocumentId document = 0;            // an article's document (ImportArticle); 0 for facts files
};

// Imports the JSONL file at `path` ("-" is standard input). On a malformed line, fails with
// kInvalidArgument located "FILE:LINE:COLUMN" and the store unchanged.
Result<JsonlImportReport> ImportJsonlFile(storage::Store& store, const std::string& path,
                                          const JsonlImportOptions& options);
// The same from a stream; `name` is used in messages and as the document title.
Result<JsonlImportReport> ImportJsonlStream(storage::Store& store, std::istream& in,
                                            const std::string& name, const JsonlImportOptions& options);

struct JsonlExportOptions {
  bool ids = false;  // refer to entities by id everywhere (default: by name unless ambiguous)
};

// Writes every document (except the facts files no source points back to), every entity, every
// relation with its sources and every claim, in id order; a document that states no relation is
// written too. Entities are referred to by name, or by id where a canonical name
// is shared (or options.ids). Importing the output into an empty store and exporting again gives
// the same facts, and the same lines when no ids were written.
Status ExportJsonl(const storage::Store& store, std::ostream& out, const JsonlExportOptions& options);

// JSON string literal for `s` (quotes included), escaping what JSON requires.
std::string JsonQuote(std::string_view s);

// The one writer of fact lines, for the export and for `pactgraph extract`. Each call gives one
// line without its closing brace, so that the caller can add what its shape carries after it
// (the extractor's "evidence" and "source", the export's "sources"); `Close` ends it. References
// to entities are already JSON (a quoted name, or a file id). Empty fields of a document are
// left out.
struct FactLines {
  struct DocumentFields {
    std::string_view key, type, title, publisher, date, url, hash, text;
  };
  static std::string Document(const DocumentFields& d);
  static std::string Entity(const std::string& id_ref, std::string_view name, std::string_view type,
                            const std::vector<std::string>& aliases, const std::map<std::string, std::string>& properties);
  // `qualifiers`: each slot with its value, already JSON.
  static std::string Relation(std::string_view type, const std::string& subject_ref, const std::string& object_ref,
                              const std::vector<std::pair<std::string, std::string>>& qualifiers,
                              const std::map<std::string, std::string>& properties);
  static std::string Claim(const std::string& speaker_ref, std::string_view text, const std::vector<std::string>& about_refs);
  static std::string Close(std::string line) { return line + "}\n"; }
};

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_JSONL_H_
