#include "ingest/text_units.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "graph/text.h"

namespace pactgraph::ingest {
namespace {

bool IsUpper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Words that end with a period without ending the sentence.
const std::set<std::string>& Abbreviations() {
  static const std::set<std::string> k = {
      "inc", "corp", "co", "ltd", "llc", "plc", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc",
      "e.g", "i.e", "u.s", "u.k", "no", "approx", "dept", "est", "fig", "gen", "gov", "sen", "rep", "jan", "feb",
      "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "cf", "al", "ph.d", "a.m", "p.m"};
  return k;
}

// Words that, after a hyphen, tie a name to something else: "Kubernetes-based platform",
// "ARM-powered laptops", "Azure-hosted service". The name is the part before the hyphen.
bool RelatingSuffixAt(std::string_view text, size_t at) {
  static const std::set<std::string, std::less<>> k = {
      "based", "powered", "compatible", "enabled", "certified", "ready", "native", "optimized", "optimised", "centric",
      "hosted", "managed", "backed", "owned", "led", "run", "branded", "specific", "only", "exclusive", "focused", "driven"};
  size_t e = at;
  while (e < text.size() && std::islower(static_cast<unsigned char>(text[e]))) ++e;
  if (e == at || (e < text.size() && IsAlnum(text[e]))) return false;
  return k.count(text.substr(at, e - at)) > 0;
}

// The UTF-8 curly quotes: “ ” ‘ ’.
bool CurlyAt(std::string_view s, size_t i, size_t* len, bool* open, bool* single) {
  if (i + 3 > s.size()) return false;
  if (static_cast<unsigned char>(s[i]) != 0xE2 || static_cast<unsigned char>(s[i + 1]) != 0x80) return false;
  const auto c = static_cast<unsigned char>(s[i + 2]);
  if (c == 0x9C || c == 0x9D || c == 0x98 || c == 0x99) {
    *len = 3;
    *open = c == 0x9C || c == 0x98;
    *single = c == 0x98 || c == 0x99;
    return true;
  }
  return false;
}

}  // namespace

bool FieldLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || !IsUpper(line[i])) return false;
  const size_t colon = line.find(':', i);
  if (colon == std::string_view::npos || colon - i > 40) return false;
  size_t words = 1;
  for (size_t k = i; k < colon; ++k) {
    if (line[k] == '.' || line[k] == ',' || line[k] == '"') return false;
    words += line[k] == ' ';
  }
  return words <= 5;
}

bool BulletLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t len = 0;
  if (i < line.size() && (line[i] == '*' || line[i] == '-')) {
    len = 1;
  } else {
    for (std::string_view mark : {"\u2022", "\u2013", "\u2014", "\u00b7"}) {  // bullet, en and em dash, middle dot
      if (line.substr(i, mark.size()) == mark) len = mark.size();
    }
  }
  return len > 0 && i + len < line.size() && line[i + len] == ' ';
}

