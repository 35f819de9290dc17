// The knowledge-graph model: entities, relations with qualifiers, provenance and documents.
//
// These are plain values. Ids are assigned by the store and are never reused; 0 means "none".
// Types are held by name here; the schema (schema.h) says which names exist and what they allow.
#ifndef PACTGRAPH_GRAPH_MODEL_H_
#define PACTGRAPH_GRAPH_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pactgraph {

using EntityId = uint64_t;
using RelationId = uint64_t;
using DocumentId = uint64_t;

// A node: a company, product, program, person, agreement, claim or term.
struct Entity {
  EntityId id = 0;
  std::string type;
  std::string name;                  // canonical name, as written ("Red Hat Enterprise Linux")
  std::vector<std::string> aliases;  // other forms ("RHEL"), without the canonical name
  std::map<std::string, std::string> properties;
  // True while the type was only implied by a relation that mentioned the entity; a later
  // entity line states the real type.
  bool type_implied = false;
};

// One named slot of an n-ary fact: `on` = Hyper-V Server 2008 (a node) or `as` = "guest" (a literal).
struct Qualifier {
  std::string slot;
  EntityId node = 0;    // set for node-valued slots
  std::string literal;  // set for literal slots

  bool is_node() const { return node != 0; }
  friend bool operator==(const Qualifier&, const Qualifier&) = default;
};

// An edge: SUPPORTS(Microsoft, Red Hat Enterprise Linux, on = Hyper-V Server 2008, as = guest).
struct Relation {
  RelationId id = 0;
  std::string type;
  EntityId subject = 0;
  EntityId object = 0;
  std::vector<Qualifier> qualifiers;  // at most one value per slot, in schema slot order
  std::map<std::string, std::string> properties;

  // The value of `slot`, or nullptr.
  const Qualifier* Find(const std::string& slot) const {
    for (const Qualifier& q : qualifiers) {
      if (q.slot == slot) return &q;
    }
    return nullptr;
  }
};

// One source that states a relation: where, found how, and how sure.
struct Provenance {
  DocumentId document = 0;
  uint32_t sentence = 0;    // 1-based sentence number in the document; 0 when not known
  uint32_t span_begin = 0;  // character span in the document text; both 0 when not known
  uint32_t span_end = 0;
  uint32_t line = 0;        // line of the JSONL file the fact came from; 0 when not from one
  std::string extractor;    // "jsonl", or the extraction rule that found it
  float confidence = 1.0f;
  std::string evidence;     // the words of the source that state the fact
  // The literal qualifiers this source stated ("status" -> "ended", "as" -> "guest"). A relation
  // is one fact per subject, type, object and node qualifiers, so the sources merged into it may
  // state other literals than its first did: a later release's "ended" is kept here. Unset for a
  // source stored before these were kept (its relation's literals stand for it).
  std::optional<std::map<std::string, std::string>> literals;
};

// A text the graph was built from: an article, a press release, or an imported facts file.
struct Document {
  DocumentId id = 0;
  std::string key;           // unique reference: a source's "doc" value, or "sha256:..." of a file
  std::string kind;          // "article", "facts" (an imported JSONL file), "reference" (named only)
  std::string title;
  std::string publisher;
  std::string date;          // YYYY-MM-DD when known
  std::string url;
  std::string text;
  std::string content_hash;  // hex SHA-256 of the bytes imported, empty for references
};

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_MODEL_H_
