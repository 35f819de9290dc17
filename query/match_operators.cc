// The operators of MATCH, which the questions use too: the pattern walk (from a start, hop by hop,
// through the adjacency or the qualifier index, each candidate counted in the memory budget),
// projection, count() and the degree lists, DISTINCT, sorting, SKIP and WHERE.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "graph/text.h"
#include "query/internal/pattern.h"
#include "query/lexer.h"

namespace pactgraph::query::pattern {
namespace {

struct Candidate {
  std::vector<Relation> rels;
  EntityId node = 0;
};

class PatternOp : public Op {
 public:
  using Start = PatternStart;

  PatternOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, std::vector<NodeSpec> nodes, std::vector<RelSpec> rels,
            size_t start, Start how, std::vector<EntityId> ids, std::string start_text, std::vector<Step> steps,
            std::vector<size_t> edge_slots_before, std::string text)
      : st_(std::move(st)), nodes_(std::move(nodes)), rels_(std::move(rels)), start_(start), how_(how), ids_(std::move(ids)),
        start_text_(std::move(start_text)), steps_(std::move(steps)), bound_edges_(std::move(edge_slots_before)),
        text_(std::move(text)) {
    child_ = std::move(child);
  }

  std::string Label() const override {
    std::string s = "Match " + text_ + ": start at " + nodes_[start_].text + " " + start_text_;
    for (const Step& step : steps_) {
      s += ", expand to " + nodes_[step.to].text;
      const std::string& access = rels_[step.rel].access_text;
      if (!access.empty()) s += (access[0] == ' ' ? "" : " ") + access;
    }
    return s;
  }

