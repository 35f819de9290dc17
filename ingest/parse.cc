// The parse stage: link-grammar's best complete linkage, read into clauses.
//
// Link types used (link-grammar's English dictionary, 5.x): S subject-verb (SI inverted);
// I, PP, Pv/Pg, TO+I the verb chain (will support, has supported, is supported, plans to
// support); O object; MV verb-to-preposition, M noun-to-preposition, J/IN/ON preposition-to-object;
// G, A, AN, GN, NM noun-phrase modifiers; SJ/VJ/MJ... coordination through the conjunction word
// ("and.j-n"); MX with its Xd/Xc commas an apposition; D+YS a possessor ("Acme's support").
#include "ingest/parse.h"

#include <link-grammar/link-includes.h>
#include <link-grammar/dict-api.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "graph/names.h"
#include "graph/text.h"

namespace pactgraph::ingest {
namespace {

// link-grammar reports through a per-thread handler (stdout by default); the parse stage reports
// through its results, so the messages are dropped, except while the dictionary loads.
void DropMessage(lg_errinfo*, void*) {}
void KeepErrors(lg_errinfo* info, void* data) {
  if (info->severity <= lg_Error) *static_cast<std::string*>(data) += info->text;
}

struct OptionsDeleter {
  void operator()(Parse_Options_s* p) const { parse_options_delete(p); }
};
struct SentenceDeleter {
  void operator()(Sentence_s* s) const { sentence_delete(s); }
};
struct LinkageDeleter {
  void operator()(Linkage_s* l) const { linkage_delete(l); }
};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool IsVowel(char c) { return std::strchr("aeiou", c) != nullptr; }

// Forms no suffix rule gets right: irregular verbs, contractions, and regular-looking exceptions.
const std::map<std::string_view, std::string_view>& Irregular() {
  static const std::map<std::string_view, std::string_view> table{
      {"is", "be"}, {"are", "be"}, {"was", "be"}, {"were", "be"}, {"am", "be"}, {"been", "be"},
      {"being", "be"}, {"'s", "be"}, {"'re", "be"}, {"isn't", "be"}, {"aren't", "be"},
      {"wasn't", "be"}, {"weren't", "be"}, {"has", "have"}, {"had", "have"}, {"having", "have"},
      {"hasn't", "have"}, {"haven't", "have"}, {"hadn't", "have"}, {"'ve", "have"},
      {"does", "do"}, {"did", "do"}, {"done", "do"}, {"doing", "do"}, {"doesn't", "do"},
      {"don't", "do"}, {"didn't", "do"}, {"won't", "will"}, {"'ll", "will"}, {"can't", "can"},
      {"cannot", "can"}, {"couldn't", "could"}, {"wouldn't", "would"}, {"shouldn't", "should"},
      {"goes", "go"}, {"went", "go"}, {"gone", "go"}, {"ran", "run"}, {"made", "make"},
      {"bought", "buy"}, {"sold", "sell"}, {"built", "build"}, {"brought", "bring"},
      {"began", "begin"}, {"begun", "begin"}, {"chose", "choose"}, {"chosen", "choose"},
      {"came", "come"}, {"became", "become"}, {"gave", "give"}, {"given", "give"}, {"got", "get"},
      {"gotten", "get"}, {"grew", "grow"}, {"grown", "grow"}, {"held", "hold"}, {"kept", "keep"},
      {"knew", "know"}, {"known", "know"}, {"led", "lead"}, {"left", "leave"}, {"lost", "lose"},
      {"meant", "mean"}, {"met", "meet"}, {"paid", "pay"}, {"said", "say"}, {"says", "say"},
      {"saw", "see"}, {"seen", "see"}, {"sent", "send"}, {"spent", "spend"}, {"stood", "stand"},
      {"took", "take"}, {"taken", "take"}, {"taught", "teach"}, {"thought", "think"},
      {"told", "tell"}, {"understood", "understand"}, {"won", "win"}, {"wrote", "write"},
      {"written", "write"}, {"found", "find"}, {"felt", "feel"}, {"drove", "drive"},
      {"driven", "drive"}, {"spoke", "speak"}, {"spoken", "speak"}, {"sought", "seek"},
      {"withdrew", "withdraw"}, {"withdrawn", "withdraw"}, {"undertook", "undertake"},
      {"undertaken", "undertake"}, {"rose", "rise"}, {"risen", "rise"}, {"fell", "fall"},
      {"fallen", "fall"}, {"dealt", "deal"}, {"lent", "lend"}, {"bound", "bind"},
      {"focused", "focus"}, {"focuses", "focus"}, {"focusing", "focus"}, {"embedded", "embed"},
      {"embedding", "embed"}, {"controlled", "control"}, {"controlling", "control"},
      {"scaled", "scale"}, {"scaling", "scale"}, {"promoted", "promote"}, {"promoting", "promote"},
      {"completed", "complete"}, {"completing", "complete"}, {"deleted", "delete"},
      {"invited", "invite"}, {"cited", "cite"}, {"united", "unite"}, {"routed", "route"},
      {"voted", "vote"}, {"quoted", "quote"}, {"competed", "compete"}, {"competing", "compete"},
  };
  return table;
}

// Base forms that end in what looks like a suffix.
bool IsBaseInEed(std::string_view w) {
  for (std::string_view b : {"need", "feed", "seed", "heed", "speed", "breed", "bleed", "proceed",
                             "succeed", "exceed", "weed"}) {
    if (EndsWith(w, b)) return true;
  }
  return false;
}

// Does the stem left by -ed or -ing need its silent e back (integrat -> integrate)?
bool NeedsE(std::string_view s) {
  size_t n = s.size();
  if (n < 2) return false;
  char last = s[n - 1], prev = s[n - 2];
  auto cons = [](char c) { return !IsVowel(c) && c != 'y'; };
  if (EndsWith(s, "creat")) return true;
  if (last == 't') {
    if (prev == 'a') return !(n >= 3 && IsVowel(s[n - 3]));  // integrat, not treat
    if (prev == 'u') return n >= 3 && cons(s[n - 3]);         // execut, distribut
    return false;
  }
  if (std::strchr("cvu", last)) return true;                        // announc, serv, continu
  if (last == 'z' && (prev == 'i' || prev == 'y')) return true;     // optimiz, analyz
  if (last == 'g') return prev != 'n' || (n >= 3 && std::strchr("ae", s[n - 3]));  // merg, chang
  if (last == 'l') return std::strchr("bcdfgkptz", prev) != nullptr;  // enabl, bundl
  if (last == 'b') return prev == 'i';                                  // describ
  if (last == 's') return IsVowel(prev) || prev == 'y' || std::strchr("nrpl", prev);  // releas, licens
  if (last == 'r') {
    if (std::strchr("iua", prev)) return (n >= 3 && cons(s[n - 3])) || EndsWith(s, "quir");  // secur, acquir
    return prev == 'o' && (EndsWith(s, "stor") || EndsWith(s, "plor") || EndsWith(s, "gnor") ||
                           EndsWith(s, "scor"));
  }
  if (last == 'n') return prev == 'i' && n >= 3 && cons(s[n - 3]);  // combin, defin
  if (std::strchr("dkm", last)) return IsVowel(prev) && n >= 3 && cons(s[n - 3]);  // provid, invok, assum
  return false;
}

// The stem left by -ed or -ing: a doubled consonant undone (planned), a silent e restored.
std::string RestoreStem(std::string s) {
  size_t n = s.size();
  if (n >= 3 && s[n - 1] == s[n - 2] && !IsVowel(s[n - 1]) && !std::strchr("lsfzd", s[n - 1])) {
    s.pop_back();
    return s;
  }
  if (NeedsE(s)) s += 'e';
  return s;
}

bool HasVowel(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return IsVowel(c) || c == 'y'; });
}

}  // namespace

