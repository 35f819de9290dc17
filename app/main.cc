// pactgraph: the command. Each subcommand opens the store it needs (read commands read-only, so
// they run beside a writing process), does one job, and exits 0, 1 (it failed) or 2 (bad input).
#include <chrono>
#include <thread>
#include <csignal>
#include <atomic>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/internal/cli.h"
#include "app/internal/show.h"
#include "graph/names.h"
#include "graph/text.h"
#include "ingest/extract.h"
#include "ingest/extract/rules.h"
#include "ingest/parse.h"
#include "ingest/gazetteer.h"
#include "ingest/graph_export.h"
#include "ingest/import_article.h"
#include "server/server.h"
#include "ingest/jsonl.h"
#include "ingest/reader.h"
#include "query/engine.h"
#include "query/format.h"
#include "query/parser.h"
#include "shell/shell.h"
#include "storage/documents.h"
#include "storage/store.h"

namespace pactgraph::app {
namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kMainHelp = R"(pactgraph: a knowledge graph of interoperability agreements

usage: pactgraph [--db DIR] COMMAND [ARGS]

commands:
  import PATH...     import articles (text, HTML) and facts files (JSON lines), folders, - for stdin
  extract PATH...    print the facts the extractor finds in articles, without a database
  parse TEXT         show how the extractor reads sentences: clauses and relation rules
  export             write the graph as JSON lines, GraphML, DOT, Turtle or CSV for Kuzu/Neo4j
  serve              answer over HTTP: JSON endpoints and a web page (loopback by default)
  stats              count entities and relations by type
  check              verify that every record and index entry agree
  documents          list the documents: title, publisher, date, where found, facts each
  query 'TEXT'       answer questions: WHO SUPPORTS X ON Y, WHAT RUNS ON Y, MATCH, PATH A TO B, ...
  shell              ask questions interactively (history, completion, Ctrl-C stops a query)
  show NAME          print an entity's card: type, aliases, relations and their sources
  schema             print the schema, or extend it with --add FILE.json

options:
  --db DIR           the database directory (default: $PACTGRAPH_DB, else ./pactgraph.db)
  --min-free-space N writes are refused while the disk has less than N bytes free (K, M, G
                     suffixes; default 64M), so that a full disk is an error, never a broken store
  --help             help; `pactgraph COMMAND --help` for a command's own
  --version          the version

exit status: 0 success, 1 failure, 2 bad usage or bad input
)";

struct Context {
  std::string db;
  uint64_t min_free_bytes = 64u << 20;
};

// "64M", "512K", "1G" or a number of bytes.
bool ParseBytes(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0) return false;
  uint64_t mult = 1;
  if (digits != std::string::npos) {
    const std::string suffix = AsciiLower(text.substr(digits));
    if (suffix == "k" || suffix == "kb" || suffix == "kib") mult = 1ull << 10;
    else if (suffix == "m" || suffix == "mb" || suffix == "mib") mult = 1ull << 20;
    else if (suffix == "g" || suffix == "gb" || suffix == "gib") mult = 1ull << 30;
    else return false;
  } else {
    digits = text.size();
  }
  uint64_t n = 0;
  if (digits > 12 || !ParseDigits(std::string_view(text).substr(0, digits), &n)) return false;
  if (n > UINT64_MAX / mult) return false;  // "999999999999G" does not fit
  *out = n * mult;
  return true;
}

// Options of a store a command writes to.
storage::StoreOptions ForWriting(const Context& ctx) {
  storage::StoreOptions options;
  options.create_if_missing = true;
  options.min_free_bytes = ctx.min_free_bytes;
  return options;
}

int Fail(const Status& s, int code) {
  // Messages quote names from files and the store: their control characters must not reach
  // the terminal raw.
  std::cerr << "error: " << TerminalText(s.ToString(), /*keep_line_breaks=*/true) << "\n";
  return code;
}

int ExitFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kResourceExhausted:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

Result<std::unique_ptr<storage::Store>> OpenForReading(const Context& ctx) {
  storage::StoreOptions options;
  options.read_only = true;
  return storage::Store::Open(ctx.db, options);
}

// Parses the flags of a subcommand; prints its help on --help. Returns -1 to go on.
int Prepare(int argc, char** argv, int first, std::vector<FlagSpec> specs, const char* help, Args* args) {
  specs.push_back({"--help", false});
  std::string error;
  if (!ParseArgs(argc, argv, first, specs, args, &error)) {
    std::cerr << "error: " << error << "\n\n" << help;
    return kExitBadInput;
  }
  if (args->Has("--help")) {
    std::cout << help;
    return kExitOk;
  }
  return -1;
}

std::string WithCommas(uint64_t n) { return WithThousands(n); }

// ------------------------------------------------------------------------------------- rules

// The relation rules the extractor reads with: the shipped ones, then each --rules FILE in order
// (a rule of a name already defined replaces it), all checked against `schema`. A file that
// cannot be read or has an error is said with FILE:LINE; returns false then.
bool LoadRules(const Args& args, const Schema& schema, ingest::RuleSet* out) {
  Result<ingest::RuleSet> shipped = ingest::RuleSet::Shipped(schema);
  if (!shipped.ok()) {
    std::cerr << "error: the shipped relation rules do not fit the schema: " << TerminalText(shipped.status().ToString(), true) << "\n";
    return false;
  }
  *out = std::move(*shipped);
  for (const std::string& path : args.All("--rules")) {
    // A rule file is a few kilobytes: anything but a readable regular file of at most 4 MB is
    // refused before it is read.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      std::cerr << "error: --rules " << TerminalText(path, false) << ": no such file\n";
      return false;
    }
    if (!std::filesystem::is_regular_file(status)) {
      std::cerr << "error: --rules " << TerminalText(path, false) << ": not a file\n";
      return false;
    }
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > (4u << 20)) {
      std::cerr << "error: --rules " << TerminalText(path, false) << ": larger than 4 MB; a rule file is a few kilobytes\n";
      return false;
    }
    std::ifstream f(path, std::ios::binary);
    std::ostringstream text;
    if (f && size > 0) text << f.rdbuf();  // (inserting nothing from an empty file sets failbit)
    if (!f || !text) {
      std::cerr << "error: --rules " << TerminalText(path, false) << ": cannot be read (" << std::strerror(errno) << ")\n";
      return false;
    }
    Result<ingest::RuleSet> mine = ingest::RuleSet::Parse(text.str(), path, schema);
    if (!mine.ok()) {
      std::cerr << "error: --rules " << TerminalText(mine.status().message(), true) << "\n";
      return false;
    }
    out->Extend(*mine);
  }
  return true;
}

// How the extractor reads sentences: the relation rules and, unless --no-parser, the parser.
const std::vector<FlagSpec> kReadingFlags = {{"--rules", true}, {"--no-parser", false}, {"--parse-words", true}};

// The parser is made at its first use (loading link-grammar's dictionary takes about 0.2 s), so
// that importing facts files alone does not pay for it.
struct Reading {
  ingest::RuleSet rules;
  bool use_parser = true;
  ingest::ParseOptions parse_options;
  const ingest::SentenceParser* Parser() {
    if (!use_parser || parser_tried_) return parser_.get();
    parser_tried_ = true;
    Result<std::unique_ptr<ingest::SentenceParser>> p = ingest::SentenceParser::Create(parse_options);
    if (!p.ok()) {
      std::cerr << "warning: the parser is not available (" << TerminalText(p.status().ToString(), true)
                << "); sentences are read by the chunker alone\n";
      return nullptr;
    }
    parser_ = std::move(*p);
    return parser_.get();
  }
  void Use(ingest::ExtractOptions* xo) {
    xo->rules = &rules;
    xo->parser = Parser();
  }

 private:
  std::unique_ptr<ingest::SentenceParser> parser_;
  bool parser_tried_ = false;
};

bool NumberFlag(const Args& args, const char* flag, double min, double max, double* out);

bool LoadReading(const Args& args, const Schema& schema, Reading* out) {
  if (!LoadRules(args, schema, &out->rules)) return false;
  out->use_parser = !args.Has("--no-parser");
  // Sentences of up to 20 words are parsed, each from link-grammar's first 100 linkages: on the
  // development articles this reads as well as parsing every sentence up to 60 words from 1,000
  // linkages, at about ten times the speed (the longer sentences are lists the chunker reads as
  // well). --parse-words raises the bound.
  out->parse_options.max_words = 20;
  out->parse_options.linkage_limit = 100;
  if (args.Has("--parse-words")) {
    double words = 0;
    if (!NumberFlag(args, "--parse-words", 1, 200, &words)) return false;
    out->parse_options.max_words = static_cast<size_t>(words);
  }
  return true;
}

// The schema `extract` and `parse` check rules against: the default one, extended by each
// --schema FILE.json (the shape `pactgraph schema --add` takes).
bool LoadSchemaFlags(const Args& args, Schema* out) {
  *out = Schema::Default();
  for (const std::string& path : args.All("--schema")) {
    std::ifstream f(path, std::ios::binary);
    if (!f.is_open()) {
      std::cerr << "error: --schema " << TerminalText(path, false) << ": no such file\n";
      return false;
    }
    std::ostringstream text;
    text << f.rdbuf();
    Result<Schema> extended = Schema::FromJson(text.str(), out);
    if (!extended.ok()) {
      std::cerr << "error: --schema " << TerminalText(path, false) << ": " << TerminalText(extended.status().message(), true) << "\n";
      return false;
    }
    *out = std::move(*extended);
  }
  return true;
}

