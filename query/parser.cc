#include "query/parser.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>
#include <unordered_set>

#include "graph/names.h"
#include "graph/text.h"

namespace pactgraph::query {
namespace {

std::string Lower(std::string_view s) { return AsciiLower(s); }

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(Lower(w));
  return out;
}

// "supports" -> "support", "is party to" -> "be party to", "passes" -> "pass".
std::string BaseForm(const std::string& word) {
  if (word == "is") return "be";
  if (word == "has") return "have";
  for (std::string_view end : {"sses", "shes", "ches", "xes", "zzes"}) {
    if (word.size() > end.size() && word.ends_with(end)) return word.substr(0, word.size() - 2);
  }
  if (word.size() > 2 && word.ends_with("s") && !word.ends_with("ss")) return word.substr(0, word.size() - 1);
  return word;
}

// True when "YYYY-MM-DD" (the lexer has checked the shape) names a day of the Gregorian
// calendar: month 1 to 12, the day within the month, February 29 in leap years only.
bool IsCalendarDate(std::string_view d) {
  auto number = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t k = at; k < at + n; ++k) v = v * 10 + (d[k] - '0');
    return v;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

using VerbForm = Grammar::Verb;

// Words that end a bare (unquoted) name.
const char* const kStructural[] = {"to", "max", "via", "limit", "exactly", "as", "does", "who", "what", "depth"};

class Parser {
 public:
  Parser(std::string_view text, const Schema& schema, const Grammar& grammar)
      : text_(text), toks_(Lex(text)), schema_(schema), verbs_(grammar.verbs()) {}

  ParseOutcome Run() {
    ParseOutcome out;
    try {
      for (;;) {
        while (Peek().IsPunct(";")) ++i_;
        if (Peek().kind == Tok::kEnd) break;
        out.statements.push_back(Statement1());
        if (Peek().IsPunct(";")) continue;
        if (Peek().kind != Tok::kEnd) Fail("\";\" or the end of the query");
      }
      if (out.statements.empty()) Fail("a query such as WHO SUPPORTS X ON Y, WHAT RUNS ON Y, MATCH (a)-[r]->(b) RETURN a, PATH A TO B or SHOW X");
    } catch (const SyntaxError& e) {
      out.statements.clear();
      out.error = e;
    }
    return out;
  }

 private:
  const Token& Peek(size_t ahead = 0) const { return toks_[std::min(i_ + ahead, toks_.size() - 1)]; }
  const Token& Take() {
    const Token& t = Peek();
    if (i_ < toks_.size() - 1) ++i_;
    return t;
  }

  // The number token at hand, taken: its first `keep` digits (a hop count of 9999999 is refused
  // later by its bound, not read whole). Callers have checked it is a whole number; one that does
  // not fit in 64 bits is still an error here, never an exception from std::stoull.
  uint64_t TakeDigits(const std::string& expected, size_t keep = std::string::npos) {
    uint64_t v = 0;
    if (Peek().kind != Tok::kNumber || !ParseDigits(std::string_view(Peek().text).substr(0, keep), &v)) Fail(expected);
    Take();
    return v;
  }

  [[noreturn]] void Fail(const std::string& expected, const std::string& hint = {}) const {
    const Token& t = Peek();
    SyntaxError e;
    e.pos = t.pos;
    e.expected = expected;
    e.found = Describe(t);
    e.message = t.kind == Tok::kError ? t.text + " (expected " + expected + ")"
                                      : "expected " + expected + ", found " + e.found;
    if (!hint.empty()) e.message += "; " + hint;
    throw e;
  }

  bool Accept(std::string_view keyword) {
    if (!Peek().Is(keyword)) return false;
    ++i_;
    return true;
  }
  void Expect(std::string_view keyword, const std::string& what) {
    if (!Accept(keyword)) Fail(what);
  }

  Statement Statement1() {
    Statement s;
    s.pos = Peek().pos;
    if (Accept("explain")) {
      s.explain = true;
    } else if (Accept("profile")) {
      s.profile = true;
    }
    if (Accept("who")) {
      s.body = WhoQuestion();
    } else if (Accept("what")) {
      s.body = WhatQuestion();
    } else if (Accept("path")) {
      s.body = Path(false);
    } else if (Accept("paths")) {
      s.body = Path(true);
    } else if (Accept("components")) {
      ComponentsQuery c;
      if (Accept("of")) {
        do {
          c.types.push_back(EntityType("an entity type after OF (such as Company, Product)"));
        } while (Peek().IsPunct(",") && (++i_, true));
      }
      s.body = c;
    } else if (Accept("rank")) {
      RankQuery r;
      r.type = EntityType("an entity type after RANK (such as Company, Product)");
      Expect("by", "BY and PAGERANK, DEGREE or BETWEENNESS");
      if (Accept("pagerank")) {
        r.by = RankQuery::By::kPageRank;
      } else if (Accept("degree")) {
        r.by = RankQuery::By::kDegree;
      } else if (Accept("betweenness")) {
        r.by = RankQuery::By::kBetweenness;
      } else {
        Fail("PAGERANK, DEGREE or BETWEENNESS after BY");
      }
      s.body = r;
    } else if (Accept("neighbourhood") || Accept("neighborhood")) {
      NeighbourhoodQuery nb;
      nb.name = Name("the name of an entity after NEIGHBOURHOOD", {});
      if (Accept("depth")) {
        if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos) Fail("a number of hops after DEPTH");
        nb.depth = static_cast<int>(TakeDigits("a number of hops after DEPTH", 6));
      }
      s.body = nb;
    } else if (Accept("timeline")) {
      s.body = TimelineQuery{Name("the name of an entity or agreement after TIMELINE", {})};
    } else if (Accept("changes")) {
      ChangesQuery c;
      if (Accept("of")) c.name = Name("the name of an entity after CHANGES OF", {.stop_at_verbs = false, .stop_at_between = true});
      Expect("between", std::string(c.name ? "BETWEEN after the name" : "OF or BETWEEN after CHANGES"));
      c.from = Day("a date YYYY-MM-DD after BETWEEN");
      Expect("and", "AND after the first date");
      c.to = Day("a date YYYY-MM-DD after AND");
      if (c.to < c.from) {
        --i_;  // the error points at the second date
        Fail("a date YYYY-MM-DD after AND", "the window ends before it begins (" + c.from + ")");
      }
      s.body = std::move(c);
    } else if (Accept("conflicts")) {
      ConflictsQuery c;
      if (Accept("about")) c.name = Name("the name of an entity after CONFLICTS ABOUT", {});
      s.body = std::move(c);
    } else if (Accept("show")) {
      s.body = ShowQuery{Name("the name of an entity after SHOW", {})};
    } else if (Accept("match")) {
      s.body = Match();
    } else {
      Fail("WHO, WHAT, MATCH, PATH, PATHS, SHOW, RANK, COMPONENTS, NEIGHBOURHOOD, TIMELINE, CHANGES, CONFLICTS, EXPLAIN or PROFILE");
    }
    Tail(s);
    return s;
  }

