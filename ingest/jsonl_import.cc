#include <simdjson.h>

#include <cerrno>
#include <cmath>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "graph/flat_map.h"
#include "graph/names.h"
#include "graph/text.h"
#include "ingest/jsonl.h"
#include "ingest/internal/sha256.h"

namespace pactgraph::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kMaxLineBytes = 64u << 20;
constexpr size_t kMaxWarnings = 100;

// "Company, Organization, ..." for an error message: the first 30 names of a schema that may
// hold a thousand, and how many more there are.
template <typename Def>
std::string KnownNames(const std::vector<Def>& defs) {
  constexpr size_t kShown = 30;
  std::string known;
  for (size_t i = 0; i < defs.size() && i < kShown; ++i) known += (known.empty() ? "" : ", ") + defs[i].name;
  if (defs.size() > kShown) known += " and " + std::to_string(defs.size() - kShown) + " more";
  return known;
}

// A reason a line failed, and whether --lenient may skip it.
struct LineError {
  Status status;
  bool skippable = false;
};

class Importer {
 public:
  Importer(storage::Store& store, std::string name, const JsonlImportOptions& options)
      : store_(store), name_(std::move(name)), options_(options) {}

  Result<JsonlImportReport> Run(std::istream& in, uint64_t total_bytes);

 private:
  // Position of `"field"` in the current line, as a 1-based column (1 when absent).
  uint64_t ColumnOf(std::string_view field) const {
    const std::string needle = "\"" + std::string(field) + "\"";
    const size_t at = line_.find(needle);
    return at == std::string_view::npos ? 1 : at + 1;
  }
  Status Fatal(std::string_view field, const std::string& message) const {
    return Status::InvalidArgument(message).At(name_, line_no_, ColumnOf(field));
  }
  // A required field that is absent: the whole line is at fault, so column 1.
  Status Missing(const std::string& message) const {
    return Status::InvalidArgument(message).At(name_, line_no_, 1);
  }
  LineError SchemaError(std::string_view field, const Status& s) const {
    Status located = Status(s.code(), s.message()).At(name_, line_no_, ColumnOf(field));
    return {located, s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound};
  }

  Status ParseError(std::string_view line);
  // Whether a file id is a whole number written without leading zeros ("7", not "007"): such
  // an id names the same entity given as a number or as a string, and lives in the numeric map.
  static bool NumericId(const std::string& id_key, uint64_t* n) {
    return (id_key == "0" || id_key[0] != '0') && ParseDigits(id_key, n);
  }
  // Records the entity a file id stands for.
  void Remember(const std::string& id_key, EntityId id) {
    uint64_t n = 0;
    if (NumericId(id_key, &n)) {
      numeric_ids_.Set(n, id);
    } else {
      ids_[id_key] = id;
    }
  }
  // The entity a file id stands for, if the file has declared or used it.
  const EntityId* FindId(const std::string& id_key) const {
    uint64_t n = 0;
    if (NumericId(id_key, &n)) return numeric_ids_.Find(n);
    auto it = ids_.find(id_key);
    return it == ids_.end() ? nullptr : &it->second;
  }
  LineError HandleLine(const object& obj);
  LineError HandleEntity(const object& obj);
  LineError HandleRelation(const object& obj);
  LineError HandleClaim(const object& obj);
  LineError HandleDocument(const object& obj);

  // Reads an optional string member; a member of another JSON type is an error.
  Result<std::string_view> OptString(const object& obj, std::string_view key, bool required);
  // Resolves a reference (a name, or a declared id) to an entity of an allowed type.
  Result<EntityId> Ref(const element& value, std::string_view field, const std::vector<std::string>& allowed);
  Result<std::vector<Provenance>> Sources(const object& obj);
  Result<std::map<std::string, std::string>> Properties(const object& obj);

