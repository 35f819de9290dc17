#include "bench/generator.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace pactgraph::bench {
namespace {

// ------------------------------------------------------------------------------ vocabulary

constexpr std::array kOnsets = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "h",
                                "br", "cl", "dr", "fr", "gl", "kr", "pl", "sk", "sp", "tr", "vr", "qu", ""};
constexpr std::array kVowels = {"a", "e", "i", "o", "u", "ae", "io", "ou", "y", "ei", "a", "o"};
constexpr std::array kTails = {"", "", "", "n", "r", "l", "s", "x", "sk", "nd", "rn", "lt", "m", "v", "ta", "on"};
constexpr std::array kCompanySuffixes = {"Systems", "Software", "Networks", "Technologies", "Labs", "Computing",
                                         "Data", "Cloud", "Corporation", "Solutions", "Digital", "Devices",
                                         "Works", "Dynamics", "Micro", "Group", "Research", "Platforms"};
constexpr std::array kProductNouns = {
    "Server", "Cloud", "Hypervisor", "Linux", "Studio", "Gateway", "Vault", "Desktop", "Database", "Mail",
    "Office", "Edge", "Mesh", "Stream", "Insight", "Guard", "Sync", "Connect", "Fabric", "Scheduler",
    "Analytics", "Directory", "Backup", "Monitor", "Portal", "Runtime", "Compiler", "Container Engine",
    "Virtual Machine Manager", "Storage", "Firewall", "Identity", "Workspace", "Pipeline", "Notebook",
    "Registry", "Router", "Switch", "Console", "Engine", "Enterprise Linux", "Data Center", "Web Server",
    "App Platform", "Cluster Suite"};
constexpr std::array kVersions = {"2003", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022",
                                  "5", "6", "7", "8", "9", "10", "11", "12", "Enterprise", "Standard",
                                  "Datacenter", "Express", "Pro", "LTS"};
constexpr std::array kProgramKinds = {"Certified Partner Program", "Validation Program", "Technology Alliance",
                                      "Software Vendor Program", "Interoperability Lab", "Developer Network",
                                      "Ready Program", "Compatibility Program", "Support Alliance",
                                      "Reseller Program", "Cloud Partner Program", "Hardware Certification Program"};
constexpr std::array kRegions = {"EMEA", "APAC", "Americas", "Japan", "China", "India", "LATAM", "Nordics",
                                 "DACH", "ANZ"};
constexpr std::array kTopics = {"interoperability", "virtualization", "patent cross-license", "joint support",
                                "distribution", "cloud", "licensing", "technical collaboration", "reseller",
                                "OEM", "co-development", "standards"};
constexpr std::array kTerms = {
    "patent rights", "joint technical support", "virtualization validation", "source code access",
    "trademark license", "revenue sharing", "co-marketing", "financial terms", "open source licensing rights",
    "interoperability testing", "escalation procedures", "reseller rights", "OEM distribution",
    "cloud hosting rights", "support for guests", "management tools", "certification", "joint roadmap",
    "security response", "data portability", "document formats", "identity federation", "benchmarking",
    "training", "indemnification", "exclusivity", "termination rights", "warranty", "pricing", "audit rights"};
constexpr std::array kTitles = {"CEO", "CTO", "CFO", "COO", "VP of Engineering", "VP of Alliances",
                                "Director of Partnerships", "Product Manager", "Chief Architect",
                                "General Manager", "Spokesperson", "Senior Engineer", "Head of Cloud",
                                "Director of Marketing", "VP of Sales", "Chief Strategy Officer"};
constexpr std::array kSupportRoles = {"guest", "host", "client", "server", "plugin", "driver", "container", "agent"};
constexpr std::array kRunRoles = {"guest", "native", "container", "plugin", "agent"};
constexpr std::array kPredicates = {
    "is fully supported", "beats every rival", "ships next year", "is certified for production",
    "leads its market", "halves operating costs", "is the safest choice", "has a million users",
    "will be retired", "is open to every partner", "runs faster than before", "is ready for the cloud",
    "sets the standard", "works with everything", "doubles throughput", "is a new benchmark",
    "suits large enterprises", "changes the industry", "runs on every major platform",
    "is already used by large customers"};

// -------------------------------------------------------------------------------- randomness

