#include "query/format.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <unordered_set>

#include "graph/text.h"

namespace pactgraph::query {
namespace {

// Characters, not bytes: UTF-8 continuation bytes do not count.
size_t Width(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The first `w` characters, with "..." when cut.
std::string Fit(const std::string& s, size_t w) {
  if (Width(s) <= w) return s;
  if (w <= 3) return std::string(w, '.');
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == w - 3) break;
      ++chars;
    }
  }
  return s.substr(0, i) + "...";
}

// A cell on one line of a terminal: breaks and tabs become spaces, other control characters
// visible escapes, so that a name holding ESC or BEL cannot drive the terminal.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return TerminalText(s);
}

// `s` (one line, see OneLine) in lines of at most `w` characters, broken at spaces; only a word
// longer than `w` is broken inside, into pieces of `w`.
std::vector<std::string> WrapWords(const std::string& s, size_t w) {
  w = std::max<size_t>(w, 1);
  std::vector<std::string> lines;
  std::string line;
  size_t at = 0;
  while (at <= s.size()) {
    size_t end = s.find(' ', at);
    if (end == std::string::npos) end = s.size();
    std::string word = s.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && Width(line) + 1 + Width(word) <= w) {
      line += " " + word;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    while (Width(word) > w) {  // a piece of `w` characters (UTF-8 sequences kept whole)
      size_t chars = 0, i = 0;
      for (; i < word.size(); ++i) {
        if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80 && chars++ == w) break;
      }
      lines.push_back(word.substr(0, i));
      word = word.substr(i);
    }
    line = std::move(word);
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

size_t LongestWord(const std::string& s) {
  size_t longest = 0, at = 0;
  while (at <= s.size()) {
    size_t end = s.find(' ', at);
    if (end == std::string::npos) end = s.size();
    longest = std::max(longest, Width(std::string_view(s).substr(at, end - at)));
    at = end + 1;
  }
  return longest;
}

// The widths of a wrapping table's columns (FormatOptions::wrap) that was `natural` wide and
// does not fit `width`. What gives way first: columns of long free text (wider than kName: a
// claim's text, a sentence), down to their longest word; then every column, names too, down to
// their longest words (names wrap between words, never inside one); last, anything, to 8.
std::vector<size_t> WrapWidths(const std::vector<size_t>& natural, const std::vector<size_t>& longest_word,
                               const std::vector<bool>& shown, size_t width) {
  constexpr size_t kName = 40;  // a cell this wide or less is a name, kept whole while it can be
  constexpr size_t kWord = 20;  // a word longer than this (a URL) may be broken
  const size_t n = natural.size();
  std::vector<size_t> by_word(n), at_least_8(n), text_first(n);
  for (size_t c = 0; c < n; ++c) {
    by_word[c] = std::min(natural[c], std::max<size_t>(8, std::min(longest_word[c], kWord)));
    at_least_8[c] = std::min<size_t>(natural[c], 8);
    text_first[c] = natural[c] <= kName ? natural[c] : by_word[c];
  }
  auto total = [&](const std::vector<size_t>& floor, size_t cap) {
    size_t t = 0, k = 0;
    for (size_t c = 0; c < n; ++c) {
      if (!shown[c]) continue;
      t += std::max(floor[c], std::min(natural[c], cap)) + (k++ ? 2 : 0);
    }
    return t;
  };
  for (const std::vector<size_t>* floor : {&text_first, &by_word, &at_least_8}) {
    if (total(*floor, 0) > width && floor != &at_least_8) continue;
    size_t lo = 0, hi = *std::max_element(natural.begin(), natural.end());  // total(hi) > width
    while (hi - lo > 1) {
      const size_t mid = lo + (hi - lo) / 2;
      (total(*floor, mid) <= width ? lo : hi) = mid;
    }
    std::vector<size_t> w(n);
    for (size_t c = 0; c < n; ++c) w[c] = std::max((*floor)[c], std::min(natural[c], lo));
    return w;
  }
  return at_least_8;
}

// Private-use characters that stand for the marks while a line is cleaned and fitted: they are
// printable (OneLine keeps them) and no source text holds them.
constexpr std::string_view kOpenMark = "\xee\x80\x80", kCloseMark = "\xee\x80\x81";

std::string EvidenceLineMarked(const Evidence& e, std::string_view open, std::string_view close) {
  std::string s = e.document;
  if (!e.date.empty()) s += ", " + e.date;
  if (e.sentence) s += ", sentence " + std::to_string(e.sentence);
  if (e.line) s += ", line " + std::to_string(e.line);
  if (e.below_threshold) {
    std::ostringstream c;
    c << ", rule " << e.rule << ", confidence " << e.confidence;
    s += c.str();
  }
  if (e.text.empty()) return s;
  s += ": \"";
  if (e.span_end > e.span_begin && e.span_end <= e.text.size()) {
    s.append(e.text, 0, e.span_begin);
    s += open;
    s.append(e.text, e.span_begin, e.span_end - e.span_begin);
    s += close;
    s.append(e.text, e.span_end);
  } else {
    s += e.text;
  }
  return s + "\"";
}

// An evidence line under a table row: on one line, fitted, the stated words in bold and
// underlined or between » and «.
std::string TableEvidence(const Evidence& e, const FormatOptions& o) {
  std::string s = Fit(OneLine(EvidenceLineMarked(e, kOpenMark, kCloseMark)), o.width * 3);
  const bool opened = s.find(kOpenMark) != std::string::npos;
  const bool closed = s.find(kCloseMark) != std::string::npos;
  auto replace = [&](std::string_view from, std::string_view to) {
    if (const size_t at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
  };
  replace(kOpenMark, o.color ? "\x1b[1;4m" : "\xc2\xbb");
  replace(kCloseMark, o.color ? "\x1b[0m" : "\xc2\xab");
  if (o.color && opened && !closed) s += "\x1b[0m";  // cut inside the marked words
  return s;
}

// The claims linked to row `r`'s fact, a line each under the row and its sources:
// '    claim (the other): Brightwave Labs: "..." (Tern Weekly, 2023-05-10, sentence 1)', wrapped
// under its indent when the table wraps. Rows without a claim get no line.
void Claims(const Answer& a, size_t r, const FormatOptions& o, std::ostream& out) {
  if (r >= a.claims.size()) return;
  constexpr size_t kIndent = 8;
  for (const LinkedClaim& c : a.claims[r]) {
    const std::string head = "    claim" + (c.side.empty() ? std::string() : " (" + c.side + ")") + ": ";
    const Evidence& e = c.source;
    std::string where = e.publisher.empty() ? e.document : e.publisher;
    if (!e.date.empty()) where += ", " + e.date;
    if (e.sentence) where += ", sentence " + std::to_string(e.sentence);
    const std::string line = OneLine((c.speaker.empty() ? "" : c.speaker + ": ") + "\"" + c.text + "\" (" + where + ")");
    if (!o.wrap) {
      out << head << line << "\n";
      continue;
    }
    const std::vector<std::string> lines = WrapWords(line, o.width > head.size() + 20 ? o.width - head.size() : 20);
    for (size_t i = 0; i < lines.size(); ++i) out << (i ? std::string(kIndent, ' ') : head) << lines[i] << "\n";
  }
}

// An evidence line under a row: "    source: ...", wrapped under its indent at word boundaries
// when the table wraps, else whole (cut only past three widths).
void Sources(const std::vector<Evidence>& evidence, const FormatOptions& o, std::ostream& out) {
  constexpr size_t kIndent = 12;  // "    source: "
  for (const Evidence& e : evidence) {
    if (!o.wrap) {
      out << "    source: " << TableEvidence(e, o) << "\n";
      continue;
    }
    // Wrapped at words with the marks in place; in colour, each line closes what it opened and
    // the next line opens again, so that the indent is never underlined.
    const std::vector<std::string> lines =
        WrapWords(OneLine(EvidenceLineMarked(e, kOpenMark, kCloseMark)), o.width > kIndent + 20 ? o.width - kIndent : 20);
    bool inside = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string l = lines[i];
      const bool opens_here = l.find(kOpenMark) != std::string::npos;
      const bool closes_here = l.find(kCloseMark) != std::string::npos;
      auto replace = [&](std::string_view from, std::string_view to) {
        if (const size_t at = l.find(from); at != std::string::npos) l.replace(at, from.size(), to);
      };
      replace(kOpenMark, o.color ? "\x1b[1;4m" : "\xc2\xbb");
      replace(kCloseMark, o.color ? "\x1b[0m" : "\xc2\xab");
      if (o.color && inside && !closes_here) l = "\x1b[1;4m" + l + "\x1b[0m";
      else if (o.color && inside) l = "\x1b[1;4m" + l;
      else if (o.color && opens_here && !closes_here) l += "\x1b[0m";
      if (opens_here) inside = true;
      if (closes_here) inside = false;
      out << (i ? std::string(kIndent, ' ') : "    source: ") << l << "\n";
    }
  }
}

void Footer(const Answer& a, const FormatOptions& o, size_t candidates, std::ostream& out);

// Whether row `r` of an answer with candidates rests on one.
bool IsCandidate(const Answer& a, size_t r) { return a.with_candidates && r < a.candidate.size() && a.candidate[r]; }

size_t Candidates(const Answer& a) {
  size_t n = 0;
  for (size_t r = 0; r < a.rows.size(); ++r) n += IsCandidate(a, r);
  return n;
}

// psql's expanded display: per row a "-[ RECORD n ]---" line, then "column | value" lines (the
// value wrapped under itself when the options wrap), then the row's evidence.
template <typename Cell>
void Records(const Answer& a, const FormatOptions& o, const std::vector<std::string>& columns, const Cell& cell,
             const std::vector<bool>& shown, std::ostream& out) {
  size_t label = 0, widest = 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!shown[c]) continue;
    label = std::max(label, Width(columns[c]));
    for (size_t r = 0; r < a.rows.size(); ++r) widest = std::max(widest, Width(OneLine(cell(r, c))));
  }
  const size_t value = o.width > label + 3 + 20 ? o.width - label - 3 : 20;
  const size_t rule = label + 3 + std::min(widest, o.wrap ? value : widest);
  for (size_t r = 0; r < a.rows.size(); ++r) {
    std::string head = "-[ RECORD " + std::to_string(r + 1) + " ]";
    head += std::string(rule > Width(head) ? rule - Width(head) : 1, '-');
    out << head << "\n";
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!shown[c]) continue;
      const std::string v = OneLine(cell(r, c));
      const std::vector<std::string> lines = o.wrap ? WrapWords(v, value) : std::vector<std::string>{v};
      for (size_t i = 0; i < lines.size(); ++i) {
        const std::string name = i ? "" : columns[c];
        std::string s = OneLine(name) + std::string(label - Width(name), ' ') + " | " + lines[i];
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << "\n";
      }
    }
    if (o.evidence && !a.evidence_in_columns) Sources(a.evidence[r], o, out);
    Claims(a, r, o, out);
  }
  Footer(a, o, Candidates(a), out);
}