constexpr const char* kParseHelp = R"(usage: pactgraph parse [--schema FILE.json]... [--rules FILE]... [--parse-words N] TEXT|-

Shows how the extractor reads sentences, for writing and checking relation rules: each sentence
of TEXT (or of standard input with -) as link-grammar parses it, one line per clause (subject,
verb with its voice, negation and modal, objects, prepositions), and what each relation rule
reads in it, with the bounds extraction uses (sentences of up to 20 words; --parse-words N). A
sentence the parser does not read says why; the extractor then reads it with its chunker, which
also fills what a parsed clause leaves out (a pronoun subject, prepositions attached deeper).

  --rules FILE        a rule file of your own, after the shipped ones (see `extract --help`)
  --schema FILE.json  relation types to check the rules against, besides the default schema
)";

int CmdParse(int argc, char** argv, int first) {
  Args args;
  std::vector<FlagSpec> flags = {{"--schema", true}};
  flags.insert(flags.end(), kReadingFlags.begin(), kReadingFlags.end());
  if (int rc = Prepare(argc, argv, first, flags, kParseHelp, &args); rc >= 0) return rc;
  if (args.positional.size() != 1) {
    std::cerr << "error: parse takes one TEXT, or - for standard input\n\n" << kParseHelp;
    return kExitBadInput;
  }
  std::string text = args.positional[0];
  if (text == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    text = in.str();
  }
  Schema schema;
  if (!LoadSchemaFlags(args, &schema)) return kExitBadInput;
  Reading reading;
  if (!LoadReading(args, schema, &reading)) return kExitBadInput;
  const ingest::RuleSet& rules = reading.rules;
  // The parser with the bounds extraction uses (--parse-words), so that a sentence shown as not
  // parsed here is read by the chunker there.
  Result<std::unique_ptr<ingest::SentenceParser>> parser = ingest::SentenceParser::Create(reading.parse_options);
  if (!parser.ok()) return Fail(parser.status(), kExitFailure);
  for (const ingest::Sentence& s : ingest::SplitSentences(text)) {
    std::cout << TerminalText(s.text, false) << "\n";
    const ingest::SentenceParse p = (*parser)->Parse(s.text);
    std::istringstream lines(ingest::FormatParse(p));
    for (std::string line; std::getline(lines, line);) std::cout << "  " << TerminalText(line, false) << "\n";
    auto spans = [&](const std::vector<ingest::TextSpan>& v) {
      std::string out;
      for (const ingest::TextSpan& t : v) out += (out.empty() ? "\"" : "|\"") + s.text.substr(t.begin, t.end - t.begin) + "\"";
      return out;
    };
    for (const ingest::Frame& f : ingest::FramesOf(p)) {
      for (const ingest::RuleMatch& m : rules.Match(f, s.text)) {
        std::cout << "  rule " << m.rule->name << ": " << m.rule->relation << " "
                  << (m.subject_from_announcers ? "(the announcers)" : spans(m.subjects)) << " -> "
                  << (m.subjects_pair_up ? "(each other)" : spans(m.objects));
        for (const auto& [slot, v] : m.node_slots) std::cout << " " << slot << "=" << spans(v);
        for (const auto& [slot, v] : m.literal_slots) std::cout << " " << slot << "=" << v;
        std::cout << " (" << m.confidence << ")\n";
      }
    }
  }
  return kExitOk;
}

// ------------------------------------------------------------------------------------ import


// The gazetteer flags of `import` and `extract`.
const std::vector<FlagSpec> kGazetteerFlags = {{"--gazetteer", true}, {"--no-gazetteer", false}};

// The gazetteer the extractor types names with: the shipped one (datasets/gazetteer of the
// source tree this binary was built from) unless --no-gazetteer, then each --gazetteer PATH in
// order. A shipped gazetteer that cannot be read is a warning, and the names are then typed from
// their context alone; a user's file that cannot be read is an error (returns false, said).
// `*out` stays empty when there is nothing to load.
bool LoadGazetteer(const Args& args, std::optional<ingest::Gazetteer>* out) {
  std::vector<std::string> paths = args.All("--gazetteer");
  if (!args.Has("--no-gazetteer")) {
    const std::string shipped = (std::filesystem::path(PG_DATASETS_DIR) / "gazetteer").string();
    Result<ingest::Gazetteer> g = ingest::Gazetteer::LoadDirectory(shipped);
    if (g.ok() && g->size() > 0) {
      *out = std::move(*g);
    } else {
      std::cerr << "warning: the shipped gazetteer cannot be read ("
                << TerminalText(g.ok() ? shipped + ": no *.jsonl files" : g.status().ToString(), true)
                << "); names are typed from their context"
                << (paths.empty() ? "" : " and the --gazetteer files") << " alone\n";
    }
  }
  for (const std::string& p : paths) {
    if (!out->has_value()) out->emplace();
    std::error_code ec;
    const Status s = std::filesystem::is_directory(p, ec) ? (*out)->AddDirectory(p) : (*out)->AddFile(p);
    if (!s.ok()) {
      std::cerr << "error: --gazetteer " << TerminalText(s.ToString(), true) << "\n";
      return false;
    }
  }
  return true;
}

constexpr const char* kImportHelp = R"(usage: pactgraph [--db DIR] import [--lenient] [--quiet] [--replaces DOC] [--extract-timeout S]
       [--memory-budget SIZE] [--gazetteer PATH]... [--no-gazetteer] [--rules FILE]... [--no-parser] PATH...

Imports facts into the database (created when missing). PATH is a JSON lines file of facts, an
article (text with a Title:/Publisher:/Date:/URL: header, plain text, or an HTML page), a folder
of them (recursively), or - for standard input. Each file is one atomic unit: stored whole or
not at all. A file whose content was imported before changes nothing.

An article is one document: the one at its URL when it has one, else the one with its title and
text (never its file name: two articles named release.txt stay two documents). A new version of
an article replaces the old one's facts when it has the same URL, or when --replaces says so.

Facts files: {"kind":"entity"|"relation"|"claim"|"document", ...} as in the corpus fact format;
subjects, objects, speakers and node-valued qualifiers are names or ids declared by entity lines.
Articles go through the extractor (`pactgraph extract` prints what it finds) and keep, for every
fact, the document, sentence, span, rule and confidence it came from.

  --lenient   skip lines the schema rejects (unknown types or qualifiers, wrong subject or
              object type), warn about each and count them, instead of failing
  --quiet     print nothing but errors and warnings
  --replaces DOC
              the one article PATH is a new version of the stored document DOC (its key, as
              import and `GET /documents/ID` show it, or #ID): the facts only DOC stated go,
              the article's are stored under DOC's key
  --extract-timeout S
              the longest the extractor may take on one article, in seconds (default 20;
              0: no bound). Extraction is linear in the text, about 2 s a megabyte.
  --memory-budget SIZE
              the memory a large file's pending writes may take, such as 256M or 2G (default
              128M, at least 16M): beyond it they are sorted and set aside on disk beside the
              database, and all go in at once at the end. The tables of the entities and facts
              the file names come on top (about 300 bytes a relation; see the README).
  --gazetteer PATH
              a gazetteer file of your own (JSON lines, as in datasets/gazetteer/README.md) or
              a folder of them, loaded after the shipped one and extending it; repeatable
  --no-gazetteer
              leave the shipped gazetteer out (names are typed from the store and the text)
  --rules FILE
              relation rules of your own (see `pactgraph extract --help`), checked against the
              database's schema, so that a relation type added with `schema --add` can be read
  --no-parser read sentences with the chunker alone (faster, less exact)

An article's names are typed by the store's entities of those names first, then by the
gazetteer (7,322 names of the industry shipped in datasets/gazetteer), then by the words around
them. A name the gazetteer knows under another name is stored under the gazetteer's, with the
article's form as an alias: "Windows Azure" and "Microsoft Azure" are one entity.

A file that cannot be imported (a malformed line: FILE:LINE:COLUMN; a binary, empty or
invalid UTF-8 file; HTML with no article; an article whose extraction ran out of time:
"FILE: extraction stopped after 20 s (3,812 KB); skipped") is reported, nothing of it is stored,
and the import goes on with the next file; the skipped files are listed at the end and the exit
status is 2.
)";

// A facts file (JSON lines) rather than an article: its name says so, or its first non-blank
// character opens a JSON object. The content is opened only when the name does not tell, and
// read only up to that character (standard input can then still be streamed).
bool IsFactsFile(const std::string& path, const std::function<std::istream&()>& open) {
  if (ingest::IsFactsPath(path)) return true;
  const std::string lower = AsciiLower(path);
  if (lower.ends_with(".txt") || lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".text")) return false;
  std::istream& in = open();
  in >> std::ws;
  return in.peek() == '{';
}

