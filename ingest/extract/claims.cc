// Claims: quotations with their speakers, "according to", and reported speech.
#include "ingest/internal/extractor.h"

#include <algorithm>
#include <string_view>

namespace pactgraph::ingest::extract {

void Extractor::Claims(size_t ui) {
  const Unit& u = units_[ui];
  // A sentence inside a quotation begun in an earlier one was claimed with it.
  if (ui <= quoted_until_) return;
  // Short quotes are words in quotation marks ("a "burning platform""), not quotations.
  const bool quoted = LongQuote(u);
  const bool joint_known = main_.first >= 0 && main_.second >= 0;
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
    const uint32_t from = u.toks[k].end;
    uint32_t to = e < u.toks.size() ? u.toks[e].begin : u.end;
    // A quotation left open runs on into the next sentences of its paragraph, to its close.
    if (e == u.toks.size()) quoted_until_ = QuoteEnd(ui, k, &to);
    std::string text = a_.body.substr(from, to - from);
    bool joint = false;
    for (size_t j = 0; j < u.toks.size() && joint_known; ++j) {
      if ((j < k || j > e) && SpeechVerbs().count(Lower(u.toks[j].text))) joint = joint || JointSubject(u, j);
    }
    if (joint) {
      AddClaim(main_.first, text, ui, "joint-quotation", 0.6f, k, e + 1);
      AddClaim(main_.second, text, ui, "joint-quotation", 0.6f, k, e + 1);
    } else {
      int speaker = SpeakerOf(ui, k, e);
      // A quotation run on to a later sentence may name its speaker there: '... ," she said.'
      for (size_t j = 0; speaker < 0 && quoted_until_ > ui && j < units_[quoted_until_].toks.size(); ++j) {
        const Unit& last = units_[quoted_until_];
        const int mi = last.mention_at[j];
        if (last.toks[j].begin >= to && mi >= 0 && TypeOf(mentions_[mi].entity) == "Person") speaker = mentions_[mi].entity;
        const std::string w = Lower(last.toks[j].text);
        if (last.toks[j].begin >= to && (w == "he" || w == "she") && j + 1 < last.toks.size() &&
            SpeechVerbs().count(Lower(last.toks[j + 1].text))) {
          speaker = LastPerson(ui, k);
        }
        if (speaker >= 0) last_speaker_ = speaker;
      }
      if (speaker >= 0) AddClaim(speaker, text, ui, "quotation", 0.7f, k, e + 1);
      if (const int other = CoSpeaker(u, speaker, e); other >= 0) AddClaim(other, text, ui, "quotation", 0.7f, k, e + 1);
    }
    k = e;
  }
  if (quoted) return;
  // "According to <Speaker>, <clause>." and "<clause>, according to (a statement from) <Speaker>."
  for (size_t k = 0; k + 2 < u.toks.size(); ++k) {
    if (Lower(u.toks[k].text) != "according" || Lower(u.toks[k + 1].text) != "to") continue;
    auto speaker_at = [&](size_t j) {
      const int mi = u.mention_at[j];
      if (mi < 0) return -1;
      const std::string t = TypeOf(mentions_[mi].entity);
      return t == "Person" || t == "Company" || t == "Organization" ? mi : -1;
    };
    if (k == 0) {
      const int mi = speaker_at(k + 2);
      if (mi < 0) break;
      size_t after = mentions_[mi].te;
      if (after + 5 >= u.toks.size() || u.toks[after].text != ",") break;
      // "According to Jane Roe, vice president at Acme, the ...": the speaker's apposition (a
      // title, a "spokeswoman for Acme") is not what she said.
      {
        size_t c = after + 1;
        bool titled = false;
        while (c < u.toks.size() && c < after + 12 && u.toks[c].text != ",") {
          titled = titled || TitleWords().count(Lower(u.toks[c].text)) > 0;
          ++c;
        }
        if (titled && c + 5 < u.toks.size() && u.toks[c].text == ",") after = c;
      }
      const uint32_t b = u.toks[after + 1].begin - u.begin;
      std::string text = u.text.substr(b);
      while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
      AddClaim(mentions_[mi].entity, text, ui, "according-to", 0.5f, after + 1, u.toks.size());
      return;
    }
    // After the clause: the speaker is the first name within a few words ("according to a
    // statement from Acme", "according to research firm Acme").
    if (u.toks[k - 1].text != "," || k - 1 < 5) break;
    int mi = -1;
    for (size_t j = k + 2; j < u.toks.size() && j < k + 8 && mi < 0; ++j) {
      if (u.toks[j].kind == Token::Kind::kPunct) break;
      mi = speaker_at(j);
    }
    if (mi < 0) break;
    AddClaim(mentions_[mi].entity, u.text.substr(0, u.toks[k - 1].begin - u.begin), ui, "according-to", 0.5f, 0, k - 1);
    return;
  }
  // Reported speech: "<Speaker> said that <clause>", "<Speaker> made the point that <clause>",
  // "<Speaker> believes that <clause>", "he told reporters that <clause>", "the companies said
  // <clause>".
  for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    // "made the point that", "made it (very) clear that".
    bool made = false;
    for (size_t j = k >= 4 ? k - 4 : 0; j + 1 < k; ++j) made = made || Lower(u.toks[j].text) == "made";
    const bool point = (l == "point" || (l == "clear" && made)) && Lower(u.toks[k + 1].text) == "that";
    const bool that_verb = ThatSpeechVerbs().count(l) && Lower(u.toks[k + 1].text) == "that";
    // "say" is a verb of speech only where the subject is plain ("the companies say ..."); alone
    // it is as often what someone is able to say.
    const bool joint_say = l == "say" && joint_known && JointSubject(u, k);
    if (!(SpeechVerbs().count(l) || point || that_verb || joint_say)) continue;
    // "adds" is speech before "that", a comma or a quotation; "Acme adds it to its store" is not.
    if ((l == "adds" || l == "added") && !(Lower(u.toks[k + 1].text) == "that" || u.toks[k + 1].text == "," ||
                                           u.toks[k + 1].kind == Token::Kind::kQuote)) {
      continue;
    }
    // "<clause>, the companies said." / "<clause>, Acme said." / "<clause>, she said.": the
    // speech verb ends the sentence and what was said comes before its subject's comma.
    if (SpeechVerbs().count(l) && k + 2 >= u.toks.size() && (k + 1 == u.toks.size() || u.toks[k + 1].text == ".")) {
      if (SaidBefore(ui, k)) break;
      continue;
    }
    size_t from = k + 1;
    // "told employees that ...": the ones told are not what was said. Nor are where it was said
    // ("said in a post on social media that ...", "wrote on the company's blog that ...") and
    // whom to ("told us that"): past such a phrase, the claim begins after its "that".
    {
      static const Words kOpeners = {"in", "on", "at", "during", "via", "through", "to", "us", "me", "him", "her", "them",
                                     "reporters", "analysts", "investors", "employees", "staff", "customers", "journalists"};
      const size_t reach = (l == "told" || l == "tells") ? 4 : 12;
      if (from < u.toks.size() && (l == "told" || l == "tells" || kOpeners.count(Lower(u.toks[from].text)))) {
        for (size_t j = from; j < u.toks.size() && j < from + reach; ++j) {
          const std::string w = Lower(u.toks[j].text);
          if (w == "." || w == ";" || u.toks[j].kind == Token::Kind::kQuote) break;
          if (w == "that") {
            from = j;
            break;
          }
        }
      }
      // "told us the team was thrilled ...": without "that", past the one told.
      static const Words kTold = {"us", "me", "him", "her", "them", "reporters", "analysts", "investors", "employees", "staff",
                                  "customers", "journalists"};
      if ((l == "told" || l == "tells") && from == k + 1 && from + 1 < u.toks.size() && kTold.count(Lower(u.toks[from].text))) ++from;
    }
    if (from < u.toks.size() && u.toks[from].text == ",") ++from;
    if (from < u.toks.size() && Lower(u.toks[from].text) == "that") ++from;
    if (from < u.toks.size() && u.toks[from].text == ",") ++from;
    if (from >= u.toks.size() || u.toks[from].kind == Token::Kind::kQuote) continue;
    if (u.toks.size() - from < 5) continue;
    if (l == "announced") continue;  // an announcement is news, not a claim
    const uint32_t b = u.toks[from].begin - u.begin;
    std::string text = u.text.substr(b);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    const std::string rule = point ? "made-the-point" : "reported-speech";
    // "The companies said ...": a joint statement, each main party's.
    if (joint_known && JointSubject(u, k)) {
      AddClaim(main_.first, text, ui, "joint-statement", 0.5f, from, u.toks.size());
      AddClaim(main_.second, text, ui, "joint-statement", 0.5f, from, u.toks.size());
      break;
    }
    // The speaker: a person before the verb (past an apposition), else the nearest company;
    // "he said" with no person named in the sentence is the person named last before it.
    int speaker = -1;
    int co_speaker = -1;  // "both Jane Roe and John Doe made it clear that ...": each said it
    for (long j = static_cast<long>(k) - 1; speaker < 0 && j >= 0 && j >= static_cast<long>(k) - 16; --j) {
      const int mi = u.mention_at[j];
      if (mi >= 0 && TypeOf(mentions_[mi].entity) == "Person") {
        speaker = mentions_[mi].entity;
        const long a = static_cast<long>(mentions_[mi].tb) - 1;
        if (a >= 1 && Lower(u.toks[a].text) == "and" && u.mention_at[a - 1] >= 0 && TypeOf(mentions_[u.mention_at[a - 1]].entity) == "Person") {
          co_speaker = mentions_[u.mention_at[a - 1]].entity;
        }
      }
    }
    const long subject = k >= 2 && VerbAdverbs().count(Lower(u.toks[k - 1].text)) ? static_cast<long>(k) - 2 : static_cast<long>(k) - 1;
    if (speaker < 0 && subject >= 0 && (Lower(u.toks[subject].text) == "he" || Lower(u.toks[subject].text) == "she")) {
      speaker = LastPerson(ui, k);
    }
    // A company said it; one that merely "found" or "believes" is its subject, right before the
    // verb ("a jury found that Acme infringed Fjord patents" is no Fjord claim).
    const long reach = that_verb && !SpeechVerbs().count(l) ? 3 : 16;
    for (long j = static_cast<long>(k) - 1; speaker < 0 && j >= 0 && j >= static_cast<long>(k) - reach; --j) {
      const int mi = u.mention_at[j];
      if (mi >= 0 && (TypeOf(mentions_[mi].entity) == "Company" || TypeOf(mentions_[mi].entity) == "Organization")) {
        speaker = mentions_[mi].entity;
      }
    }
    if (speaker < 0) continue;
    AddClaim(speaker, text, ui, rule, 0.5f, from, u.toks.size());
    if (co_speaker >= 0 && co_speaker != speaker) AddClaim(co_speaker, text, ui, rule, 0.5f, from, u.toks.size());
    break;
  }
}