  storage::Store& store_;
  std::string name_;
  JsonlImportOptions options_;
  std::unique_ptr<storage::ImportSession> session_;
  DocumentId unit_ = 0;
  JsonlImportReport report_;
  std::string_view line_;
  uint64_t line_no_ = 0;
  // Ids declared by entity lines of this file, and placeholders for ids used before declared.
  std::unordered_map<std::string, EntityId> ids_;  // ids that are not whole numbers
  FlatU64Map numeric_ids_;                         // ids that are (the common case)
  FlatU64Map numeric_docs_;                        // documents given by number
  std::unordered_map<std::string, uint64_t> pending_ids_;  // id -> first line that used it
  std::unordered_map<EntityId, std::string> placeholder_ids_;
  simdjson::dom::parser parser_;
};

// The first number of `line` (outside strings) that no 64-bit integer or double holds, as its
// byte offset and text; npos when every number fits.
std::pair<size_t, std::string_view> NumberOutOfRange(std::string_view line) {
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\') ++i;
      }
      ++i;
      continue;
    }
    if (c != '-' && !(c >= '0' && c <= '9')) {
      ++i;
      continue;
    }
    const size_t begin = i;
    for (++i; i < line.size(); ++i) {
      const char d = line[i];
      const bool exponent_sign = (d == '+' || d == '-') && (line[i - 1] == 'e' || line[i - 1] == 'E');
      if (!(d >= '0' && d <= '9') && d != '.' && d != 'e' && d != 'E' && !exponent_sign) break;
    }
    // Integers past 64 bits are read as doubles by both JSON libraries: only a number past a
    // double's range is lost (a tiny one reads as zero or a subnormal, which is fine).
    const std::string number(line.substr(begin, i - begin));
    if (std::isinf(std::strtod(number.c_str(), nullptr))) return {begin, line.substr(begin, i - begin)};
  }
  return {std::string_view::npos, {}};
}

Status Importer::ParseError(std::string_view line) {
  if (const size_t bad = InvalidUtf8At(line); bad != std::string_view::npos) {
    return Status::InvalidArgument("invalid UTF-8").At(name_, line_no_, bad + 1);
  }
  if (auto [at, number] = NumberOutOfRange(line); at != std::string_view::npos) {
    std::string shown(number.substr(0, 24));
    if (number.size() > shown.size()) shown += "... (" + std::to_string(number.size()) + " characters)";
    return Status::InvalidArgument("number " + shown + " is too large for any number type").At(name_, line_no_, at + 1);
  }
  // simdjson said no; nlohmann-json says why, with a position. Every exception it may throw
  // (parse_error, out_of_range for a number it cannot hold, ...) is turned into a Status here.
  try {
    const nlohmann::json parsed = nlohmann::json::parse(line.begin(), line.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's text reads "[json.exception.parse_error.101] parse error at line 1, column 9:
    // syntax error while parsing ...": keep what follows the position.
    std::string what = e.what();
    const size_t col = what.find("column ");
    const size_t colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
    if (colon != std::string::npos) what = what.substr(colon + 2);
    return Status::InvalidArgument("malformed JSON: " + what).At(name_, line_no_, std::max<size_t>(e.byte, 1));
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '...'": keep the reason, not
    // the whole (possibly huge) token.
    std::string what = e.what();
    if (const size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    if (what.size() > 80) what = what.substr(0, 80) + "...";
    return Status::InvalidArgument("malformed JSON: " + what).At(name_, line_no_, 1);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what()).At(name_, line_no_, 1);
  }
  return Status::InvalidArgument("malformed JSON").At(name_, line_no_, 1);
}

Result<std::string_view> Importer::OptString(const object& obj, std::string_view key, bool required) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) {
    if (required) return Missing("this line needs a \"" + std::string(key) + "\"");
    return std::string_view();
  }
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    return Fatal(key, "\"" + std::string(key) + "\" must be a string");
  }
  if (required && CleanDisplayName(s).empty()) return Fatal(key, "\"" + std::string(key) + "\" is empty");
  return s;
}

