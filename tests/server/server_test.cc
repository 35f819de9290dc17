// The HTTP endpoint on an ephemeral loopback port, asked the way a script or a page asks it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "graph/names.h"
#include "ingest/import_article.h"
#include "ingest/reader.h"
#include "server/server.h"
#include "tests/testing.h"

namespace pactgraph::server {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kToken = "test-token-123";

// A store built from the bundled press releases, served on a free port for the test's life.
class Served {
 public:
  explicit Served(ServerOptions o = {}) {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(std::string(PG_DATASETS_DIR) + "/press")) files.push_back(f.path());
    std::sort(files.begin(), files.end());  // as `pactgraph import datasets/press` reads them
    for (const fs::path& f : files) {
      Result<ingest::Article> a = ingest::ReadArticle(f.string());
      EXPECT_TRUE(a.ok());
      ingest::JsonlImportOptions io;
      io.document_location = f.filename().string();  // as `pactgraph import` records the file
      EXPECT_TRUE(ingest::ImportArticle(*store_, *a, ingest::ArticleKey(*a), f.string(), io).ok());
    }
    o.port = 0;
    if (o.token.empty()) o.token = kToken;
    server_ = std::make_unique<Server>(*store_, o);
    Result<int> port = server_->Bind();
    EXPECT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { EXPECT_TRUE(server_->Serve().ok()); });
  }
  ~Served() {
    server_->Stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }

 private:
  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// A plain TCP connection to the server, for what httplib::Client will not do: connect and say
// nothing, or send half a request.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  }
  ~RawConnection() { ::close(fd_); }
  void Send(const std::string& s) { EXPECT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }
  // What the server sends until it closes the connection or `seconds` pass.
  std::string ReadAll(int seconds = 5) {
    std::string out;
    char buf[4096];
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, seconds * 1000) > 0) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // Whether the server closes the connection within `seconds` (with nothing sent).
  bool ClosedWithin(int seconds) {
    pollfd p{fd_, POLLIN, 0};
    char c;
    return ::poll(&p, 1, seconds * 1000) > 0 && ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_;
};

json Body(const httplib::Result& r) {
  EXPECT_TRUE(r) << "no response";
  return r ? json::parse(r->body, nullptr, false) : json();
}

httplib::Headers Auth(const std::string& token = kToken) { return {{"Authorization", "Bearer " + token}}; }

TEST(Server, AnswersAQuestionWithItsEvidence) {
  Served s;
  httplib::Client c = s.Client();
  auto r = c.Post("/query", R"({"query":"WHO SUPPORTS \"RHEL\" ON \"Hyper-V\""})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  json a = Body(r);
  bool microsoft = false;
  for (const json& row : a["rows"]) {
    if (NormalizeKey(row["values"]["subject"].get<std::string>()) != "microsoft") continue;
    microsoft = true;
    ASSERT_FALSE(row["evidence"].empty());
    const json& e = row["evidence"][0];
    const std::string text = e["text"].get<std::string>();
    EXPECT_EQ(text.rfind("Under the arrangement, Microsoft will validate and support", 0), 0u) << text;
    EXPECT_EQ(text.back(), '.') << text;
    const size_t b = e["span"][0], end = e["span"][1];
    ASSERT_LT(b, end);
    EXPECT_EQ(text.substr(b, end - b).rfind("the arrangement, Microsoft will validate", 0), 0u) << e.dump();
    EXPECT_GT(e["document_id"].get<uint64_t>(), 0u);
    EXPECT_EQ(e["publisher"], "pactgraph sample press releases");
    EXPECT_TRUE(e.contains("url")) << e.dump();
  }
  EXPECT_TRUE(microsoft) << a.dump();
  // The same through GET, and as CSV.
  auto g = c.Get("/query?q=WHO%20SUPPORTS%20RHEL&limit=2");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 200);
  EXPECT_LE(Body(g)["rows"].size(), 2u);
  auto csv = c.Get("/query?q=WHO%20SUPPORTS%20RHEL&format=csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
}

