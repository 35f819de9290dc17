// pactgraph-bench: generate a synthetic graph, load it, measure lookups. See `pactgraph-bench --help`.
//
// Each measured step runs in a fresh process (this binary, started again), so that peak memory
// and caches belong to that step alone. `load DATA DB` is also the load half of the peers'
// adapter protocol (../shared/peers/README.md).
#include <random>
#include <sstream>
#include <atomic>
#include <thread>
#include <httplib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "graph/text.h"
#include "bench/generator.h"
#include "server/server.h"
#include "ingest/extract.h"
#include "ingest/jsonl.h"
#include "ingest/parse.h"
#include "ingest/text_units.h"
#include "ingest/reader.h"
#include "query/engine.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using nlohmann::json;
using pactgraph::Result;
using pactgraph::Status;
namespace storage = pactgraph::storage;

namespace {

constexpr const char* kUsage = R"(usage: pactgraph-bench COMMAND ...

Measures pactgraph on a deterministic synthetic interoperability graph (about 48,000 entities and
235,000 relations per scale factor).

commands:
  run [--sf N] [--seed S] [--dir DIR] [--keep] [--json]
        generate, load and measure lookups, each in its own process; prints a summary
        (--json: one JSON object). DIR (default: a new temporary directory) holds the data and
        the database; it is removed afterwards unless --keep.
  gen --sf N --out FILE [--seed S]
        write the graph as JSONL
  query DATA DB
        the query half of the peers' adapter protocol: runs Q1-Q7 of ../shared/peers with the
        parameter sets of DATA/params.json through the query engine (warm-up pass, then a timed
        pass; BUDGET_S, WARMUP, WARMUP_BUDGET_S as the peers read them) and prints
        {"system","version","peak_rss_mb","floor","queries":{"Q1":{"n","of","p50_us",...,"answers"}}}
  load DATA DB [--memory-budget MIB]
        import DATA (a JSONL file, or a directory holding graph.jsonl) into the new database DB,
        its pending writes kept within MIB mebibytes (default 128, as `pactgraph import`);
        prints {"system","version","load_s","nodes","edges","edges_per_s","disk_bytes","peak_rss_mb"}
  extract PATH... [--seconds S] [--parse-words N]
        extraction throughput on one core: reads the articles under PATH once, then extracts
        them over and over for S seconds (default 3), once with the chunker alone and once
        with the parser (sentences of up to N words, default 20, as import reads them); prints
        documents/s and MB/s of text for each
  parse PATH... [--max-words N] [--linkage-limit N]
        the parse stage on one core: every sentence of the articles under PATH parsed once with
        the default bounds (link-grammar, 1 s); prints sentences/s, the share parsed and the
        fallbacks by reason, and the slowest sentence
  http DB [--connections 1,8,64] [--seconds S]
        GET /query through the HTTP endpoint (served in this process on a loopback port):
        WHO SUPPORTS "X" ON "Y" questions from C keep-alive connections for S seconds (default
        5) per level; prints requests/s and latency p50/p99 per level
  graph DB [--pairs N]
        the whole-graph work: projection build time and memory per relation, PageRank,
        components, degree, betweenness from 32 sampled sources, PATH between N random pairs
        of companies (default 100), RANK / COMPONENTS statements through the engine, then
        the projection file they saved: its size, the time to map and check it, and the first
        statement of a new engine that takes it
  lookups DB [--count N] [--seed S]
        entity reads by id, name and alias lookups, and neighbour scans (all relations in and
        out of an entity), N of each after a warm-up pass; prints JSON
)";

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  // ru_maxrss is in KiB on Linux; one decimal, as the peers print it.
  return std::round(static_cast<double>(u.ru_maxrss) / 102.4) / 10.0;
}

// A store opened read-only for measuring, with the 1 GiB of cache the peers' runs get: 768 MiB
// of RocksDB blocks and 256 MiB of decoded records.
Result<std::unique_ptr<storage::Store>> OpenMeasured(const std::string& db) {
  storage::StoreOptions so;
  so.read_only = true;
  so.block_cache_bytes = 768u << 20;
  so.record_cache_bytes = 256u << 20;
  return storage::Store::Open(db, so);
}

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

int Fail(const Status& s) {
  std::cerr << "error: " << s.ToString() << "\n";
  return 2;
}

std::string WithCommas(double v) { return pactgraph::WithThousands(static_cast<uint64_t>(v + 0.5)); }

// Tiny flag reader: --name VALUE and --flag; everything else is positional.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  static Result<Args> Parse(int argc, char** argv, int from, const std::vector<std::string>& valued,
                            const std::vector<std::string>& switches) {
    Args a;
    for (int i = from; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0 || arg == "-") {
        a.positional.push_back(arg);
      } else if (std::find(valued.begin(), valued.end(), arg) != valued.end()) {
        if (i + 1 >= argc) return Status::InvalidArgument(arg + " needs a value");
        a.flags[arg] = argv[++i];
      } else if (std::find(switches.begin(), switches.end(), arg) != switches.end()) {
        a.flags[arg] = "1";
      } else {
        return Status::InvalidArgument("unknown option " + arg);
      }
    }
    return a;
  }
  bool Has(const std::string& f) const { return flags.count(f) > 0; }
  Result<double> Number(const std::string& f, double fallback) const {
    auto it = flags.find(f);
    if (it == flags.end()) return fallback;
    try {
      size_t used = 0;
      const double v = std::stod(it->second, &used);
      if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    return Status::InvalidArgument(f + " must be a number, not \"" + it->second + "\"");
  }
};

// ------------------------------------------------------------------------------------- gen