  // WITH CANDIDATES: two words, so that WITH stays a preposition before anything else.
  bool AtWithCandidates(size_t ahead = 0) const { return Peek(ahead).Is("with") && Peek(ahead + 1).Is("candidates"); }
  // ORDER BY: two words, so that "order" alone stays a word of a name.
  bool AtOrderBy(size_t ahead = 0) const { return Peek(ahead).Is("order") && Peek(ahead + 1).Is("by"); }

  // A real calendar day, YYYY-MM-DD.
  std::string Day(const std::string& what) {
    if (Peek().kind != Tok::kDate) Fail(what);
    if (!IsCalendarDate(Peek().text)) Fail(what, "there is no such day");
    return Take().text;
  }

  // [AS OF date] [LIMIT n] [WITH CANDIDATES], in any order; a WHO or WHAT question's
  // [ORDER BY SOURCES] among them.
  void Tail(Statement& s) {
    Question* q = std::get_if<Question>(&s.body);
    for (;;) {
      if (q && q->kind != Question::Kind::kSaidAbout && AtOrderBy()) {
        if (q->by_sources) Fail("one ORDER BY");
        i_ += 2;
        if (!Accept("sources")) Fail("SOURCES after ORDER BY (WHO and WHAT answers are ordered by how many documents state each fact)");
        q->by_sources = true;
      } else if (AtWithCandidates()) {
        if (s.candidates) Fail("one WITH CANDIDATES");
        i_ += 2;
        s.candidates = true;
      } else if (Peek().Is("as") && Peek(1).Is("of")) {
        if (s.as_of) Fail("one AS OF");
        i_ += 2;
        if (Peek().kind != Tok::kDate) Fail("a date YYYY-MM-DD after AS OF");
        if (!IsCalendarDate(Peek().text)) Fail("a date YYYY-MM-DD after AS OF", "there is no such day");
        s.as_of = Take().text;
      } else if (Peek().Is("limit")) {
        if (s.limit) Fail("one LIMIT");
        ++i_;
        if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos || Peek().text.size() > 18) {
          Fail("a whole number of at most 18 digits after LIMIT");
        }
        s.limit = TakeDigits("a whole number of at most 18 digits after LIMIT");
      } else {
        return;
      }
    }
  }

  // Matches the longest verb at the cursor; nullptr when none does.
  const VerbForm* MatchVerb(size_t at) const {
    for (const VerbForm& v : verbs_) {
      bool ok = true;
      for (size_t k = 0; ok && k < v.words.size(); ++k) {
        const Token& t = Peek(at - i_ + k);
        ok = t.kind == Tok::kWord && Lower(t.text) == v.words[k];
      }
      if (ok) return &v;
    }
    return nullptr;
  }

  std::string VerbExamples() const {
    std::string out;
    int n = 0;
    for (const RelationTypeDef& r : schema_.relation_types()) {
      if (r.verb.empty() || n == 6) continue;
      out += (n++ ? ", " : "") + r.verb;
    }
    return "a verb such as " + out;
  }

  // The verb nearest to a misspelt word, by edit distance (at most 2).
  std::string NearestVerb(const Token& t) const {
    if (t.kind != Tok::kWord) return {};
    const std::string w = Lower(t.text);
    std::string best;
    size_t best_d = 3;
    for (const VerbForm& v : verbs_) {
      const std::string& c = v.words[0];
      const size_t d = BoundedEditDistance(w, c, 2);
      if (d < best_d) {
        best_d = d;
        best = c;
        for (size_t k = 1; k < v.words.size(); ++k) best += " " + v.words[k];
      }
    }
    return best;
  }

  std::string Verb(const char* after) {
    const VerbForm* v = MatchVerb(i_);
    if (!v) {
      const std::string near = NearestVerb(Peek());
      if (!near.empty()) Fail("a verb after " + std::string(after) + " (did you mean \"" + near + "\"?)");
      Fail(VerbExamples() + " after " + after);
    }
    i_ += v->words.size();
    return v->relation;
  }

  Question WhoQuestion() {
    Question q;
    if (Peek().Is("said") && Peek(1).Is("about")) {
      i_ += 2;
      q.kind = Question::Kind::kSaidAbout;
      q.anchor = Name("a name after WHO SAID ABOUT", {});
      return q;
    }
    q.kind = Question::Kind::kSubjects;
    q.relation = Verb("WHO");
    q.anchor = Name("a name after the verb", {});
    Conditions(q);
    return q;
  }

  Question WhatQuestion() {
    Question q;
    if (Accept("does") || Accept("do")) {
      q.kind = Question::Kind::kObjects;
      q.anchor = Name("a name after WHAT DOES", /*stop_at_verbs=*/{true});
      q.relation = Verb("the name");
      Conditions(q);
      return q;
    }
    q.kind = Question::Kind::kSubjects;
    q.relation = Verb("WHAT (or DOES)");
    q.anchor = Name("a name after the verb", {});
    Conditions(q);
    return q;
  }

  // ON [EXACTLY] Y, AS guest, OF Z, ...: prepositions of the relation type's slots.
  void Conditions(Question& q) {
    const RelationTypeDef* rel = schema_.FindRelationType(q.relation);
    for (;;) {
      const Token& t = Peek();
      if (t.kind != Tok::kWord || (t.Is("as") && Peek(1).Is("of")) || AtWithCandidates() || AtOrderBy()) return;
      const SlotDef* slot = nullptr;
      for (const SlotDef& s : schema_.slots()) {
        if (!s.preposition.empty() && t.Is(s.preposition) && schema_.AllowsSlot(*rel, s.name)) {
          slot = &s;
          break;
        }
      }
      if (!slot) {
        if (t.Is("limit")) return;
        std::string preps;
        for (const SlotDef& s : schema_.slots()) {
          if (!s.preposition.empty() && schema_.AllowsSlot(*rel, s.name)) preps += (preps.empty() ? "" : ", ") + Upper(s.preposition);
        }
        Fail("a preposition of " + q.relation + " (" + preps + "), ORDER BY SOURCES, AS OF, LIMIT, WITH CANDIDATES, \";\" or the end");
      }
      ++i_;
      SlotCondition c;
      c.slot = slot->name;
      c.literal = slot->kind == SlotKind::kLiteral;
      if (!c.literal && Accept("exactly")) c.exact = true;
      c.value = Name("a value after " + Upper(slot->preposition), {});
      for (const SlotCondition& other : q.conditions) {
        if (other.slot == c.slot) {
          SyntaxError e;
          e.pos = t.pos;
          e.found = Describe(t);
          e.expected = "each preposition once";
          e.message = "\"" + Upper(slot->preposition) + "\" is given twice; each preposition can be used once";
          throw e;
        }
      }
      q.conditions.push_back(std::move(c));
    }
  }

  static std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  bool StopsName(size_t at, bool stop_at_verbs) const {
    const Token& t = Peek(at - i_);
    if (t.kind != Tok::kWord && t.kind != Tok::kNumber) return true;
    if (AtWithCandidates(at - i_) || AtOrderBy(at - i_)) return true;
    for (const char* k : kStructural) {
      if (t.Is(k)) return true;
    }
    for (const SlotDef& s : schema_.slots()) {
      if (!s.preposition.empty() && t.Is(s.preposition)) return true;
    }
    return stop_at_verbs && MatchVerb(at) != nullptr;
  }

  struct NameOptions {
    bool stop_at_verbs = false;
    bool stop_at_between = false;  // CHANGES OF X BETWEEN ...
  };

  // "quoted name", #42, or bare words up to a keyword or preposition.
  // A name, its span reaching to the end of its last word.
  NameRef Name(const std::string& what, NameOptions opts) {
    const size_t first = i_;
    NameRef n = NameTokens(what, opts);
    const Token& last = toks_[i_ > first ? i_ - 1 : first];
    n.pos.length = last.pos.offset + last.pos.length - n.pos.offset;
    return n;
  }
  NameRef NameTokens(const std::string& what, NameOptions opts) {
    NameRef n;
    n.pos = Peek().pos;
    if (Peek().kind == Tok::kString || Peek().kind == Tok::kQuotedId) {
      n.quoted = true;
      n.text = Take().text;
      if (n.text.empty()) {
        --i_;
        Fail(what + " (the quotes are empty)");
      }
      return n;
    }
    if (Peek().IsPunct("#")) {
      ++i_;
      // An id is range-checked here: past 2^64 it names nothing (storage::ParseEntityId says the same).
      n.text = "#" + Peek().text;
      n.id = TakeDigits("an entity id (a whole number below 2^64) after #");
      return n;
    }
    if (Peek().kind == Tok::kDate) {
      n.text = Take().text;
      return n;
    }
    if (Peek().kind == Tok::kParam) {
      n.param = Take().text;
      n.text = "$" + n.param;
      return n;
    }
    auto stops = [&] { return StopsName(i_, opts.stop_at_verbs) || (opts.stop_at_between && Peek().Is("between")); };
    if (stops()) Fail(what);
    while (!stops()) n.text += (n.text.empty() ? "" : " ") + Take().text;
    return n;
  }

  // An entity type of the schema, by name (case-insensitive).
  std::string EntityType(const std::string& what) {
    const Token& t = Peek();
    if (t.kind == Tok::kWord) {
      for (const EntityTypeDef& d : schema_.entity_types()) {
        if (t.Is(d.name)) {
          ++i_;
          return d.name;
        }
      }
    }
    Fail(what);
    return {};
  }

  PathQuery Path(bool all) {
    PathQuery p;
    p.all = all;
    if (!all && Accept("weighted")) p.weighted = true;
    Accept("from");
    p.from = Name("the name the path starts from", {});
    Expect("to", "TO and the name the path ends at");
    p.to = Name("the name the path ends at", {});
    for (;;) {
      if (Accept("max")) {
        if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos) Fail("a number of hops after MAX");
        p.max_pos = Peek().pos;
        p.max_hops = static_cast<int>(TakeDigits("a number of hops after MAX", 6));
      } else if (Accept("via")) {
        do {
          const Token& t = Peek();
          const RelationTypeDef* r = nullptr;
          if (t.kind == Tok::kWord) {
            for (const RelationTypeDef& d : schema_.relation_types()) {
              if (t.Is(d.name)) r = &d;
            }
          }
          if (!r) Fail("a relation type after VIA (such as SUPPORTS, RUNS_ON, PARTNERS_WITH)");
          p.via.push_back(r->name);
          ++i_;
        } while (Peek().IsPunct(",") && (++i_, true));
      } else {
        return p;
      }
    }
  }

  // --------------------------------------------------------------------------- MATCH

  MatchQuery Match() {
    MatchQuery m;
    size_t nodes = 0;
    do {
      do {
        const Pos at = Peek().pos;
        m.patterns.push_back(PathPattern1());
        // Each pattern is an operator pulling from the previous one, and each node a level of
        // the walk: a statement of thousands would recurse that deep when it runs.
        nodes += m.patterns.back().nodes.size();
        if (nodes > kMaxPatternNodes) {
          SyntaxError e;
          e.pos = at;
          e.expected = "at most " + std::to_string(kMaxPatternNodes) + " node patterns in one MATCH";
          e.found = "more";
          e.message = "this MATCH has more than " + std::to_string(kMaxPatternNodes) + " node patterns; split the query";
          throw e;
        }
      } while (Peek().IsPunct(",") && (++i_, true));
    } while (Accept("match"));
    if (Accept("where")) m.where = Expression();
    Expect("return", "RETURN (or WHERE, or \",\" and another pattern)");
    if (Accept("distinct")) m.distinct = true;
    if (Peek().IsPunct("*")) {
      ++i_;
      m.star = true;
    } else {
      std::unordered_set<std::string> columns;
      do {
        ReturnItem item;
        const size_t first = i_;
        item.expr = Expression();
        if (Peek().Is("as") && !(Peek(1).Is("of") && Peek(2).kind == Tok::kDate)) {
          ++i_;
          if (Peek().kind != Tok::kWord && Peek().kind != Tok::kQuotedId) Fail("a column name after AS");
          item.name = Take().text;
          item.aliased = true;
        } else {
          item.name = Source(first, i_);
        }
        if (!columns.insert(item.name).second) {
          --i_;
          Fail("a column name not used twice (\"" + item.name + "\" is already a column; name it with AS)");
        }
        m.items.push_back(std::move(item));
      } while (Peek().IsPunct(",") && (++i_, true));
    }
    if (Peek().Is("order")) {
      ++i_;
      Expect("by", "BY after ORDER");
      do {
        SortKey k;
        k.expr = Expression();
        if (Accept("desc") || Accept("descending")) {
          k.descending = true;
        } else if (!Accept("asc")) {
          Accept("ascending");
        }
        m.order.push_back(std::move(k));
      } while (Peek().IsPunct(",") && (++i_, true));
    }
    if (Accept("skip")) {
      if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos || Peek().text.size() > 18) {
        Fail("a whole number of at most 18 digits after SKIP");
      }
      m.skip = TakeDigits("a whole number of at most 18 digits after SKIP");
    }
    return m;
  }

  // The query text from token `first` up to (not including) token `end`.
  std::string Source(size_t first, size_t end) const {
    const size_t b = toks_[first].pos.offset;
    const Token& last = toks_[end - 1];
    const size_t e = last.pos.offset + last.raw.size();
    return std::string(text_.substr(b, e - b));
  }

  static bool IsName(const Token& t) { return t.kind == Tok::kWord || t.kind == Tok::kQuotedId; }

  PathPattern PathPattern1() {
    PathPattern p;
    p.nodes.push_back(Node());
    for (;;) {
      RelPattern r;
      r.pos = Peek().pos;
      bool left = false;
      if (Peek().IsPunct("<-")) {
        left = true;
      } else if (!Peek().IsPunct("-")) {
        return p;
      }
      ++i_;
      if (Peek().IsPunct("[")) {
        ++i_;
        RelDetail(r);
        if (!Peek().IsPunct("]")) Fail("\"]\" to close the relation pattern");
        ++i_;
      }
      if (Peek().IsPunct("->")) {
        r.dir = left ? RelPattern::Dir::kBoth : RelPattern::Dir::kOut;
      } else if (Peek().IsPunct("-")) {
        r.dir = left ? RelPattern::Dir::kIn : RelPattern::Dir::kBoth;
      } else {
        Fail(left ? "\"-\" to end the relation pattern <-[...]-" : "\"->\" or \"-\" to end the relation pattern");
      }
      ++i_;
      p.rels.push_back(std::move(r));
      p.nodes.push_back(Node());
    }
  }

  NodePattern Node() {
    NodePattern n;
    n.pos = Peek().pos;
    if (!Peek().IsPunct("(")) Fail("\"(\" to start a node pattern such as (c:Company)");
    ++i_;
    if (IsName(Peek())) n.var = Take().text;
    while (Peek().IsPunct(":")) {
      ++i_;
      n.labels.push_back(EntityLabel());
    }
    if (Peek().IsPunct("{")) n.properties = PropertyMap();
    if (!Peek().IsPunct(")")) Fail("\")\" to close the node pattern");
    ++i_;
    return n;
  }

  // A closest-by-spelling suggestion among `names`, or "".
  static std::string Nearest(const std::string& word, const std::vector<std::string>& names) {
    std::string best;
    size_t best_d = 3;
    for (const std::string& n : names) {
      const size_t d = BoundedEditDistance(Lower(word), Lower(n), 2);
      if (d < best_d) {
        best_d = d;
        best = n;
      }
    }
    return best;
  }

  std::string EntityLabel() {
    const Token& t = Peek();
    std::vector<std::string> names;
    for (const EntityTypeDef& d : schema_.entity_types()) {
      if (IsName(t) && Lower(t.text) == Lower(d.name)) {
        ++i_;
        return d.name;
      }
      names.push_back(d.name);
    }
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    const std::string near = IsName(t) ? Nearest(t.text, names) : "";
    Fail("an entity type (" + list + ")", near.empty() ? "" : "did you mean " + near + "?");
  }

  std::string RelationType() {
    const Token& t = Peek();
    std::vector<std::string> names;
    for (const RelationTypeDef& d : schema_.relation_types()) {
      if (IsName(t) && Lower(t.text) == Lower(d.name)) {
        ++i_;
        return d.name;
      }
      names.push_back(d.name);
    }
    const std::string near = IsName(t) ? Nearest(t.text, names) : "";
    Fail("a relation type such as SUPPORTS, RUNS_ON, PARTNERS_WITH", near.empty() ? "" : "did you mean " + near + "?");
  }

  int HopCount() {
    if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos || Peek().text.size() > 6) {
      Fail("a whole number of relations");
    }
    return static_cast<int>(TakeDigits("a whole number of relations"));
  }

  void RelDetail(RelPattern& r) {
    if (IsName(Peek())) r.var = Take().text;
    if (Peek().IsPunct(":")) {
      ++i_;
      r.types.push_back(RelationType());
      while (Peek().IsPunct("|")) {
        ++i_;
        if (Peek().IsPunct(":")) ++i_;
        // A type named twice is walked once.
        std::string t = RelationType();
        if (std::find(r.types.begin(), r.types.end(), t) == r.types.end()) r.types.push_back(std::move(t));
      }
    }
    if (Peek().IsPunct("*")) {
      ++i_;
      r.variable = true;
      r.min_hops = 1;
      r.max_hops = -1;
      if (Peek().kind == Tok::kNumber) {
        r.min_hops = HopCount();
        r.max_hops = r.min_hops;
      }
      if (Peek().IsPunct("..")) {
        ++i_;
        r.max_hops = Peek().kind == Tok::kNumber ? HopCount() : -1;
      }
      if (r.max_hops >= 0 && r.max_hops < r.min_hops) {
        --i_;
        Fail("a largest number of relations not below the smallest");
      }
    }
    if (Peek().IsPunct("{")) r.properties = PropertyMap();
  }

  std::vector<std::pair<std::string, Expr>> PropertyMap() {
    std::vector<std::pair<std::string, Expr>> out;
    ++i_;  // {
    if (Peek().IsPunct("}")) {
      ++i_;
      return out;
    }
    for (;;) {
      if (!IsName(Peek())) Fail("a property name such as name, id or a qualifier slot");
      std::string key = Lower(Take().text);
      if (!Peek().IsPunct(":")) Fail("\":\" after the property name");
      ++i_;
      Expr v = Expression();
      out.emplace_back(std::move(key), std::move(v));
      if (Peek().IsPunct(",")) {
        ++i_;
        continue;
      }
      if (!Peek().IsPunct("}")) Fail("\",\" or \"}\" in the property map");
      ++i_;
      return out;
    }
  }

  // Precedence, loosest first: OR, XOR, AND, NOT, comparison, unary minus, atoms.
  // Two bounds keep a hostile query from exhausting the stack. The parser recurses on
  // parentheses, lists, calls, NOT and unary minus, so their nesting is bounded; chains of
  // operators are parsed in loops. The tree's depth is bounded too (kMaxExpressionDepth), since
  // a left-nested chain built in a loop (1 = 1 = 1 ...) is still walked recursively later; OR,
  // XOR and AND chains are one node with many operands, so they may be as long as the text.
  static constexpr int kMaxNesting = 100;
  int nesting_ = 0;
  struct Nested {
    explicit Nested(Parser* p) : p_(p) {
      if (++p_->nesting_ > kMaxNesting) {
        p_->FailDeep(p_->Peek().pos, kMaxNesting, "brackets, calls, NOT or minus signs inside one another");
      }
    }
    ~Nested() { --p_->nesting_; }
    Parser* p_;
  };

  [[noreturn]] void FailDeep(const Pos& pos, int bound, const std::string& what) const {
    SyntaxError e;
    e.pos = pos;
    e.expected = "an expression nested at most " + std::to_string(bound) + " deep";
    e.found = "one nested deeper";
    e.message = "expression nested too deeply: more than " + std::to_string(bound) + " " + what;
    throw e;
  }

  // Makes `child` an operand of `parent`, keeping the tree within kMaxExpressionDepth.
  void Adopt(Expr& parent, Expr child) {
    parent.depth = std::max(parent.depth, child.depth + 1);
    if (parent.depth > kMaxExpressionDepth) {
      FailDeep(parent.pos, kMaxExpressionDepth, "operators, calls or lists inside one another (a chain such as a = b = c nests one level per operator)");
    }
    parent.args.push_back(std::move(child));
  }

  Expr Expression() {
    Nested guard(this);
    return Or();
  }

  Expr Binary(Expr::Kind kind, Expr a, Expr b, Pos pos) {
    Expr e;
    e.kind = kind;
    e.pos = pos;
    Adopt(e, std::move(a));
    Adopt(e, std::move(b));
    return e;
  }

  // One level of an associative operator: operands from `next`, joined by `keyword`, all
  // operands of one node (a OR b OR c is (or a b c)).
  Expr Associative(std::string_view keyword, Expr::Kind kind, Expr (Parser::*next)()) {
    Expr first = (this->*next)();
    if (!Peek().Is(keyword)) return first;
    Expr e;
    e.kind = kind;
    e.pos = Peek().pos;
    Adopt(e, std::move(first));
    while (Peek().Is(keyword)) {
      ++i_;
      Adopt(e, (this->*next)());
    }
    return e;
  }
  Expr Or() { return Associative("or", Expr::Kind::kOr, &Parser::Xor); }
  Expr Xor() { return Associative("xor", Expr::Kind::kXor, &Parser::And); }
  Expr And() { return Associative("and", Expr::Kind::kAnd, &Parser::Not); }
  Expr Not() {
    if (Peek().Is("not")) {
      Nested guard(this);
      Expr e;
      e.kind = Expr::Kind::kNot;
      e.pos = Take().pos;
      Adopt(e, Not());
      return e;
    }
    return Comparison();
  }

  Expr Comparison() {
    Expr e = Unary();
    for (;;) {
      const Token& t = Peek();
      const Pos p = t.pos;
      if (t.kind == Tok::kPunct && (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" ||
                                    t.text == ">" || t.text == "<=" || t.text == ">=")) {
        std::string op = t.text == "!=" ? "<>" : t.text;
        ++i_;
        e = Binary(Expr::Kind::kCompare, std::move(e), Unary(), p);
        e.text = std::move(op);
      } else if (t.Is("contains")) {
        ++i_;
        e = Binary(Expr::Kind::kContains, std::move(e), Unary(), p);
      } else if (t.Is("starts") || t.Is("ends")) {
        const bool starts = t.Is("starts");
        ++i_;
        Expect("with", starts ? "WITH after STARTS" : "WITH after ENDS");
        e = Binary(starts ? Expr::Kind::kStartsWith : Expr::Kind::kEndsWith, std::move(e), Unary(), p);
      } else if (t.Is("in")) {
        ++i_;
        e = Binary(Expr::Kind::kIn, std::move(e), Unary(), p);
      } else if (t.Is("is")) {
        ++i_;
        const bool negated = Accept("not");
        Expect("null", negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
        Expr n;
        n.kind = negated ? Expr::Kind::kIsNotNull : Expr::Kind::kIsNull;
        n.pos = p;
        Adopt(n, std::move(e));
        e = std::move(n);
      } else {
        return e;
      }
    }
  }

  Expr Unary() {
    if (Peek().IsPunct("-")) {
      Nested guard(this);
      Expr e;
      e.kind = Expr::Kind::kNeg;
      e.pos = Take().pos;
      Adopt(e, Unary());
      return e;
    }
    return Atom();
  }

  Expr Atom() {
    const Token& t = Peek();
    Expr e;
    e.pos = t.pos;
    switch (t.kind) {
      case Tok::kString:
      case Tok::kDate:
        e.kind = Expr::Kind::kText;
        e.text = Take().text;
        return e;
      case Tok::kNumber:
        if (t.text.find('.') != std::string::npos || t.text.size() > 18) Fail("a whole number (decimals are not supported)");
        e.kind = Expr::Kind::kInt;
        e.number = static_cast<int64_t>(TakeDigits("a whole number (decimals are not supported)"));
        return e;
      case Tok::kParam:
        e.kind = Expr::Kind::kParam;
        e.text = Take().text;
        return e;
      case Tok::kPunct:
        if (t.IsPunct("(")) {
          ++i_;
          e = Expression();
          if (!Peek().IsPunct(")")) Fail("\")\"");
          ++i_;
          return e;
        }
        if (t.IsPunct("[")) {
          ++i_;
          e.kind = Expr::Kind::kList;
          if (!Peek().IsPunct("]")) {
            do {
              Adopt(e, Expression());
            } while (Peek().IsPunct(",") && (++i_, true));
          }
          if (!Peek().IsPunct("]")) Fail("\",\" or \"]\" in the list");
          ++i_;
          return e;
        }
        break;
      case Tok::kWord:
      case Tok::kQuotedId:
        break;
      default:
        Fail("a value, a variable or a function call");
    }
    if (!IsName(t)) Fail("a value, a variable or a function call");
    if (t.kind == Tok::kWord) {
      if (t.Is("null")) {
        ++i_;
        e.kind = Expr::Kind::kNull;
        return e;
      }
      if (t.Is("true") || t.Is("false")) {
        e.kind = Expr::Kind::kBool;
        e.number = t.Is("true") ? 1 : 0;
        ++i_;
        return e;
      }
      if (Peek(1).IsPunct("(")) {
        e.kind = Expr::Kind::kCall;
        e.text = Lower(Take().text);
        ++i_;  // (
        if (e.text == "count" && Peek().IsPunct("*")) {
          ++i_;
          e.star = true;
        } else {
          if (Accept("distinct")) e.distinct = true;
          if (!Peek().IsPunct(")")) {
            do {
              Adopt(e, Expression());
            } while (Peek().IsPunct(",") && (++i_, true));
          }
        }
        if (!Peek().IsPunct(")")) Fail("\")\" to close the call of " + e.text + "()");
        ++i_;
        return e;
      }
    }
    e.kind = Expr::Kind::kVar;
    e.text = Take().text;
    if (Peek().IsPunct(".")) {
      ++i_;
      if (!IsName(Peek())) Fail("a property name after \".\"");
      e.kind = Expr::Kind::kProp;
      e.key = Lower(Take().text);
    }
    return e;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  const Schema& schema_;
  const std::vector<VerbForm>& verbs_;
};

void Quote(std::ostream& out, const std::string& s) {
  out << '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out << '\\';
    out << c;
  }
  out << '"';
}