TEST(Server, ErrorsSayWhereAndWhy) {
  Served s;
  httplib::Client c = s.Client();
  auto bad = c.Post("/query", R"({"query":"WHO SUPORTS RHEL"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  json e = Body(bad)["error"];
  EXPECT_EQ(e["code"], "bad_query");
  EXPECT_EQ(e["line"], 1);
  EXPECT_EQ(e["column"], 5);
  EXPECT_EQ(e["span"], (json{{"offset", 4}, {"length", 7}}));  // "SUPORTS"
  EXPECT_EQ(e["message"].get<std::string>().rfind("expected a verb after WHO", 0), 0u);  // the place is in the fields
  // A binder's error too: the unknown variable's line, column and span.
  auto unbound = c.Post("/query", R"({"query":"MATCH (c:Company)\nRETURN dd.name"})", "application/json");
  ASSERT_TRUE(unbound);
  EXPECT_EQ(unbound->status, 400);
  json u = Body(unbound)["error"];
  EXPECT_EQ(u["line"], 2);
  EXPECT_EQ(u["column"], 8);
  EXPECT_EQ(u["span"]["offset"], 25);
  auto broken = c.Post("/query", R"({"query": "WHO SUPPORTS RHEL")", "application/json");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400);
  EXPECT_EQ(Body(broken)["error"]["code"], "bad_json");
  auto type = c.Post("/query", R"({"query": "WHO SUPPORTS RHEL", "limit": "ten"})", "application/json");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->status, 400);
  auto unknown = c.Get("/entities/Nonexistent%20Corp");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Body(unknown)["error"]["code"], "not_found");
  auto nowhere = c.Get("/no/such/endpoint");
  ASSERT_TRUE(nowhere);
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_TRUE(Body(nowhere)["error"].is_object());
  auto unknown_in_query = c.Get("/query?q=WHO%20SUPPORTS%20Zorblax");
  ASSERT_TRUE(unknown_in_query);
  EXPECT_EQ(unknown_in_query->status, 404);
  // No file path of this machine leaks into an error.
  for (const httplib::Result* r : {&bad, &broken, &unknown, &nowhere}) EXPECT_EQ((*r)->body.find(PG_DATASETS_DIR), std::string::npos);
}