Result<EntityId> Importer::Ref(const element& value, std::string_view field, const std::vector<std::string>& allowed) {
  std::string id_key;
  std::string_view name;
  if (value.is_uint64()) {
    const uint64_t n = value.get_uint64().value_unsafe();
    if (const EntityId* known = numeric_ids_.Find(n)) return *known;
    id_key = std::to_string(n);
  } else if (value.is_string()) {
    name = value.get_string().value_unsafe();
    id_key = std::string(name);
  } else {
    return Fatal(field, "\"" + std::string(field) + "\" must be a name or an id");
  }
  if (const EntityId* known = FindId(id_key)) return *known;
  if (!value.is_string()) {
    // An id used before its entity line: a placeholder, filled in when the line comes.
    if (allowed.empty()) {
      return Fatal(field, "id " + id_key + " is used before its entity line, where any type may stand; declare it first");
    }
    PG_ASSIGN_OR_RETURN(EntityId id, session_->CreatePlaceholder(allowed.front()));
    Remember(id_key, id);
    pending_ids_[id_key] = line_no_;
    placeholder_ids_[id] = id_key;
    return id;
  }
  return session_->ResolveName(name, allowed);
}

Result<std::map<std::string, std::string>> Importer::Properties(const object& obj) {
  std::map<std::string, std::string> out;
  element v;
  if (obj["properties"].get(v) != simdjson::SUCCESS || v.is_null()) return out;
  object props;
  if (v.get_object().get(props) != simdjson::SUCCESS) return Fatal("properties", "\"properties\" must be an object");
  for (auto [k, pv] : props) {
    if (pv.is_string()) {
      out[std::string(k)] = std::string(pv.get_string().value_unsafe());
    } else if (pv.is_number() || pv.is_bool()) {
      out[std::string(k)] = simdjson::minify(pv);
    } else if (!pv.is_null()) {
      return Fatal(k, "property \"" + std::string(k) + "\" must be a string, number or boolean");
    }
  }
  return out;
}

