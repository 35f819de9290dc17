// Programs: who runs a program and who joins it.
#include "ingest/internal/extractor.h"

namespace pactgraph::ingest::extract {

// Who runs a program and who joins it: "the Acme Partner Program" (named after Acme: Acme
// runs it), "the X program run by Acme", "Beta joins / becomes a member of the X program",
// and the reciprocal "each company will join the other's certification program".
void Extractor::Programs() {
  for (size_t ui = 0; ui < units_.size() && !OutOfTime(); ++ui) {
    const Unit& u = units_[ui];
    for (const Mention* m : Of(u, "Program")) {
      // Operator: a company whose name starts the program's name, or "run/operated by C".
      const int op = CompanyPrefixOf(ents_[m->entity].name);
      if (op >= 0) Add("OPERATES", op, m->entity, ui, "program-named-after-company", 0.6f, m->tb, m->te);
      if (m->te + 2 < u.toks.size()) {
        const std::string v = Lower(u.toks[m->te].text);
        if ((v == "run" || v == "operated" || v == "managed" || v == "offered") && Lower(u.toks[m->te + 1].text) == "by") {
          const int cm = u.mention_at[m->te + 2];
          if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company") {
            Add("OPERATES", mentions_[cm].entity, m->entity, ui, "program-run-by", 0.7f, m->tb, mentions_[cm].te);
          }
        }
      }
      // Member: "C join(s) [the] P", "C become(s) a member of [the] P", "C is part of P".
      for (long k = static_cast<long>(m->tb) - 1; k >= 0 && k >= static_cast<long>(m->tb) - 6; --k) {
        const std::string w = Lower(u.toks[k].text);
        const bool join = w == "join" || w == "joins" || w == "joined" || w == "joining" || w == "enters" || w == "enter";
        const bool member = (w == "member" || w == "members" || w == "participant" || w == "part") &&
                            Lower(u.toks[k + 1].text) == "of";
        if (!join && !member) continue;
        long v = k;
        if (member) {
          while (v > 0 && Lower(u.toks[v].text) != "become" && Lower(u.toks[v].text) != "becomes" &&
                 Lower(u.toks[v].text) != "is" && Lower(u.toks[v].text) != "are" && Lower(u.toks[v].text) != "became" &&
                 v > k - 4) {
            --v;
          }
        }
        for (int c : ActorsBefore(u, static_cast<size_t>(v))) {
          Add("MEMBER_OF", c, m->entity, ui, "joins-program", 0.7f, static_cast<size_t>(v) > 3 ? v - 3 : 0, m->te);
        }
        break;
      }
    }
    // Reciprocal: "each company will join the other's <kind> program".
    if (main_.first < 0) continue;
    for (size_t k = 0; k + 2 < u.toks.size(); ++k) {
      if (Lower(u.toks[k].text) != "other" || u.toks[k + 1].kind != Token::Kind::kPossessive) continue;
      bool join = false;
      for (long j = static_cast<long>(k) - 1; j >= 0 && j >= static_cast<long>(k) - 5; --j) {
        const std::string w = Lower(u.toks[j].text);
        join = join || w == "join" || w == "joins" || w == "enter" || w == "member";
      }
      size_t e = k + 2;
      while (e < u.toks.size() && e < k + 8 && Lower(u.toks[e].text) != "program" && Lower(u.toks[e].text) != "programs" &&
             Lower(u.toks[e].text) != "programme") {
        ++e;
      }
      if (!join || e >= u.toks.size() || e >= k + 8) continue;
      const std::string kind = SpanText(u, k + 2, e + 1);
      const int a = main_.first, b = main_.second;
      // The programs themselves, when the article names them after their owners; else named
      // here from the owner and the kind of program. The first program of each is looked up
      // once and kept up to date with the programs named here.
      if (!owned_programs_known_) {
        owned_programs_known_ = true;
        owned_program_ = {-1, -1};
        for (size_t p = 0; p < ents_.size(); ++p) NoteProgram(static_cast<int>(p));
      }
      int pa = owned_program_.first, pb = owned_program_.second;
      std::vector<int> named;
      if (pa < 0) named.push_back(pa = NewProgram(ShortName(a) + " " + kind));
      if (pb < 0) named.push_back(pb = NewProgram(ShortName(b) + " " + kind));
      for (int p : named) NoteProgram(p);
      Add("OPERATES", a, pa, ui, "reciprocal-programs", 0.6f, k, e + 1);
      Add("OPERATES", b, pb, ui, "reciprocal-programs", 0.6f, k, e + 1);
      Add("MEMBER_OF", a, pb, ui, "reciprocal-programs", 0.6f, k, e + 1);
      Add("MEMBER_OF", b, pa, ui, "reciprocal-programs", 0.6f, k, e + 1);
      break;
    }
  }
}

int Extractor::NewEntity(const std::string& name, const std::string& type) {
  const int e = EntityFor(name);
  ents_[e].type = type;
  ents_[e].keep = true;
  return e;
}

// A program named by Programs(). Should the name be a company's, that company is one no more,
// and the programs' owners are looked up again.
int Extractor::NewProgram(const std::string& name) {
  const int e = EntityFor(name);
  if (IsCompany(e)) owned_programs_known_ = false;
  ents_[e].type = "Program";
  ents_[e].keep = true;
  return e;
}

// Keeps owned_program_ the first program of each company of the main pair.
void Extractor::NoteProgram(int p) {
  if (ents_[p].name.empty() || !ents_[p].keep || ents_[p].type != "Program") return;
  const int owner = CompanyPrefixOf(ents_[p].name);
  if (owner == main_.first && (owned_program_.first < 0 || p < owned_program_.first)) owned_program_.first = p;
  if (owner == main_.second && (owned_program_.second < 0 || p < owned_program_.second)) owned_program_.second = p;
}

}  // namespace pactgraph::ingest::extract
