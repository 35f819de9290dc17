// The operators of WHO SAID ABOUT, which keeps its own: a scan of one entity's adjacency and the
// expansion of a row's subject (a claim ABOUT x, then who SAID it). The other questions are
// planned as MATCH patterns (match.h). Internal to the query module.
#ifndef PACTGRAPH_QUERY_INTERNAL_SCANS_H_
#define PACTGRAPH_QUERY_INTERNAL_SCANS_H_

#include <memory>
#include <string>
#include <vector>

#include "graph/model.h"
#include "graph/text.h"
#include "query/internal/operators.h"
#include "storage/store.h"

namespace pactgraph::query {

// The relations of one entity through the adjacency index. For a symmetric relation type both
// directions are read, and each relation is turned so that the entity is on the asked side.
class AdjacencyScan : public Op {
 public:
  AdjacencyScan(const storage::Store& store, const storage::Snapshot& snap, EntityId id, std::string name,
                bool outgoing, std::string type, bool symmetric, uint64_t estimate)
      : store_(store), snap_(snap), id_(id), name_(std::move(name)), outgoing_(outgoing), type_(std::move(type)),
        symmetric_(symmetric), estimate_(estimate) {}
  std::string Label() const override {
    std::string s = "AdjacencyScan " + std::string(outgoing_ ? "out of " : "into ") + name_ + " " + type_;
    if (symmetric_) s += " (symmetric: both directions)";
    if (estimate_) s += "   est. " + WithThousands(estimate_) + " rows";
    return s;
  }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      if (!cursor_) {
        if (pass_ == (symmetric_ ? 2 : 1)) return false;
        const bool out = pass_ == 0 ? outgoing_ : !outgoing_;
        cursor_ = std::make_unique<storage::RelationCursor>(out ? store_.Outgoing(snap_, id_, type_)
                                                                : store_.Incoming(snap_, id_, type_));
        cursor_out_ = out;
        ++pass_;
      }
      if (cursor_->Valid()) {
        row->rels.assign(1, cursor_->relation());
        if (cursor_out_ != outgoing_) std::swap(row->rels[0].subject, row->rels[0].object);
        cursor_->Next();
        return true;
      }
      PG_RETURN_IF_ERROR(cursor_->status());
      cursor_.reset();
    }
  }

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  EntityId id_;
  std::string name_;
  bool outgoing_;
  std::string type_;
  bool symmetric_;
  uint64_t estimate_;
  int pass_ = 0;
  bool cursor_out_ = true;
  std::unique_ptr<storage::RelationCursor> cursor_;
};

// For each input row, the relations of the subject of its last relation, appended to the row.
class ExpandSubject : public Op {
 public:
  ExpandSubject(std::unique_ptr<Op> child, const storage::Store& store, const storage::Snapshot& snap,
                bool outgoing, std::string type)
      : store_(store), snap_(snap), outgoing_(outgoing), type_(std::move(type)) {
    child_ = std::move(child);
  }
  std::string Label() const override {
    return "Expand subject " + std::string(outgoing_ ? "out " : "in ") + type_;
  }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      if (cursor_ && cursor_->Valid()) {
        *row = input_;
        row->rels.push_back(cursor_->relation());
        cursor_->Next();
        return true;
      }
      if (cursor_) PG_RETURN_IF_ERROR(cursor_->status());
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&input_));
      if (!more) return false;
      const EntityId at = input_.rels.back().subject;
      cursor_ = std::make_unique<storage::RelationCursor>(outgoing_ ? store_.Outgoing(snap_, at, type_)
                                                                    : store_.Incoming(snap_, at, type_));
    }
  }

 private:
  const storage::Store& store_;
  const storage::Snapshot& snap_;
  bool outgoing_;
  std::string type_;
  Row input_;
  std::unique_ptr<storage::RelationCursor> cursor_;
};

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_INTERNAL_SCANS_H_