void Print(std::ostream& out, const NameRef& n) {
  if (!n.param.empty()) {
    out << "(param " << n.param << ")";
  } else if (n.id) {
    out << "(id " << n.id << ")";
  } else {
    out << "(name ";
    Quote(out, n.text);
    out << ")";
  }
}

void PrintProperties(std::ostream& out, const std::vector<std::pair<std::string, Expr>>& props) {
  for (const auto& [k, v] : props) out << " (" << k << " " << ToString(v) << ")";
}

void PrintMatch(std::ostream& out, const MatchQuery& m) {
  out << "(match";
  for (const PathPattern& p : m.patterns) {
    out << " (pattern";
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      const NodePattern& n = p.nodes[i];
      out << " (node " << (n.var.empty() ? "_" : n.var);
      for (const std::string& l : n.labels) out << " :" << l;
      PrintProperties(out, n.properties);
      out << ")";
      if (i < p.rels.size()) {
        const RelPattern& r = p.rels[i];
        out << " (rel " << (r.var.empty() ? "_" : r.var) << " "
            << (r.dir == RelPattern::Dir::kOut ? "out" : r.dir == RelPattern::Dir::kIn ? "in" : "both");
        for (const std::string& t : r.types) out << " :" << t;
        if (r.variable) out << " *" << r.min_hops << ".." << (r.max_hops < 0 ? std::string() : std::to_string(r.max_hops));
        PrintProperties(out, r.properties);
        out << ")";
      }
    }
    out << ")";
  }
  if (m.where) out << " (where " << ToString(*m.where) << ")";
  out << " (return" << (m.distinct ? " distinct" : "");
  if (m.star) out << " *";
  for (const ReturnItem& item : m.items) {
    out << " (";
    Quote(out, item.name);
    out << " " << ToString(item.expr) << ")";
  }
  out << ")";
  if (!m.order.empty()) {
    out << " (order";
    for (const SortKey& k : m.order) out << " (" << (k.descending ? "desc " : "asc ") << ToString(k.expr) << ")";
    out << ")";
  }
  if (m.skip) out << " (skip " << m.skip << ")";
  out << ")";
}

