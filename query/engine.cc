#include "query/engine.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <unordered_set>

#include "query/internal/binder.h"
#include "query/internal/executor.h"
#include "query/internal/planner.h"
#include "query/internal/statement.h"
#include "query/parser.h"

// The engine's calls. A statement passes through the stages in order, each in its own file:
// lexer.cc and parser.cc (text to statements, once, in Prepare), binder.cc ($parameters to
// values, names to entities, types checked), planner.cc (one entry for every form), which plans
// MATCH, the questions and WHO SAID ABOUT as patterns in match.cc (over expressions.cc and the
// operators of match_operators.cc) and the whole-graph forms in whole_graph.cc, then
// executor.cc (rows to the answer with its evidence). statement.cc holds what the stages of one
// statement's run share.
namespace pactgraph::query {

Engine::Engine(const storage::Store& store, Limits limits)
    : store_(store), limits_(limits), cache_(std::make_unique<EngineCache>()) {}

Result<double> ParseMinConfidence(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  const bool starts_well = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.');
  const double d = starts_well ? std::strtod(s.c_str(), &end) : 0;
  // !(in range) also refuses NaN.
  if (!starts_well || *end != '\0' || !(d >= 0 && d <= 1)) {
    return Status::InvalidArgument("the confidence threshold is a number from 0 to 1 (such as 0.5), not \"" + s + "\"");
  }
  return d;
}
Engine::~Engine() = default;

namespace {

// A statement that held this much gives the freed memory back to the system after it: glibc
// keeps freed heap in its arenas, so a server's size would otherwise stay at its largest query.
constexpr uint64_t kTrimAfterBytes = 32u << 20;

void GiveBackFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace

Result<Answer> Engine::Run(const Statement& statement, std::string_view text) {
  cancelled_.store(false);
  const auto t0 = Clock::now();
  uint64_t peak = 0;
  Result<Answer> run = [&] {
    StatementRun st(store_, limits_, &cancelled_, cache_.get(), statement);
    Result<Answer> r = [&]() -> Result<Answer> {
      PG_ASSIGN_OR_RETURN(Plan plan, PlanStatement(st));
      return Execute(st, std::move(plan));
    }();
    peak = st.memory.peak();
    return r;
  }();  // the statement's caches and operators are freed here
  if (peak >= kTrimAfterBytes) GiveBackFreedMemory();
  PG_ASSIGN_OR_RETURN(Answer a, std::move(run));
  a.query = std::string(text);
  a.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return a;
}

namespace {

// Statement `i` of a prepared text as written, from its first word to the next statement's
// (without the ';' and spaces between).
std::string_view StatementText(const Prepared& p, size_t i) {
  const std::string_view all = p.text;
  const size_t begin = std::min<size_t>(p.statements[i].pos.offset, all.size());
  size_t end = i + 1 < p.statements.size() ? std::min<size_t>(p.statements[i + 1].pos.offset, all.size()) : all.size();
  while (end > begin && (all[end - 1] == ';' || std::isspace(static_cast<unsigned char>(all[end - 1])))) --end;
  return all.substr(begin, end - begin);
}

}  // namespace

Result<Prepared> Engine::Prepare(std::string_view text) {
  if (!grammar_ || grammar_->relation_types() != store_.schema().relation_types().size()) {
    grammar_ = std::make_unique<Grammar>(store_.schema());
  }
  ParseOutcome parsed = Parse(text, store_.schema(), *grammar_);
  if (parsed.error) return ToStatus(*parsed.error);
  Prepared p;
  p.text = std::string(text);
  p.statements = std::move(parsed.statements);
  std::unordered_set<std::string> seen;
  for (const Statement& s : p.statements) {
    for (std::string& name : ParameterNames(s)) {
      if (seen.insert(name).second) p.parameters.push_back(std::move(name));
    }
  }
  return p;
}

std::vector<Result<Prepared>> Engine::PrepareScript(std::string_view text) {
  std::vector<Result<Prepared>> out;
  Result<Prepared> whole = Prepare(text);
  if (whole.ok()) {
    out.push_back(std::move(whole));
    return out;
  }
  // The cuts: each ';' the lexer reads as punctuation (not one inside a string).
  std::vector<std::pair<size_t, size_t>> pieces;
  size_t from = 0;
  for (const Token& t : Lex(text)) {
    if (t.kind == Tok::kPunct && t.text == ";") {
      pieces.emplace_back(from, t.pos.offset);
      from = t.pos.offset + 1;
    }
  }
  pieces.emplace_back(from, text.size());
  // Each piece is parsed in a copy of the text with everything else blanked (line breaks kept),
  // so its positions are the whole text's; a very long script with many statements parses each
  // piece alone instead, to keep the copies bounded.
  const bool in_place = text.size() * pieces.size() <= (64u << 20);
  for (const auto& [b, e] : pieces) {
    const std::string_view piece = text.substr(b, e - b);
    if (piece.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    if (!in_place) {
      out.push_back(Prepare(piece));
      continue;
    }
    std::string blanked(text);
    for (size_t k = 0; k < blanked.size(); ++k) {
      if ((k < b || k >= e) && blanked[k] != '\n') blanked[k] = ' ';
    }
    out.push_back(Prepare(blanked));
  }
  if (out.empty()) out.push_back(std::move(whole));
  return out;
}

Result<Answer> Engine::Run(const Prepared& prepared, size_t i, const Params& params) {
  if (i >= prepared.statements.size()) return Status::InvalidArgument("no statement " + std::to_string(i + 1));
  const Statement& s = prepared.statements[i];
  // The answer carries its own statement's text, not the whole script's: a script of many
  // statements would otherwise copy itself once per answer.
  const std::string_view text = StatementText(prepared, i);
  if (prepared.parameters.empty()) return Run(s, text);
  Statement bound = s;
  PG_RETURN_IF_ERROR(BindParams(&bound, params));
  return Run(bound, text);
}

Result<std::vector<Answer>> Engine::Run(const Prepared& prepared, const Params& params) {
  std::vector<Answer> out;
  out.reserve(prepared.statements.size());
  for (size_t i = 0; i < prepared.statements.size(); ++i) {
    PG_ASSIGN_OR_RETURN(Answer a, Run(prepared, i, params));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<Answer>> Engine::Run(std::string_view text, const Params& params) {
  PG_ASSIGN_OR_RETURN(Prepared p, Prepare(text));
  return Run(p, params);
}

}  // namespace pactgraph::query