int Gen(const Args& a) {
  if (!a.Has("--out")) return Fail(Status::InvalidArgument("gen needs --out FILE"));
  Result<double> sf = a.Number("--sf", 1);
  Result<double> seed = a.Number("--seed", 42);
  if (!sf.ok()) return Fail(sf.status());
  if (!seed.ok()) return Fail(seed.status());
  const double t0 = Now();
  Result<pactgraph::bench::GeneratedCounts> c =
      pactgraph::bench::GenerateFile({*sf, static_cast<uint64_t>(*seed)}, a.flags.at("--out"));
  if (!c.ok()) return Fail(c.status());
  json out = {{"entities", c->entities}, {"relations", c->relations}, {"bytes", c->bytes},
              {"entities_by_type", c->entities_by_type}, {"relations_by_type", c->relations_by_type},
              {"seconds", Now() - t0}};
  std::cout << out.dump() << "\n";
  return 0;
}

// ------------------------------------------------------------------------------------ load

int Load(const Args& a) {
  if (a.positional.size() != 2) return Fail(Status::InvalidArgument("load needs DATA and DB"));
  fs::path data = a.positional[0];
  if (fs::is_directory(data)) data /= "graph.jsonl";
  const std::string db = a.positional[1];
  if (fs::exists(db)) return Fail(Status::InvalidArgument(db + " already exists; load wants a new database"));
  const double default_mib = static_cast<double>(storage::ImportOptions::kDefaultMemoryBudget >> 20);
  Result<double> budget_mib = a.Number("--memory-budget", default_mib);
  if (!budget_mib.ok()) return Fail(budget_mib.status());
  if (*budget_mib < 16 || *budget_mib > 1e7) return Fail(Status::InvalidArgument("--memory-budget is in MiB, at least 16"));
  const double t0 = Now();
  uint64_t nodes = 0, edges = 0;
  {
    storage::StoreOptions so;
    so.create_if_missing = true;
    Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(db, so);
    if (!store.ok()) return Fail(store.status());
    pactgraph::ingest::JsonlImportOptions io;
    io.session.SetMemoryBudget(static_cast<uint64_t>(*budget_mib * (1 << 20)));
    const bool tty = isatty(STDERR_FILENO) != 0;
    if (tty) io.progress = [](const pactgraph::ingest::ImportProgress& p) {
      if (p.seconds >= 1) {
        std::fprintf(stderr, "\r  %s relations, %.0f%%  ", WithCommas(static_cast<double>(p.relations)).c_str(),
                     p.bytes_total ? 100.0 * static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total) : 0.0);
      }
    };
    Result<pactgraph::ingest::JsonlImportReport> r = pactgraph::ingest::ImportJsonlFile(**store, data.string(), io);
    if (tty) std::fprintf(stderr, "\r%60s\r", "");
    if (!r.ok()) return Fail(r.status());
    nodes = r->counts.entities_new;
    edges = r->counts.relations_new;
  }  // closing the store is part of the load
  const double load_s = Now() - t0;
  json out = {{"system", "pactgraph"},
              {"version", PACTGRAPH_VERSION},
              {"load_s", load_s},
              {"nodes", nodes},
              {"edges", edges},
              {"edges_per_s", std::llround(static_cast<double>(edges) / load_s)},
              {"disk_bytes", DirectoryBytes(db)},
              {"peak_rss_mb", PeakRssMb()}};
  std::cout << out.dump() << "\n";
  return 0;
}

// --------------------------------------------------------------------------------- lookups

struct Timing {
  std::vector<double> us;
  double total_s = 0;
  json ToJson(uint64_t items) const {
    std::vector<double> sorted = us;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) { return sorted.empty() ? 0.0 : sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))]; };
    return {{"n", us.size()}, {"per_s", static_cast<double>(us.size()) / total_s}, {"p50_us", pct(0.5)},
            {"p99_us", pct(0.99)}, {"items", items}};
  }
};

template <typename F>
Result<Timing> TimeEach(size_t n, F&& op) {
  Timing t;
  t.us.reserve(n);
  const double start = Now();
  for (size_t i = 0; i < n; ++i) {
    const double a = Now();
    PG_RETURN_IF_ERROR(op(i));
    t.us.push_back((Now() - a) * 1e6);
  }
  t.total_s = Now() - start;
  return t;
}

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

int Lookups(const Args& a) {
  if (a.positional.size() != 1) return Fail(Status::InvalidArgument("lookups needs DB"));
  Result<double> count = a.Number("--count", 100000);
  Result<double> seed = a.Number("--seed", 7);
  if (!count.ok()) return Fail(count.status());
  if (!seed.ok()) return Fail(seed.status());
  storage::StoreOptions so;
  so.read_only = true;
  Result<std::unique_ptr<storage::Store>> opened = storage::Store::Open(a.positional[0], so);
  if (!opened.ok()) return Fail(opened.status());
  storage::Store& store = **opened;
  storage::Snapshot snap = store.GetSnapshot();
  Result<storage::StoreStats> stats = store.Stats(snap);
  if (!stats.ok()) return Fail(stats.status());
  const uint64_t n_entities = stats->entities;
  if (n_entities == 0) return Fail(Status::InvalidArgument("the database is empty"));
  const auto n = static_cast<size_t>(*count);
  uint64_t rnd = static_cast<uint64_t>(*seed);
  std::vector<pactgraph::EntityId> ids(n);
  for (auto& id : ids) id = 1 + Mix(rnd++) % n_entities;

  // Names to look up: half canonical names, half aliases (where the entity has one).
  std::vector<std::string> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Result<pactgraph::Entity> e = store.GetEntity(snap, 1 + Mix(rnd++) % n_entities);
    if (!e.ok()) return Fail(e.status());
    const bool alias = (i % 2) && !e->aliases.empty();
    keys.push_back(alias ? e->aliases[Mix(rnd++) % e->aliases.size()] : e->name);
  }

  uint64_t found = 0, matches = 0, neighbours = 0;
  auto by_id = [&](size_t i) -> Status {
    Result<pactgraph::Entity> e = store.GetEntity(snap, ids[i]);
    if (!e.ok()) return e.status();
    found += !e->name.empty();
    return Status::OK();
  };
  auto by_name = [&](size_t i) -> Status {
    Result<std::vector<storage::NameMatch>> m = store.FindByName(snap, keys[i]);
    if (!m.ok()) return m.status();
    matches += m->size();
    return Status::OK();
  };
  auto scan = [&](size_t i) -> Status {
    for (storage::RelationCursor c = store.Outgoing(snap, ids[n - 1 - i]); c.Valid(); c.Next()) ++neighbours;
    for (storage::RelationCursor c = store.Incoming(snap, ids[n - 1 - i]); c.Valid(); c.Next()) ++neighbours;
    return Status::OK();
  };
  json out = {{"system", "pactgraph"}, {"entities", n_entities}, {"relations", stats->relations}};
  // Warm-up, then the timed pass, for each kind of lookup.
  for (int pass = 0; pass < 2; ++pass) {
    found = matches = neighbours = 0;
    Result<Timing> t1 = TimeEach(n, by_id);
    if (!t1.ok()) return Fail(t1.status());
    Result<Timing> t2 = TimeEach(n, by_name);
    if (!t2.ok()) return Fail(t2.status());
    Result<Timing> t3 = TimeEach(n, scan);
    if (!t3.ok()) return Fail(t3.status());
    out["by_id"] = t1->ToJson(found);
    out["by_name_or_alias"] = t2->ToJson(matches);
    out["neighbour_scan"] = t3->ToJson(neighbours);
    out["neighbour_scan"]["relations_per_s"] = static_cast<double>(neighbours) / t3->total_s;
  }
  out["peak_rss_mb"] = PeakRssMb();
  std::cout << out.dump() << "\n";
  return 0;
}