// Writes into one stream: a tree printed by returning strings would copy each subtree's text
// once per level above it.
void PrintExpr(std::ostream& out, const Expr& e) {
  auto args = [&](std::string_view head) {
    out << "(" << head;
    for (const Expr& a : e.args) {
      out << " ";
      PrintExpr(out, a);
    }
    out << ")";
  };
  switch (e.kind) {
    case Expr::Kind::kNull: out << "null"; break;
    case Expr::Kind::kBool: out << (e.number ? "true" : "false"); break;
    case Expr::Kind::kInt: out << e.number; break;
    case Expr::Kind::kText: Quote(out, e.text); break;
    case Expr::Kind::kParam: out << "$" << e.text; break;
    case Expr::Kind::kList: args("list"); break;
    case Expr::Kind::kVar: out << e.text; break;
    case Expr::Kind::kProp: out << e.text << "." << e.key; break;
    case Expr::Kind::kNot: args("not"); break;
    case Expr::Kind::kNeg: args("-"); break;
    case Expr::Kind::kAnd: args("and"); break;
    case Expr::Kind::kOr: args("or"); break;
    case Expr::Kind::kXor: args("xor"); break;
    case Expr::Kind::kCompare: args(e.text); break;
    case Expr::Kind::kContains: args("contains"); break;
    case Expr::Kind::kStartsWith: args("starts-with"); break;
    case Expr::Kind::kEndsWith: args("ends-with"); break;
    case Expr::Kind::kIn: args("in"); break;
    case Expr::Kind::kIsNull: args("is-null"); break;
    case Expr::Kind::kIsNotNull: args("is-not-null"); break;
    case Expr::Kind::kCall:
      if (e.star) {
        out << "(" << e.text << " *)";
      } else {
        args(e.distinct ? e.text + " distinct" : e.text);
      }
      break;
  }
}

}  // namespace

