#include "ingest/gazetteer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <utility>

#include "graph/names.h"
#include "graph/text.h"

namespace pactgraph::ingest {
namespace {

constexpr size_t kMaxNameBytes = 1024;
constexpr size_t kMaxAliases = 1000;
constexpr size_t kMaxConflictsKept = 1000;

const char* const kFields = "name, type, kind, maker, aliases";

// The column of `"field"` in the line, so that an error points at the field it is about.
uint64_t ColumnOf(std::string_view line, std::string_view field) {
  const std::string quoted = "\"" + std::string(field) + "\"";
  const size_t at = line.find(quoted);
  return at == std::string_view::npos ? 1 : at + 1;
}

Result<GazetteerType> ParseType(std::string_view text) {
  if (text == "Company") return GazetteerType::kCompany;
  if (text == "Organization") return GazetteerType::kOrganization;
  if (text == "Product") return GazetteerType::kProduct;
  if (text == "Program") return GazetteerType::kProgram;
  if (text == "Person" || text == "Agreement" || text == "Term") {
    return Status::InvalidArgument("type \"" + std::string(text) +
                                   "\" is not kept in a gazetteer (Company, Organization, Product or Program)");
  }
  return Status::InvalidArgument("unknown type \"" + std::string(text) +
                                 "\" (Company, Organization, Product or Program)");
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1,
// column 9: "; keep the reason.
std::string JsonReason(const std::string& what) {
  const size_t col = what.find("column ");
  const size_t colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
  if (colon != std::string::npos) return what.substr(colon + 2);
  const size_t close = what.find("] ");
  std::string reason = close == std::string::npos ? what : what.substr(close + 2);
  if (reason.size() > 80) reason = reason.substr(0, 80) + "...";
  return reason;
}

// One line to an entry. `source` and `line_no` locate errors.
Result<GazetteerEntry> ParseLine(std::string_view line, const std::string& source, uint64_t line_no) {
  auto error = [&](const std::string& message, uint64_t column) {
    return Status::InvalidArgument(message).At(source, line_no, column);
  };
  if (const size_t bad = InvalidUtf8At(line); bad != std::string_view::npos) {
    return error("invalid UTF-8", bad + 1);
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::parse_error& e) {
    return error("malformed JSON: " + JsonReason(e.what()), std::max<size_t>(e.byte, 1));
  } catch (const std::exception& e) {
    return error("malformed JSON: " + JsonReason(e.what()), 1);
  }
  if (!json.is_object()) return error("a gazetteer line is a JSON object with " + std::string(kFields), 1);

  GazetteerEntry entry;
  bool has_name = false, has_type = false;
  for (const auto& [key, value] : json.items()) {
    const uint64_t column = ColumnOf(line, key);
    if (key == "name" || key == "kind" || key == "maker" || key == "type") {
      if (!value.is_string()) return error("\"" + key + "\" must be a string", column);
      const std::string text = CleanDisplayName(value.get_ref<const std::string&>());
      if (text.size() > kMaxNameBytes) {
        return error("\"" + key + "\" is longer than " + std::to_string(kMaxNameBytes) + " bytes", column);
      }
      if (key == "name") {
        if (NormalizeKey(text).empty()) return error("the name has no letters or digits", column);
        entry.name = text;
        has_name = true;
      } else if (key == "type") {
        Result<GazetteerType> type = ParseType(text);
        if (!type.ok()) return error(type.status().message(), column);
        entry.type = *type;
        has_type = true;
      } else if (key == "kind") {
        entry.kind = text;
      } else {
        entry.maker = text;
      }
    } else if (key == "aliases") {
      if (!value.is_array()) return error("\"aliases\" must be an array of strings", column);
      if (value.size() > kMaxAliases) {
        return error("more than " + std::to_string(kMaxAliases) + " aliases", column);
      }
      for (const auto& alias : value) {
        if (!alias.is_string()) return error("\"aliases\" must be an array of strings", column);
        std::string text = CleanDisplayName(alias.get_ref<const std::string&>());
        if (text.size() > kMaxNameBytes) {
          return error("an alias is longer than " + std::to_string(kMaxNameBytes) + " bytes", column);
        }
        if (NormalizeKey(text).empty()) {
          return error("alias \"" + text + "\" has no letters or digits", column);
        }
        entry.aliases.push_back(std::move(text));
      }
    } else {
      return error("unknown field \"" + key + "\" (a gazetteer line has " + kFields + ")", column);
    }
  }
  if (!has_name) return error("this line needs a \"name\"", 1);
  if (!has_type) return error("this line needs a \"type\" (Company, Organization, Product or Program)", 1);
  entry.source = source + ":" + std::to_string(line_no);
  return entry;
}

size_t StringHeap(const std::string& s) {
  // Short strings live inside the object (libstdc++ keeps up to 15 bytes in place).
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

}  // namespace

const char* GazetteerTypeName(GazetteerType type) {
  switch (type) {
    case GazetteerType::kCompany: return "Company";
    case GazetteerType::kOrganization: return "Organization";
    case GazetteerType::kProduct: return "Product";
    case GazetteerType::kProgram: return "Program";
  }
  return "Product";
}

Result<Gazetteer> Gazetteer::Load(const std::vector<std::string>& paths, const GazetteerOptions& options) {
  Gazetteer gazetteer;
  gazetteer.options_ = options;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      PG_RETURN_IF_ERROR(gazetteer.AddDirectory(path));
    } else {
      PG_RETURN_IF_ERROR(gazetteer.AddFile(path));
    }
  }
  return gazetteer;
}

Result<Gazetteer> Gazetteer::LoadDirectory(const std::string& dir, const GazetteerOptions& options) {
  Gazetteer gazetteer;
  gazetteer.options_ = options;
  PG_RETURN_IF_ERROR(gazetteer.AddDirectory(dir));
  return gazetteer;
}

Status Gazetteer::AddDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Status::NotFound(dir + ": not a directory");
  std::vector<std::string> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& p = it->path();
    std::error_code file_ec;
    if (p.extension() == ".jsonl" && it->is_regular_file(file_ec)) files.push_back(p.string());
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) PG_RETURN_IF_ERROR(AddFile(file));
  return Status::OK();
}