// ---------------------------------------------------------------------------- peers' queries

double EnvNumber(const char* name, double fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const double d = std::strtod(v, &end);
  return *end == '\0' ? d : fallback;
}

// The peers' seven queries in pactgraph's language, each prepared once and run with each
// parameter set (as the peers prepare theirs), and how each answer is read.
struct PeerQuery {
  std::string name;
  std::string text;
  std::function<pactgraph::query::Params(const json&)> params;
  std::function<json(const pactgraph::query::Answer&)> answer;
};

std::vector<PeerQuery> PeerQueries() {
  using pactgraph::query::Answer;
  using pactgraph::query::Params;
  using pactgraph::query::Value;
  auto ids = [](std::vector<const char*> keys) {
    return [keys](const json& p) {
      Params out;
      for (const char* k : keys) out[k] = Value::Int(p.at(k).get<int64_t>());
      return out;
    };
  };
  auto rows = [](const Answer& a) { return json(a.rows.size()); };
  // A question lists one row per relation; a company that supports X on Y and on a version of Y
  // is one answer (the peers' DISTINCT): count distinct subjects.
  auto distinct_subjects = [](const Answer& a) {
    std::set<std::string> names;
    for (const auto& r : a.rows) names.insert(r[0].text);
    return json(names.size());
  };
  return {
      {"Q1", "WHO SUPPORTS $x ON EXACTLY $y", ids({"x", "y"}), distinct_subjects},
      {"Q2", "WHO SUPPORTS $x ON $y", ids({"x", "y"}), distinct_subjects},
      {"Q3", "MATCH (p:Product)-[:RUNS_ON]->(y {id: $y}) RETURN p.id, p.name", ids({"y"}), rows},
      {"Q4", "MATCH (a {id: $a})-[:PARTNERS_WITH*2..2]-(c:Company) WHERE c.id <> $a RETURN DISTINCT c.id", ids({"a"}), rows},
      {"Q5", "PATH $a TO $b MAX 6", ids({"a", "b"}),
       [](const Answer& a) { return json(a.rows.empty() ? -1 : static_cast<int64_t>(a.rows.size())); }},
      {"Q6", "MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 10",
       [](const json&) { return Params{}; },
       [](const Answer& a) {
         json out = json::array();
         for (const auto& r : a.rows) out.push_back(r[0].number);
         return out;
       }},
      {"Q7", "MATCH (n {name: $s}) RETURN DISTINCT id(n), n.type",
       [](const json& p) { return Params{{"s", Value::Text(p.at("s").get<std::string>())}}; }, rows},
  };
}

