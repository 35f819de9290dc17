// The embedded HTTP endpoint (`pactgraph serve`): JSON endpoints for questions, entity cards,
// name completion, neighbourhoods, export and import, Prometheus metrics, an OpenAPI document,
// and a web page built into the binary. cpp-httplib serves; every read runs on a store snapshot,
// every write is one atomic import unit.
#ifndef PACTGRAPH_SERVER_SERVER_H_
#define PACTGRAPH_SERVER_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "graph/status.h"
#include "query/engine.h"
#include "storage/store.h"

namespace pactgraph::ingest {
class Gazetteer;
class RuleSet;
class SentenceParser;
}  // namespace pactgraph::ingest

namespace pactgraph::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (Bind() returns it)
  std::string token;               // needed by the write endpoints; none: writes are refused
  bool read_only = false;          // the write endpoints do not exist
  // Types and resolves the names of posted articles (not owned; may be null: no gazetteer).
  const ingest::Gazetteer* gazetteer = nullptr;
  // Read posted articles' sentences (not owned; null: the shipped rules, the chunker alone).
  const ingest::RuleSet* rules = nullptr;
  const ingest::SentenceParser* parser = nullptr;
  int threads = 8;                 // requests served at once
  size_t max_body_bytes = 16u << 20;
  double query_timeout_s = 10;     // the most a query may run (a request may ask for less)
  uint64_t max_rows = 1000;        // the most rows a query returns (a request may ask for fewer)
  uint64_t max_query_memory_bytes = uint64_t{256} << 20;  // the most one query may hold (past it, 422)
  int read_timeout_s = 10;         // a request's head must arrive within this of its first byte;
  int write_timeout_s = 10;        // each read of a body, and each write, waits at most this
  double idle_timeout_s = 5;       // a connection sending nothing is closed after this
  size_t max_client_connections = 128;  // connections one client address may hold open
  size_t max_connections = 512;         // connections all clients may hold open
  int max_graph_nodes = 150;       // a neighbourhood is cut at this many entities
  // Facts whose best source's confidence is below this are candidates, left out of answers
  // unless a request asks for them ("candidates": true, ?candidates=true).
  double min_confidence = query::kDefaultMinConfidence;
};

// Connections wait for their requests on one polling thread, not on the `threads` workers: a
// worker is taken only once a request's head has arrived, so idle or slow clients cannot starve
// the workers. Requests pipelined on one connection are answered in order. Past
// max_client_connections (or max_connections), a new connection closes the oldest idle one, or
// when none is idle gets 503. A failure of the store (I/O, corruption, a bug) is a 500 whose
// message names no file; the whole message goes to stderr.
class Server {
 public:
  // `store` must outlive the server; it is written only by the write endpoints.
  Server(storage::Store& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the socket: the port bound (the chosen one when options.port is 0).
  Result<int> Bind();
  // Serves until Stop(); requests in flight finish before it returns.
  Status Serve();
  // Stops accepting and ends Serve() (safe from another thread).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactgraph::server

#endif  // PACTGRAPH_SERVER_SERVER_H_
