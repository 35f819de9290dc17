// The pactgraph command line: argument parsing shared by the subcommands.
#ifndef PACTGRAPH_APP_INTERNAL_CLI_H_
#define PACTGRAPH_APP_INTERNAL_CLI_H_

#include <map>
#include <string>
#include <vector>

namespace pactgraph::app {

// Exit statuses, as documented in the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the command ran and failed (I/O, a check found problems)
inline constexpr int kExitBadInput = 2;  // bad usage or bad input (a malformed line, an unknown name)

// Parsed arguments of one subcommand: flags (with or without a value) and positional words.
struct Args {
  std::map<std::string, std::string> flags;  // "--format" -> "json"; "--lenient" -> ""
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> in_order;  // every flag given, repeats kept
  bool Has(const std::string& flag) const { return flags.count(flag) != 0; }
  std::string Get(const std::string& flag, const std::string& fallback = "") const {
    auto it = flags.find(flag);
    return it == flags.end() ? fallback : it->second;
  }
  // Every value of a flag that may be repeated (--param a=1 --param b=2), in order.
  std::vector<std::string> All(const std::string& flag) const {
    std::vector<std::string> out;
    for (const auto& [f, v] : in_order) {
      if (f == flag) out.push_back(v);
    }
    return out;
  }
};

// One flag a subcommand accepts.
struct FlagSpec {
  std::string name;      // "--format"
  bool takes_value;      // "--format json" or "--format=json"
};

// Parses argv[first..]; on an unknown flag or a missing value returns false with `error` set.
bool ParseArgs(int argc, char** argv, int first, const std::vector<FlagSpec>& specs, Args* out,
               std::string* error);

}  // namespace pactgraph::app

#endif  // PACTGRAPH_APP_INTERNAL_CLI_H_