int PeersQuery(const Args& a) {
  if (a.positional.size() != 2) return Fail(Status::InvalidArgument("query needs DATA and DB"));
  const fs::path data = a.positional[0];
  const std::string db = a.positional[1];
  json params;
  try {
    std::ifstream in(data / "params.json");
    if (!in) return Fail(Status::NotFound((data / "params.json").string() + " cannot be read"));
    params = json::parse(in);
  } catch (const std::exception& e) {
    return Fail(Status::InvalidArgument((data / "params.json").string() + ": " + e.what()));
  }
  Result<std::unique_ptr<storage::Store>> opened = OpenMeasured(db);
  if (!opened.ok()) return Fail(opened.status());
  storage::Store& store = **opened;

  // The peers' ids are the generator's; the import gives entities ids in file order, which is
  // the generator's id order. Check that on every company and product the parameters name.
  {
    std::map<uint64_t, std::string> want;  // id -> name, from nodes.csv
    std::set<uint64_t> needed;
    for (const auto& [q, sets] : params.items()) {
      if (!sets.is_array()) continue;
      for (const json& p : sets) {
        for (const char* k : {"x", "y", "a", "b"}) {
          if (p.contains(k)) needed.insert(p[k].get<uint64_t>());
        }
      }
    }
    std::ifstream nodes(data / "nodes.csv");
    std::string line;
    std::getline(nodes, line);
    while (std::getline(nodes, line)) {
      const size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
      if (c1 == std::string::npos || c2 == std::string::npos) continue;
      const uint64_t nid = std::strtoull(line.c_str(), nullptr, 10);
      if (needed.count(nid)) {
        std::string name = line.substr(c2 + 1, c3 == std::string::npos ? std::string::npos : c3 - c2 - 1);
        if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
        want[nid] = name;
      }
    }
    const storage::Snapshot snap = store.GetSnapshot();
    for (const auto& [nid, name] : want) {
      Result<pactgraph::Entity> e = store.GetEntity(snap, nid);
      if (!e.ok() || e->name != name) {
        return Fail(Status::FailedPrecondition("entity #" + std::to_string(nid) + " of DATA is \"" + name +
                                               "\" but the database has " + (e.ok() ? "\"" + e->name + "\"" : e.status().ToString()) +
                                               ": load DATA into a new database with `pactgraph-bench load`"));
      }
    }
    std::fprintf(stderr, "ids checked: %zu entities of the parameters match DATA/nodes.csv\n", want.size());
  }

  pactgraph::query::Limits limits;
  limits.max_rows = 100'000'000;  // the peers fetch every row
  limits.max_evidence = 0;        // the peers return ids and names; evidence is not asked for
  // The peers bound no query's memory: Q3 on a popular platform at sf 100 reads more entities
  // than the engine's default 256 MiB allows.
  limits.max_memory_bytes = uint64_t{4} << 30;
  limits.timeout_s = 600;
  pactgraph::query::Engine engine(store, limits);
  const double budget_s = EnvNumber("BUDGET_S", 60);
  const double warmup_budget_s = EnvNumber("WARMUP_BUDGET_S", 20);
  const char* warmup_env = std::getenv("WARMUP");
  const std::string warmup = warmup_env && *warmup_env ? warmup_env : "all";

  auto run = [&](const pactgraph::query::Prepared& p, const pactgraph::query::Params& params) -> Result<pactgraph::query::Answer> {
    PG_ASSIGN_OR_RETURN(std::vector<pactgraph::query::Answer> answers, engine.Run(p, params));
    if (answers.size() != 1) return Status::Internal("one answer expected");
    return std::move(answers[0]);
  };
  auto stats = [](std::vector<double> us) {
    json j;
    std::sort(us.begin(), us.end());
    auto pct = [&](double p) { return us.empty() ? 0.0 : us[static_cast<size_t>(p * static_cast<double>(us.size() - 1))]; };
    double sum = 0;
    for (double u : us) sum += u;
    j["p50_us"] = pct(0.5);
    j["p99_us"] = pct(0.99);
    j["mean_us"] = us.empty() ? 0.0 : sum / static_cast<double>(us.size());
    j["min_us"] = us.empty() ? 0.0 : us.front();
    j["max_us"] = us.empty() ? 0.0 : us.back();
    return j;
  };

  json out = {{"system", "pactgraph"}, {"version", PACTGRAPH_VERSION}};
  {
    // The floor: a trivial statement through the same engine.
    std::vector<double> us;
    Result<pactgraph::query::Prepared> floor = engine.Prepare("MATCH (n {id: 1}) RETURN n.id");
    if (!floor.ok()) return Fail(floor.status());
    for (int i = 0; i < 1000; ++i) {
      const double t0 = Now();
      Result<pactgraph::query::Answer> r = run(*floor, {});
      us.push_back((Now() - t0) * 1e6);
      if (!r.ok()) return Fail(r.status());
    }
    json f = stats(us);
    out["floor"] = {{"query", "MATCH (n {id: 1}) RETURN n.id"}, {"p50_us", f["p50_us"]}, {"p99_us", f["p99_us"]}};
  }
  // ONLY=Q1,Q3 runs just those (for profiling one query); the peers' harness never sets it.
  const char* only_env = std::getenv("ONLY");
  const std::string only = only_env ? std::string(",") + only_env + "," : std::string();
  for (const PeerQuery& q : PeerQueries()) {
    if (!params.contains(q.name)) continue;
    if (!only.empty() && only.find("," + q.name + ",") == std::string::npos) continue;
    const json& sets = params[q.name];
    const size_t n = sets.size();
    const size_t n_warm = warmup == "all" ? n : std::min<size_t>(n, std::strtoull(warmup.c_str(), nullptr, 10));
    Result<pactgraph::query::Prepared> prepared = engine.Prepare(q.text);
    if (!prepared.ok()) return Fail(Status(prepared.status().code(), q.name + ": " + prepared.status().message()));
    std::vector<pactgraph::query::Params> values;
    values.reserve(n);
    for (const json& set : sets) values.push_back(q.params(set));
    std::fprintf(stderr, "%s: warm-up ", q.name.c_str());
    const double w0 = Now();
    for (size_t i = 0; i < n_warm && Now() - w0 < warmup_budget_s; ++i) {
      Result<pactgraph::query::Answer> r = run(*prepared, values[i]);
      if (!r.ok()) return Fail(Status(r.status().code(), q.name + ": " + r.status().message()));
    }
    std::fprintf(stderr, "%.1f s, timed ", Now() - w0);
    std::vector<double> us;
    json answers = json::array();
    uint64_t rows_total = 0;
    const double t_start = Now();
    for (size_t i = 0; i < n && Now() - t_start < budget_s; ++i) {
      const double t0 = Now();
      Result<pactgraph::query::Answer> r = run(*prepared, values[i]);
      const double t1 = Now();
      if (!r.ok()) return Fail(Status(r.status().code(), q.name + " (" + sets[i].dump() + "): " + r.status().message()));
      us.push_back((t1 - t0) * 1e6);
      rows_total += r->rows.size();
      answers.push_back(q.answer(*r));
    }
    std::fprintf(stderr, "%.1f s, %zu of %zu\n", Now() - t_start, us.size(), n);
    // Where the time goes: PROFILE of the statement with its first parameter set, warm, so the
    // next person sees which operator to shorten (stderr, and "profile" in the JSON). PROFILE=0
    // leaves it out.
    json profile = json::array();
    const char* profile_env = std::getenv("PROFILE");
    if (n > 0 && !(profile_env && std::string(profile_env) == "0")) {
      Result<pactgraph::query::Prepared> profiled = engine.Prepare("PROFILE " + q.text);
      if (!profiled.ok()) return Fail(Status(profiled.status().code(), q.name + " (PROFILE): " + profiled.status().message()));
      Result<pactgraph::query::Answer> r = run(*profiled, values[0]);
      if (!r.ok()) return Fail(Status(r.status().code(), q.name + " (PROFILE): " + r.status().message()));
      std::fprintf(stderr, "%s per operator (PROFILE, parameter set 1):\n", q.name.c_str());
      std::istringstream lines(r->plan);
      for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        std::fprintf(stderr, "  %s\n", line.c_str());
        profile.push_back(line);
      }
    }
    json j = stats(us);
    j["profile"] = std::move(profile);
    j["n"] = us.size();
    j["of"] = n;
    j["rows_total"] = rows_total;
    j["answers"] = std::move(answers);
    out["queries"][q.name] = std::move(j);
  }
  out["peak_rss_mb"] = PeakRssMb();
  std::cout << out.dump() << "\n";
  return 0;
}

