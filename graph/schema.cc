#include "graph/schema.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "graph/text.h"

namespace pactgraph {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Where a definition with `id` sits in `defs`, or nullptr.
template <typename Def, typename IdIndex>
const Def* ById(const std::vector<Def>& defs, const IdIndex& ids, TypeId id) {
  auto it = ids.find(id);
  return it == ids.end() ? nullptr : &defs[it->second];
}

template <typename Def, typename NameIndex>
const Def* ByName(const std::vector<Def>& defs, const NameIndex& index, std::string_view name) {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &defs[it->second];
}

// Gives `def` an id (the next after `max`, or its own when it has one) and checks it is free.
template <typename Def, typename IdIndex>
Status AssignId(Def& def, const IdIndex& ids, TypeId* max, const char* what) {
  if (def.id == 0) {
    if (*max == UINT16_MAX) return Status::ResourceExhausted(std::string("no ") + what + " id is left");
    def.id = static_cast<TypeId>(*max + 1);
  } else if (ids.count(def.id)) {
    return Status::InvalidArgument(std::string(what) + " \"" + def.name + "\" has id " + std::to_string(def.id) +
                                   ", which another already has");
  }
  *max = std::max(*max, def.id);
  return Status::OK();
}

}  // namespace

Schema Schema::Default() {
  Schema s;
  auto entity = [&](const char* name, const char* description) {
    s.AddEntityType({0, name, description}).IgnoreError();  // fixed, valid definitions
  };
  entity("Company", "a business: Red Hat, Microsoft, Novell");
  entity("Organization", "any other body: a publication, a standards group, an agency");
  entity("Product", "software, hardware or a service; each version or edition its own entity");
  entity("Program", "a certification, validation, partner or support program");
  entity("Person", "a named person");
  entity("Agreement", "one deal, contract or set of reciprocal agreements");
  entity("Claim", "a statement someone is reported to make");
  entity("Term", "a right, clause or subject an agreement covers or excludes");

  auto slot = [&](const char* name, SlotKind kind, std::vector<std::string> types,
                  const char* preposition) {
    s.AddSlot({0, name, kind, std::move(types), preposition}).IgnoreError();
  };
  slot("on", SlotKind::kNode, {"Product"}, "on");
  slot("of", SlotKind::kNode, {"Term", "Product"}, "of");
  slot("via", SlotKind::kNode, {}, "via");
  slot("as", SlotKind::kLiteral, {}, "as");
  slot("title", SlotKind::kLiteral, {}, "as");
  slot("status", SlotKind::kLiteral, {}, "");
  slot("date", SlotKind::kLiteral, {}, "");
  slot("since", SlotKind::kLiteral, {}, "since");
  slot("until", SlotKind::kLiteral, {}, "until");
  slot("role", SlotKind::kLiteral, {}, "");
  slot("with", SlotKind::kNode, {}, "with");

  auto rel = [&](const char* name, std::vector<std::string> subject,
                 std::vector<std::string> object, std::vector<std::string> slots, bool symmetric,
                 const char* verb, const char* description) {
    s.AddRelationType({0, name, std::move(subject), std::move(object), std::move(slots),
                       symmetric, verb, description})
        .IgnoreError();
  };
  const std::vector<std::string> company = {"Company"};
  const std::vector<std::string> product = {"Product"};
  rel("PARTNERS_WITH", company, company, {}, true, "partners with", "symmetric partnership");
  rel("PARTY_TO", company, {"Agreement"}, {}, false, "is party to", "signs, enters, is part of");
  rel("INCLUDES", {"Agreement"}, {"Term"}, {}, false, "includes", "the deal covers");
  rel("EXCLUDES", {"Agreement"}, {"Term"}, {}, false, "excludes", "the deal does not cover");
  rel("SUPPORTS", company, product, {"on", "as", "via"}, false, "supports",
      "gives technical support for, on a platform");
  rel("VALIDATES", company, product, {"on", "as"}, false, "validates",
      "tests, validates or certifies, on a platform");
  rel("RUNS_ON", product, product, {"as", "via"}, false, "runs on", "runs on, is hosted by");
  rel("INTEROPERATES_WITH", product, product, {"via"}, true, "interoperates with",
      "works with; symmetric");
  rel("MEMBER_OF", company, {"Program"}, {}, false, "is member of", "joins, is a member of");
  rel("OPERATES", company, {"Program"}, {}, false, "operates", "runs the program");
  rel("DEVELOPS", company, product, {}, false, "develops", "makes, sells, ships");
  rel("VARIANT_OF", product, product, {}, false, "is variant of",
      "an edition, version or component of");
  rel("WORKS_FOR", {"Person"}, {"Company", "Organization"}, {"title"}, false, "works for",
      "employment, with the title as written");
  rel("SAID", {"Person", "Company", "Organization"}, {"Claim"}, {}, false, "said",
      "the speaker of a claim");
  rel("ABOUT", {"Claim"}, {}, {}, false, "is about", "what a claim concerns");
  rel("ACQUIRES", company, company, {}, false, "acquires", "buys");
  rel("LICENSES", company, company, {"of"}, false, "licenses",
      "licensor to licensee, `of` the thing licensed");
  rel("INVESTS_IN", company, company, {}, false, "invests in", "takes a stake in");
  return s;
}

