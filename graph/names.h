// Name normalisation, in one place. Everything that compares names goes through here.
#ifndef PACTGRAPH_GRAPH_NAMES_H_
#define PACTGRAPH_GRAPH_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

namespace pactgraph {

// The key under which a name is indexed and matched: Unicode dashes, quotes and spaces folded to
// their ASCII forms, case folded (ASCII and Latin-1), a possessive "'s" dropped, punctuation
// turned into spaces (except + and #, which name things: "C++", "C#"), spaces collapsed, and
// trailing corporate suffixes removed ("Microsoft Corp." -> "microsoft") unless nothing would be
// left. Returns "" for a name with no letters or digits.
std::string NormalizeKey(std::string_view name);

// The legal forms that end company names ("Inc.", "GmbH", "Oyj"), lower case and without their
// periods ("s.a." is "sa"): the one list, read by NormalizeKey and by the extractor. Only the
// forms marked `in_keys` are dropped from keys; the others (the Nordic, Italian, Asian and Latin
// American forms added for the extractor) name companies but stay in keys, so that the keys of
// stores written before them do not change.
struct LegalForm {
  std::string_view form;
  bool in_keys;
};
const std::vector<LegalForm>& LegalForms();
// Whether `word` is a legal form: compared without case and periods ("Inc.", "S.p.A.", "A/S").
bool IsLegalForm(std::string_view word);

// A name as it is shown and stored: Unicode spaces folded to ' ', runs of white space collapsed,
// ends trimmed. Dashes, quotes and case are kept as written.
std::string CleanDisplayName(std::string_view name);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);
// The byte offset of the first sequence that is not well-formed UTF-8; npos when there is none.
size_t InvalidUtf8At(std::string_view text);

// Edit distance between two keys, counting bytes; stops early and returns `limit + 1` once the
// distance is known to exceed `limit`.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit);

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_NAMES_H_