int CmdImport(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  std::vector<FlagSpec> flags = {{"--lenient", false},         {"--quiet", false},        {"--replaces", true},
                                 {"--extract-timeout", true}, {"--memory-budget", true}};
  flags.insert(flags.end(), kGazetteerFlags.begin(), kGazetteerFlags.end());
  flags.insert(flags.end(), kReadingFlags.begin(), kReadingFlags.end());
  if (int rc = Prepare(argc, argv, first, flags, kImportHelp, &args);
      rc >= 0) {
    return rc;
  }
  if (args.positional.empty()) {
    std::cerr << "error: import needs at least one PATH\n\n" << kImportHelp;
    return kExitBadInput;
  }
  const bool replacing = args.Has("--replaces");
  if (replacing && args.positional.size() != 1) {
    std::cerr << "error: --replaces takes one article PATH, the new version of that document\n";
    return kExitBadInput;
  }
  double extract_seconds = ingest::ExtractOptions().max_seconds;
  if (!NumberFlag(args, "--extract-timeout", 0, 86400, &extract_seconds)) return kExitBadInput;
  uint64_t memory_budget = storage::ImportOptions::kDefaultMemoryBudget;
  if (args.Has("--memory-budget") &&
      (!ParseBytes(args.Get("--memory-budget"), &memory_budget) || memory_budget < storage::ImportOptions::kMinMemoryBudget)) {
    std::cerr << "error: --memory-budget needs a size of at least 16M, such as 256M or 2G (got \""
              << args.Get("--memory-budget") << "\")\n";
    return kExitBadInput;
  }
  std::optional<ingest::Gazetteer> gazetteer;
  if (!LoadGazetteer(args, &gazetteer)) return kExitBadInput;
  // Every path must exist before anything is created.
  Result<std::vector<std::string>> files = ingest::ListArticleFiles(args.positional);
  if (!files.ok()) {
    std::cerr << "error: " << TerminalText(files.status().message(), true) << "\n";
    return kExitBadInput;
  }
  storage::StoreOptions options = ForWriting(ctx);
  std::ifstream first_file;
  auto open_first = [&]() -> std::istream& {
    if ((*files)[0] == "-") return std::cin;
    first_file.open((*files)[0], std::ios::binary);
    return first_file;
  };
  if (replacing && (files->size() != 1 || IsFactsFile((*files)[0], open_first))) {
    std::cerr << "error: --replaces takes one article (a facts file names its documents' keys itself)\n";
    return kExitBadInput;
  }
  if (replacing) options.create_if_missing = false;  // there is nothing to replace in a new store
  // The rules are checked against the store's schema, which may have relation types of its own;
  // a store not made yet will have the default one, and a bad rule file must not leave an empty
  // store behind, so that case is checked before anything is created.
  Reading reading;
  std::error_code exists_ec;
  const bool new_store = !std::filesystem::exists(std::filesystem::path(ctx.db) / "CURRENT", exists_ec);
  if (new_store && !LoadReading(args, Schema::Default(), &reading)) return kExitBadInput;
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(ctx.db, options);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  if (!new_store && !LoadReading(args, (*store)->schema(), &reading)) return kExitBadInput;
  std::string replaced_key;
  if (replacing) {
    Result<std::string> k = ingest::StoredDocumentKey(**store, args.Get("--replaces"));
    if (!k.ok()) return Fail(k.status(), kExitBadInput);
    replaced_key = *k;
  }

  const bool quiet = args.Has("--quiet");
  const bool tty = isatty(STDERR_FILENO) != 0 && !quiet;
  ingest::JsonlImportOptions io;
  io.lenient = args.Has("--lenient");
  io.session.SetMemoryBudget(memory_budget);
  bool progress_shown = false;
  int rc = kExitOk;
  std::vector<std::string> skipped;
  uint64_t documents = 0, entities_new = 0, entities_merged = 0, relations_new = 0, relations_merged = 0, claims = 0;
  for (size_t fi = 0; fi < files->size(); ++fi) {
    const std::string& path = (*files)[fi];
    if (tty) {
      io.progress = [&](const ingest::ImportProgress& p) {
        if (p.seconds < 1.0) return;
        progress_shown = true;
        std::string pct = p.bytes_total ? std::to_string(p.bytes_read * 100 / p.bytes_total) + "% " : "";
        std::fprintf(stderr, "\r%s: %s%s lines, %s relations, %.0f relations/s   ", path.c_str(), pct.c_str(),
                     WithCommas(p.lines).c_str(), WithCommas(p.relations).c_str(),
                     static_cast<double>(p.relations) / p.seconds);
        std::fflush(stderr);
      };
      if (files->size() > 20 && fi % 10 == 0) {
        std::fprintf(stderr, "\r%zu of %zu files   ", fi, files->size());
        progress_shown = true;
      }
    }
    // Facts files are streamed (standard input too); an article is read whole and extracted.
    Result<ingest::JsonlImportReport> r = Status::Internal("not run");
    std::ifstream file;
    auto open = [&]() -> std::istream& {
      if (path == "-") return std::cin;
      file.open(path, std::ios::binary);
      return file;
    };
    if (IsFactsFile(path, open)) {
      r = path == "-" ? ingest::ImportJsonlStream(**store, std::cin, "<stdin>", io) : ingest::ImportJsonlFile(**store, path, io);
    } else {
      Result<ingest::Article> a = Status::Internal("not read");
      if (path == "-") {
        const std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        a = ingest::ParseArticle(bytes, "-");
      } else {
        a = ingest::ReadArticle(path);
      }
      if (!a.ok()) {
        r = a.status();
      } else {
        const std::string key = replacing ? replaced_key : ingest::ArticleKey(*a);
        ingest::JsonlImportOptions article_io = io;
        if (path != "-") article_io.document_location = path;
        r = ingest::ImportArticle(**store, *a, key, path == "-" ? "<stdin>" : path, article_io, extract_seconds,
                                  gazetteer ? &*gazetteer : nullptr, &reading.rules, reading.Parser());
      }
    }
    if (progress_shown) {
      std::fprintf(stderr, "\r\033[K");
      progress_shown = false;
    }
    if (!r.ok()) {
      std::cerr << "error: " << TerminalText(r.status().ToString(), true) << "\n"
                << "nothing from " << path << " was stored\n";
      const int code = ExitFor(r.status()) == kExitFailure && r.status().code() != StatusCode::kAborted ? kExitFailure : kExitBadInput;
      rc = std::max(rc, code);
      skipped.push_back(path);
      if (code == kExitFailure) break;  // the store itself failed: the next file would too
      continue;
    }
    for (const std::string& w : r->warnings) std::cerr << "warning: " << TerminalText(w, true) << "\n";
    if (r->skipped > r->warnings.size()) {
      std::cerr << "warning: " << (r->skipped - r->warnings.size()) << " more lines skipped\n";
    }
    if (r->already_imported) {
      if (quiet) continue;
      if (r->counts.locations_new > 0) {
        std::cout << path << ": already imported (" << r->already_message << "); recorded " << r->counts.locations_new
                  << " more location" << (r->counts.locations_new == 1 ? "" : "s") << " of it, no facts changed\n";
      } else {
        std::cout << path << ": already imported (" << r->already_message << "); nothing changed\n";
      }
      continue;
    }
    const storage::ImportCounts& c = r->counts;
    ++documents;
    entities_new += c.entities_new;
    entities_merged += c.entities_merged;
    relations_new += c.relations_new;
    relations_merged += c.relations_merged;
    claims += r->claims;
    if (quiet) continue;
    const std::string as_document = r->document ? " document #" + std::to_string(r->document) + ";" : "";
    std::printf("%s:%s %s lines; entities %s new, %s merged; relations %s new, %s merged; %s claims%s; %.2f s",
                path.c_str(), as_document.c_str(), WithCommas(r->lines).c_str(), WithCommas(c.entities_new).c_str(),
                WithCommas(c.entities_merged).c_str(), WithCommas(c.relations_new).c_str(),
                WithCommas(c.relations_merged).c_str(), WithCommas(r->claims).c_str(),
                r->skipped ? ("; " + WithCommas(r->skipped) + (r->skipped == 1 ? " line skipped" : " lines skipped")).c_str() : "", r->seconds);
    if (c.documents_replaced) {
      std::printf("; a new version of %s: the earlier one's sources retracted, %s relations only it stated removed",
                  c.documents_replaced == 1 ? "a document" : (WithCommas(c.documents_replaced) + " documents").c_str(),
                  WithCommas(c.relations_retracted).c_str());
    }
    if (r->seconds > 0.05) {
      std::printf(" (%s relations/s)", WithCommas(static_cast<uint64_t>((c.relations_new + c.relations_merged) / r->seconds)).c_str());
    }
    std::printf("\n");
  }
  if (!quiet && files->size() > 1) {
    std::printf("imported %s of %s files: entities %s new, %s merged; relations %s new, %s merged; %s claims\n",
                WithCommas(documents).c_str(), WithCommas(files->size()).c_str(), WithCommas(entities_new).c_str(),
                WithCommas(entities_merged).c_str(), WithCommas(relations_new).c_str(), WithCommas(relations_merged).c_str(),
                WithCommas(claims).c_str());
  }
  if (!skipped.empty()) {
    std::cerr << "skipped " << skipped.size() << (skipped.size() == 1 ? " file:" : " files:");
    for (const std::string& s : skipped) std::cerr << " " << s;
    std::cerr << "\n";
  }
  // The flushes and compactions this process started finish before it exits: otherwise every
  // import would leave a few more files behind, until no command could open them all.
  (*store)->Settle().IgnoreError();
  return rc;
}

// ----------------------------------------------------------------------------------- extract

constexpr const char* kExtractHelp = R"(usage: pactgraph extract [--out DIR] [--sources] [--extract-timeout S]
       [--gazetteer PATH]... [--no-gazetteer] [--rules FILE]... [--schema FILE.json]... [--no-parser] PATH...