Status Gazetteer::AddFile(const std::string& path) {
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": " + ec.message());
  }
  if (size > options_.max_file_bytes) {
    return Status::ResourceExhausted(path + ": larger than " + WithThousands(options_.max_file_bytes) +
                                     " bytes (" + WithThousands(size) + "), the bound for a gazetteer file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot be read");
  std::string bytes;
  bytes.reserve(size);
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IoError(path + ": read failed");
  if (bytes.size() > options_.max_file_bytes) {  // grew since it was measured
    return Status::ResourceExhausted(path + ": larger than " + WithThousands(options_.max_file_bytes) + " bytes");
  }

  // Parse the whole file first, so that a bad line leaves the gazetteer as it was.
  std::vector<GazetteerEntry> fresh;
  std::vector<std::string> keys;
  uint64_t line_no = 0;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string::npos) end = bytes.size();
    std::string_view line(bytes.data() + start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    PG_ASSIGN_OR_RETURN(GazetteerEntry entry, ParseLine(line, path, line_no));
    keys.push_back(NormalizeKey(entry.name));
    fresh.push_back(std::move(entry));
    if (entries_.size() + fresh.size() > options_.max_entries) {
      return Status::ResourceExhausted("more than " + WithThousands(options_.max_entries) +
                                       " gazetteer entries").At(path, line_no, 1);
    }
  }
  return Merge(std::move(fresh), keys);
}

void Gazetteer::AddConflict(std::string message) {
  ++conflict_count_;
  if (conflicts_.size() < kMaxConflictsKept) conflicts_.push_back(std::move(message));
}

Status Gazetteer::Merge(std::vector<GazetteerEntry> fresh, const std::vector<std::string>& keys) {
  for (size_t i = 0; i < fresh.size(); ++i) {
    GazetteerEntry& entry = fresh[i];
    const std::string& key = keys[i];
    auto it = index_.find(key);
    if (it != index_.end() && it->second.is_name) {
      // The same name again: one entry, extended by the later line.
      GazetteerEntry& old = entries_[it->second.entry];
      ++merged_count_;
      if (old.type != entry.type) {
        AddConflict(entry.source + ": \"" + entry.name + "\" is a " + GazetteerTypeName(entry.type) + " here and a " +
                    GazetteerTypeName(old.type) + " at " + old.source + "; the later type is kept");
        old.type = entry.type;
      }
      if (!entry.kind.empty()) old.kind = std::move(entry.kind);
      if (!entry.maker.empty()) old.maker = std::move(entry.maker);
      const uint32_t index = it->second.entry;
      for (std::string& alias : entry.aliases) {
        const std::string alias_key = NormalizeKey(alias);
        const bool known = std::any_of(old.aliases.begin(), old.aliases.end(),
                                       [&](const std::string& a) { return NormalizeKey(a) == alias_key; });
        if (known || alias_key == key) continue;
        old.aliases.push_back(alias);
        IndexAlias(index, old.aliases.back());
      }
      continue;
    }
    if (it != index_.end()) {
      const GazetteerEntry& owner = entries_[it->second.entry];
      AddConflict(entry.source + ": the name \"" + entry.name + "\" is also an alias of \"" + owner.name + "\" (" +
                  owner.source + "); the name takes the key");
    }
    const auto index = static_cast<uint32_t>(entries_.size());
    entries_.push_back(std::move(entry));
    index_[key] = Slot{index, true};
    for (const std::string& alias : entries_[index].aliases) IndexAlias(index, alias);
  }
  return Status::OK();
}

void Gazetteer::IndexAlias(uint32_t index, const std::string& alias) {
  const std::string key = NormalizeKey(alias);
  auto [it, inserted] = index_.try_emplace(key, Slot{index, false});
  if (inserted || it->second.entry == index) return;
  const GazetteerEntry& self = entries_[index];
  const GazetteerEntry& owner = entries_[it->second.entry];
  AddConflict(self.source + ": alias \"" + alias + "\" of \"" + self.name + "\" is already " +
              (it->second.is_name ? "the name" : "an alias") + " of \"" + owner.name + "\" (" + owner.source +
              "), which keeps it");
}

const GazetteerEntry* Gazetteer::Find(std::string_view name) const {
  const std::string key = NormalizeKey(name);
  if (key.empty()) return nullptr;
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &entries_[it->second.entry];
}

size_t Gazetteer::MemoryBytes() const {
  size_t bytes = entries_.capacity() * sizeof(GazetteerEntry);
  for (const GazetteerEntry& e : entries_) {
    bytes += StringHeap(e.name) + StringHeap(e.kind) + StringHeap(e.maker) + StringHeap(e.source);
    bytes += e.aliases.capacity() * sizeof(std::string);
    for (const std::string& a : e.aliases) bytes += StringHeap(a);
  }
  // A node of the hash map: the key and slot, the next pointer and the cached hash.
  constexpr size_t kNode = sizeof(std::pair<const std::string, Slot>) + 2 * sizeof(void*);
  bytes += index_.bucket_count() * sizeof(void*);
  for (const auto& [key, slot] : index_) bytes += kNode + StringHeap(key);
  for (const std::string& c : conflicts_) bytes += sizeof(std::string) + StringHeap(c);
  return bytes;
}

}  // namespace pactgraph::ingest
