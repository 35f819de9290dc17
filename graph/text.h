// Small text helpers shared by the modules that print or compare words.
#ifndef PACTGRAPH_GRAPH_TEXT_H_
#define PACTGRAPH_GRAPH_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace pactgraph {

// 1234567 -> "1,234,567".
std::string WithThousands(uint64_t n);

// ASCII letters lowered; every other byte kept (keywords and verbs are ASCII).
std::string AsciiLower(std::string_view s);

// A CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
std::string CsvField(std::string_view s);

// A DOT string: in double quotes, with quotes and backslashes escaped and line breaks as spaces.
std::string DotString(std::string_view s);

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_TEXT_H_
