// Small text helpers shared by the modules that print or compare words.
#ifndef PACTGRAPH_GRAPH_TEXT_H_
#define PACTGRAPH_GRAPH_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace pactgraph {

// 1234567 -> "1,234,567".
std::string WithThousands(uint64_t n);

// True, with the value in `out`, when `s` is one or more ASCII digits (no sign, no space) whose
// value fits in 64 bits; false otherwise, `out` untouched. The one way our code reads a number a
// person or a file wrote: it never throws, unlike std::stoull.
bool ParseDigits(std::string_view s, uint64_t* out);

// ASCII letters lowered; every other byte kept (keywords and verbs are ASCII).
std::string AsciiLower(std::string_view s);

// A CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
std::string CsvField(std::string_view s);

// A DOT string: in double quotes, with quotes and backslashes escaped, line breaks as spaces and
// other control characters as visible escapes ("\x1b").
std::string DotString(std::string_view s);

// `s` safe to print on a terminal: control characters (C0, DEL, and C1 written in UTF-8), which
// could move the cursor, ring the bell or start an escape sequence, become visible escapes:
// ESC is "\x1b", U+009B is "\u009b". Line breaks and tabs stay when `keep_line_breaks`.
std::string TerminalText(std::string_view s, bool keep_line_breaks = false);

// `s` as characters XML 1.0 can carry: C0 controls other than tab, line feed and carriage return
// become visible escapes ("\x01"), bytes that are not UTF-8 and U+FFFE/U+FFFF become U+FFFD.
// Markup characters (&, <, >) are left for the XML writer to escape.
std::string XmlText(std::string_view s);

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_TEXT_H_