Reads articles (text with a Title:/Publisher:/Date:/URL: header, plain text whose first line is
the title, or HTML pages; folders recursively; - for standard input) and prints the facts found
in them as JSON lines in the corpus shape, without a database.

  --out DIR    write NAME.facts.jsonl into DIR for each article NAME.* instead of printing
  --sources    add a document line and each fact's source (sentence, span, rule, confidence)
  --extract-timeout S
               the longest the extractor may take on one article, in seconds (default 20;
               0: no bound). Extraction is linear in the text, about 2 s a megabyte.
  --gazetteer PATH
               a gazetteer file of your own (JSON lines, as in datasets/gazetteer/README.md)
               or a folder of them, loaded after the shipped one and extending it; repeatable
  --no-gazetteer
               leave the shipped gazetteer out: names are typed from the text alone
  --rules FILE relation rules of your own (the format: ingest/extract/rules/relations.rules),
               after the shipped ones; a rule of a name already defined replaces it; repeatable
  --schema FILE.json
               relation types the rules may name, besides the default schema (the shape
               `pactgraph schema --add` takes)
  --no-parser  read sentences with the chunker alone, not link-grammar (faster, less exact)
  --parse-words N
               parse sentences of up to N words (default 20; 1 to 200); longer ones are read
               by the chunker. Parse time grows with the cube of the length.

Relations are read by the relation rules: a sentence with one of their verbs or nouns is parsed
by link-grammar and each clause matched by the rules; a sentence the parser cannot link is read
by the chunker (the names before and after the word). `pactgraph parse TEXT` shows both.

Names the gazetteer knows are typed by it, and found even where no word around them says what
they are; a name it knows under another name is given the gazetteer's, with the article's form
among the aliases.

A file that is not an article (binary, invalid UTF-8, empty, too large, HTML with no article
text), and an article whose extraction runs out of time (the warning: FILE: extraction stopped
after 20 s (3,812 KB)), is skipped with a warning; the others are still read, and the exit
status is then 1.
)";

int CmdExtract(int argc, char** argv, int first) {
  Args args;
  std::vector<FlagSpec> flags = {{"--out", true}, {"--sources", false}, {"--extract-timeout", true}, {"--schema", true}};
  flags.insert(flags.end(), kGazetteerFlags.begin(), kGazetteerFlags.end());
  flags.insert(flags.end(), kReadingFlags.begin(), kReadingFlags.end());
  if (int rc = Prepare(argc, argv, first, flags, kExtractHelp, &args);
      rc >= 0) {
    return rc;
  }
  if (args.positional.empty()) {
    std::cerr << "error: extract needs at least one PATH\n\n" << kExtractHelp;
    return kExitBadInput;
  }
  ingest::ExtractOptions xo;
  if (!NumberFlag(args, "--extract-timeout", 0, 86400, &xo.max_seconds)) return kExitBadInput;
  std::optional<ingest::Gazetteer> gazetteer;
  if (!LoadGazetteer(args, &gazetteer)) return kExitBadInput;
  if (gazetteer) xo.gazetteer = &*gazetteer;
  Schema schema;
  if (!LoadSchemaFlags(args, &schema)) return kExitBadInput;
  Reading reading;
  if (!LoadReading(args, schema, &reading)) return kExitBadInput;
  reading.Use(&xo);
  Result<std::vector<std::string>> files = ingest::ListArticleFiles(args.positional);
  if (!files.ok()) return Fail(files.status(), kExitBadInput);
  const std::string out_dir = args.Get("--out");
  if (!out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) return Fail(Status::IoError(out_dir + ": " + ec.message()), kExitFailure);
  }
  std::vector<std::string> skipped;
  size_t articles = 0;
  for (const std::string& path : *files) {
    if (ingest::IsFactsPath(path)) continue;  // facts files beside the articles (gold, exports)
    ++articles;
    Result<ingest::Article> a = ingest::ReadArticle(path);
    if (!a.ok()) {
      std::cerr << "warning: skipped " << TerminalText(a.status().message(), true) << "\n";
      skipped.push_back(path);
      continue;
    }
    const Result<ingest::Extraction> x = ingest::Extract(*a, xo);
    if (!x.ok()) {
      std::cerr << "warning: skipped " << path << ": " << x.status().message() << "\n";
      skipped.push_back(path);
      continue;
    }
    const std::string key = args.Has("--sources") ? ingest::ArticleKey(*a) : "";
    const std::string jsonl = ingest::ToJsonl(*a, *x, key);
    if (out_dir.empty()) {
      std::cout << jsonl;
      continue;
    }
    std::string stem = std::filesystem::path(path).filename().string();
    const size_t dot = stem.find('.');
    if (dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    const std::string out = (std::filesystem::path(out_dir) / (stem + ".facts.jsonl")).string();
    std::ofstream f(out);
    f << jsonl;
    if (!f) return Fail(Status::IoError(out + ": cannot be written"), kExitFailure);
  }
  if (!skipped.empty()) {
    std::cerr << skipped.size() << " of " << articles << " files skipped:";
    for (const std::string& s : skipped) std::cerr << " " << s;
    std::cerr << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

// ------------------------------------------------------------------------------------ export

constexpr const char* kExportHelp = R"(usage: pactgraph [--db DIR] export [--format FORMAT] [--ids] [--focus NAME [--depth N]] [--output FILE|DIR]

jsonl (the default): every document that a source names, every entity, every relation with its
sources and every claim as JSON lines, in id order. Importing the output into an empty database
and exporting again gives the same lines.

graphml, dot: the graph for Gephi, yEd, NetworkX or Graphviz, written by Boost.Graph: entities
as vertices (name, type, aliases), relations as edges (type, and one attribute per qualifier
slot: on, as, status, ...); claims left out.

kuzu: CSV files Kuzu's COPY FROM loads as they are, with schema.cypher (the CREATE NODE/REL TABLE
statements) and load.cypher (the COPY statements, in order; run them from the folder). A table
per entity and relation type; qualifiers a column each (a node-valued slot as <slot>_name and
<slot>_id: ON is a keyword in Kuzu); claims; the documents cited (Document) and the sources
(Source: relation id, sentence, rule, confidence, evidence; STATED_IN a Document).

neo4j: CSV files for neo4j-admin database import full (id:ID(Entity), :LABEL, :START_ID, :END_ID,
:TYPE, typed columns: on, on_id:long, as, ...), with documents, sources and claims, and import.sh
holding the command line that loads them.

csv: the generic files of earlier versions: nodes_<Type>.csv (id:ID,name,aliases,:LABEL) and
edges_<TYPE>_<From>_<To>.csv (:START_ID,:END_ID,:TYPE,relation,qualifiers), the qualifiers joined
into one string.

turtle: RDF. Entities are <urn:pactgraph:entity:ID> (rdf:type pg:Company, rdfs:label), each
relation a triple and a reified rdf:Statement carrying pg:on, pg:as, ... and pg:source
(document, sentence, evidence, rule, confidence); pg: is <urn:pactgraph:vocab:>.

  --format F       jsonl, graphml, dot, kuzu, neo4j, csv or turtle
  --ids            jsonl: refer to entities by id everywhere, not by name
  --focus NAME     not jsonl: only the neighbourhood of this entity (a name, alias or #ID)
  --depth N        the neighbourhood's radius in relations (default 2)
  --output PATH    write to FILE (through a temporary file, renamed when complete); for kuzu,
                   neo4j and csv, the folder to write the files into (created when missing; the
                   files appear in it only once all of them are written)
)";

// Writes a folder export into a hidden staging folder inside `dir`, then moves each file into
// `dir`: a failure leaves none of the new files behind, so that a folder never holds a
// load.cypher or import.sh beside files of an export that did not finish.
int ExportFolder(const storage::Store& store, const std::string& format, const std::string& dir, const ingest::GraphExportOptions& go) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    std::cerr << "error: --output " << dir << ": cannot create the folder" << (ec ? ": " + ec.message() : std::string(": a file has that name"))
              << "\n";
    return kExitBadInput;
  }
  const fs::path stage = fs::path(dir) / (".pactgraph-export-" + std::to_string(::getpid()));
  fs::create_directory(stage, ec);
  if (ec) {
    std::cerr << "error: --output " << dir << ": cannot write into the folder: " << ec.message() << "\n";
    return kExitBadInput;
  }
  std::ofstream file;
  std::vector<std::string> names;
  bool opened = true;
  auto open = [&](const std::string& name) -> std::ostream& {
    file.close();
    file.clear();
    file.open(stage / name, std::ios::binary | std::ios::trunc);
    if (!file) opened = false;
    names.push_back(name);
    return file;
  };
  Status s = format == "kuzu" ? ingest::ExportKuzu(store, open, go)
             : format == "neo4j" ? ingest::ExportNeo4j(store, open, go)
                                 : ingest::ExportCsv(store, open, go);
  file.close();
  if (s.ok() && (!opened || !file)) s = Status::IoError("writing into " + dir + " failed");
  for (const std::string& name : names) {
    if (!s.ok()) break;
    fs::rename(stage / name, fs::path(dir) / name, ec);
    if (ec) s = Status::IoError("cannot move " + name + " into " + dir + ": " + ec.message());
  }
  fs::remove_all(stage, ec);
  if (!s.ok()) return Fail(s, s.code() == StatusCode::kIoError ? kExitBadInput : ExitFor(s));
  std::cout << "wrote " << names.size() << " files into " << dir << "\n";
  if (format == "kuzu") std::cout << "load them from that folder: run schema.cypher, then load.cypher\n";
  if (format == "neo4j") std::cout << "load them with: sh " << (fs::path(dir) / "import.sh").string() << " [DATABASE]\n";
  return kExitOk;
}