 protected:
  Result<bool> Next(Row* out) override {
    for (;;) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      if (stack_.empty()) {
        if (child_) {
          PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&cur_));
          if (!more) return false;
        } else {
          if (started_) return false;
          started_ = true;
          cur_ = Row{};
          cur_.nodes.assign(st_->scope.node_slots, 0);
          cur_.edges.assign(st_->scope.edge_slots, {});
        }
        PG_ASSIGN_OR_RETURN(std::vector<Candidate> first, StartCandidates());
        PG_RETURN_IF_ERROR(Push(std::move(first)));
      }
      Frame& f = stack_.back();
      Candidate c;
      if (f.stream) {
        PG_ASSIGN_OR_RETURN(bool more, NextStreamed(f.stream.get(), &c));
        if (!more) {
          stack_.pop_back();
          continue;
        }
      } else {
        if (f.pos == f.cands.size()) {
          st_->run->memory.Release(f.bytes);
          stack_.pop_back();
          continue;
        }
        c = std::move(f.cands[f.pos++]);
      }
      const size_t level = stack_.size() - 1;
      if (level == 0) {
        cur_.nodes[nodes_[start_].slot] = c.node;
      } else {
        const Step& step = steps_[level - 1];
        cur_.edges[rels_[step.rel].slot] = std::move(c.rels);
        cur_.nodes[nodes_[step.to].slot] = c.node;
      }
      if (level == steps_.size()) {
        *out = cur_;
        out->rels.clear();
        for (const auto& e : out->edges) out->rels.insert(out->rels.end(), e.begin(), e.end());
        return true;
      }
      const RelSpec& r = rels_[steps_[level].rel];
      if (st_->stream_steps && !r.variable && r.needs_record) {
        Frame streamed;
        streamed.stream = std::make_unique<Stream>();
        streamed.stream->step = level;
        streamed.stream->at = cur_.nodes[nodes_[steps_[level].from].slot];
        stack_.push_back(std::move(streamed));
        continue;
      }
      PG_ASSIGN_OR_RETURN(std::vector<Candidate> next, Expand(level));
      PG_RETURN_IF_ERROR(Push(std::move(next)));
    }
  }

 private:
  // A step's candidates read one at a time, as the walk asks for them, instead of all at once
  // (State::stream_steps): where the relations are read, up to which one.
  struct Stream {
    size_t step = 0;
    EntityId at = 0;  // the entity the step walks from
    // The adjacency: relation type types[type], direction pass (0: the one asked for first).
    size_t type = 0;
    int pass = 0;
    bool by_symmetry = false;
    std::unique_ptr<storage::RelationCursor> cursor;
    // The qualifier index: index value `value`, its relations `ids` up to `next_id`.
    size_t value = 0;
    std::vector<RelationId> ids;
    size_t next_id = 0;
  };

  struct Frame {
    std::vector<Candidate> cands;
    size_t pos = 0;
    uint64_t bytes = 0;  // counted in the statement's memory budget until the frame is done
    std::unique_ptr<Stream> stream;  // set: the candidates are streamed, `cands` is unused
  };

  // Whether relation `rel`, reached from the stream's entity towards `other`, is a candidate of
  // its step: the same checks, in the same order, as Hop and Expand make.
  Result<bool> Fits(const Stream& s, const Relation& rel, EntityId other) {
    const Step& step = steps_[s.step];
    PG_ASSIGN_OR_RETURN(bool ok, RelOk(rels_[step.rel], rel));
    if (ok && st_->admit_while_walking && st_->run->Floor() > 0) {
      PG_ASSIGN_OR_RETURN(ok, st_->run->Admitted(rel.id));
    }
    if (!ok || Used(rel.id, {}, s.step)) return false;
    const NodeSpec& to = nodes_[step.to];
    if (step.to_bound && cur_.nodes[to.slot] != other) return false;
    return NodeOk(to, other, step.to_typed);
  }

  // The stream's next candidate; false when the step has no more.
  Result<bool> NextStreamed(Stream* s, Candidate* out) {
    const Step& step = steps_[s->step];
    const RelSpec& r = rels_[step.rel];
    RelPattern::Dir dir = r.dir;
    if (!step.forward && dir != RelPattern::Dir::kBoth) {
      dir = dir == RelPattern::Dir::kOut ? RelPattern::Dir::kIn : RelPattern::Dir::kOut;
    }
    const Schema& schema = st_->run->schema;
    auto symmetric = [&](const std::string& type) {
      const RelationTypeDef* d = schema.FindRelationType(type);
      return d && d->symmetric;
    };
    static const std::vector<std::string> every = {std::string()};
    const std::vector<std::string>& types = r.types.empty() ? every : r.types;
    if (!r.index_slot.empty()) {
      const bool from_subject = dir == RelPattern::Dir::kOut;
      for (;;) {
        PG_RETURN_IF_ERROR(st_->run->guard.Check());
        if (s->next_id == s->ids.size()) {
          if (s->type == types.size()) return false;
          if (s->value == r.index_values.size()) {
            ++s->type;
            s->value = 0;
            continue;
          }
          PG_ASSIGN_OR_RETURN(s->ids, st_->run->store.ByQualifier(st_->run->snap, r.index_values[s->value++], r.index_slot,
                                                                  types[s->type]));
          s->next_id = 0;
          continue;
        }
        PG_ASSIGN_OR_RETURN(Relation rel, st_->run->store.GetRelation(st_->run->snap, s->ids[s->next_id++]));
        if ((from_subject ? rel.subject : rel.object) != s->at) continue;
        const EntityId other = from_subject ? rel.object : rel.subject;
        PG_ASSIGN_OR_RETURN(bool fits, Fits(*s, rel, other));
        if (!fits) continue;
        out->rels.assign(1, std::move(rel));
        out->node = other;
        return true;
      }
    }
    const bool out_first = dir != RelPattern::Dir::kIn;
    for (;;) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      if (!s->cursor) {
        if (s->type == types.size()) return false;
        const std::string& t = types[s->type];
        const bool outgoing = s->pass == 0 ? out_first : !out_first;
        if (++s->pass == 2) {
          s->pass = 0;
          ++s->type;
        }
        const bool wanted = dir == RelPattern::Dir::kBoth || (dir == RelPattern::Dir::kOut) == outgoing;
        // A symmetric relation is read both ways, whichever way it was stated.
        s->by_symmetry = !wanted;
        if (s->by_symmetry && !t.empty() && !symmetric(t)) continue;
        s->cursor = std::make_unique<storage::RelationCursor>(outgoing ? st_->run->store.Outgoing(st_->run->snap, s->at, t)
                                                                       : st_->run->store.Incoming(st_->run->snap, s->at, t));
        continue;
      }
      if (!s->cursor->Valid()) {
        PG_RETURN_IF_ERROR(s->cursor->status());
        s->cursor.reset();
        continue;
      }
      Relation rel = s->cursor->relation();
      const EntityId other = s->cursor->other();
      s->cursor->Next();
      if (s->by_symmetry && r.types.empty() && !symmetric(rel.type)) continue;
      PG_ASSIGN_OR_RETURN(bool fits, Fits(*s, rel, other));
      if (!fits) continue;
      out->rels.assign(1, std::move(rel));
      out->node = other;
      return true;
    }
  }

  static uint64_t Bytes(const Candidate& c) { return sizeof(Candidate) + OwnedBytes(c.rels); }

  // The candidates of the next level of the walk, counted while they wait.
  Status Push(std::vector<Candidate> cands) {
    Frame f{std::move(cands), 0, 0, nullptr};
    for (const Candidate& c : f.cands) f.bytes += Bytes(c);
    // Expand has counted them as it found them (so that a walk stops in time); now the frame holds them.
    st_->run->memory.Release(expanded_bytes_);
    expanded_bytes_ = 0;
    PG_RETURN_IF_ERROR(st_->run->memory.Charge(f.bytes, "the paths the pattern has still to walk"));
    stack_.push_back(std::move(f));
    return Status::OK();
  }

  Result<bool> NodeOk(const NodeSpec& n, EntityId id, bool typed = false) {
    if ((typed || n.labels.empty()) && n.props.empty()) return true;
    PG_ASSIGN_OR_RETURN(const Entity* e, st_->Ent(id));
    for (const std::string& l : n.labels) {
      if (e->type != l) return false;
    }
    for (const auto& [key, want] : n.props) {
      MV have;
      if (key == "name") {
        if (want.k != MV::K::kText) return false;
        PG_ASSIGN_OR_RETURN(bool named, st_->Names(id, want.s));
        if (!named) return false;
        continue;
      }
      if (key == "id") {
        have = MV::Int(static_cast<int64_t>(id));
      } else if (key == "type" || key == "label") {
        have = MV::Text(e->type);
      } else if (auto it = e->properties.find(key); it != e->properties.end()) {
        have = MV::Text(it->second);
      }
      PG_ASSIGN_OR_RETURN(Tri t, st_->Equal(have, want));
      if (!t || !*t) return false;
    }
    return true;
  }

  Result<bool> RelOk(const RelSpec& r, const Relation& rel) {
    for (const auto& [key, want] : r.props) {
      MV have;
      if (key == "type") {
        have = MV::Text(rel.type);
      } else if (key == "id") {
        have = MV::Int(static_cast<int64_t>(rel.id));
      } else if (const Qualifier* q = rel.Find(key)) {
        have = q->is_node() ? MV::Node(q->node) : MV::Text(q->literal);
      } else if (auto it = rel.properties.find(key); it != rel.properties.end()) {
        have = MV::Text(it->second);
      }
      PG_ASSIGN_OR_RETURN(Tri t, st_->Equal(have, want));
      if (!t || !*t) return false;
    }
    for (const auto& [slot, values] : r.slot_in) {
      const Qualifier* q = rel.Find(slot);
      if (!q || !q->is_node() || values.count(q->node) == 0) return false;
    }
    for (const auto& [slot, text] : r.slot_text) {
      const Qualifier* q = rel.Find(slot);
      if (!q || q->is_node() || AsciiLower(q->literal) != text) return false;
    }
    return true;
  }

  // True when relation `id` is bound already: by an earlier pattern, by an earlier step of this
  // one, or earlier on the variable-length path being walked.
  bool Used(RelationId id, const std::vector<Relation>& path, size_t step) const {
    auto in_slot = [&](size_t slot) {
      for (const Relation& r : cur_.edges[slot]) {
        if (r.id == id) return true;
      }
      return false;
    };
    for (size_t slot : bound_edges_) {
      if (in_slot(slot)) return true;
    }
    for (size_t j = 0; j < step; ++j) {
      if (in_slot(rels_[steps_[j].rel].slot)) return true;
    }
    for (const Relation& r : path) {
      if (r.id == id) return true;
    }
    return false;
  }

  Result<std::vector<EntityId>> AllOfType() {
    if (!scanned_) {
      scanned_ = true;
      const std::string type = how_ == Start::kScanType ? nodes_[start_].labels[0] : std::string();
      PG_RETURN_IF_ERROR(st_->run->store.ForEachEntity(st_->run->snap, [&](const Entity& e) {
        if (type.empty() || e.type == type) ids_.push_back(e.id);
        return st_->run->guard.Check().ok();
      }));
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      PG_RETURN_IF_ERROR(st_->run->memory.Charge(ids_.size() * sizeof(EntityId), "the entities the pattern scans"));
    }
    return ids_;
  }

  Result<std::vector<Candidate>> StartCandidates() {
    std::vector<EntityId> ids;
    if (how_ == Start::kBound) {
      ids = {cur_.nodes[nodes_[start_].slot]};
    } else if (how_ == Start::kIds) {
      ids = ids_;
    } else {
      PG_ASSIGN_OR_RETURN(ids, AllOfType());
    }
    std::vector<Candidate> out;
    for (EntityId id : ids) {
      PG_ASSIGN_OR_RETURN(bool ok, NodeOk(nodes_[start_], id));
      if (ok) out.push_back({{}, id});
    }
    return out;
  }

  // The relations one hop away from `at` that fit `r` walked in direction `dir`.
  Status Hop(const RelSpec& r, RelPattern::Dir dir, EntityId at,
             const std::function<Status(const Relation&, EntityId)>& fn) {
    const Schema& schema = st_->run->schema;
    auto symmetric = [&](const std::string& type) {
      const RelationTypeDef* d = schema.FindRelationType(type);
      return d && d->symmetric;
    };
    const std::vector<std::string> every = {std::string()};
    const std::vector<std::string>& types = r.types.empty() ? every : r.types;
    if (!r.index_slot.empty()) return HopByQualifier(r, dir, at, fn);
    // The direction asked for first, then (for a symmetric type) the other.
    const bool out_first = dir != RelPattern::Dir::kIn;
    for (const std::string& t : types) {
      for (bool outgoing : {out_first, !out_first}) {
        const bool wanted = dir == RelPattern::Dir::kBoth || (dir == RelPattern::Dir::kOut) == outgoing;
        // A symmetric relation is read both ways, whichever way it was stated.
        const bool by_symmetry = !wanted;
        if (by_symmetry && !t.empty() && !symmetric(t)) continue;
        if (!r.needs_record) {
          // Nothing asks for the relation's qualifiers or properties: read the adjacency keys
          // alone (type, other end, id), not the relation records.
          Status inner;
          Relation rel;
          PG_RETURN_IF_ERROR(st_->run->store.ForEachNeighbour(
              st_->run->snap, at, outgoing, t, [&](const storage::Store::Neighbour& nb) {
                const RelationTypeDef* def = schema.RelationTypeById(nb.type);
                if (!def) {
                  inner = Status::Corruption("relation #" + std::to_string(nb.relation) + " has an unknown type id");
                  return false;
                }
                if (by_symmetry && t.empty() && !def->symmetric) return true;
                if (st_->admit_while_walking && st_->run->Floor() > 0) {
                  Result<bool> admitted = st_->run->Admitted(nb.relation);
                  if (!admitted.ok()) {
                    inner = admitted.status();
                    return false;
                  }
                  if (!*admitted) return true;
                }
                rel.id = nb.relation;
                rel.type = def->name;
                rel.subject = outgoing ? at : nb.other;
                rel.object = outgoing ? nb.other : at;
                inner = fn(rel, nb.other);
                return inner.ok();
              }));
          PG_RETURN_IF_ERROR(inner);
          PG_RETURN_IF_ERROR(st_->run->guard.Check());
          continue;
        }
        storage::RelationCursor c = outgoing ? st_->run->store.Outgoing(st_->run->snap, at, t)
                                             : st_->run->store.Incoming(st_->run->snap, at, t);
        for (; c.Valid(); c.Next()) {
          const Relation& rel = c.relation();
          if (by_symmetry && t.empty() && !symmetric(rel.type)) continue;
          PG_ASSIGN_OR_RETURN(bool ok, RelOk(r, rel));
          if (ok && st_->admit_while_walking && st_->run->Floor() > 0) {
            PG_ASSIGN_OR_RETURN(ok, st_->run->Admitted(rel.id));
          }
          if (ok) PG_RETURN_IF_ERROR(fn(rel, c.other()));
        }
        PG_RETURN_IF_ERROR(c.status());
        PG_RETURN_IF_ERROR(st_->run->guard.Check());
      }
    }
    return Status::OK();
  }

  // The relations of `r` with one of its index values in its index slot that have `at` at the
  // end the walk comes from (the relation type is not symmetric: the planner reads the index
  // only then).
  Status HopByQualifier(const RelSpec& r, RelPattern::Dir dir, EntityId at,
                        const std::function<Status(const Relation&, EntityId)>& fn) {
    for (const std::string& t : r.types) {
      for (EntityId value : r.index_values) {
        PG_ASSIGN_OR_RETURN(std::vector<RelationId> ids, st_->run->store.ByQualifier(st_->run->snap, value, r.index_slot, t));
        for (RelationId id : ids) {
          PG_ASSIGN_OR_RETURN(Relation rel, st_->run->store.GetRelation(st_->run->snap, id));
          const bool from_subject = dir == RelPattern::Dir::kOut;
          if ((from_subject ? rel.subject : rel.object) != at) continue;
          PG_ASSIGN_OR_RETURN(bool ok, RelOk(r, rel));
          if (ok && st_->admit_while_walking && st_->run->Floor() > 0) {
            PG_ASSIGN_OR_RETURN(ok, st_->run->Admitted(rel.id));
          }
          if (ok) PG_RETURN_IF_ERROR(fn(rel, from_subject ? rel.object : rel.subject));
        }
        PG_RETURN_IF_ERROR(st_->run->guard.Check());
      }
    }
    return Status::OK();
  }

  Result<std::vector<Candidate>> Expand(size_t step_index) {
    const Step& step = steps_[step_index];
    const RelSpec& r = rels_[step.rel];
    RelPattern::Dir dir = r.dir;
    if (!step.forward && dir != RelPattern::Dir::kBoth) {
      dir = dir == RelPattern::Dir::kOut ? RelPattern::Dir::kIn : RelPattern::Dir::kOut;
    }
    const NodeSpec& to = nodes_[step.to];
    const EntityId from = cur_.nodes[nodes_[step.from].slot];
    std::vector<Candidate> out;
    auto accept = [&](std::vector<Relation> path, EntityId node) -> Status {
      if (step.to_bound && cur_.nodes[to.slot] != node) return Status::OK();
      PG_ASSIGN_OR_RETURN(bool ok, NodeOk(to, node, step.to_typed));
      if (!ok) return Status::OK();
      if (!step.forward) std::reverse(path.begin(), path.end());
      out.push_back({std::move(path), node});
      expanded_bytes_ += Bytes(out.back());
      return st_->run->memory.Charge(Bytes(out.back()), "the paths the pattern has still to walk");
    };
    if (!r.variable) {
      PG_RETURN_IF_ERROR(Hop(r, dir, from, [&](const Relation& rel, EntityId other) -> Status {
        if (Used(rel.id, {}, step_index)) return Status::OK();
        return accept({rel}, other);
      }));
      return out;
    }
    // Every trail (no relation twice) of min..max relations, depth first.
    const int max = r.max_hops < 0 ? st_->run->limits.max_path_hops : r.max_hops;
    std::vector<Relation> path;
    std::function<Status(EntityId)> walk = [&](EntityId at) -> Status {
      if (static_cast<int>(path.size()) >= r.min_hops) PG_RETURN_IF_ERROR(accept(path, at));
      if (out.size() > kMaxPathsPerExpansion) {
        return Status::ResourceExhausted("the variable-length relation " + (r.var.empty() ? std::string() : r.var + " ") +
                                         "reached more than " + WithThousands(kMaxPathsPerExpansion) +
                                         " paths from one entity; give it a smaller upper bound (*1..3) or narrow its ends");
      }
      if (static_cast<int>(path.size()) == max) return Status::OK();
      std::vector<std::pair<Relation, EntityId>> next;
      PG_RETURN_IF_ERROR(Hop(r, dir, at, [&](const Relation& rel, EntityId other) -> Status {
        if (!Used(rel.id, path, step_index)) next.emplace_back(rel, other);
        return Status::OK();
      }));
      for (auto& [rel, other] : next) {
        path.push_back(std::move(rel));
        PG_RETURN_IF_ERROR(walk(other));
        path.pop_back();
      }
      return Status::OK();
    };
    PG_RETURN_IF_ERROR(walk(from));
    return out;
  }

  std::shared_ptr<State> st_;
  std::vector<NodeSpec> nodes_;
  std::vector<RelSpec> rels_;
  size_t start_;
  Start how_;
  std::vector<EntityId> ids_;
  bool scanned_ = false;
  std::string start_text_;
  std::vector<Step> steps_;
  std::vector<size_t> bound_edges_;  // relation slots bound by earlier patterns
  std::string text_;
  Row cur_;
  std::vector<Frame> stack_;
  uint64_t expanded_bytes_ = 0;  // counted by Expand for candidates not yet in a frame
  bool started_ = false;
};


