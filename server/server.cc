#include "server/server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "graph/names.h"
#include "ingest/import_article.h"
#include "ingest/jsonl.h"
#include "ingest/reader.h"
#include "query/engine.h"
#include "query/format.h"
#include "ingest/graph_export.h"
#include "server/render.h"
#include "server/web.h"

namespace pactgraph::server {
namespace {

using json = nlohmann::json;

// Latency buckets of the metrics histogram, in seconds.
constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
constexpr size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);

struct RouteStats {
  std::map<int, uint64_t> by_status;
  uint64_t buckets[kNumBuckets] = {};
  uint64_t count = 0;
  double sum = 0;
};

// The error body every failure gets: {"error": {"code", "message", "line", "column"}}.
void SetError(httplib::Response& res, int status, const std::string& code, const std::string& message, uint64_t line = 0,
              uint64_t column = 0) {
  json e = {{"code", code}, {"message", message}};
  e["line"] = line ? json(line) : json(nullptr);
  e["column"] = column ? json(column) : json(nullptr);
  res.status = status;
  res.set_content(json{{"error", e}}.dump() + "\n", "application/json");
}

// A query error's place, when its message starts with "line L, column C: ".
void QueryError(httplib::Response& res, const Status& st) {
  static const std::regex kPlace(R"(^line (\d+), column (\d+): )");
  std::smatch m;
  const std::string msg = st.message();
  uint64_t line = st.location().line, column = st.location().column;
  std::string text = msg;
  if (std::regex_search(msg, m, kPlace)) {
    line = std::stoull(m[1].str());
    column = std::stoull(m[2].str());
    text = m.suffix().str();
  }
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return SetError(res, 400, "bad_query", text, line, column);
    case StatusCode::kNotFound:
      return SetError(res, 404, "not_found", text, line, column);
    case StatusCode::kResourceExhausted:
      return SetError(res, 422, "limit", text, line, column);
    case StatusCode::kAborted:
      return SetError(res, 503, "aborted", text);
    default:
      return SetError(res, 500, "internal", "the query failed inside the server");
  }
}

json ToJson(const Entity& e) {
  json j = {{"id", e.id}, {"name", e.name}, {"type", e.type}, {"aliases", e.aliases}};
  if (!e.properties.empty()) {
    json p = json::object();
    for (const auto& [k, v] : e.properties) p[k] = v;
    j["properties"] = p;
  }
  return j;
}

json ToJson(const Document& d, bool text) {
  json j = {{"id", d.id}, {"key", d.key}, {"kind", d.kind}, {"title", d.title}, {"publisher", d.publisher},
            {"date", d.date}, {"url", d.url}};
  if (text) j["text"] = d.text;
  return j;
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// An ostream onto a chunked response: buffered, handed to the sink 64 KiB at a time (the sink's
// own stream takes only whole strings, not single characters).
class SinkBuf : public std::streambuf {
 public:
  explicit SinkBuf(httplib::DataSink& sink) : sink_(sink), buf_(64 * 1024) { setp(buf_.data(), buf_.data() + buf_.size()); }
  ~SinkBuf() override { sync(); }
  int sync() override {
    const std::ptrdiff_t n = pptr() - pbase();
    if (n > 0 && ok_) ok_ = sink_.write(pbase(), static_cast<size_t>(n));
    setp(buf_.data(), buf_.data() + buf_.size());
    return ok_ ? 0 : -1;
  }
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  httplib::DataSink& sink_;
  std::vector<char> buf_;
  bool ok_ = true;
};

}  // namespace

struct Server::Impl {
  storage::Store& store;
  ServerOptions opt;
  httplib::Server http;
  std::mutex stats_mu;
  std::map<std::string, RouteStats> stats;  // by route pattern
  uint64_t errors = 0;
  std::atomic<uint64_t> imports{0};
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  Impl(storage::Store& s, ServerOptions o) : store(s), opt(std::move(o)) {}

  // One engine per serving thread: it caches the schema's question words and the projection.
  query::Engine& EngineForThread() {
    thread_local std::map<const storage::Store*, std::unique_ptr<query::Engine>> engines;
    auto& e = engines[&store];
    if (!e) e = std::make_unique<query::Engine>(store);
    return *e;
  }