int CmdExport(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {{"--format", true}, {"--ids", false}, {"--output", true}, {"--focus", true}, {"--depth", true}},
                       kExportHelp, &args);
      rc >= 0) {
    return rc;
  }
  const std::string format = args.Get("--format", "jsonl");
  const std::vector<std::string>& formats = ingest::ExportFormats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    std::string known, near;
    for (const std::string& f : formats) {
      known += (known.empty() ? "" : ", ") + f;
      if (near.empty() && BoundedEditDistance(AsciiLower(format), f, 2) <= 2) near = f;
    }
    std::cerr << "error: unknown export format \"" << format << "\"" << (near.empty() ? "" : " (did you mean " + near + "?)")
              << "; the formats are " << known << "\n";
    return kExitBadInput;
  }
  ingest::GraphExportOptions go;
  go.focus = args.Get("--focus");
  if (args.Has("--depth")) {
    const std::string d = args.Get("--depth");
    uint64_t depth = 0;
    if (!ParseDigits(d, &depth) || depth < 1 || depth > 12) {
      std::cerr << "error: --depth must be a number from 1 to 12, not \"" << d << "\"\n";
      return kExitBadInput;
    }
    go.depth = static_cast<int>(depth);
  }
  if (!go.focus.empty() && format == "jsonl") {
    std::cerr << "error: --focus works with every format but jsonl\n";
    return kExitBadInput;
  }
  if (ingest::IsFolderFormat(format)) {
    if (!args.Has("--output")) {
      std::cerr << "error: --format " << format << " writes several files: give the folder with --output DIR\n";
      return kExitBadInput;
    }
    if (!args.positional.empty()) {
      std::cerr << "error: export takes no arguments (did you mean --output " << args.positional[0] << "?)\n";
      return kExitBadInput;
    }
    Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
    if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
    return ExportFolder(**store, format, args.Get("--output"), go);
  }
  if (!args.positional.empty()) {
    std::cerr << "error: export takes no arguments (did you mean --output " << args.positional[0] << "?)\n";
    return kExitBadInput;
  }
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  ingest::JsonlExportOptions eo;
  eo.ids = args.Has("--ids");
  if (!args.Has("--output")) {
    std::ios::sync_with_stdio(false);
    Status s = format == "jsonl"    ? ingest::ExportJsonl(**store, std::cout, eo)
               : format == "turtle" ? ingest::ExportTurtle(**store, std::cout, go)
                                    : ingest::ExportGraph(**store, format, std::cout, go);
    return s.ok() ? kExitOk : Fail(s, ExitFor(s));
  }
  const std::string path = args.Get("--output");
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::cerr << "error: --output " << path << ": cannot write " << tmp << ": " << std::strerror(errno) << "\n";
      return kExitBadInput;
    }
    Status s = format == "jsonl"    ? ingest::ExportJsonl(**store, out, eo)
               : format == "turtle" ? ingest::ExportTurtle(**store, out, go)
                                    : ingest::ExportGraph(**store, format, out, go);
    if (!s.ok()) {
      std::remove(tmp.c_str());
      return Fail(s, kExitFailure);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::cerr << "error: cannot rename " << tmp << " to " << path << ": " << ec.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

// ------------------------------------------------------------------------------------ serve

// --min-confidence X into `out` (left as it is without the flag); false after printing what is
// wrong.
bool MinConfidenceFlag(const Args& args, double* out) {
  if (!args.Has("--min-confidence")) return true;
  Result<double> t = query::ParseMinConfidence(args.Get("--min-confidence"));
  if (!t.ok()) {
    std::cerr << "error: --min-confidence: " << TerminalText(t.status().message(), true) << "\n";
    return false;
  }
  *out = *t;
  return true;
}

constexpr const char* kServeHelp = R"(usage: pactgraph [--db DIR] serve [OPTIONS]

Answers over HTTP until Ctrl-C or SIGTERM (requests in flight finish, then the store closes):
JSON endpoints (GET /openapi.json lists them) and a web page at / with a query box, the
answers with their evidence and an entity's neighbourhood drawn as a graph.

  --bind ADDR        the address to listen on (default 127.0.0.1: this machine only)
  --port N           the port (default 8080; 0 picks a free one and prints it)
  --token T          the token the write endpoints (POST /documents, POST /facts) need, as
                     "Authorization: Bearer T" (default: $PACTGRAPH_TOKEN; none: writes refused)
  --read-only        no write endpoints; the store is opened read-only (an import may run beside)
  --threads N        requests served at once (default 8); a connection waiting for its next
                     request holds none of them
  --idle-timeout S   a connection that sends nothing for this long is closed (default 5)
  --max-client-connections N
                     connections one client address may hold (default 128); past it a new
                     connection closes that client's oldest idle one, or gets 503
  --max-body BYTES   the largest request body (default 16777216; larger gets 413)
  --timeout SECONDS  the longest a query may run (default 10)
  --max-rows N       the most rows a query returns (default 1000)
  --max-query-memory BYTES
                     the most memory one query may hold (default 268435456; past it, 422)
  --gazetteer PATH   a gazetteer file or folder of your own for articles posted to /documents
                     (repeatable); --no-gazetteer leaves the shipped one out
  --rules FILE       relation rules of your own for posted articles (see `extract --help`);
                     --no-parser reads their sentences with the chunker alone
  --min-confidence X facts whose best source is below X (0 to 1, default 0.5) are candidates,
                     left out of answers unless a request asks for them ("candidates": true)
)";

std::atomic<bool> g_stop_serving{false};
extern "C" void OnStopSignal(int) { g_stop_serving.store(true); }

int CmdServe(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first,
                       {{"--bind", true}, {"--port", true}, {"--token", true}, {"--read-only", false}, {"--threads", true},
                        {"--max-body", true}, {"--timeout", true}, {"--max-rows", true}, {"--idle-timeout", true},
                        {"--max-client-connections", true}, {"--max-query-memory", true}, {"--gazetteer", true},
                        {"--no-gazetteer", false}, {"--rules", true}, {"--no-parser", false}, {"--parse-words", true},
                        {"--min-confidence", true}},
                       kServeHelp, &args);
      rc >= 0) {
    return rc;
  }
  if (!args.positional.empty()) {
    std::cerr << "error: serve takes no arguments\n\n" << kServeHelp;
    return kExitBadInput;
  }
  server::ServerOptions so;
  so.bind = args.Get("--bind", so.bind);
  so.read_only = args.Has("--read-only");
  const char* env_token = std::getenv("PACTGRAPH_TOKEN");
  so.token = args.Get("--token", env_token ? env_token : "");
  auto number = [&](const char* flag, double lo, double hi, double fallback, double* out) {
    if (!args.Has(flag)) {
      *out = fallback;
      return true;
    }
    char* end = nullptr;
    const std::string v = args.Get(flag);
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !(d >= lo && d <= hi)) {  // NaN is in no range
      std::cerr << "error: " << flag << " must be a number from " << lo << " to " << hi << ", not \"" << v << "\"\n";
      return false;
    }
    *out = d;
    return true;
  };
  double port = 0, threads = 0, body = 0, timeout = 0, rows = 0, idle = 0, per_client = 0, memory = 0;
  if (!number("--port", 0, 65535, so.port, &port) || !number("--threads", 1, 256, so.threads, &threads) ||
      !number("--max-body", 1024, 1e10, static_cast<double>(so.max_body_bytes), &body) ||
      !number("--timeout", 0.001, 3600, so.query_timeout_s, &timeout) || !number("--max-rows", 1, 1e9, static_cast<double>(so.max_rows), &rows) ||
      !number("--idle-timeout", 0.1, 3600, so.idle_timeout_s, &idle) ||
      !number("--max-client-connections", 1, 100000, static_cast<double>(so.max_client_connections), &per_client) ||
      !number("--max-query-memory", 1 << 20, 1e13, static_cast<double>(so.max_query_memory_bytes), &memory)) {
    return kExitBadInput;
  }
  so.max_query_memory_bytes = static_cast<uint64_t>(memory);
  if (!MinConfidenceFlag(args, &so.min_confidence)) return kExitBadInput;
  // Articles posted to /documents are typed and resolved as `pactgraph import` does.
  std::optional<ingest::Gazetteer> gazetteer;
  if (!so.read_only && !LoadGazetteer(args, &gazetteer)) return kExitBadInput;
  so.gazetteer = gazetteer ? &*gazetteer : nullptr;
  so.port = static_cast<int>(port);
  so.threads = static_cast<int>(threads);
  so.max_body_bytes = static_cast<size_t>(body);
  so.query_timeout_s = timeout;
  so.max_rows = static_cast<uint64_t>(rows);
  so.idle_timeout_s = idle;
  so.max_client_connections = static_cast<size_t>(per_client);
  so.max_connections = std::max(so.max_connections, so.max_client_connections);

  storage::StoreOptions options = ForWriting(ctx);
  options.read_only = so.read_only;
  options.create_if_missing = !so.read_only;
  // Posted articles are read as `pactgraph import` reads them, with rules checked against the
  // store's schema (the default one for a store not made yet, checked before it is made).
  Reading reading;
  std::error_code exists_ec;
  const bool new_store = !std::filesystem::exists(std::filesystem::path(ctx.db) / "CURRENT", exists_ec);
  if (so.read_only && args.Has("--rules")) {
    std::cerr << "error: --rules reads posted articles, and --read-only takes none\n";
    return kExitBadInput;
  }
  if (!so.read_only && new_store && !LoadReading(args, Schema::Default(), &reading)) return kExitBadInput;
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(ctx.db, options);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  if (!so.read_only) {
    if (!new_store && !LoadReading(args, (*store)->schema(), &reading)) return kExitBadInput;
    so.rules = &reading.rules;
    so.parser = reading.Parser();
  }
  server::Server srv(**store, so);
  Result<int> bound = srv.Bind();
  if (!bound.ok()) return Fail(bound.status(), kExitFailure);
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::thread watcher([&] {
    while (!g_stop_serving.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    srv.Stop();
  });
  std::cout << "serving " << ctx.db << " on http://" << so.bind << ":" << *bound << "/"
            << (so.read_only ? " (read-only)" : so.token.empty() ? " (no token: writes refused)" : "") << "; Ctrl-C stops"
            << std::endl;
  Status st = srv.Serve();
  g_stop_serving.store(true);
  watcher.join();
  std::cout << "stopped" << std::endl;
  return st.ok() ? kExitOk : Fail(st, kExitFailure);
}