class ProjectOp : public Op {
 public:
  ProjectOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
            std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), items_(items), keys_(std::move(keys)), label_(std::move(label)) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
    if (!more) return false;
    row->values.clear();
    row->keys.clear();
    for (const ReturnItem& item : *items_) {
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, *row));
      PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
      row->values.push_back(std::move(out));
    }
    for (const KeySource& k : keys_) {
      if (k.column >= 0) {
        row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
      } else {
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(*k.expr, *row));
        PG_ASSIGN_OR_RETURN(MV t, st_->AsText(v));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(t));
        row->keys.push_back(std::move(out));
      }
    }
    return true;
  }

 private:
  std::shared_ptr<State> st_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
};

// A stable text form of values, for grouping and DISTINCT.
std::string Serialize(const std::vector<Value>& values) {
  std::string out;
  for (const Value& v : values) {
    out += static_cast<char>('0' + static_cast<int>(v.kind));
    out += v.kind == Value::Kind::kInt ? std::to_string(v.number) : v.text;
    out += '\x1f';
  }
  return out;
}

Status HoldLimit(size_t n, const char* what) {
  if (n <= kMaxHeldRows) return Status::OK();
  return Status::ResourceExhausted(std::string(what) + " would hold more than " + WithThousands(kMaxHeldRows) +
                                   " rows; narrow the pattern");
}