// -------------------------------------------------------------------------------------- run

// Runs this binary again with `args` and returns what it printed on stdout (its stderr passes through).
Result<json> RunSelf(const std::vector<std::string>& args) {
  int pipefd[2];
  if (pipe(pipefd) != 0) return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> argv;
    std::string self = "/proc/self/exe";
    argv.push_back(self.data());
    std::vector<std::string> copy = args;
    for (std::string& s : copy) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(self.c_str(), argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  std::string output;
  char buf[4096];
  for (ssize_t got; (got = read(pipefd[0], buf, sizeof buf)) > 0;) output.append(buf, static_cast<size_t>(got));
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Internal("pactgraph-bench " + args.front() + " failed (see above)");
  }
  json j = json::parse(output, nullptr, false);
  if (j.is_discarded()) return Status::Internal("pactgraph-bench " + args.front() + " printed no JSON: " + output);
  return j;
}

int Run(const Args& a) {
  Result<double> sf = a.Number("--sf", 1);
  Result<double> seed = a.Number("--seed", 42);
  if (!sf.ok()) return Fail(sf.status());
  if (!seed.ok()) return Fail(seed.status());
  fs::path dir;
  bool made = false;
  if (a.Has("--dir")) {
    dir = a.flags.at("--dir");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Fail(Status::IoError("cannot create " + dir.string() + ": " + ec.message()));
  } else {
    std::string tmpl = (fs::temp_directory_path() / "pactgraph-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return Fail(Status::IoError(std::string("mkdtemp: ") + std::strerror(errno)));
    dir = tmpl;
    made = true;
  }
  char sf_text[32];
  std::snprintf(sf_text, sizeof sf_text, "%g", *sf);
  const fs::path data = dir / ("sf" + std::string(sf_text) + ".jsonl");
  const fs::path db = dir / ("sf" + std::string(sf_text) + ".db");
  std::error_code ec;
  fs::remove_all(db, ec);
  const bool quiet = a.Has("--json");
  auto say = [&](const std::string& s) {
    if (!quiet) std::cerr << s << std::flush;
  };
  say("generating scale factor " + std::string(sf_text) + " ... ");
  Result<json> gen = RunSelf({"gen", "--sf", sf_text, "--seed", std::to_string(static_cast<uint64_t>(*seed)), "--out", data.string()});
  if (!gen.ok()) return Fail(gen.status());
  say("loading ... ");
  Result<json> load = RunSelf({"load", data.string(), db.string()});
  if (!load.ok()) return Fail(load.status());
  say("lookups ...\n");
  Result<json> look = RunSelf({"lookups", db.string()});
  if (!look.ok()) return Fail(look.status());
  if (made && !a.Has("--keep")) fs::remove_all(dir, ec);

  json all = {{"scale_factor", *sf}, {"seed", *seed}, {"generate", *gen}, {"load", *load}, {"lookups", *look}};
  if (quiet) {
    std::cout << all.dump(1) << "\n";
    return 0;
  }
  const json& l = *load;
  const json& k = *look;
  auto row = [](const char* what, const json& t, const char* unit) {
    std::printf("  %-22s %12s %s/s   p50 %6.1f us   p99 %6.1f us\n", what, WithCommas(t["per_s"].get<double>()).c_str(), unit,
                t["p50_us"].get<double>(), t["p99_us"].get<double>());
  };
  std::printf("pactgraph-bench, scale factor %s (seed %.0f)\n", sf_text, *seed);
  std::printf("  %-22s %12s entities, %s relations, %.1f MB of JSONL in %.2f s\n", "generated",
              WithCommas((*gen)["entities"].get<double>()).c_str(), WithCommas((*gen)["relations"].get<double>()).c_str(),
              (*gen)["bytes"].get<double>() / 1e6, (*gen)["seconds"].get<double>());
  std::printf("  %-22s %12s relations/s   %.2f s   peak RSS %.0f MB   %.1f MiB on disk\n", "import",
              WithCommas(l["edges_per_s"].get<double>()).c_str(), l["load_s"].get<double>(), l["peak_rss_mb"].get<double>(),
              l["disk_bytes"].get<double>() / 1048576.0);
  row("entity by id", k["by_id"], "lookups");
  row("name or alias", k["by_name_or_alias"], "lookups");
  row("neighbour scan", k["neighbour_scan"], "scans");
  std::printf("  %-22s %12s relations/s read by the scans (%.1f per entity)\n", "",
              WithCommas(k["neighbour_scan"]["relations_per_s"].get<double>()).c_str(),
              k["neighbour_scan"]["items"].get<double>() / k["neighbour_scan"]["n"].get<double>());
  return 0;
}

}  // namespace

