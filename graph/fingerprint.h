// What makes two texts the same document: the body with its layout taken away.
#ifndef PACTGRAPH_GRAPH_FINGERPRINT_H_
#define PACTGRAPH_GRAPH_FINGERPRINT_H_

#include <string>
#include <string_view>

namespace pactgraph {

// The text with every run of whitespace (spaces, tabs, line breaks) made one space and none at
// either end; case and punctuation are kept. Two copies of a story that differ only in how
// their lines were wrapped or indented normalise alike.
std::string NormalizeBody(std::string_view text);

// "fp:" and the lower-case hex SHA-256 of NormalizeBody(text); empty for a text that normalises
// to nothing. Stored in the document index, so its definition never changes.
std::string TextFingerprint(std::string_view text);

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_FINGERPRINT_H_