// "<clause>, the companies said.": the speech verb at token `verb` ends unit `ui`; its subject
// stands between it and the comma that ends the clause said. True when a claim was added.
bool Extractor::SaidBefore(size_t ui, size_t verb) {
  const Unit& u = units_[ui];
  long comma = static_cast<long>(verb) - 1;
  while (comma > 0 && u.toks[comma].text != "," && static_cast<long>(verb) - comma <= 6) --comma;
  if (comma < 5 || u.toks[comma].text != "," || u.toks[comma - 1].kind == Token::Kind::kQuote) return false;
  // Not a quotation's tail: '"...," she said' is the quotations' business.
  for (long j = 0; j < comma; ++j) {
    if (u.toks[j].kind == Token::Kind::kQuote) return false;
  }
  std::string text = u.text.substr(0, u.toks[comma].begin - u.begin);
  const size_t tb = 0, te = static_cast<size_t>(comma);
  if (main_.first >= 0 && main_.second >= 0 && JointSubject(u, verb)) {
    AddClaim(main_.first, text, ui, "joint-statement", 0.5f, tb, te);
    AddClaim(main_.second, text, ui, "joint-statement", 0.5f, tb, te);
    return true;
  }
  int speaker = -1;
  for (long j = comma + 1; j < static_cast<long>(verb) && speaker < 0; ++j) {
    const int mi = u.mention_at[j];
    if (mi >= 0 && !mentions_[mi].pair) {
      const std::string t = TypeOf(mentions_[mi].entity);
      if (t == "Person" || t == "Company" || t == "Organization") speaker = mentions_[mi].entity;
    }
    const std::string w = Lower(u.toks[j].text);
    if ((w == "he" || w == "she") && j + 1 == static_cast<long>(verb)) speaker = LastPerson(ui, verb);
  }
  if (speaker < 0) return false;
  AddClaim(speaker, text, ui, "reported-speech", 0.5f, tb, te);
  return true;
}