// A path the server answers, asked with another method, is 405 with the methods it takes; a
// limit's message tells an HTTP client about its request's fields, not command-line flags.
TEST(Server, WrongMethodsAre405AndLimitsSpeakHttp) {
  Served s;
  httplib::Client c = s.Client();
  auto del = c.Delete("/query");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, POST");
  EXPECT_EQ(Body(del)["error"]["code"], "method_not_allowed");
  auto post = c.Post("/entities/RHEL", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET");
  auto slow = c.Post("/query", R"js({"query": "MATCH (a)-[*1..6]-(b) RETURN count(*)", "timeout_ms": 20})js", "application/json");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 422);
  const std::string msg = Body(slow)["error"]["message"];
  EXPECT_NE(msg.find("timeout_ms"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("raise it with --timeout"), std::string::npos) << msg;
}

TEST(Server, ReadEndpoints) {
  Served s;
  httplib::Client c = s.Client();
  json health = Body(c.Get("/health"));
  EXPECT_EQ(health["status"], "ok");
  EXPECT_GT(health["entities"].get<int>(), 50);

  json card = Body(c.Get("/entities/RHEL"));
  EXPECT_EQ(card["name"], "Red Hat Enterprise Linux");
  EXPECT_EQ(card["type"], "Product");
  EXPECT_FALSE(card["incoming"].empty());
  EXPECT_FALSE(card["incoming"][0]["evidence"].empty());
  json by_id = Body(c.Get("/entities/" + std::to_string(card["id"].get<int>())));
  EXPECT_EQ(by_id["name"], "Red Hat Enterprise Linux");

  // The card is the one `show` prints: relations naming it as a qualifier too, and the counts.
  json hyperv = Body(c.Get("/entities/Hyper-V%20Server%202008"));
  ASSERT_FALSE(hyperv["qualifier_of"].empty()) << hyperv.dump();
  EXPECT_EQ(hyperv["qualifier_of"][0]["qualifiers"]["on"], "Hyper-V Server 2008");
  EXPECT_EQ(hyperv["counts"]["qualifier_of"].get<size_t>(), hyperv["qualifier_of"].size());
  EXPECT_EQ(Body(c.Get("/entities/%23" + std::to_string(card["id"].get<int>())))["name"], "Red Hat Enterprise Linux");

  json found = Body(c.Get("/search?q=Red%20H"));
  std::set<std::string> names;
  for (const json& m : found["matches"]) names.insert(m["name"]);
  EXPECT_TRUE(names.count("Red Hat")) << found.dump();
  EXPECT_TRUE(names.count("Red Hat Enterprise Linux"));

  json g = Body(c.Get("/graph?focus=RHEL&depth=1"));
  EXPECT_EQ(g["nodes"][0]["name"], "Red Hat Enterprise Linux");
  std::set<std::string> around;
  for (const json& n : g["nodes"]) around.insert(NormalizeKey(n["name"].get<std::string>()));
  EXPECT_TRUE(around.count("microsoft")) << g.dump();
  EXPECT_FALSE(g["edges"].empty());
  auto svg = c.Get("/graph.svg?focus=RHEL&depth=1");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->status, 200);
  EXPECT_NE(svg->body.find("<svg"), std::string::npos);
  EXPECT_NE(svg->body.find("Microsoft"), std::string::npos);
  auto deep = c.Get("/graph?focus=RHEL&depth=9");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 400);

  auto jsonl = c.Get("/export");
  ASSERT_TRUE(jsonl);
  EXPECT_NE(jsonl->body.find("\"kind\":\"relation\""), std::string::npos);
  auto graphml = c.Get("/export?format=graphml");
  ASSERT_TRUE(graphml);
  EXPECT_NE(graphml->body.find("</graphml>"), std::string::npos);
  auto dot = c.Get("/export?format=dot");
  ASSERT_TRUE(dot);
  EXPECT_NE(dot->body.find("SUPPORTS"), std::string::npos);
  EXPECT_EQ(dot->body.back(), '\n');
  auto pdf = c.Get("/export?format=pdf");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 400);

  json doc = Body(c.Get("/documents/1"));
  EXPECT_TRUE(doc.contains("title"));
  auto nodoc = c.Get("/documents/99999");
  ASSERT_TRUE(nodoc);
  EXPECT_EQ(nodoc->status, 404);

  json api = Body(c.Get("/openapi.json"));
  EXPECT_EQ(api["openapi"], "3.0.3");
  for (const char* p : {"/health", "/query", "/entities/{ref}", "/search", "/graph", "/export", "/documents", "/facts",
                        "/documents/{id}", "/metrics"}) {
    EXPECT_TRUE(api["paths"].contains(p)) << p;
  }
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("query-form"), std::string::npos);
  auto js = c.Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type").rfind("text/javascript", 0), 0u);

  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("pactgraph_http_requests_total{route=\"/entities/{ref}\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(metrics->body.find("pactgraph_http_request_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics->body.find("pactgraph_store_bytes"), std::string::npos);
}

TEST(Server, WritesNeedTheToken) {
  Served s;
  httplib::Client c = s.Client();
  const std::string release = "Title: Fjord news\nDate: 2021-03-04\n\nQuillware Corp. will support Red Hat Enterprise Linux on Fjord Cloud.\n";
  auto none = c.Post("/documents", release, "text/plain");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto wrong = c.Post("/documents", Auth("guess"), release, "text/plain");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  auto ok = c.Post("/documents?name=fjord.txt", Auth(), release, "text/plain");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body;
  json who = Body(c.Get("/query?q=WHO%20SUPPORTS%20RHEL%20ON%20%22Fjord%20Cloud%22"));
  ASSERT_EQ(who["rows"].size(), 1u) << who.dump();
  EXPECT_EQ(who["rows"][0]["evidence"][0]["document"], "Fjord news");
  auto again = c.Post("/documents?name=fjord.txt", Auth(), release, "text/plain");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_TRUE(Body(again)["already_imported"].get<bool>());
  auto binary = c.Post("/documents", Auth(), std::string("PK\x03\x04\0\0\0", 7), "application/octet-stream");
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->status, 422);

  auto facts = c.Post("/facts", Auth(), "{\"kind\":\"entity\",\"name\":\"Zed Corp\",\"type\":\"Company\"}\n{\"kind\":\"relation\",\"type\":\"BUYS\",\"subject\":\"Zed Corp\",\"object\":\"Zed Corp\"}\n",
                      "application/x-ndjson");
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->status, 422);
  json e = Body(facts)["error"];
  EXPECT_EQ(e["line"], 2);
  auto zed = c.Get("/entities/Zed%20Corp");
  ASSERT_TRUE(zed);
  EXPECT_EQ(zed->status, 404);  // nothing of the broken file was stored

  const std::string huge(20u << 20, 'a');
  auto big = c.Post("/documents", Auth(), huge, "text/plain");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(Body(big)["error"]["code"], "too_large");
}