std::string LemmatizeVerb(std::string_view word) {
  std::string w = AsciiLower(word);
  if (auto it = Irregular().find(w); it != Irregular().end()) return std::string(it->second);
  size_t n = w.size();
  if (n <= 3) return w;
  if (EndsWith(w, "eed")) return IsBaseInEed(w) ? w : w.substr(0, n - 1);  // agreed
  if (EndsWith(w, "ied")) return n > 4 ? w.substr(0, n - 3) + "y" : w.substr(0, n - 1);
  if (EndsWith(w, "ed") && HasVowel(w.substr(0, n - 2))) return RestoreStem(w.substr(0, n - 2));
  if (EndsWith(w, "ing") && n >= 5 && HasVowel(w.substr(0, n - 3))) {
    std::string stem = w.substr(0, n - 3);
    if (EndsWith(stem, "ee") || EndsWith(stem, "y")) return stem;  // agreeing, deploying
    return RestoreStem(stem);
  }
  if (EndsWith(w, "ies")) return n > 4 ? w.substr(0, n - 3) + "y" : w.substr(0, n - 1);
  for (std::string_view es : {"sses", "shes", "ches", "xes", "zes"}) {
    if (EndsWith(w, es)) return w.substr(0, n - 2);
  }
  if (w.back() == 's' && !std::strchr("sui", w[n - 2])) return w.substr(0, n - 1);
  return w;
}

