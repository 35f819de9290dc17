// Runs statements against a store: binds names through the alias index and checks types
// against the schema, plans (choosing the cheaper access path from index counts), and executes
// a pull-based operator tree over one snapshot. Every answer row carries its evidence.
#ifndef PACTGRAPH_QUERY_ENGINE_H_
#define PACTGRAPH_QUERY_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"
#include "query/ast.h"
#include "storage/store.h"

namespace pactgraph::query {

class Grammar;
struct EngineCache;

// A fact whose best source's confidence is below the threshold is a *candidate*: stored with its
// evidence like any other (a later, surer source lifts it out), but left out of answers unless
// a query asks for candidates. The one place the default is set: the command's --min-confidence,
// the shell and the server start from it. Chosen from the extractor's precision by confidence
// (scripts/precision_by_confidence.py).
constexpr double kDefaultMinConfidence = 0.5;

// Where a row's fact was stated.
struct Evidence {
  std::string document;  // title, or the document key when it has no title
  uint64_t document_id = 0;
  std::string publisher;
  std::string url;       // the document's URL, else its first URL location; empty when it has none
  std::string date;      // YYYY-MM-DD, or empty
  uint32_t sentence = 0;
  uint32_t line = 0;     // of the facts file it was imported from
  // The whole sentence the fact was read from (a facts file's evidence as it was written), and
  // the byte offsets within it of the words that state the fact: [span_begin, span_end), both 0
  // when not known or when they are the whole text.
  std::string text;
  uint32_t span_begin = 0, span_end = 0;
  std::string rule;      // the extraction rule, or "jsonl" for a facts file
  float confidence = 1.0f;
  bool below_threshold = false;  // this source alone would make the fact a candidate
};

// Sets e->text, span_begin and span_end for source `p` of document `d` (whose text it reads):
// the sentence of the source's span with the stated words marked, else the source's words.
void QuoteSource(const Document& d, const Provenance& p, Evidence* e);
// Source `p` of document `d` as evidence, quoted (QuoteSource), with the document's own URL.
// Every evidence item and every linked claim's source is made by it.
Evidence SourceEvidence(const Document& d, const Provenance& p);

struct Value {
  enum class Kind { kNull, kInt, kText };
  Kind kind = Kind::kNull;
  int64_t number = 0;
  std::string text;
  static Value Text(std::string s) { return {Kind::kText, 0, std::move(s)}; }
  static Value Int(int64_t n) { return {Kind::kInt, n, {}}; }
  std::string ToString() const { return kind == Kind::kInt ? std::to_string(number) : text; }
};

// A claim linked to a row's fact: what a speaker is reported to have said in the very sentence
// of one of the fact's sources, about both of the fact's ends (as its ABOUT edges or its words
// name them). Read from the store when asked, never stored.
struct LinkedClaim {
  // The side it takes: the column of the source it shares a sentence with ("one source", "the
  // other") in CONFLICTS, that source's status ("ended") on a disputed row, "" on a timeline step.
  std::string side;
  EntityId claim = 0;
  std::string speaker;  // the first speaker's name; "" when none is stored
  std::string text;
  Evidence source;      // where it was said
};

struct Answer {
  std::string query;  // the statement as written
  std::string title;  // a heading: SHOW's entity, type and aliases
  std::vector<std::string> columns;
  // Columns from this one on (a question's qualifier slots) may be left out of a table when no
  // row fills them; the columns a MATCH returns are always shown.
  size_t optional_columns_from = SIZE_MAX;
  std::vector<std::vector<Value>> rows;
  std::vector<std::vector<Evidence>> evidence;  // one list per row
  // The claims linked to each row's fact (one list per row, or none at all); a row without one
  // looks as it always did.
  std::vector<std::vector<LinkedClaim>> claims;
  // The rows quote their sources' sentences in their own columns (TIMELINE, CHANGES, CONFLICTS):
  // each row's evidence is the source it tells, for a JSON reader to mark the stated words in;
  // tables and CSV leave it out rather than print each sentence twice.
  bool evidence_in_columns = false;
  // Candidates were asked for (WITH CANDIDATES, --candidates): `candidate` says, per row,
  // whether the row rests on a fact below `min_confidence`.
  bool with_candidates = false;
  std::vector<bool> candidate;
  // WHO and WHAT: per row, how many distinct documents (a story under several addresses is
  // one) and distinct publishers state its fact, as of the statement's date; empty for the
  // other forms.
  std::vector<int64_t> sources, publishers;
  double min_confidence = kDefaultMinConfidence;
  std::string plan;     // EXPLAIN: the plan; PROFILE: the plan with rows and time per operator
  bool explain_only = false;
  std::string notice;   // e.g. "stopped at 1,000 rows (--max-rows)"
  double seconds = 0;
};

// Values for a statement's $parameters, by name (without the $). An integer given for an entity
// ($x in WHO SUPPORTS $x) is its id; text is its name or alias.
using Params = std::map<std::string, Value>;

// Statements parsed once, to run many times with different parameters.
struct Prepared {
  std::string text;
  std::vector<Statement> statements;
  std::vector<std::string> parameters;  // every $name used, each once
};

// How whoever set a query's limits raises each one, for the messages that say a limit was met:
// "the query ran past its time limit of 30 s (raise it with --timeout)". The command line's
// flags by default; the server names its request fields and its own bounds instead, so that an
// HTTP client is never told of a flag it cannot pass.
struct LimitHints {
  std::string rows = "--max-rows to change";               // the notice of an answer cut short
  std::string timeout = "raise it with --timeout";          // after "time limit of 30 s ("
  std::string memory = "narrow it or raise --max-query-memory";  // after "memory for the rows ...; "
  std::string hops = "--max-hops to change";               // a PATH's MAX, a pattern's *1..N
};

// The bounds a query's limits are checked against wherever they come from: `query --max-rows` and
// `--timeout` and the HTTP fields limit and timeout_ms take the same ranges.
inline constexpr uint64_t kMaxRowsAtMost = 1'000'000'000;
inline constexpr double kTimeoutAtLeastS = 0.001;
inline constexpr double kTimeoutAtMostS = 86400;

struct Limits {
  uint64_t max_rows = 1000;     // rows returned before the query stops (LIMIT may ask for fewer)
  double timeout_s = 30;        // wall-clock time per query
  int max_path_hops = 12;       // the largest MAX a PATH may ask for
  size_t max_evidence = 5;      // sources shown per row
  // The memory one query may hold at once (rows kept to sort, DISTINCT's and count()'s keys,
  // paths waiting to be walked, entities and documents read, the answer's rows), estimated
  // from the values held; past it the query stops with kResourceExhausted.
  uint64_t max_memory_bytes = uint64_t{256} << 20;
  // Facts whose best source's confidence is below this (0..1) are candidates, left out of
  // answers unless `candidates` is set or the statement says WITH CANDIDATES.
  double min_confidence = kDefaultMinConfidence;
  bool candidates = false;
  // WHO and WHAT answers leave out facts stated by fewer distinct documents than this (a story
  // carried under several addresses is one document). 1: every fact.
  int64_t min_sources = 1;
  LimitHints hints{};
};

// "0.5" -> 0.5: a threshold from 0 to 1, else kInvalidArgument saying so (for the flags and
// request fields that set Limits::min_confidence).
Result<double> ParseMinConfidence(std::string_view text);

class Engine {
 public:
  Engine(const storage::Store& store, Limits limits = {});
  ~Engine();