int ExtractSpeed(const Args& a) {
  if (a.positional.empty()) return Fail(Status::InvalidArgument("extract needs PATH..."));
  Result<double> seconds = a.Number("--seconds", 3);
  if (!seconds.ok()) return Fail(seconds.status());
  Result<std::vector<std::string>> files = pactgraph::ingest::ListArticleFiles(a.positional);
  if (!files.ok()) return Fail(files.status());
  std::vector<pactgraph::ingest::Article> articles;
  uint64_t bytes = 0;
  for (const std::string& f : *files) {
    if (pactgraph::ingest::IsFactsPath(f)) continue;
    Result<pactgraph::ingest::Article> art = pactgraph::ingest::ReadArticle(f);
    if (!art.ok()) continue;  // the reader's refusals are not what is measured here
    bytes += art->title.size() + art->body.size();
    articles.push_back(std::move(*art));
  }
  if (articles.empty()) return Fail(Status::InvalidArgument("no article under the paths given"));
  // Each reading measured apart: the chunker alone, then the parser as import uses it (sentences
  // of up to --parse-words words, link-grammar's first 100 linkages; a fresh parse of every
  // sentence each pass, nothing cached).
  Result<double> parse_words = a.Number("--parse-words", 20);
  if (!parse_words.ok()) return Fail(parse_words.status());
  pactgraph::ingest::ParseOptions po;
  po.max_words = static_cast<size_t>(*parse_words);
  po.linkage_limit = 100;
  Result<std::unique_ptr<pactgraph::ingest::SentenceParser>> parser = pactgraph::ingest::SentenceParser::Create(po);
  if (!parser.ok()) return Fail(parser.status());
  auto measure = [&](const pactgraph::ingest::SentenceParser* with) {
    pactgraph::ingest::ExtractOptions xo;
    xo.parser = with;
    uint64_t docs = 0, facts = 0, passes = 0;
    const double t0 = Now();
    double t = t0;
    while (t - t0 < *seconds || passes == 0) {
      for (const pactgraph::ingest::Article& art : articles) {
        const pactgraph::Result<pactgraph::ingest::Extraction> x = pactgraph::ingest::Extract(art, xo);
        if (!x.ok()) continue;
        facts += x->entities.size() + x->relations.size() + x->claims.size();
        ++docs;
      }
      ++passes;
      t = Now();
    }
    const double elapsed = t - t0;
    return json{{"documents_per_s", static_cast<double>(docs) / elapsed},
                {"mb_per_s", static_cast<double>(bytes * passes) / elapsed / 1e6},
                {"facts_per_document", static_cast<double>(facts) / static_cast<double>(docs)},
                {"seconds", elapsed}};
  };
  json out = {{"articles", articles.size()}, {"chunker", measure(nullptr)}, {"parser", measure(parser->get())},
              {"parse_words", po.max_words}};
  std::cout << out.dump() << "\n";
  return 0;
}

// Every sentence of the articles, parsed once with the parse stage's default bounds.
int ParseSpeed(const Args& a) {
  namespace ingest = pactgraph::ingest;
  if (a.positional.empty()) return Fail(Status::InvalidArgument("parse needs PATH..."));
  Result<double> max_words = a.Number("--max-words", ingest::ParseOptions{}.max_words);
  if (!max_words.ok()) return Fail(max_words.status());
  Result<double> linkage_limit = a.Number("--linkage-limit", ingest::ParseOptions{}.linkage_limit);
  if (!linkage_limit.ok()) return Fail(linkage_limit.status());
  Result<std::vector<std::string>> files = ingest::ListArticleFiles(a.positional);
  if (!files.ok()) return Fail(files.status());
  std::vector<std::string> sentences;
  for (const std::string& f : *files) {
    if (ingest::IsFactsPath(f)) continue;
    Result<ingest::Article> art = ingest::ReadArticle(f);
    if (!art.ok()) continue;
    for (const ingest::Sentence& s : ingest::SplitSentences(art->body)) sentences.push_back(s.text);
  }
  if (sentences.empty()) return Fail(Status::InvalidArgument("no sentence in the articles under the paths given"));
  ingest::ParseOptions options;
  options.max_words = static_cast<size_t>(*max_words);
  options.linkage_limit = static_cast<int>(*linkage_limit);
  Result<std::unique_ptr<ingest::SentenceParser>> parser = ingest::SentenceParser::Create(options);
  if (!parser.ok()) return Fail(parser.status());
  std::map<std::string, uint64_t> fallbacks;
  uint64_t parsed = 0, clauses = 0;
  double slowest = 0;
  const double t0 = Now();
  for (const std::string& s : sentences) {
    const double t = Now();
    const ingest::SentenceParse p = (*parser)->Parse(s);
    slowest = std::max(slowest, Now() - t);
    if (p.parsed()) {
      ++parsed;
      clauses += p.clauses.size();
    } else {
      ++fallbacks[std::string(ingest::FallbackName(p.fallback))];
    }
  }
  const double elapsed = Now() - t0;
  json out = {{"sentences", sentences.size()},
              {"sentences_per_s", static_cast<double>(sentences.size()) / elapsed},
              {"parsed_share", static_cast<double>(parsed) / static_cast<double>(sentences.size())},
              {"fallbacks", fallbacks},
              {"clauses_per_parsed_sentence", parsed ? static_cast<double>(clauses) / static_cast<double>(parsed) : 0.0},
              {"slowest_ms", slowest * 1e3},
              {"seconds", elapsed}};
  std::cout << out.dump() << "\n";
  return 0;
}

