#include "storage/resolve.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "graph/names.h"
#include "graph/text.h"

namespace pactgraph::storage {
namespace {

// What a person typed, quoted in a message: a 500-digit "id" is shown by its start.
std::string Quoted(std::string_view text) {
  constexpr size_t kShown = 80;  // a long product or agreement name still shown whole
  if (text.size() <= kShown) return "\"" + std::string(text) + "\"";
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return "\"" + std::string(text.substr(0, cut)) + "...\" (" + std::to_string(text.size()) + " bytes)";
}

// "Name" (Type #ID), the way every candidate is listed.
std::string Candidate(const Entity& e) { return "\"" + e.name + "\" (" + e.type + " #" + std::to_string(e.id) + ")"; }

}  // namespace

Status UnknownName(const Store& store, const Snapshot& snap, std::string_view name) {
  std::string msg = "no entity is named " + Quoted(name);
  // A name with no letters or digits ("?", a stray byte) is near every short name: no suggestions.
  if (NormalizeKey(name).empty()) return Status::NotFound(msg);
  PG_ASSIGN_OR_RETURN(std::vector<EntityId> near, store.NearestNames(snap, name, 12));
  std::vector<std::pair<std::string, std::string>> named;  // name, type; each pair once
  // Only names near what was typed: the nearest of a store that has nothing like it are noise.
  const std::string typed = NormalizeKey(name);
  auto words = [](const std::string& key) {
    std::vector<std::string> out;
    for (size_t b = 0, e; b < key.size(); b = e + 1) {
      e = key.find(' ', b);
      if (e == std::string::npos) e = key.size();
      if (e > b) out.push_back(key.substr(b, e - b));
    }
    return out;
  };
  auto close = [&](const std::string& key) {
    const size_t bound = std::max<size_t>(2, typed.size() / 3);
    if (BoundedEditDistance(typed, key, bound) <= bound) return true;
    if (typed.size() >= 4 && key.compare(0, 4, typed, 0, 4) == 0) return true;  // the same start
    for (const std::string& w : words(typed)) {
      if (w.size() < 3) continue;
      for (const std::string& v : words(key)) {
        if (BoundedEditDistance(w, v, w.size() >= 6 ? 2 : 1) <= (w.size() >= 6 ? 2u : 1u)) return true;  // a word of it, nearly
      }
    }
    return false;
  };
  for (EntityId id : near) {
    PG_ASSIGN_OR_RETURN(Entity e, store.GetEntity(snap, id));
    // A claim's name is a whole sentence: never a suggestion.
    if (e.type == "Claim" || named.size() == 5) continue;
    if (!close(NormalizeKey(e.name))) continue;
    std::pair<std::string, std::string> p{e.name, e.type};
    bool seen = false;
    for (const auto& n : named) seen = seen || n == p;
    if (!seen) named.push_back(std::move(p));
  }
  if (!named.empty()) {
    msg += "; did you mean ";
    for (size_t i = 0; i < named.size(); ++i) {
      msg += (i ? (i + 1 == named.size() ? " or " : ", ") : "") + ("\"" + named[i].first + "\" (" + named[i].second + ")");
    }
    msg += "?";
  }
  return Status::NotFound(msg);
}

Result<std::optional<EntityId>> ParseEntityId(std::string_view text) {
  if (text.size() < 2 || text[0] != '#' || text.find_first_not_of("0123456789", 1) != std::string_view::npos) {
    return std::optional<EntityId>();
  }
  uint64_t id = 0;
  if (!ParseDigits(text.substr(1), &id)) {
    return Status::InvalidArgument(Quoted(text) + " is not an entity id: an id is a whole number below 2^64");
  }
  return std::optional<EntityId>(id);
}

Result<EntityId> ResolveId(const Store& store, const Snapshot& snap, EntityId id) {
  Result<Entity> e = store.GetEntity(snap, id);
  if (e.ok()) return id;
  if (e.status().code() == StatusCode::kNotFound) return Status::NotFound("no entity has the id #" + std::to_string(id));
  return e.status();
}

Result<EntityId> ResolveName(const Store& store, const Snapshot& snap, std::string_view name) {
  PG_ASSIGN_OR_RETURN(std::vector<NameMatch> found, store.FindByName(snap, name));
  if (found.empty()) return UnknownName(store, snap, name);
  std::vector<EntityId> canonical;
  for (const NameMatch& m : found) {
    if (m.canonical) canonical.push_back(m.id);
  }
  if (canonical.size() == 1) return canonical.front();
  if (found.size() == 1) return found.front().id;
  constexpr size_t kListed = 8;
  std::string msg = Quoted(name) + " is ambiguous; it names ";
  for (size_t i = 0; i < found.size() && i < kListed; ++i) {
    PG_ASSIGN_OR_RETURN(Entity e, store.GetEntity(snap, found[i].id));
    msg += (i ? ", " : "") + Candidate(e);
  }
  if (found.size() > kListed) msg += " and " + std::to_string(found.size() - kListed) + " more";
  return Status::InvalidArgument(msg + "; use the full name or #ID");
}

Result<EntityId> ResolveEntity(const Store& store, const Snapshot& snap, std::string_view text, const ResolveOptions& options) {
  PG_ASSIGN_OR_RETURN(std::optional<EntityId> id, ParseEntityId(text));
  if (id) return ResolveId(store, snap, *id);
  Result<EntityId> named = ResolveName(store, snap, text);
  uint64_t digits = 0;
  if (!named.ok() && named.status().code() == StatusCode::kNotFound && options.bare_digits_as_id && ParseDigits(text, &digits)) {
    Result<EntityId> by_id = ResolveId(store, snap, digits);
    if (by_id.ok() || by_id.status().code() != StatusCode::kNotFound) return by_id;
  }
  return named;
}

}  // namespace pactgraph::storage
