#include "query/internal/match.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "graph/text.h"
#include "query/internal/pattern.h"
#include "query/internal/planner.h"
#include "query/lexer.h"

namespace pactgraph::query {
using namespace pattern;  // this file is the pattern planner
namespace {

// ---------------------------------------------------------------------------------- planning

std::string NodeText(const NodePattern& n) {
  std::string s = "(" + n.var;
  for (const std::string& l : n.labels) s += ":" + l;
  if (!n.properties.empty()) {
    s += " {";
    for (size_t i = 0; i < n.properties.size(); ++i) {
      s += (i ? ", " : "") + n.properties[i].first + ": " + ToString(n.properties[i].second);
    }
    s += "}";
  }
  return s + ")";
}

std::string RelText(const RelPattern& r) {
  std::string s = r.dir == RelPattern::Dir::kIn ? "<-[" : "-[";
  s += r.var;
  for (size_t i = 0; i < r.types.size(); ++i) s += (i ? "|" : ":") + r.types[i];
  if (r.variable) s += "*" + std::to_string(r.min_hops) + ".." + (r.max_hops < 0 ? std::string() : std::to_string(r.max_hops));
  return s + (r.dir == RelPattern::Dir::kOut ? "]->" : "]-");
}

// Top-level AND conjuncts of WHERE.
void Conjuncts(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == Expr::Kind::kAnd) {
    for (const Expr& a : e.args) Conjuncts(a, out);
  } else {
    out->push_back(&e);
  }
}

// `v.name = "X"`, `v = "X"`, `v.id = 4`, `id(v) = 4` in WHERE: a way to start at v.
struct WhereAnchor {
  std::string var;
  std::optional<std::string> name;
  std::optional<int64_t> id;
};

std::optional<WhereAnchor> AnchorOf(const Expr& e) {
  if (e.kind != Expr::Kind::kCompare || e.text != "=") return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const Expr& a = e.args[static_cast<size_t>(side)];
    const Expr& b = e.args[static_cast<size_t>(1 - side)];
    WhereAnchor w;
    if (a.kind == Expr::Kind::kProp && a.key == "name" && b.kind == Expr::Kind::kText) {
      w.var = a.text;
      w.name = b.text;
    } else if (a.kind == Expr::Kind::kVar && b.kind == Expr::Kind::kText) {
      w.var = a.text;
      w.name = b.text;
    } else if (a.kind == Expr::Kind::kProp && a.key == "id" && b.kind == Expr::Kind::kInt) {
      w.var = a.text;
      w.id = b.number;
    } else if (a.kind == Expr::Kind::kCall && a.text == "id" && a.args.size() == 1 && a.args[0].kind == Expr::Kind::kVar &&
               b.kind == Expr::Kind::kInt) {
      w.var = a.args[0].text;
      w.id = b.number;
    } else {
      continue;
    }
    return w;
  }
  return std::nullopt;
}

class Planner {
 public:
  Planner(const MatchQuery& q, StatementRun& run) : q_(q), st_(std::make_shared<State>()) { st_->run = &run; }