const EntityTypeDef* Schema::FindEntityType(std::string_view name) const {
  return ByName(entity_types_, entity_index_, name);
}
const RelationTypeDef* Schema::FindRelationType(std::string_view name) const {
  return ByName(relation_types_, relation_index_, name);
}
const SlotDef* Schema::FindSlot(std::string_view name) const { return ByName(slots_, slot_index_, name); }
const EntityTypeDef* Schema::EntityTypeById(TypeId id) const { return ById(entity_types_, entity_ids_, id); }
const RelationTypeDef* Schema::RelationTypeById(TypeId id) const {
  return ById(relation_types_, relation_ids_, id);
}
const SlotDef* Schema::SlotById(TypeId id) const { return ById(slots_, slot_ids_, id); }

bool Schema::AllowsSlot(const RelationTypeDef& rel, std::string_view slot) const {
  for (std::string_view u : kUniversalSlots) {
    if (u == slot) return true;
  }
  return std::find(rel.slots.begin(), rel.slots.end(), slot) != rel.slots.end();
}

bool Schema::TypeAllowed(const std::vector<std::string>& allowed, std::string_view type) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), type) != allowed.end();
}

Status Schema::AddEntityType(EntityTypeDef def) {
  if (!IsIdentifier(def.name)) {
    return Status::InvalidArgument("entity type name \"" + def.name + "\" is not an identifier");
  }
  // An entity type is only a name: adding a known name again changes nothing.
  if (FindEntityType(def.name)) return Status::OK();
  if (bounded_ && entity_types_.size() >= kMaxEntityTypes) {
    return Status::ResourceExhausted("the schema holds at most " + WithThousands(kMaxEntityTypes) +
                                     " entity types; \"" + def.name + "\" would be one more");
  }
  PG_RETURN_IF_ERROR(AssignId(def, entity_ids_, &max_entity_id_, "entity type"));
  entity_index_.emplace(def.name, entity_types_.size());
  entity_ids_.emplace(def.id, entity_types_.size());
  entity_types_.push_back(std::move(def));
  return Status::OK();
}

Status Schema::AddSlot(SlotDef def) {
  if (!IsIdentifier(def.name)) {
    return Status::InvalidArgument("qualifier slot name \"" + def.name + "\" is not an identifier");
  }
  for (const std::string& t : def.types) {
    if (!FindEntityType(t)) {
      return Status::InvalidArgument("qualifier slot \"" + def.name + "\" names unknown entity type \"" + t + "\"");
    }
  }
  if (const SlotDef* old = FindSlot(def.name)) {
    if (old->kind != def.kind || old->types != def.types) {
      return Status::AlreadyExists("qualifier slot \"" + def.name + "\" already exists with another definition");
    }
    return Status::OK();
  }
  if (bounded_ && slots_.size() >= kMaxSlots) {
    return Status::ResourceExhausted("the schema holds at most " + WithThousands(kMaxSlots) + " qualifier slots; \"" +
                                     def.name + "\" would be one more");
  }
  PG_RETURN_IF_ERROR(AssignId(def, slot_ids_, &max_slot_id_, "qualifier slot"));
  slot_index_.emplace(def.name, slots_.size());
  slot_ids_.emplace(def.id, slots_.size());
  slots_.push_back(std::move(def));
  return Status::OK();
}