TEST(Server, DocumentsAreListedAPageAtATimeEachWithItsFacts) {
  Served s;
  httplib::Client c = s.Client();
  json page = Body(c.Get("/documents?limit=5"));
  ASSERT_EQ(page["documents"].size(), 5u) << page.dump();
  EXPECT_EQ(page["total"], 12);  // the twelve releases; their import records are not listed
  EXPECT_EQ(page["next_offset"], 5);
  EXPECT_EQ(page["next"], "/documents?limit=5&offset=5");
  json last = Body(c.Get("/documents?limit=5&offset=10"));
  EXPECT_EQ(last["documents"].size(), 2u);
  EXPECT_TRUE(last["next"].is_null());
  const json& first = page["documents"][0];
  EXPECT_GT(first["facts"].get<uint64_t>(), 0u);
  EXPECT_EQ(first["locations"], json::array({"apple-ibm-2014.txt"}));  // the file it was imported from
  json one = Body(c.Get("/documents/" + std::to_string(first["id"].get<uint64_t>())));
  EXPECT_EQ(one["locations"], first["locations"]);
  EXPECT_EQ(one["facts"].size(), first["facts"].get<size_t>());
  EXPECT_FALSE(one["text"].get<std::string>().empty());
  EXPECT_EQ(c.Get("/documents?limit=0")->status, 400);
  EXPECT_EQ(c.Get("/documents?offset=-1")->status, 400);
}

TEST(Server, ReadOnlyHasNoWriteEndpoints) {
  ServerOptions o;
  o.read_only = true;
  Served s(o);
  httplib::Client c = s.Client();
  // GET /documents lists them; writing to it is refused, saying why.
  auto r = c.Post("/documents", Auth(), "Title: x\n\nSome text here.\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET");
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("read-only"), std::string::npos);
  EXPECT_EQ(c.Get("/documents")->status, 200);
  EXPECT_FALSE(Body(c.Get("/openapi.json"))["paths"].contains("/facts"));
  EXPECT_EQ(Body(c.Get("/health"))["read_only"], true);
}

// Security: loopback unless told, tokens matched whole, and a name from a request is a key,
// never a path that reaches the filesystem.
TEST(Server, SecurityDefaults) {
  EXPECT_EQ(ServerOptions{}.bind, "127.0.0.1");
  Served s;
  httplib::Client c = s.Client();
  const std::string release = "Title: Path news\nDate: 2021-03-04\n\nQuillware Corp. will support Fjord OS on Fjord Cloud.\n";
  for (const std::string& t : {std::string(kToken).substr(0, 5), std::string(kToken) + "x", std::string(kToken).substr(1), std::string("")}) {
    auto r = c.Post("/documents", {{"Authorization", "Bearer " + t}}, release, "text/plain");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, t.empty() ? 401 : 403) << t;
  }
  pactgraph::testing::TempDir probe;
  const std::string target = probe.File("written-by-request.txt");
  auto r = c.Post("/documents?name=" + httplib::detail::encode_query_param("../../../../" + target), Auth(), release, "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_FALSE(fs::exists(target));
  auto etc = c.Post("/documents?name=%2Fetc%2Fpasswd", Auth(), release + "More text.\n", "text/plain");
  ASSERT_TRUE(etc);
  EXPECT_EQ(etc->status, 201);
  json who = Body(c.Get("/query?q=WHO%20SUPPORTS%20%22Fjord%20OS%22"));
  ASSERT_FALSE(who["rows"].empty());
  for (const json& row : who["rows"]) {
    for (const json& e : row["evidence"]) EXPECT_EQ(e["text"].get<std::string>().find("root:"), std::string::npos);
  }
}