Result<std::vector<Provenance>> Importer::Sources(const object& obj) {
  PG_ASSIGN_OR_RETURN(std::string_view evidence, OptString(obj, "evidence", false));
  std::vector<element> given;
  element v;
  if (obj["sources"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    simdjson::dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return Fatal("sources", "\"sources\" must be a list of sources");
    for (element s : arr) given.push_back(s);
  }
  if (obj["source"].get(v) == simdjson::SUCCESS && !v.is_null()) given.push_back(v);

  std::vector<Provenance> out;
  for (const element& s : given) {
    object src;
    if (s.get_object().get(src) != simdjson::SUCCESS) return Fatal("source", "a source must be an object");
    Provenance p;
    p.extractor = "jsonl";
    p.evidence = std::string(evidence);
    element f;
    if (src["doc"].get(f) == simdjson::SUCCESS && !f.is_null()) {
      if (f.is_uint64()) {
        const uint64_t n = f.get_uint64().value_unsafe();
        if (const DocumentId* known = numeric_docs_.Find(n)) {
          p.document = *known;
        } else {
          PG_ASSIGN_OR_RETURN(p.document, session_->ResolveDocument(std::to_string(n)));
          numeric_docs_.Set(n, p.document);
        }
      } else if (f.is_string()) {
        const std::string key(f.get_string().value_unsafe());
        if (CleanDisplayName(key).empty()) return Fatal("doc", "\"doc\" is empty");
        PG_ASSIGN_OR_RETURN(p.document, session_->ResolveDocument(key));
      } else {
        return Fatal("doc", "\"doc\" must be a document key or number");
      }
    } else {
      p.document = unit_;
      p.line = static_cast<uint32_t>(line_no_);
    }
    auto small_uint = [&](const char* key, uint32_t* to) -> Status {
      element n;
      if (src[key].get(n) != simdjson::SUCCESS || n.is_null()) return Status::OK();
      uint64_t x = 0;
      if (n.get_uint64().get(x) != simdjson::SUCCESS || x > UINT32_MAX) {
        return Fatal(key, "\"" + std::string(key) + "\" must be a whole number");
      }
      *to = static_cast<uint32_t>(x);
      return Status::OK();
    };
    PG_RETURN_IF_ERROR(small_uint("sentence", &p.sentence));
    PG_RETURN_IF_ERROR(small_uint("line", &p.line));
    if (src["span"].get(f) == simdjson::SUCCESS && !f.is_null()) {
      simdjson::dom::array span;
      uint64_t b = 0, e = 0;
      if (f.get_array().get(span) != simdjson::SUCCESS || span.size() != 2 ||
          span.at(0).get_uint64().get(b) != simdjson::SUCCESS || span.at(1).get_uint64().get(e) != simdjson::SUCCESS ||
          b > e || e > UINT32_MAX) {
        return Fatal("span", "\"span\" must be [begin, end] character offsets");
      }
      p.span_begin = static_cast<uint32_t>(b);
      p.span_end = static_cast<uint32_t>(e);
    }
    if (src["extractor"].get(f) == simdjson::SUCCESS && f.is_string()) p.extractor = std::string(f.get_string().value_unsafe());
    if (src["evidence"].get(f) == simdjson::SUCCESS && f.is_string()) p.evidence = std::string(f.get_string().value_unsafe());
    if (src["confidence"].get(f) == simdjson::SUCCESS && !f.is_null()) {
      double c = 0;
      if (f.get_double().get(c) != simdjson::SUCCESS || c < 0 || c > 1) {
        return Fatal("confidence", "\"confidence\" must be a number from 0 to 1");
      }
      p.confidence = static_cast<float>(c);
    }
    // The literals this source stated where they differ from the relation's ("stated":
    // {"status": "ended"}), as `export` writes them.
    if (src["stated"].get(f) == simdjson::SUCCESS && !f.is_null()) {
      object stated;
      if (f.get_object().get(stated) != simdjson::SUCCESS) return Fatal("stated", "\"stated\" must be an object of qualifier values");
      p.literals.emplace();
      for (auto [key, value] : stated) {
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) {
          return Fatal("stated", "\"stated\" values must be text (\"" + std::string(key) + "\" is not)");
        }
        (*p.literals)[std::string(key)] = std::string(text);
      }
    }
    out.push_back(std::move(p));
  }
  if (out.empty()) {
    Provenance p;
    p.document = unit_;
    p.line = static_cast<uint32_t>(line_no_);
    p.extractor = "jsonl";
    p.evidence = std::string(evidence);
    out.push_back(std::move(p));
  }
  return out;
}

