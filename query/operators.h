// The executor's building blocks, shared by the planners of engine.cc and match.cc: the row that
// flows between operators, the time and cancel guard, and the pull-based operator interface.
// Internal to the query module.
#ifndef PACTGRAPH_QUERY_OPERATORS_H_
#define PACTGRAPH_QUERY_OPERATORS_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
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
};

// Stops a query at its deadline or when it is cancelled.
class Guard {
 public:
  Guard(Clock::time_point deadline, const std::atomic<bool>* cancelled, double timeout_s)
      : deadline_(deadline), cancelled_(cancelled), timeout_s_(timeout_s) {}
  Status Check() {
    if ((++ticks_ & 0xFF) != 0) return Status::OK();
    if (cancelled_->load()) return Status::Aborted("the query was cancelled");
    if (Clock::now() > deadline_) {
      std::ostringstream m;
      m << "the query ran past its time limit of " << timeout_s_ << " s (raise it with --timeout)";
      return Status::ResourceExhausted(m.str());
    }
    return Status::OK();
  }

 private:
  Clock::time_point deadline_;
  const std::atomic<bool>* cancelled_;
  double timeout_s_;
  uint64_t ticks_ = 0;
};

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

#endif  // PACTGRAPH_QUERY_OPERATORS_H_