// Readers on snapshots while imports write: every answer counts a document's facts all or none.
TEST(Server, ConcurrentQueriesNeverSeeHalfADocument) {
  Served s;
  constexpr int kDocs = 6, kPerDoc = 40;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, answers{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      httplib::Client c = s.Client();
      while (!done.load()) {
        auto r = c.Post("/query", R"({"query":"MATCH (c:Company)-[:DEVELOPS]->(p:Product) WHERE c.name = 'Batchco' RETURN count(*) AS n"})",
                        "application/json");
        if (!r || r->status != 200) {
          ++bad;
          continue;
        }
        json a = json::parse(r->body, nullptr, false);
        const int n = a["rows"].empty() ? 0 : a["rows"][0]["values"]["n"].get<int>();
        if (n % kPerDoc != 0) ++bad;
        ++answers;
      }
    });
  }
  httplib::Client w = s.Client();
  for (int d = 0; d < kDocs; ++d) {
    std::string facts = "{\"kind\":\"entity\",\"name\":\"Batchco\",\"type\":\"Company\"}\n";
    for (int i = 0; i < kPerDoc; ++i) {
      facts += "{\"kind\":\"relation\",\"type\":\"DEVELOPS\",\"subject\":\"Batchco\",\"object\":\"Batch product " +
               std::to_string(d) + "-" + std::to_string(i) + "\"}\n";
    }
    auto r = w.Post("/facts", Auth(), facts, "application/x-ndjson");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(answers.load(), 0);
  json last = Body(w.Post("/query", R"({"query":"MATCH (c:Company)-[:DEVELOPS]->(p:Product) WHERE c.name = 'Batchco' RETURN count(*) AS n"})",
                          "application/json"));
  EXPECT_EQ(last["rows"][0]["values"]["n"], kDocs * kPerDoc);
}

// A client at its bound of connections opens one more: its oldest idle connection is closed to
// make room, and the new one is answered.
TEST(Server, PastTheClientBoundTheOldestIdleConnectionGivesWay) {
  ServerOptions o;
  o.max_client_connections = 3;
  Served s(o);
  RawConnection oldest(s.port());
  RawConnection second(s.port());
  RawConnection third(s.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // admitted on the server's thread
  RawConnection fourth(s.port());
  fourth.Send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(fourth.ReadAll().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_TRUE(oldest.ClosedWithin(2));
  EXPECT_FALSE(second.ClosedWithin(0));
  httplib::Client c = s.Client();
  auto m = c.Get("/metrics");
  ASSERT_TRUE(m);
  // At least the oldest; the metrics request's own connection may have made room too.
  EXPECT_EQ(m->body.find("pactgraph_http_connections_closed_total{why=\"evicted\"} 0\n"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("pactgraph_http_connections_closed_total{why=\"evicted\"} "), std::string::npos) << m->body;
}

// When every connection of a client at its bound is inside a request, a new one gets 503.
TEST(Server, PastTheClientBoundWithNoneIdleANewConnectionGets503) {
  ServerOptions o;
  o.max_client_connections = 2;
  o.threads = 1;
  Served s(o);
  // Two requests whose bodies never come: one holds the only worker, one waits for it.
  const std::string stuck = "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
  RawConnection a(s.port()), b(s.port());
  a.Send(stuck);
  b.Send(stuck);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RawConnection third(s.port());
  third.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = third.ReadAll();
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"code\":\"busy\""), std::string::npos) << answer;
}

// Requests written back to back in one write are all answered, in order.
TEST(Server, PipelinedRequestsAreAllAnswered) {
  Served s;
  RawConnection c(s.port());
  c.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /search?q=Micro HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string all = c.ReadAll();
  size_t answers = 0;
  for (size_t at = all.find("HTTP/1.1 200"); at != std::string::npos; at = all.find("HTTP/1.1 200", at + 1)) ++answers;
  EXPECT_EQ(answers, 3u) << all;
  EXPECT_LT(all.find("\"status\":\"ok\""), all.find("\"matches\"")) << all;
}

}  // namespace
}  // namespace pactgraph::server
