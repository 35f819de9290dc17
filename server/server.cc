#include "server/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "graph/names.h"
#include "ingest/import_article.h"
#include "ingest/jsonl.h"
#include "ingest/reader.h"
#include "query/card.h"
#include "query/engine.h"
#include "query/format.h"
#include "ingest/graph_export.h"
#include "server/internal/connections.h"
#include "server/internal/render.h"
#include "server/internal/web.h"
#include "storage/documents.h"
#include "storage/resolve.h"

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

// JSON text of `j`. A string in it may hold bytes that are not UTF-8 (a URL's %FF, a stored name):
// nlohmann's dump() throws on those, which inside httplib's error handler ended the process.
// They are written as U+FFFD instead.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The error body every failure gets: {"error": {"code", "message", "line", "column"}}.
void SetError(httplib::Response& res, int status, const std::string& code, const std::string& message, uint64_t line = 0,
              uint64_t column = 0, const SourceLocation* span = nullptr) {
  json e = {{"code", code}, {"message", message}};
  e["line"] = line ? json(line) : json(nullptr);
  e["column"] = column ? json(column) : json(nullptr);
  // The bytes of the query the error is about: [offset, offset + length).
  if (span && span->has_span) e["span"] = {{"offset", span->offset}, {"length", span->length}};
  res.status = status;
  res.set_content(Dump(json{{"error", e}}) + "\n", "application/json");
}

// The request's row and time limits, checked as the command line checks --max-rows and
// --timeout: whole numbers within the same bounds (timeout_ms in milliseconds).
constexpr int64_t kLimitAtMost = static_cast<int64_t>(query::kMaxRowsAtMost);
constexpr int64_t kTimeoutMsAtLeast = static_cast<int64_t>(query::kTimeoutAtLeastS * 1000);
constexpr int64_t kTimeoutMsAtMost = static_cast<int64_t>(query::kTimeoutAtMostS * 1000);
// min_sources: as the command's --min-sources, a whole number of documents from 1.
constexpr int64_t kMinSourcesAtMost = 1'000'000'000;

std::string OutOfBounds(const std::string& field, int64_t lo, int64_t hi, const std::string& given) {
  return field + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not " + given;
}

// A 400 for text that is not UTF-8, naming where it is: `parameter` is a query-string or body
// field ("q", "focus"), "ref" for the entity in /entities/{ref}, "path" or "body".
void NotUtf8(httplib::Response& res, const std::string& parameter, const std::string& where, std::string_view text) {
  const size_t at = InvalidUtf8At(text);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
  SetError(res, 400, "not_utf8",
           where + " is not UTF-8 text: byte " + std::to_string(at + 1) + " is " + byte + " (percent-encode UTF-8 bytes, as %C3%A9 for \u00e9)");
  json body = json::parse(res.body, nullptr, false);
  if (body.is_object()) {
    body["error"]["parameter"] = parameter;
    res.set_content(Dump(body) + "\n", "application/json");
  }
}

// A message with the paths of this machine taken out: RocksDB names the file it failed on, with
// the database's directory, and a client has no business knowing either.
std::string WithoutPaths(std::string msg, const std::string& db_dir) {
  if (!db_dir.empty()) {
    for (size_t at = msg.find(db_dir); at != std::string::npos; at = msg.find(db_dir, at)) msg.replace(at, db_dir.size(), "[db]");
  }
  static const std::regex kPath(R"((^|[\s"'(=:])(/[^\s"',;()]+|[^\s"',;()]*\.(sst|log|blob|ldb|dbtmp)\b|(MANIFEST|OPTIONS)-\d+|\[db\][^\s"',;()]*))");
  return std::regex_replace(msg, kPath, "$1[a file]");
}

// Whether a failure is the server's (the disk, RocksDB, stored bytes, a bug) rather than the
// request's: those are 500, whatever endpoint meets them.
bool IsServerFailure(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kResourceExhausted:
    case StatusCode::kAborted:
      return false;
    default:
      return true;
  }
}

// A server failure's answer: 500 with the message, paths taken out; the whole of it goes to the
// log for the operator.
void ServerFailure(const httplib::Request& req, httplib::Response& res, const Status& st, const std::string& db_dir,
                   const std::string& prefix = "") {
  std::cerr << "pactgraph serve: " << req.method << " " << req.path << ": " << StatusCodeName(st.code()) << ": " << st.message()
            << std::endl;
  const bool store = st.code() == StatusCode::kIoError || st.code() == StatusCode::kCorruption;
  SetError(res, 500, store ? "storage" : "internal",
           prefix + (store ? "the store could not be read or written: " : "the request failed inside the server: ") +
               WithoutPaths(st.message(), db_dir));
}

