// Claims: quotations with their speakers, "according to", and reported speech.
#include "ingest/extract/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

void Extractor::Claims(size_t ui) {
  const Unit& u = units_[ui];
  const bool quoted = std::any_of(u.toks.begin(), u.toks.end(), [](const Token& t) { return t.kind == Token::Kind::kQuote; });
  // Quotations.
  for (size_t k = 0; k < u.toks.size(); ++k) {
    if (u.toks[k].kind != Token::Kind::kQuote || !u.toks[k].open) continue;
    size_t e = k + 1;
    while (e < u.toks.size() && !(u.toks[e].kind == Token::Kind::kQuote && !u.toks[e].open)) ++e;
    const size_t words = e - k - 1;
    if (words < 5) {
      k = e;
      continue;
    }
    const int speaker = SpeakerOf(ui, k, e);
    if (speaker >= 0) {
      const uint32_t from = u.toks[k].end - u.begin;
      const uint32_t to = (e < u.toks.size() ? u.toks[e].begin : u.end) - u.begin;
      AddClaim(speaker, u.text.substr(from, to - from), ui, "quotation", 0.7f, k, e + 1);
    }
    k = e;
  }
  // "According to <Speaker>, <clause>."
  for (size_t k = 0; k + 3 < u.toks.size(); ++k) {
    if (Lower(u.toks[k].text) != "according" || Lower(u.toks[k + 1].text) != "to") continue;
    const int mi = u.mention_at[k + 2];
    if (mi < 0) break;
    const std::string t = TypeOf(mentions_[mi].entity);
    const size_t after = mentions_[mi].te;
    if ((t != "Person" && t != "Company" && t != "Organization") || after + 5 >= u.toks.size() || u.toks[after].text != ",") break;
    if (quoted) break;
    const uint32_t b = u.toks[after + 1].begin - u.begin;
    std::string text = u.text.substr(b);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    AddClaim(mentions_[mi].entity, text, ui, "according-to", 0.5f, after + 1, u.toks.size());
    return;
  }
  // Reported speech: "<Speaker> said that <clause>", "<Speaker> made the point that <clause>".
  for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    const bool point = l == "point" && Lower(u.toks[k + 1].text) == "that";
    if (!(SpeechVerbs().count(l) || point)) continue;
    size_t from = k + 1;
    if (from < u.toks.size() && u.toks[from].text == ",") ++from;
    if (from < u.toks.size() && Lower(u.toks[from].text) == "that") ++from;
    if (from < u.toks.size() && u.toks[from].text == ",") ++from;
    if (from >= u.toks.size() || u.toks[from].kind == Token::Kind::kQuote) continue;
    // A sentence with a quotation in it attributes the quotation ("...," said Jane Roe, CEO).
    if (quoted || u.toks.size() - from < 5) continue;
    if (l == "announced") continue;  // an announcement is news, not a claim
    // The speaker: a person before the verb (past an apposition), else the nearest company.
    int speaker = -1, speaker_mention = -1;
    for (const char* want : {"Person", "Company"}) {
      for (long j = static_cast<long>(k) - 1; speaker < 0 && j >= 0 && j >= static_cast<long>(k) - 16; --j) {
        const int mi = u.mention_at[j];
        if (mi >= 0 && TypeOf(mentions_[mi].entity) == want) speaker = mentions_[speaker_mention = mi].entity;
      }
    }
    if (speaker < 0) continue;
    const uint32_t b = u.toks[from].begin - u.begin;
    std::string text = u.text.substr(b);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    // "The two companies said ...": each of the pair the words name says it (coref.cc).
    const Mention& sm = mentions_[speaker_mention];
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.tb != sm.tb || m.te != sm.te || TypeOf(m.entity) != TypeOf(speaker)) continue;
      AddClaim(m.entity, text, ui, point ? "made-the-point" : "reported-speech", 0.5f, from, u.toks.size());
    }
    break;
  }
}

// The speaker of the quotation [qb, qe): a person or company next to a speech verb outside
// the quotation, in the sentence; else the one who spoke last.
int Extractor::SpeakerOf(size_t ui, size_t qb, size_t qe) {
  const Unit& u = units_[ui];
  auto person_or_company = [&](int mi) {
    // A pair ("the two companies") is not one quotation's speaker.
    if (mi < 0 || mentions_[mi].pair) return -1;
    const std::string t = TypeOf(mentions_[mi].entity);
    return t == "Person" || t == "Company" || t == "Organization" ? mentions_[mi].entity : -1;
  };
  bool speech = false;
  for (size_t k = 0; k < u.toks.size(); ++k) {
    if (k >= qb && k <= qe) continue;
    speech = speech || SpeechVerbs().count(Lower(u.toks[k].text)) || Lower(u.toks[k].text) == "according";
  }
  if (speech) {
    // Nearest speaker-like mention outside the quotation, before it first.
    for (long k = static_cast<long>(qb) - 1; k >= 0; --k) {
      const int e = person_or_company(u.mention_at[k]);
      if (e >= 0 && ents_[e].type == "Person") return last_speaker_ = e;
    }
    for (size_t k = qe + 1; k < u.toks.size(); ++k) {
      const int e = person_or_company(u.mention_at[k]);
      if (e >= 0) return last_speaker_ = e;
    }
    for (long k = static_cast<long>(qb) - 1; k >= 0; --k) {
      const int e = person_or_company(u.mention_at[k]);
      if (e >= 0) return last_speaker_ = e;
    }
  }
  return last_speaker_;
}

void Extractor::AddClaim(int speaker, std::string text, size_t ui, const std::string& rule, float conf, size_t tb, size_t te) {
  while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();
  if (text.empty()) return;
  ExtractedClaim c;
  c.speaker = ents_[speaker].name;
  c.text = text;
  c.source = Source(ui, rule, conf, tb, te);
  // What it is about: the entities named in it.
  const Unit& u = units_[ui];
  std::set<int> about;
  for (size_t k = tb; k < std::min(te, u.toks.size()); ++k) {
    const int mi = u.mention_at[k];
    if (mi >= 0 && mentions_[mi].entity >= 0 && mentions_[mi].entity != speaker && ents_[mentions_[mi].entity].keep) {
      about.insert(mentions_[mi].entity);
    }
  }
  for (int a : about) {
    c.about.push_back(ents_[a].name);
    used_.insert(a);
  }
  used_.insert(speaker);
  x_.claims.push_back(std::move(c));
}

}  // namespace pactgraph::ingest::extract
