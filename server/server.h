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
#include "storage/store.h"

namespace pactgraph::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (Bind() returns it)
  std::string token;               // needed by the write endpoints; none: writes are refused
  bool read_only = false;          // the write endpoints do not exist
  int threads = 8;                 // requests served at once
  size_t max_body_bytes = 16u << 20;
  double query_timeout_s = 10;     // the most a query may run (a request may ask for less)
  uint64_t max_rows = 1000;        // the most rows a query returns (a request may ask for fewer)
  uint64_t max_query_memory_bytes = uint64_t{256} << 20;  // the most one query may hold (past it, 422)
  int read_timeout_s = 10;         // a connection's read and write timeouts
  int write_timeout_s = 10;
  int max_graph_nodes = 150;       // a neighbourhood is cut at this many entities
};

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