  // Parses and runs every statement of `text` (separated by ';'). A syntax error is
  // kInvalidArgument with the line, column and a caret; an unknown name is kNotFound listing the
  // nearest names; an ambiguous one kInvalidArgument listing the candidates; a time or memory
  // limit kResourceExhausted. Statements before a failing one have run; their answers are lost.
  Result<std::vector<Answer>> Run(std::string_view text, const Params& params = {});
  Result<Answer> Run(const Statement& statement, std::string_view text = {});

  // Parses once (a syntax error as for Run); Run(prepared, params) then skips the parsing. A
  // parameter without a value fails with kInvalidArgument naming it; unused values are ignored.
  Result<Prepared> Prepare(std::string_view text);
  Result<std::vector<Answer>> Run(const Prepared& prepared, const Params& params = {});
  // Statement `i` of a prepared text alone (a script reports each statement's error).
  Result<Answer> Run(const Prepared& prepared, size_t i, const Params& params);
  // A script: the whole text prepared at once when it parses (one element); otherwise cut at each
  // ';' outside quotes and each piece prepared on its own, so that a syntax error in one leaves
  // the others to run. Positions (lines, columns, spans) stay those of the whole text. Empty
  // pieces are left out; never empty (a text of no statement gives the whole text's error).
  std::vector<Result<Prepared>> PrepareScript(std::string_view text);

  // Asks the running query to stop (from another thread or a signal handler): it ends with
  // kAborted. Cleared when the next query starts.
  void Cancel() { cancelled_.store(true); }

  const Limits& limits() const { return limits_; }
  void set_limits(const Limits& l) { limits_ = l; }

  // `check` for the derived files beside the store: a projection file saved from the store's
  // present sequence number (one that would be taken) is compared, edge for edge, with the
  // projection built from the adjacency keys, and a file of entity types with the entities; a
  // damaged one is a problem too. A stale file is none (it is never taken). Adds to `report`.
  Status CheckDerivedFiles(storage::CheckReport* report);

 private:
  Status CheckTypesFile(storage::CheckReport* report);

  const storage::Store& store_;
  Limits limits_;
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<Grammar> grammar_;  // the schema's question words, rebuilt when it grows
  // The graph projection, its scores and the candidate set, kept between statements.
  std::unique_ptr<EngineCache> cache_;
};

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_ENGINE_H_
