// The executor's building blocks, shared by the planners (planner.cc, whole_graph.cc, match.cc):
// the row that flows between operators, the time and cancel guard, the memory budget, and the
// pull-based operator interface. Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_OPERATORS_H_
#define PACTGRAPH_QUERY_INTERNAL_OPERATORS_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "graph/model.h"
#include "graph/status.h"
#include "graph/text.h"
#include "query/engine.h"

namespace pactgraph::query {

using Clock = std::chrono::steady_clock;

// What flows between operators: a chain of relations (one for most questions, two for
// "who said about", where the claim links them).
struct Row {
  std::vector<Relation> rels;
  // MATCH: the entity of each node variable and the relations of each relation variable (by
  // slot), then the projected values and the sort keys.
  std::vector<EntityId> nodes;
  std::vector<std::vector<Relation>> edges;
  std::vector<Value> values;
  std::vector<Value> keys;
  // The sources a row tells itself (a timeline's step); when set, its relations' are not read.
  std::vector<Evidence> evidence;
  // The claims linked to the row's fact (CONFLICTS, TIMELINE, a Claim's card).
  std::vector<LinkedClaim> claims;
};

// Stops a query at its deadline or when it is cancelled.
class Guard {
 public:
  // `hint` says how to raise the limit (LimitHints::timeout).
  Guard(Clock::time_point deadline, const std::atomic<bool>* cancelled, double timeout_s, std::string hint)
      : deadline_(deadline), cancelled_(cancelled), timeout_s_(timeout_s), hint_(std::move(hint)) {}
  Status Check() {
    if ((++ticks_ & 0xFF) != 0) return Status::OK();
    if (cancelled_->load()) return Status::Aborted("the query was cancelled");
    if (Clock::now() > deadline_) {
      std::ostringstream m;
      m << "the query ran past its time limit of " << timeout_s_ << " s (" << hint_ << ")";
      return Status::ResourceExhausted(m.str());
    }
    return Status::OK();
  }

 private:
  Clock::time_point deadline_;
  const std::atomic<bool>* cancelled_;
  double timeout_s_;
  std::string hint_;
  uint64_t ticks_ = 0;
};

// What one query holds in memory at once, counted against Limits::max_memory_bytes where it
// accumulates: rows kept for ORDER BY, DISTINCT's and count()'s keys, candidates a pattern has
// still to walk, entities and documents read, the rows of the answer. The figures are estimates
// from the sizes of the values held (strings, vectors, map nodes), near enough to stop a query
// long before it exhausts the machine; the graph projection PATH and RANK share between queries
// is the engine's, not a query's, and is not counted.
class MemoryBudget {
 public:
  // `hint` says what to do about it (LimitHints::memory).
  explicit MemoryBudget(uint64_t limit, std::string hint = LimitHints().memory) : limit_(limit), hint_(std::move(hint)) {}
  // Counts `bytes` more held for `what` ("the rows ORDER BY sorts"); kResourceExhausted once
  // the query holds more than its limit.
  Status Charge(uint64_t bytes, std::string_view what) {
    held_ += bytes;
    peak_ = std::max(peak_, held_);
    if (held_ <= limit_) return Status::OK();
    return Status::ResourceExhausted("the query needs more than " + Amount(limit_) + " of memory for " + std::string(what) +
                                     "; " + hint_);
  }
  // Counts `bytes` given back.
  void Release(uint64_t bytes) { held_ -= std::min(bytes, held_); }
  uint64_t held() const { return held_; }
  uint64_t peak() const { return peak_; }

  // "256 MB" for whole mebibytes, else "300,000 bytes".
  static std::string Amount(uint64_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return WithThousands(bytes >> 20) + " MB";
    return WithThousands(bytes) + " bytes";
  }