Status Schema::AddRelationType(RelationTypeDef def) {
  if (!IsIdentifier(def.name)) {
    return Status::InvalidArgument("relation type name \"" + def.name + "\" is not an identifier");
  }
  for (const auto* list : {&def.subject_types, &def.object_types}) {
    for (const std::string& t : *list) {
      if (!FindEntityType(t)) {
        return Status::InvalidArgument("relation type \"" + def.name + "\" names unknown entity type \"" + t + "\"");
      }
    }
  }
  for (const std::string& slot : def.slots) {
    if (!FindSlot(slot)) {
      return Status::InvalidArgument("relation type \"" + def.name + "\" names unknown qualifier slot \"" + slot + "\"");
    }
  }
  if (const RelationTypeDef* old = FindRelationType(def.name)) {
    if (old->subject_types != def.subject_types || old->object_types != def.object_types ||
        old->slots != def.slots || old->symmetric != def.symmetric) {
      return Status::AlreadyExists("relation type \"" + def.name + "\" already exists with another definition");
    }
    return Status::OK();
  }
  if (bounded_ && relation_types_.size() >= kMaxRelationTypes) {
    return Status::ResourceExhausted("the schema holds at most " + WithThousands(kMaxRelationTypes) +
                                     " relation types; \"" + def.name + "\" would be one more");
  }
  PG_RETURN_IF_ERROR(AssignId(def, relation_ids_, &max_relation_id_, "relation type"));
  relation_index_.emplace(def.name, relation_types_.size());
  relation_ids_.emplace(def.id, relation_types_.size());
  relation_types_.push_back(std::move(def));
  return Status::OK();
}

Status Schema::Extend(const Schema& other) {
  for (EntityTypeDef d : other.entity_types_) {
    d.id = 0;
    PG_RETURN_IF_ERROR(AddEntityType(std::move(d)));
  }
  for (SlotDef d : other.slots_) {
    d.id = 0;
    PG_RETURN_IF_ERROR(AddSlot(std::move(d)));
  }
  for (RelationTypeDef d : other.relation_types_) {
    d.id = 0;
    PG_RETURN_IF_ERROR(AddRelationType(std::move(d)));
  }
  return Status::OK();
}

std::string Schema::ToJson(bool with_ids) const {
  using nlohmann::ordered_json;
  ordered_json j;
  j["entity_types"] = ordered_json::array();
  for (const EntityTypeDef& d : entity_types_) {
    ordered_json e;
    if (with_ids) e["id"] = d.id;
    e["name"] = d.name;
    if (!d.description.empty()) e["description"] = d.description;
    j["entity_types"].push_back(e);
  }
  j["slots"] = ordered_json::array();
  for (const SlotDef& d : slots_) {
    ordered_json e;
    if (with_ids) e["id"] = d.id;
    e["name"] = d.name;
    e["kind"] = d.kind == SlotKind::kNode ? "node" : "literal";
    if (!d.types.empty()) e["types"] = d.types;
    if (!d.preposition.empty()) e["preposition"] = d.preposition;
    j["slots"].push_back(e);
  }
  j["relation_types"] = ordered_json::array();
  for (const RelationTypeDef& d : relation_types_) {
    ordered_json e;
    if (with_ids) e["id"] = d.id;
    e["name"] = d.name;
    e["subject"] = d.subject_types;
    e["object"] = d.object_types;
    e["slots"] = d.slots;
    if (d.symmetric) e["symmetric"] = true;
    if (!d.verb.empty()) e["verb"] = d.verb;
    if (!d.description.empty()) e["description"] = d.description;
    j["relation_types"].push_back(e);
  }
  return j.dump(with_ids ? -1 : 2);
}