// A query error, with its place in the query (line, column, span) as fields.
void QueryError(const httplib::Request& req, httplib::Response& res, const Status& st, const std::string& db_dir) {
  const SourceLocation& at = st.location();
  const std::string& text = st.message();
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return SetError(res, 400, "bad_query", text, at.line, at.column, &at);
    case StatusCode::kNotFound:
      return SetError(res, 404, "not_found", text, at.line, at.column, &at);
    case StatusCode::kResourceExhausted:
      return SetError(res, 422, "limit", text, at.line, at.column, &at);
    case StatusCode::kAborted:
      return SetError(res, 503, "aborted", text);
    default:
      return ServerFailure(req, res, st, db_dir);
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

// A stored confidence to three decimals: the float's exact double (0.4000000059604645) says
// nothing more.
double Rounded(float confidence) { return std::round(static_cast<double>(confidence) * 1000) / 1000; }

json ToJson(const query::CardSection& section) {
  json list = json::array();
  for (const query::CardRelation& r : section.relations) {
    json q = json::object();
    for (const query::CardQualifier& x : r.qualifiers) q[x.slot] = x.is_node ? x.node.name : x.literal;
    json ev = json::array();
    for (const query::CardSource& s : r.sources) {
      const Provenance& p = s.provenance;
      ev.push_back({{"document", s.document}, {"document_id", p.document}, {"publisher", s.publisher}, {"url", s.url},
                    {"date", s.date}, {"sentence", p.sentence}, {"text", s.text}, {"span", {s.span_begin, s.span_end}},
                    {"rule", p.extractor}, {"confidence", Rounded(p.confidence)}, {"status", s.status}});
    }
    // The card shows every stored relation; a candidate says so, as query answers do.
    list.push_back({{"id", r.relation.id}, {"type", r.relation.type}, {"subject", r.subject.name}, {"subject_id", r.subject.id},
                    {"object", r.object.name}, {"object_id", r.object.id}, {"qualifiers", q},
                    {"confidence", Rounded(r.confidence)}, {"candidate", r.candidate}, {"documents", r.documents},
                    {"publishers", r.publishers}, {"disputed", r.disputed}, {"evidence", ev}});
  }
  return list;
}

// The entity card as GET /entities sends it: the entity, its sections, and how many relations
// each section has (a section lists at most kCardRelations).
json ToJson(const query::EntityCard& card) {
  json j = ToJson(card.entity);
  j["outgoing"] = ToJson(card.outgoing);
  j["incoming"] = ToJson(card.incoming);
  j["qualifier_of"] = ToJson(card.qualifier_of);
  j["counts"] = {{"outgoing", card.outgoing.total}, {"incoming", card.incoming.total}, {"qualifier_of", card.qualifier_of.total}};
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

internal::ConnectionLimits LimitsOf(const ServerOptions& o) {
  internal::ConnectionLimits l;
  l.workers = std::max(1, o.threads);
  l.idle_timeout_s = o.idle_timeout_s;
  l.read_timeout_s = o.read_timeout_s;
  l.write_timeout_s = o.write_timeout_s;
  l.max_per_client = std::max<size_t>(1, o.max_client_connections);
  l.max_total = std::max<size_t>(1, o.max_connections);
  return l;
}

// A request body, read through httplib's content reader so that --max-body holds however the
// body comes: httplib's own reading into req.body stops a form-encoded body at 8 KiB (a limit
// compiled into the library) and never limits a chunked one. False when the response is set: a
// 413 past `max`, a 400 when the body broke off.
bool ReadBody(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader, size_t max, std::string* body) {
  const bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  const std::string length = req.get_header_value("Content-Length");
  if (!chunked && length.empty()) return true;  // a request with neither has no body (RFC 9112 6.3)
  auto too_large = [&] {
    // The rest of the body is left unread: the connection cannot carry another request.
    internal::ConnectionServer::CloseAfterResponse();
    res.set_header("Connection", "close");
    SetError(res, 413, "too_large", "the request body is larger than this server takes (" + std::to_string(max) + " bytes, serve --max-body)");
    return false;
  };
  if (!chunked) {
    int64_t n = 0;
    if (!ParseInt(length, &n)) {
      internal::ConnectionServer::CloseAfterResponse();
      res.set_header("Connection", "close");
      SetError(res, 400, "bad_request", "Content-Length must be a whole number, not \"" + length + "\"");
      return false;
    }
    if (static_cast<uint64_t>(n) > max) return too_large();
    body->reserve(static_cast<size_t>(n));
  }
  bool over = false;
  const bool read = reader([&](const char* data, size_t n) {
    if (body->size() + n > max) {
      over = true;
      return false;
    }
    body->append(data, n);
    return true;
  });
  if (over) return too_large();
  if (!read) {
    internal::ConnectionServer::CloseAfterResponse();
    res.set_header("Connection", "close");
    SetError(res, 400, "bad_request", "the request body broke off before its end");
    return false;
  }
  return true;
}

}  // namespace

struct Server::Impl {
  storage::Store& store;
  ServerOptions opt;
  internal::ConnectionServer http;
  std::mutex stats_mu;
  std::map<std::string, RouteStats> stats;  // by route pattern
  uint64_t errors = 0;
  std::atomic<uint64_t> imports{0};
  int listen_fd = -1;  // the listening socket, to widen its accept queue after the bind
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  Impl(storage::Store& s, ServerOptions o) : store(s), opt(std::move(o)), http(LimitsOf(opt)) {}

  // The methods a path is answered with ("GET, POST"), or "" for a path the server does not serve.
  std::string AllowedMethods(const std::string& path) const {
    static const std::regex kGetOnly(R"(^/(health|search|graph|graph\.svg|export|metrics|openapi\.json|entities/.+|documents/[^/]+)$)");
    if (path == "/query") return "GET, POST";
    if (path == "/documents") return opt.read_only ? "GET" : "GET, POST";
    if (path == "/facts") return opt.read_only ? "" : "POST";
    if (std::regex_match(path, kGetOnly)) return "GET";
    return "";
  }

  // Any failure's answer: the request's own faults as 400, 404, 422 or 503, the server's as 500.
  void Failed(const httplib::Request& req, httplib::Response& res, const Status& st) {
    if (IsServerFailure(st)) return ServerFailure(req, res, st, store.dir());
    switch (st.code()) {
      case StatusCode::kNotFound:
        return SetError(res, 404, "not_found", st.message());
      case StatusCode::kResourceExhausted:
        return SetError(res, 422, "limit", st.message());
      case StatusCode::kAborted:
        return SetError(res, 503, "aborted", st.message());
      default:
        return SetError(res, 400, "bad_request", st.message());
    }
  }

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

  // The same for a handler that reads its body itself (through ReadBody).
  using ReadingHandler = std::function<void(const httplib::Request&, httplib::Response&, const httplib::ContentReader&)>;
  ReadingHandler Timed(const std::string& route, ReadingHandler h) {
    return [this, route, h](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
      Timed(route, [&](const httplib::Request& rq, httplib::Response& rs) { h(rq, rs, reader); })(req, res);
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

  // `limit` and `timeout_ms` are 0 when not asked for; `candidates` answers with the facts below
  // the server's confidence threshold too, marked; WHO and WHAT keep only the facts stated by at
  // least `min_sources` distinct documents.
  void Query(const httplib::Request& req, const std::string& text, const std::string& format, int64_t limit, int64_t timeout_ms,
             const query::Params& params, bool candidates, int64_t min_sources, httplib::Response& res) {
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
    limits.min_confidence = opt.min_confidence;
    limits.candidates = candidates;
    limits.min_sources = min_sources;
    if (timeout_ms > 0) limits.timeout_s = std::min(opt.query_timeout_s, static_cast<double>(timeout_ms) / 1000.0);
    // A limit met is said in the request's terms: its fields, up to the server's own bounds.
    limits.hints.rows = "ask for up to " + std::to_string(opt.max_rows) + " with limit, the server's --max-rows";
    limits.hints.timeout = "ask for more with timeout_ms, up to the server's --timeout";
    limits.hints.memory = "narrow it (the server's --max-query-memory bounds each query)";
    limits.hints.hops = "fixed on this server";
    query::Engine& engine = EngineForThread();
    engine.set_limits(limits);
    Result<std::vector<query::Answer>> answers = engine.Run(text, params);
    if (!answers.ok()) return QueryError(req, res, answers.status(), store.dir());
    std::ostringstream out;
    if (fo.format == query::Format::kJson) {
      if (answers->size() == 1) {
        query::Write(answers->front(), fo, out);
      } else {
        json all = json::array();
        for (const query::Answer& a : *answers) {
          std::ostringstream one;
          query::Write(a, fo, one);
          // Our own JSON, read back without exceptions: a failure is an error value, not a throw.
          json parsed = json::parse(one.str(), nullptr, /*allow_exceptions=*/false);
          if (parsed.is_discarded()) return SetError(res, 500, "internal", "an answer could not be written as JSON");
          all.push_back(std::move(parsed));
        }
        out << Dump(json{{"answers", all}}) << "\n";
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

  // At most this many relations per section of a card; the counts say how many there are.
  static constexpr size_t kCardRelations = 500;

  void EntityCard(const httplib::Request& req, const std::string& ref, httplib::Response& res) {
    const storage::Snapshot snap = store.GetSnapshot();
    // The URL has taken a bare id ("/entities/12") since it was written; a name comes first.
    Result<EntityId> id = storage::ResolveEntity(store, snap, ref, {.bare_digits_as_id = true});
    if (!id.ok()) return Failed(req, res, id.status());
    query::CardOptions options;
    options.limit = kCardRelations;
    options.min_confidence = opt.min_confidence;
    Result<query::EntityCard> card = query::BuildEntityCard(store, snap, *id, options);
    if (!card.ok()) return Failed(req, res, card.status());
    res.set_content(Dump(ToJson(*card)) + "\n", "application/json");
  }

  void Search(const httplib::Request& req, const std::string& q, int64_t limit, httplib::Response& res) {
    if (q.empty()) return SetError(res, 400, "bad_request", "search needs ?q= (the start of a name)");
    const storage::Snapshot snap = store.GetSnapshot();
    Result<std::vector<EntityId>> ids = store.NamesWithPrefix(snap, q, static_cast<size_t>(limit > 0 ? std::min<int64_t>(limit, 100) : 20));
    if (!ids.ok()) return Failed(req, res, ids.status());
    json out = json::array();
    for (EntityId id : *ids) {
      Result<Entity> e = store.GetEntity(snap, id);
      if (!e.ok()) return Failed(req, res, e.status());
      if (e->type != "Claim") out.push_back({{"id", e->id}, {"name", e->name}, {"type", e->type}, {"aliases", e->aliases}});
    }
    res.set_content(Dump(json{{"query", q}, {"matches", out}}) + "\n", "application/json");
  }

  Result<ingest::Neighbourhood> Around(const httplib::Request& req, const storage::Snapshot& snap) {
    const std::string focus = req.get_param_value("focus");
    if (focus.empty()) return Status::InvalidArgument("graph needs ?focus=NAME");
    int64_t depth = 2;
    if (req.has_param("depth") && (!ParseInt(req.get_param_value("depth"), &depth) || depth < 1 || depth > 4)) {
      return Status::InvalidArgument("depth must be 1 to 4");
    }
    PG_ASSIGN_OR_RETURN(EntityId id, storage::ResolveEntity(store, snap, focus));
    return ingest::NeighbourhoodOf(store, snap, id, static_cast<int>(depth), static_cast<size_t>(opt.max_graph_nodes));
  }

  void Graph(const httplib::Request& req, httplib::Response& res, bool svg) {
    // One snapshot for the neighbourhood and its edges' corroboration.
    const storage::Snapshot snap = store.GetSnapshot();
    Result<ingest::Neighbourhood> n = Around(req, snap);
    if (!n.ok()) return Failed(req, res, n.status());
    if (svg) {
      Result<std::string> drawing = DotToSvg(ToDot(*n));
      if (!drawing.ok()) return Failed(req, res, drawing.status());
      return res.set_content(*drawing, "image/svg+xml");
    }
    json nodes = json::array(), edges = json::array();
    for (size_t i = 0; i < n->entities.size(); ++i) {
      const Entity& e = n->entities[i];
      nodes.push_back({{"id", e.id}, {"name", e.name}, {"type", e.type}, {"depth", n->depths[i]}});
    }
    // Each edge's corroboration: the page draws it wider the more documents state it, and
    // dashed when its sources disagree (as the card's and WHO's `disputed` say).
    query::CorroborationReader corroboration(store, snap);
    for (const Relation& r : n->relations) {
      Result<query::Corroboration> c = corroboration.Of(r);
      if (!c.ok()) return Failed(req, res, c.status());
      edges.push_back({{"id", r.id}, {"type", r.type}, {"source", r.subject}, {"target", r.object}, {"documents", c->documents},
                       {"publishers", c->publishers}, {"disputed", c->disputed}});
    }
    res.set_content(Dump(json{{"focus", n->entities.front().name}, {"nodes", nodes}, {"edges", edges}, {"truncated", n->truncated}}) + "\n",
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
    if (ingest::IsFolderFormat(format)) {
      // Several files: without ?file= the list of them, with it that one file.
      std::map<std::string, std::ostringstream> files;
      auto open = [&](const std::string& name) -> std::ostream& { return files[name]; };
      Status st = format == "kuzu"    ? ingest::ExportKuzu(store, open, go)
                  : format == "neo4j" ? ingest::ExportNeo4j(store, open, go)
                                      : ingest::ExportCsv(store, open, go);
      if (!st.ok()) return Failed(req, res, st);
      const std::string want = req.get_param_value("file");
      if (want.empty()) {
        json list = json::array();
        for (const auto& [name, body] : files) list.push_back(name);
        return res.set_content(Dump(json{{"format", format}, {"files", list}}) + "\n", "application/json");
      }
      auto it = files.find(want);
      if (it == files.end()) return SetError(res, 404, "not_found", "no such file in the " + format + " export: " + want);
      const bool csv = want.size() > 4 && want.compare(want.size() - 4, 4, ".csv") == 0;
      return res.set_content(it->second.str(), csv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8");
    }
    if (!go.focus.empty() && (format == "graphml" || format == "dot" || format == "turtle")) {
      std::ostringstream out;
      Status st = format == "turtle" ? ingest::ExportTurtle(store, out, go) : ingest::ExportGraph(store, format, out, go);
      if (!st.ok()) return Failed(req, res, st);
      return res.set_content(out.str(), format == "turtle" ? "text/turtle; charset=utf-8" : format == "dot" ? "text/vnd.graphviz" : "application/graphml+xml");
    }
    std::string type;
    if (format == "jsonl" || format.empty()) {
      type = "application/x-ndjson";
    } else if (format == "graphml") {
      type = "application/graphml+xml";
    } else if (format == "dot") {
      type = "text/vnd.graphviz";
    } else if (format == "turtle") {
      type = "text/turtle; charset=utf-8";
    } else {
      std::string known;
      for (const std::string& f : ingest::ExportFormats()) known += (known.empty() ? "" : ", ") + f;
      return SetError(res, 400, "bad_request", "format must be one of " + known + ", not \"" + format + "\"");
    }
    const std::string fmt = format.empty() ? "jsonl" : format;
    res.status = 200;
    // Streamed: the export writes into the connection as it goes.
    res.set_chunked_content_provider(type, [this, fmt, method = req.method, path = req.path](size_t, httplib::DataSink& sink) {
      Status s;
      {
        SinkBuf buf(sink);
        std::ostream os(&buf);
        s = fmt == "jsonl"    ? ingest::ExportJsonl(store, os, {})
            : fmt == "turtle" ? ingest::ExportTurtle(store, os)
                              : ingest::ExportGraph(store, fmt, os);
        os.flush();
      }
      if (!s.ok()) {
        // The status line has gone: the stream ends without its last chunk, so that the client
        // sees a broken transfer rather than an export that looks whole.
        std::cerr << "pactgraph serve: " << method << " " << path << ": " << StatusCodeName(s.code()) << ": " << s.message() << std::endl;
        return false;
      }
      sink.done();
      return true;
    });
  }

  // At most this many facts in one document's answer; `fact_count` says how many there are.
  static constexpr size_t kDocumentFacts = 1000;

  void GetDocument(const httplib::Request& req, const std::string& ref, httplib::Response& res) {
    int64_t id = 0;
    if (!ParseInt(ref, &id)) return SetError(res, 400, "bad_request", "a document is named by its id: /documents/12");
    const storage::Snapshot snap = store.GetSnapshot();
    Result<storage::DocumentSummary> d = storage::DescribeDocument(store, snap, static_cast<DocumentId>(id));
    if (!d.ok() && d.status().code() != StatusCode::kNotFound) return Failed(req, res, d.status());
    if (!d.ok()) return SetError(res, 404, "not_found", "no document has the id " + ref);
    json j = ToJson(d->document, true);
    j["locations"] = d->locations;
    j["fact_count"] = d->facts;
    Result<std::vector<std::pair<RelationId, uint32_t>>> facts =
        storage::FactsOfDocument(store, snap, static_cast<DocumentId>(id), kDocumentFacts);
    if (!facts.ok()) return Failed(req, res, facts.status());
    json list = json::array();
    for (const auto& [rid, sentence] : *facts) {
      Result<Relation> r = store.GetRelation(snap, rid);
      if (!r.ok()) return Failed(req, res, r.status());
      Result<Entity> subject = store.GetEntity(snap, r->subject);
      Result<Entity> object = store.GetEntity(snap, r->object);
      if (!subject.ok()) return Failed(req, res, subject.status());
      if (!object.ok()) return Failed(req, res, object.status());
      list.push_back({{"id", rid}, {"type", r->type}, {"subject", subject->name}, {"subject_id", r->subject},
                      {"object", object->name}, {"object_id", r->object}, {"sentence", sentence}});
    }
    j["facts"] = std::move(list);
    res.set_content(Dump(j) + "\n", "application/json");
  }

  // GET /documents?limit=&offset= (or &after=ID): a page of the documents, with the next page's
  // offset and link.
  void ListDocuments(const httplib::Request& req, httplib::Response& res) {
    storage::DocumentPageRequest request;
    int64_t v = 0;
    for (const auto& [name, to] : {std::pair<const char*, uint64_t*>{"limit", &request.limit}, {"offset", &request.offset},
                                   {"after", &request.after}}) {
      if (!req.has_param(name)) continue;
      if (!ParseInt(req.get_param_value(name), &v)) {
        return SetError(res, 400, "bad_request", std::string(name) + " must be a whole number, not \"" + req.get_param_value(name) + "\"");
      }
      *to = static_cast<uint64_t>(v);
    }
    if (req.has_param("offset") && req.has_param("after")) return SetError(res, 400, "bad_request", "give offset or after, not both");
    if (request.limit < 1 || request.limit > 1000) return SetError(res, 400, "bad_request", "limit must be 1 to 1000");
    const storage::Snapshot snap = store.GetSnapshot();
    Result<storage::DocumentPage> page = storage::ListDocuments(store, snap, request);
    if (!page.ok()) return Failed(req, res, page.status());
    json list = json::array();
    for (const storage::DocumentSummary& d : page->documents) {
      json j = ToJson(d.document, false);
      j["locations"] = d.locations;
      j["facts"] = d.facts;
      list.push_back(std::move(j));
    }
    json j = {{"documents", list}, {"total", page->total}, {"limit", request.limit}};
    j["offset"] = request.after ? json(nullptr) : json(request.offset);
    j["next_offset"] = page->more ? json(page->next_offset) : json(nullptr);
    const std::string next = request.after ? "&after=" + std::to_string(page->next_after)
                                           : "&offset=" + std::to_string(page->next_offset);
    j["next"] = page->more ? json("/documents?limit=" + std::to_string(request.limit) + next) : json(nullptr);
    res.set_content(Dump(j) + "\n", "application/json");
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
    const internal::ConnectionCounts cc = http.counts();
    o << "# HELP pactgraph_http_connections Connections open now (waiting, queued or being served).\n"
      << "# TYPE pactgraph_http_connections gauge\n"
      << "pactgraph_http_connections " << cc.open << "\n"
      << "# HELP pactgraph_http_connections_closed_total Connections closed by the server: refused (503), evicted for a new one, timed out.\n"
      << "# TYPE pactgraph_http_connections_closed_total counter\n"
      << "pactgraph_http_connections_closed_total{why=\"refused\"} " << cc.refused << "\n"
      << "pactgraph_http_connections_closed_total{why=\"evicted\"} " << cc.evicted << "\n"
      << "pactgraph_http_connections_closed_total{why=\"timeout\"} " << cc.timed_out << "\n";
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

  void Report(const httplib::Request& req, const Result<ingest::JsonlImportReport>& r, httplib::Response& res) {
    if (!r.ok()) {
      const Status& st = r.status();
      // A disk short of space is the server's condition, not the request's: 507, and reads go on.
      if (st.code() == StatusCode::kResourceExhausted && st.message().find("disk holding the database") != std::string::npos) {
        return SetError(res, 507, "insufficient_storage", st.message());
      }
      if (st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kNotFound) {
        return SetError(res, 422, "unprocessable", st.message(), st.location().line, st.location().column);
      }
      if (!IsServerFailure(st)) return Failed(req, res, st);
      return ServerFailure(req, res, st, store.dir(), "nothing was stored; ");
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
              {"locations_new", c.locations_new},
              {"document", r->document},
              {"warnings", r->warnings}};
    res.status = r->already_imported ? 200 : 201;
    res.set_content(Dump(j) + "\n", "application/json");
  }

  // The token is checked before the body is read: a client without it cannot make the server
  // read megabytes.
  void PostDocument(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    if (!Authorized(req, res)) return internal::ConnectionServer::CloseAfterResponse();
    std::string body;
    if (!ReadBody(req, res, reader, opt.max_body_bytes, &body)) return;
    std::string name = req.has_param("name") ? req.get_param_value("name") : "posted";
    Result<ingest::Article> a = ingest::ParseArticle(body, name);
    if (!a.ok()) return SetError(res, 422, "not_an_article", a.status().message());
    // The article's own identity (its URL, else its text), unless it says which document it replaces.
    std::string key = ingest::ArticleKey(*a);
    if (req.has_param("replaces")) {
      Result<std::string> k = ingest::StoredDocumentKey(store, req.get_param_value("replaces"));
      if (!k.ok()) return SetError(res, 404, "no_such_document", k.status().message());
      key = *k;
    }
    ingest::JsonlImportOptions io;
    if (req.has_param("name")) io.document_location = name;  // the file it came from, as the client names it
    Report(req, ingest::ImportArticle(store, *a, key, "request", io, ingest::ExtractOptions().max_seconds, opt.gazetteer,
                                      opt.rules, opt.parser), res);
  }

  void PostFacts(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    if (!Authorized(req, res)) return internal::ConnectionServer::CloseAfterResponse();
    std::string body;
    if (!ReadBody(req, res, reader, opt.max_body_bytes, &body)) return;
    std::istringstream in(body);
    ingest::JsonlImportOptions o;
    o.lenient = req.get_param_value("lenient") == "true";
    Report(req, ingest::ImportJsonlStream(store, in, "request", o), res);
  }

  void Routes() {
    // Text that is not UTF-8 anywhere in the URL (the path after percent-decoding, a parameter's
    // name or value) is refused before any endpoint sees it, naming the parameter: a name, a
    // query or a focus is always UTF-8, and bytes that are not would only be replaced or
    // mismatched further on.
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      auto refuse = [&](const std::string& parameter, const std::string& where, std::string_view text) {
        NotUtf8(res, parameter, where, text);
        // A body, if any, is left unread: the connection cannot carry another request.
        if (!req.get_header_value("Content-Length").empty() || req.has_header("Transfer-Encoding")) {
          internal::ConnectionServer::CloseAfterResponse();
          res.set_header("Connection", "close");
        }
        return httplib::Server::HandlerResponse::Handled;
      };
      if (!IsValidUtf8(req.path)) {
        if (req.path.rfind("/entities/", 0) == 0) {
          return refuse("ref", "the entity reference in the path (/entities/{ref})", std::string_view(req.path).substr(10));
        }
        return refuse("path", "the path", req.path);
      }
      for (const auto& [name, value] : req.params) {
        if (!IsValidUtf8(name)) return refuse(name, "a query parameter's name", name);
        if (!IsValidUtf8(value)) return refuse(name, "the query parameter " + name, value);
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.Get("/health", Timed("/health", [this](const httplib::Request&, httplib::Response& res) {
      const storage::Snapshot snap = store.GetSnapshot();
      Result<storage::StoreStats> st = store.Stats(snap);
      json j = {{"status", "ok"}, {"read_only", opt.read_only}};
      if (st.ok()) {
        j["entities"] = st->entities;
        j["relations"] = st->relations;
        j["documents"] = st->documents;
      }
      res.set_content(Dump(j) + "\n", "application/json");
    }));
    http.Post("/query", Timed("/query", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
      std::string text;
      if (!ReadBody(req, res, reader, opt.max_body_bytes, &text)) return;
      if (!IsValidUtf8(text)) return NotUtf8(res, "body", "the body", text);
      json body = json::parse(text, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        return SetError(res, 400, "bad_json", "the body must be a JSON object such as {\"query\": \"WHO SUPPORTS RHEL\"}");
      }
      auto str = [&](const char* k) { return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : std::string(); };
      int64_t limit = 0, timeout_ms = 0, min_sources = 1;
      struct Bounded {
        const char* name;
        int64_t* out;
        int64_t lo, hi;
      };
      for (auto [k, out, lo, hi] : {Bounded{"limit", &limit, 1, kLimitAtMost}, Bounded{"timeout_ms", &timeout_ms, kTimeoutMsAtLeast, kTimeoutMsAtMost},
                                    Bounded{"min_sources", &min_sources, 1, kMinSourcesAtMost}}) {
        if (!body.contains(k)) continue;
        const json& v = body[k];
        if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) &&
            v.get<int64_t>() >= lo && v.get<int64_t>() <= hi) {
          *out = v.get<int64_t>();
        } else {
          return SetError(res, 400, "bad_json", OutOfBounds(k, lo, hi, Dump(v)));
        }
      }
      for (const char* k : {"query", "format"}) {
        if (body.contains(k) && !body[k].is_string()) return SetError(res, 400, "bad_json", std::string(k) + " must be a string");
      }
      query::Params params;
      if (body.contains("params")) {
        const json& p = body["params"];
        if (!p.is_object()) {
          return SetError(res, 400, "bad_json", "params must be an object of $parameter values, such as {\"x\": \"RHEL\", \"n\": 3}");
        }
        for (const auto& [name, v] : p.items()) {
          if (v.is_string()) {
            params[name] = query::Value::Text(v.get<std::string>());
          } else if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))) {
            params[name] = query::Value::Int(v.get<int64_t>());
          } else {
            return SetError(res, 400, "bad_json", "params." + name + " must be a string or a whole number, not " + Dump(v));
          }
        }
      }
      bool candidates = false;
      if (body.contains("candidates")) {
        if (!body["candidates"].is_boolean()) {
          return SetError(res, 400, "bad_json", "candidates must be true or false, not " + Dump(body["candidates"]));
        }
        candidates = body["candidates"].get<bool>();
      }
      Query(req, str("query"), str("format"), limit, timeout_ms, params, candidates, min_sources, res);
    }));
    http.Get("/query", Timed("/query", [this](const httplib::Request& req, httplib::Response& res) {
      int64_t limit = 0, timeout = 0;
      if (req.has_param("limit") && (!ParseInt(req.get_param_value("limit"), &limit) || limit < 1 || limit > kLimitAtMost)) {
        return SetError(res, 400, "bad_request", OutOfBounds("limit", 1, kLimitAtMost, "\"" + req.get_param_value("limit") + "\""));
      }
      if (req.has_param("timeout_ms") &&
          (!ParseInt(req.get_param_value("timeout_ms"), &timeout) || timeout < kTimeoutMsAtLeast || timeout > kTimeoutMsAtMost)) {
        return SetError(res, 400, "bad_request",
                        OutOfBounds("timeout_ms", kTimeoutMsAtLeast, kTimeoutMsAtMost, "\"" + req.get_param_value("timeout_ms") + "\""));
      }
      int64_t min_sources = 1;
      if (req.has_param("min_sources") &&
          (!ParseInt(req.get_param_value("min_sources"), &min_sources) || min_sources < 1 || min_sources > kMinSourcesAtMost)) {
        return SetError(res, 400, "bad_request", OutOfBounds("min_sources", 1, kMinSourcesAtMost, "\"" + req.get_param_value("min_sources") + "\""));
      }
      bool candidates = false;
      if (req.has_param("candidates")) {
        const std::string v = req.get_param_value("candidates");
        if (v != "true" && v != "false") {
          return SetError(res, 400, "bad_request", "candidates must be true or false, not \"" + v + "\"");
        }
        candidates = v == "true";
      }
      Query(req, req.get_param_value("q"), req.get_param_value("format"), limit, timeout, {}, candidates, min_sources, res);
    }));
    http.Get(R"(/entities/(.+))", Timed("/entities/{ref}", [this](const httplib::Request& req, httplib::Response& res) {
      EntityCard(req, req.matches[1].str(), res);
    }));
    http.Get("/search", Timed("/search", [this](const httplib::Request& req, httplib::Response& res) {
      int64_t limit = 0;
      // The same bounds as /query's limit; past 100 the answer holds 100.
      if (req.has_param("limit") && (!ParseInt(req.get_param_value("limit"), &limit) || limit < 1 || limit > kLimitAtMost)) {
        return SetError(res, 400, "bad_request", OutOfBounds("limit", 1, kLimitAtMost, "\"" + req.get_param_value("limit") + "\""));
      }
      Search(req, req.get_param_value("q"), limit, res);
    }));
    http.Get("/graph", Timed("/graph", [this](const httplib::Request& req, httplib::Response& res) { Graph(req, res, false); }));
    http.Get("/graph.svg", Timed("/graph.svg", [this](const httplib::Request& req, httplib::Response& res) { Graph(req, res, true); }));
    http.Get("/export", Timed("/export", [this](const httplib::Request& req, httplib::Response& res) { Export(req, res); }));
    http.Get("/documents", Timed("/documents", [this](const httplib::Request& req, httplib::Response& res) {
      ListDocuments(req, res);
    }));
    http.Get(R"(/documents/([^/]+))", Timed("/documents/{id}", [this](const httplib::Request& req, httplib::Response& res) {
      GetDocument(req, req.matches[1].str(), res);
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
      http.Post("/documents", Timed("/documents", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& r) {
        PostDocument(req, res, r);
      }));
      http.Post("/facts", Timed("/facts", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& r) {
        PostFacts(req, res, r);
      }));
    }
    // Whatever no route answered, and every error left without a body, gets the JSON error.
    http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      // A path the server answers, asked with another method: 405 and the methods it takes.
      if (res.status == 404 || res.status == 400) {
        const std::string allow = AllowedMethods(req.path);
        if (!allow.empty() && allow.find(req.method) == std::string::npos) {
          res.set_header("Allow", allow);
          return SetError(res, 405, "method_not_allowed", req.method + " is not allowed on " + req.path + "; it takes " + allow +
                                                              (opt.read_only && req.method == "POST" ? " (the server is read-only)" : ""));
        }
      }
      // An error httplib found while reading the request (a malformed head, a body past the
      // limit, left unread): the connection cannot be trusted to carry another.
      if (res.status != 404 && res.status != 405) {
        internal::ConnectionServer::CloseAfterResponse();
        res.set_header("Connection", "close");
      }
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
  s.http.set_keep_alive_timeout(static_cast<time_t>(std::max(1.0, s.opt.idle_timeout_s)));  // what the Keep-Alive header says
  s.http.set_keep_alive_max_count(1000);  // requests per kept-alive connection before it is closed
  s.http.set_tcp_nodelay(true);  // answers are small: no Nagle delay waiting for the client's ACK
  // httplib listens with a queue of 5 pending connections: under many clients at once the kernel
  // drops the overflow (a second's SYN retry, or a reset). The socket is noted here and listened
  // on again after the bind with the system's bound. Only SO_REUSEADDR is set, not httplib's
  // default SO_REUSEPORT: a second server on a port in use must fail to bind, not share the port
  // (requests went to either store).
  s.http.set_socket_options([&s](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    s.listen_fd = fd;
  });
  // Workers, idle and head timeouts and the per-client bound are the ConnectionServer's (LimitsOf).
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
  if (s.listen_fd >= 0) ::listen(s.listen_fd, SOMAXCONN);  // a wider accept queue; failing, 5 stays
  return port;
}

Status Server::Serve() {
  const bool listened = impl_->http.listen_after_bind();
  impl_->http.Drain();  // the requests in flight are answered before Serve returns
  if (!listened) return Status::IoError("the server stopped listening");
  return Status::OK();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace pactgraph::server