std::vector<Sentence> SplitSentences(std::string_view text) {
  std::vector<Sentence> out;
  size_t start = 0;
  auto emit = [&](size_t end) {
    size_t b = start, e = end;
    for (;;) {
      while (b < e && IsSpace(text[b])) ++b;
      while (e > b && IsSpace(text[e - 1])) --e;
      if (e <= b) break;
      const size_t n = e - b <= kMaxSentenceBytes ? e - b : CutPoint(text.substr(b, e - b), kMaxSentenceBytes);
      out.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(b + n), std::string(text.substr(b, n))});
      b += n;
    }
    start = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      emit(i);
      continue;
    }
    if (c != '.' && c != '!' && c != '?') continue;
    // The end of the sentence mark, with closing quotes and brackets after it.
    size_t j = i + 1;
    for (;;) {
      size_t len = 0;
      bool open = false, single = false;
      if (j < text.size() && (text[j] == '"' || text[j] == '\'' || text[j] == ')')) {
        ++j;
      } else if (CurlyAt(text, j, &len, &open, &single) && !open) {
        j += len;
      } else {
        break;
      }
    }
    if (j < text.size() && !IsSpace(text[j])) continue;  // 3.5, U.S.A, .NET
    size_t k = j;
    while (k < text.size() && IsSpace(text[k])) ++k;
    if (k == text.size()) continue;
    // What follows must be able to start a sentence.
    size_t len = 0;
    bool open = false, single = false;
    const bool starts = IsUpper(text[k]) || std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '"' ||
                        text[k] == '(' || (CurlyAt(text, k, &len, &open, &single) && open);
    if (!starts) continue;
    if (c == '.') {
      // The word before the period: an abbreviation or an initial does not end the sentence.
      size_t w = i;
      while (w > 0 && (IsAlnum(text[w - 1]) || text[w - 1] == '.')) --w;
      const std::string word = AsciiLower(text.substr(w, i - w));
      if (Abbreviations().count(word)) {
        // "Inc." at the end of a sentence is common: a following capitalised function word ends it.
        if (word != "inc" && word != "corp" && word != "ltd" && word != "co") continue;
        size_t n = k;
        while (n < text.size() && IsAlnum(text[n])) ++n;
        const std::string next = AsciiLower(text.substr(k, n - k));
        static const std::set<std::string> kStarters = {"the", "it", "he", "she", "they", "we", "this", "that", "in", "on", "a", "an", "but", "and", "its", "their", "both"};
        if (!kStarters.count(next)) continue;
      }
      // An initial ("Roy S. Schestowitz", "chief executive J. Smith", "CEO J. Smith") does not
      // end the sentence; a capital after a product's acronym does ("runs on IBM Z. Apple ...").
      if (i - w == 1 && IsUpper(text[w])) {
        size_t pe = w;
        while (pe > 0 && text[pe - 1] == ' ') --pe;
        size_t pb = pe;
        while (pb > 0 && IsAlnum(text[pb - 1])) --pb;
        const std::string prev(text.substr(pb, pe - pb));
        static const std::set<std::string> kTitleAcronyms = {"CEO", "CFO", "CTO", "COO", "CIO", "CMO", "CSO", "CISO", "CPO",
                                                             "EVP", "SVP", "VP", "GM", "MD"};
        const bool acronym = prev.size() >= 2 && std::none_of(prev.begin(), prev.end(), [](char ch) {
                               return std::islower(static_cast<unsigned char>(ch)) != 0;
                             }) && std::any_of(prev.begin(), prev.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0; });
        if (!acronym || kTitleAcronyms.count(prev)) continue;
      }
    }
    emit(j);
    i = j - 1;
  }
  emit(text.size());
  return out;
}

size_t CutPoint(std::string_view text, size_t max) {
  if (text.size() <= max) return text.size();
  for (size_t i = max; i > 0; --i) {
    if (IsSpace(text[i])) {
      size_t e = i;
      while (e > 0 && IsSpace(text[e - 1])) --e;
      if (e > 0) return e;
    }
  }
  // No space: cut between two characters, never inside one.
  size_t e = max;
  while (e > 0 && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) --e;
  return e > 0 ? e : max;
}