void AddRels(std::vector<Relation>* into, const std::vector<Relation>& from, size_t max) {
  for (const Relation& r : from) {
    if (into->size() >= max) return;
    bool seen = false;
    for (const Relation& x : *into) seen = seen || x.id == r.id;
    if (!seen) into->push_back(r);
  }
}

// Groups the rows by the items that are not count() and counts per group.
class AggregateOp : public Op {
 public:
  AggregateOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
              std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), items_(items), keys_(std::move(keys)), label_(std::move(label)) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    if (!done_) PG_RETURN_IF_ERROR(Consume());
    if (pos_ == groups_.size()) return false;
    Group& g = groups_[pos_++];
    *row = Row{};
    row->values = std::move(g.values);
    for (size_t i = 0; i < items_->size(); ++i) {
      if (IsCount((*items_)[i].expr)) {
        row->values[i] = Value::Int(static_cast<int64_t>((*items_)[i].expr.distinct ? g.distinct[i].size() : g.counts[i]));
      }
    }
    for (const KeySource& k : keys_) row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
    row->rels = std::move(g.rels);
    return true;
  }

 private:
  struct Group {
    std::vector<Value> values;
    std::vector<uint64_t> counts;
    std::vector<std::unordered_set<std::string>> distinct;
    std::vector<Relation> rels;
  };

  Status Consume() {
    done_ = true;
    std::unordered_map<std::string, size_t> index;
    Row in;
    bool grouped = false;
    for (const ReturnItem& item : *items_) grouped = grouped || !IsCount(item.expr);
    for (;;) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&in));
      if (!more) break;
      std::vector<Value> key;
      for (const ReturnItem& item : *items_) {
        if (IsCount(item.expr)) {
          key.emplace_back();
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, in));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
        key.push_back(std::move(out));
      }
      auto [it, fresh] = index.emplace(Serialize(key), groups_.size());
      if (fresh) {
        PG_RETURN_IF_ERROR(st_->run->memory.Charge(kNodeOverhead + ApproxBytes(it->first) + sizeof(Group) + OwnedBytes(key) +
                                                       items_->size() * (sizeof(uint64_t) + sizeof(std::unordered_set<std::string>)),
                                                   "the groups count() counts"));
        PG_RETURN_IF_ERROR(HoldLimit(groups_.size() + 1, "count()"));
        groups_.push_back({std::move(key), std::vector<uint64_t>(items_->size()),
                           std::vector<std::unordered_set<std::string>>(items_->size()), {}});
      }
      Group& g = groups_[it->second];
      const size_t had = g.rels.size();
      AddRels(&g.rels, in.rels, st_->run->limits.max_evidence);
      for (size_t i = had; i < g.rels.size(); ++i) {
        PG_RETURN_IF_ERROR(st_->run->memory.Charge(ApproxBytes(g.rels[i]), "the groups count() counts"));
      }
      for (size_t i = 0; i < items_->size(); ++i) {
        const Expr& e = (*items_)[i].expr;
        if (!IsCount(e)) continue;
        if (e.star) {
          ++g.counts[i];
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(e.args[0], in));
        if (v.null()) continue;
        if (e.distinct) {
          PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
          std::string seen = Serialize({out});
          const uint64_t bytes = kNodeOverhead + ApproxBytes(seen);
          if (g.distinct[i].insert(std::move(seen)).second) {
            PG_RETURN_IF_ERROR(st_->run->memory.Charge(bytes, "the distinct values count(DISTINCT ...) counts"));
          }
        } else {
          ++g.counts[i];
        }
      }
    }
    if (groups_.empty() && !grouped) {
      // count() over no rows is one row of zeros.
      groups_.push_back({std::vector<Value>(items_->size()), std::vector<uint64_t>(items_->size()),
                         std::vector<std::unordered_set<std::string>>(items_->size()), {}});
    }
    return Status::OK();
  }

  std::shared_ptr<State> st_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
  std::vector<Group> groups_;
  size_t pos_ = 0;
  bool done_ = false;
};