std::string_view FallbackName(Fallback fallback) {
  switch (fallback) {
    case Fallback::kNone: return "parsed";
    case Fallback::kEmpty: return "empty";
    case Fallback::kInvalidText: return "invalid text";
    case Fallback::kTooLong: return "too long";
    case Fallback::kTimeout: return "timeout";
    case Fallback::kNoCompleteLinkage: return "no complete linkage";
  }
  return "?";
}

namespace {

// A link's type is its upper-case head ("MV" of "MVp", "S" of "Ss*s"); the rest is its subscript.
std::string_view LinkType(std::string_view label) {
  size_t i = 0;
  while (i < label.size() && (std::isupper(static_cast<unsigned char>(label[i])) || label[i] == '_')) ++i;
  return label.substr(0, i);
}
std::string_view LinkSub(std::string_view label) { return label.substr(LinkType(label).size()); }

// Reads one linkage of `text` into clauses and appositions.
class Reader {
 public:
  Reader(std::string_view text, SentenceParse& out) : text_(text), out_(out), at_(out.words.size()) {
    for (uint32_t l = 0; l < out.links.size(); ++l) {
      at_[out.links[l].left].push_back(l);
      at_[out.links[l].right].push_back(l);
    }
  }

  void Run() {
    ReadClauses();
    ReadNominals();
    ReadAppositions();
  }

 private:
  const ParsedWord& W(uint32_t w) const { return out_.words[w]; }
  std::string Lower(uint32_t w) const { return AsciiLower(W(w).text); }
  std::string_view Type(uint32_t l) const { return LinkType(out_.links[l].label); }
  std::string_view Sub(uint32_t l) const { return LinkSub(out_.links[l].label); }
  uint32_t Other(uint32_t l, uint32_t w) const {
    return out_.links[l].left == w ? out_.links[l].right : out_.links[l].left;
  }
  bool IsLeft(uint32_t l, uint32_t w) const { return out_.links[l].left == w; }

  // The word linked from `w` by a link of `type` to the right (right=true) or to the left.
  std::vector<uint32_t> Linked(uint32_t w, std::string_view type, bool right) const {
    std::vector<uint32_t> found;
    for (uint32_t l : at_[w]) {
      if (Type(l) == type && IsLeft(l, w) == right) found.push_back(Other(l, w));
    }
    return found;
  }

  bool IsConjunction(uint32_t w) const { return StartsWith(W(w).pos, "j"); }
  bool IsVerb(uint32_t w) const {
    const std::string& p = W(w).pos;
    if (p == "j-v" || StartsWith(p, "v") || StartsWith(p, "q")) return true;
    return p.empty() && !Linked(w, "I", true).empty();  // doesn't, won't
  }

  // The words a conjunction joins, through its SJ/VJ/MJ... links; any other word is itself.
  void Conjuncts(uint32_t w, std::vector<uint32_t>& found, int depth = 0) const {
    if (!IsConjunction(w) || depth > 32) {
      found.push_back(w);
      return;
    }
    for (uint32_t l : at_[w]) {
      std::string_view t = Type(l), s = Sub(l);
      if (t.size() != 2 || t[1] != 'J' || s.empty()) continue;
      if ((!IsLeft(l, w) && s[0] == 'l') || (IsLeft(l, w) && s[0] == 'r')) Conjuncts(Other(l, w), found, depth + 1);
    }
  }
  std::vector<uint32_t> Conjuncts(uint32_t w) const {
    std::vector<uint32_t> found;
    Conjuncts(w, found);
    std::sort(found.begin(), found.end());
    return found;
  }

  Phrase Span(uint32_t head, uint32_t first, uint32_t last) const {
    Phrase p{head, first, last, std::string(text_.substr(W(first).begin, W(last).end - W(first).begin))};
    return p;
  }