void Table(const Answer& a, const FormatOptions& o, std::ostream& out) {
  if (!a.title.empty()) out << TerminalText(a.title, /*keep_line_breaks=*/true) << "\n\n";
  // An answer with candidates ends in a column that marks them ("candidate"), shown when a row
  // is one.
  const size_t candidates = Candidates(a);
  std::vector<std::string> columns = a.columns;
  if (candidates > 0) columns.push_back("candidate");
  auto cell = [&](size_t r, size_t c) {
    return c < a.columns.size() ? a.rows[r][c].ToString() : std::string(IsCandidate(a, r) ? "yes" : "");
  };
  const size_t n = columns.size();
  std::vector<size_t> w(n);
  for (size_t c = 0; c < n; ++c) {
    w[c] = Width(columns[c]);
    for (size_t r = 0; r < a.rows.size(); ++r) w[c] = std::max(w[c], Width(OneLine(cell(r, c))));
  }
  // Drop empty columns of qualifier slots nobody filled.
  std::vector<bool> shown(n, true);
  for (size_t c = a.optional_columns_from; c < a.columns.size(); ++c) {
    bool any = false;
    for (const auto& row : a.rows) any = any || !row[c].ToString().empty();
    shown[c] = any;
  }
  if (o.expanded != Expanded::kOff) {
    size_t natural = 0, k = 0;
    for (size_t c = 0; c < n; ++c) natural += shown[c] ? w[c] + (k++ ? 2 : 0) : 0;
    if (o.expanded == Expanded::kOn || natural > o.width) return Records(a, o, columns, cell, shown, out);
  }
  if (o.wrap) {
    std::vector<size_t> longest_word(n);
    for (size_t c = 0; c < n; ++c) {
      longest_word[c] = LongestWord(columns[c]);
      for (size_t r = 0; r < a.rows.size(); ++r) longest_word[c] = std::max(longest_word[c], LongestWord(OneLine(cell(r, c))));
    }
    size_t natural = 0, k = 0;
    for (size_t c = 0; c < n; ++c) natural += shown[c] ? w[c] + (k++ ? 2 : 0) : 0;
    if (natural > o.width) w = WrapWidths(w, longest_word, shown, o.width);
  } else {
    // Shrink the widest columns until the table fits, none below 8 characters: every column
    // wider than some cap is cut to it (the cap found by bisection, not one character at a time,
    // as a table may have thousands of columns); the last few of them keep one more character
    // when the width allows.
    auto total = [&](size_t cap) {
      size_t t = 0;
      for (size_t c = 0; c < n; ++c) t += shown[c] ? std::min(w[c], cap) + 2 : 0;
      return t;
    };
    size_t widest = 0;
    for (size_t c = 0; c < n; ++c) widest = shown[c] ? std::max(widest, w[c]) : widest;
    if (widest > 8 && total(widest) > o.width) {
      size_t lo = 8, hi = widest;  // the cap: total(hi) > width; the largest fitting one is in [lo, hi)
      if (total(lo) <= o.width) {
        while (hi - lo > 1) {
          const size_t mid = lo + (hi - lo) / 2;
          (total(mid) <= o.width ? lo : hi) = mid;
        }
      }
      size_t spare = total(lo) <= o.width ? o.width - total(lo) : 0;
      for (size_t c = n; c-- > 0;) {
        if (!shown[c] || w[c] <= lo) continue;
        w[c] = lo + (spare > 0 ? 1 : 0);
        if (spare > 0) --spare;
      }
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    if (o.wrap) {  // each cell on as many lines as its words need
      std::vector<std::vector<std::string>> parts(n);
      size_t height = 1;
      for (size_t c = 0; c < n; ++c) {
        if (shown[c]) height = std::max(height, (parts[c] = WrapWords(OneLine(cells[c]), w[c])).size());
      }
      for (size_t i = 0; i < height; ++i) {
        std::string s;
        for (size_t c = 0; c < n; ++c) {
          if (!shown[c]) continue;
          const std::string part = i < parts[c].size() ? parts[c][i] : "";
          s += part + std::string(w[c] - std::min(w[c], Width(part)) + 2, ' ');
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << "\n";
      }
      return;
    }
    std::string s;
    for (size_t c = 0; c < n; ++c) {
      if (!shown[c]) continue;
      std::string cell = Fit(OneLine(cells[c]), w[c]);
      s += cell + std::string(w[c] - Width(cell) + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << "\n";
  };
  line(columns);
  std::vector<std::string> rule;
  for (size_t c = 0; c < n; ++c) rule.push_back(std::string(w[c], '-'));
  line(rule);
  for (size_t r = 0; r < a.rows.size(); ++r) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < n; ++c) cells.push_back(cell(r, c));
    line(cells);
    if (o.evidence && !a.evidence_in_columns) Sources(a.evidence[r], o, out);
    Claims(a, r, o, out);
  }
  Footer(a, o, candidates, out);
}

// The line under a table: "(3 rows, 0.2 ms)", and the answer's notice.
void Footer(const Answer& a, const FormatOptions& o, size_t candidates, std::ostream& out) {
  out << "(" << a.rows.size() << " row" << (a.rows.size() == 1 ? "" : "s");
  if (candidates > 0) out << ", " << candidates << " resting on a candidate below confidence " << a.min_confidence;
  if (o.timing) {
    std::ostringstream t;
    t.precision(3);
    t << a.seconds * 1e3;
    out << ", " << t.str() << " ms";
  }
  out << ")\n";
  if (!a.notice.empty()) out << TerminalText(a.notice, true) << "\n";
}

// An evidence item in JSON; a linked claim's source is one too.
nlohmann::ordered_json EvidenceJson(const Evidence& e) {
  nlohmann::ordered_json x;
  x["document"] = e.document;
  x["document_id"] = e.document_id;
  x["publisher"] = e.publisher;
  x["url"] = e.url;
  x["date"] = e.date.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(e.date);
  x["sentence"] = e.sentence ? nlohmann::ordered_json(e.sentence) : nlohmann::ordered_json();
  x["line"] = e.line ? nlohmann::ordered_json(e.line) : nlohmann::ordered_json();
  x["text"] = e.text;
  x["span"] = {e.span_begin, e.span_end};
  x["rule"] = e.rule;
  // Three decimals: the float's exact double (0.4000000059604645) says nothing more.
  x["confidence"] = std::round(static_cast<double>(e.confidence) * 1000) / 1000;
  return x;
}

// A row's linked claims in JSON: one list in every statement, in the order first met, each claim
// with the side it takes (CONFLICTS: "one source" or "the other"; a disputed row: the status of
// the source it shares a sentence with; null on a timeline step).
nlohmann::ordered_json ClaimsJson(const std::vector<LinkedClaim>& claims) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const LinkedClaim& c : claims) {
    nlohmann::ordered_json x;
    x["side"] = c.side.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.side);
    x["claim"] = c.claim;
    x["speaker"] = c.speaker.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(c.speaker);
    x["text"] = c.text;
    x["source"] = EvidenceJson(c.source);
    out.push_back(std::move(x));
  }
  return out;
}