  Result<MatchPlan> Plan() {
    MatchPlan plan;
    PG_RETURN_IF_ERROR(Declare());
    // RETURN *: every named variable.
    if (q_.star) {
      for (const Var& v : st_->scope.vars) {
        ReturnItem item;
        item.expr.kind = Expr::Kind::kVar;
        item.expr.text = v.name;
        item.name = v.name;
        st_->star_items.push_back(std::move(item));
      }
      if (st_->star_items.empty()) return Status::InvalidArgument("RETURN * needs named variables in the pattern, as in (c:Company)");
    }
    const std::vector<ReturnItem>& items = q_.star ? st_->star_items : q_.items;
    if (q_.where) PG_RETURN_IF_ERROR(CheckExpr(*q_.where, st_->scope, false, "WHERE"));
    bool aggregating = false;
    for (const ReturnItem& item : items) {
      PG_RETURN_IF_ERROR(CheckExpr(item.expr, st_->scope, true, "RETURN"));
      if (IsCount(item.expr)) aggregating = true;
      plan.columns.push_back(item.name);
    }
    std::vector<const Expr*> conjuncts;
    if (q_.where) Conjuncts(*q_.where, &conjuncts);

    // ORDER BY keys: a returned column (by alias or by the same expression), or an expression.
    std::vector<KeySource> keys;
    std::vector<bool> descending;
    std::string sort_label = "Sort by ";
    // The first column of each alias and of each expression, looked up once per key (not a
    // scan of every column per key: a statement may have thousands of both).
    std::unordered_map<std::string, int> by_alias, by_expr;
    if (!q_.order.empty()) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].aliased) by_alias.emplace(items[i].name, static_cast<int>(i));
        by_expr.emplace(ToString(items[i].expr), static_cast<int>(i));
      }
    }
    for (const SortKey& k : q_.order) {
      KeySource src;
      const std::string text = ToString(k.expr);
      auto alias = k.expr.kind == Expr::Kind::kVar ? by_alias.find(k.expr.text) : by_alias.end();
      auto same = by_expr.find(text);
      if (alias != by_alias.end()) src.column = alias->second;
      if (same != by_expr.end() && (src.column < 0 || same->second < src.column)) src.column = same->second;
      if (src.column < 0) {
        if (aggregating || q_.distinct) {
          return ErrorAt(k.expr.pos, Status::InvalidArgument(std::string("after ") + (aggregating ? "count()" : "DISTINCT") +
                                         ", ORDER BY can use only the returned columns (" + Columns(plan.columns) + ")"));
        }
        PG_RETURN_IF_ERROR(CheckExpr(k.expr, st_->scope, false, "ORDER BY"));
        src.expr = &k.expr;
      }
      sort_label += (descending.empty() ? "" : ", ") + text + (k.descending ? " desc" : "");
      keys.push_back(src);
      descending.push_back(k.descending);
    }
    if (aggregating) {
      PG_ASSIGN_OR_RETURN(std::optional<MatchPlan> by_degree, DegreePlan(items, plan.columns, keys, descending, sort_label));
      if (by_degree) return std::move(*by_degree);
    }

    std::unique_ptr<Op> root;
    std::set<std::string> bound;
    std::vector<size_t> edge_slots_bound;
    for (size_t p = 0; p < q_.patterns.size(); ++p) {
      PG_ASSIGN_OR_RETURN(root, PlanPattern(p, std::move(root), conjuncts, &bound, &edge_slots_bound, &plan.notice));
    }
    if (st_->run->st.as_of) root = AsOfFilter(*st_->run, std::move(root), *st_->run->st.as_of);
    if (q_.where) root = NewWhereOp(st_, std::move(root), &*q_.where);

    if (aggregating) {
      std::string label = "Aggregate";
      for (const ReturnItem& item : items) label += (label.size() > 9 ? ", " : " ") + item.name;
      root = NewAggregateOp(st_, std::move(root), &items, keys, label);
    } else {
      root = NewProjectOp(st_, std::move(root), &items, keys, "Return " + Columns(plan.columns));
    }
    if (q_.distinct) root = NewDistinctOp(std::move(root), &st_->run->memory);
    if (!keys.empty()) root = NewSortOp(std::move(root), descending, sort_label, &st_->run->guard, &st_->run->memory);
    if (q_.skip) root = NewSkipOp(std::move(root), q_.skip);
    plan.root = std::move(root);
    return plan;
  }

 private:
  static std::string Columns(const std::vector<std::string>& c) {
    std::string out;
    for (const std::string& s : c) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  // Gives every node and relation pattern a slot; named variables share theirs.
  Status Declare() {
    Scope& s = st_->scope;
    for (const PathPattern& p : q_.patterns) {
      std::vector<size_t> ns, rs;
      for (size_t i = 0; i < p.nodes.size(); ++i) {
        const NodePattern& n = p.nodes[i];
        size_t slot = s.node_slots;
        if (!n.var.empty()) {
          if (const Var* v = s.Find(n.var)) {
            if (!v->node) return ErrorAt(n.pos, Status::InvalidArgument("\"" + n.var + "\" names a relation and cannot name a node too"));
            slot = v->slot;
          } else {
            s.vars.push_back({n.var, true, false, s.node_slots++});
          }
        } else {
          ++s.node_slots;
        }
        for (const auto& [k, e] : n.properties) PG_RETURN_IF_ERROR(CheckConstant(e));
        ns.push_back(slot);
        if (i < p.rels.size()) {
          const RelPattern& r = p.rels[i];
          if (!r.var.empty()) {
            if (const Var* v = s.Find(r.var)) {
              return ErrorAt(r.pos, Status::InvalidArgument("\"" + r.var + "\" is already " +
                                             (v->node ? "a node" : "a relation") + "; a relation variable can be bound once"));
            }
            s.vars.push_back({r.var, false, r.variable, s.edge_slots});
          }
          for (const auto& [k, e] : r.properties) PG_RETURN_IF_ERROR(CheckConstant(e));
          rs.push_back(s.edge_slots++);
        }
      }
      node_slots_.push_back(std::move(ns));
      rel_slots_.push_back(std::move(rs));
    }
    return Status::OK();
  }

  // count(*) per entity at one end of a single one-hop relation pattern of one type, such as
  // MATCH (c:Company)-[:SUPPORTS]->(:Product) RETURN c.name, count(*): planned as a walk down the
  // projection's degree list when nothing else (WHERE, AS OF, DISTINCT, properties, the other
  // end's variable) needs the relations themselves. nullopt when the query is not of that shape.
  Result<std::optional<MatchPlan>> DegreePlan(const std::vector<ReturnItem>& items, const std::vector<std::string>& columns,
                                              const std::vector<KeySource>& keys, const std::vector<bool>& descending,
                                              const std::string& sort_label) {
    if (q_.patterns.size() != 1 || q_.where || q_.distinct || st_->run->st.as_of) return std::optional<MatchPlan>();
    const PathPattern& pat = q_.patterns[0];
    if (pat.rels.size() != 1) return std::optional<MatchPlan>();
    const RelPattern& r = pat.rels[0];
    if (r.variable || r.types.size() != 1 || !r.properties.empty() || r.dir == RelPattern::Dir::kBoth) return std::optional<MatchPlan>();
    const RelationTypeDef* def = st_->run->schema.FindRelationType(r.types[0]);
    if (!def || def->symmetric) return std::optional<MatchPlan>();
    // Which end is grouped: the one variable the returned items name.
    int group = -1;
    for (size_t i = 0; i < 2; ++i) {
      if (!pat.nodes[i].var.empty() && (pat.nodes[1 - i].var != pat.nodes[i].var)) {
        bool only = true, named = false;
        for (const ReturnItem& item : items) {
          if (IsCount(item.expr)) continue;
          std::function<void(const Expr&)> walk = [&](const Expr& e) {
            if (e.kind == Expr::Kind::kVar || e.kind == Expr::Kind::kProp) {
              if (e.text == pat.nodes[i].var) named = true; else only = false;
            }
            for (const Expr& a : e.args) walk(a);
          };
          walk(item.expr);
        }
        if (only && named) group = static_cast<int>(i);
      }
    }
    if (group < 0) return std::optional<MatchPlan>();
    size_t counts = 0;
    for (const ReturnItem& item : items) {
      if (IsCount(item.expr)) {
        if (!item.expr.star || item.expr.distinct) return std::optional<MatchPlan>();
        ++counts;
      }
    }
    const NodePattern& g = pat.nodes[static_cast<size_t>(group)];
    const NodePattern& other = pat.nodes[static_cast<size_t>(1 - group)];
    if (counts != 1 || !g.properties.empty() || g.labels.size() > 1 || !other.properties.empty() || other.labels.size() > 1) {
      return std::optional<MatchPlan>();
    }
    const bool outgoing = (r.dir == RelPattern::Dir::kOut) == (group == 0);
    RelSpec spec;
    spec.types = r.types;
    spec.dir = r.dir;
    NodeSpec g_spec, other_spec;
    g_spec.labels = g.labels;
    other_spec.labels = other.labels;
    // The other end's label must be what the schema gives it; the grouped end's label is
    // checked per entity unless the schema gives it too.
    if (!other.labels.empty() && !LabelImplied(spec, group == 0, other_spec)) return std::optional<MatchPlan>();
    const bool g_implied = g.labels.empty() || LabelImplied(spec, group != 0, g_spec);

    // The degree list's own order (count descending, then id) serves ORDER BY count DESC[, id].
    auto is_id = [&](const Expr& e) {
      return (e.kind == Expr::Kind::kProp && e.key == "id" && e.text == g.var) ||
             (e.kind == Expr::Kind::kCall && e.text == "id" && e.args.size() == 1 && e.args[0].kind == Expr::Kind::kVar &&
              e.args[0].text == g.var);
    };
    bool presorted = keys.empty();
    if (!keys.empty() && IsCount(items[static_cast<size_t>(keys[0].column)].expr) && descending[0]) {
      presorted = keys.size() == 1 || (keys.size() == 2 && !descending[1] && is_id(items[static_cast<size_t>(keys[1].column)].expr));
    }

    PG_ASSIGN_OR_RETURN(const GraphProjection* projection, st_->run->Projection());
    const GraphProjection::Degrees* degrees = &projection->DegreesOf(def->id, outgoing);
    MatchPlan plan;
    plan.columns = columns;
    size_t group_slot = node_slots_[0][static_cast<size_t>(group)];
    std::string label = "CountByDegree " + (g.var.empty() ? std::string("_") : g.var) + ": " + def->name +
                        (outgoing ? " out" : " in") + " (graph projection, most first; " +
                        WithThousands(degrees->size()) + " entities)";
    if (!g_implied) label += ", only " + g.labels[0];
    std::unique_ptr<Op> root =
        NewDegreeOp(st_, degrees, group_slot, g_implied ? std::string() : g.labels[0], def->name, outgoing, &items, keys, label);
    if (!presorted) root = NewSortOp(std::move(root), descending, sort_label, &st_->run->guard, &st_->run->memory);
    if (q_.skip) root = NewSkipOp(std::move(root), q_.skip);
    plan.root = std::move(root);
    return std::optional<MatchPlan>(std::move(plan));
  }

  // True when `var` is named anywhere in WHERE, RETURN or ORDER BY (or RETURN * shows it).
  bool VarUsed(const std::string& var) const {
    std::function<bool(const Expr&)> uses = [&](const Expr& e) {
      if ((e.kind == Expr::Kind::kVar || e.kind == Expr::Kind::kProp) && e.text == var) return true;
      for (const Expr& a : e.args) {
        if (uses(a)) return true;
      }
      return false;
    };
    if (q_.star) return true;
    if (q_.where && uses(*q_.where)) return true;
    for (const ReturnItem& i : q_.items) {
      if (uses(i.expr)) return true;
    }
    for (const SortKey& k : q_.order) {
      if (uses(k.expr)) return true;
    }
    return false;
  }

  // True when a one-hop step along `r` can only end at entities of `to`'s single label: every
  // type `r` allows lists exactly that type for the end the step reaches. The label need not be
  // checked then (imports enforce the schema's types).
  bool LabelImplied(const RelSpec& r, bool forward, const NodeSpec& to) const {
    if (r.types.empty() || to.labels.size() != 1) return false;
    const std::string& label = to.labels[0];
    for (const std::string& t : r.types) {
      const RelationTypeDef* d = st_->run->schema.FindRelationType(t);
      if (!d) return false;
      // Walking forward along -[]->, the step reaches the object; backward, the subject.
      const bool reaches_object = (r.dir == RelPattern::Dir::kOut) == forward;
      auto only = [&](const std::vector<std::string>& types) { return types.size() == 1 && types[0] == label; };
      // A variable-length walk may end at either end of its last relation.
      if (r.dir == RelPattern::Dir::kBoth || d->symmetric || r.variable) {
        if (!only(d->subject_types) || !only(d->object_types)) return false;
      } else if (!only(reaches_object ? d->object_types : d->subject_types)) {
        return false;
      }
    }
    return true;
  }

  Result<std::vector<std::pair<std::string, MV>>> Constants(const std::vector<std::pair<std::string, Expr>>& props) {
    std::vector<std::pair<std::string, MV>> out;
    Row empty;
    for (const auto& [k, e] : props) {
      PG_ASSIGN_OR_RETURN(MV v, st_->Eval(e, empty));
      out.emplace_back(k, std::move(v));
    }
    return out;
  }

  Result<std::unique_ptr<Op>> PlanPattern(size_t p, std::unique_ptr<Op> child, const std::vector<const Expr*>& conjuncts,
                                          std::set<std::string>* bound, std::vector<size_t>* edge_slots_bound,
                                          std::string* notice) {
    const PathPattern& pat = q_.patterns[p];
    std::vector<NodeSpec> nodes;
    std::vector<RelSpec> rels;
    std::string text;
    for (size_t i = 0; i < pat.nodes.size(); ++i) {
      NodeSpec n;
      n.slot = node_slots_[p][i];
      n.text = NodeText(pat.nodes[i]);
      n.labels = pat.nodes[i].labels;
      PG_ASSIGN_OR_RETURN(n.props, Constants(pat.nodes[i].properties));
      text += n.text;
      nodes.push_back(std::move(n));
      if (i < pat.rels.size()) {
        const RelPattern& r = pat.rels[i];
        RelSpec spec;
        spec.slot = rel_slots_[p][i];
        spec.var = r.var;
        spec.types = r.types;
        PG_ASSIGN_OR_RETURN(spec.props, Constants(r.properties));
        spec.dir = r.dir;
        spec.variable = r.variable;
        spec.min_hops = r.min_hops;
        spec.max_hops = r.max_hops;
        spec.needs_record = !spec.props.empty() || st_->run->st.as_of.has_value() || (!r.var.empty() && VarUsed(r.var));
        if (r.variable && r.max_hops > st_->run->limits.max_path_hops) {
          return ErrorAt(r.pos, Status::InvalidArgument("a variable-length relation may span at most " +
                                         std::to_string(st_->run->limits.max_path_hops) + " relations (" + st_->run->limits.hints.hops + ")"));
        }
        text += RelText(r);
        rels.push_back(std::move(spec));
      }
    }

    // Where to start: a bound variable, an id, a name (pattern or WHERE), a type scan, everything.
    int best = -1, best_rank = 99;
    PatternStart how = PatternStart::kScanAll;
    std::vector<EntityId> ids;
    std::string start_text;
    for (size_t i = 0; i < pat.nodes.size(); ++i) {
      const NodePattern& n = pat.nodes[i];
      int rank = 5;
      PatternStart h = PatternStart::kScanAll;
      std::optional<std::string> name;
      std::optional<int64_t> id;
      for (const auto& [k, v] : nodes[i].props) {
        if (k == "name" && v.k == MV::K::kText) name = v.s;
        if (k == "id" && v.k == MV::K::kInt) id = v.i;
      }
      if (!n.var.empty()) {
        for (const Expr* c : conjuncts) {
          std::optional<WhereAnchor> w = AnchorOf(*c);
          if (!w || w->var != n.var) continue;
          if (w->id && !id) id = w->id;
          if (w->name && !name) name = w->name;
        }
      }
      std::string how_text;
      if (!n.var.empty() && bound->count(n.var)) {
        rank = 0;
        h = PatternStart::kBound;
        how_text = "(bound by an earlier pattern)";
      } else if (id) {
        rank = 1;
        h = PatternStart::kIds;
        how_text = "by id " + std::to_string(*id);
      } else if (name) {
        rank = 2;
        h = PatternStart::kIds;
        how_text = "by name \"" + *name + "\" (alias index)";
      } else if (!n.labels.empty()) {
        rank = 4;
        h = PatternStart::kScanType;
        how_text = "scanning every " + n.labels[0];
      } else {
        how_text = "scanning every entity";
      }
      if (rank < best_rank) {
        best_rank = rank;
        best = static_cast<int>(i);
        how = h;
        start_text = how_text;
        ids.clear();
        if (rank == 1) {
          if (*id > 0) ids.push_back(static_cast<EntityId>(*id));
        } else if (rank == 2) {
          PG_ASSIGN_OR_RETURN(ids, BindNameToAll(*st_->run, *name, notice));
          start_text += ": " + WithThousands(ids.size()) + (ids.size() == 1 ? " entity" : " entities");
        }
      }
    }
    const size_t start = static_cast<size_t>(best);
    // Walk right from the start, then left.
    std::vector<Step> steps;
    std::set<size_t> reached = {start};
    auto var_bound = [&](size_t node) {
      const std::string& v = pat.nodes[node].var;
      return !v.empty() && bound->count(v) > 0;
    };
    for (size_t i = start; i + 1 < pat.nodes.size(); ++i) {
      steps.push_back({i, i, i + 1, true, false});
    }
    for (size_t i = start; i > 0; --i) {
      steps.push_back({i - 1, i, i - 1, false, false});
    }
    // A step must reach an entity already bound: by an earlier pattern, or by this pattern when
    // the same variable appears twice.
    std::set<std::string> seen;
    if (!pat.nodes[start].var.empty()) seen.insert(pat.nodes[start].var);
    for (Step& s : steps) {
      const std::string& v = pat.nodes[s.to].var;
      s.to_bound = var_bound(s.to) || (!v.empty() && seen.count(v) > 0);
      if (!v.empty()) seen.insert(v);
    }
    for (Step& s : steps) s.to_typed = LabelImplied(rels[s.rel], s.forward, nodes[s.to]);
    std::vector<size_t> edges = *edge_slots_bound;
    for (const RelSpec& r : rels) edge_slots_bound->push_back(r.slot);
    for (const NodePattern& n : pat.nodes) {
      if (!n.var.empty()) bound->insert(n.var);
    }
    if (how == PatternStart::kBound) ids.clear();
    return NewPatternOp(st_, std::move(child), std::move(nodes), std::move(rels), start, how, std::move(ids), std::move(start_text),
                        std::move(steps), std::move(edges), std::move(text));
  }

  const MatchQuery& q_;
  std::shared_ptr<State> st_;
  std::vector<std::vector<size_t>> node_slots_, rel_slots_;
};