  // The head and its modifiers: the proper-noun run (G), adjectives (A), noun modifiers (AN, GN),
  // numbers after it (NM).
  Phrase NounPhrase(uint32_t head) const {
    std::vector<uint32_t> todo{head};
    uint32_t first = head, last = head;
    while (!todo.empty()) {
      uint32_t w = todo.back();
      todo.pop_back();
      for (uint32_t l : at_[w]) {
        std::string_view t = Type(l);
        bool modifier = (!IsLeft(l, w) && (t == "G" || t == "A" || t == "AN" || t == "GN")) ||
                        (IsLeft(l, w) && t == "NM");
        uint32_t o = Other(l, w);
        if (!modifier || (o >= first && o <= last)) continue;
        first = std::min(first, o);
        last = std::max(last, o);
        todo.push_back(o);
      }
    }
    return Span(head, first, last);
  }

  // The phrases `w` stands for: each conjunct's, a relative pronoun's antecedent's, and the names
  // of a proper-noun run cut at its "and" (and.j-g).
  std::vector<Phrase> Phrases(uint32_t w, int depth = 0) const {
    std::vector<Phrase> found;
    for (uint32_t c : Conjuncts(w)) {
      std::string lower = Lower(c);
      if ((lower == "which" || lower == "who" || lower == "that") && depth == 0) {
        std::vector<uint32_t> antecedent = Linked(c, "MX", false);
        if (antecedent.empty()) antecedent = Linked(c, "R", false);
        if (!antecedent.empty()) {
          for (Phrase& p : Phrases(antecedent.front(), 1)) found.push_back(std::move(p));
          continue;
        }
      }
      Phrase whole = NounPhrase(c);
      std::vector<uint32_t> cuts;
      for (uint32_t i = whole.first; i <= whole.last; ++i) {
        if (W(i).pos == "j-g") cuts.push_back(i);
      }
      if (cuts.empty()) {
        found.push_back(std::move(whole));
        continue;
      }
      cuts.push_back(whole.last + 1);
      uint32_t from = whole.first;
      for (uint32_t cut : cuts) {
        if (cut > from) {
          uint32_t head = cut - 1;
          while (head > from && !Linked(head, "NM", false).empty()) --head;  // Lumen DB 5.2
          Phrase part = Span(head, from, cut - 1);
          part.split_from_name = true;
          found.push_back(std::move(part));
        }
        from = cut + 1;
      }
    }
    return found;
  }

  // The preposition `p` with its object(s), when it has one.
  void Attach(uint32_t p, bool to_object, std::vector<Attachment>& into) const {
    for (const Attachment& a : into) {
      if (a.prep_word == p) return;
    }
    for (uint32_t l : at_[p]) {
      std::string_view t = Type(l);
      if (!IsLeft(l, p) || (t != "J" && t != "IN" && t != "ON")) continue;
      into.push_back(Attachment{Lower(p), p, to_object, Phrases(Other(l, p))});
      return;
    }
  }
  void AttachNounPreps(const std::vector<Phrase>& nouns, std::vector<Attachment>& into) const {
    for (const Phrase& n : nouns) {
      for (uint32_t p : Linked(n.head, "M", true)) Attach(p, true, into);
    }
  }

  void ReadClauses() {
    size_t n = out_.words.size();
    std::vector<int> next(n, -1);
    std::vector<bool> via_to(n, false), reached(n, false);
    for (uint32_t l = 0; l < out_.links.size(); ++l) {
      uint32_t a = out_.links[l].left, b = out_.links[l].right;
      std::string_view t = Type(l), s = Sub(l);
      if (!IsVerb(a)) continue;
      if (t == "TO") {
        std::vector<uint32_t> after_to = Linked(b, "I", true);
        if (!after_to.empty() && IsVerb(after_to.front())) {
          next[a] = after_to.front();
          via_to[a] = true;
        }
      } else if (IsVerb(b) && (t == "I" || t == "PP" || (t == "P" && !s.empty() && (s[0] == 'v' || s[0] == 'g')))) {
        next[a] = b;
      } else if (t.size() == 2 && t[1] == 'J' && t[0] == 'V') {
        reached[IsConjunction(a) ? b : a] = true;  // a verb joined by a conjunction
      }
    }
    for (size_t w = 0; w < n; ++w) {
      if (next[w] >= 0) reached[next[w]] = true;
    }
    for (uint32_t head = 0; head < n; ++head) {
      if (!IsVerb(head) || reached[head]) continue;
      std::vector<uint32_t> chain{head};
      while (next[chain.back()] >= 0 && chain.size() < n) chain.push_back(next[chain.back()]);
      uint32_t content = chain.back();
      for (uint32_t verb : Conjuncts(content)) {
        std::vector<uint32_t> own = chain;
        if (verb != content) {
          own.push_back(verb);
          while (next[own.back()] >= 0 && own.size() < 2 * n) own.push_back(next[own.back()]);
          verb = own.back();
        }
        out_.clauses.push_back(MakeClause(own, verb, via_to));
      }
    }
  }

