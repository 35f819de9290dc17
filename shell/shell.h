// The interactive query shell: line editing and a persistent history (libedit), completion of
// keywords, relation and entity types and entity names, statements that run when a line ends
// with ';', backslash commands, and Ctrl-C that stops the running query, not the shell.
#ifndef PACTGRAPH_SHELL_SHELL_H_
#define PACTGRAPH_SHELL_SHELL_H_

#include <string>

#include "query/engine.h"
#include "query/format.h"
#include "storage/store.h"

namespace pactgraph::shell {

struct ShellOptions {
  query::Limits limits;
  query::FormatOptions format;
  std::string history_file;  // empty: no history is kept across sessions
  bool show_plan = false;    // \explain on: every answer is followed by its profiled plan
};

// Runs until \quit or end of input. Returns 0, or 1 when the terminal could not be set up.
int RunShell(const storage::Store& store, ShellOptions options);

}  // namespace pactgraph::shell

#endif  // PACTGRAPH_SHELL_SHELL_H_
