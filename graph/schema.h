// The schema: which entity types and relation types exist, what each relation type connects, and
// which qualifier slots it takes. The default schema is the one of the corpus (SCHEMA.md); a
// database stores its own copy, and users extend it (`pactgraph schema --add FILE.json`).
//
// Type and slot ids are small integers stored on disk inside keys. Once assigned, an id never
// changes and is never reused: extending a schema only appends.
//
// A Schema is a value; copies are independent. Not safe for concurrent mutation.
#ifndef PACTGRAPH_GRAPH_SCHEMA_H_
#define PACTGRAPH_GRAPH_SCHEMA_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/status.h"

namespace pactgraph {

using TypeId = uint16_t;

// Stored on disk: values never change.
enum class SlotKind : uint8_t { kNode = 0, kLiteral = 1 };

struct EntityTypeDef {
  TypeId id = 0;
  std::string name;  // "Company"
  std::string description;
};

struct SlotDef {
  TypeId id = 0;
  std::string name;                // "on"
  SlotKind kind = SlotKind::kLiteral;
  std::vector<std::string> types;  // node slots: the entity types it may point at; empty = any
  std::string preposition;         // how questions say it: "on", "as", "of"
};

struct RelationTypeDef {
  TypeId id = 0;
  std::string name;                        // "SUPPORTS"
  std::vector<std::string> subject_types;  // empty = any
  std::vector<std::string> object_types;   // empty = any
  std::vector<std::string> slots;          // qualifier slots besides the universal ones
  bool symmetric = false;                  // PARTNERS_WITH: stated once, read both ways
  std::string verb;                        // how questions say it: "supports", "runs on"
  std::string description;
};

class Schema {
 public:
  // Slots every relation type takes, whatever its definition lists.
  static constexpr std::string_view kUniversalSlots[] = {"status", "date", "since", "until"};

  // The most definitions of each kind a schema holds: adding past them fails with
  // kResourceExhausted. Every lookup is by hash, so a schema at its bounds costs a command
  // opening the database a few milliseconds.
  static constexpr size_t kMaxEntityTypes = 1000;
  static constexpr size_t kMaxRelationTypes = 1000;
  static constexpr size_t kMaxSlots = 1000;

  // The corpus schema: 8 entity types, 18 relation types, 11 qualifier slots.
  static Schema Default();

  const std::vector<EntityTypeDef>& entity_types() const { return entity_types_; }
  const std::vector<RelationTypeDef>& relation_types() const { return relation_types_; }
  const std::vector<SlotDef>& slots() const { return slots_; }

  // Lookups by exact name; nullptr when absent.
  const EntityTypeDef* FindEntityType(std::string_view name) const;
  const RelationTypeDef* FindRelationType(std::string_view name) const;
  const SlotDef* FindSlot(std::string_view name) const;
  // Lookups by id; nullptr when absent.
  const EntityTypeDef* EntityTypeById(TypeId id) const;
  const RelationTypeDef* RelationTypeById(TypeId id) const;
  const SlotDef* SlotById(TypeId id) const;

  // True when relation type `rel` takes the slot `slot` (listed, or universal).
  bool AllowsSlot(const RelationTypeDef& rel, std::string_view slot) const;
  // True when `type` is allowed by `allowed` (an empty list allows every type).
  static bool TypeAllowed(const std::vector<std::string>& allowed, std::string_view type);

  // Adds a definition, assigning the next free id (or keeping the id it has, which must be
  // unused and at most 65535). Fails with kAlreadyExists when a different definition has that
  // name, kInvalidArgument when it names unknown types or slots or the name is not an
  // identifier, and kResourceExhausted past the bounds above. Adding an identical definition
  // again is a no-op.
  Status AddEntityType(EntityTypeDef def);
  Status AddSlot(SlotDef def);
  Status AddRelationType(RelationTypeDef def);

  // Adds everything in `other` that this schema lacks (by name), in the order `other` lists it.
  Status Extend(const Schema& other);

  // JSON form, stored in the database and accepted by `schema --add`:
  // {"entity_types":[{"name","description"}], "slots":[{"name","kind":"node"|"literal",
  //  "types":[...],"preposition"}], "relation_types":[{"name","subject","object","slots",
  //  "symmetric","verb","description"}]}. Ids are written when `with_ids` (the stored form).
  std::string ToJson(bool with_ids) const;
  // Parses the JSON form. Without ids, definitions get ids in order. Without `base` (the stored
  // form) the bounds are not applied, so that a database written before them still opens;
  // adding to such a schema is refused. With `base`, the result is
  // `base` extended by the definitions of `json`, which may then refer to the types and slots
  // `base` has (a file adding IMPLEMENTS from the built-in Company to a new Standard); ids in
  // `json` are then ignored, and the additions get the next free ones.
  static Result<Schema> FromJson(std::string_view json, const Schema* base = nullptr);

 private:
  // Hashes names so that a string_view finds a std::string key without a copy.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using NameIndex = std::unordered_map<std::string, size_t, NameHash, std::equal_to<>>;
  using IdIndex = std::unordered_map<TypeId, size_t>;

  std::vector<EntityTypeDef> entity_types_;
  std::vector<SlotDef> slots_;
  std::vector<RelationTypeDef> relation_types_;
  // Positions by name and by id, kept up to date by every Add: lookups on the import path and
  // adds are O(1), so loading or extending a schema is linear in its size.
  NameIndex entity_index_, slot_index_, relation_index_;
  IdIndex entity_ids_, slot_ids_, relation_ids_;
  TypeId max_entity_id_ = 0, max_slot_id_ = 0, max_relation_id_ = 0;
  bool bounded_ = true;  // false only while FromJson reads a stored schema
};

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_SCHEMA_H_
