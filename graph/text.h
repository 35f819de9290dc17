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

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_TEXT_H_