// ------------------------------------------------------------------------------------ stats

constexpr const char* kStatsHelp = R"(usage: pactgraph [--db DIR] stats [--format text|json]

Counts entities by type and relations by type, documents, and the bytes the database takes.
)";

int CmdStats(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {{"--format", true}}, kStatsHelp, &args); rc >= 0) return rc;
  const std::string format = args.Get("--format", "text");
  if (format != "text" && format != "json") {
    std::cerr << "error: unknown format \"" << format << "\" (known: text, json)\n";
    return kExitBadInput;
  }
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  storage::Snapshot snap = (*store)->GetSnapshot();
  Result<storage::StoreStats> st = (*store)->Stats(snap);
  if (!st.ok()) return Fail(st.status(), kExitFailure);
  if (format == "json") {
    nlohmann::ordered_json j;
    j["entities"] = st->entities;
    j["relations"] = st->relations;
    j["documents"] = st->documents;
    j["disk_bytes"] = st->disk_bytes;
    j["entities_by_type"] = st->entities_by_type;
    j["relations_by_type"] = st->relations_by_type;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("database   %s (%.1f MiB on disk)\n", ctx.db.c_str(), static_cast<double>(st->disk_bytes) / (1 << 20));
  std::printf("entities   %s\n", WithCommas(st->entities).c_str());
  for (const auto& [type, n] : st->entities_by_type) {
    if (n) std::printf("  %-20s %12s\n", type.c_str(), WithCommas(n).c_str());
  }
  std::printf("relations  %s\n", WithCommas(st->relations).c_str());
  for (const auto& [type, n] : st->relations_by_type) {
    if (n) std::printf("  %-20s %12s\n", type.c_str(), WithCommas(n).c_str());
  }
  std::printf("documents  %s\n", WithCommas(st->documents).c_str());
  return kExitOk;
}

// ------------------------------------------------------------------------------------ check

constexpr const char* kCheckHelp = R"(usage: pactgraph [--db DIR] check

Reads every record and index entry and reports any that disagree: an index entry without its
record, a record without its index entries, a count that is wrong; and compares the projection
file kept beside the store (when it was saved from the store as it is) with the projection built
from the store. Exit status 1 when it finds a problem.
)";

int CmdCheck(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {}, kCheckHelp, &args); rc >= 0) return rc;
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  Result<storage::CheckReport> report = (*store)->Check();
  if (!report.ok()) return Fail(report.status(), kExitFailure);
  if (Status s = query::Engine(**store).CheckDerivedFiles(&*report); !s.ok()) return Fail(s, kExitFailure);
  if (report->ok()) {
    std::printf("ok: %s records and index entries agree\n", WithCommas(report->records).c_str());
    return kExitOk;
  }
  for (const std::string& p : report->problems) std::printf("problem: %s\n", p.c_str());
  std::printf("%zu problems in %s records and index entries\n", report->problems.size(), WithCommas(report->records).c_str());
  return kExitFailure;
}

// ------------------------------------------------------------------------------------ documents

constexpr const char* kDocumentsHelp = R"(usage: pactgraph [--db DIR] documents [--limit N] [--offset N | --after ID] [--format table|json|csv]

Lists the documents the graph was read from, by id: title, publisher, date, where each was found
(its URLs and the files it was imported from: the same text imported again from elsewhere is the
same document, with one more location) and how many facts it is a source of. A page at a time.

  --limit N       documents per page (default 50)
  --offset N      skip the first N documents
  --after ID      start after document ID (what a page's end names for the next page)
  --format F      table (default), json or csv
)";

int CmdDocuments(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {{"--limit", true}, {"--offset", true}, {"--after", true}, {"--format", true}},
                       kDocumentsHelp, &args);
      rc >= 0) {
    return rc;
  }
  if (!args.positional.empty()) {
    std::cerr << "error: documents takes no arguments (\"" << args.positional[0] << "\"); see pactgraph documents --help\n";
    return kExitBadInput;
  }
  query::Format format = query::Format::kTable;
  if (args.Has("--format") && !query::ParseFormat(args.Get("--format"), &format)) {
    std::cerr << "error: --format is table, json or csv, not \"" << args.Get("--format") << "\"\n";
    return kExitBadInput;
  }
  if (args.Has("--offset") && args.Has("--after")) {
    std::cerr << "error: give --offset or --after, not both\n";
    return kExitBadInput;
  }
  double limit = 50, offset = 0, after = 0;
  if (!NumberFlag(args, "--limit", 1, 1e9, &limit) || !NumberFlag(args, "--offset", 0, 1e18, &offset) ||
      !NumberFlag(args, "--after", 0, 1e18, &after)) {
    return kExitBadInput;
  }
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  const storage::Snapshot snap = (*store)->GetSnapshot();
  storage::DocumentPageRequest request;
  request.limit = static_cast<uint64_t>(limit);
  request.offset = static_cast<uint64_t>(offset);
  request.after = static_cast<DocumentId>(after);
  Result<storage::DocumentPage> page = storage::ListDocuments(**store, snap, request);
  if (!page.ok()) return Fail(page.status(), kExitFailure);
  if (format == query::Format::kJson) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const storage::DocumentSummary& d : page->documents) {
      nlohmann::ordered_json j;
      j["id"] = d.document.id;
      j["key"] = d.document.key;
      j["kind"] = d.document.kind;
      j["title"] = d.document.title;
      j["publisher"] = d.document.publisher;
      j["date"] = d.document.date;
      j["url"] = d.document.url;
      j["locations"] = d.locations;
      j["facts"] = d.facts;
      list.push_back(std::move(j));
    }
    nlohmann::ordered_json j;
    j["documents"] = std::move(list);
    j["total"] = page->total;
    j["next_offset"] = page->more ? nlohmann::ordered_json(page->next_offset) : nlohmann::ordered_json();
    j["next_after"] = page->more ? nlohmann::ordered_json(page->next_after) : nlohmann::ordered_json();
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  if (format == query::Format::kCsv) {
    std::cout << "id,title,publisher,date,facts,locations\r\n";
    for (const storage::DocumentSummary& d : page->documents) {
      std::string places;
      for (const std::string& l : d.locations) places += (places.empty() ? "" : " | ") + l;
      std::cout << d.document.id << "," << CsvField(d.document.title.empty() ? d.document.key : d.document.title) << ","
                << CsvField(d.document.publisher) << "," << CsvField(d.document.date) << "," << d.facts << ","
                << CsvField(places) << "\r\n";
    }
    return kExitOk;
  }
  for (const storage::DocumentSummary& d : page->documents) {
    const Document& doc = d.document;
    std::cout << "#" << doc.id << "  " << TerminalText(doc.title.empty() ? doc.key : doc.title) << "\n    ";
    if (!doc.publisher.empty()) std::cout << TerminalText(doc.publisher) << ", ";
    if (!doc.date.empty()) std::cout << doc.date << ", ";
    std::cout << doc.kind << ", " << WithCommas(d.facts) << (d.facts == 1 ? " fact" : " facts") << "\n";
    for (const std::string& l : d.locations) std::cout << "    at " << TerminalText(l) << "\n";
  }
  if (page->documents.empty()) {
    std::cout << "(no documents on this page; " << WithCommas(page->total) << " in all)\n";
  } else if (page->more) {
    std::cout << "(" << WithCommas(page->documents.size()) << " of " << WithCommas(page->total)
              << " documents; the next page: --after " << page->next_after << ")\n";
  } else {
    std::cout << "(" << WithCommas(page->documents.size()) << " of " << WithCommas(page->total) << " documents)\n";
  }
  return kExitOk;
}

// ------------------------------------------------------------------------------------ show

constexpr const char* kShowHelp = R"(usage: pactgraph [--db DIR] show [--limit N] [--min-confidence X] NAME

Prints the card of the entity called NAME (its canonical name or an alias; #ID for an id):
type, aliases, each relation out and in with its qualifiers, the relations that name it as a
qualifier, and the sources of each. An unknown name lists the nearest names. The card shows
every stored relation: a candidate (its best source below the confidence threshold) is marked
"[candidate: confidence C]".

  --limit N            relations shown per section (default 50; 0 shows all)
  --min-confidence X   the confidence threshold, from 0 to 1 (default 0.5)
)";

int CmdShow(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {{"--limit", true}, {"--min-confidence", true}}, kShowHelp, &args); rc >= 0) return rc;
  if (args.positional.empty()) {
    std::cerr << "error: show needs a NAME\n\n" << kShowHelp;
    return kExitBadInput;
  }
  std::string name;
  for (const std::string& p : args.positional) name += (name.empty() ? "" : " ") + p;
  size_t limit = 50;
  if (args.Has("--limit")) {
    const std::string v = args.Get("--limit");
    uint64_t n = 0;
    if (!ParseDigits(v, &n) || n > SIZE_MAX) {
      std::cerr << "error: --limit needs a whole number, not \"" << v << "\"\n";
      return kExitBadInput;
    }
    limit = static_cast<size_t>(n);
  }
  double min_confidence = query::kDefaultMinConfidence;
  if (!MinConfidenceFlag(args, &min_confidence)) return kExitBadInput;
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  Status s = PrintEntityCard(**store, name, limit, min_confidence, std::cout);
  return s.ok() ? kExitOk : Fail(s, ExitFor(s));
}