std::string ToString(const Expr& e) {
  std::ostringstream out;
  PrintExpr(out, e);
  return out.str();
}

Grammar::Grammar(const Schema& schema) : relation_types_(schema.relation_types().size()) {
  for (const RelationTypeDef& r : schema.relation_types()) {
    std::vector<std::string> w = Words(r.verb);
    if (!w.empty()) {
      verbs_.push_back({w, r.name});
      std::vector<std::string> base = w;
      base[0] = BaseForm(base[0]);
      if (base != w) verbs_.push_back({base, r.name});
    }
    verbs_.push_back({{Lower(r.name)}, r.name});
  }
  // Longest first, so that "runs on" wins over a one-word verb.
  std::stable_sort(verbs_.begin(), verbs_.end(), [](const Verb& a, const Verb& b) { return a.words.size() > b.words.size(); });
}

ParseOutcome Parse(std::string_view text, const Schema& schema, const Grammar& grammar) {
  return Parser(text, schema, grammar).Run();
}

ParseOutcome Parse(std::string_view text, const Schema& schema) { return Parse(text, schema, Grammar(schema)); }

std::vector<std::string> ParameterNames(const Statement& s) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  auto add = [&](const std::string& name) {
    if (!name.empty() && seen.insert(name).second) out.push_back(name);
  };
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (e.kind == Expr::Kind::kParam) add(e.text);
    for (const Expr& a : e.args) walk(a);
  };
  (void)ForEachValueSite(
      s, [&](const NameRef& n, bool) { add(n.param); return Status::OK(); },
      [&](const Expr& e) { walk(e); return Status::OK(); });
  return out;
}