  void Record(const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(stats_mu);
    RouteStats& r = stats[route];
    ++r.by_status[status];
    ++r.count;
    r.sum += seconds;
    for (size_t i = 0; i < kNumBuckets; ++i) {
      if (seconds <= kBuckets[i]) ++r.buckets[i];
    }
    if (status >= 400) ++errors;
  }

  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // Wraps a handler: timing, metrics, and a JSON 500 for anything thrown.
  Handler Timed(const std::string& route, Handler h) {
    return [this, route, h](const httplib::Request& req, httplib::Response& res) {
      const auto t0 = std::chrono::steady_clock::now();
      try {
        h(req, res);
      } catch (const std::exception&) {
        SetError(res, 500, "internal", "the request failed inside the server");
      }
      // A status not set by the handler is the 200 httplib sends.
      Record(route, res.status == -1 ? 200 : res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    };
  }

  // The write endpoints' gate: 401 without a token, 403 with a wrong one (or when the server
  // has none). The token comes as "Authorization: Bearer T" or "X-Pactgraph-Token: T".
  bool Authorized(const httplib::Request& req, httplib::Response& res) {
    std::string given;
    const std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) given = auth.substr(7);
    if (given.empty()) given = req.get_header_value("X-Pactgraph-Token");
    if (given.empty()) {
      res.set_header("WWW-Authenticate", "Bearer");
      SetError(res, 401, "unauthorized", "this endpoint writes: send the server's token as \"Authorization: Bearer TOKEN\"");
      return false;
    }
    if (opt.token.empty()) {
      SetError(res, 403, "forbidden", "this server was started without a token, so it takes no writes (serve --token T)");
      return false;
    }
    // Compared in constant time.
    unsigned diff = given.size() != opt.token.size();
    for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned>(given[i] ^ opt.token[i % opt.token.size()]);
    if (diff != 0) {
      SetError(res, 403, "forbidden", "the token is not this server's");
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------------- reads

  void Query(const std::string& text, const std::string& format, int64_t limit, int64_t timeout_ms, httplib::Response& res) {
    if (text.empty()) return SetError(res, 400, "bad_request", "no query: send {\"query\": \"WHO SUPPORTS ...\"} or ?q=");
    query::FormatOptions fo;
    fo.format = query::Format::kJson;
    fo.timing = false;
    if (!format.empty() && !query::ParseFormat(format, &fo.format)) {
      return SetError(res, 400, "bad_request", "format must be json, table or csv, not \"" + format + "\"");
    }
    query::Limits limits;
    limits.max_rows = opt.max_rows;
    if (limit > 0) limits.max_rows = std::min<uint64_t>(opt.max_rows, static_cast<uint64_t>(limit));
    limits.timeout_s = opt.query_timeout_s;
    limits.max_memory_bytes = opt.max_query_memory_bytes;
    if (timeout_ms > 0) limits.timeout_s = std::min(opt.query_timeout_s, static_cast<double>(timeout_ms) / 1000.0);
    query::Engine& engine = EngineForThread();
    engine.set_limits(limits);
    Result<std::vector<query::Answer>> answers = engine.Run(text);
    if (!answers.ok()) return QueryError(res, answers.status());
    std::ostringstream out;
    if (fo.format == query::Format::kJson) {
      if (answers->size() == 1) {
        query::Write(answers->front(), fo, out);
      } else {
        json all = json::array();
        for (const query::Answer& a : *answers) {
          std::ostringstream one;
          query::Write(a, fo, one);
          all.push_back(json::parse(one.str()));
        }
        out << json{{"answers", all}}.dump() << "\n";
      }
      res.set_content(out.str(), "application/json");
    } else {
      fo.width = 160;
      for (size_t i = 0; i < answers->size(); ++i) {
        if (i) out << "\n";
        query::Write((*answers)[i], fo, out);
      }
      res.set_content(out.str(), fo.format == query::Format::kCsv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8");
    }
  }

  void EntityCard(const std::string& ref, httplib::Response& res) {
    const storage::Snapshot snap = store.GetSnapshot();
    Result<EntityId> id = ingest::ResolveEntity(store, snap, ref);
    if (!id.ok()) return SetError(res, 404, "not_found", id.status().message());
    Result<Entity> e = store.GetEntity(snap, *id);
    if (!e.ok()) return SetError(res, 500, "internal", "reading the entity failed");
    json card = ToJson(*e);
    std::map<EntityId, std::string> names;
    std::map<DocumentId, Document> docs;
    auto name = [&](EntityId x) {
      if (auto it = names.find(x); it != names.end()) return it->second;
      Result<Entity> o = store.GetEntity(snap, x);
      return names[x] = o.ok() ? o->name : "#" + std::to_string(x);
    };
    auto section = [&](storage::RelationCursor c) -> json {
      json list = json::array();
      for (; c.Valid() && list.size() < 500; c.Next()) {
        const Relation& r = c.relation();
        json q = json::object();
        for (const Qualifier& qq : r.qualifiers) q[qq.slot] = qq.is_node() ? name(qq.node) : qq.literal;
        json ev = json::array();
        Result<std::vector<Provenance>> sources = store.GetProvenance(snap, r.id);
        if (sources.ok()) {
          for (const Provenance& p : *sources) {
            if (!docs.count(p.document)) {
              Result<Document> d = store.GetDocument(snap, p.document);
              docs[p.document] = d.ok() ? *d : Document{};
            }
            const Document& d = docs[p.document];
            ev.push_back({{"document", d.title.empty() ? d.key : d.title}, {"document_id", p.document}, {"date", d.date},
                          {"sentence", p.sentence}, {"text", p.evidence}, {"rule", p.extractor}, {"confidence", p.confidence}});
          }
        }
        list.push_back({{"id", r.id}, {"type", r.type}, {"subject", name(r.subject)}, {"subject_id", r.subject},
                        {"object", name(r.object)}, {"object_id", r.object}, {"qualifiers", q}, {"evidence", ev}});
      }
      return list;
    };
    card["outgoing"] = section(store.Outgoing(snap, *id));
    card["incoming"] = section(store.Incoming(snap, *id));
    res.set_content(card.dump() + "\n", "application/json");
  }

  void Search(const std::string& q, int64_t limit, httplib::Response& res) {
    if (q.empty()) return SetError(res, 400, "bad_request", "search needs ?q= (the start of a name)");
    const storage::Snapshot snap = store.GetSnapshot();
    Result<std::vector<EntityId>> ids = store.NamesWithPrefix(snap, q, static_cast<size_t>(limit > 0 ? std::min<int64_t>(limit, 100) : 20));
    if (!ids.ok()) return SetError(res, 500, "internal", "the name index could not be read");
    json out = json::array();
    for (EntityId id : *ids) {
      Result<Entity> e = store.GetEntity(snap, id);
      if (e.ok() && e->type != "Claim") out.push_back({{"id", e->id}, {"name", e->name}, {"type", e->type}, {"aliases", e->aliases}});
    }
    res.set_content(json{{"query", q}, {"matches", out}}.dump() + "\n", "application/json");
  }

  Result<ingest::Neighbourhood> Around(const httplib::Request& req) {
    const std::string focus = req.get_param_value("focus");
    if (focus.empty()) return Status::InvalidArgument("graph needs ?focus=NAME");
    int64_t depth = 2;
    if (req.has_param("depth") && (!ParseInt(req.get_param_value("depth"), &depth) || depth < 1 || depth > 4)) {
      return Status::InvalidArgument("depth must be 1 to 4");
    }
    const storage::Snapshot snap = store.GetSnapshot();
    PG_ASSIGN_OR_RETURN(EntityId id, ingest::ResolveEntity(store, snap, focus));
    return ingest::NeighbourhoodOf(store, snap, id, static_cast<int>(depth), static_cast<size_t>(opt.max_graph_nodes));
  }

  void Graph(const httplib::Request& req, httplib::Response& res, bool svg) {
    Result<ingest::Neighbourhood> n = Around(req);
    if (!n.ok()) {
      const bool missing = n.status().code() == StatusCode::kNotFound;
      return SetError(res, missing ? 404 : 400, missing ? "not_found" : "bad_request", n.status().message());
    }
    if (svg) {
      Result<std::string> drawing = DotToSvg(ToDot(*n));
      if (!drawing.ok()) return SetError(res, 500, "internal", drawing.status().message());
      return res.set_content(*drawing, "image/svg+xml");
    }
    json nodes = json::array(), edges = json::array();
    for (size_t i = 0; i < n->entities.size(); ++i) {
      const Entity& e = n->entities[i];
      nodes.push_back({{"id", e.id}, {"name", e.name}, {"type", e.type}, {"depth", n->depths[i]}});
    }
    for (const Relation& r : n->relations) edges.push_back({{"id", r.id}, {"type", r.type}, {"source", r.subject}, {"target", r.object}});
    res.set_content(json{{"focus", n->entities.front().name}, {"nodes", nodes}, {"edges", edges}, {"truncated", n->truncated}}.dump() + "\n",
                    "application/json");
  }

  void Export(const httplib::Request& req, httplib::Response& res) {
    const std::string format = req.get_param_value("format");
    ingest::GraphExportOptions go;
    go.focus = req.get_param_value("focus");
    if (req.has_param("depth")) {
      int64_t d = 0;
      if (!ParseInt(req.get_param_value("depth"), &d) || d < 1 || d > 6) return SetError(res, 400, "bad_request", "depth must be 1 to 6");
      go.depth = static_cast<int>(d);
    }
    if (format == "csv") {
      // Several files: without ?file= the list of them, with it that one file.
      std::map<std::string, std::ostringstream> files;
      Status st = ingest::ExportCsv(store, [&](const std::string& name) -> std::ostream& { return files[name]; }, go);
      if (!st.ok()) return SetError(res, st.code() == StatusCode::kNotFound ? 404 : 500, st.code() == StatusCode::kNotFound ? "not_found" : "internal",
                                    st.code() == StatusCode::kNotFound ? st.message() : "the export failed inside the server");
      const std::string want = req.get_param_value("file");
      if (want.empty()) {
        json list = json::array();
        for (const auto& [name, body] : files) list.push_back(name);
        return res.set_content(json{{"files", list}}.dump() + "\n", "application/json");
      }
      auto it = files.find(want);
      if (it == files.end()) return SetError(res, 404, "not_found", "no such file in the CSV export: " + want);
      return res.set_content(it->second.str(), "text/csv; charset=utf-8");
    }
    if (!go.focus.empty() && (format == "graphml" || format == "dot")) {
      std::ostringstream out;
      Status st = ingest::ExportGraph(store, format, out, go);
      if (!st.ok()) return SetError(res, st.code() == StatusCode::kNotFound ? 404 : 500, "not_found", st.message());
      return res.set_content(out.str(), format == "dot" ? "text/vnd.graphviz" : "application/graphml+xml");
    }
    std::string type;
    if (format == "jsonl" || format.empty()) {
      type = "application/x-ndjson";
    } else if (format == "graphml") {
      type = "application/graphml+xml";
    } else if (format == "dot") {
      type = "text/vnd.graphviz";
    } else {
      return SetError(res, 400, "bad_request", "format must be jsonl, graphml, dot or csv, not \"" + format + "\"");
    }
    const std::string fmt = format.empty() ? "jsonl" : format;
    res.status = 200;
    // Streamed: the export writes into the connection as it goes.
    res.set_chunked_content_provider(type, [this, fmt](size_t, httplib::DataSink& sink) {
      {
        SinkBuf buf(sink);
        std::ostream os(&buf);
        Status s = fmt == "jsonl" ? ingest::ExportJsonl(store, os, {}) : ingest::ExportGraph(store, fmt, os);
        (void)s;  // a failure mid-stream can only end the stream
        os.flush();
      }
      sink.done();
      return true;
    });
  }

  void GetDocument(const std::string& ref, httplib::Response& res) {
    int64_t id = 0;
    if (!ParseInt(ref, &id)) return SetError(res, 400, "bad_request", "a document is named by its id: /documents/12");
    const storage::Snapshot snap = store.GetSnapshot();
    Result<Document> d = store.GetDocument(snap, static_cast<DocumentId>(id));
    if (!d.ok()) return SetError(res, 404, "not_found", "no document has the id " + ref);
    res.set_content(ToJson(*d, true).dump() + "\n", "application/json");
  }

  void Metrics(httplib::Response& res) {
    std::ostringstream o;
    o << "# HELP pactgraph_http_requests_total Requests answered, by route and status.\n"
      << "# TYPE pactgraph_http_requests_total counter\n";
    std::lock_guard<std::mutex> lock(stats_mu);
    for (const auto& [route, r] : stats) {
      for (const auto& [status, n] : r.by_status) {
        o << "pactgraph_http_requests_total{route=\"" << route << "\",status=\"" << status << "\"} " << n << "\n";
      }
    }
    o << "# HELP pactgraph_http_request_seconds Time to answer a request, by route.\n"
      << "# TYPE pactgraph_http_request_seconds histogram\n";
    for (const auto& [route, r] : stats) {
      for (size_t i = 0; i < kNumBuckets; ++i) {
        o << "pactgraph_http_request_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} " << r.buckets[i] << "\n";
      }
      o << "pactgraph_http_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << r.count << "\n"
        << "pactgraph_http_request_seconds_sum{route=\"" << route << "\"} " << r.sum << "\n"
        << "pactgraph_http_request_seconds_count{route=\"" << route << "\"} " << r.count << "\n";
    }
    o << "# HELP pactgraph_http_errors_total Requests answered with a status of 400 or more.\n"
      << "# TYPE pactgraph_http_errors_total counter\n"
      << "pactgraph_http_errors_total " << errors << "\n"
      << "# HELP pactgraph_imports_total Documents and facts files imported through the endpoint.\n"
      << "# TYPE pactgraph_imports_total counter\n"
      << "pactgraph_imports_total " << imports.load() << "\n";
    const storage::Snapshot snap = store.GetSnapshot();
    Result<storage::StoreStats> st = store.Stats(snap);
    if (st.ok()) {
      o << "# HELP pactgraph_store_bytes Bytes the store takes on disk.\n# TYPE pactgraph_store_bytes gauge\n"
        << "pactgraph_store_bytes " << st->disk_bytes << "\n"
        << "# HELP pactgraph_store_entities Entities in the store.\n# TYPE pactgraph_store_entities gauge\n"
        << "pactgraph_store_entities " << st->entities << "\n"
        << "# HELP pactgraph_store_relations Relations in the store.\n# TYPE pactgraph_store_relations gauge\n"
        << "pactgraph_store_relations " << st->relations << "\n";
    }
    o << "# HELP pactgraph_uptime_seconds Seconds since the server started.\n# TYPE pactgraph_uptime_seconds gauge\n"
      << "pactgraph_uptime_seconds "
      << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << "\n";
    res.set_content(o.str(), "text/plain; version=0.0.4");
  }

  // ------------------------------------------------------------------------------- writes

  void Report(const Result<ingest::JsonlImportReport>& r, httplib::Response& res) {
    if (!r.ok()) {
      const Status& st = r.status();
      const int code = st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kNotFound ? 422 : 500;
      const std::string message = code == 422 ? st.message() : "the import failed inside the server; nothing was stored";
      return SetError(res, code, code == 422 ? "unprocessable" : "internal", message, st.location().line, st.location().column);
    }
    ++imports;
    const storage::ImportCounts& c = r->counts;
    json j = {{"already_imported", r->already_imported},
              {"lines", r->lines},
              {"entities_new", c.entities_new},
              {"entities_merged", c.entities_merged},
              {"relations_new", c.relations_new},
              {"relations_merged", c.relations_merged},
              {"claims", r->claims},
              {"documents_replaced", c.documents_replaced},
              {"relations_retracted", c.relations_retracted},
              {"warnings", r->warnings}};
    res.status = r->already_imported ? 200 : 201;
    res.set_content(j.dump() + "\n", "application/json");
  }

  void PostDocument(const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    std::string name = req.has_param("name") ? req.get_param_value("name") : "posted";
    Result<ingest::Article> a = ingest::ParseArticle(req.body, name);
    if (!a.ok()) return SetError(res, 422, "not_an_article", a.status().message());
    Report(ingest::ImportArticle(store, *a, ingest::ArticleKey(*a, name), "request", {}), res);
  }

  void PostFacts(const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    std::istringstream in(req.body);
    ingest::JsonlImportOptions o;
    o.lenient = req.get_param_value("lenient") == "true";
    Report(ingest::ImportJsonlStream(store, in, "request", o), res);
  }

  void Routes() {
    http.Get("/health", Timed("/health", [this](const httplib::Request&, httplib::Response& res) {
      const storage::Snapshot snap = store.GetSnapshot();
      Result<storage::StoreStats> st = store.Stats(snap);
      json j = {{"status", "ok"}, {"read_only", opt.read_only}};
      if (st.ok()) {
        j["entities"] = st->entities;
        j["relations"] = st->relations;
        j["documents"] = st->documents;
      }
      res.set_content(j.dump() + "\n", "application/json");
    }));
    http.Post("/query", Timed("/query", [this](const httplib::Request& req, httplib::Response& res) {
      json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        return SetError(res, 400, "bad_json", "the body must be a JSON object such as {\"query\": \"WHO SUPPORTS RHEL\"}");
      }
      auto str = [&](const char* k) { return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : std::string(); };
      auto num = [&](const char* k) -> int64_t { return body.contains(k) && body[k].is_number_integer() ? body[k].get<int64_t>() : 0; };
      for (const char* k : {"limit", "timeout_ms"}) {
        if (body.contains(k) && !body[k].is_number_integer()) return SetError(res, 400, "bad_json", std::string(k) + " must be a whole number");
      }
      if (body.contains("query") && !body["query"].is_string()) return SetError(res, 400, "bad_json", "query must be a string");
      Query(str("query"), str("format"), num("limit"), num("timeout_ms"), res);
    }));
    http.Get("/query", Timed("/query", [this](const httplib::Request& req, httplib::Response& res) {
      int64_t limit = 0, timeout = 0;
      if (req.has_param("limit") && !ParseInt(req.get_param_value("limit"), &limit)) return SetError(res, 400, "bad_request", "limit must be a whole number");
      if (req.has_param("timeout_ms") && !ParseInt(req.get_param_value("timeout_ms"), &timeout)) {
        return SetError(res, 400, "bad_request", "timeout_ms must be a whole number");
      }
      Query(req.get_param_value("q"), req.get_param_value("format"), limit, timeout, res);
    }));
    http.Get(R"(/entities/(.+))", Timed("/entities/{ref}", [this](const httplib::Request& req, httplib::Response& res) {
      EntityCard(req.matches[1].str(), res);
    }));
    http.Get("/search", Timed("/search", [this](const httplib::Request& req, httplib::Response& res) {
      int64_t limit = 0;
      if (req.has_param("limit") && !ParseInt(req.get_param_value("limit"), &limit)) return SetError(res, 400, "bad_request", "limit must be a whole number");
      Search(req.get_param_value("q"), limit, res);
    }));
    http.Get("/graph", Timed("/graph", [this](const httplib::Request& req, httplib::Response& res) { Graph(req, res, false); }));
    http.Get("/graph.svg", Timed("/graph.svg", [this](const httplib::Request& req, httplib::Response& res) { Graph(req, res, true); }));
    http.Get("/export", Timed("/export", [this](const httplib::Request& req, httplib::Response& res) { Export(req, res); }));
    http.Get(R"(/documents/([^/]+))", Timed("/documents/{id}", [this](const httplib::Request& req, httplib::Response& res) {
      GetDocument(req.matches[1].str(), res);
    }));
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { Metrics(res); });
    http.Get("/openapi.json", Timed("/openapi.json", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(OpenApi(opt.read_only), "application/json");
    }));
    for (const WebFile& f : WebFiles()) {
      const std::string path = f.path;
      http.Get(path == "/index.html" ? "/" : path, Timed(path, [f](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(f.data, f.size), f.type);
      }));
    }
    if (!opt.read_only) {
      http.Post("/documents", Timed("/documents", [this](const httplib::Request& req, httplib::Response& res) { PostDocument(req, res); }));
      http.Post("/facts", Timed("/facts", [this](const httplib::Request& req, httplib::Response& res) { PostFacts(req, res); }));
    }
    // Whatever no route answered, and every error left without a body, gets the JSON error.
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 404) return SetError(res, 404, "not_found", "no such endpoint: " + req.method + " " + req.path + " (see /openapi.json)");
      if (res.status == 413) return SetError(res, 413, "too_large", "the request body is larger than this server takes");
      if (res.status == 405) return SetError(res, 405, "method_not_allowed", req.method + " is not allowed on " + req.path);
      SetError(res, res.status, "error", "the request could not be served");
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      SetError(res, 500, "internal", "the request failed inside the server");
    });
  }
};