// GET /query through the HTTP endpoint: the server runs in this process on a loopback port, C
// client threads each keep one connection and ask WHO SUPPORTS "X" ON "Y" questions (pairs taken
// from the store's SUPPORTS relations with an `on`) for S seconds; prints requests/s and the
// latency percentiles per concurrency level.
int HttpSpeed(const Args& a) {
  if (a.positional.size() != 1) return Fail(Status::InvalidArgument("http needs DB"));
  Result<double> seconds = a.Number("--seconds", 5);
  if (!seconds.ok()) return Fail(seconds.status());
  std::vector<int> levels;
  {
    std::stringstream ss(a.flags.count("--connections") ? a.flags.at("--connections") : std::string("1,8,64"));
    for (std::string part; std::getline(ss, part, ',');) {
      const int n = std::atoi(part.c_str());
      if (n < 1 || n > 1024) return Fail(Status::InvalidArgument("--connections takes numbers from 1 to 1024, such as 1,8,64"));
      levels.push_back(n);
    }
  }
  Result<std::unique_ptr<pactgraph::storage::Store>> store = OpenMeasured(a.positional[0]);
  if (!store.ok()) return Fail(store.status());
  // Questions whose names each resolve to one entity.
  std::vector<std::string> questions;
  {
    const pactgraph::storage::Snapshot snap = (*store)->GetSnapshot();
    auto unique_name = [&](pactgraph::EntityId id, std::string* out) {
      Result<pactgraph::Entity> e = (*store)->GetEntity(snap, id);
      if (!e.ok() || e->name.find('"') != std::string::npos) return false;
      Result<std::vector<pactgraph::storage::NameMatch>> m = (*store)->FindByName(snap, e->name);
      if (!m.ok() || m->size() != 1) return false;
      *out = e->name;
      return true;
    };
    Status st = (*store)->ForEachRelation(snap, [&](const pactgraph::Relation& r) {
      if (r.type != "SUPPORTS") return true;
      for (const pactgraph::Qualifier& q : r.qualifiers) {
        std::string x, y;
        if (q.slot == "on" && q.is_node() && unique_name(r.object, &x) && unique_name(q.node, &y)) {
          questions.push_back("WHO SUPPORTS \"" + x + "\" ON \"" + y + "\"");
        }
      }
      return questions.size() < 500;
    });
    if (!st.ok()) return Fail(st);
  }
  if (questions.empty()) return Fail(Status::InvalidArgument("the store has no SUPPORTS relation with an \"on\" to ask about"));
  pactgraph::server::ServerOptions o;
  o.port = 0;
  o.read_only = true;
  // cpp-httplib gives each open connection a thread of the pool while it is kept alive.
  o.threads = *std::max_element(levels.begin(), levels.end());
  pactgraph::server::Server srv(**store, o);
  Result<int> port = srv.Bind();
  if (!port.ok()) return Fail(port.status());
  std::thread serving([&] { (void)srv.Serve(); });
  json out = {{"questions", questions.size()}, {"server_threads", o.threads}, {"levels", json::array()}};
  for (int c : levels) {
    std::vector<std::vector<double>> lat(c);
    std::atomic<uint64_t> errors{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    const double t0 = Now();
    for (int i = 0; i < c; ++i) {
      clients.emplace_back([&, i] {
        httplib::Client cl("127.0.0.1", *port);
        cl.set_keep_alive(true);
        cl.set_tcp_nodelay(true);
        cl.set_read_timeout(30, 0);
        size_t k = static_cast<size_t>(i) * 7919;
        while (!stop.load()) {
          const std::string path = "/query?q=" + httplib::detail::encode_query_param(questions[k++ % questions.size()]);
          const double s0 = Now();
          auto r = cl.Get(path);
          const double s1 = Now();
          if (!r || r->status != 200) {
            ++errors;
            continue;
          }
          lat[i].push_back(s1 - s0);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(*seconds));
    stop.store(true);
    for (auto& t : clients) t.join();
    const double elapsed = Now() - t0;
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))] * 1e3; };
    out["levels"].push_back({{"connections", c},
                             {"requests", all.size()},
                             {"errors", errors.load()},
                             {"requests_per_s", static_cast<double>(all.size()) / elapsed},
                             {"p50_ms", pct(0.50)},
                             {"p99_ms", pct(0.99)}});
  }
  srv.Stop();
  serving.join();
  std::cout << out.dump() << "\n";
  return 0;
}