class DistinctOp : public Op {
 public:
  DistinctOp(std::unique_ptr<Op> child, MemoryBudget* memory) : memory_(memory) { child_ = std::move(child); }
  std::string Label() const override { return "Distinct"; }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
      std::string key = Serialize(row->values);
      const uint64_t bytes = kNodeOverhead + ApproxBytes(key);
      if (seen_.insert(std::move(key)).second) {
        PG_RETURN_IF_ERROR(memory_->Charge(bytes, "the rows DISTINCT has seen"));
        PG_RETURN_IF_ERROR(HoldLimit(seen_.size(), "DISTINCT"));
        return true;
      }
    }
  }

 private:
  MemoryBudget* memory_;
  std::unordered_set<std::string> seen_;
};

// Nulls last; numbers before text; text by bytes.
int CompareValues(const Value& a, const Value& b) {
  if (a.kind != b.kind) {
    if (a.kind == Value::Kind::kNull) return 1;
    if (b.kind == Value::Kind::kNull) return -1;
    return a.kind == Value::Kind::kInt ? -1 : 1;
  }
  if (a.kind == Value::Kind::kInt) return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  return a.text.compare(b.text);
}

// count(*) grouped by one end of a one-hop pattern: each entity's number of relations of one
// type in one direction, read from the graph projection's degree list (most first, ties by id)
// instead of matching every relation.
class DegreeOp : public Op {
 public:
  DegreeOp(std::shared_ptr<State> st, const GraphProjection::Degrees* degrees, size_t group_slot, std::string check_label,
           std::string type, bool outgoing, const std::vector<ReturnItem>* items, std::vector<KeySource> keys, std::string label)
      : st_(std::move(st)), degrees_(degrees), group_slot_(group_slot), check_label_(std::move(check_label)), type_(std::move(type)),
        outgoing_(outgoing), items_(items), keys_(std::move(keys)), label_(std::move(label)) {}
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    while (pos_ < degrees_->size()) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      // Named, not a structured binding: a lambda below captures the id.
      const EntityId id = (*degrees_)[pos_].first;
      const uint64_t n = (*degrees_)[pos_].second;
      ++pos_;
      if (!check_label_.empty()) {
        PG_ASSIGN_OR_RETURN(const Entity* e, st_->Ent(id));
        if (e->type != check_label_) continue;
      }
      *row = Row{};
      row->nodes.assign(st_->scope.node_slots, 0);
      row->edges.assign(st_->scope.edge_slots, {});
      row->nodes[group_slot_] = id;
      for (const ReturnItem& item : *items_) {
        if (IsCount(item.expr)) {
          row->values.push_back(Value::Int(static_cast<int64_t>(n)));
          continue;
        }
        PG_ASSIGN_OR_RETURN(MV v, st_->Eval(item.expr, *row));
        PG_ASSIGN_OR_RETURN(Value out, st_->Out(v));
        row->values.push_back(std::move(out));
      }
      for (const KeySource& k : keys_) row->keys.push_back(row->values[static_cast<size_t>(k.column)]);
      // Evidence: the first relations of the group, from the adjacency keys.
      const size_t max = st_->run->limits.max_evidence;
      if (max > 0) {
        Status inner;
        PG_RETURN_IF_ERROR(st_->run->store.ForEachNeighbour(
            st_->run->snap, id, outgoing_, type_, [&](const storage::Store::Neighbour& nb) {
              // The degrees count no candidate, and the evidence quotes none.
              if (st_->run->Floor() > 0) {
                Result<bool> admitted = st_->run->Admitted(nb.relation);
                if (!admitted.ok()) inner = admitted.status();
                if (!admitted.ok() || !*admitted) return admitted.ok();
              }
              Relation r;
              r.id = nb.relation;
              r.type = type_;
              r.subject = outgoing_ ? id : nb.other;
              r.object = outgoing_ ? nb.other : id;
              row->rels.push_back(std::move(r));
              return row->rels.size() < max;
            }));
        PG_RETURN_IF_ERROR(inner);
      }
      row->edges.clear();
      return true;
    }
    return false;
  }

 private:
  std::shared_ptr<State> st_;
  const GraphProjection::Degrees* degrees_;
  size_t group_slot_;
  std::string check_label_;
  std::string type_;
  bool outgoing_;
  const std::vector<ReturnItem>* items_;
  std::vector<KeySource> keys_;
  std::string label_;
  size_t pos_ = 0;
};