// A question's pattern state: candidates filtered after the walk (and counted for the notice),
// steps streamed rather than collected.
std::shared_ptr<State> QuestionState(StatementRun& run) {
  auto st = std::make_shared<State>();
  st->run = &run;
  st->admit_while_walking = false;
  st->stream_steps = true;
  return st;
}

}  // namespace

Result<MatchPlan> PlanMatch(const MatchQuery& query, StatementRun& run) {
  Planner planner(query, run);
  return planner.Plan();
}

Result<MatchPlan> PlanRelationQuestion(const RelationQuestion& q, StatementRun& run) {
  const BoundQuestion& b = *q.bound;
  const RelationTypeDef& rel = *b.relation;
  auto st = QuestionState(run);
  // (subject)-[r:TYPE]->(object): two node slots and one relation slot.
  st->scope.vars = {{"subject", true, false, 0}, {"object", true, false, 1}, {"r", false, false, 0}};
  st->scope.node_slots = 2;
  st->scope.edge_slots = 1;
  const size_t anchor = b.subjects ? 1 : 0;
  const size_t other = 1 - anchor;
  std::vector<NodeSpec> nodes(2);
  nodes[0].slot = 0;
  nodes[0].text = "(subject)";
  nodes[1].slot = 1;
  nodes[1].text = "(object)";

  RelSpec spec;
  spec.slot = 0;
  spec.var = "r";
  spec.types = {rel.name};
  spec.dir = RelPattern::Dir::kOut;
  spec.needs_record = true;
  std::string conditions;
  for (size_t i = 0; i < b.nodes.size(); ++i) {
    const NodeCondition& c = b.nodes[i];
    conditions += (conditions.empty() ? "" : ", ") + c.slot + " in " + c.label;
    if (static_cast<int>(i) == q.via_index) {
      // Every relation the index lists has the slot's value in the set: no check left to do.
      spec.index_slot = c.slot;
      spec.index_values = c.values;
      continue;
    }
    spec.slot_in.emplace_back(c.slot, std::unordered_set<EntityId>(c.values.begin(), c.values.end()));
  }
  for (const auto& [slot, text] : b.literals) {
    conditions += (conditions.empty() ? "" : ", ") + slot + " = \"" + text + "\"";
    spec.slot_text.emplace_back(slot, text);
  }
  if (q.via_index >= 0) {
    spec.access_text = "by the qualifier index of " + spec.index_slot;
  } else if (rel.symmetric) {
    spec.access_text = "(symmetric: both directions)";
  }
  if (q.via_index >= 0 || q.estimate > 0) spec.access_text += "   est. " + WithThousands(q.estimate) + " rows";
  const std::string text = "(subject)-[r:" + rel.name + (conditions.empty() ? "" : " {" + conditions + "}") + "]->(object)";
  std::vector<RelSpec> rels;
  rels.push_back(std::move(spec));
  std::vector<Step> steps = {{0, anchor, other, /*forward=*/anchor == 0, false, false}};
  std::unique_ptr<Op> root = NewPatternOp(
      st, nullptr, std::move(nodes), std::move(rels), anchor, PatternStart::kIds,
      std::vector<EntityId>{b.anchor.id}, b.anchor.name + " #" + std::to_string(b.anchor.id), std::move(steps),
      std::vector<size_t>{}, text);
  // AS OF, then the candidates, on the matched rows as MATCH applies AS OF; a candidate left
  // out is counted for the answer's notice.
  if (run.st.as_of) root = AsOfFilter(run, std::move(root), *run.st.as_of);
  if (run.Floor() > 0) root = CandidateFilter(run, std::move(root));

  // RETURN subject, object, r.<slot> AS <slot>, ...
  MatchPlan plan;
  auto item = [&](Expr::Kind kind, const std::string& var, const std::string& key, const std::string& name) {
    ReturnItem it;
    it.expr.kind = kind;
    it.expr.text = var;
    it.expr.key = key;
    it.name = name;
    it.aliased = true;
    st->items.push_back(std::move(it));
    plan.columns.push_back(name);
  };
  item(Expr::Kind::kVar, "subject", "", "subject");
  item(Expr::Kind::kVar, "object", "", "object");
  for (const std::string& slot : q.slots) item(Expr::Kind::kProp, "r", slot, slot);
  std::string columns;
  for (const std::string& c : plan.columns) columns += (columns.empty() ? "" : ", ") + c;
  plan.root = NewProjectOp(st, std::move(root), &st->items, std::vector<KeySource>{}, "Return " + columns);
  return plan;
}