Server::Server(storage::Store& store, ServerOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {
  Impl& s = *impl_;
  s.http.set_payload_max_length(s.opt.max_body_bytes);
  s.http.set_read_timeout(s.opt.read_timeout_s, 0);
  s.http.set_write_timeout(s.opt.write_timeout_s, 0);
  s.http.set_keep_alive_timeout(5);
  s.http.set_keep_alive_max_count(1000);  // requests per kept-alive connection before it is closed
  s.http.set_tcp_nodelay(true);  // answers are small: no Nagle delay waiting for the client's ACK
  const int threads = std::max(1, s.opt.threads);
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.Routes();
}

Server::~Server() = default;

Result<int> Server::Bind() {
  Impl& s = *impl_;
  int port = s.opt.port;
  if (port == 0) {
    port = s.http.bind_to_any_port(s.opt.bind);
    if (port < 0) return Status::IoError("cannot bind to " + s.opt.bind + " on any port");
  } else if (!s.http.bind_to_port(s.opt.bind, port)) {
    return Status::IoError("cannot bind to " + s.opt.bind + ":" + std::to_string(port) + " (in use, or not an address of this machine?)");
  }
  return port;
}

Status Server::Serve() {
  if (!impl_->http.listen_after_bind()) return Status::IoError("the server stopped listening");
  return Status::OK();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace pactgraph::server