// ------------------------------------------------------------------------------------- query

constexpr const char* kQueryHelp = R"(usage: pactgraph [--db DIR] query [OPTIONS] ['TEXT' | -]

Answers queries; with no TEXT (or -), reads them from standard input, one per line or
separated by ';'. Every row comes with its evidence: the document, date and sentence.

  WHO SUPPORTS "Red Hat Enterprise Linux" ON Hyper-V     who <verb> X [ON|AS|OF|WITH Y]...
  WHO SUPPORTS RHEL ON EXACTLY "Hyper-V Server 2008"      without Y's versions and editions
  WHAT DOES Microsoft SUPPORT                              what X <verb>s
  WHAT RUNS ON RHEL          WHO WORKS FOR Microsoft      WHO SAID ABOUT Hyper-V
  PATH Novell TO "Red Hat" MAX 4 VIA PARTNERS_WITH, SUPPORTS
  SHOW RHEL
  TIMELINE "Quill OS"        each fact about X by date: stated, restated, changed, contradicted
  CHANGES [OF X] BETWEEN 2021-01-01 AND 2022-12-31   facts that appeared, changed or ended then
  CONFLICTS [ABOUT X]        facts whose sources disagree (denied, ended, another qualifier)
  ... AS OF 2009-06-30       only relations stated by then and not ended
  ... LIMIT 10               EXPLAIN ...   PROFILE ...
  ... WITH CANDIDATES        candidates too, each row that rests on one marked

Verbs and prepositions come from the schema (`pactgraph schema`). Names are quoted, bare words,
or #ID.

A fact whose best source's confidence is below the threshold (--min-confidence, default 0.5)
is a candidate: it is stored with its evidence, but answers leave it out (and say how many they
left out) unless WITH CANDIDATES or --candidates asks for it. A surer source of the same fact,
imported later, lifts it out; facts from a .facts.jsonl without a confidence count as 1.

  --format table|json|csv  output (default table)
  --no-evidence            leave the evidence out
  --max-rows N             stop a query after N rows (default 1000)
  --timeout SECONDS        stop a query after this long (default 30)
  --max-hops N             the largest MAX a PATH may ask for (default 12)
  --max-query-memory BYTES stop a query that holds more than this in memory (rows to sort,
                           DISTINCT, count() groups, paths, the answer; default 268435456)
  --param NAME=VALUE       a value for $NAME in the queries (repeatable): a whole number is an
                           id or a number, anything else text ("42" in double quotes is text)
  --candidates             answer with candidates too, as WITH CANDIDATES does
  --min-confidence X       the confidence threshold, from 0 to 1 (default 0.5; 0: no candidates)
  --min-sources N          WHO and WHAT: only facts stated by at least N distinct documents (a
                           story under several addresses is one); WHO/WHAT ... ORDER BY SOURCES
                           sorts by them; MATCH counts them as r.sources (documents) and
                           r.publishers, to filter (WHERE r.sources >= 2) and sort
)";

// --param NAME=VALUE, repeated, as query parameters; false after printing what is wrong.
bool ParamFlags(const Args& args, query::Params* out) {
  for (const std::string& p : args.All("--param")) {
    const size_t eq = p.find('=');
    std::string name = eq == std::string::npos ? std::string() : p.substr(0, eq);
    if (!name.empty() && name[0] == '$') name.erase(0, 1);
    if (name.empty()) {
      std::cerr << "error: --param wants NAME=VALUE, as in --param x=42 or --param y=RHEL, not \"" << p << "\"\n";
      return false;
    }
    const std::string v = p.substr(eq + 1);
    const bool negative = !v.empty() && v[0] == '-';
    uint64_t magnitude = 0;
    if (v.size() <= 18 && ParseDigits(std::string_view(v).substr(negative ? 1 : 0), &magnitude)) {
      const auto n = static_cast<int64_t>(magnitude);  // at most 18 digits: fits
      (*out)[name] = query::Value::Int(negative ? -n : n);
    } else if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
      (*out)[name] = query::Value::Text(v.substr(1, v.size() - 2));
    } else {
      (*out)[name] = query::Value::Text(v);
    }
  }
  return true;
}

bool NumberFlag(const Args& args, const char* flag, double min, double max, double* out) {
  if (!args.Has(flag)) return true;
  const std::string v = args.Get(flag);
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(d >= min && d <= max)) {  // NaN is in no range
    // Whole bounds in full (1048576, not 1.04858e+06).
    auto shown = [](double x) {
      std::ostringstream o;
      if (x == std::floor(x) && x < 1e15) {
        o << static_cast<uint64_t>(x);
      } else {
        o << x;
      }
      return o.str();
    };
    std::cerr << "error: " << flag << " needs a number from " << shown(min) << " to " << shown(max) << ", not \"" << v << "\"\n";
    return false;
  }
  *out = d;
  return true;
}

// The output and limit flags `query` and `shell` share; false after printing what is wrong.
bool OutputAndLimits(const Args& args, query::FormatOptions* fo, query::Limits* limits) {
  if (args.Has("--format") && !query::ParseFormat(args.Get("--format"), &fo->format)) {
    std::cerr << "error: --format is table, json or csv, not \"" << args.Get("--format") << "\"\n";
    return false;
  }
  fo->evidence = !args.Has("--no-evidence");
  fo->width = query::TerminalWidth();
  // Marks in colour for a terminal, unless NO_COLOR (no-color.org) is set to something.
  const char* no_color = std::getenv("NO_COLOR");
  fo->color = isatty(STDOUT_FILENO) != 0 && (no_color == nullptr || *no_color == '\0');
  // A person reading at a terminal gets cells wrapped at words, names whole; a pipe or a file
  // what it always had.
  fo->wrap = isatty(STDOUT_FILENO) != 0;
  double rows = static_cast<double>(limits->max_rows), timeout = limits->timeout_s, hops = limits->max_path_hops;
  double memory = static_cast<double>(limits->max_memory_bytes);
  if (!NumberFlag(args, "--max-rows", 1, static_cast<double>(query::kMaxRowsAtMost), &rows) ||
      !NumberFlag(args, "--timeout", query::kTimeoutAtLeastS, query::kTimeoutAtMostS, &timeout) ||
      !NumberFlag(args, "--max-hops", 1, 64, &hops) || !NumberFlag(args, "--max-query-memory", 1 << 20, 1e13, &memory)) {
    return false;
  }
  limits->max_memory_bytes = static_cast<uint64_t>(memory);
  limits->max_rows = static_cast<uint64_t>(rows);
  limits->timeout_s = timeout;
  limits->max_path_hops = static_cast<int>(hops);
  if (!MinConfidenceFlag(args, &limits->min_confidence)) return false;
  limits->candidates = args.Has("--candidates");
  double sources = static_cast<double>(limits->min_sources);
  if (!NumberFlag(args, "--min-sources", 1, 1e9, &sources)) return false;
  limits->min_sources = static_cast<int64_t>(sources);
  return true;
}

int CmdQuery(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first,
                       {{"--format", true}, {"--no-evidence", false}, {"--max-rows", true}, {"--timeout", true},
                        {"--max-hops", true}, {"--max-query-memory", true}, {"--param", true}, {"--candidates", false},
                        {"--min-confidence", true}, {"--min-sources", true}},
                       kQueryHelp, &args);
      rc >= 0) {
    return rc;
  }
  query::FormatOptions fo;
  query::Limits limits;
  if (!OutputAndLimits(args, &fo, &limits)) return kExitBadInput;
  query::Params params;
  if (!ParamFlags(args, &params)) return kExitBadInput;

  std::string text;
  const bool from_stdin = args.positional.empty() || (args.positional.size() == 1 && args.positional[0] == "-");
  if (from_stdin) {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
    // One query per line unless the input separates them with ';'.
    if (text.find(';') == std::string::npos) {
      for (char& c : text) {
        if (c == '\n') c = ';';
      }
    }
  } else {
    // Words are one statement ("query WHO SUPPORTS RHEL"); several quoted statements, each
    // beginning with a statement's first word, are a script ("query 'SHOW RHEL' 'SHOW Azure'").
    static const char* const kStarts[] = {"who", "what", "match", "path", "paths", "show", "rank", "components",
                                          "neighbourhood", "neighborhood", "timeline", "changes", "conflicts",
                                          "explain", "profile"};
    auto starts_statement = [&](const std::string& p) {
      const std::string first = AsciiLower(p.substr(0, p.find_first_of(" \t\n")));
      return p.find(' ') != std::string::npos &&
             std::any_of(std::begin(kStarts), std::end(kStarts), [&](const char* k) { return first == k; });
    };
    const bool script = args.positional.size() > 1 && std::all_of(args.positional.begin(), args.positional.end(), starts_statement);
    for (const std::string& p : args.positional) text += (text.empty() ? "" : script ? ";\n" : " ") + p;
  }
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  query::Engine engine(**store, limits);
  // The whole text parsed at once; with a syntax error somewhere, statement by statement, so that
  // the others still run and the failing one is reported with its number.
  std::vector<Result<query::Prepared>> parts = engine.PrepareScript(text);
  size_t n = 0;
  for (const auto& p : parts) n += p.ok() ? p->statements.size() : 1;
  auto numbered = [&](size_t number) { return n > 1 ? "query " + std::to_string(number) + ": " : std::string(); };
  int rc = kExitOk;
  size_t number = 0;
  bool printed = false;
  for (const auto& p : parts) {
    if (!p.ok()) {
      std::cerr << "error: " << numbered(++number) << TerminalText(query::FormatError(p.status(), text), true) << "\n";
      rc = std::max(rc, static_cast<int>(kExitBadInput));
      continue;
    }
    for (size_t i = 0; i < p->statements.size(); ++i) {
      ++number;
      Result<query::Answer> a = engine.Run(*p, i, params);
      if (!a.ok()) {
        std::cerr << "error: " << numbered(number) << TerminalText(query::FormatError(a.status(), text), true) << "\n";
        rc = std::max(rc, ExitFor(a.status()));
        continue;
      }
      if (printed && fo.format == query::Format::kTable) std::cout << "\n";
      query::Write(*a, fo, std::cout);
      printed = true;
    }
  }
  return rc;
}

