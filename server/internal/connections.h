// The embedded server's connections, kept off the worker threads while they wait.
//
// cpp-httplib 0.11.4 gives each accepted connection a pool thread for as long as the connection
// lives, and reads each of its requests through a new SocketStream. Two things follow: a client
// that connects and sends nothing holds a worker until the keep-alive timeout, so a few idle
// sockets starve the pool; and the bytes a SocketStream has read past the end of one request (a
// second request pipelined behind it) are thrown away with that stream, so the second request is
// never answered. ConnectionServer keeps httplib's request parsing and routing (its protected
// process_request) and replaces what it does per connection (the virtual
// process_and_close_socket):
//  - one waiter thread polls every connection that is between requests; a connection goes to a
//    worker only when its request head (request line and headers) has fully arrived;
//  - a connection that sends nothing for idle_timeout_s, or whose head has not arrived within
//    read_timeout_s of its first byte, is closed by the waiter, holding no worker meanwhile;
//  - each connection reads through one buffered stream for its whole life, so pipelined requests
//    are answered in order;
//  - one client address holds at most max_per_client connections and all clients max_total: a
//    connection past either bound closes the oldest waiting connection (of that address, or of
//    any) in its place, or when none is waiting is answered 503 and closed.
//
// Thread safety: the public calls may come from any thread. Handlers run on the worker threads.
#ifndef PACTGRAPH_SERVER_INTERNAL_CONNECTIONS_H_
#define PACTGRAPH_SERVER_INTERNAL_CONNECTIONS_H_

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pactgraph::server::internal {

struct ConnectionLimits {
  int workers = 8;                  // requests served at once
  double idle_timeout_s = 5;        // the longest a connection may wait, sending nothing, for its next request
  double read_timeout_s = 10;       // a request's head must arrive within this of its first byte; a body read waits this long
  double write_timeout_s = 10;      // a write waits this long for the client to take bytes
  size_t max_per_client = 128;      // connections one client address holds at once
  size_t max_total = 512;           // connections all clients hold at once
  size_t max_requests = 1000;       // requests on one connection before it is closed
  size_t max_head_bytes = 64 << 10; // a head longer than this goes to httplib to be refused
};

struct ConnectionCounts {
  uint64_t accepted = 0;
  uint64_t refused = 0;    // past a bound with no waiting connection to close: 503
  uint64_t evicted = 0;    // waiting connections closed to make room for a new one
  uint64_t timed_out = 0;  // closed by the idle or head timeout
  size_t open = 0;         // now: waiting, queued or being served
};

struct Connection;

class ConnectionServer : public httplib::Server {
 public:
  explicit ConnectionServer(ConnectionLimits limits);
  ~ConnectionServer() override;
  ConnectionServer(const ConnectionServer&) = delete;
  ConnectionServer& operator=(const ConnectionServer&) = delete;

  // Once listen_after_bind() has returned: closes the waiting connections, lets the workers
  // answer the requests they hold or have queued (each with "Connection: close"), joins them.
  // Idempotent.
  void Drain();

  // From a handler: the connection serving the calling thread's request is closed once the
  // response is written (for a request whose body was left unread, whose bytes would otherwise
  // be taken for the next request). Does nothing outside a handler.
  static void CloseAfterResponse();

  ConnectionCounts counts() const;

 private:
  bool process_and_close_socket(socket_t sock) override;
  void Admit(int fd);
  void Wait();
  void Work();
  void Finish(std::unique_ptr<Connection> c);  // closes it, and frees its place
  void Release(const std::string& client);      // frees a place; mu_ held
  void Wake();

  const ConnectionLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::list<std::unique_ptr<Connection>> waiting_;  // oldest first; only the waiter removes
  std::deque<std::unique_ptr<Connection>> queued_;  // heads complete, for a worker
  std::map<std::string, size_t> per_client_;        // open connections by client address
  ConnectionCounts counts_;
  uint64_t next_serial_ = 0;
  bool stopping_ = false;
  int wake_[2] = {-1, -1};
  std::thread waiter_;
  std::vector<std::thread> workers_;
};

}  // namespace pactgraph::server::internal

#endif  // PACTGRAPH_SERVER_INTERNAL_CONNECTIONS_H_