LineError Importer::HandleEntity(const object& obj) {
  Result<std::string_view> name = OptString(obj, "name", true);
  if (!name.ok()) return {name.status()};
  Result<std::string_view> type = OptString(obj, "type", true);
  if (!type.ok()) return {type.status()};
  storage::EntitySpec spec;
  spec.name = std::string(*name);
  spec.type = std::string(*type);
  if (!session_->schema().FindEntityType(spec.type)) {
    return SchemaError("type", Status::InvalidArgument("unknown entity type \"" + spec.type + "\" (known: " +
                                                           KnownNames(session_->schema().entity_types()) + ")"));
  }
  element v;
  if (obj["aliases"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    simdjson::dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return {Fatal("aliases", "\"aliases\" must be a list of names")};
    for (element a : arr) {
      std::string_view s;
      if (a.get_string().get(s) != simdjson::SUCCESS) return {Fatal("aliases", "\"aliases\" must be a list of names")};
      spec.aliases.emplace_back(s);
    }
  }
  Result<std::map<std::string, std::string>> props = Properties(obj);
  if (!props.ok()) return {props.status()};
  spec.properties = std::move(props).value();

  std::string id_key;
  if (obj["id"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    if (v.is_string()) {
      id_key = std::string(v.get_string().value_unsafe());
    } else if (v.is_uint64()) {
      id_key = std::to_string(v.get_uint64().value_unsafe());
    } else {
      return {Fatal("id", "\"id\" must be a string or a whole number")};
    }
    if (const EntityId* known = FindId(id_key)) {
      const EntityId id = *known;
      if (!pending_ids_.count(id_key)) return {Fatal("id", "id " + id_key + " is declared twice in this file")};
      Status s = session_->FillPlaceholder(id, spec);
      if (!s.ok()) return SchemaError("type", s);
      pending_ids_.erase(id_key);
      placeholder_ids_.erase(id);
      return {};
    }
  }
  spec.distinct = !id_key.empty();
  Result<storage::AddOutcome> out = session_->DeclareEntity(spec);
  if (!out.ok()) return SchemaError("name", out.status());
  if (!id_key.empty()) Remember(id_key, out->id);
  return {};
}

LineError Importer::HandleRelation(const object& obj) {
  Result<std::string_view> type = OptString(obj, "type", true);
  if (!type.ok()) return {type.status()};
  const RelationTypeDef* def = session_->schema().FindRelationType(*type);
  if (!def) {
    return SchemaError("type", Status::InvalidArgument("unknown relation type \"" + std::string(*type) + "\" (known: " +
                                                           KnownNames(session_->schema().relation_types()) + ")"));
  }
  element subject, object_v;
  if (obj["subject"].get(subject) != simdjson::SUCCESS) return {Missing("this line needs a \"subject\"")};
  if (obj["object"].get(object_v) != simdjson::SUCCESS) return {Missing("this line needs an \"object\"")};

  // Check the qualifier slots before resolving any name, so a skipped line creates nothing.
  std::vector<std::pair<std::string_view, element>> quals;
  element v;
  if (obj["qualifiers"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    object q;
    if (v.get_object().get(q) != simdjson::SUCCESS) return {Fatal("qualifiers", "\"qualifiers\" must be an object")};
    for (auto [slot, value] : q) {
      if (value.is_null()) continue;
      if (!session_->schema().FindSlot(slot) || !session_->schema().AllowsSlot(*def, slot)) {
        std::vector<std::string> names(def->slots);
        for (std::string_view u : Schema::kUniversalSlots) names.emplace_back(u);
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
        return SchemaError(slot, Status::InvalidArgument(def->name + " has no qualifier \"" + std::string(slot) + "\" (it takes " + list + ")"));
      }
      quals.emplace_back(slot, value);
    }
  }
  storage::RelationSpec spec;
  spec.type = def->name;
  Result<EntityId> s = Ref(subject, "subject", def->subject_types);
  if (!s.ok()) return SchemaError("subject", s.status());
  Result<EntityId> o = Ref(object_v, "object", def->object_types);
  if (!o.ok()) return SchemaError("object", o.status());
  spec.subject = *s;
  spec.object = *o;
  for (const auto& [slot, value] : quals) {
    const SlotDef* sd = session_->schema().FindSlot(slot);
    Qualifier q;
    q.slot = sd->name;
    if (sd->kind == SlotKind::kNode) {
      Result<EntityId> id = Ref(value, slot, sd->types);
      if (!id.ok()) return SchemaError(slot, id.status());
      q.node = *id;
    } else if (value.is_string()) {
      q.literal = std::string(value.get_string().value_unsafe());
    } else if (value.is_number() || value.is_bool()) {
      q.literal = simdjson::minify(value);
    } else {
      return {Fatal(slot, "qualifier \"" + std::string(slot) + "\" must be a string or a number")};
    }
    spec.qualifiers.push_back(std::move(q));
  }
  Result<std::map<std::string, std::string>> props = Properties(obj);
  if (!props.ok()) return {props.status()};
  spec.properties = std::move(props).value();
  Result<std::vector<Provenance>> sources = Sources(obj);
  if (!sources.ok()) return {sources.status()};
  Result<storage::AddOutcome> added = session_->AddRelation(spec, *sources);
  if (!added.ok()) return SchemaError("type", added.status());
  return {};
}

LineError Importer::HandleClaim(const object& obj) {
  Result<std::string_view> text = OptString(obj, "text", true);
  if (!text.ok()) return {text.status()};
  const pactgraph::Schema& sc = session_->schema();
  element speaker;
  if (obj["speaker"].get(speaker) != simdjson::SUCCESS) return {Missing("a claim needs a \"speaker\"")};
  std::vector<element> about;
  element v;
  if (obj["about"].get(v) == simdjson::SUCCESS && !v.is_null()) {
    simdjson::dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return {Fatal("about", "\"about\" must be a list of names")};
    for (element a : arr) about.push_back(a);
  }
  Result<std::vector<Provenance>> sources = Sources(obj);
  if (!sources.ok()) return {sources.status()};
  // Resolve the entities the claim is about first: an unknown one must not leave a half claim.
  std::vector<EntityId> about_ids;
  for (const element& a : about) {
    Result<EntityId> id = Ref(a, "about", sc.FindRelationType("ABOUT")->object_types);
    if (!id.ok()) return SchemaError("about", id.status());
    about_ids.push_back(*id);
  }
  Result<EntityId> who = Ref(speaker, "speaker", sc.FindRelationType("SAID")->subject_types);
  if (!who.ok()) return SchemaError("speaker", who.status());
  storage::EntitySpec claim;
  claim.type = "Claim";
  claim.name = std::string(*text);
  Result<storage::AddOutcome> c = session_->DeclareEntity(claim);
  if (!c.ok()) return SchemaError("text", c.status());
  Result<storage::AddOutcome> said = session_->AddRelation({"SAID", *who, c->id, {}, {}}, *sources);
  if (!said.ok()) return SchemaError("speaker", said.status());
  for (EntityId id : about_ids) {
    Result<storage::AddOutcome> ab = session_->AddRelation({"ABOUT", c->id, id, {}, {}}, *sources);
    if (!ab.ok()) return SchemaError("about", ab.status());
  }
  ++report_.claims;
  return {};
}

LineError Importer::HandleDocument(const object& obj) {
  Document d;
  for (auto [field, to] : {std::pair{"key", &d.key}, {"type", &d.kind}, {"title", &d.title},
                           {"publisher", &d.publisher}, {"date", &d.date}, {"url", &d.url},
                           {"hash", &d.content_hash}, {"text", &d.text}}) {
    Result<std::string_view> s = OptString(obj, field, std::string_view(field) == "key");
    if (!s.ok()) return {s.status()};
    *to = std::string(*s);
  }
  if (d.kind.empty()) d.kind = "article";
  Result<DocumentId> id = session_->UpsertDocument(d);
  if (!id.ok()) return SchemaError("key", id.status());
  if (!options_.document_location.empty() && !d.text.empty()) {
    if (Status st = session_->AddLocation(*id, options_.document_location); !st.ok()) return {st};
  }
  return {};
}

LineError Importer::HandleLine(const object& obj) {
  Result<std::string_view> kind = OptString(obj, "kind", false);
  if (!kind.ok()) return {kind.status()};
  if (kind->empty()) {
    return {Status::InvalidArgument("this line has no \"kind\" (entity, relation, claim or document)").At(name_, line_no_, 1)};
  }
  if (*kind == "entity") return HandleEntity(obj);
  if (*kind == "relation") return HandleRelation(obj);
  if (*kind == "claim") return HandleClaim(obj);
  if (*kind == "document") return HandleDocument(obj);
  return {Fatal("kind", "unknown kind \"" + std::string(*kind) + "\" (expected entity, relation, claim or document)")};
}

Result<JsonlImportReport> Importer::Run(std::istream& in, uint64_t total_bytes) {
  const auto start = std::chrono::steady_clock::now();
  report_.source = name_;
  PG_ASSIGN_OR_RETURN(session_, store_.BeginImport(options_.session));

  // The unit document is registered before its hash is known and given the hash at the end.
  Document unit;
  unit.kind = "facts";
  unit.title = std::filesystem::path(name_).filename().string();
  PG_ASSIGN_OR_RETURN(unit_, session_->BeginUnit(unit));

  Sha256 hash;
  const size_t pad = simdjson::SIMDJSON_PADDING;
  size_t cap = 4u << 20;
  std::unique_ptr<char[]> buf(new char[cap + pad]);
  size_t begin = 0, end = 0;
  uint64_t bytes_read = 0;
  bool eof = false;
  auto last_progress = start;
  while (true) {
    const char* nl = static_cast<const char*>(memchr(buf.get() + begin, '\n', end - begin));
    if (!nl && !eof) {
      // Need more bytes: move the partial line to the front, grow when one line fills the buffer.
      if (begin > 0) {
        std::memmove(buf.get(), buf.get() + begin, end - begin);
        end -= begin;
        begin = 0;
      }
      if (end == cap) {
        if (cap >= kMaxLineBytes) {
          return Status::ResourceExhausted("line is longer than 64 MiB").At(name_, line_no_ + 1, 1);
        }
        std::unique_ptr<char[]> bigger(new char[cap * 2 + pad]);
        std::memcpy(bigger.get(), buf.get(), end);
        buf = std::move(bigger);
        cap *= 2;
      }
      in.read(buf.get() + end, static_cast<std::streamsize>(cap - end));
      const size_t got = static_cast<size_t>(in.gcount());
      if (got == 0) {
        if (in.bad()) return Status::IoError("reading " + name_ + " failed");
        eof = true;
      }
      hash.Update(buf.get() + end, got);
      end += got;
      bytes_read += got;
      continue;
    }
    if (!nl && begin == end) break;
    const size_t line_end = nl ? static_cast<size_t>(nl - buf.get()) : end;
    std::string_view line(buf.get() + begin, line_end - begin);
    begin = nl ? line_end + 1 : end;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++report_.lines;
    line_ = line;

    element doc;
    if (parser_.parse(reinterpret_cast<const uint8_t*>(line.data()), line.size(), false).get(doc) != simdjson::SUCCESS) {
      return ParseError(line);
    }
    object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      return Status::InvalidArgument("each line must be a JSON object").At(name_, line_no_, 1);
    }
    LineError err = HandleLine(obj);
    if (!err.status.ok()) {
      if (!(options_.lenient && err.skippable)) return err.status;
      ++report_.skipped;
      if (report_.warnings.size() < kMaxWarnings) report_.warnings.push_back(err.status.ToString() + " (line skipped)");
    }
    if ((report_.lines & 0x3FFF) == 0 && options_.progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        last_progress = now;
        options_.progress({bytes_read, total_bytes, report_.lines,
                           session_->counts().relations_new + session_->counts().relations_merged,
                           std::chrono::duration<double>(now - start).count()});
      }
    }
  }
  if (!pending_ids_.empty()) {
    auto first = pending_ids_.begin();
    for (auto it = pending_ids_.begin(); it != pending_ids_.end(); ++it) {
      if (it->second < first->second) first = it;
    }
    return Status::InvalidArgument("id " + first->first + " is used but no entity line declares it").At(name_, first->second, 1);
  }

  Status sealed = session_->SealUnit(unit_, hash.HexDigest());
  if (!sealed.ok()) {
    if (sealed.code() != StatusCode::kAlreadyExists) return sealed;
    // Everything in this file is stored already; writing nothing keeps the store as it was.
    report_.already_imported = true;
    report_.already_message = sealed.message();
    report_.counts = {};
    report_.claims = 0;
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }
  PG_RETURN_IF_ERROR(session_->Commit());
  // After the commit: relations a replaced document alone stated are counted as they are removed.
  report_.counts = session_->counts();
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report_;
}

}  // namespace

Result<JsonlImportReport> ImportJsonlStream(storage::Store& store, std::istream& in, const std::string& name,
                                            const JsonlImportOptions& options) {
  Importer importer(store, name, options);
  return importer.Run(in, 0);
}

Result<JsonlImportReport> ImportJsonlFile(storage::Store& store, const std::string& path,
                                          const JsonlImportOptions& options) {
  if (path == "-") return ImportJsonlStream(store, std::cin, "<stdin>", options);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + " is a directory; give a .jsonl file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  Importer importer(store, path, options);
  return importer.Run(in, ec ? 0 : size);
}

}  // namespace pactgraph::ingest