class SortOp : public Op {
 public:
  SortOp(std::unique_ptr<Op> child, std::vector<bool> descending, std::string label, Guard* guard, MemoryBudget* memory)
      : descending_(std::move(descending)), label_(std::move(label)), guard_(guard), memory_(memory) {
    child_ = std::move(child);
  }
  std::string Label() const override { return label_; }

 protected:
  Result<bool> Next(Row* row) override {
    if (!done_) {
      done_ = true;
      Row in;
      for (;;) {
        PG_RETURN_IF_ERROR(guard_->Check());
        PG_ASSIGN_OR_RETURN(bool more, child_->Pull(&in));
        if (!more) break;
        PG_RETURN_IF_ERROR(memory_->Charge(ApproxBytes(in), "the rows ORDER BY sorts"));
        rows_.push_back(std::move(in));
        PG_RETURN_IF_ERROR(HoldLimit(rows_.size(), "ORDER BY"));
      }
      std::stable_sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
        for (size_t i = 0; i < descending_.size(); ++i) {
          const bool null_a = a.keys[i].kind == Value::Kind::kNull, null_b = b.keys[i].kind == Value::Kind::kNull;
          if (null_a != null_b) return null_b;  // nulls last either way
          int c = CompareValues(a.keys[i], b.keys[i]);
          if (descending_[i]) c = -c;
          if (c != 0) return c < 0;
        }
        return false;
      });
    }
    if (pos_ == rows_.size()) return false;
    memory_->Release(ApproxBytes(rows_[pos_]));
    *row = std::move(rows_[pos_++]);
    return true;
  }

 private:
  std::vector<bool> descending_;
  std::string label_;
  Guard* guard_;
  MemoryBudget* memory_;
  std::vector<Row> rows_;
  size_t pos_ = 0;
  bool done_ = false;
};