Status ToStatus(const SyntaxError& e) {
  return Status::InvalidArgument(e.message).At("<query>", e.pos.line, e.pos.column, e.pos.offset, e.pos.length);
}

std::string ToString(const Statement& s) {
  std::ostringstream out;
  if (s.explain) out << "(explain ";
  if (s.profile) out << "(profile ";
  if (const auto* q = std::get_if<Question>(&s.body)) {
    out << "(question ";
    switch (q->kind) {
      case Question::Kind::kSubjects: out << "subjects " << q->relation << " "; break;
      case Question::Kind::kObjects: out << "objects " << q->relation << " "; break;
      case Question::Kind::kSaidAbout: out << "said-about "; break;
    }
    Print(out, q->anchor);
    for (const SlotCondition& c : q->conditions) {
      out << " (" << c.slot << (c.exact ? " exactly" : "") << " ";
      if (c.literal) {
        Quote(out, c.value.text);
      } else {
        Print(out, c.value);
      }
      out << ")";
    }
    if (q->by_sources) out << " (order sources)";
    out << ")";
  } else if (const auto* p = std::get_if<PathQuery>(&s.body)) {
    out << (p->all ? "(paths " : p->weighted ? "(path weighted " : "(path ");
    Print(out, p->from);
    out << " ";
    Print(out, p->to);
    out << " (max " << p->max_hops << ")";
    if (!p->via.empty()) {
      out << " (via";
      for (const std::string& v : p->via) out << " " << v;
      out << ")";
    }
    out << ")";
  } else if (const auto* sh = std::get_if<ShowQuery>(&s.body)) {
    out << "(show ";
    Print(out, sh->name);
    out << ")";
  } else if (const auto* m = std::get_if<MatchQuery>(&s.body)) {
    PrintMatch(out, *m);
  } else if (const auto* c = std::get_if<ComponentsQuery>(&s.body)) {
    out << "(components";
    for (const std::string& t : c->types) out << " " << t;
    out << ")";
  } else if (const auto* r = std::get_if<RankQuery>(&s.body)) {
    out << "(rank " << r->type << " by "
        << (r->by == RankQuery::By::kPageRank ? "pagerank" : r->by == RankQuery::By::kDegree ? "degree" : "betweenness") << ")";
  } else if (const auto* nb = std::get_if<NeighbourhoodQuery>(&s.body)) {
    out << "(neighbourhood ";
    Print(out, nb->name);
    out << " (depth " << nb->depth << "))";
  } else if (const auto* tl = std::get_if<TimelineQuery>(&s.body)) {
    out << "(timeline ";
    Print(out, tl->name);
    out << ")";
  } else if (const auto* ch = std::get_if<ChangesQuery>(&s.body)) {
    out << "(changes";
    if (ch->name) {
      out << " ";
      Print(out, *ch->name);
    }
    out << " (between " << ch->from << " " << ch->to << "))";
  } else if (const auto* cf = std::get_if<ConflictsQuery>(&s.body)) {
    out << "(conflicts";
    if (cf->name) {
      out << " ";
      Print(out, *cf->name);
    }
    out << ")";
  }
  if (s.as_of) out << " (as-of " << *s.as_of << ")";
  if (s.limit) out << " (limit " << *s.limit << ")";
  if (s.candidates) out << " (with-candidates)";
  if (s.profile) out << ")";
  if (s.explain) out << ")";
  return out.str();
}