  Clause MakeClause(const std::vector<uint32_t>& chain, uint32_t verb, const std::vector<bool>& via_to) const {
    Clause c;
    c.verb = verb;
    c.lemma = LemmatizeVerb(W(verb).text);
    for (uint32_t node : chain) {
      for (uint32_t l : at_[node]) {
        std::string_view t = Type(l), s = Sub(l);
        uint32_t o = Other(l, node);
        bool subject = (t == "S" || t == "SX" || t == "SF") ? !IsLeft(l, node) : t == "SI" && IsLeft(l, node);
        if (subject && c.subjects.empty()) c.subjects = Phrases(o);
        if (t == "P" && IsLeft(l, node) && o == verb && StartsWith(s, "v")) c.passive = true;
        std::string other = Lower(o);
        if (other == "not" || other == "n't" || other == "never" ||
            (other == "longer" && o > 0 && Lower(o - 1) == "no")) {
          c.negated = true;
        }
      }
      std::string self = Lower(node);
      if (EndsWith(self, "n't") || self == "cannot") c.negated = true;
      if (node != verb && !IsConjunction(node)) {
        std::string lemma = LemmatizeVerb(W(node).text);
        if (lemma != "be" && lemma != "have" && lemma != "do") {
          if (!c.modality.empty()) c.modality += ' ';
          c.modality += lemma + (via_to[node] ? " to" : "");
        }
      }
    }
    for (uint32_t node : chain) {
      if (node != verb && !IsConjunction(node)) continue;
      for (uint32_t o : Linked(node, "O", true)) {
        for (Phrase& p : Phrases(o)) c.objects.push_back(std::move(p));
      }
    }
    for (uint32_t node : chain) {
      for (uint32_t p : Linked(node, "MV", true)) Attach(p, false, c.attachments);
    }
    AttachNounPreps(c.objects, c.attachments);
    std::sort(c.attachments.begin(), c.attachments.end(),
              [](const Attachment& a, const Attachment& b) { return a.prep_word < b.prep_word; });
    return c;
  }

  // Nouns with prepositions: "support for Lumen DB on Quill OS". Left out: a noun that is itself
  // a preposition's object (its prepositions are already its governor's "obj." ones) and names.
  void ReadNominals() {
    for (uint32_t w = 0; w < out_.words.size(); ++w) {
      if (IsVerb(w) || IsConjunction(w) || !Linked(w, "J", false).empty()) continue;
      if (W(w).guessed || !Linked(w, "G", false).empty()) continue;  // a name: "Lumen DB on Quill OS"
      Clause c;
      for (uint32_t p : Linked(w, "M", true)) Attach(p, false, c.attachments);
      if (c.attachments.empty()) continue;
      c.verb = w;
      c.lemma = Lower(w);
      c.nominal = true;
      for (uint32_t d : Linked(w, "D", false)) {
        for (uint32_t owner : Linked(d, "YS", false)) c.subjects = Phrases(owner);
        for (uint32_t owner : Linked(d, "YP", false)) c.subjects = Phrases(owner);
      }
      size_t own = c.attachments.size();
      for (size_t i = 0; i < own; ++i) AttachNounPreps(c.attachments[i].objects, c.attachments);
      std::sort(c.attachments.begin(), c.attachments.end(),
                [](const Attachment& a, const Attachment& b) { return a.prep_word < b.prep_word; });
      out_.clauses.push_back(std::move(c));
    }
  }

