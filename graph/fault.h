// Fault points for the crash test: places inside the write path where a test build can be told
// to die. Compiled in only when PG_FAULT_HOOKS is defined (CMake defines it for builds with the
// tests, PG_BUILD_TESTS=ON); otherwise FaultPoint is an empty inline function.
//
// With PACTGRAPH_FAULT=NAME (or NAME:K, the K-th time the point is reached), the process
// kills itself with SIGKILL at that point: no destructor runs, no buffer is flushed, as in a
// power cut seen from the process.
#ifndef PACTGRAPH_GRAPH_FAULT_H_
#define PACTGRAPH_GRAPH_FAULT_H_

namespace pactgraph {

#ifdef PG_FAULT_HOOKS
void FaultPoint(const char* name);
#else
inline void FaultPoint(const char*) {}
#endif

}  // namespace pactgraph

#endif  // PACTGRAPH_GRAPH_FAULT_H_
