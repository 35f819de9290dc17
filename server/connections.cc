#include "server/internal/connections.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace pactgraph::server::internal {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd = -1;
  std::string client;  // the peer's address: what the per-client bound counts
  int client_port = 0;
  std::string local;
  int local_port = 0;
  std::string buf;     // bytes read and not yet taken by a request, from `off`
  size_t off = 0;
  Clock::time_point since;  // when it began waiting, or when its head's first byte came
  size_t served = 0;
  bool close_after = false;
  bool evict = false;       // to be closed by the waiter: another connection has its place
  bool lingering = false;   // answered and shut for writing; what the client still sends is dropped

  size_t buffered() const { return buf.size() - off; }
  bool HeadComplete(size_t max_head) const {
    return buf.find("\r\n\r\n", off) != std::string::npos || buffered() > max_head;
  }
  void Compact() {
    buf.erase(0, off);
    off = 0;
  }
};

namespace {

thread_local Connection* tl_serving = nullptr;

// How long a connection answered before its request's body was read keeps taking (and
// dropping) bytes, so that the client, still sending, gets to read the answer.
constexpr double kLingerSeconds = 2;

int Millis(double seconds) { return static_cast<int>(std::max(0.0, seconds) * 1000); }

// Waits up to `ms` for `events` on `fd`; false on a timeout or an error.
bool PollOne(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR));
}

void Address(const sockaddr_storage& a, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    *port = ntohs(v4->sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    *port = ntohs(v6->sin6_port);
  }
  *ip = text;
}

// httplib's view of a connection: reads come from the connection's buffer first, so bytes read
// past one request stay for the next.
class BufferedSocketStream : public httplib::Stream {
 public:
  BufferedSocketStream(Connection& c, const ConnectionLimits& limits)
      : c_(c), read_ms_(Millis(limits.read_timeout_s)), write_ms_(Millis(limits.write_timeout_s)) {}

  bool is_readable() const override { return c_.buffered() > 0 || PollOne(c_.fd, POLLIN, read_ms_); }
  bool is_writable() const override { return PollOne(c_.fd, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.buffered() == 0) {
      c_.buf.clear();
      c_.off = 0;
      if (!PollOne(c_.fd, POLLIN, read_ms_)) return -1;
      // A large read goes straight to the caller; a small one (httplib reads a head byte by
      // byte) through the buffer.
      if (size >= kChunk) return Recv(ptr, size);
      char chunk[kChunk];
      const ssize_t n = Recv(chunk, sizeof chunk);
      if (n <= 0) return n;
      c_.buf.assign(chunk, static_cast<size_t>(n));
    }
    const size_t n = std::min(size, c_.buffered());
    std::memcpy(ptr, c_.buf.data() + c_.off, n);
    c_.off += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(c_.fd, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.client;
    port = c_.client_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }

 private:
  static constexpr size_t kChunk = 16 << 10;

  ssize_t Recv(char* ptr, size_t size) {
    ssize_t n;
    do {
      n = ::recv(c_.fd, ptr, size, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  Connection& c_;
  const int read_ms_;
  const int write_ms_;
};

// httplib hands each accepted socket to its task queue; this one runs the task on the accepting
// thread at once, since all the task does is give the socket to the waiter.
class RunAtOnce : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// What a connection past the bounds is told before it is closed.
std::string BusyResponse() {
  const std::string body =
      "{\"error\":{\"code\":\"busy\",\"column\":null,\"line\":null,"
      "\"message\":\"too many connections from this address are in use; try again\"}}\n";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 1\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

ConnectionServer::ConnectionServer(ConnectionLimits limits) : limits_(limits) {
  if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
  new_task_queue = [] { return new RunAtOnce; };
  waiter_ = std::thread([this] { Wait(); });
  for (int i = 0; i < std::max(1, limits_.workers); ++i) workers_.emplace_back([this] { Work(); });
}

ConnectionServer::~ConnectionServer() {
  Drain();
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void ConnectionServer::Drain() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  Wake();
  work_cv_.notify_all();
  if (waiter_.joinable()) waiter_.join();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
}

void ConnectionServer::CloseAfterResponse() {
  if (tl_serving) tl_serving->close_after = true;
}

ConnectionCounts ConnectionServer::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void ConnectionServer::Wake() {
  const char b = 1;
  if (wake_[1] >= 0) (void)!::write(wake_[1], &b, 1);  // a full pipe already wakes the waiter
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  Admit(sock);
  return true;
}

void ConnectionServer::Admit(int fd) {
  auto c = std::make_unique<Connection>();
  c->fd = fd;
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) Address(a, &c->client, &c->client_port);
  len = sizeof a;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) Address(a, &c->local, &c->local_port);
  c->since = Clock::now();

  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) {
    lock.unlock();
    ::close(fd);
    return;
  }
  // Past a bound, the oldest waiting connection (of this client, or of any) gives up its place:
  // a connection between requests may be closed at any time, and its client opens another.
  auto make_room = [&](bool same_client) {
    for (auto& w : waiting_) {
      if (w->evict || (same_client && w->client != c->client)) continue;
      w->evict = true;
      Release(w->client);
      ++counts_.evicted;
      return true;
    }
    return false;
  };
  auto mine = per_client_.find(c->client);
  const size_t held = mine == per_client_.end() ? 0 : mine->second;
  if ((held >= limits_.max_per_client && !make_room(true)) || (counts_.open >= limits_.max_total && !make_room(false))) {
    ++counts_.refused;
    lock.unlock();
    const std::string busy = BusyResponse();
    (void)!::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    return;
  }
  ++per_client_[c->client];
  ++counts_.open;
  ++counts_.accepted;
  waiting_.push_back(std::move(c));
  lock.unlock();
  Wake();
}

void ConnectionServer::Finish(std::unique_ptr<Connection> c) {
  ::shutdown(c->fd, SHUT_RDWR);
  ::close(c->fd);
  if (c->evict) return;  // its place went to another when it was marked
  std::lock_guard<std::mutex> lock(mu_);
  Release(c->client);
}

void ConnectionServer::Release(const std::string& client) {
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);  // no entry kept per address seen
  --counts_.open;
}

void ConnectionServer::Wait() {
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = now + std::chrono::seconds(1);
    std::vector<std::unique_ptr<Connection>> done;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      Connection& c = **it;
      const double limit = c.lingering ? kLingerSeconds : c.buffered() > 0 ? limits_.read_timeout_s : limits_.idle_timeout_s;
      const auto deadline = c.since + std::chrono::milliseconds(Millis(limit));
      if (stopping_ || c.evict || now >= deadline) {
        if (!stopping_ && !c.evict && !c.lingering) ++counts_.timed_out;
        done.push_back(std::move(*it));
        it = waiting_.erase(it);
        continue;
      }
      if (!c.lingering && c.HeadComplete(limits_.max_head_bytes)) {  // a pipelined request, read with the last
        queued_.push_back(std::move(*it));
        it = waiting_.erase(it);
        work_cv_.notify_one();
        continue;
      }
      next = std::min(next, deadline);
      ++it;
    }
    if (!done.empty()) {
      lock.unlock();
      for (auto& c : done) Finish(std::move(c));
      lock.lock();
    }
    // A worker may have handed a connection back while the lock was let go above: the loop
    // closes it (stopping_ marks every waiting connection done) before the waiter leaves.
    if (stopping_) {
      if (waiting_.empty()) return;
      continue;
    }