  void ReadAppositions() {
    for (uint32_t l = 0; l < out_.links.size(); ++l) {
      if (Type(l) != "MX" || Sub(l).find('r') != std::string_view::npos) continue;
      uint32_t name = out_.links[l].left, head = out_.links[l].right;
      Apposition a{NounPhrase(name), NounPhrase(head)};
      std::vector<uint32_t> open = Linked(head, "X", false), close = Linked(head, "X", true);
      if (!open.empty() && !close.empty() && open.front() + 1 < close.front()) {
        a.description = Span(head, open.front() + 1, close.front() - 1);
      }
      out_.appositions.push_back(std::move(a));
    }
  }

  std::string_view text_;
  SentenceParse& out_;
  std::vector<std::vector<uint32_t>> at_;  // links per word
};

// The surface text's part of speech and guess mark: "supports.v" -> "v"; "DB[!].y" -> "y".
void ReadWordLabel(std::string_view label, ParsedWord& word) {
  std::string rest(label.substr(std::min(label.size(), word.text.size())));
  if (!StartsWith(label, word.text)) {  // not the surface form: cut at the last dot
    size_t dot = label.rfind('.');
    rest = dot == std::string_view::npos || dot == 0 ? "" : std::string(label.substr(dot));
  }
  for (size_t open; (open = rest.find('[')) != std::string::npos;) {
    size_t close = rest.find(']', open);
    if (close == std::string::npos) break;
    word.guessed = true;
    rest.erase(open, close - open + 1);
  }
  if (StartsWith(rest, ".")) word.pos = rest.substr(1);
}

size_t CountWords(std::string_view s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

}  // namespace

Result<std::unique_ptr<SentenceParser>> SentenceParser::Create(const ParseOptions& options) {
  if (options.max_seconds < 1 || options.max_words < 1 || options.linkage_limit < 1) {
    return Status::InvalidArgument("parse options: max_seconds, max_words and linkage_limit must be at least 1");
  }
  std::string errors;
  lg_error_set_handler(KeepErrors, &errors);
  {
    std::unique_ptr<Parse_Options_s, OptionsDeleter> quiet(parse_options_create());
    parse_options_set_verbosity(quiet.get(), 0);  // a global: the dictionary's loading says nothing
  }
  Dictionary dictionary = dictionary_create_lang("en");
  lg_error_set_handler(DropMessage, nullptr);
  if (dictionary == nullptr) {
    return Status::NotFound("link-grammar's English dictionary could not be loaded (Debian package "
                            "link-grammar-dictionaries-en)" + (errors.empty() ? "" : ": " + errors));
  }
  return std::unique_ptr<SentenceParser>(new SentenceParser(dictionary, options));
}

SentenceParser::~SentenceParser() { dictionary_delete(dictionary_); }

bool SentenceParser::KnowsWord(const std::string& word) const { return dictionary_word_is_known(dictionary_, word.c_str()); }

SentenceParse SentenceParser::Parse(std::string_view sentence) const {
  SentenceParse out;
  auto fail = [&out](Fallback why, std::string text) {
    out = SentenceParse{};
    out.fallback = why;
    out.why = std::move(text);
    return out;
  };
  thread_local bool quiet = false;
  if (!quiet) lg_error_set_handler(DropMessage, nullptr);
  quiet = true;

  size_t rough = CountWords(sentence);
  if (rough == 0) return fail(Fallback::kEmpty, "");
  if (sentence.find('\0') != std::string_view::npos) return fail(Fallback::kInvalidText, "a NUL byte");
  if (!IsValidUtf8(sentence)) return fail(Fallback::kInvalidText, "not UTF-8");
  auto too_long = [&](size_t n) {
    return fail(Fallback::kTooLong, std::to_string(n) + " words, more than " + std::to_string(options_.max_words));
  };
  if (rough > options_.max_words) return too_long(rough);

  std::unique_ptr<Parse_Options_s, OptionsDeleter> opts(parse_options_create());
  parse_options_set_linkage_limit(opts.get(), options_.linkage_limit);
  parse_options_set_max_parse_time(opts.get(), options_.max_seconds);
  parse_options_set_min_null_count(opts.get(), 0);
  parse_options_set_max_null_count(opts.get(), 0);
  parse_options_set_islands_ok(opts.get(), false);
  parse_options_set_spell_guess(opts.get(), 0);
  parse_options_set_repeatable_rand(opts.get(), true);
  parse_options_set_display_morphology(opts.get(), 0);

  std::string text(sentence);
  std::unique_ptr<Sentence_s, SentenceDeleter> sent(sentence_create(text.c_str(), dictionary_));
  if (sent == nullptr || sentence_split(sent.get(), opts.get()) < 0) {
    return fail(Fallback::kNoCompleteLinkage, "the tokenizer refused it");
  }
  size_t words = sentence_length(sent.get());
  words = words > 2 ? words - 2 : 0;  // without the walls
  if (words > options_.max_words) return too_long(words);
  int found = sentence_parse(sent.get(), opts.get());
  if (parse_options_resources_exhausted(opts.get())) {
    return fail(Fallback::kTimeout, "more than " + std::to_string(options_.max_seconds) + " s");
  }
  if (found <= 0 || sentence_null_count(sent.get()) > 0) return fail(Fallback::kNoCompleteLinkage, "");
  std::unique_ptr<Linkage_s, LinkageDeleter> linkage(linkage_create(0, sent.get(), opts.get()));
  if (linkage == nullptr) return fail(Fallback::kNoCompleteLinkage, "");

  // link-grammar's words, without the walls; index[i] is ours, or -1 for a wall.
  size_t n = linkage_get_num_words(linkage.get());
  std::vector<int> index(n, -1);
  for (size_t i = 0; i < n; ++i) {
    std::string_view label = linkage_get_word(linkage.get(), i);
    if (label == "LEFT-WALL" || label == "RIGHT-WALL") continue;
    size_t begin = linkage_get_word_byte_start(linkage.get(), i);
    size_t end = linkage_get_word_byte_end(linkage.get(), i);
    if (begin > end || end > text.size()) return fail(Fallback::kNoCompleteLinkage, "word offsets out of the text");
    ParsedWord word;
    word.begin = static_cast<uint32_t>(begin);
    word.end = static_cast<uint32_t>(end);
    word.text = text.substr(begin, end - begin);
    ReadWordLabel(label, word);
    index[i] = static_cast<int>(out.words.size());
    out.words.push_back(std::move(word));
  }
  for (size_t l = 0; l < linkage_get_num_links(linkage.get()); ++l) {
    int a = index[linkage_get_link_lword(linkage.get(), l)], b = index[linkage_get_link_rword(linkage.get(), l)];
    if (a < 0 || b < 0) continue;
    out.links.push_back(ParsedLink{static_cast<uint32_t>(a), static_cast<uint32_t>(b),
                                   linkage_get_link_label(linkage.get(), l)});
  }
  Reader reader(text, out);
  reader.Run();
  for (ParsedWord& w : out.words) {
    w.lemma = StartsWith(w.pos, "v") || StartsWith(w.pos, "q") ? LemmatizeVerb(w.text) : w.text;
  }
  return out;
}

namespace {

std::string Quoted(const std::vector<Phrase>& phrases) {
  std::string s;
  for (const Phrase& p : phrases) s += (s.empty() ? "\"" : "|\"") + p.text + "\"";
  return s;
}

}  // namespace

std::string FormatParse(const SentenceParse& parse) {
  if (!parse.parsed()) {
    return "fallback: " + std::string(FallbackName(parse.fallback)) + (parse.why.empty() ? "" : " (" + parse.why + ")") + "\n";
  }
  std::string s;
  for (const Clause& c : parse.clauses) {
    s += c.nominal ? "nominal:" : "clause:";
    if (!c.subjects.empty()) s += " subj=" + Quoted(c.subjects);
    if (c.nominal) {
      s += " noun=" + c.lemma;
    } else {
      s += " verb=" + c.lemma + (c.passive ? "(passive" : "(active") + (c.negated ? ", negated" : "");
      if (!c.modality.empty()) {
        s += ", modal=" + (c.modality.find(' ') == std::string::npos ? c.modality : "\"" + c.modality + "\"");
      }
      s += ")";
    }
    if (!c.objects.empty()) s += " obj=" + Quoted(c.objects);
    for (const Attachment& a : c.attachments) s += " " + std::string(a.to_object ? "obj." : "") + a.prep + "=" + Quoted(a.objects);
    s += "\n";
  }
  for (const Apposition& a : parse.appositions) {
    s += "apposition: \"" + a.name.text + "\" = \"" + a.description.text + "\"\n";
  }
  return s;
}

}  // namespace pactgraph::ingest