// '"...," said Jane Roe, chief executive of Acme, and John Doe, president of Globex': the
// second person named after the quotation that ends at token `qe`, when the speaker is named
// there too; -1 when there is none.
int Extractor::CoSpeaker(const Unit& u, int speaker, size_t qe) const {
  if (speaker < 0) return -1;
  size_t k = qe + 1;
  while (k < u.toks.size() && !(u.mention_at[k] >= 0 && mentions_[u.mention_at[k]].entity == speaker)) {
    if (u.toks[k].kind == Token::Kind::kQuote || k > qe + 4) return -1;
    ++k;
  }
  if (k >= u.toks.size()) return -1;
  for (k = mentions_[u.mention_at[k]].te; k + 1 < u.toks.size() && k < qe + 30; ++k) {
    if (u.toks[k].kind == Token::Kind::kQuote || u.toks[k].text == "." || u.toks[k].text == ";") return -1;
    if (Lower(u.toks[k].text) != "and") continue;
    // "president and CEO" is a title's "and"; the list's follows a comma or the name.
    if (u.toks[k - 1].text != "," && u.mention_at[k - 1] < 0) continue;
    const int mi = u.mention_at[k + 1];
    if (mi < 0 || TypeOf(mentions_[mi].entity) != "Person" || mentions_[mi].entity == speaker) return -1;
    return mentions_[mi].entity;
  }
  return -1;
}