std::vector<std::string> CompletionWords(const Schema& schema) {
  std::vector<std::string> out = {"WHO", "WHAT", "DOES", "PATH", "PATHS", "WEIGHTED", "TO", "MAX", "VIA", "SHOW", "EXPLAIN",
                                   "RANK", "BY", "PAGERANK", "DEGREE", "BETWEENNESS", "COMPONENTS", "OF", "NEIGHBOURHOOD", "DEPTH",
                                   "TIMELINE", "CHANGES", "BETWEEN", "CONFLICTS", "ABOUT",
                                   "PROFILE", "AS OF", "LIMIT", "WITH CANDIDATES", "EXACTLY", "SAID ABOUT", "MATCH", "WHERE",
                                   "RETURN", "DISTINCT", "ORDER BY", "SOURCES", "SKIP", "AND", "OR", "NOT", "CONTAINS",
                                   "STARTS WITH", "ENDS WITH", "IN", "IS NULL", "IS NOT NULL", "DESC", "count("};
  for (const EntityTypeDef& t : schema.entity_types()) out.push_back(t.name);
  for (const RelationTypeDef& r : schema.relation_types()) {
    out.push_back(r.name);
    std::string verb;
    for (char c : r.verb) verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!verb.empty()) out.push_back(verb);
  }
  for (const SlotDef& s : schema.slots()) {
    std::string p;
    for (char c : s.preposition) p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!p.empty()) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace pactgraph::query
