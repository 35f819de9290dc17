#include "app/internal/cli.h"
#include "graph/names.h"

namespace pactgraph::app {

bool ParseArgs(int argc, char** argv, int first, const std::vector<FlagSpec>& specs, Args* out,
               std::string* error) {
  bool only_positional = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positional || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      out->positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string value;
    bool has_inline_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    if (arg == "-h") arg = "--help";
    if (arg == "-o") arg = "--output";
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == arg) spec = &s;
    }
    if (!spec) {
      *error = "unknown option " + arg;
      // "--fromat": the nearest option of the command, when it is near.
      std::string near;
      size_t best = 3;
      for (const FlagSpec& s : specs) {
        const size_t d = BoundedEditDistance(arg, s.name, 2);
        if (d < best) {
          best = d;
          near = s.name;
        }
      }
      if (!near.empty()) *error += " (did you mean " + near + "?)";
      return false;
    }
    if (spec->takes_value && !has_inline_value) {
      if (i + 1 >= argc) {
        *error = "option " + arg + " needs a value";
        return false;
      }
      value = argv[++i];
    } else if (!spec->takes_value && has_inline_value) {
      *error = "option " + arg + " takes no value";
      return false;
    }
    out->flags[arg] = value;
    out->in_order.emplace_back(arg, value);
  }
  return true;
}

}  // namespace pactgraph::app