std::vector<Token> Tokenize(std::string_view text, uint32_t base) {
  std::vector<Token> out;
  size_t i = 0;
  auto push = [&](Token::Kind kind, size_t b, size_t e) {
    Token t;
    t.kind = kind;
    t.text = std::string(text.substr(b, e - b));
    t.begin = static_cast<uint32_t>(base + b);
    t.end = static_cast<uint32_t>(base + e);
    if (kind == Token::Kind::kWord) t.capitalized = IsUpper(t.text[0]);
    out.push_back(std::move(t));
  };
  while (i < text.size()) {
    const char c = text[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    size_t len = 0;
    bool open = false, single = false;
    if (CurlyAt(text, i, &len, &open, &single)) {
      // ’s after a word is a possessive; ’ inside a word an apostrophe.
      if (single && !open && !out.empty() && out.back().end == base + i && i + len < text.size() &&
          (text[i + len] == 's' || text[i + len] == 'S') && (i + len + 1 == text.size() || !IsAlnum(text[i + len + 1]))) {
        push(Token::Kind::kPossessive, i, i + len + 1);
        i += len + 1;
        continue;
      }
      // ... and a plural's: "Kestrel Systems’ platform".
      if (single && !out.empty() && out.back().end == base + i && out.back().kind == Token::Kind::kWord && !out.back().text.empty() &&
          (out.back().text.back() == 's' || out.back().text.back() == 'S') && (i + len == text.size() || IsSpace(text[i + len]))) {
        push(Token::Kind::kPossessive, i, i + len);
        i += len;
        continue;
      }
      if (single && !out.empty() && out.back().end == base + i && i + len < text.size() && IsAlnum(text[i + len])) {
        // An apostrophe inside a word (don’t): join it to the word.
        size_t e = i + len;
        while (e < text.size() && IsAlnum(text[e])) ++e;
        out.back().text += std::string(text.substr(i, e - i));
        out.back().end = static_cast<uint32_t>(base + e);
        i = e;
        continue;
      }
      if (!single) {
        push(Token::Kind::kQuote, i, i + len);
        out.back().open = open;
      } else {
        push(Token::Kind::kPunct, i, i + len);
      }
      i += len;
      continue;
    }
    if (c == '\'' && !out.empty() && out.back().end == base + i && i + 1 < text.size() && (text[i + 1] == 's' || text[i + 1] == 'S') &&
        (i + 2 == text.size() || !IsAlnum(text[i + 2]))) {
      push(Token::Kind::kPossessive, i, i + 2);
      i += 2;
      continue;
    }
    // A plural's possessive: "Kestrel Systems' platform".
    if (c == '\'' && !out.empty() && out.back().end == base + i && out.back().kind == Token::Kind::kWord && !out.back().text.empty() &&
        (out.back().text.back() == 's' || out.back().text.back() == 'S') && (i + 1 == text.size() || IsSpace(text[i + 1]))) {
      push(Token::Kind::kPossessive, i, i + 1);
      ++i;
      continue;
    }
    if (c == '"') {
      // Opens when nothing word-like is right before it.
      const bool opens = out.empty() || out.back().end != base + i;
      push(Token::Kind::kQuote, i, i + 1);
      out.back().open = opens;
      ++i;
      continue;
    }
    const bool general_punct = static_cast<unsigned char>(c) == 0xE2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80;
    if (IsAlnum(c) && !general_punct) {
      size_t e = i;
      while (e < text.size()) {
        size_t qlen = 0;
        bool qopen = false, qsingle = false;
        if (CurlyAt(text, e, &qlen, &qopen, &qsingle)) break;  // a curly quote or apostrophe
        if (static_cast<unsigned char>(text[e]) == 0xE2 && e + 2 < text.size() && static_cast<unsigned char>(text[e + 1]) == 0x80) {
          break;  // dashes, ellipsis and other punctuation of the U+2000 block
        }
        // A capitalised tag glued to a name ("BRIEF-Acme Systems") is a word of its own.
        if (text[e] == '-' && e - i >= 2 && e + 2 < text.size() && IsUpper(text[e + 1]) &&
            std::islower(static_cast<unsigned char>(text[e + 2])) &&
            std::all_of(text.begin() + i, text.begin() + e, [](char x) { return IsUpper(x); })) {
          break;
        }
        // "Kubernetes-based", "ARM-powered": the name ends at the hyphen; the word after it
        // says how something else relates to the name.
        if (text[e] == '-' && e > i && (IsUpper(text[i]) || std::isdigit(static_cast<unsigned char>(text[i]))) && RelatingSuffixAt(text, e + 1)) {
          break;
        }
        if (IsAlnum(text[e])) {
          ++e;
        } else if ((text[e] == '-' || text[e] == '&' || text[e] == '/' || text[e] == '\'' || text[e] == '.' || text[e] == '+' ||
                    text[e] == '@') &&
                   e + 1 < text.size() && IsAlnum(text[e + 1]) &&
                   !(text[e] == '\'' && (text[e + 1] == 's' || text[e + 1] == 'S') && (e + 2 == text.size() || !IsAlnum(text[e + 2])))) {
          ++e;
        } else if (text[e] == '+' && (e + 1 == text.size() || !IsAlnum(text[e + 1]))) {
          ++e;  // C++
        } else {
          break;
        }
      }
      bool number = true;
      for (size_t k = i; k < e; ++k) number = number && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.' || text[k] == ',');
      push(number ? Token::Kind::kNumber : Token::Kind::kWord, i, e);
      i = e;
      continue;
    }
    // Any other byte sequence: one punctuation token per UTF-8 character.
    size_t e = i + 1;
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    push(Token::Kind::kPunct, i, e);
    i = e;
  }
  return out;
}

}  // namespace pactgraph::ingest