// SplitMix64: tiny, fast and fully specified, so the stream is the same everywhere (the standard
// library's distributions are not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>(Uniform() * static_cast<double>(n)); }
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Uniform() < p; }
  template <typename A>
  auto Pick(const A& a) -> decltype(a[0]) {
    return a[Below(a.size())];
  }
  // k distinct indexes from [0, n), in the order drawn.
  std::vector<size_t> Sample(size_t n, size_t k) {
    std::vector<size_t> idx(n);
    for (size_t i = 0; i < n; ++i) idx[i] = i;
    for (size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + Below(n - i)]);
    idx.resize(k);
    return idx;
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  uint64_t state_;
};

// Draws an index in [0, n) with probability proportional to 1/(rank+1)^s, where the rank of each
// index is a random permutation (so popularity is not tied to id order).
class Zipf {
 public:
  Zipf(size_t n, double s, Random& rng) : order_(n) {
    cumulative_.reserve(n);
    double total = 0;
    for (size_t r = 1; r <= n; ++r) cumulative_.push_back(total += 1.0 / std::pow(static_cast<double>(r), s));
    for (size_t i = 0; i < n; ++i) order_[i] = i;
    rng.Shuffle(order_);
  }
  size_t Draw(Random& rng) const {
    const double x = rng.Uniform() * cumulative_.back();
    size_t rank = std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin();
    return order_[std::min(rank, order_.size() - 1)];
  }

 private:
  std::vector<double> cumulative_;
  std::vector<size_t> order_;
};

// Unique made-up words ("Trouvex", "Kreinda").
class Words {
 public:
  explicit Words(uint64_t seed) : rng_(seed) {}
  std::string Word(int syllables) {
    for (;;) {
      std::string w;
      for (int i = 0; i < syllables; ++i) {
        w += rng_.Pick(kOnsets);
        w += rng_.Pick(kVowels);
      }
      w += rng_.Pick(kTails);
      if (w.size() < 3 || w.size() > 12) continue;
      w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
      if (used_.insert(w).second) return w;
    }
  }