// The whole-graph work on a store: the Boost.Graph projection's build time and memory, then
// PageRank, connected components, degree ranking, betweenness (sampled) and breadth-first PATH
// between random pairs of companies (the peers' Q5), each timed on the projection; and the
// statements through the query engine (a first run builds the projection, a second reuses it).
int GraphSpeed(const Args& a) {
  if (a.positional.size() != 1) return Fail(Status::InvalidArgument("graph needs DB"));
  Result<double> pairs_n = a.Number("--pairs", 100);
  if (!pairs_n.ok()) return Fail(pairs_n.status());
  Result<std::unique_ptr<pactgraph::storage::Store>> store = OpenMeasured(a.positional[0]);
  if (!store.ok()) return Fail(store.status());
  const pactgraph::storage::Snapshot snap = (*store)->GetSnapshot();
  json out;
  const double rss0 = PeakRssMb();
  double t = Now();
  std::vector<pactgraph::ProjectedEdge> edges;
  pactgraph::EntityId max_id = 0;
  Status st = (*store)->ForEachEdgeKey(snap, [&](pactgraph::EntityId s, pactgraph::TypeId ty, pactgraph::EntityId o, pactgraph::RelationId r) {
    edges.push_back({s, ty, o, r});
    max_id = std::max({max_id, s, o});
  });
  if (!st.ok()) return Fail(st);
  const double read_s = Now() - t;
  // The same keys read by two threads, each over half the subjects (as the engine reads them).
  t = Now();
  std::vector<size_t> counted(2, 0);
  st = (*store)->ForEachEdgeKeyInParts(snap, 2, [&](size_t part, pactgraph::EntityId, pactgraph::TypeId, pactgraph::EntityId,
                                                     pactgraph::RelationId) { ++counted[part]; });
  if (!st.ok()) return Fail(st);
  const double read_parts_s = Now() - t;
  t = Now();
  auto g = std::make_unique<pactgraph::GraphProjection>(max_id, edges);
  const double build_s = Now() - t;
  const size_t relations = edges.size();
  std::vector<pactgraph::ProjectedEdge>().swap(edges);
  out["relations"] = relations;
  out["vertices"] = g->num_vertices();
  out["projection"] = {{"read_s", read_s},
                       {"read_in_2_parts_s", read_parts_s},
                       {"build_s", build_s},
                       {"bytes", g->MemoryBytes()},
                       {"bytes_per_relation", static_cast<double>(g->MemoryBytes()) / static_cast<double>(std::max<size_t>(1, relations))},
                       {"peak_rss_mb_after", PeakRssMb()},
                       {"peak_rss_mb_before", rss0}};
  t = Now();
  std::vector<double> pr = g->PageRank(20);
  out["pagerank_s"] = Now() - t;
  t = Now();
  std::vector<uint32_t> comp = g->Components({});
  out["components_s"] = Now() - t;
  t = Now();
  std::vector<uint64_t> deg = g->Degree();
  out["degree_s"] = Now() - t;
  t = Now();
  bool sampled = false;
  std::vector<double> bc = g->Betweenness(5000, 32, 42, &sampled);
  out["betweenness_32_sources_s"] = Now() - t;
  // PATH between random companies, as the peers' Q5 (at most 6 hops, every type, undirected).
  std::vector<pactgraph::EntityId> companies;
  st = (*store)->ForEachEntity(snap, [&](const pactgraph::Entity& e) {
    if (e.type == "Company") companies.push_back(e.id);
    return true;
  });
  if (!st.ok()) return Fail(st);
  std::mt19937_64 rng(7);
  std::vector<double> times;
  size_t found = 0;
  for (int i = 0; i < static_cast<int>(*pairs_n) && companies.size() > 1; ++i) {
    const pactgraph::EntityId x = companies[rng() % companies.size()], y = companies[rng() % companies.size()];
    const double s0 = Now();
    auto path = g->ShortestPath(x, y, 6, {});
    times.push_back(Now() - s0);
    found += path.has_value();
  }
  std::sort(times.begin(), times.end());
  auto pct = [&](double p) { return times.empty() ? 0.0 : times[std::min(times.size() - 1, static_cast<size_t>(p * times.size()))] * 1e3; };
  out["path"] = {{"pairs", times.size()}, {"found", found}, {"p50_ms", pct(0.5)}, {"p99_ms", pct(0.99)}};
  g.reset();
  // Through the query engine: the first statement builds the projection and reads the types.
  pactgraph::query::Engine engine(**store);
  for (const char* q : {"RANK Company BY PAGERANK LIMIT 5", "RANK Company BY PAGERANK LIMIT 5", "COMPONENTS LIMIT 5",
                        "RANK Company BY DEGREE LIMIT 10"}) {
    const double s0 = Now();
    Result<std::vector<pactgraph::query::Answer>> ans = engine.Run(q);
    if (!ans.ok()) return Fail(ans.status());
    out["statements"].push_back({{"query", q}, {"s", Now() - s0}, {"rows", ans->front().rows.size()},
                                 {"first", ans->front().rows.empty() ? "" : ans->front().rows[0][1].ToString()}});
  }
  // A new engine, as a new process would start: the projection comes from the file the first
  // statement above saved beside the store.
  const std::string file = (*store)->dir() + "/pactgraph-projection";
  std::error_code ec;
  const auto file_bytes = std::filesystem::file_size(file, ec);
  t = Now();
  Result<pactgraph::GraphProjection::FileStamp> stamp = pactgraph::GraphProjection::ReadStamp(file);
  Result<std::unique_ptr<pactgraph::GraphProjection>> kept =
      stamp.ok() ? pactgraph::GraphProjection::Load(file, *stamp) : Result<std::unique_ptr<pactgraph::GraphProjection>>(stamp.status());
  const double load_s = Now() - t;
  kept = Status::NotFound("");  // frees it
  pactgraph::query::Engine fresh(**store);
  t = Now();
  Result<std::vector<pactgraph::query::Answer>> first = fresh.Run("RANK Company BY DEGREE LIMIT 10");
  if (!first.ok()) return Fail(first.status());
  out["projection_file"] = {{"bytes", ec ? 0 : file_bytes},
                            {"load_s", stamp.ok() ? load_s : -1},
                            {"first_statement_of_a_new_engine_s", Now() - t}};
  out["peak_rss_mb"] = PeakRssMb();
  std::cout << out.dump() << "\n";
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--help") {
      std::cout << kUsage;
      return 0;
    }
  }
  Result<Args> args = cmd == "run"       ? Args::Parse(argc, argv, 2, {"--sf", "--seed", "--dir"}, {"--keep", "--json"})
                      : cmd == "gen"     ? Args::Parse(argc, argv, 2, {"--sf", "--seed", "--out"}, {})
                      : cmd == "load"    ? Args::Parse(argc, argv, 2, {"--memory-budget"}, {})
                      : cmd == "query"   ? Args::Parse(argc, argv, 2, {}, {})
                      : cmd == "lookups" ? Args::Parse(argc, argv, 2, {"--count", "--seed"}, {})
                      : cmd == "extract" ? Args::Parse(argc, argv, 2, {"--seconds", "--parse-words"}, {})
                      : cmd == "parse"   ? Args::Parse(argc, argv, 2, {"--max-words", "--linkage-limit"}, {})
                      : cmd == "http"    ? Args::Parse(argc, argv, 2, {"--seconds", "--connections"}, {})
                      : cmd == "graph"   ? Args::Parse(argc, argv, 2, {"--pairs"}, {})
                                         : Result<Args>(Status::InvalidArgument("unknown command \"" + cmd + "\"; see --help"));
  if (!args.ok()) return Fail(args.status());
  if (cmd == "run") return Run(*args);
  if (cmd == "gen") return Gen(*args);
  if (cmd == "load") return Load(*args);
  if (cmd == "query") return PeersQuery(*args);
  if (cmd == "extract") return ExtractSpeed(*args);
  if (cmd == "parse") return ParseSpeed(*args);
  if (cmd == "http") return HttpSpeed(*args);
  if (cmd == "graph") return GraphSpeed(*args);
  return Lookups(*args);
}
