#include "graph/fault.h"

#ifdef PG_FAULT_HOOKS
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pactgraph {

void FaultPoint(const char* name) {
  static const char* want = std::getenv("PACTGRAPH_FAULT");
  if (!want || !*want) return;
  const std::string spec = want;
  const size_t colon = spec.find(':');
  if (spec.substr(0, colon) != name) return;
  static std::atomic<long> hits{0};
  const long k = colon == std::string::npos ? 1 : std::atol(spec.c_str() + colon + 1);
  if (++hits >= k) kill(getpid(), SIGKILL);
}

}  // namespace pactgraph
#endif
