// Sentences and tokens of an article body, with their byte offsets in the body.
#ifndef PACTGRAPH_INGEST_TEXT_UNITS_H_
#define PACTGRAPH_INGEST_TEXT_UNITS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pactgraph::ingest {

struct Sentence {
  uint32_t begin = 0, end = 0;  // byte offsets in the text
  std::string text;
};

// The longest sentence: a longer run of text without an end (a list, a page without periods) is
// cut at the last space before this many bytes, so that the work on one sentence stays bounded.
// No sentence of a press release comes near it.
inline constexpr size_t kMaxSentenceBytes = 2000;

// Splits at . ! ? (and the quote or bracket closing after them) followed by a space and what can
// start a sentence, and at paragraph breaks. Abbreviations (Inc., Corp., Mr., e.g., U.S.,
// months), initials ("Roy S. Schestowitz") and decimals do not end a sentence. A sentence longer
// than kMaxSentenceBytes is cut into pieces of at most that size (at a space when it has one).
std::vector<Sentence> SplitSentences(std::string_view text);

// The length of the longest prefix of `text` of at most `max` bytes that ends before a space
// (or, when there is no space in it, at the end of a UTF-8 character): where to cut an overlong
// sentence.
size_t CutPoint(std::string_view text, size_t max);

// True when `line` starts with a list item's marker and a space ("* ", "- ", "• ", "– ", "— ",
// "· "), after its indentation: a list's item is a paragraph of its own.
bool BulletLine(std::string_view line);

// True for a "Label: value" line of a fact sheet ("Host operating system: Quill OS"): a
// capitalised label of at most five words, then a colon, within 40 bytes.
bool FieldLine(std::string_view line);

struct Token {
  enum class Kind { kWord, kNumber, kPunct, kPossessive, kQuote };
  Kind kind = Kind::kWord;
  std::string text;
  uint32_t begin = 0, end = 0;  // byte offsets in the text the tokens came from
  bool capitalized = false;     // a word starting with an upper-case letter, or all capitals
  bool open = false;            // kQuote: opens a quotation (else closes it)
};

// Words (letters, digits and inner - . & / ' as in Hyper-V, x86, AT&T, TCP/IP), numbers,
// possessive 's, quotes and punctuation. Offsets are relative to `text`, plus `base`.
std::vector<Token> Tokenize(std::string_view text, uint32_t base = 0);

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_TEXT_UNITS_H_
