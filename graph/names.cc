#include "graph/names.h"

#include <cctype>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace pactgraph {
namespace {

// Decodes one UTF-8 code point at `pos`; an invalid byte decodes as U+FFFD and advances by one.
char32_t DecodeOne(std::string_view s, size_t& pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  int extra = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + extra >= s.size()) {  // truncated sequence
    ++pos;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsUnicodeSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000 || cp == 0xFEFF;
}

// Folds typographic variants to one ASCII form: dashes to '-', quotes to '\'' or '"'.
char32_t FoldPunctuation(char32_t cp) {
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D) return '-';
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2032 ||
      cp == 0x00B4 || cp == 0x0060)
    return '\'';
  if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x2033 ||
      cp == 0x00AB || cp == 0x00BB)
    return '"';
  return cp;
}

char32_t FoldCase(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;  // Latin-1 capitals
  if (cp >= 0x100 && cp <= 0x17F && (cp % 2) == 0 && cp != 0x130 && cp != 0x138) {
    return cp + 1;  // Latin Extended-A pairs (approximate, enough for names)
  }
  return cp;
}

bool IsWordChar(char32_t cp) {
  if (cp >= '0' && cp <= '9') return true;
  if (cp >= 'a' && cp <= 'z') return true;
  if (cp == '+' || cp == '#') return true;
  return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp != 0xFFFD &&
         !(cp >= 0x2000 && cp <= 0x206F);  // general punctuation block
}

}  // namespace

const std::vector<LegalForm>& LegalForms() {
  static const std::vector<LegalForm> k = {
      {"inc", true},    {"incorporated", true}, {"corp", true}, {"corporation", true}, {"ltd", true},
      {"limited", true}, {"llc", true},         {"co", true},   {"plc", true},         {"gmbh", true},
      {"ag", true},     {"sa", true},           {"nv", true},   {"llp", true},
      {"se", false},    {"as", false},          {"asa", false}, {"ab", false},         {"oy", false},
      {"oyj", false},   {"kgaa", false},        {"spa", false}, {"bv", false},         {"pte", false},
      {"pty", false},   {"sarl", false},        {"ltda", false}, {"a/s", false}};
  return k;
}

bool IsLegalForm(std::string_view word) {
  std::string w;
  for (char c : word) {
    if (c != '.') w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const LegalForm& f : LegalForms()) {
    if (f.form == w) return true;
  }
  return false;
}

std::string NormalizeKey(std::string_view name) {
  // 1. Fold, then split into words at anything that is not a word character.
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  size_t pos = 0;
  while (pos < name.size()) {
    char32_t cp = FoldCase(FoldPunctuation(DecodeOne(name, pos)));
    if (cp == '\'' && !word.empty()) {
      // Possessive: "Citrix's" -> "citrix"; "Apostrophe'd" words otherwise just split.
      size_t look = pos;
      if (look < name.size() && (name[look] == 's' || name[look] == 'S')) {
        size_t after = look + 1;
        if (after >= name.size() || !IsWordChar(FoldCase(static_cast<unsigned char>(name[after])))) {
          pos = after;
          flush();
          continue;
        }
      }
    }
    if (IsWordChar(cp)) {
      AppendUtf8(cp, word);
    } else {
      flush();
    }
  }
  flush();
  // 2. Drop trailing corporate suffixes (the legal forms marked in_keys), keeping at least one word.
  auto folded = [](const std::string& w) {
    for (const LegalForm& f : LegalForms()) {
      if (f.in_keys && f.form == w) return true;
    }
    return false;
  };
  while (words.size() > 1 && folded(words.back())) words.pop_back();
  std::string key;
  for (const std::string& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

std::string CleanDisplayName(std::string_view name) {
  std::string out;
  bool pending_space = false;
  size_t pos = 0;
  while (pos < name.size()) {
    char32_t cp = DecodeOne(name, pos);
    if (IsUnicodeSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    AppendUtf8(cp, out);
  }
  return out;
}

size_t InvalidUtf8At(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3;
      cp = b & 0x07;
    } else {
      return i;
    }
    if (i + n >= s.size()) return i;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view s) { return InvalidUtf8At(s) == std::string_view::npos; }

size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  const size_t la = a.size(), lb = b.size();
  if ((la > lb ? la - lb : lb - la) > limit) return limit + 1;
  std::vector<size_t> prev(lb + 1), cur(lb + 1);
  for (size_t j = 0; j <= lb; ++j) prev[j] = j;
  for (size_t i = 1; i <= la; ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= lb; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[lb];
}

}  // namespace pactgraph