    fds.assign(1, pollfd{wake_[0], POLLIN, 0});
    polled.assign(1, nullptr);
    for (auto& c : waiting_) {
      fds.push_back(pollfd{c->fd, POLLIN, 0});
      polled.push_back(c.get());
    }
    const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count()) + 1;
    // Only this thread removes from waiting_, so the pointers polled stay valid unlocked.
    lock.unlock();
    int n;
    do {
      n = ::poll(fds.data(), fds.size(), ms);
    } while (n < 0 && errno == EINTR);
    if (fds[0].revents & POLLIN) {
      char sink[256];
      while (::read(wake_[0], sink, sizeof sink) > 0) {
      }
    }
    for (size_t i = 1; n > 0 && i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      Connection& c = *polled[i];
      char chunk[16 << 10];
      ssize_t got;
      do {
        got = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
      } while (got < 0 && errno == EINTR);
      if (got > 0 && c.lingering) {
        for (int more = 0; more < 64 && ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT) > 0; ++more) {
        }
      } else if (got > 0) {
        if (c.buffered() == 0) {
          c.buf.clear();
          c.off = 0;
          c.since = Clock::now();  // the head's time starts at its first byte
        }
        c.buf.append(chunk, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        // The client went away: its place is freed now, and the next round closes it.
        std::lock_guard<std::mutex> relock(mu_);
        if (!c.evict) {
          c.evict = true;
          Release(c.client);
        }
      }
    }
    lock.lock();
  }
}

void ConnectionServer::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, and every queued request answered
    std::unique_ptr<Connection> c = std::move(queued_.front());
    queued_.pop_front();
    const bool last = stopping_ || c->served + 1 >= limits_.max_requests;
    lock.unlock();

    bool closed = false;
    bool ok = false;
    if (!c->evict) {
      BufferedSocketStream stream(*c, limits_);
      tl_serving = c.get();
      ok = process_request(stream, last, closed, nullptr);
      tl_serving = nullptr;
      ++c->served;
      c->Compact();
    }
    // A response sent before its request's body was read (a 413, a 401) reaches a client that is
    // still sending only if the connection stays open a while, dropping what comes: closing
    // with unread bytes would reset it and lose the response.
    const bool linger = ok && c->close_after && !c->evict;
    if (!linger && (!ok || closed || last || c->close_after || c->evict)) {
      Finish(std::move(c));
      lock.lock();
      continue;
    }
    lock.lock();
    if (stopping_) {
      lock.unlock();
      Finish(std::move(c));
      lock.lock();
      continue;
    }
    if (linger) {
      ::shutdown(c->fd, SHUT_WR);
      c->lingering = true;
    }
    c->since = Clock::now();
    waiting_.push_back(std::move(c));
    lock.unlock();
    Wake();
    lock.lock();
  }
}

}  // namespace pactgraph::server::internal