class SkipOp : public Op {
 public:
  SkipOp(std::unique_ptr<Op> child, uint64_t n) : n_(n) { child_ = std::move(child); }
  std::string Label() const override { return "Skip " + std::to_string(n_); }

 protected:
  Result<bool> Next(Row* row) override {
    for (; skipped_ < n_; ++skipped_) {
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
    }
    return child_->Pull(row);
  }

 private:
  uint64_t n_;
  uint64_t skipped_ = 0;
};

class WhereOp : public Op {
 public:
  WhereOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const Expr* where)
      : st_(std::move(st)), where_(where) {
    child_ = std::move(child);
  }
  std::string Label() const override { return "Filter WHERE " + ToString(*where_); }

 protected:
  Result<bool> Next(Row* row) override {
    for (;;) {
      PG_RETURN_IF_ERROR(st_->run->guard.Check());
      PG_ASSIGN_OR_RETURN(bool more, child_->Pull(row));
      if (!more) return false;
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(*where_, *row));
      if (v.k == MV::K::kBool && v.i) return true;
    }
  }

 private:
  std::shared_ptr<State> st_;
  const Expr* where_;
};

}  // namespace

std::unique_ptr<Op> NewPatternOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, std::vector<NodeSpec> nodes,
                                 std::vector<RelSpec> rels, size_t start, PatternStart how, std::vector<EntityId> ids,
                                 std::string start_text, std::vector<Step> steps, std::vector<size_t> edge_slots_before,
                                 std::string text) {
  return std::make_unique<PatternOp>(std::move(st), std::move(child), std::move(nodes), std::move(rels), start, how, std::move(ids),
                                     std::move(start_text), std::move(steps), std::move(edge_slots_before), std::move(text));
}

