// Answers as text: an aligned table with each row's evidence under it, JSON, or CSV.
#ifndef PACTGRAPH_QUERY_FORMAT_H_
#define PACTGRAPH_QUERY_FORMAT_H_

#include <iosfwd>
#include <string>
#include <string_view>

#include "query/engine.h"

namespace pactgraph::query {

enum class Format { kTable, kJson, kCsv };

// A table's rows as blocks, one line per column ("-[ RECORD 1 ]-", then "subject | Microsoft"),
// as psql's \x: always, never, or when the table is wider than `width`.
enum class Expanded { kOff, kOn, kAuto };

struct FormatOptions {
  Format format = Format::kTable;
  bool evidence = true;  // evidence under each row (table), in each row (JSON), a column (CSV)
  size_t width = 100;    // the table's width: the terminal's
  bool timing = true;    // the table's footer says how long the query took
  // The table marks an evidence sentence's stated words in bold and underlined (for a terminal
  // that allows colour: standard output a terminal and NO_COLOR unset); else between » and «.
  bool color = false;
  // For a person at a terminal: a table too wide for `width` wraps its cells at word boundaries
  // (long free text first, names kept whole while they fit) instead of cutting them with "...",
  // and evidence lines wrap under their indent. Off, cells are cut and evidence lines are not
  // wrapped: the output a pipe or a file has always had.
  bool wrap = false;
  Expanded expanded = Expanded::kOff;
};

// The width of the terminal on standard output, else $COLUMNS, else 100: what a table is fitted
// to. Read again before each answer, so that a resized window is used.
size_t TerminalWidth();

// "table", "json", "csv" -> Format; false for anything else.
bool ParseFormat(std::string_view name, Format* out);

void Write(const Answer& a, const FormatOptions& o, std::ostream& out);

// A query's error for a terminal: "line L, column C: message", then the line of `text` it is on
// and carets under its span; an error with no place in the query is its message alone. `text`
// is the whole text the statement was parsed from (the offsets are into it).
std::string FormatError(const Status& s, std::string_view text);

// One evidence line, the stated words marked between » and «:
// "Title, 2009-02-16, sentence 2: \"Under the arrangement, »Microsoft will validate ...« on ...\"".
std::string EvidenceLine(const Evidence& e);

}  // namespace pactgraph::query

#endif  // PACTGRAPH_QUERY_FORMAT_H_