 private:
  Random rng_;
  std::unordered_set<std::string> used_;
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Initials(std::string_view phrase) {
  std::string out;
  bool start = true;
  for (char c : phrase) {
    if (c == ' ' || c == '-') {
      start = true;
    } else if (start) {
      if (std::isalpha(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      start = false;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ output

// Buffered JSONL writer. Names come from the vocabulary above and never need JSON escaping.
class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) { buf_.reserve(kFlushAt + 4096); }
  ~Writer() { Flush(); }

  void Entity(uint64_t id, std::string_view type, std::string_view name, const std::vector<std::string>& aliases) {
    Put("{\"kind\":\"entity\",\"id\":");
    Num(id);
    Put(",\"name\":\"");
    Put(name);
    Put("\",\"type\":\"");
    Put(type);
    Put("\",\"aliases\":[");
    for (size_t i = 0; i < aliases.size(); ++i) {
      Put(i ? ",\"" : "\"");
      Put(aliases[i]);
      Put("\"");
    }
    Put("]}\n");
    ++counts.entities_by_type[std::string(type)];
    ++counts.entities;
    MaybeFlush();
  }

  // A relation; `node_slot` (with `node`) and `lit_slot` (with `lit`) are optional qualifiers.
  void Relation(std::string_view type, uint64_t subject, uint64_t object, uint64_t doc, uint64_t sentence,
                std::string_view node_slot = {}, uint64_t node = 0, std::string_view lit_slot = {},
                std::string_view lit = {}) {
    Put("{\"kind\":\"relation\",\"type\":\"");
    Put(type);
    Put("\",\"subject\":");
    Num(subject);
    Put(",\"object\":");
    Num(object);
    if (!node_slot.empty() || !lit_slot.empty()) {
      Put(",\"qualifiers\":{");
      if (!node_slot.empty()) {
        Put("\"");
        Put(node_slot);
        Put("\":");
        Num(node);
      }
      if (!lit_slot.empty()) {
        Put(node_slot.empty() ? "\"" : ",\"");
        Put(lit_slot);
        Put("\":\"");
        Put(lit);
        Put("\"");
      }
      Put("}");
    }
    Put(",\"source\":{\"doc\":");
    Num(doc);
    Put(",\"sentence\":");
    Num(sentence);
    Put("}}\n");
    ++counts.relations_by_type[std::string(type)];
    ++counts.relations;
    MaybeFlush();
  }

  Status Finish() {
    Flush();
    if (std::fflush(f_) != 0 || std::ferror(f_)) return Status::IoError(std::string("writing the graph: ") + std::strerror(errno));
    return Status::OK();
  }

  GeneratedCounts counts;

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  void Put(std::string_view s) { buf_.append(s); }
  void Num(uint64_t v) {
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, end);
  }
  void MaybeFlush() {
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (buf_.empty()) return;
    std::fwrite(buf_.data(), 1, buf_.size(), f_);
    counts.bytes += buf_.size();
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
};

}  // namespace

Result<GeneratedCounts> Generate(const GeneratorOptions& options, std::FILE* out) {
  const double sf = options.scale_factor;
  if (!(sf > 0) || sf > 1000) return Status::InvalidArgument("the scale factor must be above 0 and at most 1000");
  Random rng(options.seed);
  Words words(options.seed ^ 0x5EED5EED5EEDULL);
  Writer w(out);
  auto scaled = [&](double per_sf, uint64_t at_least) {
    return std::max<uint64_t>(at_least, static_cast<uint64_t>(std::llround(per_sf * sf)));
  };
  const uint64_t n_comp = scaled(1000, 2);
  const uint64_t n_prog = scaled(200, 1);
  const uint64_t n_agr = scaled(2000, 1);
  const uint64_t n_docs = scaled(20000, 100);
  const uint64_t n_pers = 5 * n_comp;
  const uint64_t n_claim = 3 * n_pers;

  // Ids: companies, then products (each base followed by its versions), programs, people,
  // agreements, terms, claims.
  const uint64_t comp0 = 1;
  const uint64_t prod0 = comp0 + n_comp;
  std::vector<uint64_t> base_id;         // base index -> product id
  std::vector<uint32_t> version_count;   // base index -> how many versions follow it
  std::vector<uint32_t> owner;           // product index -> company index
  std::vector<uint64_t> base_of;         // product index -> its base's id (itself for a base)
  uint64_t next = prod0;
  for (uint64_t c = 0; c < n_comp; ++c) {
    for (int k = 0; k < 10; ++k) {
      const auto nv = static_cast<uint32_t>(rng.Below(4));
      base_id.push_back(next);
      version_count.push_back(nv);
      for (uint32_t v = 0; v <= nv; ++v) {
        owner.push_back(static_cast<uint32_t>(c));
        base_of.push_back(next);
      }
      next += 1 + nv;
    }
  }
  const uint64_t n_prod = next - prod0;
  const uint64_t n_base = base_id.size();
  const uint64_t prog0 = prod0 + n_prod;
  const uint64_t pers0 = prog0 + n_prog;
  const uint64_t agr0 = pers0 + n_pers;
  const uint64_t term0 = agr0 + n_agr;
  const uint64_t claim0 = term0 + kTerms.size();
  std::vector<std::string> names(claim0);  // by id, for claim texts

  const Zipf platforms(n_base, 1.0, rng);
  const Zipf objects(n_prod, 0.8, rng);
  const Zipf companies(n_comp, 0.7, rng);
  auto draw_platform = [&](double p_version) {
    const size_t b = platforms.Draw(rng);
    if (version_count[b] && rng.Chance(p_version)) return base_id[b] + 1 + rng.Below(version_count[b]);
    return base_id[b];
  };
  auto doc = [&] { return 1 + rng.Below(n_docs); };
  auto sentence = [&] { return 1 + rng.Below(60); };

  // ---- entities
  std::vector<std::string> brands;
  brands.reserve(n_comp);
  for (uint64_t c = 0; c < n_comp; ++c) {
    std::string brand = words.Word(rng.Chance(0.85) ? 2 : 3);
    std::string name = brand + " " + rng.Pick(kCompanySuffixes);
    std::vector<std::string> aliases = {brand, name + " Inc."};
    if (rng.Chance(0.5)) aliases.push_back(Upper(brand.substr(0, 3)) + (rng.Chance(0.5) ? "" : Upper(brand.substr(brand.size() - 1))));
    w.Entity(comp0 + c, "Company", name, aliases);
    names[comp0 + c] = std::move(name);
    brands.push_back(std::move(brand));
  }
  for (uint64_t c = 0; c < n_comp; ++c) {
    const std::vector<size_t> nouns = rng.Sample(kProductNouns.size(), 10);
    for (int k = 0; k < 10; ++k) {
      const size_t b = c * 10 + k;
      const std::string noun = kProductNouns[nouns[k]];
      const std::string name = brands[c] + " " + noun;
      std::string acronym;
      if (rng.Chance(0.5)) acronym = Upper(brands[c].substr(0, 2)) + Initials(noun);
      w.Entity(base_id[b], "Product", name, acronym.empty() ? std::vector<std::string>{} : std::vector{acronym});
      names[base_id[b]] = name;
      const std::vector<size_t> versions = rng.Sample(kVersions.size(), version_count[b]);
      for (size_t v = 0; v < versions.size(); ++v) {
        const std::string label = kVersions[versions[v]];
        const std::string vname = name + " " + label;
        w.Entity(base_id[b] + 1 + v, "Product", vname,
                 acronym.empty() ? std::vector<std::string>{} : std::vector{acronym + " " + label});
        names[base_id[b] + 1 + v] = vname;
      }
    }
  }
  std::vector<uint64_t> operator_of(n_prog);
  std::unordered_set<std::string> taken;
  for (uint64_t g = 0; g < n_prog; ++g) {
    operator_of[g] = companies.Draw(rng);
    const std::string base = brands[operator_of[g]] + " " + rng.Pick(kProgramKinds);
    std::string name = base;
    for (uint64_t k = 0; !taken.insert(name).second; ++k) {
      name = base + " " + kRegions[k % kRegions.size()] + (k >= kRegions.size() ? " " + std::to_string(k / kRegions.size() + 1) : "");
    }
    w.Entity(prog0 + g, "Program", name, {Initials(name)});
    names[prog0 + g] = name;
  }
  std::vector<std::string> first_names, last_names;
  for (int i = 0; i < 600; ++i) first_names.push_back(words.Word(2));
  for (int i = 0; i < 12000; ++i) last_names.push_back(words.Word(rng.Chance(0.6) ? 2 : 3));
  taken.clear();
  constexpr std::string_view kInitials = "ABCDEFGHJKLMNPRSTVW";
  for (uint64_t p = 0; p < n_pers; ++p) {
    std::string first, last, name;
    do {
      first = rng.Pick(first_names);
      last = rng.Pick(last_names);
      name = first + " " + last;
      if (taken.count(name)) name = first + " " + kInitials[rng.Below(kInitials.size())] + ". " + last;
    } while (!taken.insert(name).second);
    std::vector<std::string> aliases = {first.substr(0, 1) + ". " + last};
    if (rng.Chance(0.3)) aliases.push_back(last);
    w.Entity(pers0 + p, "Person", name, aliases);
    names[pers0 + p] = std::move(name);
  }
  std::vector<std::pair<uint64_t, uint64_t>> parties(n_agr);
  taken.clear();
  for (uint64_t a = 0; a < n_agr; ++a) {
    const uint64_t x = companies.Draw(rng);
    uint64_t y = companies.Draw(rng);
    while (y == x) y = companies.Draw(rng);
    parties[a] = {x, y};
    const std::string base = brands[x] + "-" + brands[y] + " " + rng.Pick(kTopics) + " agreement";
    std::string name = base + " " + std::to_string(2000 + rng.Below(25));
    while (!taken.insert(name).second) {
      name = base + " " + std::to_string(2000 + rng.Below(25)) + " " + rng.Pick(kRegions);
    }
    w.Entity(agr0 + a, "Agreement", name, {});
    names[agr0 + a] = std::move(name);
  }
  for (size_t t = 0; t < kTerms.size(); ++t) w.Entity(term0 + t, "Term", kTerms[t], {});
  std::vector<std::array<uint64_t, 2>> about(n_claim, {0, 0});
  for (uint64_t c = 0; c < n_claim; ++c) {
    const int k = rng.Chance(0.5) ? 1 : 2;
    for (int i = 0; i < k; ++i) {
      const double r = rng.Uniform();
      uint64_t t;
      if (r < 0.5) {
        t = draw_platform(0.3);
      } else if (r < 0.75) {
        t = comp0 + rng.Below(n_comp);
      } else if (r < 0.85) {
        t = agr0 + rng.Below(n_agr);
      } else if (r < 0.95) {
        t = prog0 + rng.Below(n_prog);
      } else {
        t = pers0 + rng.Below(n_pers);
      }
      if (t != about[c][0]) about[c][i] = t;
    }
    w.Entity(claim0 + c, "Claim", names[about[c][0]] + " " + rng.Pick(kPredicates), {});
  }

  // ---- relations
  for (uint64_t i = 0; i < n_prod; ++i) {
    const uint64_t p = prod0 + i;
    const uint64_t d = doc();
    w.Relation("DEVELOPS", comp0 + owner[i], p, d, sentence());
    if (base_of[i] != p) w.Relation("VARIANT_OF", p, base_of[i], d, sentence());
  }
  for (uint64_t g = 0; g < n_prog; ++g) {
    w.Relation("OPERATES", comp0 + operator_of[g], prog0 + g, doc(), sentence());
    std::set<uint64_t> members;
    for (uint64_t k = rng.Between(1, 9); k > 0; --k) {
      const uint64_t m = companies.Draw(rng);
      if (m != operator_of[g] && members.insert(m).second) w.Relation("MEMBER_OF", comp0 + m, prog0 + g, doc(), sentence());
    }
  }
  for (uint64_t p = 0; p < n_pers; ++p) {
    w.Relation("WORKS_FOR", pers0 + p, comp0 + p / 5, doc(), sentence(), {}, 0, "title", rng.Pick(kTitles));
  }
  for (uint64_t a = 0; a < n_agr; ++a) {
    const uint64_t d = doc();
    const uint64_t x = comp0 + parties[a].first, y = comp0 + parties[a].second;
    w.Relation("PARTY_TO", x, agr0 + a, d, sentence());
    w.Relation("PARTY_TO", y, agr0 + a, d, sentence());
    w.Relation("PARTNERS_WITH", x, y, d, sentence());
    for (size_t t : rng.Sample(kTerms.size(), rng.Between(1, 3))) {
      w.Relation(rng.Chance(0.8) ? "INCLUDES" : "EXCLUDES", agr0 + a, term0 + t, d, sentence());
    }
  }
  for (uint64_t c = 0; c < n_comp; ++c) {
    std::set<std::pair<uint64_t, uint64_t>> seen;
    for (uint64_t k = rng.Between(10, 30); k > 0; --k) {
      for (int attempt = 0; attempt < 5; ++attempt) {
        const uint64_t x = prod0 + objects.Draw(rng);
        const uint64_t y = draw_platform(0.4);
        if (x != y && seen.emplace(x, y).second) {
          w.Relation("SUPPORTS", comp0 + c, x, doc(), sentence(), "on", y, "as", rng.Pick(kSupportRoles));
          break;
        }
      }
    }
  }
  for (uint64_t i = 0; i < n_prod; ++i) {
    const uint64_t p = prod0 + i;
    std::set<uint64_t> hosts;
    for (uint64_t k = rng.Between(3, 7); k > 0; --k) {
      const uint64_t h = draw_platform(0.3);
      if (h != p && hosts.insert(h).second) w.Relation("RUNS_ON", p, h, doc(), sentence(), {}, 0, "as", rng.Pick(kRunRoles));
    }
  }
  for (uint64_t c = 0; c < n_claim; ++c) {
    const uint64_t d = doc();
    w.Relation("SAID", pers0 + c / 3, claim0 + c, d, sentence());
    const uint64_t s = sentence();
    for (uint64_t t : about[c]) {
      if (t) w.Relation("ABOUT", claim0 + c, t, d, s);
    }
  }
  PG_RETURN_IF_ERROR(w.Finish());
  return w.counts;
}

Result<GeneratedCounts> GenerateFile(const GeneratorOptions& options, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  Result<GeneratedCounts> r = Generate(options, f);
  if (std::fclose(f) != 0 && r.ok()) return Status::IoError("closing " + path + ": " + std::strerror(errno));
  return r;
}

}  // namespace pactgraph::bench