void Json(const Answer& a, const FormatOptions& o, std::ostream& out) {
  nlohmann::ordered_json j;
  j["query"] = a.query;
  if (!a.title.empty()) j["title"] = a.title;
  j["columns"] = a.columns;
  std::unordered_set<std::string_view> names(a.columns.begin(), a.columns.end());
  const bool distinct = names.size() == a.columns.size();
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r = 0; r < a.rows.size(); ++r) {
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    // The columns' names are distinct, so each is appended without the ordered map's search
    // for it (a search per column is quadratic in a wide answer).
    auto& fields = values.get_ref<nlohmann::ordered_json::object_t&>();
    fields.reserve(a.columns.size());
    for (size_t c = 0; c < a.columns.size(); ++c) {
      const Value& v = a.rows[r][c];
      nlohmann::ordered_json x;
      if (v.kind == Value::Kind::kInt) {
        x = v.number;
      } else if (v.kind == Value::Kind::kText) {
        x = v.text;
      }
      if (distinct) {
        fields.emplace_back(a.columns[c], std::move(x));
      } else {
        values[a.columns[c]] = std::move(x);
      }
    }
    nlohmann::ordered_json row;
    row["values"] = values;
    if (r < a.sources.size() && r < a.publishers.size()) {
      row["sources"] = a.sources[r];
      row["publishers"] = a.publishers[r];
    }
    if (a.with_candidates) row["candidate"] = IsCandidate(a, r);
    if (r < a.claims.size() && !a.claims[r].empty()) row["claims"] = ClaimsJson(a.claims[r]);
    if (o.evidence) {
      nlohmann::ordered_json ev = nlohmann::ordered_json::array();
      for (const Evidence& e : a.evidence[r]) ev.push_back(EvidenceJson(e));
      row["evidence"] = std::move(ev);
    }
    rows.push_back(std::move(row));
  }
  j["rows"] = std::move(rows);
  j["row_count"] = a.rows.size();
  j["min_confidence"] = a.min_confidence;
  j["with_candidates"] = a.with_candidates;
  if (!a.notice.empty()) j["notice"] = a.notice;
  if (!a.plan.empty()) j["plan"] = a.plan;
  j["seconds"] = a.seconds;
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void Csv(const Answer& a, const FormatOptions& o, std::ostream& out) {
  for (size_t c = 0; c < a.columns.size(); ++c) out << (c ? "," : "") << CsvField(a.columns[c]);
  if (a.with_candidates) out << ",candidate";
  if (o.evidence) out << ",evidence";
  out << "\r\n";
  for (size_t r = 0; r < a.rows.size(); ++r) {
    for (size_t c = 0; c < a.columns.size(); ++c) out << (c ? "," : "") << CsvField(a.rows[r][c].ToString());
    if (a.with_candidates) out << "," << (IsCandidate(a, r) ? "yes" : "no");
    if (o.evidence) {
      std::string ev;
      if (!a.evidence_in_columns) {
        for (const Evidence& e : a.evidence[r]) ev += (ev.empty() ? "" : " | ") + EvidenceLine(e);
      }
      out << "," << CsvField(ev);
    }
    out << "\r\n";
  }
}

}  // namespace