 private:
  uint64_t limit_;
  std::string hint_;
  uint64_t held_ = 0;
  uint64_t peak_ = 0;
};

// Estimated heap bytes of what a query holds, for MemoryBudget: the object itself and what it
// owns. A string longer than the small-string buffer costs its length and an allocation's
// overhead; a map or set entry costs a node.
constexpr uint64_t kAllocationOverhead = 16;
constexpr uint64_t kNodeOverhead = 48;  // a map or hash-set node: links, hash, allocation
inline uint64_t OwnedBytes(const std::string& s) { return s.size() > 15 ? s.size() + 1 + kAllocationOverhead : 0; }
inline uint64_t ApproxBytes(const std::string& s) { return sizeof(std::string) + OwnedBytes(s); }
inline uint64_t OwnedBytes(const std::map<std::string, std::string>& m) {
  uint64_t n = 0;
  for (const auto& [k, v] : m) n += kNodeOverhead + ApproxBytes(k) + ApproxBytes(v);
  return n;
}
inline uint64_t ApproxBytes(const Value& v) { return sizeof(Value) + OwnedBytes(v.text); }
inline uint64_t ApproxBytes(const Relation& r) {
  uint64_t n = sizeof(Relation) + OwnedBytes(r.type) + OwnedBytes(r.properties);
  if (!r.qualifiers.empty()) n += kAllocationOverhead;
  for (const Qualifier& q : r.qualifiers) n += sizeof(Qualifier) + OwnedBytes(q.slot) + OwnedBytes(q.literal);
  return n;
}
template <typename T>
uint64_t ApproxBytes(const std::vector<T>& v);
template <typename T>
uint64_t OwnedBytes(const std::vector<T>& v) {
  if (v.empty()) return 0;
  uint64_t n = kAllocationOverhead;
  if constexpr (std::is_trivially_copyable_v<T>) {
    n += v.size() * sizeof(T);
  } else {
    for (const T& x : v) n += ApproxBytes(x);
  }
  return n;
}
template <typename T>
uint64_t ApproxBytes(const std::vector<T>& v) {
  return sizeof(v) + OwnedBytes(v);
}
inline uint64_t ApproxBytes(const Row& r) {
  return sizeof(Row) + OwnedBytes(r.rels) + OwnedBytes(r.nodes) + OwnedBytes(r.edges) + OwnedBytes(r.values) + OwnedBytes(r.keys);
}
inline uint64_t ApproxBytes(const Entity& e) {
  return kNodeOverhead + sizeof(Entity) + OwnedBytes(e.type) + OwnedBytes(e.name) + OwnedBytes(e.aliases) + OwnedBytes(e.properties);
}
inline uint64_t ApproxBytes(const Evidence& e) {
  return sizeof(Evidence) + OwnedBytes(e.document) + OwnedBytes(e.publisher) + OwnedBytes(e.url) + OwnedBytes(e.date) +
         OwnedBytes(e.text);
}

class Op {
 public:
  virtual ~Op() = default;
  // Pull one row; false at the end.
  Result<bool> Pull(Row* row) {
    const auto t0 = Clock::now();
    Result<bool> r = Next(row);
    seconds_ += std::chrono::duration<double>(Clock::now() - t0).count();
    if (r.ok() && *r) ++rows_;
    return r;
  }
  virtual std::string Label() const = 0;
  void Render(std::ostream& out, int depth, bool profile) const {
    out << std::string(static_cast<size_t>(2 * depth), ' ') << Label();
    if (profile) out << "   [rows " << WithThousands(rows_) << ", " << FormatTime(seconds_) << "]";
    out << "\n";
    if (child_) child_->Render(out, depth + 1, profile);
  }
  std::unique_ptr<Op> child_;

 protected:
  virtual Result<bool> Next(Row* row) = 0;

 private:
  static std::string FormatTime(double s) {
    std::ostringstream o;
    o.precision(3);
    if (s < 1e-3) {
      o << s * 1e6 << " us";
    } else {
      o << s * 1e3 << " ms";
    }
    return o.str();
  }
  uint64_t rows_ = 0;
  double seconds_ = 0;
};

class Filter : public Op {
 public:
  using Pred = std::function<Result<bool>(const Row&)>;
  Filter(std::unique_ptr<Op> child, std::string label, Pred pred, Guard* guard)
      : label_(std::move(label)), pred_(std::move(pred)), guard_(guard) {
    child_ = std::move(child);
  }
  std::string Label() const override { return "Filter " + label_; }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      PG_RETURN_IF_ERROR(guard_->Check());
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
      PG_ASSIGN_OR_RETURN(bool keep, pred_(*row));
      if (keep) return true;
    }
  }

 private:
  std::string label_;
  Pred pred_;
  Guard* guard_;
};

// Computes each row's values from what it carries (SHOW's card rows from their relation).
class ComputeValues : public Op {
 public:
  using Fn = std::function<Status(Row*)>;
  ComputeValues(std::unique_ptr<Op> child, std::string label, Fn fn) : label_(std::move(label)), fn_(std::move(fn)) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
    if (!more) return false;
    PG_RETURN_IF_ERROR(fn_(row));
    return true;
  }

 private:
  std::string label_;
  Fn fn_;
};

class Materialized : public Op {
 public:
  Materialized(std::string label, std::vector<Row> rows) : label_(std::move(label)), rows_(std::move(rows)) {}
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    if (pos_ == rows_.size()) return false;
    *row = rows_[pos_++];
    return true;
  }

 private:
  std::string label_;
  std::vector<Row> rows_;
  size_t pos_ = 0;
};

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_OPERATORS_H_