// ------------------------------------------------------------------------------------ shell

constexpr const char* kShellHelp = R"(usage: pactgraph [--db DIR] shell [OPTIONS]

An interactive session over the database, opened read-only (an import may run beside it).
Statements end with ';' and may span lines; \help inside lists the backslash commands.
Line editing, history (up and down), Tab completion of keywords, types and entity names.
Ctrl-C discards the statement being typed, or stops the query that is running.

  --history FILE           where the history is kept (default: $PACTGRAPH_HISTORY, else
                           ~/.pactgraph_history)
  --no-history             keep no history across sessions
  --format table|json|csv  output (default table; \format changes it)
  --no-evidence            leave the evidence out (\sources on brings it back)
  --max-rows N             stop a query after N rows (default 1000)
  --timeout SECONDS        stop a query after this long (default 30)
  --max-hops N             the longest path or variable-length pattern (default 12)
  --max-query-memory BYTES stop a query that holds more than this in memory (rows to sort,
                           DISTINCT, count() groups, paths, the answer; default 268435456)
  --candidates             answer with candidates too (\candidates on|off changes it)
  --min-confidence X       facts whose best source is below X (0 to 1, default 0.5) are
                           candidates, left out unless asked for (\confidence X changes it)
  --min-sources N          WHO and WHAT: only facts stated by at least N distinct documents
)";

int CmdShell(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first,
                       {{"--history", true}, {"--no-history", false}, {"--format", true}, {"--no-evidence", false},
                        {"--max-rows", true}, {"--timeout", true}, {"--max-hops", true}, {"--max-query-memory", true},
                        {"--candidates", false}, {"--min-confidence", true}, {"--min-sources", true}},
                       kShellHelp, &args);
      rc >= 0) {
    return rc;
  }
  if (!args.positional.empty()) {
    std::cerr << "error: shell takes no arguments; to run a query, use pactgraph query 'TEXT'\n";
    return kExitBadInput;
  }
  shell::ShellOptions so;
  if (!OutputAndLimits(args, &so.format, &so.limits)) return kExitBadInput;
  if (args.Has("--history")) {
    so.history_file = args.Get("--history");
  } else if (const char* h = std::getenv("PACTGRAPH_HISTORY"); h && *h) {
    so.history_file = h;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    so.history_file = std::string(home) + "/.pactgraph_history";
  }
  if (args.Has("--no-history")) so.history_file.clear();
  Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  // 0; 2 when a statement of a script read from standard input failed; 1 when the shell could not start.
  const int rc = shell::RunShell(**store, so);
  return rc == 0 ? kExitOk : rc == 2 ? kExitBadInput : kExitFailure;
}

// ------------------------------------------------------------------------------------ schema

constexpr const char* kSchemaHelp = R"(usage: pactgraph [--db DIR] schema [--add FILE.json]

Prints the database's schema as JSON: entity types, qualifier slots, and relation types with
the types they connect and the slots they take. With --add, adds the definitions of FILE.json
(same shape; ids are assigned) that the schema lacks; they may name the types and slots the
schema has already. A definition that clashes with a stored one is an error and changes nothing.
A schema holds at most 1,000 entity types, 1,000 relation types and 1,000 qualifier slots.
)";

int CmdSchema(const Context& ctx, int argc, char** argv, int first) {
  Args args;
  if (int rc = Prepare(argc, argv, first, {{"--add", true}}, kSchemaHelp, &args); rc >= 0) return rc;
  if (!args.Has("--add")) {
    Result<std::unique_ptr<storage::Store>> store = OpenForReading(ctx);
    if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
    std::cout << (*store)->schema().ToJson(false) << "\n";
    return kExitOk;
  }
  const std::string path = args.Get("--add");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot open " << path << "\n";
    return kExitBadInput;
  }
  std::stringstream text;
  text << in.rdbuf();
  // A database that is not there yet would start from the default schema: check the file
  // against that first, so that a bad file creates no database.
  std::error_code ec;
  if (!std::filesystem::exists(ctx.db, ec)) {
    const Schema fresh = Schema::Default();
    Result<Schema> checked = Schema::FromJson(text.str(), &fresh);
    if (!checked.ok()) return Fail(checked.status().WithContext(path + ": "), kExitBadInput);
  }
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(ctx.db, ForWriting(ctx));
  if (!store.ok()) return Fail(store.status(), ExitFor(store.status()));
  // The file may use the types and slots the database has (a relation type from Company).
  Result<Schema> extended = Schema::FromJson(text.str(), &(*store)->schema());
  if (!extended.ok()) return Fail(extended.status().WithContext(path + ": "), kExitBadInput);
  Status s = (*store)->ExtendSchema(*extended);
  if (!s.ok()) return Fail(s.WithContext(path + ": "), ExitFor(s));
  std::cout << "schema: " << (*store)->schema().entity_types().size() << " entity types, "
            << (*store)->schema().relation_types().size() << " relation types, "
            << (*store)->schema().slots().size() << " qualifier slots\n";
  return kExitOk;
}

}  // namespace

int Main(int argc, char** argv) {
  Context ctx;
  const char* env = std::getenv("PACTGRAPH_DB");
  ctx.db = env && *env ? env : "pactgraph.db";
  int i = 1;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      ctx.db = argv[++i];
    } else if (arg.rfind("--db=", 0) == 0) {
      ctx.db = arg.substr(5);
    } else if (arg == "--db") {
      std::cerr << "error: --db needs a directory\n";
      return kExitBadInput;
    } else if (arg == "--min-free-space" || arg.rfind("--min-free-space=", 0) == 0) {
      std::string value = arg.size() > 16 ? arg.substr(17) : (i + 1 < argc ? argv[++i] : "");
      if (!ParseBytes(value, &ctx.min_free_bytes)) {
        std::cerr << "error: --min-free-space needs a size such as 64M, 512K or 1G (got \"" << value << "\")\n";
        return kExitBadInput;
      }
    } else if ((arg == "help" || arg == "--help") && i + 1 < argc && argv[i + 1][0] != '-') {
      // "pactgraph help query": the command's own help.
      std::vector<char*> args = {argv[0], argv[i + 1], const_cast<char*>("--help")};
      return Main(static_cast<int>(args.size()), args.data());
    } else if (arg == "--help" || arg == "-h" || arg == "help") {
      std::cout << kMainHelp;
      return kExitOk;
    } else if (arg == "--version") {
      std::cout << "pactgraph " << kVersion << "\n";
      return kExitOk;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "error: unknown option " << arg << "\n\n" << kMainHelp;
      return kExitBadInput;
    } else {
      break;
    }
  }
  if (i >= argc) {
    std::cerr << kMainHelp;
    return kExitBadInput;
  }
  const std::string command = argv[i];
  if (command == "import") return CmdImport(ctx, argc, argv, i + 1);
  if (command == "extract") return CmdExtract(argc, argv, i + 1);
  if (command == "parse") return CmdParse(argc, argv, i + 1);
  if (command == "export") return CmdExport(ctx, argc, argv, i + 1);
  if (command == "stats") return CmdStats(ctx, argc, argv, i + 1);
  if (command == "check") return CmdCheck(ctx, argc, argv, i + 1);
  if (command == "documents") return CmdDocuments(ctx, argc, argv, i + 1);
  if (command == "show") return CmdShow(ctx, argc, argv, i + 1);
  if (command == "query") return CmdQuery(ctx, argc, argv, i + 1);
  if (command == "shell") return CmdShell(ctx, argc, argv, i + 1);
  if (command == "schema") return CmdSchema(ctx, argc, argv, i + 1);
  if (command == "serve") return CmdServe(ctx, argc, argv, i + 1);
  // "qeury": the nearest command, when it is near; else the list.
  static const char* const kCommands[] = {"import", "extract", "parse", "export", "stats", "check",
                                          "documents", "show", "query", "shell", "schema", "serve"};
  for (const char* c : kCommands) {
    if (BoundedEditDistance(command, c, 2) <= 2) {
      std::cerr << "error: unknown command \"" << command << "\"; did you mean \"" << c << "\"? (pactgraph --help lists them)\n";
      return kExitBadInput;
    }
  }
  std::cerr << "error: unknown command \"" << command << "\"\n\n" << kMainHelp;
  return kExitBadInput;
}

}  // namespace pactgraph::app

int main(int argc, char** argv) { return pactgraph::app::Main(argc, argv); }