// True if the verb at `verb` has a joint subject: "the companies", "the two companies", "both
// firms" (an adverb between: "the companies also said").
bool Extractor::JointSubject(const Unit& u, size_t verb) const {
  long j = static_cast<long>(verb) - 1;
  if (j >= 0 && VerbAdverbs().count(Lower(u.toks[j].text))) --j;
  if (j < 1) return false;
  const std::string head = Lower(u.toks[j].text);
  return (head == "companies" || head == "firms") && JointSpeakers().count(Lower(u.toks[j - 1].text));
}

// True if the sentence holds a quotation of five words or more.
bool Extractor::LongQuote(const Unit& u) {
  for (size_t k = 0; k < u.toks.size(); ++k) {
    if (u.toks[k].kind != Token::Kind::kQuote || !u.toks[k].open) continue;
    size_t e = k + 1;
    while (e < u.toks.size() && u.toks[e].kind != Token::Kind::kQuote) ++e;
    if (e - k - 1 >= 5) return true;
    k = e;
  }
  return false;
}

// The quotation opened at token k of unit ui and left open: the last unit it runs into (ui when
// it does not close in its paragraph), and in *to where its text ends.
size_t Extractor::QuoteEnd(size_t ui, size_t k, uint32_t* to) {
  (void)k;
  for (size_t j = ui + 1; j < units_.size() && j <= ui + 8; ++j) {
    const std::string_view gap = std::string_view(a_.body).substr(units_[j - 1].end, units_[j].begin - units_[j - 1].end);
    if (std::count(gap.begin(), gap.end(), '\n') >= 2) break;  // a paragraph break
    for (const Token& t : units_[j].toks) {
      if (t.kind != Token::Kind::kQuote) continue;
      if (t.open) return ui;  // another quotation: this one was never closed
      *to = t.begin;
      return j;
    }
  }
  return ui;
}

// The person named last before token `before` of unit ui, in it or the few sentences before it:
// whom "he" or "she" stands for.
int Extractor::LastPerson(size_t ui, size_t before) const {
  for (size_t j = ui + 1; j-- > 1 && j + 4 > ui;) {
    const Unit& u = units_[j];
    for (size_t t = j == ui ? before : u.toks.size(); t-- > 0;) {
      const int mi = u.mention_at[t];
      if (mi >= 0 && TypeOf(mentions_[mi].entity) == "Person") return mentions_[mi].entity;
    }
  }
  return -1;
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
    // '"...," he said': the person named last before the quotation.
    for (size_t k = 0; k + 1 < u.toks.size(); ++k) {
      if ((k >= qb && k <= qe) || (k + 1 >= qb && k + 1 <= qe)) continue;
      const std::string a = Lower(u.toks[k].text), b = Lower(u.toks[k + 1].text);
      const bool pronoun_verb = (a == "he" || a == "she") && SpeechVerbs().count(b);
      const bool verb_pronoun = SpeechVerbs().count(a) && (b == "he" || b == "she");
      if (!pronoun_verb && !verb_pronoun) continue;
      if (const int e = LastPerson(ui, qb); e >= 0) return last_speaker_ = e;
      break;
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
