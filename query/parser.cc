#include "query/parser.h"

#include <algorithm>
#include <cctype>
#include <sstream>

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

struct VerbForm {
  std::vector<std::string> words;
  std::string relation;
};

// Words that end a bare (unquoted) name.
const char* const kStructural[] = {"to", "max", "via", "limit", "exactly", "as", "does", "who", "what"};

class Parser {
 public:
  Parser(std::string_view text, const Schema& schema) : toks_(Lex(text)), schema_(schema) {
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
    std::stable_sort(verbs_.begin(), verbs_.end(),
                     [](const VerbForm& a, const VerbForm& b) { return a.words.size() > b.words.size(); });
  }

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
      if (out.statements.empty()) Fail("a query such as WHO SUPPORTS X ON Y, WHAT RUNS ON Y, PATH A TO B or SHOW X");
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

  [[noreturn]] void Fail(const std::string& expected) const {
    const Token& t = Peek();
    SyntaxError e;
    e.pos = t.pos;
    e.expected = expected;
    e.found = Describe(t);
    e.message = t.kind == Tok::kError ? t.text + " (expected " + expected + ")"
                                      : "expected " + expected + ", found " + e.found;
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
    const Token& head = Peek();
    if (Accept("who")) {
      s.body = WhoQuestion();
    } else if (Accept("what")) {
      s.body = WhatQuestion();
    } else if (Accept("path")) {
      s.body = Path();
    } else if (Accept("show")) {
      s.body = ShowQuery{Name("the name of an entity after SHOW", {})};
    } else if (head.Is("match")) {
      Fail("WHO, WHAT, PATH or SHOW (MATCH patterns are not supported yet)");
    } else {
      Fail("WHO, WHAT, PATH, SHOW, EXPLAIN or PROFILE");
    }
    Tail(s);
    return s;
  }

  // [AS OF date] [LIMIT n], in either order.
  void Tail(Statement& s) {
    for (;;) {
      if (Peek().Is("as") && Peek(1).Is("of")) {
        if (s.as_of) Fail("one AS OF");
        i_ += 2;
        if (Peek().kind != Tok::kDate) Fail("a date YYYY-MM-DD after AS OF");
        s.as_of = Take().text;
      } else if (Peek().Is("limit")) {
        if (s.limit) Fail("one LIMIT");
        ++i_;
        if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos) Fail("a whole number after LIMIT");
        s.limit = std::stoull(Take().text);
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
      if (t.kind != Tok::kWord || (t.Is("as") && Peek(1).Is("of"))) return;
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
        Fail("a preposition of " + q.relation + " (" + preps + "), AS OF, LIMIT, \";\" or the end");
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
  };

  // "quoted name", #42, or bare words up to a keyword or preposition.
  NameRef Name(const std::string& what, NameOptions opts) {
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
      if (Peek().kind != Tok::kNumber) Fail("an entity id after #");
      n.text = "#" + Peek().text;
      n.id = std::stoull(Take().text);
      return n;
    }
    if (Peek().kind == Tok::kDate) {
      n.text = Take().text;
      return n;
    }
    if (StopsName(i_, opts.stop_at_verbs)) Fail(what);
    while (!StopsName(i_, opts.stop_at_verbs)) n.text += (n.text.empty() ? "" : " ") + Take().text;
    return n;
  }

  PathQuery Path() {
    PathQuery p;
    Accept("from");
    p.from = Name("the name the path starts from", {});
    Expect("to", "TO and the name the path ends at");
    p.to = Name("the name the path ends at", {});
    for (;;) {
      if (Accept("max")) {
        if (Peek().kind != Tok::kNumber || Peek().text.find('.') != std::string::npos) Fail("a number of hops after MAX");
        p.max_hops = std::stoi(Take().text.substr(0, 6));
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

  std::vector<Token> toks_;
  size_t i_ = 0;
  const Schema& schema_;
  std::vector<VerbForm> verbs_;
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
  if (n.id) {
    out << "(id " << n.id << ")";
  } else {
    out << "(name ";
    Quote(out, n.text);
    out << ")";
  }
}

}  // namespace

ParseOutcome Parse(std::string_view text, const Schema& schema) { return Parser(text, schema).Run(); }

std::string FormatSyntaxError(std::string_view text, const SyntaxError& e) {
  std::ostringstream out;
  out << "line " << e.pos.line << ", column " << e.pos.column << ": " << e.message << "\n";
  // The line of the error, and a caret under its column.
  size_t begin = std::min<size_t>(e.pos.offset, text.size());
  while (begin > 0 && text[begin - 1] != '\n') --begin;
  size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  out << "  " << text.substr(begin, end - begin) << "\n  ";
  for (uint32_t c = 1; c < e.pos.column; ++c) out << ' ';
  out << "^";
  return out.str();
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
    out << ")";
  } else if (const auto* p = std::get_if<PathQuery>(&s.body)) {
    out << "(path ";
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
  }
  if (s.as_of) out << " (as-of " << *s.as_of << ")";
  if (s.limit) out << " (limit " << *s.limit << ")";
  if (s.profile) out << ")";
  if (s.explain) out << ")";
  return out.str();
}

std::vector<std::string> CompletionWords(const Schema& schema) {
  std::vector<std::string> out = {"WHO", "WHAT", "DOES", "PATH", "TO", "MAX", "VIA", "SHOW", "EXPLAIN",
                                   "PROFILE", "AS OF", "LIMIT", "EXACTLY", "SAID ABOUT"};
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