std::unique_ptr<Op> NewProjectOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
                                 std::vector<KeySource> keys, std::string label) {
  return std::make_unique<ProjectOp>(std::move(st), std::move(child), items, std::move(keys), std::move(label));
}

std::unique_ptr<Op> NewAggregateOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const std::vector<ReturnItem>* items,
                                   std::vector<KeySource> keys, std::string label) {
  return std::make_unique<AggregateOp>(std::move(st), std::move(child), items, std::move(keys), std::move(label));
}

std::unique_ptr<Op> NewDistinctOp(std::unique_ptr<Op> child, MemoryBudget* memory) {
  return std::make_unique<DistinctOp>(std::move(child), memory);
}

std::unique_ptr<Op> NewDegreeOp(std::shared_ptr<State> st, const GraphProjection::Degrees* degrees, size_t group_slot,
                                std::string check_label, std::string type, bool outgoing, const std::vector<ReturnItem>* items,
                                std::vector<KeySource> keys, std::string label) {
  return std::make_unique<DegreeOp>(std::move(st), degrees, group_slot, std::move(check_label), std::move(type), outgoing, items,
                                    std::move(keys), std::move(label));
}

std::unique_ptr<Op> NewSortOp(std::unique_ptr<Op> child, std::vector<bool> descending, std::string label, Guard* guard,
                              MemoryBudget* memory) {
  return std::make_unique<SortOp>(std::move(child), std::move(descending), std::move(label), guard, memory);
}

std::unique_ptr<Op> NewSkipOp(std::unique_ptr<Op> child, uint64_t n) { return std::make_unique<SkipOp>(std::move(child), n); }

std::unique_ptr<Op> NewWhereOp(std::shared_ptr<State> st, std::unique_ptr<Op> child, const Expr* where) {
  return std::make_unique<WhereOp>(std::move(st), std::move(child), where);
}

}  // namespace pactgraph::query::pattern