Result<Schema> Schema::FromJson(std::string_view text, const Schema* base) {
  using nlohmann::json;
  // Without exceptions, a number nlohmann cannot hold discards the document like a syntax error.
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("schema is not a JSON object");
  }
  Schema s = base ? *base : Schema();
  s.bounded_ = base != nullptr;
  // Reads a string member, or a list of strings; a wrong shape is reported by name.
  auto strings = [](const json& e, const char* key, std::vector<std::string>* out) -> Status {
    if (!e.contains(key)) return Status::OK();
    const json& v = e[key];
    if (!v.is_array()) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of names");
    for (const json& x : v) {
      if (!x.is_string()) return Status::InvalidArgument(std::string("\"") + key + "\" must be a list of names");
      out->push_back(x.get<std::string>());
    }
    return Status::OK();
  };
  auto text_of = [](const json& e, const char* key) -> std::string {
    return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string();
  };
  // An id outside 1..65535 is refused rather than cut to 16 bits, where it would meet another.
  // Additions to a base get the next free ids whatever they say.
  auto id_of = [base](const json& e, TypeId* id) -> Status {
    *id = 0;
    if (!e.contains("id")) return Status::OK();
    const json& v = e["id"];
    if (!v.is_number_unsigned() || v.get<uint64_t>() == 0 || v.get<uint64_t>() > UINT16_MAX) {
      return Status::InvalidArgument("an \"id\" must be a whole number from 1 to 65535");
    }
    if (!base) *id = static_cast<TypeId>(v.get<uint64_t>());
    return Status::OK();
  };
  for (const char* section : {"entity_types", "slots", "relation_types"}) {
    if (j.contains(section) && !j[section].is_array()) {
      return Status::InvalidArgument(std::string("schema \"") + section + "\" must be a list");
    }
  }
  if (j.contains("entity_types")) {
    for (const json& e : j["entity_types"]) {
      if (!e.is_object() || !e.contains("name")) return Status::InvalidArgument("an entity type needs a \"name\"");
      TypeId id = 0;
      PG_RETURN_IF_ERROR(id_of(e, &id));
      PG_RETURN_IF_ERROR(s.AddEntityType({id, text_of(e, "name"), text_of(e, "description")}));
    }
  }
  if (j.contains("slots")) {
    for (const json& e : j["slots"]) {
      if (!e.is_object() || !e.contains("name")) return Status::InvalidArgument("a qualifier slot needs a \"name\"");
      SlotDef d{0, text_of(e, "name"), SlotKind::kLiteral, {}, text_of(e, "preposition")};
      PG_RETURN_IF_ERROR(id_of(e, &d.id));
      const std::string kind = text_of(e, "kind");
      if (kind == "node") {
        d.kind = SlotKind::kNode;
      } else if (!kind.empty() && kind != "literal") {
        return Status::InvalidArgument("qualifier slot \"" + d.name + "\": kind must be \"node\" or \"literal\"");
      }
      PG_RETURN_IF_ERROR(strings(e, "types", &d.types));
      PG_RETURN_IF_ERROR(s.AddSlot(std::move(d)));
    }
  }
  if (j.contains("relation_types")) {
    for (const json& e : j["relation_types"]) {
      if (!e.is_object() || !e.contains("name")) return Status::InvalidArgument("a relation type needs a \"name\"");
      RelationTypeDef d;
      PG_RETURN_IF_ERROR(id_of(e, &d.id));
      d.name = text_of(e, "name");
      PG_RETURN_IF_ERROR(strings(e, "subject", &d.subject_types));
      PG_RETURN_IF_ERROR(strings(e, "object", &d.object_types));
      PG_RETURN_IF_ERROR(strings(e, "slots", &d.slots));
      d.symmetric = e.contains("symmetric") && e["symmetric"].is_boolean() && e["symmetric"].get<bool>();
      d.verb = text_of(e, "verb");
      d.description = text_of(e, "description");
      PG_RETURN_IF_ERROR(s.AddRelationType(std::move(d)));
    }
  }
  s.bounded_ = true;
  return s;
}

}  // namespace pactgraph