Result<MatchPlan> PlanSaidAbout(const Entity& x, StatementRun& run) {
  auto st = QuestionState(run);
  // (speaker)-[:SAID]->(claim)-[:ABOUT]->(about): ABOUT takes relation slot 0 and SAID slot 1,
  // so that a row's relations are [ABOUT, SAID], as the filters and the evidence read them.
  st->scope.vars = {{"speaker", true, false, 0}, {"claim", true, false, 1}, {"about", true, false, 2}};
  st->scope.node_slots = 3;
  st->scope.edge_slots = 2;
  std::vector<NodeSpec> nodes(3);
  const char* const names[] = {"(speaker)", "(claim)", "(about)"};
  for (size_t i = 0; i < 3; ++i) {
    nodes[i].slot = i;
    nodes[i].text = names[i];
  }
  std::vector<RelSpec> rels(2);
  rels[0].slot = 1;
  rels[0].types = {"SAID"};
  rels[1].slot = 0;
  rels[1].types = {"ABOUT"};
  // Start at X, walk left: the claims about it, then who said each.
  std::vector<Step> steps = {{1, 2, 1, false, false, false}, {0, 1, 0, false, false, false}};
  std::unique_ptr<Op> root = NewPatternOp(
      st, nullptr, std::move(nodes), std::move(rels), 2, PatternStart::kIds, std::vector<EntityId>{x.id},
      x.name + " #" + std::to_string(x.id), std::move(steps), std::vector<size_t>{}, "(speaker)-[:SAID]->(claim)-[:ABOUT]->(about)");
  if (run.st.as_of) root = AsOfFilter(run, std::move(root), *run.st.as_of);
  if (run.Floor() > 0) root = CandidateFilter(run, std::move(root));
  MatchPlan plan;
  for (const char* name : {"speaker", "claim", "about"}) {
    ReturnItem it;
    it.expr.kind = Expr::Kind::kVar;
    it.expr.text = name;
    it.name = name;
    st->items.push_back(std::move(it));
    plan.columns.push_back(name);
  }
  plan.root = NewProjectOp(st, std::move(root), &st->items, std::vector<KeySource>{}, "Return speaker, claim, about");
  return plan;
}

}  // namespace pactgraph::query