bool ParseFormat(std::string_view name, Format* out) {
  if (name == "table") {
    *out = Format::kTable;
  } else if (name == "json") {
    *out = Format::kJson;
  } else if (name == "csv") {
    *out = Format::kCsv;
  } else {
    return false;
  }
  return true;
}

std::string EvidenceLine(const Evidence& e) { return EvidenceLineMarked(e, "\xc2\xbb", "\xc2\xab"); }

void Write(const Answer& a, const FormatOptions& o, std::ostream& out) {
  if (a.explain_only) {
    if (o.format == Format::kJson) {
      nlohmann::ordered_json j;
      j["query"] = a.query;
      j["plan"] = a.plan;
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      out << TerminalText(a.plan, true);
    }
    return;
  }
  switch (o.format) {
    case Format::kTable: Table(a, o, out); break;
    case Format::kJson: Json(a, o, out); break;
    case Format::kCsv: Csv(a, o, out); break;
  }
  if (o.format == Format::kTable && !a.plan.empty()) out << "\n" << TerminalText(a.plan, true);
}

size_t TerminalWidth() {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    const long v = std::strtol(c, nullptr, 10);
    if (v >= 20) return static_cast<size_t>(v);
  }
  return 100;
}

std::string FormatError(const Status& s, std::string_view text) {
  const SourceLocation& at = s.location();
  if (at.line == 0) return s.message();
  std::string out = "line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ": " + s.message();
  if (!at.has_span || at.offset > text.size()) return out;
  // The line the span begins on, and a caret under each of its characters on that line.
  size_t begin = at.offset;
  while (begin > 0 && text[begin - 1] != '\n') --begin;
  size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  out += "\n  ";
  out += text.substr(begin, end - begin);
  out += "\n  ";
  auto chars = [&](size_t from, size_t to) {  // characters, not bytes: UTF-8 continuations do not count
    size_t n = 0;
    for (size_t i = from; i < to; ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return n;
  };
  out.append(chars(begin, at.offset), ' ');
  const size_t span_end = std::min<size_t>(end, at.offset + at.length);
  out.append(std::max<size_t>(1, chars(at.offset, span_end)), '^');
  return out;
}

}  // namespace pactgraph::query
